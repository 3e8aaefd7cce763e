package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/conformance"
	"github.com/release-preflight/release-preflight/internal/emulator"
)

// The fields GitHub's OpenAPI description requires of the schemas these endpoints answer with.
var (
	rulesetRequired   = []string{"id", "name", "source", "enforcement"}
	gitTagRequired    = []string{"sha", "url", "node_id", "tagger", "object", "tag", "message"}
	gitRefRequired    = []string{"ref", "node_id", "url", "object"}
	rateLimitRequired = []string{"limit", "remaining", "reset", "used"}
	validationErrKeys = []string{"message", "documentation_url"}
)

// getJSON sends GET path (under the API root) with token and decodes the JSON answer.
func getJSON(t *testing.T, s *server, token, path string) (*http.Response, any) {
	t.Helper()
	resp, data := rawDo(t, s, http.MethodGet, s.APIURL()+path, bearer(token), nil)
	var v any
	require.NoError(t, json.Unmarshal(data, &v), "body: %s", data)
	return resp, v
}

// requireKeys asserts obj is a JSON object holding every key.
func requireKeys(t *testing.T, obj any, keys ...string) map[string]any {
	t.Helper()
	m, ok := obj.(map[string]any)
	require.True(t, ok, "not a JSON object: %v", obj)
	for _, k := range keys {
		assert.Contains(t, m, k)
	}
	return m
}

// preReceive is the entry GitHub puts in a 422 when a ruleset blocks creating the tag.
var preReceive = map[string]any{
	"resource": "Release", "code": "custom", "field": "pre_receive",
	"message": "pre_receive Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n",
}

// validationErrors asserts a 422 Validation Failed answer and returns its errors.
func validationErrors(t *testing.T, resp *http.Response, data []byte) []any {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, "body: %s", data)
	var body map[string]any
	require.NoError(t, json.Unmarshal(data, &body))
	requireKeys(t, body, validationErrKeys...)
	assert.Equal(t, "Validation Failed", body["message"])
	assert.Equal(t, "422", body["status"])
	errs, _ := body["errors"].([]any)
	return errs
}

// publish PATCHes draft=false on release id with token.
func publish(t *testing.T, s *server, token string, id int64) (*http.Response, []byte) {
	t.Helper()
	return rawDo(t, s, http.MethodPatch, s.APIURL()+"repos/acme/widgets/releases/"+itoa(id), bearer(token), []byte(`{"draft":false}`))
}

func TestRulesetsAreListedAsSummaries(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tagRS := s.AddRuleset(fullRepo, emulator.Ruleset{Name: "tags", Include: []string{"refs/tags/v*"}, Rules: []string{"creation"}})
	branchRS := s.AddRuleset(fullRepo, emulator.Ruleset{Name: "main", Target: "branch", Include: []string{"~DEFAULT_BRANCH"}, Rules: []string{"deletion"}})
	orgRS := s.AddOrgRuleset(owner, emulator.Ruleset{Name: "org tags", Enforcement: "evaluate", Include: []string{"~ALL"}, Rules: []string{"creation"}})
	assert.Equal(t, "tag", tagRS.Target, "the default target")
	assert.Equal(t, "active", tagRS.Enforcement, "the default enforcement")

	tests := []struct {
		query string
		want  []int64
	}{
		{query: "", want: []int64{tagRS.ID, branchRS.ID, orgRS.ID}},
		{query: "?targets=tag", want: []int64{tagRS.ID, orgRS.ID}},
		{query: "?targets=tag&includes_parents=true", want: []int64{tagRS.ID, orgRS.ID}},
		{query: "?targets=tag&includes_parents=false", want: []int64{tagRS.ID}},
		{query: "?targets=branch,push", want: []int64{branchRS.ID}},
		{query: "?targets=tag&per_page=1&page=2", want: []int64{orgRS.ID}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			resp, v := getJSON(t, s, tokClamped, "repos/acme/widgets/rulesets"+tc.query)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			requireGitHubHeaders(t, resp.Header)
			assert.Equal(t, "metadata=read", resp.Header.Get("X-Accepted-GitHub-Permissions"))
			items, ok := v.([]any)
			require.True(t, ok)
			var ids []int64
			for _, it := range items {
				m := requireKeys(t, it, append(rulesetRequired, "source_type", "node_id", "_links", "created_at", "updated_at")...)
				ids = append(ids, int64(m["id"].(float64)))
				for _, k := range []string{"target", "conditions", "rules", "bypass_actors", "current_user_can_bypass"} {
					assert.NotContains(t, m, k, "the list holds summaries: fetch each ruleset for its %s", k)
				}
				assert.Contains(t, []any{"Repository", "Organization"}, m["source_type"])
				assert.Contains(t, []any{"active", "evaluate", "disabled"}, m["enforcement"])
			}
			assert.Equal(t, tc.want, ids)
		})
	}
}

