package emulator_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

type ghCall func(ctx context.Context, t *testing.T, s *server, gh *github.Client) (*github.Response, error)

var (
	getRepo = func(ctx context.Context, _ *testing.T, _ *server, gh *github.Client) (*github.Response, error) {
		_, resp, err := gh.Repositories.Get(ctx, owner, repoName)
		return resp, err
	}
	listReleases = func(ctx context.Context, _ *testing.T, _ *server, gh *github.Client) (*github.Response, error) {
		_, resp, err := gh.Repositories.ListReleases(ctx, owner, repoName, nil)
		return resp, err
	}
	createRelease = func(ctx context.Context, _ *testing.T, _ *server, gh *github.Client) (*github.Response, error) {
		_, resp, err := gh.Repositories.CreateRelease(ctx, owner, repoName, github.CreateReleaseRequest{
			TagName: "v1.0.0", Draft: new(true),
		})
		return resp, err
	}
	deleteRelease = func(ctx context.Context, _ *testing.T, s *server, gh *github.Client) (*github.Response, error) {
		rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0"})
		return gh.Repositories.DeleteRelease(ctx, owner, repoName, rel.ID)
	}
	editRelease = func(ctx context.Context, _ *testing.T, s *server, gh *github.Client) (*github.Response, error) {
		rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0", Draft: true})
		_, resp, err := gh.Repositories.UpdateRelease(ctx, owner, repoName, rel.ID, github.UpdateReleaseRequest{Draft: new(false)})
		return resp, err
	}
	uploadAsset = func(ctx context.Context, t *testing.T, s *server, gh *github.Client) (*github.Response, error) {
		rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0", Draft: true})
		f := tempFile(t, "app.tar.gz", []byte("payload"))
		_, resp, err := gh.Repositories.UploadReleaseAsset(ctx, owner, repoName, rel.ID, &github.UploadOptions{Name: "app.tar.gz"}, f)
		return resp, err
	}
	deleteAsset = func(ctx context.Context, _ *testing.T, s *server, gh *github.Client) (*github.Response, error) {
		rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0", Assets: []emulator.Asset{{Name: "a.zip", Content: []byte("x")}}})
		return gh.Repositories.DeleteReleaseAsset(ctx, owner, repoName, rel.Assets[0].ID)
	}
	rateLimit = func(ctx context.Context, _ *testing.T, _ *server, gh *github.Client) (*github.Response, error) {
		_, resp, err := gh.RateLimit.Get(ctx)
		return resp, err
	}
)

func TestTokenModes(t *testing.T) {
	t.Parallel()
	const (
		integration = "Resource not accessible by integration"
		pat         = "Resource not accessible by personal access token"
		sso         = "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization."
	)
	tests := []struct {
		name        string
		token       string
		call        ghCall
		wantStatus  int
		wantMessage string
		wantDoc     string
		wantHeaders map[string]string // "" asserts the header is absent
	}{
		{"write creates", tokWrite, createRelease, 201, "", "",
			map[string]string{"X-Accepted-GitHub-Permissions": "contents=write", "X-OAuth-Scopes": ""}},
		{"write edits", tokWrite, editRelease, 200, "", "", nil},
		{"write deletes release", tokWrite, deleteRelease, 204, "", "", nil},
		{"write uploads", tokWrite, uploadAsset, 201, "", "", map[string]string{"X-Accepted-GitHub-Permissions": "contents=write"}},
		{"write deletes asset", tokWrite, deleteAsset, 204, "", "", nil},
		{"write reads repo", tokWrite, getRepo, 200, "", "", map[string]string{"X-Accepted-GitHub-Permissions": "metadata=read"}},

		{"clamped reads repo", tokClamped, getRepo, 200, "", "", nil},
		{"clamped lists releases", tokClamped, listReleases, 200, "", "", map[string]string{"X-Accepted-GitHub-Permissions": "contents=read"}},
		{"clamped create", tokClamped, createRelease, 403, integration, "https://docs.github.com/rest/releases/releases#create-a-release",
			map[string]string{"X-Accepted-GitHub-Permissions": "contents=write", "X-GitHub-SSO": ""}},
		{"clamped edit", tokClamped, editRelease, 403, integration, "https://docs.github.com/rest/releases/releases#update-a-release",
			map[string]string{"X-Accepted-GitHub-Permissions": "contents=write"}},
		{"clamped delete", tokClamped, deleteRelease, 403, integration, "https://docs.github.com/rest/releases/releases#delete-a-release",
			map[string]string{"X-Accepted-GitHub-Permissions": "contents=write"}},
		{"clamped upload", tokClamped, uploadAsset, 403, integration, "https://docs.github.com/rest/releases/assets#upload-a-release-asset",
			map[string]string{"X-Accepted-GitHub-Permissions": "contents=write"}},
		{"clamped delete asset", tokClamped, deleteAsset, 403, integration, "https://docs.github.com/rest/releases/assets#delete-a-release-asset",
			map[string]string{"X-Accepted-GitHub-Permissions": "contents=write"}},

		{"pat reads", tokPAT, listReleases, 200, "", "", nil},
		{"pat create", tokPAT, createRelease, 403, pat, "https://docs.github.com/rest/releases/releases#create-a-release",
			map[string]string{"X-Accepted-GitHub-Permissions": "contents=write", "X-OAuth-Scopes": ""}},
		{"pat upload", tokPAT, uploadAsset, 403, pat, "https://docs.github.com/rest/releases/assets#upload-a-release-asset",
			map[string]string{"X-Accepted-GitHub-Permissions": "contents=write"}},

		{"classic without repo reads", tokClassic, getRepo, 404, "Not Found", "https://docs.github.com/rest/repos/repos#get-a-repository",
			map[string]string{"X-OAuth-Scopes": "read:org", "X-Accepted-OAuth-Scopes": "repo", "X-Accepted-GitHub-Permissions": ""}},
		{"classic without repo creates", tokClassic, createRelease, 404, "Not Found", "https://docs.github.com/rest/releases/releases#create-a-release",
			map[string]string{"X-OAuth-Scopes": "read:org", "X-Accepted-OAuth-Scopes": "repo"}},
		{"classic without repo rate limit", tokClassic, rateLimit, 200, "", "", map[string]string{"X-OAuth-Scopes": "read:org"}},

		{"sso reads repo", tokSSO, getRepo, 403, sso, "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/",
			map[string]string{"X-OAuth-Scopes": "repo"}},
		{"sso lists", tokSSO, listReleases, 403, sso, "", nil},
		{"sso creates", tokSSO, createRelease, 403, sso, "", nil},

		{"classic with repo creates", tokClassicW, createRelease, 201, "", "",
			map[string]string{"X-OAuth-Scopes": "repo", "X-Accepted-OAuth-Scopes": "repo", "X-Accepted-GitHub-Permissions": ""}},

		{"unknown token reads", tokUnknown, getRepo, 401, "Bad credentials", "https://docs.github.com/rest",
			map[string]string{"X-RateLimit-Limit": "60"}},
		{"unknown token rate limit", tokUnknown, rateLimit, 401, "Bad credentials", "https://docs.github.com/rest", nil},
		{"anonymous reads private repo", "", getRepo, 404, "Not Found", "", map[string]string{"X-RateLimit-Limit": "60"}},
		{"anonymous rate limit", "", rateLimit, 200, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			gh := newClient(t, s, tt.token)

			resp, err := tt.call(context.Background(), t, s, gh)
			require.NotNil(t, resp)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			requireGitHubHeaders(t, resp.Header)
			for k, v := range tt.wantHeaders {
				assert.Equal(t, v, resp.Header.Get(k), k)
			}
			if tt.wantStatus < 300 {
				require.NoError(t, err)
				return
			}
			er := errorResponse(t, err)
			assert.Equal(t, tt.wantMessage, er.Message)
			if tt.wantDoc != "" {
				assert.Equal(t, tt.wantDoc, er.DocumentationURL)
			}
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			body := errorBody(t, er.Response)
			assert.Equal(t, strconv.Itoa(tt.wantStatus), body["status"], "status is sent as a string")
		})
	}
}

