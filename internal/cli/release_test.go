package cli

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// platforms keeps the release tests quick while covering a tar.gz and a zip.
const platforms = "linux/amd64,windows/amd64"

var wantAssets = []string{"SHA256SUMS", "hello_1.0.0_linux_amd64.tar.gz", "hello_1.0.0_windows_amd64.zip"}

// buildEnv is the environment of a release step with a pinned build date.
func buildEnv(token string) env {
	return env{"GITHUB_TOKEN": token, "SOURCE_DATE_EPOCH": sourceDateEpoch}
}

// A token that cannot publish stops the release before anything is built: the source would
// not even compile, yet the error is the permission, and no archive appears.
func TestReleaseStopsBeforeBuildingWhenTheProbeFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		token string
		class string
		code  int
	}{
		{name: "clamped", token: tokClamped, class: "clamped", code: 3},
		{name: "fine-grained token without contents", token: tokPAT, class: "pat-permission", code: 3},
		{name: "bad credentials", token: tokUnknown, class: "bad-credentials", code: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			out := filepath.Join(t.TempDir(), "dist")

			res := run(t, srv, buildEnv(tc.token), "release", "--repo", repo, "--api-url", srv.APIURL(),
				"--tag", "v1.0.0", "--source", brokenSource(t), "--platforms", platforms, "--out", out)

			assert.Equal(t, tc.code, res.code)
			assert.Len(t, srv.Requests(), 1, "only the probe's create: %v", requestLines(srv))
			assert.Empty(t, srv.Releases(repo))
			assert.Empty(t, srv.Tags(repo))
			assert.NoDirExists(t, out, "no archive was written")
			assert.Empty(t, res.builds, "the compiler never ran")
			assert.NotContains(t, res.stderr, "built ")
			if m := humanClass.FindStringSubmatch(res.stderr); assert.NotNil(t, m) {
				assert.Equal(t, tc.class, m[1])
			}
			if tc.class == "clamped" {
				assert.Contains(t, res.stderr, toggle)
			}
			assertNoToken(t, res.stdout, res.stderr)
		})
	}
}

// A write token releases: the archives and SHA256SUMS are built, published with matching sums,
// kept in --out, and the tag exists.
func TestReleasePublishes(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	out := filepath.Join(t.TempDir(), "dist")

	res := run(t, srv, buildEnv(tokWrite), "release", "--repo", repo, "--api-url", srv.APIURL(),
		"--tag", "v1.0.0", "--source", helloSource(t), "--platforms", platforms, "--out", out)

	require.Equal(t, 0, res.code)
	assert.Contains(t, res.stdout, "ok: release v1.0.0 published with 3 assets")
	assert.Contains(t, res.stderr, "built linux/amd64: hello_1.0.0_linux_amd64.tar.gz", "build progress goes to stderr")
	assert.Contains(t, res.stderr, "built windows/amd64: hello_1.0.0_windows_amd64.zip")
	assert.Contains(t, res.stderr, "uploaded SHA256SUMS")

	rels := srv.Releases(repo)
	require.Len(t, rels, 1)
	rel := rels[0]
	assert.Equal(t, "v1.0.0", rel.TagName)
	assert.False(t, rel.Draft)
	assert.False(t, rel.Prerelease)
	got := assetContents(t, rel)
	assert.ElementsMatch(t, wantAssets, keys(got))
	assertChecksums(t, got)
	assert.Equal(t, []string{"v1.0.0"}, srv.Tags(repo))
	assert.Equal(t, got, listDir(t, out), "--out keeps exactly what was published")

	zipped := zipNames(t, got["hello_1.0.0_windows_amd64.zip"])
	assert.Equal(t, []string{"README.md", "hello.exe"}, zipped)
	linux := tarFiles(t, got["hello_1.0.0_linux_amd64.tar.gz"])
	assert.ElementsMatch(t, []string{"README.md", "hello"}, keys(linux))
	// The fake go command writes what it was asked to build (pipeline/build runs the real one).
	assert.Contains(t, string(linux["hello"]), "fake binary for linux/amd64 CGO_ENABLED=0 of . with "+
		"-s -w -X main.version=1.0.0 -X main.commit=none -X main.date=2026-01-01T00:00:00Z", "the stamp is in the binary")
	assertNoToken(t, res.stdout, res.stderr)
}

