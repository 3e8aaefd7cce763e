package emulator_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// A public repository is read without a token — drafts hidden, within the 60 requests an hour
// GitHub gives an unauthenticated client — and by a classic token without the repo scope;
// writes are refused. A private repository stays hidden from both.
func TestPublicRepositoryReads(t *testing.T) {
	t.Parallel()
	const public = "acme/public"
	const doc = "https://docs.github.com/rest/releases/releases#create-a-release"
	anonymous := http.Header{}
	tests := []struct {
		name   string
		header http.Header
		method string
		path   string
		body   string
		want   int
		// wantBody, when set, is the whole JSON answer.
		wantBody map[string]any
	}{
		{name: "repository", header: anonymous, method: http.MethodGet, path: "repos/" + public, want: 200},
		{name: "releases", header: anonymous, method: http.MethodGet, path: "repos/" + public + "/releases", want: 200},
		{name: "release by tag", header: anonymous, method: http.MethodGet, path: "repos/" + public + "/releases/tags/v1.0.0", want: 200},
		{name: "draft by tag", header: anonymous, method: http.MethodGet, path: "repos/" + public + "/releases/tags/v2.0.0", want: 404},
		{name: "tags", header: anonymous, method: http.MethodGet, path: "repos/" + public + "/tags", want: 200},
		{name: "create", header: anonymous, method: http.MethodPost, path: "repos/" + public + "/releases", body: `{"tag_name":"v3"}`, want: 401,
			wantBody: map[string]any{"message": "Requires authentication", "documentation_url": doc, "status": "401"}},
		{name: "private repository", header: anonymous, method: http.MethodGet, path: "repos/acme/widgets", want: 404},
		{name: "create in a private repository", header: anonymous, method: http.MethodPost, path: "repos/acme/widgets/releases", body: `{"tag_name":"v3"}`, want: 404},
		{name: "classic token without repo scope reads", header: bearer(tokClassic), method: http.MethodGet, path: "repos/" + public + "/releases", want: 200},
		{name: "classic token without repo scope writes", header: bearer(tokClassic), method: http.MethodPost, path: "repos/" + public + "/releases",
			body: `{"tag_name":"v3"}`, want: 404, wantBody: map[string]any{"message": "Not Found", "documentation_url": doc, "status": "404"}},
		{name: "classic token without repo scope, private", header: bearer(tokClassic), method: http.MethodGet, path: "repos/acme/widgets", want: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.AddRepoWith(public, emulator.RepoOptions{Visibility: "public"})
			s.SeedRelease(public, emulator.Release{TagName: "v1.0.0", Assets: []emulator.Asset{{Name: "a.zip", Content: []byte("zip")}}})
			s.SeedRelease(public, emulator.Release{TagName: "v2.0.0", Draft: true})
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			resp, data := rawDo(t, s, tt.method, s.APIURL()+tt.path, tt.header.Clone(), body)
			require.Equal(t, tt.want, resp.StatusCode, "%s", data)
			requireGitHubHeaders(t, resp.Header)
			if tt.wantBody != nil {
				var got map[string]any
				require.NoError(t, json.Unmarshal(data, &got))
				assert.Equal(t, tt.wantBody, got)
			}
			if tt.path == "repos/"+public+"/releases" && tt.method == http.MethodGet {
				var rels []map[string]any
				require.NoError(t, json.Unmarshal(data, &rels))
				require.Len(t, rels, 1, "the draft is hidden")
				assert.Equal(t, "v1.0.0", rels[0]["tag_name"])
			}
			assert.Len(t, s.Releases(public), 2, "nothing is written")
		})
	}
}

// Unauthenticated requests share GitHub's budget of 60 an hour; the 61st gets the primary
// rate limit, and GET /rate_limit stays free.
func TestAnonymousRateLimit(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.AddRepoWith("acme/public", emulator.RepoOptions{Visibility: "public"})
	u := s.APIURL() + "repos/acme/public"
	for i := range 60 {
		resp, body := rawDo(t, s, http.MethodGet, u, http.Header{}, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, "request %d: %s", i+1, body)
		require.Equal(t, "60", resp.Header.Get("X-RateLimit-Limit"))
		require.Equal(t, itoa(int64(59-i)), resp.Header.Get("X-RateLimit-Remaining"))
	}
	resp, body := rawDo(t, s, http.MethodGet, u, http.Header{}, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, string(body), "API rate limit exceeded for 127.0.0.1.")
	assert.Equal(t, "0", resp.Header.Get("X-RateLimit-Remaining"))

	resp, body = rawDo(t, s, http.MethodGet, s.APIURL()+"rate_limit", http.Header{}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	var rl struct {
		Rate struct{ Limit, Remaining, Used int }
	}
	require.NoError(t, json.Unmarshal(body, &rl))
	assert.Equal(t, 60, rl.Rate.Limit)
	assert.Equal(t, 0, rl.Rate.Remaining)

	resp, _ = rawDo(t, s, http.MethodGet, u, bearer(tokWrite), nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a token has a budget of its own")
}