func TestRulesetByID(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	repoRS := s.AddRuleset(fullRepo, emulator.Ruleset{Name: "release tags", Include: []string{"refs/tags/v*"}, Exclude: []string{"refs/tags/v0.*"},
		Rules: []string{"creation", "update", "max_file_size"}, Bypass: []emulator.Mode{emulator.ModeClassicRepo}, Exempt: []emulator.Mode{emulator.ModePATNoContents}})
	orgRS := s.AddOrgRuleset(owner, emulator.Ruleset{Name: "org", Include: []string{"~ALL"}, Rules: []string{"creation"}})

	resp, v := getJSON(t, s, tokWrite, "repos/acme/widgets/rulesets/"+itoa(repoRS.ID))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	m := requireKeys(t, v, append(rulesetRequired, "target", "source_type", "conditions", "rules", "current_user_can_bypass", "_links")...)
	assert.Equal(t, "tag", m["target"])
	assert.Equal(t, "Repository", m["source_type"])
	assert.Equal(t, fullRepo, m["source"])
	assert.Equal(t, map[string]any{"ref_name": map[string]any{"include": []any{"refs/tags/v*"}, "exclude": []any{"refs/tags/v0.*"}}}, m["conditions"])
	assert.Equal(t, []any{
		map[string]any{"type": "creation"},
		map[string]any{"type": "update", "parameters": map[string]any{"update_allows_fetch_and_merge": false}},
		map[string]any{"type": "max_file_size", "parameters": map[string]any{"max_file_size": float64(100)}},
	}, m["rules"])
	assert.NotContains(t, m, "bypass_actors", "shown only to those who may edit the ruleset")
	links := m["_links"].(map[string]any)
	assert.Equal(t, s.URL()+"/acme/widgets/rules/"+itoa(repoRS.ID), links["html"].(map[string]any)["href"])

	bypass := map[string]string{tokWrite: "never", tokClassicW: "always", tokPAT: "exempt", tokClamped: "never"}
	for tok, want := range bypass {
		_, v := getJSON(t, s, tok, "repos/acme/widgets/rulesets/"+itoa(repoRS.ID))
		assert.Equal(t, want, v.(map[string]any)["current_user_can_bypass"], "token %s", tok[:8])
	}

	_, v = getJSON(t, s, tokWrite, "repos/acme/widgets/rulesets/"+itoa(orgRS.ID))
	org := requireKeys(t, v, rulesetRequired...)
	assert.Equal(t, "Organization", org["source_type"])
	assert.Equal(t, owner, org["source"])
	assert.Equal(t, map[string]any{"include": []any{"~ALL"}, "exclude": []any{}}, org["conditions"].(map[string]any)["repository_name"])
	assert.Equal(t, s.URL()+"/organizations/acme/settings/rules/"+itoa(orgRS.ID), org["_links"].(map[string]any)["html"].(map[string]any)["href"])

	resp, _ = rawDo(t, s, http.MethodGet, s.APIURL()+"repos/acme/widgets/rulesets/"+itoa(orgRS.ID)+"?includes_parents=false", bearer(tokWrite), nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "an organization's ruleset is the repository's only with its parents")
	resp, _ = rawDo(t, s, http.MethodGet, s.APIURL()+"repos/acme/widgets/rulesets/999999", bearer(tokWrite), nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	// go-github v93 decodes every rule type, max_file_size among them (v62's decoder failed on it).
	got, _, err := newClient(t, s, tokWrite).Repositories.GetRuleset(context.Background(), owner, repoName, repoRS.ID, true)
	require.NoError(t, err)
	assert.NotNil(t, got.GetRules().Creation, "the creation rule")
}

// Publishing a release creates its tag; an active tag ruleset with a creation rule that the
// token cannot bypass refuses it with GitHub's 422 pre_receive, and the release stays a draft.
func TestTagRulesetBlocksPublishing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		ruleset emulator.Ruleset
		org     bool
		tag     string
		existed bool
		token   string
		blocked bool
	}{
		{name: "creation rule on the tag", ruleset: emulator.Ruleset{Include: []string{"refs/tags/v*"}, Rules: []string{"creation"}}, tag: "v1.0.0", token: tokWrite, blocked: true},
		{name: "organization ruleset on every tag", ruleset: emulator.Ruleset{Include: []string{"~ALL"}, Rules: []string{"creation"}}, org: true, tag: "v1.0.0", token: tokWrite, blocked: true},
		{name: "nested tags need **", ruleset: emulator.Ruleset{Include: []string{"refs/tags/**/*"}, Rules: []string{"creation"}}, tag: "tools/v1", token: tokWrite, blocked: true},
		{name: "* stops at a slash", ruleset: emulator.Ruleset{Include: []string{"refs/tags/*"}, Rules: []string{"creation"}}, tag: "tools/v1", token: tokWrite},
		{name: "excluded tag", ruleset: emulator.Ruleset{Include: []string{"~ALL"}, Exclude: []string{"refs/tags/v1.*"}, Rules: []string{"creation"}}, tag: "v1.0.0", token: tokWrite},
		{name: "token can bypass", ruleset: emulator.Ruleset{Include: []string{"~ALL"}, Rules: []string{"creation"}, Bypass: []emulator.Mode{emulator.ModeClassicRepo}}, tag: "v1.0.0", token: tokClassicW},
		{name: "token is exempt", ruleset: emulator.Ruleset{Include: []string{"~ALL"}, Rules: []string{"creation"}, Exempt: []emulator.Mode{emulator.ModeWrite}}, tag: "v1.0.0", token: tokWrite},
		{name: "evaluate mode only reports", ruleset: emulator.Ruleset{Enforcement: "evaluate", Include: []string{"~ALL"}, Rules: []string{"creation"}}, tag: "v1.0.0", token: tokWrite},
		{name: "disabled", ruleset: emulator.Ruleset{Enforcement: "disabled", Include: []string{"~ALL"}, Rules: []string{"creation"}}, tag: "v1.0.0", token: tokWrite},
		{name: "update and deletion rules do not stop a new tag", ruleset: emulator.Ruleset{Include: []string{"~ALL"}, Rules: []string{"update", "deletion"}}, tag: "v1.0.0", token: tokWrite},
		{name: "an existing tag is not created", ruleset: emulator.Ruleset{Include: []string{"~ALL"}, Rules: []string{"creation"}}, tag: "v1.0.0", existed: true, token: tokWrite},
		{name: "branch rulesets do not cover tags", ruleset: emulator.Ruleset{Target: "branch", Include: []string{"~ALL"}, Rules: []string{"creation"}}, tag: "v1.0.0", token: tokWrite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			if tc.org {
				s.AddOrgRuleset(owner, tc.ruleset)
			} else {
				s.AddRuleset(fullRepo, tc.ruleset)
			}
			if tc.existed {
				s.AddTag(fullRepo, tc.tag)
			}
			draft := createDraft(t, newClient(t, s, tc.token), tc.tag)

			resp, data := publish(t, s, tc.token, draft.GetID())
			if !tc.blocked {
				require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", data)
				assert.Contains(t, s.Tags(fullRepo), tc.tag)
				return
			}
			assert.Equal(t, []any{preReceive}, validationErrors(t, resp, data))
			assert.Empty(t, s.Tags(fullRepo), "no tag was created")
			assert.True(t, s.Releases(fullRepo)[0].Draft, "the release stays a draft")

			resp, data = rawDo(t, s, http.MethodPost, s.APIURL()+"repos/acme/widgets/releases", bearer(tc.token), []byte(`{"tag_name":"`+tc.tag+`-b"}`))
			assert.Equal(t, []any{preReceive}, validationErrors(t, resp, data), "creating it published is refused alike")
		})
	}
}

