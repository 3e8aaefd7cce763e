package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

// seedAssets returns n uploaded assets named f0.txt, f1.txt, …
func seedAssets(n int) []emulator.Asset {
	out := make([]emulator.Asset, n)
	for i := range out {
		out[i] = emulator.Asset{Name: fmt.Sprintf("f%d.txt", i), Content: []byte("x")}
	}
	return out
}

// A release holds at most 1000 assets: the 1001st upload answers GitHub's
// 422 file_count, whatever the other assets' states.
func TestAssetCountLimit(t *testing.T) {
	t.Parallel()
	fileCount := map[string]any{"resource": "ReleaseAsset", "code": "custom", "field": "file_count",
		"message": "file_count limited to 1000 assets per release"}
	duplicate := map[string]any{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}
	tests := []struct {
		name       string
		existing   []emulator.Asset
		upload     string
		wantStatus int
		wantErrors []any
	}{
		{name: "the 1000th asset", existing: seedAssets(999), upload: "last.txt", wantStatus: 201},
		{name: "the 1001st asset", existing: seedAssets(1000), upload: "one-more.txt", wantStatus: 422, wantErrors: []any{fileCount}},
		{name: "starter assets count", existing: append(seedAssets(999), emulator.Asset{Name: "broken.txt", State: "starter"}),
			upload: "one-more.txt", wantStatus: 422, wantErrors: []any{fileCount}},
		{name: "a duplicate name on a full release", existing: seedAssets(1000), upload: "f7.txt", wantStatus: 422,
			wantErrors: []any{duplicate, fileCount}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Draft: true, Assets: tt.existing})
			resp, body := rawDo(t, s, http.MethodPost, s.UploadURL()+"repos/acme/widgets/releases/"+itoa(rel.ID)+"/assets?name="+tt.upload,
				http.Header{"Authorization": {"Bearer " + tokWrite}, "Content-Type": {"text/plain"}}, []byte("new"))
			require.Equal(t, tt.wantStatus, resp.StatusCode, "%s", body)
			after := s.Releases(fullRepo)[0].Assets
			if tt.wantErrors == nil {
				assert.Len(t, after, len(tt.existing)+1)
				return
			}
			var got map[string]any
			require.NoError(t, json.Unmarshal(body, &got))
			assert.Equal(t, map[string]any{
				"message": "Validation Failed", "errors": tt.wantErrors, "status": "422",
				"documentation_url": "https://docs.github.com/rest/releases/assets#upload-a-release-asset",
				"request_id":        resp.Header.Get("X-GitHub-Request-Id"),
			}, got)
			assert.Len(t, after, len(tt.existing), "nothing was stored")
		})
	}
}

