package release_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/internal/sample"
	"github.com/release-preflight/release-preflight/internal/testkit"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/checks"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

const (
	fullRepo   = "octo-org/hello"
	tokWrite   = "ghs_writeTOKENforTheReleasePackageTests"
	tokClamped = "ghs_clampedTOKENforTheReleasePackageTests"
)

var repo = githubapi.Repo{Owner: "octo-org", Name: "hello"}

var probeOpts = probe.Options{Repo: repo, RunID: "7"}

// preflightRequests is what the probe and the checks of a release cost when nothing is in the
// way: the probe's create and delete; the releases, the immutable-releases setting, the tag,
// the tag rulesets, the latest release and the rate limit.
const preflightRequests = 3 + 6

// server is a test's emulator, with the repository and a write and a clamped token.
type server struct {
	*emulator.Server
	env *emulatortest.Env
}

// newServer starts the emulator of a test; its traffic is validated against GitHub's
// description unless opts say otherwise.
func newServer(t testing.TB, opts ...emulatortest.Option) *server {
	t.Helper()
	e := emulatortest.Setup(t, append([]emulatortest.Option{emulatortest.WithRepo(fullRepo), emulatortest.WithToken(tokWrite),
		emulatortest.WithExtraToken(tokClamped, emulator.ModeClamped)}, opts...)...)
	return &server{Server: e.Server, env: e}
}

// gitHub reaches srv as token, with retries that never wait.
func gitHub(srv *server, token string) githubapi.Config { return srv.env.GitHub(token) }

func newClient(t testing.TB, srv *server, token string) *githubapi.Client {
	t.Helper()
	return srv.env.ClientFor(t, token)
}

// testRequest is the command line's request to srv, for the tests' repository.
type testRequest struct{ release.Request }

// request is a request to srv as token, for the tests' repository, the probe named by run 7.
func request(srv *server, token string) testRequest {
	return testRequest{release.Request{Adapter: release.CLI, GitHub: gitHub(srv, token), Repo: fullRepo, Probe: probeOpts}}
}

// with is r with the options of the checks, the publish and the build.
func (r testRequest) with(co checks.Options, po publish.Options, bo build.Options) release.Request {
	r.Checks, r.Publish, r.Build = co, po, bo
	return r.Request
}

// counting is a builder that counts its runs and builds with build.Run, or fails with err.
type counting struct {
	runs atomic.Int64
	err  error
}

func (c *counting) build(ctx context.Context, o build.Options) (build.Result, error) {
	c.runs.Add(1)
	if c.err != nil {
		return build.Result{}, c.err
	}
	return build.Run(ctx, o)
}

// buildOpts builds the hello sample for linux/amd64 and windows/arm64 with the fake go command.
func buildOpts(t *testing.T) build.Options {
	t.Helper()
	goBin, _ := testkit.FakeGo(t)
	src, err := sample.WriteHello(t.TempDir(), build.GoVersion)
	require.NoError(t, err)
	return build.Options{Source: src, OutDir: filepath.Join(t.TempDir(), "dist"), Version: "v1.0.0",
		Platforms: "linux/amd64,windows/arm64", SourceDateEpoch: "1767225600", GoBin: goBin}
}

var wantFiles = []string{"SHA256SUMS", "hello_1.0.0_linux_amd64.tar.gz", "hello_1.0.0_windows_arm64.zip"}

func TestOpen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		token    string
		class    string
		requests int
	}{
		{name: "write token opens the gate", token: tokWrite, class: "ok", requests: 3},
		{name: "clamped token keeps it shut", token: tokClamped, class: "clamped", requests: 1},
		{name: "unknown token keeps it shut", token: "ghp_unknownTOKEN", class: "bad-credentials", requests: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			gate, rep, err := release.Open(t.Context(), newClient(t, srv, tc.token), probeOpts)
			assert.Equal(t, tc.class, rep.Class)
			assert.Equal(t, "preflight-permcheck-run7-attempt1", rep.ProbeTag)
			assert.Equal(t, tc.requests, rep.Requests)
			assert.Len(t, srv.Requests(), tc.requests)
			assert.Empty(t, srv.Releases(fullRepo))
			if tc.class == "ok" {
				require.NoError(t, err)
				require.NotNil(t, gate)
				return
			}
			assert.Nil(t, gate, "no gate without a passed probe")
			assert.Equal(t, outcome.Class(tc.class), outcome.ClassOf(err))
		})
	}
}

