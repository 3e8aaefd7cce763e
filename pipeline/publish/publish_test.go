package publish_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/checksums"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/publish"
)

// Request summaries as calls() prints them.
const (
	listReleases  = "GET /repos/acme/widgets/releases"
	createRelease = "POST /repos/acme/widgets/releases"
	listAssets    = "GET /repos/acme/widgets/releases/{id}/assets"
	uploadAsset   = "POST /repos/acme/widgets/releases/{id}/assets"
	deleteAsset   = "DELETE /repos/acme/widgets/releases/assets/{id}"
	editRelease   = "PATCH /repos/acme/widgets/releases/{id}"
	getRelease    = "GET /repos/acme/widgets/releases/{id}"
	renameAsset   = "PATCH /repos/acme/widgets/releases/assets/{id}"
	deleteRelease = "DELETE /repos/acme/widgets/releases/{id}"
)

// freshCalls are the requests of a first publish of n assets (SHA256SUMS included): find,
// create, find again (a sibling's draft may have appeared), n-1 uploads, verify, SHA256SUMS
// from the digests, publish, and read it back.
func freshCalls(n int) map[string]int {
	return map[string]int{
		listReleases + " 200":  2,
		createRelease + " 201": 1,
		listAssets + " 200":    1,
		uploadAsset + " 201":   n,
		editRelease + " 200":   1,
		getRelease + " 200":    1,
	}
}

// withCalls returns base with delta added (and zero counts removed).
func withCalls(base, delta map[string]int) map[string]int {
	out := maps.Clone(base)
	for k, v := range delta {
		out[k] += v
		if out[k] == 0 {
			delete(out, k)
		}
	}
	return out
}

var progressLine = regexp.MustCompile(`^uploaded (\S+) \((\d+ B|\d+\.\d [KMGTPE]iB)\) in 0s$`)

func TestPublishFreshRelease(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	tests := []struct {
		name       string
		ghes       bool // GitHub Enterprise Server's paths
		opts       publish.Options
		withSums   bool // the directory already holds SHA256SUMS
		wantName   string
		wantPre    bool
		wantTarget string
	}{
		{
			name:       "release tag with defaults",
			opts:       publish.Options{Tag: "v1.0.0"},
			wantName:   "v1.0.0",
			wantTarget: "main",
		},
		{
			name:       "rc tag is a prerelease, GitHub Enterprise Server paths",
			ghes:       true,
			opts:       publish.Options{Tag: "v2.0.0-rc.1", Notes: "Try it.", Target: "release-2.0"},
			wantName:   "v2.0.0-rc.1",
			wantPre:    true,
			wantTarget: "release-2.0",
		},
		{
			name:       "explicit prerelease=false wins over the rc suffix",
			opts:       publish.Options{Tag: "v2.0.0-rc.2", Prerelease: &no},
			wantName:   "v2.0.0-rc.2",
			wantTarget: "main",
		},
		{
			name:       "explicit prerelease=true, one upload at a time, generated notes",
			opts:       publish.Options{Tag: "v1.1.0", Prerelease: &yes, Concurrency: 1, GenerateNotes: true},
			wantName:   "v1.1.0",
			wantPre:    true,
			wantTarget: "main",
		},
		{
			name:       "existing SHA256SUMS is uploaded as is",
			opts:       publish.Options{Tag: "v1.0.1"},
			withSums:   true,
			wantName:   "v1.0.1",
			wantTarget: "main",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{ghes: tc.ghes})
			files := defaultFiles()
			dir := writeDir(t, files)
			var sums []byte
			if tc.withSums {
				writeSums(t, dir)
				var err error
				sums, err = os.ReadFile(filepath.Join(dir, checksums.FileName))
				require.NoError(t, err)
			}

			// Before it is published the release must stay a draft without a
			// tag: check on every progress line, i.e. after every upload.
			var duringUpload []string
			progress := &lockedBuffer{onLine: func(string) {
				duringUpload = append(duringUpload, f.srv.Tags(repoName)...)
				for _, r := range f.srv.Releases(repoName) {
					if !r.Draft {
						duringUpload = append(duringUpload, "published release "+r.TagName)
					}
				}
			}}
			opts := tc.opts
			opts.Repo, opts.AssetsDir, opts.Progress, opts.Now = testRepo, dir, progress, fixedNow

			res, err := run(context.Background(), f.client, opts)
			require.NoError(t, err)
			assert.Empty(t, duringUpload, "the tag or a published release existed before all uploads were done")

			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			rel := rels[0]
			assert.False(t, rel.Draft)
			assert.Equal(t, opts.Tag, rel.TagName)
			assert.Equal(t, tc.wantName, rel.Name)
			if opts.GenerateNotes {
				assert.Equal(t, "**Full Changelog**: "+f.srv.URL()+"/acme/widgets/commits/"+opts.Tag, rel.Body, "GitHub generated the notes")
			} else {
				assert.Equal(t, opts.Notes, rel.Body)
			}
			assert.Equal(t, tc.wantPre, rel.Prerelease)
			assert.Equal(t, tc.wantTarget, rel.TargetCommitish)
			assert.Equal(t, []string{opts.Tag}, f.srv.Tags(repoName))

			wantNames := append(sortedKeys(files), checksums.FileName)
			slices.Sort(wantNames)
			assert.Equal(t, wantNames, assetNames(rel))
			var gotSums []byte
			for _, a := range rel.Assets {
				assert.Equal(t, "uploaded", a.State, a.Name)
				if a.Name == checksums.FileName {
					gotSums = a.Content
					continue
				}
				assert.Equal(t, files[a.Name], string(a.Content), a.Name)
			}
			assertSums(t, files, gotSums)
			if tc.withSums {
				assert.Equal(t, string(sums), string(gotSums), "an existing SHA256SUMS must be uploaded unchanged")
			}

			assert.Equal(t, rel.ID, res.ReleaseID)
			assert.False(t, res.Draft)
			assert.False(t, res.Resumed)
			assert.Equal(t, fmt.Sprintf("%s/acme/widgets/releases/tag/%s", f.srv.URL(), opts.Tag), res.HTMLURL)
			assert.Empty(t, res.Warnings)
			require.Len(t, res.Assets, len(wantNames))
			for i, a := range res.Assets {
				assert.Equal(t, wantNames[i], a.Name)
				content := files[a.Name]
				if a.Name == checksums.FileName {
					content = string(gotSums)
				}
				assert.Equal(t, int64(len(content)), a.Size, a.Name)
				assert.Equal(t, sha256Hex([]byte(content)), a.SHA256, a.Name)
			}

			var uploaded []string
			for _, line := range strings.Split(strings.TrimSuffix(progress.String(), "\n"), "\n") {
				m := progressLine.FindStringSubmatch(line)
				require.NotNil(t, m, "progress line %q", line)
				uploaded = append(uploaded, m[1])
			}
			assert.ElementsMatch(t, wantNames, uploaded, "one progress line per asset")

			got := calls(f.srv)
			assert.Equal(t, listReleases+" 200", got[0])
			assert.Equal(t, createRelease+" 201", got[1])
			assert.Equal(t, editRelease+" 200", got[len(got)-2])
			assert.Equal(t, getRelease+" 200", got[len(got)-1], "a read shows it published")
			assert.Equal(t, freshCalls(len(wantNames)), countCalls(f.srv))
			assert.Equal(t, len(wantNames)+6, f.client.Requests())
		})
	}
}

