package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/checksums"
)

// A directory built by anything else is published as is, with SHA256SUMS added.
func TestPublishBringYourOwnDirectory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		tag        string
		draft      bool
		prerelease bool
	}{
		{name: "published", tag: "v1.2.3"},
		{name: "pre-release from the tag", tag: "v1.2.3-rc.1", prerelease: true},
		{name: "--prerelease false wins over the tag", tag: "v1.2.3-rc.1", args: []string{"--prerelease", "false"}},
		{name: "--draft leaves it for a human", tag: "v1.2.3", args: []string{"--draft"}, draft: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			dir := writeFiles(t, map[string]string{"mytool-x86_64-unknown-linux-gnu.tar.xz": "rust bytes", "mytool.deb": "debian bytes"})

			res := run(t, srv, ghEnv(tokWrite), append([]string{"publish", "--repo", repo, "--api-url", srv.APIURL(),
				"--tag", tc.tag, "--assets", dir}, tc.args...)...)

			require.Equal(t, 0, res.code)
			assert.Contains(t, res.stdout, "ok: release "+tc.tag)
			assert.FileExists(t, filepath.Join(dir, "SHA256SUMS"), "SHA256SUMS is added to the directory")
			_, listed, err := checksums.Verify(dir)
			require.NoError(t, err, "the SHA256SUMS written verifies")
			assert.True(t, listed)
			rels := srv.Releases(repo)
			require.Len(t, rels, 1)
			assert.Equal(t, tc.tag, rels[0].TagName)
			assert.Equal(t, tc.draft, rels[0].Draft)
			assert.Equal(t, tc.prerelease, rels[0].Prerelease)
			got := assetContents(t, rels[0])
			assert.Equal(t, listDir(t, dir), got)
			assertChecksums(t, got)
			if tc.draft {
				assert.Empty(t, srv.Tags(repo), "a draft has no tag")
			} else {
				assert.Equal(t, []string{tc.tag}, srv.Tags(repo))
			}
			assertNoToken(t, res.stdout, res.stderr)
		})
	}
}

// A published release is never changed without --replace-assets.
func TestPublishToAPublishedRelease(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		replace bool
		code    int
		content string // of app.tar.gz afterwards
	}{
		{name: "refused without --replace-assets", code: 1, content: "old"},
		{name: "replaced with --replace-assets", replace: true, code: 0, content: "new"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			seeded := srv.SeedRelease(repo, emulator.Release{TagName: "v1.0.0",
				Assets: []emulator.Asset{{Name: "app.tar.gz", ContentType: "application/gzip", Content: []byte("old")}}})
			dir := writeFiles(t, map[string]string{"app.tar.gz": "new"})
			args := []string{"publish", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0", "--assets", dir}
			if tc.replace {
				args = append(args, "--replace-assets")
			}

			res := run(t, srv, ghEnv(tokWrite), args...)

			assert.Equal(t, tc.code, res.code)
			rels := srv.Releases(repo)
			require.Len(t, rels, 1, "never a second release")
			assert.Equal(t, seeded.ID, rels[0].ID)
			assert.False(t, rels[0].Draft)
			assert.Equal(t, tc.content, string(assetContents(t, rels[0])["app.tar.gz"]))
			if !tc.replace {
				assert.Contains(t, res.stderr, "already published")
				assert.Contains(t, res.stderr, "Re-run with the option to replace assets to replace its assets, or release under a new tag (--replace-assets)")
				if m := humanClass.FindStringSubmatch(res.stderr); assert.NotNil(t, m) {
					assert.Equal(t, "conflict", m[1])
				}
				for _, r := range srv.Requests() {
					if strings.Contains(r.Path, "/assets") {
						assert.Equal(t, "GET", r.Method, "its assets are only read, to compare: nothing is uploaded or deleted")
					}
				}
			}
			assertNoToken(t, res.stdout, res.stderr)
		})
	}
}

