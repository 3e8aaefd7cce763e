package demo_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/testkit"
	"github.com/release-preflight/release-preflight/pipeline/demo"
)

func TestRun(t *testing.T) {
	t.Parallel()
	goBin, calls := testkit.FakeGo(t)
	var out, progress bytes.Buffer
	res, err := demo.Run(t.Context(), demo.Options{Out: &out, Progress: &progress, GoBin: goBin, Platforms: "linux/arm64,windows/amd64"})
	t.Log(out.String())

	require.NoError(t, err)
	assert.Equal(t, "clamped", res.Clamped.Class)
	assert.Equal(t, "failed", res.Clamped.Outcome)
	assert.Equal(t, 1, res.Clamped.Requests, "the clamped run stops at the probe's first request")
	assert.Zero(t, res.BuildsWhileClamped)
	assert.Equal(t, "ok", res.Write.Outcome)
	assert.Len(t, calls(), 2, "only the write run builds, one go build per platform")
	assert.Contains(t, progress.String(), "built windows/amd64: hello_1.0.0_windows_amd64.zip")

	require.Len(t, res.Releases, 1, "the clamped run left nothing behind")
	rel := res.Releases[0]
	assert.Equal(t, demo.Tag, rel.TagName)
	assert.False(t, rel.Draft)
	var names []string
	for _, a := range rel.Assets {
		assert.Equal(t, "uploaded", a.State)
		names = append(names, a.Name)
	}
	assert.ElementsMatch(t, []string{"SHA256SUMS", "hello_1.0.0_linux_arm64.tar.gz", "hello_1.0.0_windows_amd64.zip"}, names)

	text := out.String()
	assert.Contains(t, text, "GitHub EMULATOR")
	assert.Contains(t, text, "1) token clamped to read-only by Settings → Actions → General → Workflow permissions")
	assert.Contains(t, text, "builds started: 0; releases in the repository: 0")
	assert.Contains(t, text, "2) token with contents: write")
	assert.Contains(t, text, "git tags: [v1.0.0]")
}

// Without Platforms the demo builds DefaultPlatforms, and its first line says so.
func TestRunDefaultPlatforms(t *testing.T) {
	t.Parallel()
	goBin, calls := testkit.FakeGo(t)
	var out bytes.Buffer
	res, err := demo.Run(t.Context(), demo.Options{Out: &out, GoBin: goBin})
	require.NoError(t, err)

	first, _, _ := strings.Cut(out.String(), "\n")
	assert.Contains(t, first, "building linux/amd64,windows/amd64 (2 of the 6 default platforms; --platforms to choose)")
	assert.ElementsMatch(t, []string{"linux/amd64|.", "windows/amd64|."}, calls())
	var names []string
	for _, a := range res.Write.Assets {
		names = append(names, a.Name)
	}
	assert.ElementsMatch(t, []string{"SHA256SUMS", "hello_1.0.0_linux_amd64.tar.gz", "hello_1.0.0_windows_amd64.zip"}, names)
}

// The demo's archives are reproducible: its build date is fixed.
func TestRunIsReproducible(t *testing.T) {
	t.Parallel()
	goBin, _ := testkit.FakeGo(t)
	opts := demo.Options{Platforms: "linux/amd64", GoBin: goBin} // nil Out takes its default

	first, err := demo.Run(t.Context(), opts)
	require.NoError(t, err)
	second, err := demo.Run(t.Context(), opts)
	require.NoError(t, err)

	require.Len(t, first.Releases, 1)
	require.Len(t, second.Releases, 1)
	assert.Equal(t, first.Write.Assets, second.Write.Assets, "same names, sizes and SHA-256")
}

func TestRunFailures(t *testing.T) {
	t.Parallel()
	goBin, _ := testkit.FakeGo(t)
	_, err := demo.Run(t.Context(), demo.Options{Platforms: "plan9/z80", GoBin: goBin})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown GOARCH "z80" in platform "plan9/z80"`)
}

// The demo's JSON is one object whose outcome and message are the failure's when it failed.
func TestResultJSON(t *testing.T) {
	t.Parallel()
	b, err := demo.Result{}.JSON(errors.New("demo: the write-token run failed: boom"))
	require.NoError(t, err)
	var obj map[string]any
	require.NoError(t, json.Unmarshal(b, &obj))
	assert.Equal(t, "failed", obj["outcome"])
	assert.Equal(t, "unexpected", obj["class"])
	assert.Equal(t, "demo: the write-token run failed: boom", obj["message"])
	assert.Equal(t, []any{}, obj["runs"], "no run, an empty list")
	assert.Equal(t, []any{}, obj["releases"])
}