// assertSums checks that SHA256SUMS lists exactly files with their sums.
func assertSums(t *testing.T, files map[string]string, sums []byte) {
	t.Helper()
	want := map[string]string{}
	for name, content := range files {
		want[name] = sha256Hex([]byte(content))
	}
	got := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(sums)))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		require.True(t, ok, "SHA256SUMS line %q", sc.Text())
		got[name] = sum
	}
	assert.Equal(t, want, got, "SHA256SUMS must list every file with its SHA-256")
}

func TestPublishDraftLeavesDraftWithoutTag(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	dir := writeDir(t, defaultFiles())

	res, err := run(context.Background(), f.client, publish.Options{
		Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir, Draft: true,
	})
	require.NoError(t, err)

	rels := f.srv.Releases(repoName)
	require.Len(t, rels, 1)
	assert.True(t, rels[0].Draft)
	assert.Len(t, rels[0].Assets, 4)
	assert.Empty(t, f.srv.Tags(repoName), "a draft must not create the tag")
	assert.True(t, res.Draft)
	assert.Equal(t, rels[0].ID, res.ReleaseID)
	assert.Contains(t, res.HTMLURL, "/releases/tag/untagged-")
	assert.Equal(t, withCalls(freshCalls(4), map[string]int{editRelease + " 200": -1, getRelease + " 200": -1}), countCalls(f.srv))

	// Publishing later resumes the same draft.
	res, err = run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
	require.NoError(t, err)
	assert.True(t, res.Resumed)
	assert.False(t, res.Draft)
	assert.Equal(t, rels[0].ID, res.ReleaseID)
	require.Len(t, f.srv.Releases(repoName), 1)
	assert.Equal(t, []string{"v1.0.0"}, f.srv.Tags(repoName))
}

