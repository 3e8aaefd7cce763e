package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

// refsServer has the default branch and the tags v1.0.0 (a published
// release), v1.1.0, v10.0.0 and team/v2.
func refsServer(t *testing.T, opts ...emulatortest.Option) *server {
	t.Helper()
	s := newServer(t, opts...)
	s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0"})
	for _, tag := range []string{"v1.1.0", "v10.0.0", "team/v2"} {
		s.AddTag(fullRepo, tag)
	}
	return s
}

func TestGetRef(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ref        string
		wantStatus int
	}{
		{ref: "tags/v1.0.0", wantStatus: 200},
		{ref: "tags/team/v2", wantStatus: 200},
		{ref: "heads/main", wantStatus: 200},
		{ref: "tags/v1", wantStatus: 404},
		{ref: "heads/v1.0.0", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			t.Parallel()
			s := refsServer(t)
			ref, resp, err := newClient(t, s, tokWrite).Git.GetRef(context.Background(), owner, repoName, tt.ref)
			require.Equal(t, tt.wantStatus, resp.StatusCode)
			if tt.wantStatus != 200 {
				assert.Equal(t, "https://docs.github.com/rest/git/refs#get-a-reference", errorResponse(t, err).DocumentationURL)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "refs/"+tt.ref, ref.GetRef())
			assert.Equal(t, s.APIURL()+"repos/acme/widgets/git/refs/"+tt.ref, ref.GetURL())
			assert.Equal(t, "commit", ref.GetObject().GetType())
			assert.Len(t, ref.GetObject().GetSHA(), 40)
			assert.Equal(t, s.APIURL()+"repos/acme/widgets/git/commits/"+ref.GetObject().GetSHA(), ref.GetObject().GetURL())
			assert.NotEmpty(t, ref.GetNodeID())
		})
	}
}

// GET …/git/matching-refs/{ref} lists the refs whose name starts with
// refs/{ref}, possibly none; without a ref (with or without the slash), every ref.
func TestMatchingRefs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ref  string
		want []string
	}{
		{ref: "tags/v1.0.0", want: []string{"refs/tags/v1.0.0"}},
		{ref: "tags/v1", want: []string{"refs/tags/v1.0.0", "refs/tags/v1.1.0", "refs/tags/v10.0.0"}},
		{ref: "tags/", want: []string{"refs/tags/team/v2", "refs/tags/v1.0.0", "refs/tags/v1.1.0", "refs/tags/v10.0.0"}},
		{ref: "heads", want: []string{"refs/heads/main"}},
		{ref: "tags/v2", want: []string{}},
		{ref: "/", want: []string{"refs/heads/main", "refs/tags/team/v2", "refs/tags/v1.0.0", "refs/tags/v1.1.0", "refs/tags/v10.0.0"}},
		{ref: "", want: []string{"refs/heads/main", "refs/tags/team/v2", "refs/tags/v1.0.0", "refs/tags/v1.1.0", "refs/tags/v10.0.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			t.Parallel()
			var opts []emulatortest.Option
			if tt.ref == "" || tt.ref == "/" {
				// GitHub's description requires a ref: without one is the emulator's own.
				opts = append(opts, emulatortest.WithoutConformance())
			}
			s := refsServer(t, opts...)
			u := s.APIURL() + "repos/acme/widgets/git/matching-refs"
			if tt.ref != "" {
				u += "/" + strings.TrimPrefix(tt.ref, "/")
			}
			resp, body := rawDo(t, s, http.MethodGet, u, bearer(tokWrite), nil)
			require.Equal(t, 200, resp.StatusCode, "%s", body)
			var refs []struct{ Ref string }
			require.NoError(t, json.Unmarshal(body, &refs))
			got := []string{}
			for _, r := range refs {
				got = append(got, r.Ref)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestMatchingRefsPaginate(t *testing.T) {
	t.Parallel()
	s := refsServer(t)
	// go-github's ListMatchingRefs takes no list options: ask for a page of 3 by hand.
	gh := newClient(t, s, tokWrite)
	req, err := gh.NewRequest(t.Context(), http.MethodGet, "repos/"+fullRepo+"/git/matching-refs/tags/?per_page=3", nil)
	require.NoError(t, err)
	var refs []*github.Reference
	resp, err := gh.Do(req, &refs)
	require.NoError(t, err)
	assert.Len(t, refs, 3)
	assert.Equal(t, 2, resp.NextPage)
}

// DELETE …/git/refs/{ref} deletes a tag (204). A published release whose tag
// is deleted becomes a draft. A ref that does not exist, and the default
// branch, answer 422.
func TestDeleteRef(t *testing.T) {
	t.Parallel()
	const doc = "https://docs.github.com/rest/git/refs#delete-a-reference"
	tests := []struct {
		name        string
		ref         string
		token       string
		wantStatus  int
		wantMessage string
		wantTags    []string
		wantDraft   bool // the release on v1.0.0 afterwards
	}{
		{name: "a tag", ref: "tags/v1.1.0", wantStatus: 204, wantTags: []string{"team/v2", "v1.0.0", "v10.0.0"}},
		{name: "a tag with a slash", ref: "tags/team/v2", wantStatus: 204, wantTags: []string{"v1.0.0", "v1.1.0", "v10.0.0"}},
		{name: "the tag of a published release", ref: "tags/v1.0.0", wantStatus: 204, wantTags: []string{"team/v2", "v1.1.0", "v10.0.0"}, wantDraft: true},
		{name: "a tag that does not exist", ref: "tags/v9", wantStatus: 422, wantMessage: "Reference does not exist"},
		{name: "a prefix of a tag", ref: "tags/v1", wantStatus: 422, wantMessage: "Reference does not exist"},
		{name: "the default branch", ref: "heads/main", wantStatus: 422, wantMessage: "Cannot delete the default branch"},
		{name: "clamped token", ref: "tags/v1.1.0", token: tokClamped, wantStatus: 403, wantMessage: "Resource not accessible by integration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := refsServer(t)
			before := s.Tags(fullRepo)
			tok := tt.token
			if tok == "" {
				tok = tokWrite
			}
			resp, body := rawDo(t, s, http.MethodDelete, s.APIURL()+"repos/acme/widgets/git/refs/"+tt.ref, bearer(tok), nil)
			require.Equal(t, tt.wantStatus, resp.StatusCode, "%s", body)
			rel := s.Releases(fullRepo)[0]
			if tt.wantMessage != "" {
				assert.JSONEq(t, `{"message":"`+tt.wantMessage+`","documentation_url":"`+doc+`","status":"`+itoa(int64(tt.wantStatus))+`"}`, string(body))
				assert.Equal(t, before, s.Tags(fullRepo))
				assert.False(t, rel.Draft)
				return
			}
			assert.Empty(t, body)
			assert.Equal(t, tt.wantTags, s.Tags(fullRepo))
			assert.Equal(t, tt.wantDraft, rel.Draft)
			if tt.wantDraft {
				assert.True(t, rel.PublishedAt.IsZero())
				_, _, err := newClient(t, s, tokWrite).Repositories.GetReleaseByTag(context.Background(), owner, repoName, "v1.0.0")
				assert.Equal(t, 404, errorResponse(t, err).Response.StatusCode)
			}
		})
	}
}
