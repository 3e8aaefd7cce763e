package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/build"
)

// The README's quick start: the demo runs against the emulator, fails the clamped run before
// any build, then publishes with the write token: by default two platforms, which its first line
// says, and with --platforms all six. It needs no checkout: the project it builds is embedded.
func TestDemo(t *testing.T) {
	t.Parallel()
	wd, err := os.Getwd()
	require.NoError(t, err)
	six := []string{"hello_1.0.0_linux_amd64.tar.gz", "hello_1.0.0_linux_arm64.tar.gz", "hello_1.0.0_darwin_amd64.tar.gz",
		"hello_1.0.0_darwin_arm64.tar.gz", "hello_1.0.0_windows_amd64.zip", "hello_1.0.0_windows_arm64.zip"}
	tests := []struct {
		name      string
		args      []string
		firstLine string
		assets    []string
		progress  string
	}{
		{"default", nil, "building linux/amd64,windows/amd64 (2 of the 6 default platforms; --platforms to choose)",
			[]string{"hello_1.0.0_linux_amd64.tar.gz", "hello_1.0.0_windows_amd64.zip"}, "built windows/amd64: hello_1.0.0_windows_amd64.zip"},
		{"all six", []string{"--platforms", build.DefaultPlatforms}, "building " + build.DefaultPlatforms + "\n",
			six, "built windows/arm64: hello_1.0.0_windows_arm64.zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := run(t, nil, env{}, append([]string{"demo"}, tt.args...)...)

			assert.Equal(t, 0, res.code)
			out := res.stdout
			first, _, _ := strings.Cut(out, "\n\n")
			assert.Contains(t, first+"\n", tt.firstLine, "the first line says what it builds")
			assert.Contains(t, out, "GitHub EMULATOR at http://127.0.0.1:", "it says it is not GitHub")
			clamped, write, ok := strings.Cut(out, "2) token with contents: write")
			if !assert.True(t, ok, "the second run is shown") {
				return
			}
			assert.Contains(t, clamped, "1) token clamped to read-only by "+toggle)
			assert.Contains(t, clamped, "class:                clamped")
			assert.Contains(t, clamped, "after 1 request(s); builds started: 0; releases in the repository: 0")
			assert.Contains(t, write, fmt.Sprintf("ok: release v1.0.0 published with %d assets", len(tt.assets)+1))
			assert.Contains(t, write, "git tags: [v1.0.0]")
			for _, name := range append([]string{"SHA256SUMS"}, tt.assets...) {
				assert.Contains(t, write, name)
			}
			for _, name := range six {
				if !slices.Contains(tt.assets, name) {
					assert.NotContains(t, write, name)
				}
			}
			assert.Contains(t, res.stderr, tt.progress, "build progress goes to stderr")
			assert.NotContains(t, out+res.stderr, wd, "nothing is read from the working directory")
		})
	}
}

func TestDemoRejectsUnknownPlatforms(t *testing.T) {
	t.Parallel()

	res := run(t, nil, env{}, "demo", "--platforms", "plan9/z80")

	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, `unknown GOARCH "z80" in platform "plan9/z80"`)
}

// demo --json prints one JSON object and nothing else on stdout: the outcome, both runs'
// reports and the releases the emulator holds after them.
func TestDemoJSON(t *testing.T) {
	t.Parallel()

	res := run(t, nil, env{}, "demo", "--json", "--platforms", "linux/amd64")

	assert.Equal(t, 0, res.code)
	obj := decodeOne(t, res.stdout)
	assert.Equal(t, "ok", str(t, obj, "outcome"))
	assert.Equal(t, "demo", str(t, obj, "command"))
	assert.Contains(t, str(t, obj, "emulator"), "http://127.0.0.1:")
	var runs []struct {
		Outcome  string `json:"outcome"`
		Class    string `json:"class"`
		Requests int    `json:"requests"`
		Assets   []struct {
			Name string `json:"name"`
		} `json:"assets"`
	}
	require.NoError(t, json.Unmarshal(obj["runs"], &runs))
	require.Len(t, runs, 2)
	assert.Equal(t, "clamped", runs[0].Class)
	assert.Equal(t, 1, runs[0].Requests)
	assert.Equal(t, "ok", runs[1].Outcome)
	assert.Len(t, runs[1].Assets, 2, "the archive and SHA256SUMS")
	assert.EqualValues(t, 0, num(t, obj, "builds_while_clamped"))
	assert.Contains(t, string(obj["releases"]), `"tag":"v1.0.0","draft":false`)
	assert.Contains(t, res.stderr, "built linux/amd64", "progress still goes to stderr")
}
