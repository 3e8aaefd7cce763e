package publish_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/pipeline/checksums"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/publish"
)

// The release a replace starts from, and the files that replace its assets: a.tar.gz is
// rebuilt, b.tar.gz is the same, c.tar.gz is new.
var (
	publishedFiles = map[string]string{"a.tar.gz": "a, as first built", "b.tar.gz": "b, the same"}
	replacingFiles = map[string]string{"a.tar.gz": "a, rebuilt with a fix", "b.tar.gz": "b, the same", "c.tar.gz": "c, new"}
)

// seedPublished seeds release v1.0.0 published with files and their SHA256SUMS, plus extra
// assets (name → content).
func seedPublished(t *testing.T, f *fixture, files map[string]string, extra map[string]string) emulator.Release {
	t.Helper()
	var assets []emulator.Asset
	var lines []string
	for _, name := range sortedKeys(files) {
		assets = append(assets, emulator.Asset{Name: name, Content: []byte(files[name])})
		lines = append(lines, sha256Hex([]byte(files[name]))+"  "+name)
	}
	assets = append(assets, emulator.Asset{Name: checksums.FileName, Content: []byte(strings.Join(lines, "\n") + "\n")})
	for _, name := range sortedKeys(extra) {
		assets = append(assets, emulator.Asset{Name: name, Content: []byte(extra[name])})
	}
	return f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Assets: assets})
}

// A replace, whatever fails and wherever it is cut short, never shows a reader the published
// release without one of its assets but for the renames that end a gap, nor an incomplete one;
// the run that fails says so, keeps the old asset in place, and the same command run again
// converges on the new files.
func TestPublishReplaceNeverShowsAGap(t *testing.T) {
	t.Parallel()
	rename := func(skip, times int) emulator.Fault {
		return emulator.Fault{Endpoint: "update-a-release-asset", Skip: skip, Times: times, Status: http.StatusBadGateway}
	}
	tests := []struct {
		name    string
		faults  []emulator.Fault
		cancel  bool          // the run's context is cancelled at its first retry wait
		class   outcome.Class // the first run's failure; "" when it succeeds
		inError string
	}{
		{name: "nothing fails"},
		{name: "the rename into place fails once", faults: []emulator.Fault{rename(1, 1)}},
		{name: "the rename into place fails every attempt: the old asset is renamed back",
			faults: []emulator.Fault{rename(1, 3)}, class: outcome.ServerError, inError: "rename asset"},
		{name: "the rename aside fails every attempt: it is renamed back, harmlessly",
			faults: []emulator.Fault{rename(0, 3)}, class: outcome.ServerError, inError: "rename asset"},
		{name: "the rename aside is answered, after the work, with a dropped connection",
			faults: []emulator.Fault{{Endpoint: "update-a-release-asset", AfterWork: true, Drop: true}}},
		{name: "the rename into place is answered, after the work, with a dropped connection, every attempt: renaming the old one back finds the name taken",
			faults: []emulator.Fault{{Endpoint: "update-a-release-asset", Skip: 1, Times: 3, AfterWork: true, Drop: true}}},
		{name: "the run is cancelled between the two renames: the one into place is still sent",
			faults: []emulator.Fault{rename(1, 1)}, cancel: true, class: outcome.Unexpected, inError: "delete asset a.tar.gz in acme/widgets: canceled"},
		{name: "the old asset cannot be deleted: it waits aside, and the next run deletes it",
			faults: []emulator.Fault{{Endpoint: "delete-a-release-asset", Times: 3, Status: http.StatusBadGateway}},
			class:  outcome.ServerError, inError: "delete asset"},
		{name: "the replacement's upload fails: nothing is renamed",
			faults: []emulator.Fault{{Endpoint: "upload-a-release-asset", Times: 3, Status: http.StatusBadGateway}},
			class:  outcome.ServerError, inError: "upload"},
		{name: "SHA256SUMS's rename into place fails every attempt",
			faults: []emulator.Fault{rename(4, 3)}, class: outcome.ServerError, inError: "rename asset"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			fo := fixtureOpts{}
			if tc.cancel {
				fo.onSleep = cancel
			}
			f := newFixture(t, fo)
			seedPublished(t, f, publishedFiles, nil)
			for _, fault := range tc.faults {
				f.srv.Inject(fault)
			}
			dir := writeDir(t, replacingFiles)
			opts := publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir, ReplaceAssets: true, Concurrency: 1}
			watch := emulatortest.WatchReleases(f.srv, repoName)

			_, err := run(ctx, f.client, opts)
			if tc.class != "" {
				require.Error(t, err)
				assert.Equal(t, tc.class, outcome.ClassOf(err), err.Error())
				assert.Contains(t, err.Error(), tc.inError)
				assert.Contains(t, err.Error(), "re-run the same command to finish replacing the assets of release ID")
				rel := f.srv.Releases(repoName)[0]
				assert.False(t, rel.Draft)
				for _, name := range []string{"a.tar.gz", "b.tar.gz", checksums.FileName} {
					assert.Contains(t, assetNames(rel), name, "the failed run left the release with %s", name)
				}
			} else {
				require.NoError(t, err)
			}
			f.srv.ClearFaults()
			res, err := run(context.Background(), f.client, opts)
			require.NoError(t, err, "the same command again converges")
			reads, gaps := watch.Check(t)
			assert.Positive(t, reads, "the watch read the published release")
			t.Logf("%d reads of the release, %d of them during a rename that ends a gap", reads, gaps)

			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			assert.False(t, rels[0].Draft)
			requireIntact(t, rels[0], replacingFiles)
			assert.Equal(t, rels[0].ID, res.ReleaseID)
		})
	}
}

