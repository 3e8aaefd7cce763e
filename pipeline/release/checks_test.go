package release_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/checks"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

const otherCommit = "0123456789abcdef0123456789abcdef01234567"

// checkOf returns the check called name in rep.
func checkOf(t *testing.T, rep report.Report, name string) report.Check {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %s in %+v", name, rep.Checks)
	return report.Check{}
}

// onlyProbeWrites asserts that, after the probe's create and delete, GitHub saw only reads.
func onlyProbeWrites(t *testing.T, srv *server) {
	t.Helper()
	reqs := srv.Requests()
	require.GreaterOrEqual(t, len(reqs), 2)
	assert.Equal(t, http.MethodPost, reqs[0].Method, "the probe's create")
	assert.Equal(t, http.MethodDelete, reqs[1].Method, "the probe's delete")
	for _, r := range reqs[2:] {
		assert.Equal(t, http.MethodGet, r.Method, "nothing but reads after the probe: %s %s", r.Method, r.Path)
	}
}

// preflightFailures are failures the checks predict, each set up in the emulator.
var preflightFailures = []struct {
	name     string
	setup    func(srv *server)
	co       checks.Options
	check    string
	class    outcome.Class
	exit     int
	message  string
	requests int
}{
	{name: "published release", setup: func(srv *server) { srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0"}) },
		check: "release", class: outcome.Conflict, exit: 1, message: "release v1.0.0 is already published", requests: preflightRequests},
	{name: "immutable release", setup: func(srv *server) {
		srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Immutable: true})
	}, check: "release", class: outcome.ReleaseImmutable, exit: 3, message: "is published and immutable", requests: preflightRequests},
	{name: "tag at another commit", setup: func(srv *server) { srv.AddTagAt(fullRepo, "v1.0.0", otherCommit) },
		co: checks.Options{Commit: "fedcba9876543210fedcba9876543210fedcba98"}, check: "tag", class: outcome.TagConflict, exit: 1,
		message: "tag v1.0.0 exists at commit " + otherCommit + ", but the commit being released is fedcba9876543210fedcba9876543210fedcba98", requests: preflightRequests},
	{name: "tag ruleset", setup: func(srv *server) {
		srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "release tags", Include: []string{"refs/tags/v*"}, Rules: []string{"creation"}})
	}, check: "tag-rulesets", class: outcome.TagProtected, exit: 3, message: `ruleset "release tags"`, requests: preflightRequests + 1},
	{name: "asset limit with the draft's assets", setup: func(srv *server) {
		var assets []emulator.Asset
		for i := range 999 {
			assets = append(assets, emulator.Asset{Name: fmt.Sprintf("old_%d", i), Content: []byte("x")})
		}
		srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Draft: true, Assets: assets})
	}, check: "asset-budget", class: outcome.AssetLimit, exit: 3, message: "1002 assets", requests: preflightRequests},
	// 991 spent: the probe's answers show 6 left, fewer than the checks' reads and the publish
	// need, and the reset an hour away: nothing is sent after the probe.
	{name: "rate limit spent", setup: func(srv *server) { srv.SetRateUsed(tokWrite, 991) },
		check: "rate-budget", class: outcome.RateLimited, exit: 4,
		message: "the probe's answers show 6 of the token's 1000 requests left until the rate limit resets at", requests: 3},
	// Two left: the probe's create and delete spend them, and it does not even list.
	{name: "two requests left, the reset an hour away", setup: func(srv *server) { srv.SetRateUsed(tokWrite, 998) },
		check: "rate-budget", class: outcome.RateLimited, exit: 4,
		message: "the probe's answers show 0 of the token's 1000 requests left", requests: 2},
	{name: "attestations without OIDC", co: checks.Options{Attestations: true},
		check: "oidc", class: outcome.OIDCMissing, exit: 3, message: "attestations need an OIDC token", requests: preflightRequests + 1},
	{name: "attestations in a user's private repository", setup: func(srv *server) {
		srv.AddRepoWith(fullRepo, emulator.RepoOptions{OwnerType: "User"})
	}, co: checks.Options{Attestations: true, OIDC: checks.OIDC{RequestURL: "https://oidc.example", RequestToken: "t"}},
		check: "attestations", class: outcome.AttestationsUnavailable, exit: 3, message: "owned by the user octo-org", requests: preflightRequests + 1},
}