func TestPublishResumesAfterFailedRun(t *testing.T) {
	t.Parallel()
	upload := emulator.Fault{Method: http.MethodPost, PathContains: "/assets"}
	with := func(f emulator.Fault, change func(*emulator.Fault)) emulator.Fault {
		change(&f)
		return f
	}
	tests := []struct {
		name      string
		fault     emulator.Fault
		wantClass outcome.Class
	}{
		{"upload answered 502 with GitHub's HTML page",
			with(upload, func(f *emulator.Fault) { f.Status, f.Body = http.StatusBadGateway, emulator.HTMLErrorBody }),
			outcome.ServerError},
		{"connection dropped mid-upload",
			with(upload, func(f *emulator.Fault) { f.Drop = true }),
			outcome.NetworkError},
		{"upload left a starter asset and dropped the connection",
			with(upload, func(f *emulator.Fault) { f.StarterAsset = true }),
			outcome.NetworkError},
		{"upload left a starter asset and answered 502",
			with(upload, func(f *emulator.Fault) { f.StarterAsset, f.Status = true, http.StatusBadGateway }),
			outcome.ServerError},
		{"publishing answered 503 after every asset was uploaded",
			emulator.Fault{Method: http.MethodPatch, Status: http.StatusServiceUnavailable},
			outcome.ServerError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{maxAttempts: 2})
			fault := tc.fault
			fault.Times = 2 // both attempts of the first upload
			f.srv.Inject(fault)
			files := defaultFiles()
			dir := writeDir(t, files)
			opts := publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir, Concurrency: 1}

			_, err := run(context.Background(), f.client, opts)
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.wantClass, e.Class)
			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			require.True(t, rels[0].Draft, "a failed run must leave the draft")
			assert.True(t, strings.HasSuffix(err.Error(),
				fmt.Sprintf("re-run the same command to resume (draft release ID %d kept)", rels[0].ID)), err.Error())
			assert.Empty(t, f.srv.Tags(repoName))
			requireNoToken(t, err.Error())

			res, err := run(context.Background(), f.client, opts)
			require.NoError(t, err)
			assert.True(t, res.Resumed)
			assert.False(t, res.Draft)
			assert.Equal(t, rels[0].ID, res.ReleaseID)

			rels = f.srv.Releases(repoName)
			require.Len(t, rels, 1, "a re-run must not create a second release")
			assert.False(t, rels[0].Draft)
			assert.Equal(t, []string{checksums.FileName, "widgets_1.0.0_darwin_arm64.tar.gz",
				"widgets_1.0.0_linux_amd64.tar.gz", "widgets_1.0.0_windows_amd64.zip"}, assetNames(rels[0]),
				"every asset exactly once")
			for _, a := range rels[0].Assets {
				assert.Equal(t, "uploaded", a.State, a.Name)
				if a.Name != checksums.FileName {
					assert.Equal(t, files[a.Name], string(a.Content), a.Name)
				}
			}
			assert.Equal(t, []string{"v1.0.0"}, f.srv.Tags(repoName))
			assert.Equal(t, 1, countCalls(f.srv)[createRelease+" 201"])
		})
	}
}

func TestPublishRetriesWithinOneRun(t *testing.T) {
	t.Parallel()
	post := func(path string) emulator.Fault {
		return emulator.Fault{Method: http.MethodPost, PathContains: path}
	}
	tests := []struct {
		name      string
		fault     emulator.Fault
		wantDelta map[string]int  // requests beyond those of a clean run
		wantWaits []time.Duration // rate-limit waits; nil: backoff only
	}{
		{
			name:      "upload 502: the retry checks for a half-made asset first",
			fault:     func() emulator.Fault { f := post("/assets"); f.Status = 502; return f }(),
			wantDelta: map[string]int{uploadAsset + " 502": 1, listAssets + " 200": 1},
		},
		{
			name:      "upload left a starter asset: deleted before the retry",
			fault:     func() emulator.Fault { f := post("/assets"); f.StarterAsset = true; return f }(),
			wantDelta: map[string]int{uploadAsset + " 0": 1, listAssets + " 200": 1, deleteAsset + " 204": 1},
		},
		{
			name: "secondary rate limit on an upload waits Retry-After",
			fault: func() emulator.Fault {
				f := post("/assets")
				f.SecondaryRateLimit, f.RetryAfter = true, 7
				return f
			}(),
			wantDelta: map[string]int{uploadAsset + " 403": 1, listAssets + " 200": 1},
			wantWaits: []time.Duration{7 * time.Second},
		},
		{
			name: "secondary rate limit as 429 on an upload",
			fault: func() emulator.Fault {
				f := post("/assets")
				f.Status429, f.RetryAfter = true, 3
				return f
			}(),
			wantDelta: map[string]int{uploadAsset + " 429": 1, listAssets + " 200": 1},
			wantWaits: []time.Duration{3 * time.Second},
		},
		{
			name:      "create answered 502: retried, and the listing after it finds one draft",
			fault:     func() emulator.Fault { f := post("/releases"); f.Status = 502; return f }(),
			wantDelta: map[string]int{createRelease + " 502": 1},
		},
		{
			name:      "publish answered 502",
			fault:     emulator.Fault{Method: http.MethodPatch, Status: 502},
			wantDelta: map[string]int{editRelease + " 502": 1},
		},
		{
			name:      "listing releases answered 503",
			fault:     emulator.Fault{Method: http.MethodGet, PathContains: "/releases", Status: 503},
			wantDelta: map[string]int{listReleases + " 503": 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			f.srv.Inject(tc.fault)
			dir := writeDir(t, defaultFiles())

			res, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
			require.NoError(t, err)
			assert.False(t, res.Draft)
			assert.False(t, res.Resumed)

			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			assert.False(t, rels[0].Draft)
			assert.Len(t, rels[0].Assets, 4, "no duplicate or half-made assets")
			for _, a := range rels[0].Assets {
				assert.Equal(t, "uploaded", a.State, a.Name)
			}
			assert.Equal(t, withCalls(freshCalls(4), tc.wantDelta), countCalls(f.srv))
			if tc.wantWaits != nil {
				waits := f.sleeps.Waits()
				require.Len(t, waits, len(tc.wantWaits))
				for i, w := range tc.wantWaits {
					assert.InDelta(t, w, waits[i], float64(100*time.Millisecond), "wait %d", i)
				}
			} else {
				assert.Len(t, f.sleeps.Waits(), 1, "one backoff before the one retry")
			}
		})
	}
}