// When GitHub fails both the rename into place and the rename back, the release lacks the asset
// until the next run, and the error says so; the next run starts by putting it in place.
func TestPublishReplaceWhenBothRenamesFail(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	seedPublished(t, f, publishedFiles, nil)
	f.srv.Inject(emulator.Fault{Endpoint: "update-a-release-asset", Skip: 1, Times: -1, Status: http.StatusBadGateway})
	opts := publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, replacingFiles), ReplaceAssets: true, Concurrency: 1}

	_, err := run(context.Background(), f.client, opts)
	require.Error(t, err)
	assert.Equal(t, outcome.ServerError, outcome.ClassOf(err))
	assert.Contains(t, err.Error(), "release v1.0.0 lacks a.tar.gz until the next run: its old asset waits as preflight-old.a.tar.gz "+
		"and its replacement as preflight-swap.a.tar.gz, and renaming either into place failed")
	assert.Contains(t, err.Error(), "Re-run the same command as soon as GitHub answers again")
	names := assetNames(f.srv.Releases(repoName)[0])
	assert.NotContains(t, names, "a.tar.gz")
	assert.Contains(t, names, "preflight-old.a.tar.gz")
	assert.Contains(t, names, "preflight-swap.a.tar.gz")

	f.srv.ClearFaults()
	res, err := run(context.Background(), f.client, opts)
	require.NoError(t, err)
	assert.Contains(t, strings.Join(res.Warnings, "\n"), "finished swapping in a.tar.gz, which an earlier run left half done")
	requireIntact(t, f.srv.Releases(repoName)[0], replacingFiles)
}

// What a job killed in the middle of a swap leaves, the next run finishes or undoes first:
// each state of the swap is seeded as a killed job would leave it.
func TestPublishReplaceRecoversAKilledSwap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		held        map[string]string // the release's assets under the files' names
		extra       map[string]string // its other assets, temporary names among them
		replace     bool
		wantWarning string
		want        map[string]string // the assets in the end, SHA256SUMS aside
	}{
		{
			name:        "killed between the renames: the verified replacement is renamed in",
			held:        map[string]string{"b.tar.gz": "b, the same"},
			extra:       map[string]string{"preflight-old.a.tar.gz": "a, as first built", "preflight-swap.a.tar.gz": "a, rebuilt with a fix"},
			replace:     true,
			wantWarning: "finished swapping in a.tar.gz, which an earlier run left half done",
			want:        replacingFiles,
		},
		{
			name:        "killed between the renames, with another replacement: the old asset is put back, then replaced",
			held:        map[string]string{"b.tar.gz": "b, the same"},
			extra:       map[string]string{"preflight-old.a.tar.gz": "a, as first built", "preflight-swap.a.tar.gz": "a, some other build"},
			replace:     true,
			wantWarning: "put a.tar.gz back in place: an earlier run left it aside as preflight-old.a.tar.gz",
			want:        replacingFiles,
		},
		{
			name:        "killed before deleting the old asset: it is deleted",
			held:        map[string]string{"a.tar.gz": "a, rebuilt with a fix", "b.tar.gz": "b, the same"},
			extra:       map[string]string{"preflight-old.a.tar.gz": "a, as first built"},
			replace:     true,
			wantWarning: "deleted preflight-old.a.tar.gz, the old a.tar.gz an earlier run had left aside",
			want:        replacingFiles,
		},
		{
			name:    "killed after uploading the replacement: it is used",
			held:    publishedFiles,
			extra:   map[string]string{"preflight-swap.a.tar.gz": "a, rebuilt with a fix"},
			replace: true,
			want:    replacingFiles,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			seedPublished(t, f, tc.held, tc.extra)
			uploadsBefore := countCalls(f.srv)[uploadAsset+" 201"]

			res, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0",
				AssetsDir: writeDir(t, replacingFiles), ReplaceAssets: tc.replace, Concurrency: 1})
			require.NoError(t, err)
			if tc.wantWarning != "" {
				assert.Contains(t, strings.Join(res.Warnings, "\n"), tc.wantWarning)
			}
			requireIntact(t, f.srv.Releases(repoName)[0], tc.want)
			if strings.HasPrefix(tc.name, "killed between the renames: the verified") || strings.HasPrefix(tc.name, "killed after uploading") {
				// a.tar.gz is not uploaded again: c.tar.gz and SHA256SUMS are.
				assert.Equal(t, uploadsBefore+2, countCalls(f.srv)[uploadAsset+" 201"])
			}
		})
	}
}