func TestImmutableReleasesSetting(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.SetAdmin(tokClassicW, true)
	path := "repos/acme/widgets/immutable-releases"

	// Without admin access, the answer GitHub documents for "off", whatever the setting.
	notFound := map[string]any{"message": "Not Found", "status": "404",
		"documentation_url": "https://docs.github.com/rest/repos/repos#check-if-immutable-releases-are-enabled-for-a-repository"}
	for _, on := range []bool{false, true} {
		s.SetImmutableReleases(fullRepo, on)
		for _, tok := range []string{tokWrite, tokClamped, tokPAT} {
			resp, v := getJSON(t, s, tok, path)
			assert.Equal(t, http.StatusNotFound, resp.StatusCode, "admin read is needed")
			assert.Equal(t, notFound, v)
			assert.Equal(t, "administration=read", resp.Header.Get("X-Accepted-GitHub-Permissions"))
		}
	}
	s.SetImmutableReleases(fullRepo, false)
	assert.Equal(t, 6, s.env.Validator.Seen()[conformance.Exchange{Operation: "repos/check-immutable-releases", Status: 404}],
		"held to GitHub's description, which documents the 404")
	resp, _ := getJSON(t, s, tokClassicW, path)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "404 when immutable releases are off")

	resp, _ = rawDo(t, s, http.MethodPut, s.APIURL()+path, bearer(tokClassicW), nil)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, v := getJSON(t, s, tokClassicW, path)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, map[string]any{"enabled": true, "enforced_by_owner": false}, v)

	resp, _ = rawDo(t, s, http.MethodDelete, s.APIURL()+path, bearer(tokClassicW), nil)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, _ = getJSON(t, s, tokClassicW, path)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, body := rawDo(t, s, http.MethodPut, s.APIURL()+path, bearer(tokWrite), nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, string(body), `"message":"Resource not accessible by integration"`)
	resp, body = rawDo(t, s, http.MethodDelete, s.APIURL()+path, bearer(tokClassicW), nil)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode, "%s", body)
	s.SetAdmin(tokClassicW, false)
	resp, body = rawDo(t, s, http.MethodPut, s.APIURL()+path, bearer(tokClassicW), nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, string(body), `"message":"Must have admin rights to Repository."`)
}