func TestPublishPrimaryRateLimitWaitsForReset(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.srv.Inject(emulator.Fault{Method: http.MethodPost, PathContains: "/assets", PrimaryRateLimit: true, ResetIn: 30 * time.Second})
	dir := writeDir(t, defaultFiles())

	_, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
	require.NoError(t, err)
	waits := f.sleeps.Waits()
	require.Len(t, waits, 1)
	assert.InDelta(t, 30*time.Second, waits[0], float64(2*time.Second), "waits until X-RateLimit-Reset")
	assert.Len(t, f.srv.Releases(repoName)[0].Assets, 4)
}

func TestPublishResumesDraftLeftByEarlierTries(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	files := defaultFiles()
	linux := "widgets_1.0.0_linux_amd64.tar.gz"
	draft := f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true, Assets: []emulator.Asset{
		// Same name and size as the file, other bytes: must be replaced, not skipped.
		{Name: linux, Content: []byte(strings.Repeat("x", len(files[linux])))},
		{Name: "widgets_1.0.0_windows_amd64.zip", State: "starter"},
		{Name: "widgets_1.0.0_freebsd_amd64.tar.gz", State: "starter"},
		{Name: "README.txt", Content: []byte("added by hand")},
	}})
	dir := writeDir(t, files)

	res, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
	require.NoError(t, err)
	assert.True(t, res.Resumed)
	assert.Equal(t, draft.ID, res.ReleaseID)
	assert.Equal(t, []string{
		`deleted the unfinished asset widgets_1.0.0_freebsd_amd64.tar.gz (state "starter") from the draft of v1.0.0`,
		"asset README.txt of release v1.0.0 is not in " + dir + " and was kept",
	}, res.Warnings)

	rels := f.srv.Releases(repoName)
	require.Len(t, rels, 1)
	assert.False(t, rels[0].Draft)
	assert.Equal(t, []string{"README.txt", checksums.FileName, "widgets_1.0.0_darwin_arm64.tar.gz",
		linux, "widgets_1.0.0_windows_amd64.zip"}, assetNames(rels[0]))
	for _, a := range rels[0].Assets {
		assert.Equal(t, "uploaded", a.State, a.Name)
		if want, ok := files[a.Name]; ok {
			assert.Equal(t, want, string(a.Content), a.Name)
		}
	}
	assert.Equal(t, map[string]int{
		listReleases + " 200": 1,
		getRelease + " 200":   2, // still a draft? Only then is anything deleted; and the read-back
		listAssets + " 200":   2,
		deleteAsset + " 204":  3, // two same-named, one unfinished leftover
		uploadAsset + " 201":  4,
		editRelease + " 200":  1,
	}, countCalls(f.srv))
}

