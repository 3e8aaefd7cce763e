package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

func TestEnterpriseServerPrefixes(t *testing.T) {
	t.Parallel()
	s := newServer(t, emulatortest.WithPrefixes("/api/v3/", "/api/uploads/"))
	assert.Equal(t, s.URL()+"/api/v3/", s.APIURL())
	assert.Equal(t, s.URL()+"/api/uploads/", s.UploadURL())

	// go-github's own GHES layout must land on the emulator's routes.
	gh, err := github.NewClient(github.WithHTTPClient(s.Client()), github.WithAuthToken(tokWrite), github.WithEnterpriseURLs(s.URL(), s.URL()))
	require.NoError(t, err)
	ctx := context.Background()

	draft := createDraft(t, gh, "v1.0.0")
	assert.True(t, strings.HasPrefix(draft.GetUploadURL(), s.URL()+"/api/uploads/repos/acme/widgets/releases/"), draft.GetUploadURL())
	assert.True(t, strings.HasPrefix(draft.GetURL(), s.URL()+"/api/v3/repos/acme/widgets/releases/"), draft.GetURL())
	assert.True(t, strings.HasPrefix(draft.GetHTMLURL(), s.URL()+"/acme/widgets/releases/tag/untagged-"), draft.GetHTMLURL())

	a, _, err := gh.Repositories.UploadReleaseAsset(ctx, owner, repoName, draft.GetID(),
		&github.UploadOptions{Name: "app.zip"}, tempFile(t, "app.zip", []byte("zip")))
	require.NoError(t, err)
	assert.Equal(t, "uploaded", a.GetState())

	_, _, err = gh.Repositories.UpdateRelease(ctx, owner, repoName, draft.GetID(), github.UpdateReleaseRequest{Draft: new(false)})
	require.NoError(t, err)
	assert.Equal(t, []string{"v1.0.0"}, s.Tags(fullRepo))
	_, err = gh.Repositories.DeleteRelease(ctx, owner, repoName, draft.GetID())
	require.NoError(t, err)

	var paths []string
	for _, r := range s.Requests() {
		paths = append(paths, r.Method+" "+r.Path)
	}
	id := itoa(draft.GetID())
	assert.Equal(t, []string{
		"POST /api/v3/repos/acme/widgets/releases",
		"POST /api/uploads/repos/acme/widgets/releases/" + id + "/assets",
		"PATCH /api/v3/repos/acme/widgets/releases/" + id,
		"DELETE /api/v3/repos/acme/widgets/releases/" + id,
	}, paths)
}

func TestEnterpriseServerRejectsOtherPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"api under prefix", http.MethodGet, "/api/v3/repos/acme/widgets", 200},
		{"rate limit under prefix", http.MethodGet, "/api/v3/rate_limit", 200},
		{"api at root", http.MethodGet, "/repos/acme/widgets", 404},
		{"api on upload prefix", http.MethodGet, "/api/uploads/repos/acme/widgets", 404},
		{"upload on api prefix", http.MethodPost, "/api/v3/repos/acme/widgets/releases/%d/assets?name=a.zip", 404},
		{"upload on upload prefix", http.MethodPost, "/api/uploads/repos/acme/widgets/releases/%d/assets?name=a.zip", 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Paths outside the API and upload base URLs, on purpose.
			s := newServer(t, emulatortest.WithPrefixes("api/v3", "/api/uploads"), emulatortest.WithoutConformance())
			rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1", Draft: true})
			p := tt.path
			if strings.Contains(p, "%d") {
				p = fmt.Sprintf(p, rel.ID)
			}
			h := bearer(tokWrite)
			var body []byte
			if tt.method == http.MethodPost {
				h.Set("Content-Type", "application/zip")
				body = []byte("zip")
			}
			resp, _ := rawDo(t, s, tt.method, s.URL()+p, h, body)
			assert.Equal(t, tt.want, resp.StatusCode)
			requireGitHubHeaders(t, resp.Header)
		})
	}
}
