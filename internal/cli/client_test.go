package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// Whatever reaches the output, a token in the environment does not: not whole, not without its
// prefix, and no other token-shaped value either, in text, JSON, workflow commands or the job
// summary. A flag's parse error echoes its value, so it is the way to get text past the core.
func TestOutputIsRedacted(t *testing.T) {
	t.Parallel()
	rest := strings.TrimPrefix(tokWrite, "ghs_")
	tests := []struct {
		name string
		env  env
		args []string
	}{
		{name: "the token without its prefix", env: ghEnv(tokWrite), args: []string{"publish", "--concurrency", rest}},
		{name: "the token without its prefix, as JSON", env: ghEnv(tokWrite), args: []string{"publish", "--json", "--concurrency", rest}},
		{name: "a token read with --token-env", env: env{"MY_TOKEN": tokWrite}, args: []string{"sweep", "--token-env", "MY_TOKEN", "--repo", repo, "--older-than", rest}},
		{name: "another token-shaped value", env: ghEnv(tokClamped), args: []string{"publish", "--concurrency", tokPAT}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			summary := filepath.Join(t.TempDir(), "summary.md")
			tt.env["GITHUB_ACTIONS"] = "true"
			tt.env["GITHUB_STEP_SUMMARY"] = summary

			res := run(t, nil, tt.env, tt.args...)

			assert.Equal(t, 2, res.code)
			md, err := os.ReadFile(summary)
			require.NoError(t, err)
			out := res.stdout + res.stderr + string(md)
			assert.Contains(t, out, "[REDACTED]")
			assertNoToken(t, out)
			for _, tok := range allTokens {
				assert.NotContains(t, out, tok[strings.Index(tok, "_")+1:], "a token without its prefix leaked")
			}
		})
	}
}

// --timeout bounds the whole command: a GitHub that never answers ends in a network-error that
// names the flag, and a limit that is not positive is refused before any request.
func TestTimeout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		args         []string
		hang         bool // the emulator holds every request (until the client gives up)
		wantCode     int
		wantClass    string
		wantRequests int
		wantInMsg    []string
	}{
		{
			name: "probe against a GitHub that never answers", args: []string{"probe", "--json", "--timeout", "500ms"}, hang: true,
			wantCode: 4, wantClass: "network-error", wantRequests: 1,
			wantInMsg: []string{"create draft release in octo-org/hello: the time limit ran out before GitHub answered: Raise the time limit, or re-run when GitHub answers more quickly (--timeout)"},
		},
		{
			name: "sweep against a GitHub that never answers", args: []string{"sweep", "--json", "--timeout", "500ms"}, hang: true,
			wantCode: 4, wantClass: "network-error", wantRequests: 1,
			wantInMsg: []string{"the time limit ran out before GitHub answered", "(--timeout)"},
		},
		{
			name: "a zero time limit", args: []string{"probe", "--json", "--timeout", "0s"},
			wantCode: 2, wantClass: "invalid-input",
			wantInMsg: []string{"check the input: the time limit 0s is not positive: Pass a duration such as 2m or 1h (--timeout)"},
		},
		{
			name: "a negative time limit for publish", args: []string{"publish", "--json", "--timeout", "-1h", "--tag", "v1.0.0", "--assets", "."},
			wantCode: 2, wantClass: "invalid-input",
			wantInMsg: []string{"the time limit -1h0m0s is not positive"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			if tt.hang {
				srv.Inject(emulator.Fault{Latency: time.Hour, Times: -1})
			}
			e := ghEnv(tokWrite)
			e["GITHUB_REPOSITORY"], e["GITHUB_API_URL"] = repo, srv.APIURL()

			res := run(t, srv, e, tt.args...)

			assert.Equal(t, tt.wantCode, res.code)
			obj := decodeOne(t, res.stdout)
			assert.Equal(t, tt.wantClass, str(t, obj, "class"))
			assert.EqualValues(t, tt.wantRequests, num(t, obj, "requests"), "requests sent")
			if tt.wantRequests == 0 {
				assert.Empty(t, srv.Requests(), "nothing reached the server")
			}
			for _, want := range tt.wantInMsg {
				assert.Contains(t, str(t, obj, "message"), want)
			}
			assert.Empty(t, res.sleeps, "no retry after the time ran out")
		})
	}
}

// Each command's default time limit is in its help.
func TestTimeoutDefaults(t *testing.T) {
	t.Parallel()
	for command, want := range map[string]string{"probe": "2m0s", "sweep": "10m0s", "publish": "1h0m0s", "release": "2h0m0s"} {
		t.Run(command, func(t *testing.T) {
			t.Parallel()
			res := run(t, nil, env{}, command, "-h")
			assert.Equal(t, 0, res.code)
			assert.Contains(t, res.stdout, "--timeout DURATION")
			assert.Contains(t, res.stdout, "(default "+want+")")
		})
	}
}