// Each failure the checks predict stops a release before anything is built or uploaded.
func TestReleaseStopsBeforeBuildingWhenACheckFails(t *testing.T) {
	t.Parallel()
	for _, tc := range preflightFailures {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			if tc.setup != nil {
				tc.setup(srv)
			}
			before := srv.Releases(fullRepo)
			b := &counting{}
			bo := buildOpts(t)
			rep, err := release.Release(t.Context(), request(srv, tokWrite).with(tc.co, publish.Options{Tag: "v1.0.0"}, bo), b.build)
			require.Error(t, err)
			assert.Equal(t, tc.class, outcome.ClassOf(err))
			assert.Equal(t, string(tc.class), rep.Class)
			assert.Equal(t, tc.exit, outcome.Class(rep.Class).ExitCode())
			assert.Contains(t, rep.Message, tc.message)
			assert.Equal(t, "release", rep.Command)
			assert.Equal(t, "fail", checkOf(t, rep, tc.check).Status)
			assert.Len(t, rep.Checks, len(checks.Names()), "every check is reported")
			assert.NotEmpty(t, rep.Remediation, "the fix")
			assert.Zero(t, b.runs.Load(), "nothing was built")
			assert.NoDirExists(t, bo.OutDir)
			assert.Equal(t, tc.requests, rep.Requests)
			assert.Len(t, srv.Requests(), tc.requests)
			onlyProbeWrites(t, srv)
			assert.Equal(t, before, srv.Releases(fullRepo), "nothing changed on GitHub")
		})
	}
}

// The same failures stop a publish before the first upload.
func TestPublishStopsBeforeUploadingWhenACheckFails(t *testing.T) {
	t.Parallel()
	for _, tc := range preflightFailures {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			if tc.setup != nil {
				tc.setup(srv)
			}
			before := srv.Releases(fullRepo)
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "app.tar.gz"), []byte("bytes"), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "app.zip"), []byte("zip"), 0o644))
			rep, err := release.Publish(t.Context(), request(srv, tokWrite).with(tc.co, publish.Options{Tag: "v1.0.0", AssetsDir: dir}, build.Options{}), nil)
			require.Error(t, err)
			assert.Equal(t, tc.class, outcome.ClassOf(err))
			assert.Equal(t, tc.exit, outcome.Class(rep.Class).ExitCode())
			assert.Contains(t, rep.Message, tc.message)
			assert.Equal(t, "publish", rep.Command)
			assert.Equal(t, "fail", checkOf(t, rep, tc.check).Status)
			assert.Equal(t, tc.requests, rep.Requests)
			onlyProbeWrites(t, srv)
			assert.Equal(t, before, srv.Releases(fullRepo), "nothing uploaded")
			assert.Equal(t, []string{"app.tar.gz", "app.zip"}, dirNames(t, dir), "not even SHA256SUMS was written")
		})
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// A publish whose files a fetcher writes (a Dagger build) checks everything else before the
// fetch, and the asset budget after it, before any upload.
func TestPublishChecksFetchedFilesBeforeUploading(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(srv *server)
		class outcome.Class
		fetch bool
	}{
		{name: "a failing check stops before the fetch", setup: func(srv *server) {
			srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0"})
		}, class: outcome.Conflict},
		{name: "the asset budget stops after the fetch", setup: func(srv *server) {
			var assets []emulator.Asset
			for i := range 999 {
				assets = append(assets, emulator.Asset{Name: fmt.Sprintf("old_%d", i), Content: []byte("x")})
			}
			srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Draft: true, Assets: assets})
		}, class: outcome.AssetLimit, fetch: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			tc.setup(srv)
			var fetched atomic.Int64
			fetch := func(_ context.Context, dir string) error {
				fetched.Add(1)
				return os.WriteFile(filepath.Join(dir, "tool_linux_amd64"), []byte("binary"), 0o755)
			}
			rep, err := release.Publish(t.Context(), request(srv, tokWrite).with(checks.Options{}, publish.Options{Tag: "v1.0.0"}, build.Options{}), fetch)
			assert.Equal(t, tc.class, outcome.ClassOf(err))
			assert.Equal(t, tc.fetch, fetched.Load() == 1, "fetched")
			onlyProbeWrites(t, srv)
			if tc.fetch {
				c := checkOf(t, rep, "asset-budget")
				assert.Equal(t, "fail", c.Status)
				assert.Contains(t, c.Message, "1001 assets (2 files and 999 kept from the draft)", "the file and its SHA256SUMS")
			}
		})
	}
}

