package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// rawJSON GETs u with the write token and decodes the JSON answer.
func rawJSON(t *testing.T, s *server, u string, v any) {
	t.Helper()
	resp, body := rawDo(t, s, http.MethodGet, u, bearer(tokWrite), nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	require.NoError(t, json.Unmarshal(body, v), "%s", body)
}

// Every asset carries "digest" (required by GitHub's release-asset schema,
// nullable): the SHA-256 of the uploaded bytes, or null when there is none.
// It is the same wherever the asset appears.
func TestAssetDigest(t *testing.T) {
	t.Parallel()
	content := []byte("release archive bytes")
	tests := []struct {
		name  string
		asset func(t *testing.T, s *server, releaseID int64) int64 // returns the asset id
		want  any                                                  // the digest: a string or nil
	}{
		{
			name: "uploaded",
			asset: func(t *testing.T, s *server, releaseID int64) int64 {
				resp, body := rawDo(t, s, http.MethodPost, s.UploadURL()+"repos/acme/widgets/releases/"+itoa(releaseID)+"/assets?name=a.tar.gz",
					http.Header{"Authorization": {"Bearer " + tokWrite}, "Content-Type": {"application/gzip"}}, content)
				require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", body)
				var a map[string]any
				require.NoError(t, json.Unmarshal(body, &a))
				assert.Equal(t, sha256Digest(content), a["digest"], "the upload's 201 carries it")
				return int64(a["id"].(float64))
			},
			want: sha256Digest(content),
		},
		{
			name: "uploaded empty file",
			asset: func(t *testing.T, s *server, releaseID int64) int64 {
				resp, body := rawDo(t, s, http.MethodPost, s.UploadURL()+"repos/acme/widgets/releases/"+itoa(releaseID)+"/assets?name=empty.txt",
					http.Header{"Authorization": {"Bearer " + tokWrite}, "Content-Type": {"text/plain"}}, []byte{})
				require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", body)
				var a struct{ ID int64 }
				require.NoError(t, json.Unmarshal(body, &a))
				return a.ID
			},
			want: sha256Digest(nil),
		},
		{
			name: "starter asset left by a failed upload",
			asset: func(t *testing.T, s *server, releaseID int64) int64 {
				s.Inject(emulator.Fault{StarterAsset: true, Status: http.StatusBadGateway})
				gh := newClient(t, s, tokWrite)
				_, _, err := gh.Repositories.UploadReleaseAsset(context.Background(), owner, repoName, releaseID,
					&github.UploadOptions{Name: "a.tar.gz"}, tempFile(t, "a.tar.gz", content))
				require.Error(t, err)
				rels := s.Releases(fullRepo)
				return rels[len(rels)-1].Assets[0].ID
			},
			want: nil,
		},
		{
			name: "seeded with its content",
			asset: func(t *testing.T, s *server, _ int64) int64 {
				rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0", Assets: []emulator.Asset{{Name: "a.zip", Content: content}}})
				assert.Equal(t, sha256Digest(content), rel.Assets[0].Digest, "the snapshot has it")
				return rel.Assets[0].ID
			},
			want: sha256Digest(content),
		},
		{
			name: "seeded with a size but no content, as uploaded before digests",
			asset: func(t *testing.T, s *server, _ int64) int64 {
				rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0", Assets: []emulator.Asset{{Name: "a.zip", Size: 1024}}})
				return rel.Assets[0].ID
			},
			want: nil,
		},
		{
			name: "seeded with a digest of its own",
			asset: func(t *testing.T, s *server, _ int64) int64 {
				rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0", Assets: []emulator.Asset{{Name: "a.zip", Content: content, Digest: "sha256:00"}}})
				return rel.Assets[0].ID
			},
			want: "sha256:00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			draft := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Draft: true})
			id := tt.asset(t, s, draft.ID)
			var rel emulator.Release
			for _, r := range s.Releases(fullRepo) {
				for _, a := range r.Assets {
					if a.ID == id {
						rel = r
					}
				}
			}
			require.NotZero(t, rel.ID)
			base := s.APIURL() + "repos/acme/widgets/releases/"

			var got map[string]any
			rawJSON(t, s, base+"assets/"+itoa(id), &got)
			require.Contains(t, got, "digest", "get asset")
			assert.Equal(t, tt.want, got["digest"], "get asset")

			var list []map[string]any
			rawJSON(t, s, base+itoa(rel.ID)+"/assets", &list)
			require.Len(t, list, 1)
			assert.Equal(t, tt.want, list[0]["digest"], "list assets")

			var full struct{ Assets []map[string]any }
			rawJSON(t, s, base+itoa(rel.ID), &full)
			require.Len(t, full.Assets, 1)
			require.Contains(t, full.Assets[0], "digest", "release.assets[]")
			assert.Equal(t, tt.want, full.Assets[0]["digest"], "release.assets[]")
		})
	}
}