// A token that cannot publish is caught before the directory is touched.
func TestPublishClamped(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	dir := writeFiles(t, map[string]string{"app.tar.gz": "bytes"})

	res := run(t, srv, ghEnv(tokClamped), "publish", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0", "--assets", dir)

	assert.Equal(t, 3, res.code)
	assert.Len(t, srv.Requests(), 1)
	assert.Contains(t, res.stderr, toggle)
	assert.NoFileExists(t, filepath.Join(dir, "SHA256SUMS"))
	assert.Empty(t, srv.Releases(repo))
}

// Bad input is refused with exit 2 before the probe sends anything.
func TestPublishInputErrorsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{name: "bad --tag", args: []string{"--tag", "v1..2", "--assets", "FILES"}, stderr: `tag "v1..2" contains ".."`},
		{name: "negative --concurrency", args: []string{"--tag", "v1.0.0", "--assets", "FILES", "--concurrency", "-1"}, stderr: "concurrency -1 is negative"},
		{name: "file GitHub would rename", args: []string{"--tag", "v1.0.0", "--assets", "RENAMED"}, stderr: "would be renamed by GitHub"},
		{name: "missing directory", args: []string{"--tag", "v1.0.0", "--assets", "/nonexistent/dist"}, stderr: "/nonexistent/dist"},
		{name: "empty directory", args: []string{"--tag", "v1.0.0", "--assets", "EMPTY"}, stderr: "no files"},
		{name: "no --tag", args: []string{"--assets", "FILES"}, stderr: "no tag was given: Pass the release tag, such as v1.2.3 (--tag)"},
		{name: "bad --prerelease", args: []string{"--tag", "v1.0.0", "--assets", "FILES", "--prerelease", "yes"}, stderr: `"yes" is not true, false or auto`},
		{name: "unreadable --notes-file", args: []string{"--tag", "v1.0.0", "--assets", "FILES", "--notes-file", "/nonexistent/NOTES.md"}, stderr: "--notes-file"},
		{name: "a zero-width space in --tag", args: []string{"--tag", "v1.0.0\u200b", "--assets", "FILES"},
			stderr: `tag "v1.0.0\u200b" contains U+200B ZERO WIDTH SPACE, which is invisible or reorders the text around it: Type the tag again instead of pasting it`},
		{name: "a right-to-left override in --tag", args: []string{"--tag", "v1.0.0-\u202ecod.exe", "--assets", "FILES"},
			stderr: "U+202E RIGHT-TO-LEFT OVERRIDE"},
		{name: "--target a short SHA", args: []string{"--tag", "v1.0.0", "--assets", "FILES", "--target", "0123abc"},
			stderr: `target "0123abc" looks like a commit SHA cut short to 7 digits; GitHub takes a full one: Pass a branch's name, such as main, or a commit's full SHA (git rev-parse HEAD), or nothing for the default branch (--target)`},
		{name: "--target a ref", args: []string{"--tag", "v1.0.0", "--assets", "FILES", "--target", "refs/heads/main"}, stderr: "is a git ref, not a branch name"},
		{name: "--target an invisible character", args: []string{"--tag", "v1.0.0", "--assets", "FILES", "--target", "ma\u200din"}, stderr: "U+200D ZERO WIDTH JOINER"},
		{name: "--target without --assets", args: []string{"--tag", "v1.0.0", "--target", "ma in"}, stderr: "contains spaces"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			args := []string{"publish", "--repo", repo, "--api-url", srv.APIURL()}
			for _, a := range tc.args {
				switch a {
				case "EMPTY":
					a = t.TempDir()
				case "FILES":
					a = writeFiles(t, map[string]string{"app.tar.gz": "bytes"})
				case "RENAMED":
					a = writeFiles(t, map[string]string{"app (1).tar.gz": "bytes"})
				}
				args = append(args, a)
			}

			res := run(t, srv, ghEnv(tokWrite), args...)

			assert.Equal(t, 2, res.code)
			assert.Empty(t, srv.Requests())
			assert.Contains(t, res.stderr, tc.stderr)
		})
	}
}

