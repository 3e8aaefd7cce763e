package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// A token fed through every input the CLI takes never comes back out: not on stdout or stderr,
// not in --json, not in the workflow commands, not in the job summary, not in the progress
// lines. run checks every output of every run for every form of every test token; this test
// makes sure each input reaches the text it would be echoed in (a check's message, a progress
// line, an error), with the token in the environment (tokWrite) and a token-shaped value that
// is no secret given (tokUnknown), in text and in JSON.
func TestNoInputEchoesAToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string // TOKEN is replaced by the token, FILES by a directory of assets, NAMED by one holding a file named like the token
		code   int
		tagged bool // v1.0.0 is tagged already, so that --commit is compared with it
	}{
		{name: "probe --tag", args: []string{"probe", "--tag", "TOKEN"}},
		{name: "probe --tag --commit --target --assets", args: []string{"probe", "--tag", "v1.0.0-TOKEN", "--commit", "TOKEN", "--target", "TOKEN", "--assets", "NAMED"}},
		{name: "publish, a file named like the token", args: []string{"publish", "--tag", "TOKEN", "--assets", "NAMED", "--notes", "TOKEN", "--target", "TOKEN"}},
		{name: "publish --notes-file", args: []string{"publish", "--tag", "v1.0.0", "--assets", "FILES", "--notes-file", "/nonexistent/TOKEN.md"}, code: 2},
		{name: "publish --commit", args: []string{"publish", "--tag", "v1.0.0", "--assets", "FILES", "--commit", "TOKEN"}, tagged: true},
		{name: "publish --prerelease", args: []string{"publish", "--tag", "v1.0.0", "--assets", "FILES", "--prerelease", "TOKEN"}, code: 2},
		{name: "publish --latest", args: []string{"publish", "--tag", "v1.0.0", "--assets", "FILES", "--latest", "TOKEN"}, code: 2},
		{name: "publish --expected-run-time", args: []string{"publish", "--tag", "v1.0.0", "--assets", "FILES", "--expected-run-time", "TOKEN"}, code: 2},
		{name: "publish --assets", args: []string{"publish", "--tag", "v1.0.0", "--assets", "/nonexistent/TOKEN"}, code: 2},
		{name: "probe --repo", args: []string{"probe", "--repo", "TOKEN/TOKEN"}, code: 2},
		{name: "probe --run-id", args: []string{"probe", "--run-id", "TOKEN"}, code: 2},
		{name: "probe --run-attempt", args: []string{"probe", "--run-attempt", "TOKEN"}, code: 2},
		{name: "probe --api-url", args: []string{"probe", "--api-url", "https://TOKEN.example/"}, code: 4},
		{name: "probe --upload-url", args: []string{"probe", "--upload-url", "ftp://TOKEN/"}, code: 2},
		{name: "probe --timeout", args: []string{"probe", "--timeout", "TOKEN"}, code: 2},
		{name: "probe --token-env", args: []string{"probe", "--token-env", "TOKEN"}, code: 2},
		{name: "an unknown flag", args: []string{"probe", "--TOKEN"}, code: 2},
		{name: "an argument", args: []string{"probe", "TOKEN"}, code: 2},
		{name: "sweep --older-than", args: []string{"sweep", "--older-than", "TOKEN"}, code: 2},
		{name: "release --version and --name", args: []string{"release", "--tag", "v1.0.0", "--name", "TOKEN", "--platforms", "TOKEN/amd64"}, code: 2},
	}
	for _, tc := range tests {
		for _, token := range []string{tokWrite, tokUnknown} {
			for _, asJSON := range []bool{false, true} {
				name := tc.name
				if token == tokUnknown {
					name += ", a token-shaped value"
				}
				if asJSON {
					name += ", --json"
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					srv := newServer(t, emulator.Options{})
					if tc.tagged {
						srv.AddTag(repo, "v1.0.0")
					}
					summary := filepath.Join(t.TempDir(), "step_summary.md")
					e := env{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary, "GITHUB_TOKEN": tokWrite,
						"GITHUB_REPOSITORY": repo, "GITHUB_API_URL": srv.APIURL(), "GITHUB_RUN_ID": "42"}
					var args []string
					for _, a := range tc.args {
						switch a {
						case "FILES":
							a = writeFiles(t, map[string]string{"app.tar.gz": "bytes"})
						case "NAMED":
							a = writeFiles(t, map[string]string{token + ".tar.gz": "bytes"})
						}
						args = append(args, strings.ReplaceAll(a, "TOKEN", token))
					}
					if asJSON {
						args = append(args, "--json")
					}

					res := run(t, srv, e, args...)

					assert.Equal(t, tc.code, res.code)
					b, err := os.ReadFile(summary)
					require.NoError(t, err, "the job summary was written")
					assert.Contains(t, res.stdout+res.stderr+string(b), "[REDACTED]", "the token was echoed, redacted")
				})
			}
		}
	}
}
