package emulator_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// HEAD answers every GET endpoint with GET's status and headers and no body,
// as GitHub does.
func TestHeadIsGetWithoutBody(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	pub := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Assets: []emulator.Asset{{Name: "a.zip", Content: []byte("zip bytes")}}})
	draft := s.SeedRelease(fullRepo, emulator.Release{TagName: "v2.0.0", Draft: true})
	for i := range 3 {
		s.SeedRelease(fullRepo, emulator.Release{TagName: "v0." + itoa(int64(i)) + ".0"})
	}
	asset := itoa(pub.Assets[0].ID)
	tests := []struct {
		name       string
		url        string
		token      string
		accept     string
		wantStatus int
		outside    bool // no operation of GitHub's description: sent unchecked
	}{
		{name: "repository", url: s.APIURL() + "repos/acme/widgets", token: tokWrite, wantStatus: 200},
		{name: "release list, paginated", url: s.APIURL() + "repos/acme/widgets/releases?per_page=2", token: tokWrite, wantStatus: 200},
		{name: "latest release", url: s.APIURL() + "repos/acme/widgets/releases/latest", token: tokWrite, wantStatus: 200},
		{name: "release by tag", url: s.APIURL() + "repos/acme/widgets/releases/tags/v1.0.0", token: tokWrite, wantStatus: 200},
		{name: "release", url: s.APIURL() + "repos/acme/widgets/releases/" + itoa(pub.ID), token: tokWrite, wantStatus: 200},
		{name: "draft hidden from a clamped token", url: s.APIURL() + "repos/acme/widgets/releases/" + itoa(draft.ID), token: tokClamped, wantStatus: 404},
		{name: "assets", url: s.APIURL() + "repos/acme/widgets/releases/" + itoa(pub.ID) + "/assets", token: tokWrite, wantStatus: 200},
		{name: "asset", url: s.APIURL() + "repos/acme/widgets/releases/assets/" + asset, token: tokWrite, wantStatus: 200},
		{name: "asset bytes", url: s.APIURL() + "repos/acme/widgets/releases/assets/" + asset, token: tokWrite, accept: "application/octet-stream", wantStatus: 200},
		{name: "tag ref", url: s.APIURL() + "repos/acme/widgets/git/ref/tags/v1.0.0", token: tokWrite, wantStatus: 200},
		{name: "tags", url: s.APIURL() + "repos/acme/widgets/tags", token: tokWrite, wantStatus: 200},
		{name: "download", url: s.URL() + "/acme/widgets/releases/download/v1.0.0/a.zip", token: tokWrite, wantStatus: 200},
		// A token of its own: the body counts the token's requests, which the other cases make.
		{name: "rate limit", url: s.APIURL() + "rate_limit", token: tokClassicW, wantStatus: 200},
		{name: "bad credentials", url: s.APIURL() + "repos/acme/widgets", token: tokUnknown, wantStatus: 401},
		{name: "no such path", url: s.APIURL() + "repos/acme/widgets/nothing", token: tokWrite, wantStatus: 404, outside: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := bearer(tt.token)
			if tt.accept != "" {
				h.Set("Accept", tt.accept)
			}
			srv := s
			if tt.outside {
				srv = s.unchecked()
			}
			get, getBody := rawDo(t, srv, http.MethodGet, tt.url, h, nil)
			head, headBody := rawDo(t, srv, http.MethodHead, tt.url, h, nil)

			require.Equal(t, tt.wantStatus, get.StatusCode)
			assert.Equal(t, tt.wantStatus, head.StatusCode)
			assert.Empty(t, headBody, "HEAD has no body")
			require.NotEmpty(t, getBody)
			assert.Equal(t, int64(len(getBody)), head.ContentLength, "HEAD announces GET's length")
			for _, k := range []string{"Content-Type", "Link", "X-Accepted-GitHub-Permissions", "X-RateLimit-Limit", "X-GitHub-Media-Type"} {
				assert.Equal(t, get.Header.Get(k), head.Header.Get(k), k)
			}
			assert.NotEmpty(t, head.Header.Get("X-GitHub-Request-Id"))
		})
	}
}

// A HEAD request is logged as HEAD and spends the token's budget like GET;
// on the rate-limit endpoint it is free, like GET.
func TestHeadIsLoggedAndCounted(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	resp, _ := rawDo(t, s, http.MethodHead, s.APIURL()+"repos/acme/widgets", bearer(tokWrite), nil)
	assert.Equal(t, "1", resp.Header.Get("X-RateLimit-Used"))
	resp, _ = rawDo(t, s, http.MethodHead, s.APIURL()+"rate_limit", bearer(tokWrite), nil)
	assert.Equal(t, "1", resp.Header.Get("X-RateLimit-Used"), "rate_limit is not charged")
	reqs := s.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "HEAD", reqs[0].Method)
	assert.Equal(t, 200, reqs[0].Status)
}