// A release published while immutable releases are on is immutable: its assets can be neither
// added nor removed, and deleting it burns its tag.
func TestImmutableRelease(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()
	before := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0"})
	s.SetImmutableReleases(fullRepo, true)

	draft := createDraft(t, gh, "v1.0.0")
	a, _, err := gh.Repositories.UploadReleaseAsset(ctx, owner, repoName, draft.GetID(), &github.UploadOptions{Name: "a.txt"}, tempFile(t, "a.txt", []byte("a")))
	require.NoError(t, err, "a draft takes assets")
	resp, data := publish(t, s, tokWrite, draft.GetID())
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", data)
	var pub map[string]any
	require.NoError(t, json.Unmarshal(data, &pub))
	assert.Equal(t, true, pub["immutable"])

	_, v := getJSON(t, s, tokWrite, "repos/acme/widgets/releases/"+itoa(before.ID))
	assert.Equal(t, false, v.(map[string]any)["immutable"], "immutability applies to releases published from then on")
	assert.False(t, s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.1.0", Draft: true, Immutable: true}).Immutable,
		"a draft is never immutable")

	up, upData := rawDo(t, s, http.MethodPost, s.UploadURL()+"repos/acme/widgets/releases/"+itoa(draft.GetID())+"/assets?name=b.txt",
		http.Header{"Authorization": {"Bearer " + tokWrite}, "Content-Type": {"text/plain"}}, []byte("b"))
	assert.Equal(t, http.StatusUnprocessableEntity, up.StatusCode)
	assert.Contains(t, string(upData), `"message":"Cannot upload assets to an immutable release"`)

	del, delData := rawDo(t, s, http.MethodDelete, s.APIURL()+"repos/acme/widgets/releases/assets/"+itoa(a.GetID()), bearer(tokWrite), nil)
	assert.Equal(t, []any{map[string]any{"resource": "ReleaseAsset", "code": "custom", "message": "Cannot delete asset from an immutable release"}},
		validationErrors(t, del, delData))
	require.Len(t, s.Releases(fullRepo)[1].Assets, 1, "the asset is still there")

	// Title and notes may still change.
	edit, editData := rawDo(t, s, http.MethodPatch, s.APIURL()+"repos/acme/widgets/releases/"+itoa(draft.GetID()), bearer(tokWrite), []byte(`{"name":"One"}`))
	require.Equal(t, http.StatusOK, edit.StatusCode, "body: %s", editData)

	_, err = gh.Repositories.DeleteRelease(ctx, owner, repoName, draft.GetID())
	require.NoError(t, err, "an immutable release can be deleted")
	s.SetImmutableReleases(fullRepo, false)
	again := createDraft(t, gh, "v1.0.0")
	resp, data = publish(t, s, tokWrite, again.GetID())
	assert.Equal(t, []any{
		preReceive,
		map[string]any{"resource": "Release", "code": "custom", "field": "tag_name", "message": "tag_name was used by an immutable release"},
		map[string]any{"resource": "Release", "code": "custom", "message": "Published releases must have a valid tag"},
	}, validationErrors(t, resp, data), "the tag is burned, even with the setting off")
	rels := s.Releases(fullRepo)
	require.Equal(t, again.GetID(), rels[len(rels)-1].ID)
	assert.True(t, rels[len(rels)-1].Draft, "the release stays a draft")
}

