package release_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/githubtest"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
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

func newServer(t *testing.T) *githubtest.Server {
	t.Helper()
	srv := githubtest.NewServer(githubtest.Options{})
	t.Cleanup(srv.Close)
	srv.AddRepo(fullRepo)
	srv.AddToken(tokWrite, githubtest.ModeWrite)
	srv.AddToken(tokClamped, githubtest.ModeClamped)
	return srv
}

func newClient(t *testing.T, srv *githubtest.Server, token string) *githubapi.Client {
	t.Helper()
	c, err := githubapi.NewClient(githubapi.Config{
		Token: token, APIURL: srv.APIURL(), HTTPClient: srv.Client(),
		Retry: githubapi.RetryPolicy{Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }},
	})
	require.NoError(t, err)
	return c
}

// open runs the probe with a write token and returns the gate.
func open(t *testing.T, srv *githubtest.Server) *release.Gate {
	t.Helper()
	gate, rep, err := release.Open(t.Context(), newClient(t, srv, tokWrite), probe.Options{Repo: repo, RunID: "7"})
	require.NoError(t, err)
	require.Equal(t, report.OutcomeOK, rep.Outcome)
	return gate
}

// fakeExecutor writes a small file per job instead of compiling, and counts its runs.
type fakeExecutor struct {
	runs atomic.Int64
	err  error
}

func (f *fakeExecutor) Build(_ context.Context, plan build.Plan, _, binDir string) error {
	f.runs.Add(1)
	if f.err != nil {
		return f.err
	}
	for _, job := range plan.Jobs {
		path := filepath.Join(binDir, filepath.FromSlash(job.OutPath))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte("binary for "+job.Target.String()), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// spec builds hello for linux/amd64 and windows/arm64 from a source holding a README.
func spec(t *testing.T, exec build.Executor) release.BuildSpec {
	t.Helper()
	src := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, "README.md"), []byte("# hello\n"), 0o644))
	targets, err := build.ParsePlatforms("linux/amd64,windows/arm64")
	require.NoError(t, err)
	stamp, err := build.NewStamp("v1.0.0", "1767225600", "")
	require.NoError(t, err)
	return release.BuildSpec{
		Executor: exec,
		Config:   build.Config{Targets: targets, Stamp: stamp, GoMod: []byte("module example.com/hello\n")},
		Source:   src,
		OutDir:   filepath.Join(t.TempDir(), "dist"),
	}
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
		{name: "write token opens the gate", token: tokWrite, class: "ok", requests: 2},
		{name: "clamped token keeps it shut", token: tokClamped, class: "clamped", requests: 1},
		{name: "unknown token keeps it shut", token: "ghp_unknownTOKEN", class: "bad-credentials", requests: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)

			gate, rep, err := release.Open(t.Context(), newClient(t, srv, tc.token), probe.Options{Repo: repo, RunID: "7"})

			assert.Equal(t, tc.class, rep.Class)
			assert.Equal(t, "preflight-permcheck-run7-attempt1", rep.ProbeTag)
			assert.Equal(t, tc.requests, rep.Requests)
			assert.Len(t, srv.Requests(), tc.requests)
			assert.Empty(t, srv.Releases(fullRepo))
			if tc.class == "ok" {
				require.NoError(t, err)
				require.NotNil(t, gate)
				assert.Equal(t, rep, gate.Probe())
				return
			}
			assert.Nil(t, gate, "no gate without a passed probe")
			e, ok := githubapi.AsError(err)
			require.True(t, ok, "a classified error: %v", err)
			assert.Equal(t, githubapi.Class(tc.class), e.Class)
		})
	}
}

