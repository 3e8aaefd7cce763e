package cli

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// humanClass is the class line of a human report.
var humanClass = regexp.MustCompile(`(?m)^  class:\s+(\S+)$`)

// tagless is what the checks of a probe without --tag cost once the probe passed: the
// releases, the immutable-releases setting and the rate limit.
const tagless = 3

// probed is what a passing probe costs: the create, the delete and the look for leftovers.
const probed = 3

func TestProbe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		token  string // GITHUB_TOKEN; "" leaves it unset
		faults []emulator.Fault
		args   []string // after probe --repo REPO --api-url URL
		// want
		code     int
		class    string
		requests int
		stdout   []string // substrings of stdout; nil means stdout must be empty
		stderr   []string // substrings of stderr; nil means stderr must be empty
		sleeps   int
	}{
		{
			name: "write token passes with a create, a delete and a look for leftovers", token: tokWrite,
			code: 0, class: "ok", requests: probed + tagless,
			stdout: []string{"ok: ", "GitHub write permission confirmed in " + repo},
		},
		{
			name: "clamped token fails at once naming the toggle", token: tokClamped,
			code: 3, class: "clamped", requests: 1,
			stderr: []string{"error: create draft release in " + repo + ": 403 Resource not accessible by integration", toggle, "contents=write", "permissions: contents: write"},
		},
		{
			name: "fine-grained token without contents write", token: tokPAT,
			code: 3, class: "pat-permission", requests: 1,
			stderr: []string{"403 Resource not accessible by personal access token", "Contents", "contents=write"},
		},
		{
			name: "token not authorized for SAML SSO", token: tokSSO,
			code: 3, class: "sso-required", requests: 1,
			stderr: []string{"single sign-on", "/sso"},
		},
		{
			name: "unknown token", token: tokUnknown,
			code: 3, class: "bad-credentials", requests: 1,
			stderr: []string{"401 Bad credentials", "Replace the token"},
		},
		{
			name: "classic token without the repo scope", token: tokNoRepo,
			code: 3, class: "no-access", requests: 1,
			stderr: []string{"404", "read:org"},
		},
		{
			name: "rate limit that resets past the bound fails fast", token: tokWrite,
			faults: []emulator.Fault{{PrimaryRateLimit: true, ResetIn: 30 * time.Minute}},
			code:   4, class: "rate-limited", requests: 1,
			stderr: []string{"rate limit"},
		},
		{
			name: "secondary rate limit with a long Retry-After fails fast", token: tokWrite,
			faults: []emulator.Fault{{SecondaryRateLimit: true, Status429: true, RetryAfter: 600}},
			code:   4, class: "rate-limited", requests: 1,
			stderr: []string{"rate limit"},
		},
		{
			name: "short secondary rate limit is waited out", token: tokWrite,
			faults: []emulator.Fault{{SecondaryRateLimit: true, RetryAfter: 2}},
			code:   0, class: "ok", requests: 1 + probed + tagless, sleeps: 1,
			stdout: []string{"ok: "},
		},
		{
			name: "502 on every attempt", token: tokWrite,
			faults: []emulator.Fault{{Status: 502, Body: emulator.HTMLErrorBody, Times: -1}},
			code:   4, class: "server-error", requests: 5, sleeps: 3, // 4 creates, then one look for a draft they may have left
			stderr: []string{"502", "after 4 attempts", "could not look for leftover probe drafts"},
		},
		{
			name: "one 502 is retried", token: tokWrite,
			// create, create again, delete, and the look for leftovers, which then reads every page
			// for a draft the lost attempt may have made
			faults: []emulator.Fault{{Method: "POST", Status: 502}},
			code:   0, class: "ok", requests: 1 + probed + tagless, sleeps: 1,
			stdout: []string{"ok: "},
		},
		{
			name: "dropped connection on every attempt", token: tokWrite,
			faults: []emulator.Fault{{Drop: true, Times: -1}},
			code:   4, class: "network-error", requests: 5, sleeps: 3,
			stderr: []string{"no response", "could not look for leftover probe drafts"},
		},
		{
			name: "repository not in OWNER/NAME form", token: tokWrite, args: []string{"--repo", "not-a-repo"},
			code: 2, class: "invalid-input", requests: 0,
			stderr: []string{"not-a-repo", "OWNER/NAME"},
		},
		{
			name: "non-numeric run id", token: tokWrite, args: []string{"--run-id", "abc"},
			code: 2, class: "invalid-input", requests: 0,
			stderr: []string{"abc"},
		},
		{
			name: "non-numeric run attempt", token: tokWrite, args: []string{"--run-id", "42", "--run-attempt", "first"},
			code: 2, class: "invalid-input", requests: 0,
			stderr: []string{"first"},
		},
		{
			name: "no token", token: "",
			code: 2, class: "invalid-input", requests: 0,
			stderr: []string{"GITHUB_TOKEN", "GH_TOKEN", "--token-env"},
		},
		{
			name: "API URL that is not http", token: tokWrite, args: []string{"--api-url", "ftp://example.com/"},
			code: 2, class: "invalid-input", requests: 0,
			stderr: []string{"http(s)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			for _, f := range tc.faults {
				srv.Inject(f)
			}
			e := env{}
			if tc.token != "" {
				e["GITHUB_TOKEN"] = tc.token
			}
			args := append([]string{"probe", "--repo", repo, "--api-url", srv.APIURL()}, tc.args...)

			res := run(t, srv, e, args...)

			assert.Equal(t, tc.code, res.code, "exit status")
			assert.Len(t, srv.Requests(), tc.requests, "requests: %v", requestLines(srv))
			assert.Len(t, res.sleeps, tc.sleeps, "retry waits")
			assert.Empty(t, srv.Releases(repo), "the probe leaves no release")
			assert.Empty(t, srv.Tags(repo), "the probe never creates a tag")
			assertOutput(t, "stdout", res.stdout, tc.stdout)
			assertOutput(t, "stderr", res.stderr, tc.stderr)
			human := res.stdout + res.stderr
			if m := humanClass.FindStringSubmatch(human); assert.NotNil(t, m, "the report names its class") {
				assert.Equal(t, tc.class, m[1])
			}
			assertNoToken(t, res.stdout, res.stderr)
		})
	}
}