func TestPublishAdoptsDraftItCouldNotSee(t *testing.T) {
	t.Parallel()
	// The first listing misses the draft (a concurrent run, or a create whose
	// answer was lost): creating must not make a second release.
	missDraft := emulator.Fault{Method: http.MethodGet, PathContains: "/releases", Status: http.StatusOK, Body: "[]"}
	// GitHub keeps several drafts with one tag, so the emulator would create a
	// second draft; this fault scripts the 422 already_exists case.
	tagTaken := emulator.Fault{Method: http.MethodPost, PathContains: "/releases", Status: http.StatusUnprocessableEntity,
		Body: `{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}],` +
			`"documentation_url":"https://docs.github.com/rest/releases/releases#create-a-release","status":"422"}`}
	tests := []struct {
		name      string
		faults    []emulator.Fault
		wantDelta map[string]int
	}{
		{
			name:   "create answered 422 already_exists: the next listing finds the release",
			faults: []emulator.Fault{missDraft, tagTaken},
			wantDelta: map[string]int{
				createRelease + " 201": -1, createRelease + " 422": 1, listAssets + " 200": 1,
			},
		},
		{
			name:   "a draft created besides the one missed: the older wins, this run deletes its own",
			faults: []emulator.Fault{missDraft, {Method: http.MethodPost, PathContains: "/releases", Status: 502}},
			wantDelta: map[string]int{
				createRelease + " 502": 1, deleteRelease + " 204": 1, listAssets + " 200": 1,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			draft := f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true})
			for _, fault := range tc.faults {
				f.srv.Inject(fault)
			}
			dir := writeDir(t, defaultFiles())

			res, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
			require.NoError(t, err)
			assert.True(t, res.Resumed)
			assert.Equal(t, draft.ID, res.ReleaseID)
			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			assert.False(t, rels[0].Draft)
			assert.Len(t, rels[0].Assets, 4)
			assert.Equal(t, withCalls(freshCalls(4), tc.wantDelta), countCalls(f.srv))
		})
	}
}

func TestPublishPublishedRelease(t *testing.T) {
	t.Parallel()
	linux := "widgets_1.0.0_linux_amd64.tar.gz"
	tests := []struct {
		name          string
		replaceAssets bool
		draft         bool
		wantWarnings  []string // substrings, one per warning
	}{
		{name: "without --replace-assets is a conflict"},
		{name: "with --replace-assets replaces same-named assets", replaceAssets: true,
			wantWarnings: []string{"asset extra.txt of release v1.0.0 is not in"}},
		{name: "with --replace-assets and --draft stays published", replaceAssets: true, draft: true,
			wantWarnings: []string{"cannot be left as a draft", "asset extra.txt of release v1.0.0 is not in"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			seeded := f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Name: "Widgets 1.0", Assets: []emulator.Asset{
				{Name: linux, Content: []byte("old build")},
				{Name: "extra.txt", Content: []byte("keep me")},
			}})
			before := f.srv.Releases(repoName)
			files := defaultFiles()
			dir := writeDir(t, files)

			res, err := run(context.Background(), f.client, publish.Options{
				Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir, ReplaceAssets: tc.replaceAssets, Draft: tc.draft,
			})

			assert.Equal(t, seeded.ID, res.ReleaseID)
			assert.Equal(t, []string{"v1.0.0"}, f.srv.Tags(repoName))
			if !tc.replaceAssets {
				require.Error(t, err)
				e, ok := outcome.As(err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, outcome.Conflict, e.Class)
				assert.True(t, strings.HasSuffix(err.Error(), "Re-run with the option to replace assets to replace its assets, or release under a new tag"), err.Error())
				assert.Equal(t, "replace-assets", e.Input, "the adapter says how to pass it")
				assert.Contains(t, err.Error(), "already published")
				assert.Equal(t, before, f.srv.Releases(repoName), "nothing may change")
				assert.Equal(t, []string{listReleases + " 200", listAssets + " 200"}, calls(f.srv), "read only: its assets are compared")
				return
			}
			require.NoError(t, err)
			assert.False(t, res.Draft)
			assert.False(t, res.Resumed)
			require.Len(t, res.Warnings, len(tc.wantWarnings))
			for i, w := range tc.wantWarnings {
				assert.Contains(t, res.Warnings[i], w)
			}
			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			assert.False(t, rels[0].Draft)
			assert.Equal(t, "Widgets 1.0", rels[0].Name, "only the assets change")
			assert.Equal(t, []string{checksums.FileName, "extra.txt", "widgets_1.0.0_darwin_arm64.tar.gz",
				linux, "widgets_1.0.0_windows_amd64.zip"}, assetNames(rels[0]))
			for _, a := range rels[0].Assets {
				switch a.Name {
				case "extra.txt":
					assert.Equal(t, "keep me", string(a.Content))
				case checksums.FileName:
				default:
					assert.Equal(t, files[a.Name], string(a.Content), a.Name)
				}
			}
			assert.Equal(t, map[string]int{
				listReleases + " 200": 1,
				listAssets + " 200":   2, // to compare, then to verify
				uploadAsset + " 201":  4, // two missing, the linux swap, SHA256SUMS' swap, each under its temporary name
				renameAsset + " 200":  5, // the old linux archive aside and its replacement in; the three missing in
				deleteAsset + " 204":  1, // the old linux archive, once its replacement is there
				getRelease + " 200":   1, // the read-back
			}, countCalls(f.srv))
		})
	}
}

