package publish_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
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
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/publish"
)

// requireIntact fails unless rel is one whole release: every asset uploaded once, with the
// content given (name → content), and SHA256SUMS listing every other asset with its sum.
func requireIntact(t *testing.T, rel emulator.Release, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, a := range rel.Assets {
		_, dup := got[a.Name]
		require.False(t, dup, "%s is on the release twice", a.Name)
		require.Equal(t, "uploaded", a.State, "%s is %s", a.Name, a.State)
		require.EqualValues(t, len(a.Content), a.Size, a.Name)
		got[a.Name] = string(a.Content)
	}
	sums, ok := got[checksums.FileName]
	require.True(t, ok, "no SHA256SUMS among %v", slices.Sorted(func(yield func(string) bool) {
		for k := range got {
			if !yield(k) {
				return
			}
		}
	}))
	delete(got, checksums.FileName)
	assert.Equal(t, want, got, "the assets")
	var lines []string
	for name, content := range got {
		sum := sha256.Sum256([]byte(content))
		lines = append(lines, hex.EncodeToString(sum[:])+"  "+name)
	}
	slices.SortFunc(lines, func(a, b string) int { return strings.Compare(a[66:], b[66:]) })
	assert.Equal(t, strings.Join(lines, "\n")+"\n", sums, "SHA256SUMS covers every asset")
}

// writesSince lists the requests after the first n of the log that change something.
func writesSince(srv *emulator.Server, n int) []string {
	var out []string
	for _, c := range calls(srv)[n:] {
		if !strings.HasPrefix(c, "GET ") {
			out = append(out, c)
		}
	}
	return out
}

// A release already published with exactly these files is a success with nothing to do: the
// re-run after a lost answer, or the job that lost a race. Nothing is written.
func TestPublishUnchangedWhenAlreadyPublished(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	files := defaultFiles()
	dir := writeDir(t, files)
	opts := publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir}
	first, err := run(t.Context(), f.client, opts)
	require.NoError(t, err)
	before := f.srv.Releases(repoName)
	n := len(f.srv.Requests())

	again, err := run(t.Context(), f.client, opts)
	require.NoError(t, err)
	assert.True(t, again.Unchanged)
	assert.Zero(t, again.Uploaded)
	assert.Equal(t, first.ReleaseID, again.ReleaseID)
	assert.Equal(t, first.Assets, again.Assets)
	assert.Equal(t, before, f.srv.Releases(repoName), "nothing changed")
	assert.Empty(t, writesSince(f.srv, n), "nothing was written")
}

// Five publishes of one tag with the same files, at once: one release, published once, each
// asset once and intact, and every job succeeds.
func TestPublishConcurrentSameFiles(t *testing.T) {
	t.Parallel()
	for round := range 4 {
		t.Run(fmt.Sprint("round ", round), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			files := defaultFiles()
			const jobs = 5
			var wg sync.WaitGroup
			results := make([]publish.Result, jobs)
			errs := make([]error, jobs)
			for i := range jobs {
				dir := writeDir(t, files)
				wg.Go(func() {
					results[i], errs[i] = run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
				})
			}
			wg.Wait()
			for i, err := range errs {
				require.NoError(t, err, "job %d", i)
			}
			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1, "one release; the duplicate drafts were deleted by the jobs that made them")
			assert.False(t, rels[0].Draft)
			requireIntact(t, rels[0], files)
			for i, r := range results {
				assert.Equal(t, rels[0].ID, r.ReleaseID, "job %d", i)
			}
			assert.Equal(t, []string{"v1.0.0"}, f.srv.Tags(repoName))
		})
	}
}