// assertOutput checks that out holds every want, or is empty when want is nil.
func assertOutput(t *testing.T, name, out string, want []string) {
	t.Helper()
	if want == nil {
		assert.Empty(t, out, name)
		return
	}
	for _, w := range want {
		assert.Contains(t, out, w, name)
	}
}

func TestProbeJSON(t *testing.T) {
	t.Parallel()
	contract := []string{"outcome", "class", "repo", "probe_tag", "requests", "elapsed_ms",
		"required_permissions", "remediation", "warnings", "message"}
	documented := map[string]bool{"request_id": true, "command": true, "tag": true, "release_url": true, "assets": true, "swept": true, "checks": true}
	for _, k := range contract {
		documented[k] = true
	}
	tests := []struct {
		name        string
		token       string
		args        []string
		faults      []emulator.Fault
		code        int
		outcome     string
		class       string
		requests    int64
		permissions string
		remediation string // substring
		warning     string // substring of the warnings; "" for none
		probeTag    string // "" means any non-empty tag
	}{
		{name: "write", token: tokWrite, args: []string{"--run-id", "42"},
			code: 0, outcome: "ok", class: "ok", requests: probed + tagless, permissions: "contents=write", probeTag: "preflight-permcheck-run42-attempt1"},
		{name: "clamped", token: tokClamped, args: []string{"--run-id", "42", "--run-attempt", "2"},
			code: 3, outcome: "failed", class: "clamped", requests: 1, permissions: "contents=write",
			remediation: toggle, probeTag: "preflight-permcheck-run42-attempt2"},
		{name: "server error", token: tokWrite, faults: []emulator.Fault{{Status: 503, Times: -1}},
			code: 4, outcome: "failed", class: "server-error", requests: 5, permissions: "contents=write",
			warning: "could not look for leftover probe drafts"},
		{name: "missing token", token: "",
			code: 2, outcome: "failed", class: "invalid-input", requests: 0, remediation: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			for _, f := range tc.faults {
				srv.Inject(f)
			}
			e := env{}
			if tc.token != "" {
				e["GITHUB_TOKEN"] = tc.token
			}
			args := append([]string{"probe", "--json", "--repo", repo, "--api-url", srv.APIURL()}, tc.args...)

			res := run(t, srv, e, args...)

			assert.Equal(t, tc.code, res.code)
			assert.Empty(t, res.stderr, "--json prints nothing but the object")
			obj := decodeOne(t, res.stdout)
			for _, k := range contract {
				assert.Contains(t, obj, k, "contract field")
			}
			for k := range obj {
				assert.True(t, documented[k], "undocumented field %q", k)
			}
			assert.Equal(t, tc.outcome, str(t, obj, "outcome"))
			assert.Equal(t, tc.class, str(t, obj, "class"))
			assert.Equal(t, repo, str(t, obj, "repo"))
			assert.Equal(t, tc.requests, num(t, obj, "requests"))
			assert.Len(t, srv.Requests(), int(tc.requests), "the report counts every request")
			assert.Equal(t, tc.permissions, str(t, obj, "required_permissions"))
			assert.Contains(t, str(t, obj, "remediation"), tc.remediation)
			if tc.warning == "" {
				assert.JSONEq(t, `[]`, string(obj["warnings"]), "warnings is [] when empty, never null")
			} else {
				assert.Contains(t, string(obj["warnings"]), tc.warning)
			}
			assert.NotEmpty(t, str(t, obj, "message"))
			switch {
			case tc.code == 2:
				assert.Empty(t, str(t, obj, "probe_tag"), "nothing was probed")
			case tc.probeTag != "":
				assert.Equal(t, tc.probeTag, str(t, obj, "probe_tag"))
			default:
				assert.Regexp(t, `^preflight-permcheck-`, str(t, obj, "probe_tag"))
			}
			assertNoToken(t, res.stdout)
		})
	}
}

func TestProbeTokenSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  env
		args []string
		code int
		mode emulator.Mode // of the token the emulator saw
	}{
		{name: "GITHUB_TOKEN", env: env{"GITHUB_TOKEN": tokWrite}, code: 0, mode: emulator.ModeWrite},
		{name: "GH_TOKEN when GITHUB_TOKEN is unset", env: env{"GH_TOKEN": tokClamped}, code: 3, mode: emulator.ModeClamped},
		{name: "GITHUB_TOKEN before GH_TOKEN", env: env{"GITHUB_TOKEN": tokWrite, "GH_TOKEN": tokClamped}, code: 0, mode: emulator.ModeWrite},
		{name: "--token-env names another variable", env: env{"GITHUB_TOKEN": tokClamped, "RELEASE_TOKEN": tokWrite},
			args: []string{"--token-env", "RELEASE_TOKEN"}, code: 0, mode: emulator.ModeWrite},
		{name: "--token-env naming an empty variable", env: env{"GITHUB_TOKEN": tokWrite},
			args: []string{"--token-env", "RELEASE_TOKEN"}, code: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			args := append([]string{"probe", "--repo", repo, "--api-url", srv.APIURL()}, tc.args...)

			res := run(t, srv, tc.env, args...)

			assert.Equal(t, tc.code, res.code)
			reqs := srv.Requests()
			if tc.code == 2 {
				assert.Empty(t, reqs)
				assert.Contains(t, res.stderr, "$RELEASE_TOKEN")
			} else {
				require.NotEmpty(t, reqs)
				for _, r := range reqs {
					assert.Equal(t, tc.mode, r.Mode, "token sent with %s %s", r.Method, r.Path)
				}
			}
			assertNoToken(t, res.stdout, res.stderr)
		})
	}
}