// The same build twice gives byte-identical archives and SHA256SUMS.
func TestBuildIsReproducible(t *testing.T) {
	t.Parallel()
	src := helloSource(t)
	first, second := filepath.Join(t.TempDir(), "dist"), filepath.Join(t.TempDir(), "dist")
	args := func(out string) []string {
		return []string{"build", "--source", src, "--version", "v1.0.0", "--platforms", platforms, "--out", out}
	}
	e := env{"SOURCE_DATE_EPOCH": sourceDateEpoch}

	res := run(t, nil, e, args(first)...)
	require.Equal(t, 0, res.code)
	assert.Contains(t, res.stdout, "built 2 archives and SHA256SUMS in "+first)
	again := run(t, nil, e, args(first)...)
	require.Equal(t, 0, again.code, "a re-run into the same directory overwrites its own files")
	other := run(t, nil, e, args(second)...)
	require.Equal(t, 0, other.code)

	got := listDir(t, first)
	assert.ElementsMatch(t, wantAssets, keys(got))
	assert.Equal(t, got, listDir(t, second), "byte-identical")
	assertChecksums(t, got)
}

func TestBuildJSON(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "dist")

	res := run(t, nil, env{"SOURCE_DATE_EPOCH": sourceDateEpoch}, "build", "--json", "--source", helloSource(t),
		"--version", "v1.0.0", "--platforms", "linux/amd64", "--out", out)

	require.Equal(t, 0, res.code)
	obj := decodeOne(t, res.stdout)
	assert.Equal(t, "ok", str(t, obj, "outcome"))
	assert.Equal(t, "build", str(t, obj, "command"))
	assert.Equal(t, "v1.0.0", str(t, obj, "tag"))
	assert.Contains(t, string(obj["assets"]), `"name":"hello_1.0.0_linux_amd64.tar.gz"`)
	assert.Contains(t, string(obj["assets"]), `"name":"SHA256SUMS"`)
	assert.Contains(t, res.stderr, "built linux/amd64: hello_", "progress stays on stderr")
}

func TestBuildErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		source func(testing.TB) string
		args   []string
		env    env
		code   int
		class  string
		stderr string
	}{
		{name: "no --out", source: helloSource, code: 2, class: "invalid-input", stderr: "no output directory was given: Pass the directory for the archives, such as dist (--out)"},
		{name: "--out holding other files", source: helloSource, code: 2, class: "invalid-input", stderr: "notes.txt",
			args: []string{"--out", writeFiles(t, map[string]string{"notes.txt": "mine"})}},
		{name: "no build date", source: helloSource, env: env{}, code: 2, class: "invalid-input", stderr: "SOURCE_DATE_EPOCH",
			args: []string{"--out", filepath.Join(t.TempDir(), "dist")}},
		{name: "compile error", source: brokenSource, code: 1, class: "build-failed", stderr: "output:\n  # example.com/hello\n  ./main.go:3:1: syntax error",
			args: []string{"--out", filepath.Join(t.TempDir(), "dist")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := tc.env
			if e == nil {
				e = env{"SOURCE_DATE_EPOCH": sourceDateEpoch}
			}
			args := append([]string{"build", "--source", tc.source(t), "--platforms", "linux/amd64"}, tc.args...)

			res := run(t, nil, e, args...)

			assert.Equal(t, tc.code, res.code)
			assert.Contains(t, res.stderr, tc.stderr)
			if m := humanClass.FindStringSubmatch(res.stderr); assert.NotNil(t, m) {
				assert.Equal(t, tc.class, m[1])
			}
		})
	}
}