func TestRateLimitMatchesTheHeaders(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.SetRateUsed(tokWrite, 990)
	resp, _ := getJSON(t, s, tokWrite, "repos/acme/widgets")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "9", resp.Header.Get("X-RateLimit-Remaining"))

	resp, v := getJSON(t, s, tokWrite, "rate_limit")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	m := requireKeys(t, v, "resources", "rate")
	res := requireKeys(t, m["resources"], "core", "search")
	core := requireKeys(t, res["core"], rateLimitRequired...)
	assert.Equal(t, float64(9), core["remaining"], "GET /rate_limit is not charged")
	assert.Equal(t, float64(991), core["used"])
	assert.Equal(t, float64(1000), core["limit"])
	for header, key := range map[string]string{"X-RateLimit-Remaining": "remaining", "X-RateLimit-Used": "used", "X-RateLimit-Limit": "limit", "X-RateLimit-Reset": "reset"} {
		assert.Equal(t, resp.Header.Get(header), strconv.FormatFloat(core[key].(float64), 'f', -1, 64), header)
	}
	assert.Equal(t, core, requireKeys(t, m["rate"], rateLimitRequired...), "rate repeats core")
}

func TestTokenExpiryHeader(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	s.SetTokenExpiry(tokClassicW, at)
	gh := newClient(t, s, tokClassicW)

	_, resp, err := gh.Repositories.Get(context.Background(), owner, repoName)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-04 05:06:07 UTC", resp.Header.Get("GitHub-Authentication-Token-Expiration"))
	assert.True(t, at.Equal(resp.TokenExpiration.Time), "go-github reads it: %v", resp.TokenExpiration)

	draft := createDraft(t, gh, "v1")
	_, resp, err = gh.Repositories.UploadReleaseAsset(context.Background(), owner, repoName, draft.GetID(), &github.UploadOptions{Name: "a"}, tempFile(t, "a", []byte("a")))
	require.NoError(t, err)
	assert.Equal(t, "2026-03-04 05:06:07 UTC", resp.Header.Get("GitHub-Authentication-Token-Expiration"), "uploads too")

	other, _ := rawDo(t, s, http.MethodGet, s.APIURL()+"repos/acme/widgets", bearer(tokWrite), nil)
	assert.Empty(t, other.Header.Values("GitHub-Authentication-Token-Expiration"), "a token without expiry gets none")
	s.SetTokenExpiry(tokClassicW, time.Time{})
	_, resp, err = gh.Repositories.Get(context.Background(), owner, repoName)
	require.NoError(t, err)
	assert.Empty(t, resp.Header.Values("GitHub-Authentication-Token-Expiration"))
}

