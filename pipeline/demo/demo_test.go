package demo_test

import (
	"bytes"
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/demo"
)

var hello = filepath.Join("..", "..", "examples", "hello")

// countingExecutor counts the builds the demo starts.
type countingExecutor struct {
	runs atomic.Int64
	next build.Executor
}

func (c *countingExecutor) Build(ctx context.Context, plan build.Plan, srcDir, binDir string) error {
	c.runs.Add(1)
	return c.next.Build(ctx, plan, srcDir, binDir)
}

func TestRun(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	exec := &countingExecutor{next: build.LocalExecutor{}}

	res, err := demo.Run(t.Context(), demo.Options{Out: &out, Source: hello, Executor: exec, Platforms: "linux/arm64,windows/amd64"})
	t.Log(out.String())

	require.NoError(t, err)
	assert.Equal(t, "clamped", res.Clamped.Class)
	assert.Equal(t, "failed", res.Clamped.Outcome)
	assert.Equal(t, 1, res.Clamped.Requests, "the clamped run stops at the probe's first request")
	assert.Zero(t, res.BuildsWhileClamped)
	assert.Equal(t, "ok", res.Write.Outcome)
	assert.Equal(t, int64(1), exec.runs.Load(), "only the write run builds")

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

// The demo's archives are reproducible: its build date is fixed.
func TestRunIsReproducible(t *testing.T) {
	t.Parallel()
	opts := demo.Options{Source: hello, Platforms: "linux/amd64"} // nil Out and Executor take defaults

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
	tests := []struct {
		name string
		opts demo.Options
		want string
	}{
		{name: "no project", opts: demo.Options{Source: t.TempDir()}, want: "pass --source examples/hello"},
		{name: "unknown platform", opts: demo.Options{Source: hello, Platforms: "plan9/z80"}, want: "plan9/z80"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := demo.Run(t.Context(), tc.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
