package emulator_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

// Every answer has the shape GitHub's OpenAPI description gives it: the
// required fields of release, release-asset (digest included), simple-user,
// full-repository, git-ref, tag, rate-limit-overview and
// release-notes-content, for every token mode and for drafts, published
// releases and starter assets, on github.com's and GitHub Enterprise
// Server's paths.
func TestAnswersMatchGitHubSchemas(t *testing.T) {
	t.Parallel()
	layouts := map[string][]emulatortest.Option{
		"github.com":               nil,
		"GitHub Enterprise Server": {emulatortest.WithPrefixes("/api/v3/", "/api/uploads/")},
	}
	for layout, opts := range layouts {
		for _, tok := range append(allTokens, "") {
			name := layout + " anonymous"
			if tok != "" {
				name = layout + " " + tok[:12]
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				s := newServer(t, opts...)
				pub := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0", Body: "old", Assets: []emulator.Asset{
					{Name: "a.zip", Content: []byte("zip")}, {Name: "legacy.zip", Size: 10}, {Name: "broken.zip", State: "starter"},
				}})
				draft := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Draft: true, Assets: []emulator.Asset{{Name: "b.zip", Content: []byte("b")}}})
				s.AddTag(fullRepo, "team/v2")
				v := s.env.Validator
				gh := newClient(t, s, tok)
				ctx := context.Background()

				// Every call goes through the validator, which fails the test on
				// a violation; errors are expected for tokens that may not.
				_, _, _ = gh.RateLimit.Get(ctx)
				_, _, _ = gh.Repositories.Get(ctx, owner, repoName)
				_, _, _ = gh.Repositories.ListReleases(ctx, owner, repoName, &github.ListOptions{PerPage: 1})
				_, _, _ = gh.Repositories.GetLatestRelease(ctx, owner, repoName)
				_, _, _ = gh.Repositories.GetReleaseByTag(ctx, owner, repoName, "v0.9.0")
				_, _, _ = gh.Repositories.GetReleaseByTag(ctx, owner, repoName, "v1.0.0")
				_, _, _ = gh.Repositories.GetRelease(ctx, owner, repoName, draft.ID)
				_, _, _ = gh.Repositories.ListReleaseAssets(ctx, owner, repoName, pub.ID, nil)
				_, _, _ = gh.Repositories.GetReleaseAsset(ctx, owner, repoName, pub.Assets[0].ID)
				_, _, _ = gh.Repositories.ListTags(ctx, owner, repoName, nil)
				_, _, _ = gh.Git.GetRef(ctx, owner, repoName, "tags/team/v2")
				_, _, _ = gh.Git.GetRef(ctx, owner, repoName, "heads/main")
				_, _, _ = gh.Git.ListMatchingRefs(ctx, owner, repoName, "tags/v")
				_, _, _ = gh.Repositories.GenerateReleaseNotes(ctx, owner, repoName, github.GenerateNotesRequest{TagName: "v1.0.0"})
				rel, _, err := gh.Repositories.CreateRelease(ctx, owner, repoName, github.CreateReleaseRequest{
					TagName: "v1.1.0", Draft: new(true), MakeLatest: new("legacy"), GenerateReleaseNotes: new(true),
				})
				if err == nil {
					a, _, err := gh.Repositories.UploadReleaseAsset(ctx, owner, repoName, rel.GetID(), &github.UploadOptions{Name: "c.tar.gz"},
						tempFile(t, "c.tar.gz", []byte("tgz")))
					require.NoError(t, err)
					_, _, err = gh.Repositories.UpdateReleaseAsset(ctx, owner, repoName, a.GetID(), github.UpdateReleaseAssetRequest{Label: new("C")})
					require.NoError(t, err)
					_, _, err = gh.Repositories.UpdateRelease(ctx, owner, repoName, rel.GetID(), github.UpdateReleaseRequest{Draft: new(false)})
					require.NoError(t, err)
					_, err = gh.Git.DeleteRef(ctx, owner, repoName, "tags/team/v2")
					require.NoError(t, err)
					_, err = gh.Repositories.DeleteReleaseAsset(ctx, owner, repoName, a.GetID())
					require.NoError(t, err)
					_, err = gh.Repositories.DeleteRelease(ctx, owner, repoName, rel.GetID())
					require.NoError(t, err)
				}

				calls := 15
				if err == nil {
					calls += 6
				}
				validated := 0
				for _, n := range v.Seen() {
					validated += n
				}
				assert.Equal(t, calls, validated, "every call was validated: %v", v.Seen())
			})
		}
	}
}