func TestRepoOptions(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.AddRepoWith("mona/dotfiles", emulator.RepoOptions{OwnerType: "User"})
	s.AddRepoWith("acme/public", emulator.RepoOptions{Visibility: "public"})

	tests := []struct {
		path, owner, visibility string
		private                 bool
	}{
		{path: "repos/acme/widgets", owner: "Organization", visibility: "private", private: true},
		{path: "repos/mona/dotfiles", owner: "User", visibility: "private", private: true},
		{path: "repos/acme/public", owner: "Organization", visibility: "public", private: false},
	}
	for _, tc := range tests {
		resp, v := getJSON(t, s, tokWrite, tc.path)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		m := requireKeys(t, v, "owner", "private", "visibility")
		assert.Equal(t, tc.owner, m["owner"].(map[string]any)["type"], tc.path)
		assert.Equal(t, tc.private, m["private"], tc.path)
		assert.Equal(t, tc.visibility, m["visibility"], tc.path)
	}
	assert.Panics(t, func() { s.AddRepoWith("a/b", emulator.RepoOptions{OwnerType: "Bot"}) })
}

func TestAnnotatedTag(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	commit := "0123456789abcdef0123456789abcdef01234567"
	tagSHA := s.AddAnnotatedTag(fullRepo, "v1.0.0", commit)
	s.AddTagAt(fullRepo, "v0.9.0", "fedcba9876543210fedcba9876543210fedcba98")
	gh := newClient(t, s, tokClamped)
	ctx := context.Background()

	_, v := getJSON(t, s, tokClamped, "repos/acme/widgets/git/ref/tags/v1.0.0")
	ref := requireKeys(t, v, gitRefRequired...)
	obj := requireKeys(t, ref["object"], "type", "sha", "url")
	assert.Equal(t, "tag", obj["type"], "an annotated tag's ref points at its tag object")
	assert.Equal(t, tagSHA, obj["sha"])
	assert.Len(t, tagSHA, 40)
	assert.Equal(t, s.APIURL()+"repos/acme/widgets/git/tags/"+tagSHA, obj["url"])

	resp, v := getJSON(t, s, tokClamped, "repos/acme/widgets/git/tags/"+tagSHA)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	tag := requireKeys(t, v, gitTagRequired...)
	requireKeys(t, tag["tagger"], "date", "email", "name")
	requireKeys(t, tag["verification"], "verified", "reason", "payload", "signature", "verified_at")
	got, _, err := gh.Git.GetTag(ctx, owner, repoName, tagSHA)
	require.NoError(t, err)
	assert.Equal(t, "v1.0.0", got.GetTag())
	assert.Equal(t, "commit", got.GetObject().GetType())
	assert.Equal(t, commit, got.GetObject().GetSHA())

	light, _, err := gh.Git.GetRef(ctx, owner, repoName, "tags/v0.9.0")
	require.NoError(t, err)
	assert.Equal(t, "commit", light.GetObject().GetType())
	assert.Equal(t, "fedcba9876543210fedcba9876543210fedcba98", light.GetObject().GetSHA())

	tags, _, err := gh.Repositories.ListTags(ctx, owner, repoName, nil)
	require.NoError(t, err)
	require.Len(t, tags, 2)
	assert.Equal(t, commit, tags[0].GetCommit().GetSHA(), "the tag list dereferences to the commit")

	resp, _ = rawDo(t, s, http.MethodGet, s.APIURL()+"repos/acme/widgets/git/tags/"+commit, bearer(tokClamped), nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a commit is no tag object")
}