// A passing preflight costs the probe's three requests (create, delete, look for leftovers),
// one per check that reads and one per tag ruleset; a clamped token is still told after
// exactly one.
func TestPreflightRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		token    string
		p        publish.Options
		co       checks.Options
		rulesets int
		requests int
	}{
		{name: "clamped", token: tokClamped, p: publish.Options{Tag: "v1.0.0"}, requests: 1},
		{name: "no tag", token: tokWrite, requests: 3 + 3},
		{name: "tag", token: tokWrite, p: publish.Options{Tag: "v1.0.0"}, requests: preflightRequests},
		{name: "tag and two rulesets", token: tokWrite, p: publish.Options{Tag: "v1.0.0"}, rulesets: 2, requests: preflightRequests + 2},
		{name: "with attestations", token: tokWrite, p: publish.Options{Tag: "v1.0.0"},
			co: checks.Options{Attestations: true, OIDC: checks.OIDC{RequestURL: "u", RequestToken: "t"}}, requests: preflightRequests + 1},
		{name: "latest decided", token: tokWrite, p: publish.Options{Tag: "v1.0.0"}, co: checks.Options{Latest: "false"}, requests: preflightRequests - 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			for i := range tc.rulesets {
				srv.AddRuleset(fullRepo, emulator.Ruleset{Name: fmt.Sprint("r", i), Include: []string{"refs/tags/other-*"}, Rules: []string{"creation"}})
			}
			rep, err := release.Probe(t.Context(), request(srv, tc.token).with(tc.co, tc.p, build.Options{}), nil)
			assert.Equal(t, tc.requests, rep.Requests)
			assert.Len(t, srv.Requests(), tc.requests)
			if tc.token == tokClamped {
				assert.Equal(t, outcome.Clamped, outcome.ClassOf(err))
				assert.Empty(t, rep.Checks, "no check runs for a token that cannot publish")
				return
			}
			require.NoError(t, err)
			assert.Len(t, rep.Checks, len(checks.Names()))
			assert.Equal(t, "probe", rep.Command)
			assert.Equal(t, tc.p.Tag, rep.Tag)
		})
	}
}

func TestProbeReportsTheChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SeedRelease(fullRepo, emulator.Release{TagName: "v2.0.0"})
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.tar.gz"), []byte("a"), 0o644))

	rep, err := release.Probe(t.Context(), request(srv, tokWrite).with(checks.Options{}, publish.Options{Tag: "v1.0.0", AssetsDir: dir}, build.Options{}), nil)
	require.NoError(t, err)
	assert.Equal(t, "GitHub write permission confirmed in octo-org/hello: draft release created and deleted; checks: 7 ok, 3 skipped", rep.Message)
	assert.Equal(t, "ok", checkOf(t, rep, "asset-budget").Status)
	assert.Contains(t, checkOf(t, rep, "asset-budget").Message, "2 assets", "the file and the SHA256SUMS publish adds")
	assert.Contains(t, checkOf(t, rep, "latest").Message, "published with make_latest false")
	assert.Contains(t, rep.Human(), "checks:\n  ok      release")
	assert.Equal(t, []string{"a.tar.gz"}, dirNames(t, dir), "the probe writes nothing")

	none, err := release.Probe(t.Context(), request(srv, tokWrite).with(checks.Options{}, publish.Options{}, build.Options{}), nil)
	require.NoError(t, err)
	assert.Equal(t, "skipped", checkOf(t, none, "release").Status)
	assert.Equal(t, "skipped", checkOf(t, none, "asset-budget").Status)

	_, err = release.Probe(t.Context(), request(srv, tokWrite).with(checks.Options{Latest: "sometimes"}, publish.Options{}, build.Options{}), nil)
	assert.Equal(t, outcome.InvalidInput, outcome.ClassOf(err), "bad input is refused before any request")
}

// A probe's fetcher (the Dagger module's export of the assets to check) runs only once the
// probe has passed, and its files are checked.
func TestProbeFetchesAfterTheProbe(t *testing.T) {
	t.Parallel()
	for _, token := range []string{tokClamped, tokWrite} {
		srv := newServer(t)
		var fetched atomic.Int64
		fetch := func(_ context.Context, dir string) error {
			fetched.Add(1)
			return os.WriteFile(filepath.Join(dir, "tool_linux_amd64"), []byte("binary"), 0o755)
		}
		rep, err := release.Probe(t.Context(), request(srv, token).with(checks.Options{}, publish.Options{Tag: "v1.0.0"}, build.Options{}), fetch)
		if token == tokClamped {
			require.Error(t, err)
			assert.Zero(t, fetched.Load(), "a clamped token never gets the build run")
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, int64(1), fetched.Load())
		assert.Contains(t, checkOf(t, rep, "asset-budget").Message, "2 assets", "the file and the SHA256SUMS publish adds")
	}
}