func TestRelease(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b := &counting{}
	bo := buildOpts(t)
	rep, err := release.Release(t.Context(), request(srv, tokWrite).with(checks.Options{}, publish.Options{Tag: "v1.0.0"}, bo), b.build)
	require.NoError(t, err)
	assert.Equal(t, int64(1), b.runs.Load())
	assert.Equal(t, "release", rep.Command)
	assert.Equal(t, "ok", rep.Class)
	assert.Equal(t, "v1.0.0", rep.Tag)
	assert.Equal(t, "preflight-permcheck-run7-attempt1", rep.ProbeTag)
	assert.Equal(t, len(srv.Requests()), rep.Requests, "the report counts the probe's requests and the release's")
	assert.Contains(t, rep.Message, "release v1.0.0 published with 3 assets")
	assert.Contains(t, rep.ReleaseURL, "/releases/tag/v1.0.0")
	var names []string
	for _, a := range rep.Assets {
		names = append(names, a.Name)
		assert.Len(t, a.SHA256, 64, a.Name)
	}
	assert.ElementsMatch(t, wantFiles, names)
	rels := srv.Releases(fullRepo)
	require.Len(t, rels, 1)
	assert.False(t, rels[0].Draft)
	assert.Len(t, rels[0].Assets, 3)
	assert.Equal(t, []string{"v1.0.0"}, srv.Tags(fullRepo))
}

// Input that can be refused without a request is refused before the probe: nothing is sent,
// nothing is built, exit 2.
func TestReleaseRefusesBadInputBeforeTheProbe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		change    func(*build.Options, *publish.Options)
		wantInput string
	}{
		{name: "unknown platform", change: func(b *build.Options, _ *publish.Options) { b.Platforms = "ios/arm64" }, wantInput: "platforms"},
		{name: "bad tag", change: func(_ *build.Options, p *publish.Options) { p.Tag = "v1 .0" }, wantInput: "tag"},
		{name: "foreign file in the output directory", change: func(b *build.Options, _ *publish.Options) {
			require.NoError(t, os.MkdirAll(b.OutDir, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(b.OutDir, "notes.txt"), []byte("x"), 0o644))
		}, wantInput: "out"},
		{name: "negative concurrency", change: func(_ *build.Options, p *publish.Options) { p.Concurrency = -1 }, wantInput: "concurrency"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			b := &counting{}
			bo, po := buildOpts(t), publish.Options{Tag: "v1.0.0"}
			tc.change(&bo, &po)
			rep, err := release.Release(t.Context(), request(srv, tokWrite).with(checks.Options{}, po, bo), b.build)
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.wantInput, e.Input)
			assert.Equal(t, "invalid-input", rep.Class)
			assert.Equal(t, 2, outcome.Class(rep.Class).ExitCode())
			assert.Equal(t, "release", rep.Command)
			assert.Empty(t, srv.Requests(), "nothing was sent")
			assert.Zero(t, b.runs.Load(), "nothing was built")
		})
	}
}

func TestReleaseClampedBuildsNothing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b := &counting{}
	rep, err := release.Release(t.Context(), request(srv, tokClamped).with(checks.Options{}, publish.Options{Tag: "v1.0.0"}, buildOpts(t)), b.build)
	require.Error(t, err)
	assert.Equal(t, "clamped", rep.Class)
	assert.Equal(t, "release", rep.Command)
	assert.Equal(t, "v1.0.0", rep.Tag)
	assert.Equal(t, 1, rep.Requests)
	assert.Zero(t, b.runs.Load())
	assert.Contains(t, rep.Message, "Settings → Actions → General → Workflow permissions")
}

func TestReleaseBuildFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		err   error
		class string
	}{
		{name: "compile error", err: &outcome.Error{Class: outcome.BuildFailed, Op: "go build of hello (package .) for linux/amd64",
			Message: "exit status 1", Output: "./main.go:3:15: undefined: oops"}, class: "build-failed"},
		{name: "canceled", err: context.Canceled, class: "unexpected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			rep, err := release.Release(t.Context(), request(srv, tokWrite).with(checks.Options{}, publish.Options{Tag: "v1.0.0"}, buildOpts(t)), (&counting{err: tc.err}).build)
			require.ErrorIs(t, err, tc.err)
			assert.Equal(t, tc.class, rep.Class)
			assert.Equal(t, report.OutcomeFailed, rep.Outcome)
			assert.Equal(t, "release", rep.Command)
			assert.Empty(t, rep.RequiredPermissions, "a build failure is not about permissions")
			assert.Empty(t, rep.Assets)
			assert.Equal(t, preflightRequests, rep.Requests, "only the probe's and the checks'")
			assert.Len(t, srv.Requests(), preflightRequests)
			assert.Empty(t, srv.Releases(fullRepo))
		})
	}
}