// The matrix pattern: four jobs each add their own file to one draft, at once; a last job
// publishes the draft as it stands, and SHA256SUMS covers every asset.
func TestPublishMatrix(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	all := map[string]string{}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i, target := range []string{"linux_amd64", "linux_arm64", "darwin_arm64", "windows_amd64"} {
		name := "widgets_1.0.0_" + target + ".tar.gz"
		content := strings.Repeat(target+" ", 100+i)
		all[name] = content
		dir := writeDir(t, map[string]string{name: content})
		wg.Go(func() {
			_, errs[i] = run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir, Draft: true})
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "job %d", i)
	}
	rels := f.srv.Releases(repoName)
	require.Len(t, rels, 1, "one draft for all the jobs")
	require.True(t, rels[0].Draft)
	assert.Empty(t, f.srv.Tags(repoName))

	res, err := run(t.Context(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0"})
	require.NoError(t, err, "the last job publishes the draft as it stands")
	assert.False(t, res.Draft)
	rels = f.srv.Releases(repoName)
	require.Len(t, rels, 1)
	assert.False(t, rels[0].Draft)
	requireIntact(t, rels[0], all)
	assert.Equal(t, []string{"v1.0.0"}, f.srv.Tags(repoName))
}

// Publishing a draft as it stands needs a draft.
func TestPublishWithoutAssetsNeedsADraft(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	_, err := run(t.Context(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0"})
	require.Error(t, err)
	e, ok := outcome.As(err)
	require.True(t, ok)
	assert.Equal(t, outcome.InvalidInput, e.Class)
	assert.Equal(t, "assets", e.Input)
	assert.Contains(t, err.Error(), "there is no draft release for v1.0.0 to publish")
	assert.Empty(t, f.srv.Releases(repoName))
}

// The answer to publishing is lost after GitHub published: the release is read back, and the
// run is a success, not a failure whose advised re-run conflicts.
func TestPublishLostUndraftAnswer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{maxAttempts: 1})
	f.srv.Inject(emulator.Fault{Method: http.MethodPatch, AfterWork: true, Drop: true})
	files := defaultFiles()
	res, err := run(t.Context(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, files)})
	require.NoError(t, err)
	assert.False(t, res.Draft)
	assert.Contains(t, strings.Join(res.Warnings, "\n"), "the answer to publishing v1.0.0 was lost")
	rels := f.srv.Releases(repoName)
	require.Len(t, rels, 1)
	assert.False(t, rels[0].Draft)
	requireIntact(t, rels[0], files)
}

// An upload path that flips bytes gets nothing published: GitHub's digest of what arrived
// differs from the file's SHA-256. The re-run, on a sound path, replaces it and publishes.
func TestPublishDetectsCorruptedUploads(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{maxAttempts: 1})
	f.srv.Inject(emulator.Fault{PathContains: "/assets", Method: http.MethodPost, Corrupt: true})
	files := defaultFiles()
	opts := publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, files), Concurrency: 1}
	_, err := run(t.Context(), f.client, opts)
	require.Error(t, err)
	e, ok := outcome.As(err)
	require.True(t, ok)
	assert.Equal(t, outcome.ServerError, e.Class)
	assert.Contains(t, err.Error(), "not the")
	assert.Contains(t, err.Error(), "re-run the same command to resume")
	rels := f.srv.Releases(repoName)
	require.Len(t, rels, 1)
	assert.True(t, rels[0].Draft, "nothing corrupted is ever published")
	assert.Empty(t, f.srv.Tags(repoName))

	_, err = run(t.Context(), f.client, opts)
	require.NoError(t, err)
	rels = f.srv.Releases(repoName)
	require.Len(t, rels, 1)
	assert.False(t, rels[0].Draft)
	requireIntact(t, rels[0], files)
}

// A resumed draft takes this run's notes and pre-release flag, and says so.
func TestPublishUpdatesAResumedDraft(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true, Body: "old notes", Prerelease: true})
	yes := false
	res, err := run(t.Context(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, defaultFiles()),
		Notes: "new notes", Prerelease: &yes})
	require.NoError(t, err)
	assert.True(t, res.Resumed)
	assert.Contains(t, strings.Join(res.Warnings, "\n"), "the resumed draft of v1.0.0 had other notes and pre-release flag; they were set to this run's")
	rel := f.srv.Releases(repoName)[0]
	assert.Equal(t, "new notes", rel.Body)
	assert.False(t, rel.Prerelease)
}