// sweep deletes only probe drafts older than --older-than.
func TestSweep(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		token   string
		code    int
		deleted []string
		stdout  string
		listed  string // the heading of the list of drafts, and the first one's tag
	}{
		{name: "deletes old probe drafts", token: tokWrite, code: 0,
			deleted: []string{"preflight-permcheck-run1-attempt1", "preflight-permcheck-local-20240101T000000Z-0badc0de"},
			stdout:  "deleted 2 leftover probe drafts", listed: "\ndeleted:\n  preflight-permcheck-"},
		{name: "--dry-run deletes nothing, and says so", token: tokWrite, args: []string{"--dry-run"}, code: 0,
			stdout: "would delete 2 leftover probe drafts", listed: "\nwould delete:\n  preflight-permcheck-"},
		{name: "one draft is one draft", token: tokWrite, args: []string{"--dry-run", "--older-than", "24h"}, code: 0,
			stdout: "would delete 1 leftover probe draft in " + repo, listed: "\nwould delete:\n  preflight-permcheck-local-20240101T000000Z-0badc0de"},
		{name: "--older-than 10m takes the young one too", token: tokWrite, args: []string{"--older-than", "10m"}, code: 0,
			deleted: []string{"preflight-permcheck-run1-attempt1", "preflight-permcheck-local-20240101T000000Z-0badc0de", "preflight-permcheck-run2-attempt1"},
			stdout:  "deleted 3 leftover probe drafts"},
		{name: "negative --older-than", token: tokWrite, args: []string{"--older-than", "-1h"}, code: 2},
		{name: "zero --older-than", token: tokWrite, args: []string{"--older-than", "0"}, code: 2},
		{name: "--older-than without a unit", token: tokWrite, args: []string{"--older-than", "60"}, code: 2},
		{name: "clamped token sees no drafts", token: tokClamped, code: 0, stdout: "deleted 0 leftover probe drafts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			now := time.Now()
			seed := []emulator.Release{
				{TagName: "preflight-permcheck-run1-attempt1", Draft: true, CreatedAt: now.Add(-2 * time.Hour)},
				{TagName: "preflight-permcheck-local-20240101T000000Z-0badc0de", Draft: true, CreatedAt: now.Add(-48 * time.Hour)},
				{TagName: "preflight-permcheck-run2-attempt1", Draft: true, CreatedAt: now.Add(-30 * time.Minute)},
				{TagName: "v9.9.9", Draft: true, CreatedAt: now.Add(-48 * time.Hour)},
				{TagName: "preflight-permcheck-published", CreatedAt: now.Add(-48 * time.Hour)},
				{TagName: "v1.0.0", CreatedAt: now.Add(-48 * time.Hour)},
			}
			for _, r := range seed {
				srv.SeedRelease(repo, r)
			}

			res := run(t, srv, ghEnv(tc.token), append([]string{"sweep", "--repo", repo, "--api-url", srv.APIURL()}, tc.args...)...)

			assert.Equal(t, tc.code, res.code)
			if tc.stdout != "" {
				assert.Contains(t, res.stdout, tc.stdout)
			}
			if tc.listed != "" {
				assert.Contains(t, res.stdout, tc.listed)
			}
			if tc.code == 2 {
				assert.Empty(t, srv.Requests(), "bad input sends nothing")
				assert.Contains(t, res.stderr, "--older-than")
			}
			var left []string
			for _, r := range srv.Releases(repo) {
				left = append(left, r.TagName)
			}
			var want []string
			for _, r := range seed {
				if !slices.Contains(tc.deleted, r.TagName) {
					want = append(want, r.TagName)
				}
			}
			assert.Equal(t, want, left)
			for _, tag := range tc.deleted {
				assert.Contains(t, res.stdout, tag, "the report names what it deleted")
			}
			assertNoToken(t, res.stdout, res.stderr)
		})
	}
}