// A sibling job replacing the same asset at the same moment makes a rename of this run's swap
// fail: the asset it renames is gone (404, the sibling deleted it) or the name is taken (422
// already_exists, the sibling put an asset there). Each such failure is a conflict to re-run,
// exit 1 as the README says, never "no access" (exit 3) nor a validation error; the re-run
// converges. Seeded: a killed swap this run puts back (its first rename fails), and a plain
// replace (its second rename, the replacement's into place, fails and is undone).
func TestPublishSwapRacingASibling(t *testing.T) {
	t.Parallel()
	killed := map[string]string{"preflight-old.a.tar.gz": "a, as first built", "preflight-swap.a.tar.gz": "a, some other build"}
	gone := emulator.Fault{Endpoint: "update-a-release-asset", Status: http.StatusNotFound}
	taken := emulator.Fault{Endpoint: "update-a-release-asset", Status: http.StatusUnprocessableEntity,
		Body: `{"message":"Validation Failed","errors":[{"resource":"ReleaseAsset","code":"already_exists","field":"name"}],` +
			`"documentation_url":"https://docs.github.com/rest/releases/assets#update-a-release-asset","status":"422"}`}
	intoPlace := func(f emulator.Fault) emulator.Fault { f.Skip = 1; return f }
	tests := []struct {
		name  string
		held  map[string]string
		extra map[string]string
		fault emulator.Fault
	}{
		{name: "a killed swap's old asset is gone", held: map[string]string{"b.tar.gz": "b, the same"}, extra: killed, fault: gone},
		{name: "a killed swap's name is taken", held: map[string]string{"b.tar.gz": "b, the same"}, extra: killed, fault: taken},
		{name: "the replacement's name is taken", held: publishedFiles, fault: intoPlace(taken)},
		{name: "the replacement is gone", held: publishedFiles, fault: intoPlace(gone)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			seedPublished(t, f, tc.held, tc.extra)
			f.srv.Inject(tc.fault)
			opts := publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, replacingFiles), ReplaceAssets: true, Concurrency: 1}

			_, err := run(context.Background(), f.client, opts)
			require.Error(t, err)
			assert.Equal(t, outcome.Conflict, outcome.ClassOf(err), "%v", err)
			assert.Equal(t, 1, outcome.ClassOf(err).ExitCode())
			assert.Contains(t, err.Error(), "a.tar.gz of release v1.0.0 changed while this run replaced it")
			assert.Contains(t, err.Error(), "Re-run the same command")
			rel := f.srv.Releases(repoName)[0]
			assert.False(t, rel.Draft)
			if tc.extra == nil {
				assert.Contains(t, assetNames(rel), "a.tar.gz", "the undone swap leaves the old asset in place")
			}

			_, err = run(context.Background(), f.client, opts)
			require.NoError(t, err, "the re-run")
			requireIntact(t, f.srv.Releases(repoName)[0], replacingFiles)
		})
	}
}