// With replace-assets, a differing asset of a published release is swapped in under a
// temporary name: at no moment does the release lack it. A swap cut short is finished by the
// next run.
func TestPublishReplaceSwapsWithoutAGap(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{maxAttempts: 1})
	files := defaultFiles()
	dir := writeDir(t, files)
	_, err := run(t.Context(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
	require.NoError(t, err)

	const changed = "widgets_1.0.0_linux_amd64.tar.gz"
	files[changed] = strings.Repeat("rebuilt ", 50)
	require.NoError(t, os.WriteFile(filepath.Join(dir, changed), []byte(files[changed]), 0o644))
	require.NoError(t, os.Remove(filepath.Join(dir, checksums.FileName)))
	// The rename that finishes the swap fails once: the first run stops with both assets there.
	f.srv.Inject(emulator.Fault{Method: http.MethodPatch, PathContains: "/releases/assets/", Status: http.StatusBadGateway})
	opts := publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir, ReplaceAssets: true, Concurrency: 1}
	_, err = run(t.Context(), f.client, opts)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "re-run the same command to finish replacing the assets of release ID")
	rel := f.srv.Releases(repoName)[0]
	assert.False(t, rel.Draft)
	var names []string
	for _, a := range rel.Assets {
		names = append(names, a.Name)
		assert.Equal(t, "uploaded", a.State, a.Name)
	}
	assert.Contains(t, names, "preflight-swap."+changed, "the replacement waits under its temporary name")

	res, err := run(t.Context(), f.client, opts)
	require.NoError(t, err)
	assert.False(t, res.Draft)
	requireIntact(t, f.srv.Releases(repoName)[0], files)
}

// Past 80 uploads, they are paced to GitHub's 80 content-creating requests a minute.
func TestPublishPacesManyUploads(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	files := map[string]string{}
	for i := range 90 {
		files[fmt.Sprintf("part-%03d.bin", i)] = fmt.Sprintf("part %d", i)
	}
	var mu sync.Mutex
	var waits []time.Duration
	res, err := run(t.Context(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, files),
		Sleep: func(_ context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, d)
			return nil
		}})
	require.NoError(t, err)
	assert.Len(t, waits, 89, "between each of the 90 uploads")
	for _, w := range waits {
		assert.Equal(t, 750*time.Millisecond, w)
	}
	assert.Contains(t, strings.Join(res.Warnings, "\n"), "90 uploads: paced one every 750ms")
	requireIntact(t, f.srv.Releases(repoName)[0], files)
}

// UploadInterval (the rate-budget check's pace) spaces the uploads of a small publish too, and
// the longer of it and the built-in pace wins.
func TestPublishHonoursUploadInterval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		files    int
		interval time.Duration
		want     time.Duration
	}{
		{name: "few uploads, paced as asked", files: 3, interval: 7200 * time.Millisecond, want: 7200 * time.Millisecond},
		{name: "many uploads, a shorter pace asked", files: 90, interval: 100 * time.Millisecond, want: 750 * time.Millisecond},
		{name: "few uploads, no pace", files: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			files := map[string]string{}
			for i := range tc.files {
				files[fmt.Sprintf("part-%03d.bin", i)] = fmt.Sprintf("part %d", i)
			}
			var mu sync.Mutex
			var waits []time.Duration
			_, err := run(t.Context(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, files),
				UploadInterval: tc.interval,
				Sleep: func(_ context.Context, d time.Duration) error {
					mu.Lock()
					defer mu.Unlock()
					waits = append(waits, d)
					return nil
				}})
			require.NoError(t, err)
			if tc.want == 0 {
				assert.Empty(t, waits)
			} else {
				assert.Len(t, waits, tc.files-1, "between each upload")
				for _, w := range waits {
					assert.Equal(t, tc.want, w)
				}
			}
			requireIntact(t, f.srv.Releases(repoName)[0], files)
		})
	}
}

