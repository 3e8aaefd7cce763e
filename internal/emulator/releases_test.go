package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

func TestCreateDraftCreatesNoTag(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()

	rel, resp, err := gh.Repositories.CreateRelease(ctx, owner, repoName, github.CreateReleaseRequest{
		TagName: "preflight-permcheck-run1-attempt1",
		Name:    new("release-preflight permission probe"),
		Body:    new("safe to delete"),
		Draft:   new(true),
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, rel.GetURL(), resp.Header.Get("Location"))
	assert.True(t, rel.GetDraft())
	assert.Nil(t, rel.PublishedAt, "published_at is null for drafts")
	assert.Equal(t, clk.Now(), rel.GetCreatedAt().Time.UTC())
	assert.Equal(t, "main", rel.GetTargetCommitish())
	assert.Regexp(t, `/acme/widgets/releases/tag/untagged-[0-9a-f]{20}$`, rel.GetHTMLURL())
	assert.Equal(t, s.UploadURL()+"repos/acme/widgets/releases/"+itoa(rel.GetID())+"/assets{?name,label}", rel.GetUploadURL())
	assert.Equal(t, s.APIURL()+"repos/acme/widgets/releases/"+itoa(rel.GetID()), rel.GetURL())
	assert.NotEmpty(t, rel.GetNodeID())
	assert.Empty(t, rel.Assets)

	assert.Empty(t, s.Tags(fullRepo), "a draft creates no tag")
	_, _, err = gh.Git.GetRef(ctx, owner, repoName, "tags/preflight-permcheck-run1-attempt1")
	assert.Equal(t, 404, errorResponse(t, err).Response.StatusCode)
	tags, _, err := gh.Repositories.ListTags(ctx, owner, repoName, nil)
	require.NoError(t, err)
	assert.Empty(t, tags)
	_, _, err = gh.Repositories.GetReleaseByTag(ctx, owner, repoName, "preflight-permcheck-run1-attempt1")
	assert.Equal(t, 404, errorResponse(t, err).Response.StatusCode, "drafts are not found by tag")

	got, _, err := gh.Repositories.GetRelease(ctx, owner, repoName, rel.GetID())
	require.NoError(t, err)
	assert.Equal(t, rel.GetHTMLURL(), got.GetHTMLURL())

	snap := s.Releases(fullRepo)
	require.Len(t, snap, 1)
	assert.Equal(t, rel.GetID(), snap[0].ID)
	assert.True(t, snap[0].Draft)
	assert.True(t, snap[0].PublishedAt.IsZero())
	assert.Equal(t, "safe to delete", snap[0].Body)
}

func TestCreatePublishedReleaseCreatesTag(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()

	rel, _, err := gh.Repositories.CreateRelease(ctx, owner, repoName, github.CreateReleaseRequest{TagName: "v1.0.0"})
	require.NoError(t, err)
	assert.False(t, rel.GetDraft())
	assert.Equal(t, clk.Now(), rel.GetPublishedAt().Time.UTC())
	assert.True(t, strings.HasSuffix(rel.GetHTMLURL(), "/acme/widgets/releases/tag/v1.0.0"), rel.GetHTMLURL())
	assert.NotEmpty(t, rel.GetTarballURL())
	assert.Equal(t, []string{"v1.0.0"}, s.Tags(fullRepo))

	ref, _, err := gh.Git.GetRef(ctx, owner, repoName, "tags/v1.0.0")
	require.NoError(t, err)
	assert.Equal(t, "refs/tags/v1.0.0", ref.GetRef())
	assert.Len(t, ref.GetObject().GetSHA(), 40)
	byTag, _, err := gh.Repositories.GetReleaseByTag(ctx, owner, repoName, "v1.0.0")
	require.NoError(t, err)
	assert.Equal(t, rel.GetID(), byTag.GetID())
}

func TestPublishingDraftCreatesTag(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()

	draft := createDraft(t, gh, "v2.0.0")
	clk.Advance(time.Minute)
	require.Empty(t, s.Tags(fullRepo))

	pub, _, err := gh.Repositories.UpdateRelease(ctx, owner, repoName, draft.GetID(), github.UpdateReleaseRequest{
		Draft: new(false), Name: new("v2.0.0"),
	})
	require.NoError(t, err)
	assert.False(t, pub.GetDraft())
	assert.Equal(t, "v2.0.0", pub.GetName())
	assert.Equal(t, clk.Now(), pub.GetPublishedAt().Time.UTC(), "published_at is the publish time")
	assert.Equal(t, draft.GetCreatedAt(), pub.GetCreatedAt(), "created_at is kept")
	assert.True(t, strings.HasSuffix(pub.GetHTMLURL(), "/releases/tag/v2.0.0"))
	assert.Equal(t, []string{"v2.0.0"}, s.Tags(fullRepo))

	latest, _, err := gh.Repositories.GetLatestRelease(ctx, owner, repoName)
	require.NoError(t, err)
	assert.Equal(t, draft.GetID(), latest.GetID())
}

// GitHub keeps any number of drafts on one tag, beside at most one published
// release: only creating a published release on a tag that a published
// release holds answers 422 already_exists.
func TestReleasesSharingATag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		existing  emulator.Release
		newDraft  bool
		wantError bool
	}{
		{name: "draft beside a draft", existing: emulator.Release{TagName: "v1.0.0", Draft: true}, newDraft: true},
		{name: "published beside a draft", existing: emulator.Release{TagName: "v1.0.0", Draft: true}},
		{name: "draft beside a published release", existing: emulator.Release{TagName: "v1.0.0"}, newDraft: true},
		{name: "published beside a published release", existing: emulator.Release{TagName: "v1.0.0"}, wantError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			old := s.SeedRelease(fullRepo, tt.existing)
			rel, resp, err := newClient(t, s, tokWrite).Repositories.CreateRelease(context.Background(), owner, repoName,
				github.CreateReleaseRequest{TagName: "v1.0.0", Draft: new(tt.newDraft)})
			if tt.wantError {
				er := errorResponse(t, err)
				assert.Equal(t, 422, resp.StatusCode)
				assert.Equal(t, "Validation Failed", er.Message)
				assert.Equal(t, []github.Error{{Resource: "Release", Code: "already_exists", Field: "tag_name"}}, er.Errors)
				assert.Equal(t, "https://docs.github.com/rest/releases/releases#create-a-release", er.DocumentationURL)
				assert.Len(t, s.Releases(fullRepo), 1)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 201, resp.StatusCode)
			assert.Equal(t, tt.newDraft, rel.GetDraft())
			rels := s.Releases(fullRepo)
			require.Len(t, rels, 2)
			assert.Equal(t, old, rels[0], "the existing release is untouched")
			wantTags := []string{}
			if !tt.newDraft || !tt.existing.Draft {
				wantTags = []string{"v1.0.0"}
			}
			assert.Equal(t, wantTags, s.Tags(fullRepo), "the tag exists once a release on it is published")

			// By tag, GitHub finds the published release, never a draft.
			byTag, _, err := newClient(t, s, tokWrite).Repositories.GetReleaseByTag(context.Background(), owner, repoName, "v1.0.0")
			published := rels[0]
			if rels[0].Draft {
				published = rels[1]
			}
			if published.Draft {
				assert.Equal(t, 404, errorResponse(t, err).Response.StatusCode)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, published.ID, byTag.GetID())
		})
	}
}