// What the checks decide reaches GitHub: a tag lower than the latest release is published
// with make_latest false (the latest stays), and a publish of a directory a published release
// already holds exactly is a success with nothing to do, not a conflict.
func TestPublishDoesWhatTheChecksDecided(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SeedRelease(fullRepo, emulator.Release{TagName: "v2.0.0"})
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.tar.gz"), []byte("v1.1.0"), 0o644))
	opts := publish.Options{Tag: "v1.1.0", AssetsDir: dir}

	rep, err := release.Publish(t.Context(), request(srv, tokWrite).with(checks.Options{}, opts, build.Options{}), nil)
	require.NoError(t, err)
	assert.Contains(t, checkOf(t, rep, "latest").Message, "published with make_latest false")
	latest := latestTag(t, srv)
	assert.Equal(t, "v2.0.0", latest, "the lower tag did not become the latest")

	rep, err = release.Publish(t.Context(), request(srv, tokWrite).with(checks.Options{}, opts, build.Options{}), nil)
	require.NoError(t, err, "a re-run converges")
	assert.Equal(t, "ok", checkOf(t, rep, "release").Status)
	assert.Contains(t, rep.Message, "was already published with these 2 assets; nothing to do")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.tar.gz"), []byte("v1.1.0, rebuilt"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(dir, "SHA256SUMS")), "the first publish wrote it beside the file")
	rep, err = release.Publish(t.Context(), request(srv, tokWrite).with(checks.Options{}, opts, build.Options{}), nil)
	assert.Equal(t, outcome.Conflict, outcome.ClassOf(err))
	assert.Contains(t, checkOf(t, rep, "release").Message, "app.tar.gz differs")
}

// latestTag is the tag of the repository's latest release, as GitHub answers it.
func latestTag(t *testing.T, srv *server) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.APIURL()+"repos/"+fullRepo+"/releases/latest", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tokWrite)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var rel struct {
		TagName string `json:"tag_name"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&rel))
	return rel.TagName
}

// BenchmarkPreflight measures a full passing preflight of a tag, probe included, and reports
// the requests it sends.
func BenchmarkPreflight(b *testing.B) {
	srv := newServer(b, emulatortest.WithoutConformance()) // what is measured is the product's time, not the checker's
	srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "tags", Include: []string{"refs/tags/other-*"}, Rules: []string{"creation"}})
	r := request(srv, tokWrite).with(checks.Options{}, publish.Options{Tag: "v1.0.0"}, build.Options{})
	var requests int
	for b.Loop() {
		srv.SetRateUsed(tokWrite, 0) // the emulator's hourly limit would run out
		rep, err := release.Probe(b.Context(), r, nil)
		if err != nil {
			b.Fatal(err)
		}
		requests = rep.Requests
	}
	b.ReportMetric(float64(requests), "requests/op")
}

// The publish's pre-release flag and the latest check read every tag alike, and what the check
// says becomes of the latest release is what GitHub then shows: v1.2.3-rc.01 is no semantic
// version (a leading zero), so it is published as a full release and, not comparable with
// v1.0.0, GitHub makes it the latest, as the check says.
func TestPrereleaseAndLatestAgree(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tag        string
		prerelease bool
		becomes    bool   // it becomes the latest release
		says       string // in the latest check's message
	}{
		{"v1.2.3-rc.01", false, true, "are not both semantic versions"},
		{"v1.2.3-rc.1", true, false, "is a pre-release, which never becomes the latest release"},
		{"v1.2.3", false, true, "is higher than the latest release v1.0.0"},
		{"v0.9.0", false, false, "is lower than the latest release v1.0.0"},
		{"v0.9.0-beta.1", true, false, "is a pre-release"},
		{"v1.2", false, true, "are not both semantic versions"},
		{"nightly-2026-12-07", false, true, "are not both semantic versions"},
	}
	for _, tc := range tests {
		t.Run(tc.tag, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0"})
			require.Equal(t, "v1.0.0", latestTag(t, srv))
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "app.tar.gz"), []byte("app "+tc.tag), 0o644))
			rep, err := release.Publish(t.Context(), request(srv, tokWrite).with(checks.Options{}, publish.Options{Tag: tc.tag, AssetsDir: dir}, build.Options{}), nil)
			require.NoError(t, err)
			assert.Contains(t, checkOf(t, rep, "latest").Message, tc.says)
			var published emulator.Release
			for _, r := range srv.Releases(fullRepo) {
				if r.TagName == tc.tag {
					published = r
				}
			}
			require.False(t, published.Draft, "published")
			assert.Equal(t, tc.prerelease, published.Prerelease, "the pre-release flag GitHub holds")
			want := "v1.0.0"
			if tc.becomes {
				want = tc.tag
			}
			assert.Equal(t, want, latestTag(t, srv), "the latest release GitHub shows")
		})
	}
}