func TestPublishWithoutPermission(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fixture   fixtureOpts
		wantClass outcome.Class
		wantCalls []string
	}{
		{"clamped GITHUB_TOKEN", fixtureOpts{mode: emulator.ModeClamped}, outcome.Clamped,
			[]string{listReleases + " 200", createRelease + " 403"}},
		{"fine-grained token without contents write", fixtureOpts{mode: emulator.ModePATNoContents}, outcome.PATPermission,
			[]string{listReleases + " 200", createRelease + " 403"}},
		{"classic token without repo scope", fixtureOpts{mode: emulator.ModeClassicNoRepo}, outcome.NoAccess,
			[]string{listReleases + " 404"}},
		{"token not authorized for SSO", fixtureOpts{mode: emulator.ModeSSORequired}, outcome.SSORequired,
			[]string{listReleases + " 403"}},
		{"revoked token", fixtureOpts{unknownTok: true}, outcome.BadCredentials,
			[]string{listReleases + " 401"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tc.fixture)
			dir := writeDir(t, defaultFiles())

			res, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.wantClass, e.Class)
			assert.NotContains(t, err.Error(), "resume", "no draft exists to resume")
			requireNoToken(t, err.Error())
			assert.Zero(t, res.ReleaseID)
			assert.Empty(t, f.srv.Releases(repoName), "no release may be created")
			assert.Empty(t, f.srv.Tags(repoName))
			assert.Equal(t, tc.wantCalls, calls(f.srv))
		})
	}
}

func TestPublishRejectsBadInputBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		files     map[string]string
		setup     func(t *testing.T, dir string, o *publish.Options)
		wantInErr string
	}{
		{name: "no tag", setup: func(_ *testing.T, _ string, o *publish.Options) { o.Tag = "" }, wantInErr: "no tag"},
		{name: "tag with a space", setup: func(_ *testing.T, _ string, o *publish.Options) { o.Tag = "v1 .0" }, wantInErr: "spaces"},
		{name: "tag ending in .lock", setup: func(_ *testing.T, _ string, o *publish.Options) { o.Tag = "v1.lock" }, wantInErr: ".lock"},
		{name: "no repository", setup: func(_ *testing.T, _ string, o *publish.Options) { o.Repo = githubapi.Repo{} }, wantInErr: "owner"},
		{name: "negative concurrency", setup: func(_ *testing.T, _ string, o *publish.Options) { o.Concurrency = -1 }, wantInErr: "negative"},
		{name: "missing directory", setup: func(_ *testing.T, dir string, o *publish.Options) { o.AssetsDir = filepath.Join(dir, "nope") }, wantInErr: "no such file"},
		{name: "empty directory", files: map[string]string{}, wantInErr: "no files"},
		{name: "only a subdirectory", files: map[string]string{},
			setup: func(t *testing.T, dir string, _ *publish.Options) {
				require.NoError(t, os.Mkdir(filepath.Join(dir, "linux"), 0o755))
			}, wantInErr: "no files"},
		{name: "empty file", files: map[string]string{"a.zip": "x", "b.zip": ""}, wantInErr: "b.zip is empty"},
		{name: "name GitHub would rename", files: map[string]string{"my file.zip": "x"}, wantInErr: `"my file.zip" would be renamed`},
		{name: "hidden file", files: map[string]string{"a.zip": "x", ".DS_Store": "x"}, wantInErr: `".DS_Store" would be renamed`},
		{name: "file of 2 GiB", files: map[string]string{"a.zip": "x"},
			setup: func(t *testing.T, dir string, _ *publish.Options) {
				big, err := os.Create(filepath.Join(dir, "huge.iso"))
				require.NoError(t, err)
				require.NoError(t, big.Truncate(2<<30))
				require.NoError(t, big.Close())
			}, wantInErr: "huge.iso is 2.0 GiB"},
		{name: "more files than GitHub allows", files: func() map[string]string {
			many := map[string]string{}
			for i := range 1001 {
				many[fmt.Sprintf("part%04d.bin", i)] = "x"
			}
			return many
		}(), wantInErr: "GitHub allows 1000 assets"},
		{name: "checksum file that does not match", files: map[string]string{
			"a.zip":      "x",
			"SHA256SUMS": strings.Repeat("0", 64) + "  a.zip\n",
		}, wantInErr: "checksums do not match"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{})
			files := tc.files
			if files == nil {
				files = defaultFiles()
			}
			dir := writeDir(t, files)
			opts := publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir}
			if tc.setup != nil {
				tc.setup(t, dir, &opts)
			}
			before, _ := os.ReadDir(dir)

			_, err := run(context.Background(), f.client, opts)
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, outcome.InvalidInput, e.Class, err.Error())
			assert.Contains(t, err.Error(), tc.wantInErr)
			assert.Zero(t, f.client.Requests(), "nothing may be sent")
			assert.Empty(t, f.srv.Requests())
			after, _ := os.ReadDir(dir)
			assert.Equal(t, len(before), len(after), "nothing may be written into the directory")
		})
	}
}