func TestReopen(t *testing.T) {
	t.Parallel()
	passed := report.Report{Outcome: report.OutcomeOK, Class: "ok", Repo: fullRepo}
	tests := []struct {
		name   string
		passed report.Report
		ok     bool
	}{
		{name: "passed probe of the repository", passed: passed, ok: true},
		{name: "failed probe", passed: report.Report{Outcome: report.OutcomeFailed, Class: "clamped", Repo: fullRepo}},
		{name: "probe of another repository", passed: report.Report{Outcome: report.OutcomeOK, Class: "ok", Repo: "octo-org/other"}},
		{name: "no probe", passed: report.Report{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)

			gate, err := release.Reopen(newClient(t, srv, tokWrite), repo, tc.passed)

			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, tc.passed, gate.Probe())
			} else {
				assert.Nil(t, gate)
				assert.ErrorContains(t, err, "run preflight for this repository first")
			}
			assert.Empty(t, srv.Requests(), "reopening sends nothing")
		})
	}
}

func TestGateRelease(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	gate := open(t, srv)
	exec := &fakeExecutor{}
	s := spec(t, exec)

	rep, err := gate.Release(t.Context(), s, publish.Options{Tag: "v1.0.0"})

	require.NoError(t, err)
	assert.Equal(t, int64(1), exec.runs.Load())
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
	}
	assert.ElementsMatch(t, wantFiles, names)

	rels := srv.Releases(fullRepo)
	require.Len(t, rels, 1)
	assert.False(t, rels[0].Draft)
	assert.Len(t, rels[0].Assets, 3)
	assert.Equal(t, []string{"v1.0.0"}, srv.Tags(fullRepo))
	require.NoError(t, build.VerifyChecksums(s.OutDir))
}

func TestGateReleaseBuildFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		err   error
		class string
	}{
		{name: "compile error", err: &build.BuildError{Target: build.Target{OS: "linux", Arch: "amd64"}, Package: ".", Binary: "hello",
			Stderr: "./main.go:3:15: undefined: oops", Err: &exec.ExitError{}}, class: "build-failed"},
		{name: "canceled", err: context.Canceled, class: "unexpected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			gate := open(t, srv)
			s := spec(t, &fakeExecutor{err: tc.err})

			rep, err := gate.Release(t.Context(), s, publish.Options{Tag: "v1.0.0"})

			require.ErrorIs(t, err, tc.err)
			assert.Equal(t, tc.class, rep.Class)
			assert.Equal(t, report.OutcomeFailed, rep.Outcome)
			assert.Equal(t, "release", rep.Command)
			assert.Empty(t, rep.RequiredPermissions, "a build failure is not about permissions")
			assert.Empty(t, rep.Assets)
			assert.Equal(t, 2, rep.Requests, "only the probe's")
			assert.Len(t, srv.Requests(), 2)
			assert.Empty(t, srv.Releases(fullRepo))
			assert.NoDirExists(t, s.OutDir)
		})
	}
}

func TestGatePublishConflict(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SeedRelease(fullRepo, githubtest.Release{TagName: "v1.0.0"})
	gate := open(t, srv)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.tar.gz"), []byte("bytes"), 0o644))

	rep, err := gate.Publish(t.Context(), publish.Options{Tag: "v1.0.0", AssetsDir: dir})

	require.Error(t, err)
	assert.Equal(t, "conflict", rep.Class)
	assert.Equal(t, 1, githubapi.Class(rep.Class).ExitCode())
	assert.Equal(t, "publish", rep.Command)
	assert.Contains(t, rep.Message, "re-run with --replace-assets")
	assert.Contains(t, rep.ReleaseURL, "/releases/tag/v1.0.0")
	assert.Empty(t, rep.Assets, "nothing was published")
	assert.Len(t, srv.Releases(fullRepo), 1)
}

func TestBuild(t *testing.T) {
	t.Parallel()
	s := spec(t, &fakeExecutor{})

	first, err := release.Build(t.Context(), s)
	require.NoError(t, err)
	firstBytes := readDir(t, s.OutDir)
	again, err := release.Build(t.Context(), s)
	require.NoError(t, err, "a re-run into the same directory is allowed")

	var names []string
	for _, a := range first {
		names = append(names, a.Name)
	}
	assert.Equal(t, wantFiles[1:], names[:2], "archives in plan order")
	assert.Equal(t, "SHA256SUMS", names[2], "then SHA256SUMS")
	assert.Equal(t, first, again)
	assert.Equal(t, firstBytes, readDir(t, s.OutDir), "byte-identical")
	require.NoError(t, build.VerifyChecksums(s.OutDir))
	for _, a := range first {
		assert.EqualValues(t, len(firstBytes[a.Name]), a.Size, a.Name)
	}
}

func TestBuildSpecCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, s *release.BuildSpec)
		want  string // "" means valid
	}{
		{name: "new directory", setup: func(*testing.T, *release.BuildSpec) {}},
		{name: "empty directory", setup: func(t *testing.T, s *release.BuildSpec) { require.NoError(t, os.MkdirAll(s.OutDir, 0o755)) }},
		{name: "this build's own files", setup: func(t *testing.T, s *release.BuildSpec) {
			writeAll(t, s.OutDir, "hello_1.0.0_linux_amd64.tar.gz", "SHA256SUMS")
		}},
		{name: "another version's archive", setup: func(t *testing.T, s *release.BuildSpec) {
			writeAll(t, s.OutDir, "hello_0.9.0_linux_amd64.tar.gz", "SHA256SUMS")
		}, want: "already holds hello_0.9.0_linux_amd64.tar.gz"},
		{name: "a subdirectory", setup: func(t *testing.T, s *release.BuildSpec) {
			require.NoError(t, os.MkdirAll(filepath.Join(s.OutDir, "hello_1.0.0_linux_amd64.tar.gz"), 0o755))
		}, want: "already holds hello_1.0.0_linux_amd64.tar.gz"},
		{name: "a file in place of the directory", setup: func(t *testing.T, s *release.BuildSpec) {
			writeAll(t, filepath.Dir(s.OutDir), filepath.Base(s.OutDir))
		}, want: "not a directory"},
		{name: "no directory", setup: func(_ *testing.T, s *release.BuildSpec) { s.OutDir = "" }, want: "no output directory"},
		{name: "no version", setup: func(_ *testing.T, s *release.BuildSpec) { s.Config.Stamp = build.Stamp{} }, want: "no version to build"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			exec := &fakeExecutor{}
			s := spec(t, exec)
			tc.setup(t, &s)

			_, checkErr := s.Check()
			_, buildErr := release.Build(t.Context(), s)

			if tc.want == "" {
				assert.NoError(t, checkErr)
				assert.NoError(t, buildErr)
				return
			}
			assert.ErrorContains(t, checkErr, tc.want)
			assert.ErrorContains(t, buildErr, tc.want)
			assert.Zero(t, exec.runs.Load(), "nothing is built")
			var rep report.Report
			release.Record(&rep, checkErr)
			assert.Equal(t, "invalid-input", rep.Class)
			assert.Equal(t, 2, githubapi.Class(rep.Class).ExitCode())
		})
	}
}

func TestBuildReport(t *testing.T) {
	t.Parallel()
	s := spec(t, &fakeExecutor{})

	rep, err := release.BuildReport(t.Context(), s)

	require.NoError(t, err)
	assert.Equal(t, "build", rep.Command)
	assert.Equal(t, "ok", rep.Class)
	assert.Equal(t, "built 2 archives and SHA256SUMS in "+s.OutDir, rep.Message)
	assert.Len(t, rep.Assets, 3)
	for _, a := range rep.Assets {
		assert.Len(t, a.SHA256, 64, a.Name)
	}

	failed, err := release.BuildReport(t.Context(), spec(t, &fakeExecutor{err: &build.BuildError{Err: errors.New("exit status 2")}}))
	require.Error(t, err)
	assert.Equal(t, "build-failed", failed.Class)
	assert.Empty(t, failed.Assets)
}

