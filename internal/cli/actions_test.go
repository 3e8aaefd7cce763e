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

// In GitHub Actions a failure is an annotation (::error) naming the toggle, and the job summary
// gets a block; with --json the workflow commands move to stderr and stdout stays one object.
func TestGitHubActions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		token   string
		json    bool
		code    int
		command string   // the workflow command printed, e.g. "::error title="
		summary []string // substrings of the job summary
	}{
		{name: "clamped", token: tokClamped, code: 3, command: "::error title=release-preflight probe failed (clamped)::",
			summary: []string{"❌", "`clamped`", toggle, "`contents=write`"}},
		{name: "clamped --json", token: tokClamped, json: true, code: 3, command: "::error title=release-preflight probe failed (clamped)::",
			summary: []string{"❌", "`clamped`", toggle}},
		{name: "write", token: tokWrite, code: 0, command: "::notice title=release-preflight probe passed::",
			summary: []string{"✅", "`ok`"}},
		{name: "write --json", token: tokWrite, json: true, code: 0, command: "::notice title=release-preflight probe passed::",
			summary: []string{"✅"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			summary := filepath.Join(t.TempDir(), "step_summary.md")
			require.NoError(t, os.WriteFile(summary, []byte("# earlier step\n"), 0o644))
			e := env{
				"GITHUB_ACTIONS":      "true",
				"GITHUB_STEP_SUMMARY": summary,
				"GITHUB_TOKEN":        tc.token,
				"GITHUB_REPOSITORY":   repo,
				"GITHUB_RUN_ID":       "42",
				"GITHUB_RUN_ATTEMPT":  "1",
				"GITHUB_API_URL":      srv.APIURL(),
			}
			args := []string{"probe"}
			if tc.json {
				args = append(args, "--json")
			}

			res := run(t, srv, e, args...)

			assert.Equal(t, tc.code, res.code)
			commands := res.stdout
			if tc.json {
				obj := decodeOne(t, res.stdout)
				assert.Equal(t, "preflight-permcheck-run42-attempt1", str(t, obj, "probe_tag"))
				commands = res.stderr
			}
			line := commandLine(t, commands, tc.command)
			if tc.code != 0 {
				assert.Contains(t, line, toggle, "the annotation names the toggle")
				assert.Contains(t, line, "contents=write")
				assert.NotContains(t, line, "\n")
			}
			b, err := os.ReadFile(summary)
			require.NoError(t, err)
			md := string(b)
			assert.True(t, strings.HasPrefix(md, "# earlier step\n\n### "), "the block is appended after a blank line:\n%s", md)
			for _, want := range tc.summary {
				assert.Contains(t, md, want, "job summary")
			}
			assertNoToken(t, res.stdout, res.stderr, md)
		})
	}
}

// commandLine returns the line of out that starts with prefix.
func commandLine(t *testing.T, out, prefix string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	t.Errorf("no line starting with %q in:\n%s", prefix, out)
	return ""
}

// Outside GitHub Actions there are no workflow commands and no summary.
func TestNoWorkflowCommandsOutsideActions(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	summary := filepath.Join(t.TempDir(), "step_summary.md")
	e := env{"GITHUB_TOKEN": tokClamped, "GITHUB_STEP_SUMMARY": summary}

	res := run(t, srv, e, "probe", "--repo", repo, "--api-url", srv.APIURL())

	assert.Equal(t, 3, res.code)
	assert.NotContains(t, res.stdout+res.stderr, "::error")
	assert.NoFileExists(t, summary)
}

// GitHub Enterprise Server: the API under /api/v3/, uploads under /api/uploads/, and only
// --api-url given: the upload URL is derived.
func TestGHES(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{APIPrefix: "/api/v3/", UploadPrefix: "/api/uploads/"})
	apiURL := srv.URL() + "/api/v3/"
	require.Equal(t, apiURL, srv.APIURL())

	probe := run(t, srv, ghEnv(tokWrite), "probe", "--repo", repo, "--api-url", apiURL)
	require.Equal(t, 0, probe.code)
	require.Len(t, srv.Requests(), probed+tagless)

	assets := writeFiles(t, map[string]string{"tool_linux_amd64.tar.gz": "linux bytes", "tool_windows_amd64.zip": "windows bytes"})
	pub := run(t, srv, ghEnv(tokWrite), "publish", "--repo", repo, "--api-url", apiURL, "--tag", "v2.0.0", "--assets", assets)
	require.Equal(t, 0, pub.code)

	var uploads int
	for _, r := range srv.Requests() {
		switch {
		case strings.HasPrefix(r.Path, "/api/uploads/"):
			uploads++
			assert.Equal(t, "POST", r.Method)
			assert.Equal(t, 201, r.Status)
		default:
			assert.True(t, strings.HasPrefix(r.Path, "/api/v3/"), "request outside the API prefix: %s %s", r.Method, r.Path)
		}
	}
	assert.Equal(t, 3, uploads, "two files and SHA256SUMS go to the derived upload URL")
	rels := srv.Releases(repo)
	require.Len(t, rels, 1)
	assert.False(t, rels[0].Draft)
	got := assetContents(t, rels[0])
	assert.Equal(t, "linux bytes", string(got["tool_linux_amd64.tar.gz"]))
	assertChecksums(t, got)
	assert.Equal(t, []string{"v2.0.0"}, srv.Tags(repo))
	assertNoToken(t, probe.stdout, probe.stderr, pub.stdout, pub.stderr)
}
