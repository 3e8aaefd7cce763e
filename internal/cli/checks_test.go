package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

const (
	// released is the commit the tests release (--commit, $GITHUB_SHA).
	released = "1111111111111111111111111111111111111111"
	other    = "2222222222222222222222222222222222222222"
	// full is what the checks of a tag cost: the releases, the immutable-releases setting, the
	// tag, the tag rulesets, the latest release and the rate limit.
	full = 6
)

// checkFailures are the failures the checks predict, each set up in the emulator.
var checkFailures = []struct {
	name    string
	setup   func(srv *emulator.Server)
	args    []string
	env     env
	class   string
	code    int
	message string // in the first line
	fix     string // in the check's line
	extra   int    // requests beyond the probe's 3 and the checks' 6
}{
	{name: "published release", setup: func(srv *emulator.Server) {
		srv.SeedRelease(repo, emulator.Release{TagName: "v1.0.0", TargetCommitish: released})
	}, class: "conflict", code: 1, message: "release v1.0.0 is already published", fix: "Pass it with --replace-assets."},
	{name: "immutable release", setup: func(srv *emulator.Server) {
		srv.SeedRelease(repo, emulator.Release{TagName: "v1.0.0", TargetCommitish: released, Immutable: true})
	}, args: []string{"--replace-assets"}, class: "release-immutable", code: 3, message: "is published and immutable", fix: "Release under a new tag"},
	{name: "tag at another commit", setup: func(srv *emulator.Server) { srv.AddTagAt(repo, "v1.0.0", other) },
		class: "tag-conflict", code: 1, message: "tag v1.0.0 exists at commit " + other + ", but the commit being released is " + released, fix: "Pass it with --commit."},
	{name: "tag ruleset", setup: func(srv *emulator.Server) {
		srv.AddRuleset(repo, emulator.Ruleset{Name: "release tags", Include: []string{"refs/tags/v*"}, Rules: []string{"creation"}})
	}, class: "tag-protected", code: 3, message: `ruleset "release tags"`, fix: "/octo-org/hello/rules/", extra: 1},
	{name: "asset limit", setup: func(srv *emulator.Server) {
		var assets []emulator.Asset
		for i := range 998 {
			assets = append(assets, emulator.Asset{Name: fmt.Sprintf("old_%d", i), Content: []byte("x")})
		}
		srv.SeedRelease(repo, emulator.Release{TagName: "v1.0.0", Draft: true, Assets: assets})
	}, class: "asset-limit", code: 3, message: "1001 assets", fix: "Bundle the files into fewer archives, or delete assets the draft does not need."},
	// The probe's answers show 6 left, fewer than the checks and the publish need, the reset an
	// hour away: nothing more is sent.
	{name: "rate limit", setup: func(srv *emulator.Server) { srv.SetRateUsed(tokWrite, 991) },
		class: "rate-limited", code: 4, message: "the probe's answers show 6 of the token's 1000 requests left until the rate limit resets at",
		fix: "when the rate limit resets", extra: -full},
	// The prediction: two left, the probe's create and delete spend them, and not one
	// more request is sent — neither the probe's look for leftovers nor the checks' reads.
	{name: "two requests left", setup: func(srv *emulator.Server) { srv.SetRateUsed(tokWrite, 998) },
		class: "rate-limited", code: 4, message: "the probe's answers show 0 of the token's 1000 requests left",
		fix: "when the rate limit resets", extra: -full - 1},
	{name: "attestations without OIDC", args: []string{"--attestations"},
		class: "oidc-missing", code: 3, message: "attestations need an OIDC token", fix: "`permissions: id-token: write`", extra: 1},
	{name: "attestations in a user's private repository", setup: func(srv *emulator.Server) {
		srv.AddRepoWith(repo, emulator.RepoOptions{OwnerType: "User"})
	}, args: []string{"--attestations"}, env: env{"ACTIONS_ID_TOKEN_REQUEST_URL": "https://oidc.example/x", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "oidc-secret"},
		class: "attestations-unavailable", code: 3, message: "owned by the user octo-org", fix: "Make the repository public", extra: 1},
}

// failedCheckLine is the line of the human report that lists the failing check.
func failedCheckLine(t *testing.T, out string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  fail    ") {
			return line
		}
	}
	t.Errorf("no failing check in:\n%s", out)
	return ""
}

// onlyProbeWrites asserts that, after the probe's create and delete, GitHub saw only reads.
func onlyProbeWrites(t *testing.T, srv *emulator.Server) {
	t.Helper()
	reqs := srv.Requests()
	require.GreaterOrEqual(t, len(reqs), 2)
	for _, r := range reqs[2:] {
		assert.Equal(t, http.MethodGet, r.Method, "nothing but reads after the probe: %s %s", r.Method, r.Path)
	}
}