func TestPublishedReleaseOnExistingTag(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.AddTag(fullRepo, "v3.0.0")
	rel, _, err := newClient(t, s, tokWrite).Repositories.CreateRelease(context.Background(), owner, repoName,
		github.CreateReleaseRequest{TagName: "v3.0.0"})
	require.NoError(t, err)
	assert.False(t, rel.GetDraft())
	assert.Equal(t, []string{"v3.0.0"}, s.Tags(fullRepo))
}

// Request bodies are validated as GitHub validates them: its schema (types,
// enums, required properties; unknown properties ignored), then the release's
// own rules, with GitHub's messages.
func TestReleaseBodyValidation(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ä", 125001)
	const createDoc, updateDoc = "https://docs.github.com/rest/releases/releases#create-a-release",
		"https://docs.github.com/rest/releases/releases#update-a-release"
	type fieldError = map[string]any
	tests := []struct {
		name        string
		update      bool // PATCH the seeded draft instead of POST
		body        string
		wantStatus  int
		wantMessage string       // the whole message
		wantErrors  []fieldError // for Validation Failed
	}{
		{name: "invalid JSON", body: `{"tag_name":`, wantStatus: 400, wantMessage: "Problems parsing JSON"},
		{name: "not an object", body: `["v1"]`, wantStatus: 400, wantMessage: "Body should be a JSON object"},
		{name: "missing tag_name", body: `{"name":"x"}`, wantStatus: 422, wantMessage: "Invalid request.\n\n\"tag_name\" wasn't supplied."},
		{name: "draft not a boolean", body: `{"tag_name":"v1","draft":"yes"}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/draft', \"yes\" is not a boolean."},
		{name: "tag_name not a string", body: `{"tag_name":1}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/tag_name', 1 is not a string."},
		{name: "null is no string", body: `{"tag_name":"v1","name":null,"draft":null}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/draft', nil is not a boolean.\nFor 'properties/name', nil is not a string."},
		{name: "values shown as GitHub shows them", body: `{"tag_name":"v1","body":{"a":[1,"b",true]},"name":[]}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/body', {\"a\" => [1, \"b\", true]} is not a string.\nFor 'properties/name', [] is not a string."},
		{name: "make_latest outside its enum", body: `{"tag_name":"v1","make_latest":"sometimes"}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/make_latest', sometimes is not a member of [\"true\", \"false\", \"legacy\"]."},
		{name: "make_latest as a boolean", body: `{"tag_name":"v1","make_latest":true}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/make_latest', true is not a string."},
		{name: "generate_release_notes not a boolean", body: `{"tag_name":"v1","generate_release_notes":1}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/generate_release_notes', 1 is not a boolean."},
		{name: "every make_latest value", body: `{"tag_name":"v1","make_latest":"legacy","draft":true}`, wantStatus: 201},
		{name: "unknown properties are ignored", body: `{"tag_name":"v1","draft":true,"immutable":"sure","colour":1}`, wantStatus: 201},
		{name: "tag with space", body: `{"tag_name":"v 1"}`, wantStatus: 422, wantMessage: "Validation Failed",
			wantErrors: []fieldError{{"resource": "Release", "code": "invalid", "field": "tag_name"}}},
		{name: "tag with ..", body: `{"tag_name":"v1..2"}`, wantStatus: 422, wantMessage: "Validation Failed",
			wantErrors: []fieldError{{"resource": "Release", "code": "invalid", "field": "tag_name"}}},
		{name: "body of 125000 characters", body: `{"tag_name":"v1","draft":true,"body":"` + long[:len(long)-2] + `"}`, wantStatus: 201},
		{name: "body too long", body: `{"tag_name":"v1","body":"` + long + `"}`, wantStatus: 422, wantMessage: "Validation Failed",
			wantErrors: []fieldError{{"resource": "Release", "code": "custom", "field": "body", "message": "body is too long (maximum is 125000 characters)"}}},

		{name: "update: empty object", update: true, body: `{}`, wantStatus: 200},
		{name: "update: make_latest outside its enum", update: true, body: `{"make_latest":"sometimes"}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/make_latest', sometimes is not a member of [\"true\", \"false\", \"legacy\"]."},
		{name: "update: prerelease not a boolean", update: true, body: `{"prerelease":"false"}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/prerelease', \"false\" is not a boolean."},
		{name: "update: generate_release_notes is no property of update", update: true, body: `{"generate_release_notes":"x"}`, wantStatus: 200},
		{name: "update: invalid tag", update: true, body: `{"tag_name":"v1~"}`, wantStatus: 422, wantMessage: "Validation Failed",
			wantErrors: []fieldError{{"resource": "Release", "code": "invalid", "field": "tag_name"}}},
		{name: "update: body too long", update: true, body: `{"body":"` + long + `"}`, wantStatus: 422, wantMessage: "Validation Failed",
			wantErrors: []fieldError{{"resource": "Release", "code": "custom", "field": "body", "message": "body is too long (maximum is 125000 characters)"}}},
		{name: "update: not JSON", update: true, body: `draft=false`, wantStatus: 400, wantMessage: "Problems parsing JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Bodies GitHub's schema refuses, on purpose: answers only.
			s := newServer(t, emulatortest.WithResponsesOnly())
			method, u, doc := http.MethodPost, s.APIURL()+"repos/acme/widgets/releases", createDoc
			if tt.update {
				draft := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0", Draft: true})
				method, u, doc = http.MethodPatch, u+"/"+itoa(draft.ID), updateDoc
			}
			before := s.Releases(fullRepo)
			resp, body := rawDo(t, s, method, u, bearer(tokWrite), []byte(tt.body))
			require.Equal(t, tt.wantStatus, resp.StatusCode, "%s", body)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			if tt.wantStatus < 300 {
				return
			}
			want := map[string]any{"message": tt.wantMessage, "documentation_url": doc, "status": itoa(int64(tt.wantStatus))}
			if tt.wantErrors != nil {
				errs := make([]any, len(tt.wantErrors))
				for i, e := range tt.wantErrors {
					errs[i] = e
				}
				want["errors"] = errs
			}
			var got map[string]any
			require.NoError(t, json.Unmarshal(body, &got))
			assert.Equal(t, want, got)
			assert.Equal(t, before, s.Releases(fullRepo), "a rejected request changes nothing")
		})
	}
}

func TestDraftVisibility(t *testing.T) {
	t.Parallel()
	tests := []struct {
		token      string
		wantDrafts bool
	}{
		{tokWrite, true},
		{tokClassicW, true},
		{tokClamped, false},
		{tokPAT, false},
	}
	for _, tt := range tests {
		t.Run(tt.token[:10], func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			draft := s.SeedRelease(fullRepo, emulator.Release{TagName: "probe", Draft: true,
				Assets: []emulator.Asset{{Name: "a.txt", Content: []byte("a")}}})
			pub := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0"})
			gh := newClient(t, s, tt.token)
			ctx := context.Background()

			list, _, err := gh.Repositories.ListReleases(ctx, owner, repoName, nil)
			require.NoError(t, err)
			var ids []int64
			for _, r := range list {
				ids = append(ids, r.GetID())
			}
			_, _, getErr := gh.Repositories.GetRelease(ctx, owner, repoName, draft.ID)
			_, _, assetsErr := gh.Repositories.ListReleaseAssets(ctx, owner, repoName, draft.ID, nil)
			_, _, assetErr := gh.Repositories.GetReleaseAsset(ctx, owner, repoName, draft.Assets[0].ID)
			if tt.wantDrafts {
				assert.ElementsMatch(t, []int64{draft.ID, pub.ID}, ids)
				assert.NoError(t, getErr)
				assert.NoError(t, assetsErr)
				assert.NoError(t, assetErr)
			} else {
				assert.Equal(t, []int64{pub.ID}, ids)
				for _, err := range []error{getErr, assetsErr, assetErr} {
					assert.Equal(t, 404, errorResponse(t, err).Response.StatusCode)
				}
			}
		})
	}
}

func TestListOrderAndStaleDraft(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	stale := s.SeedRelease(fullRepo, emulator.Release{
		TagName: "preflight-permcheck-run7-attempt1", Draft: true, CreatedAt: clk.Now().Add(-72 * time.Hour),
	})
	old := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.1.0", CreatedAt: clk.Now().Add(-48 * time.Hour)})
	fresh := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.2.0"})

	list, _, err := newClient(t, s, tokWrite).Repositories.ListReleases(context.Background(), owner, repoName, nil)
	require.NoError(t, err)
	require.Len(t, list, 3)
	assert.Equal(t, []int64{fresh.ID, old.ID, stale.ID}, []int64{list[0].GetID(), list[1].GetID(), list[2].GetID()}, "newest first")
	assert.Equal(t, clk.Now().Add(-72*time.Hour), list[2].GetCreatedAt().Time.UTC())
	assert.Equal(t, []string{"v0.1.0", "v0.2.0"}, s.Tags(fullRepo), "seeded published releases have tags, the draft has none")
}

func TestLatestRelease(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()

	_, _, err := gh.Repositories.GetLatestRelease(ctx, owner, repoName)
	assert.Equal(t, 404, errorResponse(t, err).Response.StatusCode, "no release yet")

	want := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", CreatedAt: clk.Now().Add(-time.Hour)})
	s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0", CreatedAt: clk.Now().Add(-2 * time.Hour)})
	s.SeedRelease(fullRepo, emulator.Release{TagName: "v2.0.0-rc.1", Prerelease: true})
	s.SeedRelease(fullRepo, emulator.Release{TagName: "v2.0.0", Draft: true})

	got, _, err := gh.Repositories.GetLatestRelease(ctx, owner, repoName)
	require.NoError(t, err)
	assert.Equal(t, want.ID, got.GetID())
}

func TestEditRelease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	// Only a release that ends up published must be alone on its tag.
	onUsedTag := []struct {
		name      string
		other     emulator.Release // holds v1.0.0
		edit      github.UpdateReleaseRequest
		wantError bool
	}{
		{name: "publish a draft retagged onto a published tag", other: emulator.Release{TagName: "v1.0.0"},
			edit: github.UpdateReleaseRequest{TagName: new("v1.0.0"), Draft: new(false)}, wantError: true},
		{name: "publish a draft whose tag a published release holds", other: emulator.Release{TagName: "v1.0.0"},
			edit: github.UpdateReleaseRequest{Draft: new(false)}, wantError: true},
		{name: "retag a draft onto a published tag, still a draft", other: emulator.Release{TagName: "v1.0.0"},
			edit: github.UpdateReleaseRequest{TagName: new("v1.0.0")}},
		{name: "publish a draft whose tag another draft has", other: emulator.Release{TagName: "v1.0.0", Draft: true},
			edit: github.UpdateReleaseRequest{Draft: new(false)}},
	}
	for _, tt := range onUsedTag {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			other := s.SeedRelease(fullRepo, tt.other)
			tag := "v1.0.1"
			if tt.edit.TagName == nil {
				tag = "v1.0.0"
			}
			draft := s.SeedRelease(fullRepo, emulator.Release{TagName: tag, Draft: true})
			tagsBefore := s.Tags(fullRepo)
			rel, _, err := newClient(t, s, tokWrite).Repositories.UpdateRelease(ctx, owner, repoName, draft.ID, tt.edit)
			if tt.wantError {
				er := errorResponse(t, err)
				assert.Equal(t, 422, er.Response.StatusCode)
				assert.Equal(t, []github.Error{{Resource: "Release", Code: "already_exists", Field: "tag_name"}}, er.Errors)
				assert.Equal(t, "https://docs.github.com/rest/releases/releases#update-a-release", er.DocumentationURL)
				assert.Equal(t, tagsBefore, s.Tags(fullRepo), "nothing was published")
				assert.Equal(t, draft, s.Releases(fullRepo)[1], "the draft is untouched")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "v1.0.0", rel.GetTagName())
			assert.Equal(t, tt.edit.Draft == nil, rel.GetDraft())
			assert.Equal(t, other, s.Releases(fullRepo)[0], "the other release is untouched")
		})
	}

	t.Run("retag then publish", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		draft := s.SeedRelease(fullRepo, emulator.Release{TagName: "tmp", Draft: true})
		rel, _, err := newClient(t, s, tokWrite).Repositories.UpdateRelease(ctx, owner, repoName, draft.ID,
			github.UpdateReleaseRequest{TagName: new("v5"), Draft: new(false), Prerelease: new(true)})
		require.NoError(t, err)
		assert.Equal(t, "v5", rel.GetTagName())
		assert.True(t, rel.GetPrerelease())
		assert.Equal(t, []string{"v5"}, s.Tags(fullRepo))
	})

	t.Run("missing release", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		_, _, err := newClient(t, s, tokWrite).Repositories.UpdateRelease(ctx, owner, repoName, 999999,
			github.UpdateReleaseRequest{Draft: new(false)})
		assert.Equal(t, 404, errorResponse(t, err).Response.StatusCode)
	})
}

func TestDeleteReleaseKeepsTag(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()
	rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Assets: []emulator.Asset{{Name: "a.zip", Content: []byte("zip")}}})

	resp, err := gh.Repositories.DeleteRelease(ctx, owner, repoName, rel.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, s.Releases(fullRepo))
	assert.Equal(t, []string{"v1.0.0"}, s.Tags(fullRepo), "GitHub keeps the tag")

	_, err = gh.Repositories.DeleteRelease(ctx, owner, repoName, rel.ID)
	assert.Equal(t, 404, errorResponse(t, err).Response.StatusCode)
	_, _, err = gh.Repositories.GetReleaseAsset(ctx, owner, repoName, rel.Assets[0].ID)
	assert.Equal(t, 404, errorResponse(t, err).Response.StatusCode, "assets go with the release")
}

func TestGetRepository(t *testing.T) {
	t.Parallel()
	tests := []struct {
		token    string
		wantPush *bool
	}{
		{tokWrite, nil},
		{tokClassicW, new(true)},
		{tokPAT, new(false)},
	}
	for _, tt := range tests {
		t.Run(tt.token[:10], func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			r, _, err := newClient(t, s, tt.token).Repositories.Get(context.Background(), "ACME", "Widgets")
			require.NoError(t, err, "owner and name are case-insensitive")
			assert.Equal(t, "acme/widgets", r.GetFullName())
			assert.Equal(t, "main", r.GetDefaultBranch())
			assert.True(t, r.GetPrivate())
			if tt.wantPush == nil {
				assert.Nil(t, r.Permissions, "installation tokens get no permissions block")
			} else {
				assert.Equal(t, *tt.wantPush, r.GetPermissions().GetPush())
			}
		})
	}
}

// Concurrent creates with one tag: every draft is created (GitHub keeps
// duplicate drafts, which is why clients must look for them), but only one
// published release.
func TestConcurrentCreatesWithOneTag(t *testing.T) {
	t.Parallel()
	const n = 16
	tests := []struct {
		draft      bool
		wantCounts map[int]int
	}{
		{draft: true, wantCounts: map[int]int{201: n}},
		{draft: false, wantCounts: map[int]int{201: 1, 422: n - 1}},
	}
	for _, tt := range tests {
		t.Run(map[bool]string{true: "drafts", false: "published"}[tt.draft], func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			gh := newClient(t, s, tokWrite)
			statuses := make([]int, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, resp, _ := gh.Repositories.CreateRelease(context.Background(), owner, repoName,
						github.CreateReleaseRequest{TagName: "v1", Draft: new(tt.draft)})
					if resp != nil {
						statuses[i] = resp.StatusCode
					}
				}()
			}
			wg.Wait()
			counts := map[int]int{}
			for _, st := range statuses {
				counts[st]++
			}
			assert.Equal(t, tt.wantCounts, counts)
			assert.Len(t, s.Releases(fullRepo), tt.wantCounts[201])
		})
	}
}

// make_latest decides GET …/releases/latest: true (the default when a release is published)
// makes a release the latest, false leaves the latest as it is, legacy goes back to the most
// recently created; pre-releases and drafts never are the latest.
func TestMakeLatest(t *testing.T) {
	t.Parallel()
	steps := []struct {
		name       string
		tag        string
		makeLatest string // "" sends none
		draft      bool   // created as a draft, then published by PATCH with makeLatest
		prerelease bool
		wantLatest string
	}{
		{name: "the first release", tag: "v2.0.0", wantLatest: "v2.0.0"},
		{name: "a lower one, make_latest false", tag: "v1.9.1", makeLatest: "false", wantLatest: "v2.0.0"},
		{name: "published from a draft with false", tag: "v1.9.2", draft: true, makeLatest: "false", wantLatest: "v2.0.0"},
		{name: "published from a draft, the default", tag: "v2.1.0", draft: true, wantLatest: "v2.1.0"},
		{name: "a pre-release, make_latest true", tag: "v3.0.0-rc.1", makeLatest: "true", prerelease: true, wantLatest: "v2.1.0"},
		{name: "legacy: the most recently created", tag: "v1.9.3", makeLatest: "legacy", wantLatest: "v1.9.3"},
		{name: "false keeps a latest chosen by creation date", tag: "v1.0.1", makeLatest: "false", wantLatest: "v1.9.3"},
	}
	s := newServer(t)
	clk := s.clock
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()
	for _, st := range steps {
		clk.Advance(time.Minute)
		rel := github.CreateReleaseRequest{TagName: st.tag, Prerelease: new(st.prerelease)}
		var ml *string
		if st.makeLatest != "" {
			ml = new(st.makeLatest)
		}
		if st.draft {
			rel.Draft = new(true)
			created, _, err := gh.Repositories.CreateRelease(ctx, owner, repoName, rel)
			require.NoError(t, err, st.name)
			_, _, err = gh.Repositories.UpdateRelease(ctx, owner, repoName, created.GetID(), github.UpdateReleaseRequest{Draft: new(false), MakeLatest: ml})
			require.NoError(t, err, st.name)
		} else {
			rel.MakeLatest = ml
			_, _, err := gh.Repositories.CreateRelease(ctx, owner, repoName, rel)
			require.NoError(t, err, st.name)
		}
		latest, _, err := gh.Repositories.GetLatestRelease(ctx, owner, repoName)
		require.NoError(t, err, st.name)
		assert.Equal(t, st.wantLatest, latest.GetTagName(), st.name)
	}
}
