package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
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
			s := newServer(t, emulator.Options{})
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