// Each failure the checks predict stops `release` before the first go build: its class, exit
// code, message and fix, with nothing built, uploaded or changed.
func TestReleaseStopsBeforeBuildingWhenACheckFails(t *testing.T) {
	t.Parallel()
	for _, tc := range checkFailures {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			if tc.setup != nil {
				tc.setup(srv)
			}
			before := srv.Releases(repo)
			out := filepath.Join(t.TempDir(), "dist")
			e := buildEnv(tokWrite)
			for k, v := range tc.env {
				e[k] = v
			}
			res := run(t, srv, e, append([]string{"release", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
				"--source", helloSource(t), "--platforms", platforms, "--commit", released, "--out", out}, tc.args...)...)

			assert.Equal(t, tc.code, res.code)
			first, _, _ := strings.Cut(res.stderr, "\n")
			assert.Contains(t, first, tc.message)
			if m := humanClass.FindStringSubmatch(res.stderr); assert.NotNil(t, m) {
				assert.Equal(t, tc.class, m[1])
			}
			assert.Contains(t, failedCheckLine(t, res.stderr), tc.fix)
			assert.Empty(t, res.builds, "the compiler never ran")
			assert.NoDirExists(t, out)
			assert.Len(t, srv.Requests(), probed+full+tc.extra, "%v", requestLines(srv))
			onlyProbeWrites(t, srv)
			assert.Equal(t, before, srv.Releases(repo), "nothing changed on GitHub")
			assertNoToken(t, res.stdout, res.stderr)
			assert.NotContains(t, res.stdout+res.stderr, "oidc-secret")
		})
	}
}

// The same failures stop `publish` before anything is written or uploaded, and print the
// checks in --json.
func TestPublishStopsBeforeUploadingWhenACheckFails(t *testing.T) {
	t.Parallel()
	for _, tc := range checkFailures {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			if tc.setup != nil {
				tc.setup(srv)
			}
			before := srv.Releases(repo)
			dir := writeFiles(t, map[string]string{"tool_linux_amd64.tar.gz": "linux", "tool_windows_amd64.zip": "windows"})
			e := ghEnv(tokWrite)
			e["GITHUB_SHA"] = released
			for k, v := range tc.env {
				e[k] = v
			}
			res := run(t, srv, e, append([]string{"publish", "--json", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
				"--assets", dir}, tc.args...)...)

			assert.Equal(t, tc.code, res.code)
			obj := decodeOne(t, res.stdout)
			assert.Equal(t, tc.class, str(t, obj, "class"))
			assert.Contains(t, str(t, obj, "message"), tc.message)
			var checks []map[string]string
			require.NoError(t, json.Unmarshal(obj["checks"], &checks))
			require.Len(t, checks, 10)
			var failed []map[string]string
			for _, c := range checks {
				assert.Equal(t, []string{"fix", "message", "name", "status"}, slices.Sorted(maps.Keys(c)))
				if c["status"] == "fail" {
					failed = append(failed, c)
				}
			}
			require.Len(t, failed, 1, "%v", checks)
			assert.Contains(t, failed[0]["fix"], tc.fix)
			assert.Equal(t, probed+full+tc.extra, int(num(t, obj, "requests")))
			onlyProbeWrites(t, srv)
			assert.Equal(t, before, srv.Releases(repo), "nothing uploaded")
			assert.NoFileExists(t, filepath.Join(dir, "SHA256SUMS"), "nothing written")
		})
	}
}

// The tale that opened the issue: `release --tag v1.2.3` of a published release used to build
// every target and fail at the end. Now it fails before the first go build, naming the fix.
func TestReleaseOfAPublishedTagBuildsNothing(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	srv.SeedRelease(repo, emulator.Release{TagName: "v1.2.3"})
	res := run(t, srv, buildEnv(tokWrite), "release", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.2.3",
		"--source", helloSource(t))
	assert.Equal(t, 1, res.code)
	assert.Empty(t, res.builds, "no go build ran")
	assert.Contains(t, res.stderr, "error: check the release of v1.2.3 in octo-org/hello: release v1.2.3 is already published")
	assert.NotContains(t, res.stderr, "built linux/")
}