// An upload that fails mid-way leaves a draft and says how to resume; the same command again
// completes that release, with each asset once.
func TestReleaseResumesAfterAFailedUpload(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	// Uploads go one at a time, in name order: SHA256SUMS passes, then the linux archive gets
	// GitHub's 502 after a "starter" asset on every attempt.
	srv.Inject(emulator.Fault{Method: "POST", PathContains: "/assets", Latency: time.Nanosecond})
	srv.Inject(emulator.Fault{Method: "POST", PathContains: "/assets", StarterAsset: true, Status: 502, Times: 4})
	args := []string{"release", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
		"--source", helloSource(t), "--platforms", platforms, "--concurrency", "1", "--out", filepath.Join(t.TempDir(), "dist")}

	first := run(t, srv, buildEnv(tokWrite), args...)

	require.Equal(t, 4, first.code, "a 502 after retries is transient")
	assert.Contains(t, first.stderr, "re-run the same command to resume (draft release ID")
	rels := srv.Releases(repo)
	require.Len(t, rels, 1)
	require.True(t, rels[0].Draft, "the failed release stays a draft")
	draftID := rels[0].ID
	assert.Empty(t, srv.Tags(repo), "a draft has no tag")

	second := run(t, srv, buildEnv(tokWrite), args...)

	require.Equal(t, 0, second.code)
	rels = srv.Releases(repo)
	require.Len(t, rels, 1, "the same release, not a second one")
	assert.Equal(t, draftID, rels[0].ID)
	assert.False(t, rels[0].Draft)
	got := assetContents(t, rels[0])
	assert.ElementsMatch(t, wantAssets, keys(got))
	assertChecksums(t, got)
	assert.Equal(t, []string{"v1.0.0"}, srv.Tags(repo))
	assertNoToken(t, first.stdout, first.stderr, second.stdout, second.stderr)
}

// Bad input is refused with exit 2 before the probe sends anything.
func TestReleaseInputErrorsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		env    env
		stderr string
	}{
		{name: "no tag", args: []string{"--tag", ""}, stderr: "no tag was given: Pass the release tag, such as v1.2.3 (--tag)"},
		{name: "unknown platform", args: []string{"--platforms", "plan9/z80"}, stderr: "plan9/z80"},
		{name: "tag that cannot be a version", args: []string{"--tag", "v1.0.0/x"}, stderr: "v1.0.0/x"},
		{name: "no build date outside git", env: env{"GITHUB_TOKEN": tokWrite}, stderr: "SOURCE_DATE_EPOCH"},
		{name: "bad --prerelease", args: []string{"--prerelease", "maybe"}, stderr: `"maybe" is not true, false or auto`},
		{name: "tag git refuses", args: []string{"--tag", "v1.0.0.lock"}, stderr: `ending in ".lock"`},
		{name: "missing source", args: []string{"--source", "/nonexistent/source"}, stderr: "/nonexistent/source"},
		{name: "--out holding other files", args: []string{"--out", writeFiles(t, map[string]string{"hello_0.9.0_linux_amd64.tar.gz": "old"})},
			stderr: "hello_0.9.0_linux_amd64.tar.gz"},
		{name: "invalid repository", args: []string{"--repo", "octo-org/"}, stderr: "octo-org/"},
		{name: "no token", env: env{"SOURCE_DATE_EPOCH": sourceDateEpoch}, stderr: "GITHUB_TOKEN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			e := tc.env
			if e == nil {
				e = buildEnv(tokWrite)
			}
			args := append([]string{"release", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
				"--source", helloSource(t), "--platforms", platforms}, tc.args...)

			res := run(t, srv, e, args...)

			assert.Equal(t, 2, res.code)
			assert.Empty(t, srv.Requests())
			assert.Contains(t, res.stderr, tc.stderr)
			assert.Contains(t, res.stderr, "invalid-input")
			assert.Empty(t, srv.Releases(repo))
		})
	}
}

func zipNames(t *testing.T, b []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names
}

func tarFiles(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(b))
	require.NoError(t, err)
	tr := tar.NewReader(gz)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		content, err := io.ReadAll(tr)
		require.NoError(t, err)
		files[h.Name] = content
	}
	return files
}