func TestPublishWarnsAboutSkippedEntries(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	dir := writeDir(t, map[string]string{"a.zip": "a"})
	require.NoError(t, os.Mkdir(filepath.Join(dir, "linux"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(dir, "a.zip"), filepath.Join(dir, "latest.zip")))

	res, err := run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
	require.NoError(t, err)
	require.Len(t, res.Warnings, 2)
	assert.Contains(t, res.Warnings[0], "skipped latest.zip")
	assert.Contains(t, res.Warnings[1], "skipped directory linux")
	assert.Equal(t, []string{checksums.FileName, "a.zip"}, assetNames(f.srv.Releases(repoName)[0]))
}

func TestPublishCanceledKeepsDraft(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(f *fixture, cancel context.CancelFunc) *publish.Options
	}{
		{
			name: "while a failed upload waits to be retried",
			setup: func(f *fixture, _ context.CancelFunc) *publish.Options {
				f.srv.Inject(emulator.Fault{Method: http.MethodPost, PathContains: "/assets", Status: http.StatusBadGateway})
				return &publish.Options{}
			},
		},
		{
			name: "between two uploads",
			setup: func(_ *fixture, cancel context.CancelFunc) *publish.Options {
				return &publish.Options{Concurrency: 1, Progress: &lockedBuffer{onLine: func(string) { cancel() }}}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f := newFixture(t, fixtureOpts{onSleep: cancel})
			opts := tc.setup(f, cancel)
			opts.Repo, opts.Tag, opts.AssetsDir = testRepo, "v1.0.0", writeDir(t, defaultFiles())

			_, err := run(ctx, f.client, *opts)
			require.Error(t, err)
			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			assert.True(t, rels[0].Draft)
			assert.Less(t, len(rels[0].Assets), 4)
			assert.True(t, strings.HasSuffix(err.Error(),
				fmt.Sprintf("re-run the same command to resume (draft release ID %d kept)", rels[0].ID)), err.Error())
			assert.Empty(t, f.srv.Tags(repoName))
			assert.Zero(t, countCalls(f.srv)[editRelease+" 200"], "a canceled run must not publish")
		})
	}
}

func TestPublishToleratesConcurrentChanges(t *testing.T) {
	t.Parallel()
	linux := "widgets_1.0.0_linux_amd64.tar.gz"
	tests := []struct {
		name         string
		faults       func(draft emulator.Release) []emulator.Fault
		raw          bool           // the faults answer with fewer fields than GitHub's description requires
		wantDelta    map[string]int // beyond resuming a draft that holds one same-named asset
		wantWarnings []string
	}{
		{
			name: "asset listing missed an asset: its upload's 422 replaces it on the draft",
			faults: func(emulator.Release) []emulator.Fault {
				return []emulator.Fault{{Method: http.MethodGet, PathContains: "/assets", Status: http.StatusOK, Body: "[]"}}
			},
			wantDelta: map[string]int{uploadAsset + " 422": 1, listAssets + " 200": 1},
		},
		{
			name: "asset deletion answered 404 but the asset stayed: the upload meets it and replaces it",
			faults: func(emulator.Release) []emulator.Fault {
				return []emulator.Fault{{Method: http.MethodDelete, Status: http.StatusNotFound}}
			},
			wantDelta: map[string]int{deleteAsset + " 404": 1, uploadAsset + " 422": 1, listAssets + " 200": 1, getRelease + " 200": 1},
		},
		{
			name: "a second draft with the tag is left alone with a warning",
			faults: func(draft emulator.Release) []emulator.Fault {
				body := fmt.Sprintf(`[{"id":%d,"tag_name":"v1.0.0","draft":true},{"id":%d,"tag_name":"v1.0.0","draft":true}]`,
					draft.ID+100, draft.ID)
				return []emulator.Fault{{Method: http.MethodGet, PathContains: "/releases", Status: http.StatusOK, Body: body}}
			},
			raw:          true,
			wantWarnings: []string{"also has the tag v1.0.0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fixtureOpts{raw: tc.raw})
			files := defaultFiles()
			draft := f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0", Draft: true, Assets: []emulator.Asset{
				{Name: linux, Content: []byte("from an earlier try")},
			}})
			for _, fault := range tc.faults(draft) {
				f.srv.Inject(fault)
			}

			res, err := run(context.Background(), f.client, publish.Options{
				Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, files), Concurrency: 1,
			})
			require.NoError(t, err)
			assert.Equal(t, draft.ID, res.ReleaseID)
			require.Len(t, res.Warnings, len(tc.wantWarnings))
			for i, w := range tc.wantWarnings {
				assert.Contains(t, res.Warnings[i], w)
			}
			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			assert.False(t, rels[0].Draft)
			assert.Len(t, rels[0].Assets, 4)
			for _, a := range rels[0].Assets {
				if want, ok := files[a.Name]; ok {
					assert.Equal(t, want, string(a.Content), a.Name)
				}
			}
			resumed := map[string]int{
				listReleases + " 200": 1,
				getRelease + " 200":   2, // still a draft, before the stale asset is deleted; the read-back
				listAssets + " 200":   2,
				deleteAsset + " 204":  1,
				uploadAsset + " 201":  4,
				editRelease + " 200":  1,
			}
			assert.Equal(t, withCalls(resumed, tc.wantDelta), countCalls(f.srv))
		})
	}
}