// Error answers have GitHub's error shapes, also where the description does
// not document the status, and HEAD answers have GET's.
func TestErrorAnswersMatchGitHubSchemas(t *testing.T) {
	t.Parallel()
	s := newServer(t, emulatortest.WithResponsesOnly())
	rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Assets: []emulator.Asset{{Name: "a.zip", Content: []byte("zip")}}})
	hc := s.Client()
	do := func(method, u string, header http.Header, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, u, bytes.NewBufferString(body))
		require.NoError(t, err)
		req.Header = header
		resp, err := hc.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	w := func(extra ...string) http.Header {
		h := bearer(tokWrite)
		h.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(extra); i += 2 {
			h.Set(extra[i], extra[i+1])
		}
		return h
	}
	api := s.APIURL() + "repos/acme/widgets/"
	tests := []struct {
		method, url string
		header      http.Header
		body        string
		want        int
	}{
		{"POST", api + "releases", w(), `{"tag_name":"v1.0.0"}`, 422},
		{"POST", api + "releases", w(), `{"tag_name":"v2","make_latest":"sometimes"}`, 422},
		{"POST", api + "releases", w(), `{"tag_name":`, 400},
		{"PATCH", api + "releases/" + itoa(rel.ID), w(), `{"draft":"no"}`, 422},
		{"PATCH", api + "releases/4711", w(), `{}`, 404},
		{"GET", api + "releases/4711", w(), ``, 404},
		{"GET", api + "releases/tags/v9", w(), ``, 404},
		{"PATCH", api + "releases/assets/" + itoa(rel.Assets[0].ID), w(), `{"name":null}`, 422},
		{"PATCH", api + "releases/assets/4711", w(), `{}`, 404},
		{"POST", api + "releases/generate-notes", w(), `{}`, 422},
		{"POST", api + "releases/generate-notes", w(), `{"tag_name":"v2","previous_tag_name":"v0"}`, 404},
		{"DELETE", api + "git/refs/tags/v9", w(), ``, 422},
		{"DELETE", api + "git/refs/heads/main", w(), ``, 422},
		{"GET", api + "git/ref/tags/v9", w(), ``, 404},
		{"POST", s.UploadURL() + "repos/acme/widgets/releases/" + itoa(rel.ID) + "/assets?name=a.zip", w("Content-Type", "application/zip"), `zip`, 422},
		{"POST", s.UploadURL() + "repos/acme/widgets/releases/" + itoa(rel.ID) + "/assets", w("Content-Type", "application/zip"), `zip`, 400},
		{"GET", api + "releases", bearer(tokUnknown), ``, 401},
		{"GET", s.APIURL() + "rate_limit", bearer(tokUnknown), ``, 401},
		{"POST", api + "releases", w("Authorization", "Bearer "+tokClamped), `{"tag_name":"v2"}`, 403},
		{"GET", api + "releases", bearer(tokSSO), ``, 403},
		{"GET", api + "releases", bearer(tokClassic), ``, 404},
		{"GET", s.APIURL() + "repos/acme/nothing", w(), ``, 404},
		{"HEAD", api + "releases/" + itoa(rel.ID), w(), ``, 200},
		{"HEAD", api + "releases/4711", w(), ``, 404},
		{"GET", s.URL() + "/acme/widgets/releases/download/v1.0.0/a.zip", w(), ``, 200},
		{"GET", s.URL() + "/acme/widgets/releases/download/v1.0.0/b.zip", w(), ``, 404},
		{"GET", api + "releases/assets/" + itoa(rel.Assets[0].ID), w("Accept", "application/octet-stream"), ``, 200},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, do(tt.method, tt.url, tt.header, tt.body), "%s %s %s", tt.method, tt.url, tt.body)
	}
}