// Input that can be refused without a request is refused by Prepare, before any.
func TestPrepareRefusesBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      func(dir string) publish.Options
		wantInput string
		want      string
	}{
		{"a git ref as the tag", func(dir string) publish.Options { return publish.Options{Tag: "refs/tags/v1.0.0", AssetsDir: dir} },
			"tag", `tag "refs/tags/v1.0.0" is a git ref, not a tag name: Pass the tag's name, such as v1.2.3: in GitHub Actions that is $GITHUB_REF_NAME, not $GITHUB_REF`},
		{"a branch ref", func(dir string) publish.Options { return publish.Options{Tag: "refs/heads/main", AssetsDir: dir} }, "tag", "is a git ref"},
		{"HEAD", func(dir string) publish.Options { return publish.Options{Tag: "HEAD", AssetsDir: dir} }, "tag", "is a git ref"},
		{"a bidirectional override in the tag", func(dir string) publish.Options {
			return publish.Options{Tag: "v1.0.0-\u202egnp.exe", AssetsDir: dir}
		}, "tag", `contains U+202E RIGHT-TO-LEFT OVERRIDE, which is invisible or reorders the text around it: Type the tag again`},
		{"a target cut short", func(dir string) publish.Options {
			return publish.Options{Tag: "v1.0.0", AssetsDir: dir, Target: "abcdef1"}
		}, "target", "looks like a commit SHA cut short"},
		{"a target that is no branch name", func(dir string) publish.Options {
			return publish.Options{Tag: "v1.0.0", AssetsDir: dir, Target: "feature..x"}
		}, "target", `target "feature..x" contains ".."`},
		{"notes past GitHub's limit", func(dir string) publish.Options {
			return publish.Options{Tag: "v1.0.0", AssetsDir: dir, Notes: strings.Repeat("é", 125001)}
		}, "notes", "the notes are 125001 characters long"},
		{"an unknown latest", func(dir string) publish.Options {
			return publish.Options{Tag: "v1.0.0", AssetsDir: dir, MakeLatest: "sometimes"}
		},
			"latest", `"sometimes" is not true, false or legacy`},
		{"a checksum file that does not match", func(dir string) publish.Options {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "checksums.txt"), []byte(strings.Repeat("0", 64)+"  widgets_1.0.0_windows_amd64.zip\n"), 0o644))
			return publish.Options{Tag: "v1.0.0", AssetsDir: dir}
		}, "assets", "the checksums do not match the files"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeDir(t, defaultFiles())
			_, err := publish.Prepare(tc.opts(dir))
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, outcome.InvalidInput, e.Class)
			assert.Equal(t, tc.wantInput, e.Input)
			assert.Contains(t, err.Error(), tc.want)
			_, statErr := os.Stat(filepath.Join(dir, checksums.FileName))
			assert.ErrorIs(t, statErr, os.ErrNotExist, "nothing is written")
		})
	}
}

// A directory without a checksum file gets its SHA256SUMS only once the publish starts, after
// the probe: Prepare writes nothing.
func TestPrepareWritesNothing(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, defaultFiles())
	prep, err := publish.Prepare(publish.Options{Tag: "v1.0.0", AssetsDir: dir})
	require.NoError(t, err)
	var names []string
	sizes := map[string]int64{}
	for _, f := range prep.Files() {
		names = append(names, f.Name)
		sizes[f.Name] = f.Size
		assert.Empty(t, f.SHA256, "%s: without a checksum file to verify, nothing is hashed before the publish", f.Name)
	}
	assert.Equal(t, []string{checksums.FileName, "widgets_1.0.0_darwin_arm64.tar.gz", "widgets_1.0.0_linux_amd64.tar.gz", "widgets_1.0.0_windows_amd64.zip"}, names)
	assert.NoFileExists(t, filepath.Join(dir, checksums.FileName))

	// The publish hashes them while it uploads, and writes the SHA256SUMS of the size foretold.
	f := newFixture(t, fixtureOpts{})
	res, err := publish.Publish(t.Context(), f.client, prep.For(testRepo))
	require.NoError(t, err)
	written, err := os.ReadFile(filepath.Join(dir, checksums.FileName))
	require.NoError(t, err)
	assert.EqualValues(t, sizes[checksums.FileName], len(written))
	for _, a := range res.Assets {
		assert.Len(t, a.SHA256, 64, a.Name)
	}
	requireIntact(t, f.srv.Releases(repoName)[0], defaultFiles())
}