func TestSweep(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	old := srv.SeedRelease(fullRepo, githubtest.Release{TagName: "preflight-permcheck-run1-attempt1", Draft: true, CreatedAt: time.Now().Add(-3 * time.Hour)})
	srv.SeedRelease(fullRepo, githubtest.Release{TagName: "preflight-permcheck-run2-attempt1", Draft: true})
	srv.SeedRelease(fullRepo, githubtest.Release{TagName: "v1.0.0", Draft: true, CreatedAt: time.Now().Add(-3 * time.Hour)})
	c := newClient(t, srv, tokWrite)

	rep, err := release.Sweep(t.Context(), c, publish.SweepOptions{Repo: repo})

	require.NoError(t, err)
	assert.Equal(t, "sweep", rep.Command)
	assert.Equal(t, []string{fmt.Sprintf("preflight-permcheck-run1-attempt1 (id %d)", old.ID)}, rep.Swept)
	assert.Equal(t, "deleted 1 leftover probe drafts in "+fullRepo, rep.Message)
	assert.Equal(t, len(srv.Requests()), rep.Requests)
	assert.Len(t, srv.Releases(fullRepo), 2)
}

func TestParsePrerelease(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	tests := []struct {
		in      string
		want    *bool
		wantErr bool
	}{
		{in: "auto"}, {in: ""}, {in: " AUTO "},
		{in: "true", want: &yes}, {in: "True", want: &yes},
		{in: "false", want: &no},
		{in: "yes", wantErr: true}, {in: "1", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := release.ParsePrerelease(tc.in)
			if tc.wantErr {
				e, ok := githubapi.AsError(err)
				require.True(t, ok)
				assert.Equal(t, githubapi.ClassInvalidInput, e.Class)
				assert.Contains(t, err.Error(), "pass one of those")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseAge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
	}{
		{in: "1h", want: time.Hour}, {in: "30m", want: 30 * time.Minute}, {in: "1h30m", want: 90 * time.Minute},
		{in: "0"}, {in: "-1h"}, {in: "60"}, {in: ""}, {in: "one hour"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := release.ParseAge(tc.in)
			if tc.want == 0 {
				e, ok := githubapi.AsError(err)
				require.True(t, ok, "a classified error: %v", err)
				assert.Equal(t, githubapi.ClassInvalidInput, e.Class)
				assert.Contains(t, err.Error(), "pass one such as 1h")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestRecord(t *testing.T) {
	t.Parallel()
	passedProbe := report.Report{Outcome: report.OutcomeOK, Class: "ok", RequiredPermissions: "contents=write", Remediation: "stale", Message: "probe passed"}
	tests := []struct {
		name    string
		err     error
		outcome string
		class   string
		message string
		remedy  string
	}{
		{name: "nil passes", err: nil, outcome: "ok", class: "ok", message: "probe passed", remedy: "stale"},
		{name: "build input", err: fmt.Errorf("plan: %w", build.ErrInvalidInput), outcome: "failed", class: "invalid-input", message: "plan: invalid input"},
		{name: "compile error", err: &build.BuildError{Err: errors.New("exit status 1")}, outcome: "failed", class: "build-failed"},
		{name: "github error keeps its class", err: fmt.Errorf("wrapped: %w", &githubapi.Error{Class: githubapi.ClassServerError, Op: "upload x", Message: "boom", Remediation: "Re-run later."}),
			outcome: "failed", class: "server-error", remedy: "Re-run later."},
		{name: "anything else", err: errors.New("disk full"), outcome: "failed", class: "unexpected", message: "disk full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := passedProbe

			release.Record(&rep, tc.err)

			assert.Equal(t, tc.outcome, rep.Outcome)
			assert.Equal(t, tc.class, rep.Class)
			if tc.message != "" {
				assert.Equal(t, tc.message, rep.Message)
			}
			assert.Equal(t, tc.remedy, rep.Remediation, "a failure's fix comes from its error")
			if tc.err != nil {
				assert.Empty(t, rep.RequiredPermissions)
			}
		})
	}
}

func writeAll(t *testing.T, dir string, names ...string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, n := range names {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("content of "+n), 0o644))
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		files[e.Name()] = string(b)
	}
	return files
}