// In GitHub Actions, --repo, --run-id, --run-attempt and --api-url come from the environment,
// and the probe tag is named after the run: a stale draft with that tag (a probe of the same run
// whose delete failed) is found by its tag and removed when the create answers 422
// already_exists. GitHub keeps several drafts with one tag, so the emulator would create a
// second draft; a fault scripts that answer.
func TestProbeActionsEnvironmentDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		tag  string
	}{
		{name: "from the environment", tag: "preflight-permcheck-run987654-attempt3"},
		{name: "flags win over the environment", args: []string{"--run-id", "55", "--run-attempt", "1"}, tag: "preflight-permcheck-run55-attempt1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			srv.SeedRelease(repo, emulator.Release{TagName: tc.tag, Draft: true})
			srv.Inject(emulator.Fault{Method: http.MethodPost, PathContains: "/releases", Status: http.StatusUnprocessableEntity,
				Body: `{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}],` +
					`"documentation_url":"https://docs.github.com/rest/releases/releases#create-a-release","status":"422"}`})
			e := env{
				"GITHUB_TOKEN":       tokWrite,
				"GITHUB_REPOSITORY":  repo,
				"GITHUB_RUN_ID":      "987654",
				"GITHUB_RUN_ATTEMPT": "3",
				"GITHUB_API_URL":     srv.APIURL(),
			}

			res := run(t, srv, e, append([]string{"probe", "--json"}, tc.args...)...)

			require.Equal(t, 0, res.code)
			obj := decodeOne(t, res.stdout)
			assert.Equal(t, tc.tag, str(t, obj, "probe_tag"))
			assert.Equal(t, repo, str(t, obj, "repo"))
			reqs := srv.Requests()
			require.NotEmpty(t, reqs)
			assert.Equal(t, "POST", reqs[0].Method)
			assert.Equal(t, "/repos/"+repo+"/releases", reqs[0].Path)
			assert.Equal(t, 422, reqs[0].Status, "%v", requestLines(srv))
			assert.Empty(t, srv.Releases(repo), "the stale draft of the same run is removed: it has the run's tag")
			assert.Empty(t, srv.Tags(repo))
		})
	}
}

// A probe whose delete keeps failing still passes (the token could write), and warns with the
// leftover draft and how to remove it; the draft has no tag.
// A draft a killed probe of the same run attempt left is found by the probe's listing, deleted
// and reported (swept; "deleted:" in the text), for one request more than the create and the
// delete.
func TestProbeRemovesLeftoverDrafts(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	stale := srv.SeedRelease(repo, emulator.Release{TagName: "preflight-permcheck-run42-attempt1", Draft: true})
	args := []string{"probe", "--repo", repo, "--api-url", srv.APIURL(), "--run-id", "42"}

	res := run(t, srv, ghEnv(tokWrite), append(args, "--json")...)

	require.Equal(t, 0, res.code)
	obj := decodeOne(t, res.stdout)
	want := fmt.Sprintf("preflight-permcheck-run42-attempt1 (id %d)", stale.ID)
	assert.JSONEq(t, fmt.Sprintf("[%q]", want), string(obj["swept"]))
	assert.Contains(t, str(t, obj, "message"), "removed the leftover probe draft "+want)
	assert.Empty(t, srv.Releases(repo))
	assert.EqualValues(t, probed+1+tagless, num(t, obj, "requests"), "one delete more")

	srv.SeedRelease(repo, emulator.Release{TagName: "preflight-permcheck-run42-attempt1", Draft: true})
	text := run(t, srv, ghEnv(tokWrite), args...)
	require.Equal(t, 0, text.code)
	assert.Contains(t, text.stdout, "deleted:\n  preflight-permcheck-run42-attempt1 (id ")
}