// PATCH …/releases/assets/{id} renames (like an upload names) and relabels an
// asset; a name another asset of the release has is refused.
func TestUpdateAsset(t *testing.T) {
	t.Parallel()
	const doc = "https://docs.github.com/rest/releases/assets#update-a-release-asset"
	tests := []struct {
		name       string
		body       string
		token      string
		wantStatus int
		wantName   string
		wantLabel  string
		wantBody   map[string]any // the error answer
	}{
		{name: "rename and relabel", body: `{"name":"app linux.tar.gz","label":"Linux build"}`, wantStatus: 200,
			wantName: "app.linux.tar.gz", wantLabel: "Linux build"},
		{name: "label only", body: `{"label":"Linux"}`, wantStatus: 200, wantName: "app.tar.gz", wantLabel: "Linux"},
		{name: "its own name", body: `{"name":"app.tar.gz"}`, wantStatus: 200, wantName: "app.tar.gz", wantLabel: "old"},
		{name: "state is a string the emulator ignores", body: `{"state":"open"}`, wantStatus: 200, wantName: "app.tar.gz", wantLabel: "old"},
		{name: "no body", body: ``, wantStatus: 200, wantName: "app.tar.gz", wantLabel: "old"},
		{name: "unknown properties are ignored", body: `{"size":1}`, wantStatus: 200, wantName: "app.tar.gz", wantLabel: "old"},
		{name: "another asset's name", body: `{"name":"SHA256SUMS"}`, wantStatus: 422, wantBody: map[string]any{
			"message": "Validation Failed", "documentation_url": doc, "status": "422",
			"errors": []any{map[string]any{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}}}},
		{name: "another asset's name once renamed", body: `{"name":"SHA256SUMS."}`, wantStatus: 422, wantBody: map[string]any{
			"message": "Validation Failed", "documentation_url": doc, "status": "422",
			"errors": []any{map[string]any{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}}}},
		{name: "a name with nothing left", body: `{"name":"..."}`, wantStatus: 422, wantBody: map[string]any{
			"message": "Validation Failed", "documentation_url": doc, "status": "422",
			"errors": []any{map[string]any{"resource": "ReleaseAsset", "code": "invalid", "field": "name"}}}},
		{name: "null name", body: `{"name":null}`, wantStatus: 422, wantBody: map[string]any{
			"message": "Invalid request.\n\nFor 'properties/name', nil is not a string.", "documentation_url": doc, "status": "422"}},
		{name: "state not a string", body: `{"state":1,"label":false}`, wantStatus: 422, wantBody: map[string]any{
			"message":           "Invalid request.\n\nFor 'properties/label', false is not a string.\nFor 'properties/state', 1 is not a string.",
			"documentation_url": doc, "status": "422"}},
		{name: "not JSON", body: `name=x`, wantStatus: 400, wantBody: map[string]any{
			"message": "Problems parsing JSON", "documentation_url": doc, "status": "400"}},
		{name: "clamped token", body: `{"label":"x"}`, token: tokClamped, wantStatus: 403, wantBody: map[string]any{
			"message": "Resource not accessible by integration", "documentation_url": doc, "status": "403"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Requests GitHub's schema refuses, on purpose: answers only.
			s := newServer(t, emulatortest.WithResponsesOnly())
			rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Assets: []emulator.Asset{
				{Name: "app.tar.gz", Label: "old", Content: []byte("app")}, {Name: "SHA256SUMS", Content: []byte("sums")},
			}})
			a := rel.Assets[0]
			tok := tt.token
			if tok == "" {
				tok = tokWrite
			}
			resp, body := rawDo(t, s, http.MethodPatch, s.APIURL()+"repos/acme/widgets/releases/assets/"+itoa(a.ID), bearer(tok), []byte(tt.body))
			require.Equal(t, tt.wantStatus, resp.StatusCode, "%s", body)
			var got map[string]any
			require.NoError(t, json.Unmarshal(body, &got))
			after := s.Releases(fullRepo)[0].Assets[0]
			if tt.wantBody != nil {
				assert.Equal(t, tt.wantBody, got)
				assert.Equal(t, a, after, "a refused update changes nothing")
				return
			}
			assert.Equal(t, tt.wantName, got["name"])
			assert.Equal(t, tt.wantLabel, got["label"])
			assert.Equal(t, "uploaded", got["state"])
			assert.Equal(t, a.Digest, got["digest"], "the content, and so the digest, is the same")
			assert.Equal(t, s.URL()+"/acme/widgets/releases/download/v1.0.0/"+tt.wantName, got["browser_download_url"])
			assert.Equal(t, tt.wantName, after.Name)
			assert.Equal(t, tt.wantLabel, after.Label)

			dl, content := rawDo(t, s, http.MethodGet, s.URL()+"/acme/widgets/releases/download/v1.0.0/"+tt.wantName, bearer(tokWrite), nil)
			assert.Equal(t, 200, dl.StatusCode)
			assert.Equal(t, []byte("app"), content, "the renamed asset downloads under its new name")
		})
	}
}

func TestUpdateMissingAsset(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	resp, body := rawDo(t, s, http.MethodPatch, s.APIURL()+"repos/acme/widgets/releases/assets/4711", bearer(tokWrite), []byte(`{"label":"x"}`))
	assert.Equal(t, 404, resp.StatusCode)
	assert.JSONEq(t, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest/releases/assets#update-a-release-asset","status":"404"}`, string(body))
}