func TestPublishVerifiesAssetsBeforePublishing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		tweak     func(name string, a map[string]any) // changes the listed asset called name
		wantInErr string
	}{
		{"asset still in state starter", func(_ string, a map[string]any) { a["state"] = "starter" },
			`widgets_1.0.0_linux_amd64.tar.gz is in state "starter"`},
		{"asset with another size", func(_ string, a map[string]any) { a["size"] = 1 },
			"widgets_1.0.0_linux_amd64.tar.gz has 1 bytes on GitHub but 3600 on disk"},
		{"asset missing", func(name string, a map[string]any) { a["name"] = name + ".old" },
			"widgets_1.0.0_linux_amd64.tar.gz is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// The listing is scripted with only the fields the publish reads, which GitHub's
			// description calls incomplete: traffic is not validated.
			f := newFixture(t, fixtureOpts{raw: true})
			files := defaultFiles()
			dir := writeDir(t, files)
			writeSums(t, dir)

			// The listing after the uploads (the first one: a draft this run created is known to
			// be empty) shows one asset as GitHub would after a broken upload it answered 201 for.
			var listed []map[string]any
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			for i, e := range entries {
				info, err := e.Info()
				require.NoError(t, err)
				a := map[string]any{"id": i + 1, "name": e.Name(), "state": "uploaded", "size": info.Size()}
				if e.Name() == "widgets_1.0.0_linux_amd64.tar.gz" {
					tc.tweak(e.Name(), a)
				}
				listed = append(listed, a)
			}
			body, err := json.Marshal(listed)
			require.NoError(t, err)
			f.srv.Inject(emulator.Fault{Method: http.MethodGet, PathContains: "/assets", Status: http.StatusOK, Body: string(body)})

			_, err = run(context.Background(), f.client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, outcome.ServerError, e.Class)
			assert.Contains(t, err.Error(), tc.wantInErr)
			rels := f.srv.Releases(repoName)
			require.Len(t, rels, 1)
			assert.True(t, rels[0].Draft, "an unverified release must not be published")
			assert.True(t, strings.HasSuffix(err.Error(),
				fmt.Sprintf("re-run the same command to resume (draft release ID %d kept)", rels[0].ID)), err.Error())
			assert.Empty(t, f.srv.Tags(repoName))
			assert.Zero(t, countCalls(f.srv)[editRelease+" 200"])
		})
	}
}

func TestPublishReplaceFailureSaysHowToFinish(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{maxAttempts: 2})
	seeded := f.srv.SeedRelease(repoName, emulator.Release{TagName: "v1.0.0"})
	f.srv.Inject(emulator.Fault{Method: http.MethodPost, PathContains: "/assets", Status: http.StatusBadGateway, Times: 2})

	_, err := run(context.Background(), f.client, publish.Options{
		Repo: testRepo, Tag: "v1.0.0", AssetsDir: writeDir(t, defaultFiles()), ReplaceAssets: true, Concurrency: 1,
	})
	require.Error(t, err)
	assert.True(t, strings.HasSuffix(err.Error(),
		fmt.Sprintf("re-run the same command to finish replacing the assets of release ID %d", seeded.ID)), err.Error())
	assert.False(t, f.srv.Releases(repoName)[0].Draft, "a published release stays published")
}
