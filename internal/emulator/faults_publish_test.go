package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// What a publish must survive (issue 16) is expressible as a fault by endpoint anchor, with
// GitHub's bodies: a failing asset rename, a 404 on the release update (at once, on the second
// update, or after the work), a body cut short; several drafts with one tag need no fault.
func TestFaultsAPublishMustSurvive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const (
		updateDoc = "https://docs.github.com/rest/releases/releases#update-a-release"
		renameDoc = "https://docs.github.com/rest/releases/assets#update-a-release-asset"
	)
	// seed is a draft with one asset.
	seed := func(s *server) emulator.Release {
		return s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Draft: true,
			Assets: []emulator.Asset{{Name: "app.tar.gz.tmp", Content: []byte("tgz")}}})
	}
	publish := func(t *testing.T, s *server, id int64) (*http.Response, map[string]any) {
		t.Helper()
		resp, data := rawDo(t, s, http.MethodPatch, s.APIURL()+"repos/acme/widgets/releases/"+itoa(id), bearer(tokWrite), []byte(`{"draft":false}`))
		var body map[string]any
		require.NoError(t, json.Unmarshal(data, &body), "%s", data)
		return resp, body
	}

	t.Run("a failing asset rename", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		rel := seed(s)
		s.Inject(emulator.Fault{Endpoint: "update-a-release-asset", Status: http.StatusUnprocessableEntity})
		gh := newClient(t, s, tokWrite)
		_, resp, err := gh.Repositories.UpdateReleaseAsset(ctx, owner, repoName, rel.Assets[0].ID, github.UpdateReleaseAssetRequest{Name: new("app.tar.gz")})
		er := errorResponse(t, err)
		assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
		assert.Equal(t, "Validation Failed", er.Message)
		assert.Equal(t, renameDoc, er.DocumentationURL)
		assert.Equal(t, "app.tar.gz.tmp", s.Releases(fullRepo)[0].Assets[0].Name, "the asset keeps its name")

		a, _, err := gh.Repositories.UpdateReleaseAsset(ctx, owner, repoName, rel.Assets[0].ID, github.UpdateReleaseAssetRequest{Name: new("app.tar.gz")})
		require.NoError(t, err, "the fault fired once")
		assert.Equal(t, "app.tar.gz", a.GetName())
	})

	t.Run("a 404 on the release update", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		rel := seed(s)
		s.Inject(emulator.Fault{Endpoint: "update-a-release", Status: http.StatusNotFound})
		resp, body := publish(t, s, rel.ID)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Equal(t, map[string]any{"message": "Not Found", "documentation_url": updateDoc, "status": "404"}, body)
		assert.True(t, s.Releases(fullRepo)[0].Draft, "nothing was published")
		last := s.Requests()[len(s.Requests())-1]
		assert.Equal(t, []string{"update-a-release", "status"}, []string{last.Endpoint, last.Fault})
	})

	t.Run("a 404 on the second release update", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		rel := seed(s)
		s.Inject(emulator.Fault{Endpoint: "update-a-release", Skip: 1, Status: http.StatusNotFound})
		resp, _ := rawDo(t, s, http.MethodPatch, s.APIURL()+"repos/acme/widgets/releases/"+itoa(rel.ID), bearer(tokWrite), []byte(`{"body":"notes"}`))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		resp, _ = publish(t, s, rel.ID)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		got := s.Releases(fullRepo)[0]
		assert.Equal(t, "notes", got.Body)
		assert.True(t, got.Draft)
	})

	t.Run("a 404 after the update was done", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		rel := seed(s)
		s.Inject(emulator.Fault{Endpoint: "update-a-release", AfterWork: true, Status: http.StatusNotFound})
		resp, body := publish(t, s, rel.ID)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Equal(t, updateDoc, body["documentation_url"])
		assert.False(t, s.Releases(fullRepo)[0].Draft, "the release was published all the same")
		assert.Equal(t, []string{"v1.0.0"}, s.Tags(fullRepo))
	})

	for _, ep := range []string{"get-a-release", "list-release-assets"} {
		t.Run("a body cut short on "+ep, func(t *testing.T) {
			t.Parallel()
			// A truncated body fails the validator's read before the client's: unchecked.
			s := newServer(t).unchecked()
			rel := seed(s)
			s.Inject(emulator.Fault{Endpoint: ep, TruncateBody: true})
			gh := newClient(t, s, tokWrite)
			var err error
			if ep == "get-a-release" {
				_, _, err = gh.Repositories.GetRelease(ctx, owner, repoName, rel.ID)
			} else {
				_, _, err = gh.Repositories.ListReleaseAssets(ctx, owner, repoName, rel.ID, nil)
			}
			require.Error(t, err)
			var er *github.ErrorResponse
			assert.NotErrorAs(t, err, &er, "the status was 200: the body, not GitHub, failed")
			log := s.Requests()
			assert.Equal(t, []string{ep, "truncate-body"}, []string{log[0].Endpoint, log[0].Fault})
			assert.Equal(t, http.StatusOK, log[0].Status)
		})
	}

	t.Run("several drafts with one tag, by default", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		seed(s)
		gh := newClient(t, s, tokWrite)
		second := createDraft(t, gh, "v1.0.0")
		third := createDraft(t, gh, "v1.0.0")
		assert.NotEqual(t, second.GetID(), third.GetID())
		assert.Len(t, s.Releases(fullRepo), 3)
		assert.Empty(t, s.Tags(fullRepo), "drafts create no tag")
	})
}

// A fault naming an endpoint that does not exist would never fire: Inject refuses it, and
// says which names there are.
func TestInjectRefusesAnUnknownEndpoint(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	var msg string
	func() {
		defer func() { msg, _ = recover().(string) }()
		s.Inject(emulator.Fault{Endpoint: "update-release", Status: http.StatusNotFound})
	}()
	assert.Contains(t, msg, `Fault.Endpoint "update-release" is no endpoint's documentation anchor`)
	for _, name := range []string{"update-a-release", "update-a-release-asset", "get-a-release", "list-release-assets", "download-a-repository-archive-tar"} {
		assert.Contains(t, msg, name)
	}
	resp, _ := rawDo(t, s, http.MethodGet, s.APIURL()+"repos/acme/widgets", bearer(tokWrite), nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "nothing was queued")
}