// Plain http to another machine is refused before any request unless --allow-insecure-http,
// and then the report warns.
func TestAllowInsecureHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		args        []string
		wantCode    int
		wantInMsg   string
		wantWarning bool
	}{
		{name: "refused", args: []string{"probe", "--json", "--api-url", "http://example.com/"}, wantCode: 2,
			wantInMsg: `configure the GitHub client: the API URL "http://example.com/" is plain http to another machine, so the token would cross the network unencrypted: Pass an https:// URL: plain http is refused except to this machine (127.0.0.0/8, ::1, localhost), unless insecure HTTP is allowed deliberately (--api-url, default $GITHUB_API_URL)`},
		{name: "allowed deliberately", args: []string{"probe", "--json", "--api-url", "http://example.com/", "--allow-insecure-http"}, wantCode: 0,
			wantInMsg: "GitHub write permission confirmed in octo-org/hello", wantWarning: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The emulator's client dials it for example.com:80.
			srv := newServer(t, emulator.Options{})
			e := ghEnv(tokWrite)
			e["GITHUB_REPOSITORY"] = repo

			res := run(t, srv, e, tt.args...)

			assert.Equal(t, tt.wantCode, res.code)
			obj := decodeOne(t, res.stdout)
			assert.Contains(t, str(t, obj, "message"), tt.wantInMsg)
			var warnings []string
			require.NoError(t, json.Unmarshal(obj["warnings"], &warnings))
			if !tt.wantWarning {
				assert.Empty(t, srv.Requests(), "nothing was sent")
				assert.Empty(t, warnings)
				return
			}
			assert.Len(t, srv.Requests(), probed+tagless, "the probe's create, delete and look for leftovers, and the three reads of the checks without a tag")
			require.Len(t, warnings, 1)
			assert.Contains(t, warnings[0], "the token is sent unencrypted over plain http to example.com")
		})
	}
}

// A redirect to another host is never followed: the probe fails, and never says the token can
// publish.
func TestProbeRefusesRedirectToAnotherHost(t *testing.T) {
	t.Parallel()
	var foreign atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreign.Add(1)
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":1}`))
	}))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(api.Close)
	e := ghEnv(tokWrite)
	e["GITHUB_REPOSITORY"], e["GITHUB_API_URL"] = repo, api.URL

	res := run(t, nil, e, "probe")

	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "error: create draft release in octo-org/hello: 307 the answer was a redirect to another host or scheme")
	assert.NotContains(t, res.stdout+res.stderr, "permission confirmed")
	assert.Zero(t, foreign.Load(), "the other host got no request")
	assertNoToken(t, res.stdout, res.stderr)
}

// --notes-file is read only as far as GitHub's limit on release notes: a longer file is invalid
// input before any request, and so is anything but a regular file (a device such as /dev/zero
// would never end; a link is not followed).
func TestNotesFileIsBounded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
		return path
	}
	tests := []struct {
		name      string
		file      string
		wantCode  int
		wantInMsg string
	}{
		{name: "a device", file: os.DevNull, wantCode: 2,
			wantInMsg: "read the release notes: " + os.DevNull + " is a device, not a regular file: Pass the notes as a regular Markdown file"},
		{name: "a link", file: link(t, write("real.md", "notes"), filepath.Join(dir, "link.md")), wantCode: 2,
			wantInMsg: "link.md is a symbolic link, not a regular file"},
		{name: "far too long", file: write("long.md", strings.Repeat("a", 1<<20)), wantCode: 2,
			wantInMsg: `read the release notes: "` + filepath.Join(dir, "long.md") + `" holds more than 125000 characters, GitHub's limit for release notes: Shorten the notes`},
		{name: "one character too many", file: write("over.md", strings.Repeat("é", 125000+1)), wantCode: 2,
			wantInMsg: "holds more than 125000 characters"},
		{name: "at the limit, in characters of two bytes", file: write("full.md", strings.Repeat("é", 125000)), wantCode: 0,
			wantInMsg: "v1.0.0"},
		{name: "missing", file: filepath.Join(dir, "nope.md"), wantCode: 2, wantInMsg: "no such file or directory: Pass a readable Markdown file (--notes-file)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			assets := writeFiles(t, map[string]string{"app.tar.gz": "bytes"})

			res := run(t, srv, ghEnv(tokWrite), "publish", "--json", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
				"--assets", assets, "--notes-file", tt.file)

			assert.Equal(t, tt.wantCode, res.code)
			obj := decodeOne(t, res.stdout)
			assert.Contains(t, str(t, obj, "message"), tt.wantInMsg)
			if tt.wantCode != 0 {
				assert.Equal(t, "invalid-input", str(t, obj, "class"))
				assert.Empty(t, srv.Requests(), "nothing was sent")
				return
			}
			rels := srv.Releases(repo)
			require.Len(t, rels, 1)
			assert.Equal(t, strings.Repeat("é", 125000), rels[0].Body)
		})
	}
}

// link makes link a symbolic link to target and returns link; the test is skipped where links
// cannot be made.
func link(t *testing.T, target, link string) string {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links are not available here: %v", err)
	}
	return link
}