func TestProbeLeftoverDraftWarns(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	srv.Inject(emulator.Fault{Method: "DELETE", Status: 500, Times: -1})

	res := run(t, srv, ghEnv(tokWrite), "probe", "--json", "--repo", repo, "--api-url", srv.APIURL())

	require.Equal(t, 0, res.code)
	rels := srv.Releases(repo)
	require.Len(t, rels, 1)
	assert.True(t, rels[0].Draft)
	assert.Empty(t, srv.Tags(repo))
	obj := decodeOne(t, res.stdout)
	assert.Equal(t, "ok", str(t, obj, "class"))
	assert.Contains(t, string(obj["warnings"]), "release-preflight's sweep and an older-than of 1s")
	assert.Contains(t, string(obj["warnings"]), fmt.Sprintf("repos/%s/releases/%d", repo, rels[0].ID))
}

func TestUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "--help", args: []string{"--help"}, code: 0, stdout: "Usage:"},
		{name: "help", args: []string{"help"}, code: 0, stdout: "Exit status"},
		{name: "-h", args: []string{"-h"}, code: 0, stdout: "release-preflight probe"},
		{name: "command -h", args: []string{"probe", "-h"}, code: 0, stdout: "--run-attempt N"},
		{name: "help command", args: []string{"help", "probe"}, code: 0, stdout: "--run-attempt N"},
		{name: "no command", args: nil, code: 2, stderr: "Usage:"},
		{name: "unknown command", args: []string{"deploy"}, code: 2, stderr: `unknown command "deploy"`},
		{name: "unknown flag", args: []string{"probe", "--token", "x"}, code: 2, stderr: "flag provided but not defined: --token: Run release-preflight probe --help for its flags"},
		{name: "stray argument", args: []string{"probe", "--repo", repo, "now"}, code: 2, stderr: `unexpected argument "now"`},
		{name: "stray argument to sweep", args: []string{"sweep", "--repo", repo, "all"}, code: 2, stderr: `unexpected argument "all"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})

			res := run(t, srv, env{"GITHUB_TOKEN": tokWrite, "GITHUB_API_URL": srv.APIURL()}, tc.args...)

			assert.Equal(t, tc.code, res.code)
			assert.Empty(t, srv.Requests(), "usage errors send nothing")
			if tc.stdout != "" {
				assert.Contains(t, res.stdout, tc.stdout)
			}
			if tc.stderr != "" {
				assert.Contains(t, res.stderr, tc.stderr)
			}
			assertNoToken(t, res.stdout, res.stderr)
		})
	}
}

// BenchmarkProbeClamped measures how long the CLI takes to reject a clamped token against
// the emulator on loopback: the whole point is that this takes about one round trip.
func BenchmarkProbeClamped(b *testing.B) {
	srv := newServer(b, emulator.Options{})
	e := env{"GITHUB_REPOSITORY": repo, "GITHUB_API_URL": srv.APIURL()}
	runs := 0
	for b.Loop() {
		if runs%500 == 0 {
			// A fresh token before the emulator's hourly budget of 1,000 requests runs out.
			e["GITHUB_TOKEN"] = fmt.Sprintf("ghs_benchmarkClamped%d", runs)
			srv.AddToken(e["GITHUB_TOKEN"], emulator.ModeClamped)
		}
		runs++
		// The emulator's own client, not the validated one: the benchmark times the CLI, and
		// the tests validate the same requests.
		c := &CLI{Stdout: io.Discard, Stderr: io.Discard, Getenv: e.get, httpClient: srv.Client()}
		if code := c.Run(b.Context(), []string{"probe"}); code != 3 {
			b.Fatalf("exit %d, want 3", code)
		}
	}
	b.ReportMetric(float64(len(srv.Requests()))/float64(runs), "requests/op")
}