// A file that changes between Prepare and its upload fails the publish as invalid input and
// is never published: its digest on GitHub does not match what was hashed, or its size changed.
func TestPublishRefusesAFileChangedMeanwhile(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, defaultFiles())
	prep, err := publish.Prepare(publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "widgets_1.0.0_windows_amd64.zip"), []byte("rebuilt meanwhile"), 0o644))
	f := newFixture(t, fixtureOpts{})
	_, err = publish.Publish(t.Context(), f.client, prep)
	require.Error(t, err)
	assert.Equal(t, outcome.InvalidInput, outcome.ClassOf(err))
	assert.Contains(t, err.Error(), "changed or went away while it was published")
	rels := f.srv.Releases(repoName)
	require.Len(t, rels, 1)
	assert.True(t, rels[0].Draft, "nothing was published")
}

// What GitHub refuses only at publish time, when no preflight check ran (or the repository
// changed since), fails with the class the preflight check would have given, exit 3, and
// leaves no published release that changed: a ruleset that forbids creating the tag on
// undraft, the 1000-asset cap on a resumed draft, and uploads to an immutable release.
func TestPublishTimeRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		setup     func(srv *emulator.Server)
		replace   bool
		class     outcome.Class
		inError   string
		wantDraft bool // the release is left a draft
	}{
		{name: "tag ruleset on undraft", setup: func(srv *emulator.Server) {
			srv.AddRuleset(repoName, emulator.Ruleset{Name: "release tags", Include: []string{"~ALL"}, Rules: []string{"creation"}})
		}, class: outcome.TagProtected, inError: "Settings → Rules → Rulesets", wantDraft: true},
		{name: "1000 assets on a resumed draft", setup: func(srv *emulator.Server) {
			var assets []emulator.Asset
			for i := range 999 {
				assets = append(assets, emulator.Asset{Name: fmt.Sprintf("old_%03d.txt", i), Content: []byte("x")})
			}
			srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true, Assets: assets})
		}, class: outcome.AssetLimit, inError: "GitHub allows 1000 assets per release", wantDraft: true},
		{name: "immutable published release", setup: func(srv *emulator.Server) {
			srv.SetImmutableReleases(repoName, true)
			srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Immutable: true,
				Assets: []emulator.Asset{{Name: "widgets_1.0.0_linux_amd64.tar.gz", Content: []byte("older bytes")}}})
		}, replace: true, class: outcome.ReleaseImmutable, inError: "Release under a new tag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			tc.setup(f.srv)
			before := f.srv.Releases(repoName)
			_, err := run(t.Context(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, defaultFiles()), ReplaceAssets: tc.replace})
			require.Error(t, err)
			assert.Equal(t, tc.class, outcome.ClassOf(err))
			assert.Equal(t, 3, outcome.ClassOf(err).ExitCode())
			assert.Contains(t, err.Error(), tc.inError)
			after := f.srv.Releases(repoName)
			require.Len(t, after, 1)
			assert.Equal(t, tc.wantDraft, after[0].Draft)
			if !tc.wantDraft {
				assert.Equal(t, before[0].Assets, after[0].Assets, "the published release is unchanged")
			}
		})
	}
}

// Three jobs replace the assets of one published release with the same files, at once: each
// succeeds, or fails with a conflict that says to re-run (its sibling swapped the asset first);
// once those re-run, the release holds the files intact, and no temporary asset is left.
func TestPublishConcurrentReplaces(t *testing.T) {
	t.Parallel()
	for round := range 4 {
		t.Run(fmt.Sprint("round ", round), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			seedPublished(t, f, publishedFiles, nil)
			const jobs = 3
			opts := make([]publish.Options, jobs)
			errs := make([]error, jobs)
			var wg sync.WaitGroup
			for i := range jobs {
				opts[i] = publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, replacingFiles), ReplaceAssets: true, Concurrency: 1}
				wg.Go(func() { _, errs[i] = run(context.Background(), f.client, opts[i]) })
			}
			wg.Wait()
			for i, err := range errs {
				if err == nil {
					continue
				}
				assert.Equal(t, outcome.Conflict, outcome.ClassOf(err), "job %d: %v", i, err)
				assert.Contains(t, err.Error(), "Re-run the same command")
				_, err = run(context.Background(), f.client, opts[i])
				require.NoError(t, err, "job %d, re-run", i)
			}
			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			assert.False(t, rels[0].Draft)
			requireIntact(t, rels[0], replacingFiles)
		})
	}
}