func TestPublishConflict(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0"})
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.tar.gz"), []byte("bytes"), 0o644))
	rep, err := release.Publish(t.Context(), request(srv, tokWrite).with(checks.Options{}, publish.Options{Tag: "v1.0.0", AssetsDir: dir}, build.Options{}), nil)
	require.Error(t, err)
	assert.Equal(t, "conflict", rep.Class)
	assert.Equal(t, 1, outcome.Class(rep.Class).ExitCode())
	assert.Equal(t, "publish", rep.Command)
	assert.Contains(t, rep.ReleaseURL, "/releases/tag/v1.0.0")
	assert.Empty(t, rep.Assets, "nothing was published")
	assert.Len(t, srv.Releases(fullRepo), 1)
}

// A fetcher (the Dagger module's export of the caller's build) runs only once the probe has
// passed, and what it writes is published.
func TestPublishFetchesAfterTheProbe(t *testing.T) {
	t.Parallel()
	var fetched atomic.Int64
	fetch := func(_ context.Context, dir string) error {
		fetched.Add(1)
		return os.WriteFile(filepath.Join(dir, "tool_linux_amd64"), []byte("binary"), 0o755)
	}
	for _, token := range []string{tokClamped, tokWrite} {
		srv := newServer(t)
		rep, err := release.Publish(t.Context(), request(srv, token).with(checks.Options{}, publish.Options{Tag: "v1.0.0"}, build.Options{}), fetch)
		if token == tokClamped {
			require.Error(t, err)
			assert.Zero(t, fetched.Load(), "a clamped token never gets the build run")
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, int64(1), fetched.Load())
		assert.Len(t, rep.Assets, 2, "the file and the SHA256SUMS written for it")
	}
}

func TestBuild(t *testing.T) {
	t.Parallel()
	bo := buildOpts(t)
	rep, err := release.Build(t.Context(), release.Request{Build: bo}, build.Run)
	require.NoError(t, err)
	assert.Equal(t, "build", rep.Command)
	assert.Equal(t, "ok", rep.Class)
	assert.Equal(t, "built 2 archives and SHA256SUMS in "+bo.OutDir, rep.Message)
	require.Len(t, rep.Assets, 3)
	for _, a := range rep.Assets {
		assert.Len(t, a.SHA256, 64, a.Name)
	}
	failed, err := release.Build(t.Context(), release.Request{Build: buildOpts(t)}, (&counting{err: &outcome.Error{Class: outcome.BuildFailed, Message: "exit status 2"}}).build)
	require.Error(t, err)
	assert.Equal(t, "build-failed", failed.Class)
	assert.Empty(t, failed.Assets)
}

func TestSweep(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	old := srv.SeedRelease(fullRepo, emulator.Release{TagName: "preflight-permcheck-run1-attempt1", Draft: true, CreatedAt: srv.env.Clock.Now().Add(-3 * time.Hour)})
	srv.SeedRelease(fullRepo, emulator.Release{TagName: "preflight-permcheck-run2-attempt1", Draft: true})
	srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Draft: true, CreatedAt: srv.env.Clock.Now().Add(-3 * time.Hour)})
	r := request(srv, tokWrite).Request
	r.Sweep.Now = srv.env.Clock.Now
	rep, err := release.Sweep(t.Context(), r)
	require.NoError(t, err)
	assert.Equal(t, "sweep", rep.Command)
	assert.Equal(t, []string{fmt.Sprintf("preflight-permcheck-run1-attempt1 (id %d)", old.ID)}, rep.Swept)
	assert.Equal(t, "deleted 1 leftover probe draft in "+fullRepo, rep.Message)
	assert.Equal(t, len(srv.Requests()), rep.Requests)
	assert.Len(t, srv.Releases(fullRepo), 2)
}