// probe runs the checks it has the input for: without --tag those that need none, with --tag
// (and --assets, --commit) all of them.
func TestProbeChecks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		setup    func(srv *emulator.Server)
		args     []string
		code     int
		requests int
		lines    []string // lines of the human report
	}{
		{name: "without a tag", code: 0, requests: probed + tagless, lines: []string{
			"  skipped release               no tag was given: Pass the tag to run it. Pass it with --tag.",
			"  skipped asset-budget          the files to publish are not known yet",
			"  ok      rate-budget           publishing needs about 6 requests and one per file",
		}},
		{name: "with a tag, assets and a commit", args: []string{"--tag", "v1.0.0", "--assets", "ASSETS", "--commit", released},
			code: 0, requests: probed + full, lines: []string{
				"  ok      release               no release for v1.0.0 yet",
				"  ok      tag                   tag v1.0.0 does not exist yet: publishing creates it at the default branch",
				"  ok      asset-budget          2 assets of GitHub's 1000 per release, each under 2 GiB",
				"  ok      latest                octo-org/hello has no latest release yet: v1.0.0 becomes it",
			}},
		{name: "a published release fails the probe", setup: func(srv *emulator.Server) { srv.SeedRelease(repo, emulator.Release{TagName: "v1.0.0"}) },
			args: []string{"--tag", "v1.0.0"}, code: 1, requests: probed + full, lines: []string{
				"  fail    release               release v1.0.0 is already published",
				"  skipped tag                   tag v1.0.0 exists at commit",
			}},
		{name: "with --replace-assets it passes", setup: func(srv *emulator.Server) { srv.SeedRelease(repo, emulator.Release{TagName: "v1.0.0"}) },
			args: []string{"--tag", "v1.0.0", "--replace-assets"}, code: 0, requests: probed + full, lines: []string{
				"  ok      release               release v1.0.0 is published",
			}},
		{name: "a ruleset GitHub hides is skipped", setup: func(srv *emulator.Server) {
			srv.Inject(emulator.Fault{PathContains: "/rulesets", Status: 404, Times: -1})
		}, args: []string{"--tag", "v1.0.0"}, code: 0, requests: probed + full, lines: []string{
			"  skipped tag-rulesets          GitHub answered 404 to listing the tag rulesets for this token",
		}},
		{name: "a token about to expire warns", setup: func(srv *emulator.Server) { srv.SetTokenExpiry(tokWrite, time.Now().Add(10*time.Minute)) },
			args: []string{"--expected-run-time", "2h"}, code: 0, requests: probed + tagless, lines: []string{
				"  warn    token-expiry          the token expires at",
				"before the run is expected to end (in 2h0m0s): Use a token that outlives the run",
			}},
		{name: "a bad latest is refused before any request", args: []string{"--latest", "maybe"}, code: 2, requests: 0},
		{name: "a bad run time is refused before any request", args: []string{"--expected-run-time", "soon"}, code: 2, requests: 0},
		{name: "a clamped token is still told after one request", args: []string{"--tag", "v1.0.0"}, code: 3, requests: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			if tc.setup != nil {
				tc.setup(srv)
			}
			token := tokWrite
			if tc.code == 3 {
				token = tokClamped
			}
			args := []string{"probe", "--repo", repo, "--api-url", srv.APIURL()}
			for _, a := range tc.args {
				if a == "ASSETS" {
					a = writeFiles(t, map[string]string{"tool.tar.gz": "bytes"})
				}
				args = append(args, a)
			}
			res := run(t, srv, ghEnv(token), args...)

			assert.Equal(t, tc.code, res.code)
			assert.Len(t, srv.Requests(), tc.requests, "%v", requestLines(srv))
			for _, line := range tc.lines {
				assert.Contains(t, res.stdout+res.stderr, line)
			}
			if tc.code == 3 {
				assert.NotContains(t, res.stderr, "checks:", "no check runs for a token that cannot publish")
			}
			onlyProbeWritesIfProbed(t, srv)
		})
	}
}

func onlyProbeWritesIfProbed(t *testing.T, srv *emulator.Server) {
	t.Helper()
	if len(srv.Requests()) >= 2 {
		onlyProbeWrites(t, srv)
	}
}

// In GitHub Actions, a check that warns is an annotation, and the job summary has the table.
func TestChecksInGitHubActions(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	srv.AddRuleset(repo, emulator.Ruleset{Name: "trial", Enforcement: "evaluate", Include: []string{"~ALL"}, Rules: []string{"creation"}})
	summary := filepath.Join(t.TempDir(), "summary.md")
	e := env{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary, "GITHUB_TOKEN": tokWrite, "GITHUB_REPOSITORY": repo,
		"GITHUB_API_URL": srv.APIURL(), "GITHUB_SHA": released, "GITHUB_REF_NAME": "v1.0.0"}

	res := run(t, srv, e, "probe", "--tag", "v1.0.0")

	require.Equal(t, 0, res.code)
	line := commandLine(t, res.stdout, "::warning title=release-preflight check tag-rulesets::")
	assert.Contains(t, line, `ruleset "trial"`)
	b, err := os.ReadFile(summary)
	require.NoError(t, err)
	assert.Contains(t, string(b), "| Check | Status | Message | Fix |")
	assert.Contains(t, string(b), "| `tag-rulesets` | ⚠️ warn |")
}

func TestChecksUsage(t *testing.T) {
	t.Parallel()
	res := run(t, nil, env{}, "--help")
	for _, want := range []string{"--attestations", "--latest true|false|auto", "--expected-run-time", "probe   --repo OWNER/NAME [--tag TAG] [--assets DIR]",
		"immutable release, tag ruleset, asset limit"} {
		assert.Contains(t, res.stdout, want)
	}
	for _, cmd := range []string{"probe", "release", "publish"} {
		res := run(t, nil, env{}, cmd, "-h")
		for _, flag := range []string{"--attestations", "--latest", "--expected-run-time", "--commit"} {
			assert.Contains(t, res.stdout, flag, "%s -h", cmd)
		}
	}
}