// GitHub's read-back, not its answer to the update, says whether a draft was published: a 404, a
// 200 whose release is still a draft, a cut or lost answer are each resolved by reading the
// release; one that is still a draft fails (the draft kept for the re-run), one that is
// published succeeds. The same command then converges.
func TestPublishSucceedsOnlyOnAReadBack(t *testing.T) {
	t.Parallel()
	update := func(f emulator.Fault) emulator.Fault { f.Endpoint = "update-a-release"; return f }
	tests := []struct {
		name    string
		fault   emulator.Fault
		raw     bool // the fault answers what GitHub's description does not, or is cut short
		class   outcome.Class
		inError string // "" when the run succeeds
		warning string
	}{
		{name: "404 and still a draft", fault: update(emulator.Fault{Status: http.StatusNotFound}), class: outcome.ServerError,
			inError: "GitHub answered 404 Not Found to publishing draft release ID"},
		{name: "404 after publishing it", fault: update(emulator.Fault{Status: http.StatusNotFound, AfterWork: true}),
			warning: "the answer to publishing v1.0.0 was lost"},
		{name: "200 with an odd body, still a draft", fault: update(emulator.Fault{Status: http.StatusOK, Body: `{"id":1,"draft":false}`}), raw: true,
			class: outcome.ServerError, inError: "GitHub answered 200 OK to publishing draft release ID"},
		{name: "a body cut short after publishing it, every attempt", fault: update(emulator.Fault{TruncateBody: true, Times: 3}), raw: true,
			warning: "the answer to publishing v1.0.0 was lost"},
		{name: "a dropped connection after publishing it, every attempt", fault: update(emulator.Fault{Drop: true, AfterWork: true, Times: 3}),
			warning: "the answer to publishing v1.0.0 was lost"},
		{name: "the read-back fails", fault: emulator.Fault{Endpoint: "get-a-release", Times: 3, Status: http.StatusBadGateway},
			class: outcome.ServerError, inError: "GitHub answered that release v1.0.0 was published, but reading it back to verify it failed"},
		{name: "a tag ruleset: the update's own class", fault: update(emulator.Fault{Status: http.StatusUnprocessableEntity,
			Body: `{"message":"Validation Failed","errors":[{"resource":"Release","code":"custom","field":"pre_receive","message":"pre_receive Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n"}],"documentation_url":"https://docs.github.com/rest/releases/releases#update-a-release","status":"422"}`}),
			class: outcome.TagProtected, inError: "Settings → Rules → Rulesets"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{maxAttempts: 3, raw: tc.raw})
			f.srv.Inject(tc.fault)
			files := defaultFiles()
			opts := publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, files)}

			res, err := run(context.Background(), f.client, opts)
			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			if tc.inError == "" {
				require.NoError(t, err)
				assert.False(t, res.Draft)
				assert.False(t, rels[0].Draft)
				assert.Contains(t, strings.Join(res.Warnings, "\n"), tc.warning)
				requireIntact(t, rels[0], files)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.class, outcome.ClassOf(err), err.Error())
			assert.Contains(t, err.Error(), tc.inError)
			if tc.fault.Endpoint == "update-a-release" {
				assert.True(t, rels[0].Draft, "nothing was published")
				assert.Empty(t, f.srv.Tags(repoName))
				assert.True(t, strings.HasSuffix(err.Error(),
					fmt.Sprintf("re-run the same command to resume (draft release ID %d kept)", rels[0].ID)), err.Error())
			}

			f.srv.ClearFaults()
			res, err = run(context.Background(), f.client, opts)
			if tc.class == outcome.TagProtected {
				return // the ruleset is GitHub's answer only; there is none to lift
			}
			require.NoError(t, err, "the same command again converges")
			assert.False(t, res.Draft)
			rels = f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			assert.False(t, rels[0].Draft)
			requireIntact(t, rels[0], files)
		})
	}
}