func TestSSOHeaderNamesTheOrganization(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	_, resp, err := newClient(t, s, tokSSO).Repositories.ListReleases(context.Background(), owner, repoName, nil)
	require.Error(t, err)
	sso := resp.Header.Get("X-GitHub-SSO")
	assert.True(t, strings.HasPrefix(sso, "required; url=https://github.com/orgs/acme/sso?authorization_request="), sso)
	assert.Greater(t, len(sso), len("required; url=https://github.com/orgs/acme/sso?authorization_request="))
}

func TestAuthorizationHeaderForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		want   int
	}{
		{"bearer", "Bearer " + tokWrite, 200},
		{"token", "token " + tokWrite, 200},
		{"scheme is case-insensitive", "BEARER " + tokWrite, 200},
		{"basic is not accepted", "Basic " + tokWrite, 401},
		{"scheme without token", "Bearer", 401},
		{"unknown token", "token " + tokUnknown, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			resp, _ := rawDo(t, s, http.MethodGet, s.APIURL()+"repos/acme/widgets", http.Header{"Authorization": {tt.header}}, nil)
			assert.Equal(t, tt.want, resp.StatusCode)
		})
	}
}

func TestRevokedTokenGets401(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.AddToken(tokWrite, emulator.ModeBadCredentials)
	_, _, err := newClient(t, s, tokWrite).Repositories.Get(context.Background(), owner, repoName)
	er := errorResponse(t, err)
	assert.Equal(t, 401, er.Response.StatusCode)
	assert.Equal(t, "Bad credentials", er.Message)
}

func TestMissingUserAgentIsForbidden(t *testing.T) {
	t.Parallel()
	// GitHub's text/plain 403 is outside its description.
	s := newServer(t, emulatortest.WithoutConformance())
	h := bearer(tokWrite)
	h.Set("User-Agent", "")
	resp, body := rawDo(t, s, http.MethodGet, s.APIURL()+"repos/acme/widgets", h, nil)
	assert.Equal(t, 403, resp.StatusCode)
	assert.Contains(t, string(body), "User-Agent")
}

func TestUnknownRepoAndRoute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path string
	}{
		{"unknown repository", http.MethodGet, "repos/acme/nope/releases"},
		{"unknown endpoint", http.MethodGet, "repos/acme/widgets/pulls"},
		{"trailing slash", http.MethodGet, "repos/acme/widgets/releases/"},
		{"wrong method", http.MethodPut, "repos/acme/widgets/releases"},
		{"non-numeric id", http.MethodGet, "repos/acme/widgets/releases/abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Paths and methods GitHub's description does not have, on purpose.
			s := newServer(t, emulatortest.WithoutConformance())
			resp, body := rawDo(t, s, tt.method, s.APIURL()+tt.path, bearer(tokWrite), nil)
			assert.Equal(t, 404, resp.StatusCode)
			assert.Contains(t, string(body), `"message":"Not Found"`)
			assert.Contains(t, string(body), `"status":"404"`)
			requireGitHubHeaders(t, resp.Header)
		})
	}
}
