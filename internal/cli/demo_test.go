package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README's quick start: the demo runs against the emulator, fails the clamped run before
// any build, then publishes with the write token, for all six default platforms. It needs no
// checkout: the project it builds is embedded.
func TestDemo(t *testing.T) {
	t.Parallel()
	wd, err := os.Getwd()
	require.NoError(t, err)

	res := run(t, nil, env{}, "demo")

	assert.Equal(t, 0, res.code)
	out := res.stdout
	assert.Contains(t, out, "GitHub EMULATOR at http://127.0.0.1:", "it says it is not GitHub")
	clamped, write, ok := strings.Cut(out, "2) token with contents: write")
	if !assert.True(t, ok, "the second run is shown") {
		return
	}
	assert.Contains(t, clamped, "1) token clamped to read-only by "+toggle)
	assert.Contains(t, clamped, "class:                clamped")
	assert.Contains(t, clamped, "after 1 request(s); builds started: 0; releases in the repository: 0")
	assert.Contains(t, write, "ok: release v1.0.0 published with 7 assets")
	assert.Contains(t, write, "git tags: [v1.0.0]")
	for _, name := range []string{"SHA256SUMS", "hello_1.0.0_linux_amd64.tar.gz", "hello_1.0.0_linux_arm64.tar.gz",
		"hello_1.0.0_darwin_amd64.tar.gz", "hello_1.0.0_darwin_arm64.tar.gz", "hello_1.0.0_windows_amd64.zip", "hello_1.0.0_windows_arm64.zip"} {
		assert.Contains(t, write, name)
	}
	assert.Contains(t, res.stderr, "built windows/arm64: hello_1.0.0_windows_arm64.zip", "build progress goes to stderr")
	assert.NotContains(t, out+res.stderr, wd, "nothing is read from the working directory")
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