// The last job of a matrix publishes the draft as it stands with the target, pre-release flag
// and notes it was given (generated notes after them): nothing it was given is dropped.
func TestPublishFinishAppliesWhatItWasGiven(t *testing.T) {
	t.Parallel()
	const sha = "0123456789abcdef0123456789abcdef01234567"
	yes := true
	tests := []struct {
		name       string
		opts       publish.Options
		wantTarget string
		wantPre    bool
		wantBody   string // "GENERATED" stands for GitHub's generated notes
	}{
		{name: "nothing given: the draft as the matrix jobs made it", wantTarget: "main", wantBody: "from the matrix"},
		{name: "a target, a pre-release flag and notes", opts: publish.Options{Target: sha, Prerelease: &yes, Notes: "final notes"},
			wantTarget: sha, wantPre: true, wantBody: "final notes"},
		{name: "a branch as target", opts: publish.Options{Target: "release-1.x"}, wantTarget: "release-1.x", wantBody: "from the matrix"},
		{name: "generated notes after the notes", opts: publish.Options{Notes: "Highlights.", GenerateNotes: true},
			wantTarget: "main", wantBody: "Highlights.\n\nGENERATED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			files := map[string]string{"widgets_1.0.0_linux_amd64.tar.gz": "linux"}
			_, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, files),
				Draft: true, Notes: "from the matrix"})
			require.NoError(t, err)

			opts := tc.opts
			opts.Repo, opts.Tag = testRepo, "v1.0.0"
			res, err := run(context.Background(), f.client, opts)
			require.NoError(t, err)
			assert.False(t, res.Draft)

			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			rel := rels[0]
			assert.False(t, rel.Draft)
			assert.Equal(t, tc.wantTarget, rel.TargetCommitish)
			assert.Equal(t, tc.wantPre, rel.Prerelease)
			generated := "**Full Changelog**: " + f.srv.URL() + "/acme/widgets/commits/v1.0.0"
			assert.Equal(t, strings.ReplaceAll(tc.wantBody, "GENERATED", generated), rel.Body)
			requireIntact(t, rel, files)
			assert.Empty(t, res.Warnings)
		})
	}
}

// Empty duplicate drafts of the tag that sibling jobs made moments ago draw no warning: each
// sibling deletes its own. One that is older, or holds assets, does.
func TestPublishWarnsOnlyAboutDraftsNoSiblingDeletes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	now := f.clock.Now()
	winner := f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true, CreatedAt: now.Add(-time.Minute)})
	f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true, CreatedAt: now.Add(-time.Minute)})
	f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true, CreatedAt: now})
	stale := f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true, CreatedAt: now.Add(-24 * time.Hour)})
	held := f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true, CreatedAt: now,
		Assets: []emulator.Asset{{Name: "notes.txt", Content: []byte("by hand")}}})

	res, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, defaultFiles())})
	require.NoError(t, err)
	assert.Equal(t, winner.ID, res.ReleaseID, "the oldest draft is resumed (the lowest ID of those made at once)")
	var warned []int64
	for _, w := range res.Warnings {
		var id int64
		if _, err := fmt.Sscanf(w, "draft release ID %d also has the tag", &id); err == nil {
			warned = append(warned, id)
		}
	}
	slices.Sort(warned)
	assert.Equal(t, []int64{stale.ID, held.ID}, warned)
}

// Five publishes of one tag at once, each creating its draft: no job warns about the duplicate
// drafts its siblings delete themselves.
func TestPublishConcurrentJobsDoNotWarnAboutEachOther(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	const jobs = 5
	var wg sync.WaitGroup
	results := make([]publish.Result, jobs)
	errs := make([]error, jobs)
	for i := range jobs {
		dir := writeDir(t, defaultFiles())
		wg.Go(func() {
			results[i], errs[i] = run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
		})
	}
	wg.Wait()
	drafts := countCalls(f.srv)[createRelease+" 201"]
	for i := range jobs {
		require.NoError(t, errs[i], "job %d", i)
		for _, w := range results[i].Warnings {
			assert.NotContains(t, w, "also has the tag", "job %d", i)
		}
	}
	require.Len(t, f.srv.Releases(repoName), 1)
	t.Logf("%d jobs created %d drafts", jobs, drafts)
}

// Without digests, a published release with files of the same sizes cannot be compared with
// them: the conflict says so, rather than that identical files differ.
func TestPublishConflictWithoutDigests(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	files := defaultFiles()
	var assets []emulator.Asset
	for _, name := range sortedKeys(files) {
		// Seeded with a size and no content: GitHub kept no digest (uploaded before June 2025).
		assets = append(assets, emulator.Asset{Name: name, Size: int64(len(files[name]))})
	}
	assets[0].Size++ // and one of another size
	f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Assets: assets})

	_, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, files)})
	require.Error(t, err)
	assert.Equal(t, outcome.Conflict, outcome.ClassOf(err))
	first := sortedKeys(files)[0]
	for _, name := range sortedKeys(files)[1:] {
		assert.Contains(t, err.Error(), name+" cannot be compared: it has the same size, but GitHub has no digest of it")
		assert.NotContains(t, err.Error(), name+" differs")
	}
	assert.Contains(t, err.Error(), fmt.Sprintf("%s differs (%d bytes on GitHub, %d here)", first, len(files[first])+1, len(files[first])))
}