// The notes file becomes the release body.
func TestPublishNotesFile(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	notes := filepath.Join(t.TempDir(), "NOTES.md")
	require.NoError(t, os.WriteFile(notes, []byte("## Changes\n\n- faster\n"), 0o644))
	dir := writeFiles(t, map[string]string{"app.tar.gz": "bytes"})

	res := run(t, srv, ghEnv(tokWrite), "publish", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
		"--assets", dir, "--notes-file", notes)

	require.Equal(t, 0, res.code)
	rels := srv.Releases(repo)
	require.Len(t, rels, 1)
	assert.True(t, strings.HasPrefix(rels[0].Body, "## Changes"))
}

// The matrix pattern through the CLI: jobs add their own files to one draft with --draft, and a
// last job without --assets publishes the draft as it stands, with SHA256SUMS covering all.
func TestPublishMatrix(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	base := []string{"publish", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0"}
	want := map[string][]byte{}
	var wg sync.WaitGroup
	codes := make([]int, 3)
	for i, target := range []string{"linux_amd64", "darwin_arm64", "windows_amd64"} {
		name := "tool_1.0.0_" + target + ".tar.gz"
		want[name] = []byte("archive for " + target)
		dir := writeFiles(t, map[string]string{name: string(want[name])})
		wg.Go(func() {
			codes[i] = run(t, srv, ghEnv(tokWrite), append(base, "--draft", "--assets", dir)...).code
		})
	}
	wg.Wait()
	assert.Equal(t, []int{0, 0, 0}, codes)
	require.Len(t, srv.Releases(repo), 1)
	assert.True(t, srv.Releases(repo)[0].Draft)

	// The last job names the commit, the pre-release flag and the notes: they are the release's.
	const commit = "0123456789abcdef0123456789abcdef01234567"
	last := run(t, srv, ghEnv(tokWrite), append(base, "--target", commit, "--prerelease", "true", "--notes", "What changed.")...)
	require.Equal(t, 0, last.code)
	assert.Contains(t, last.stdout, "ok: release v1.0.0 published with")
	rels := srv.Releases(repo)
	require.Len(t, rels, 1)
	assert.False(t, rels[0].Draft)
	assert.Equal(t, commit, rels[0].TargetCommitish, "--target of the last job")
	assert.True(t, rels[0].Prerelease, "--prerelease of the last job")
	assert.Equal(t, "What changed.", rels[0].Body, "--notes of the last job")
	got := assetContents(t, rels[0])
	assertChecksums(t, got)
	delete(got, "SHA256SUMS")
	assert.Equal(t, want, got)

	none := run(t, srv, ghEnv(tokWrite), "publish", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v2.0.0")
	assert.Equal(t, 2, none.code, "without --assets there must be a draft to publish")
	assert.Contains(t, none.stderr, "there is no draft release for v2.0.0 to publish: Pass the directory of files to publish (--assets)")
}

// A 404 to the update that publishes the draft is no success: reading the release back shows it
// still a draft, so the run fails (exit 4, server-error) and keeps it; the re-run publishes it.
func TestPublishUndraftAnswered404(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	srv.Inject(emulator.Fault{Endpoint: "update-a-release", Status: 404})
	args := []string{"publish", "--json", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
		"--assets", writeFiles(t, map[string]string{"tool.tar.gz": "bytes"})}

	res := run(t, srv, ghEnv(tokWrite), args...)

	assert.Equal(t, 4, res.code)
	obj := decodeOne(t, res.stdout)
	assert.Equal(t, "server-error", str(t, obj, "class"))
	assert.Contains(t, str(t, obj, "message"), "GitHub answered 404 Not Found to publishing draft release ID")
	assert.Contains(t, str(t, obj, "message"), "but reading it back shows it is still a draft: nothing was published")
	rels := srv.Releases(repo)
	require.Len(t, rels, 1)
	assert.True(t, rels[0].Draft)
	assert.Empty(t, srv.Tags(repo))

	again := run(t, srv, ghEnv(tokWrite), args...)
	require.Equal(t, 0, again.code)
	assert.False(t, srv.Releases(repo)[0].Draft)
	assert.Equal(t, []string{"v1.0.0"}, srv.Tags(repo))
}
