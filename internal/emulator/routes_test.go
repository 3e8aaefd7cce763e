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

// Whatever http.ServeMux would answer by itself — 405 for a known path with another method,
// 301 to a cleaned path or to one with a trailing slash, a plain-text 404 — never reaches a
// client: every such request gets GitHub's JSON 404.
func TestRoutingAnswersOnlyGitHubs404(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path string
	}{
		{"wrong method on a known path", http.MethodPut, "repos/acme/widgets/releases"},
		{"wrong method on an id", http.MethodPost, "repos/acme/widgets/releases/1"},
		{"unknown method", "PROPFIND", "repos/acme/widgets"},
		{"OPTIONS", http.MethodOptions, "repos/acme/widgets/releases"},
		{"a prefix of a multi-segment route", http.MethodGet, "repos/acme/widgets/releases/tags"},
		{"git/ref without a ref", http.MethodGet, "repos/acme/widgets/git/ref"},
		{"git/ref with an empty ref", http.MethodGet, "repos/acme/widgets/git/ref/"},
		{"a path to clean", http.MethodGet, "repos/acme/widgets/releases/tags/a/../v1"},
		{"a doubled slash", http.MethodGet, "repos/acme/widgets//releases"},
		{"an id of zero", http.MethodGet, "repos/acme/widgets/releases/0"},
		{"an asset list with a suffix", http.MethodGet, "repos/acme/widgets/releases/1/assetsx"},
		{"below an asset list", http.MethodGet, "repos/acme/widgets/releases/1/assets/2"},
		{"the upload path on the API host of GHES", http.MethodPost, "repos/acme/widgets/releases/1/assets?name=a.zip"},
		{"GraphQL, which the emulator does not serve", http.MethodPost, "graphql"},
	}
	for _, ghes := range []bool{false, true} {
		var opts []emulatortest.Option
		if ghes {
			opts = append(opts, emulatortest.WithPrefixes("/api/v3/", "/api/uploads/"))
		}
		// Some of the paths are no operation of GitHub's description: answers only.
		s := newServer(t, append(opts, emulatortest.WithoutConformance())...)
		for _, tt := range tests {
			t.Run(fmt.Sprintf("GHES %t: %s", ghes, tt.name), func(t *testing.T) {
				t.Parallel()
				if tt.name == "the upload path on the API host of GHES" && !ghes {
					t.Skip("with one host, it is the upload")
				}
				resp, body := rawDo(t, s, tt.method, s.APIURL()+tt.path, bearer(tokWrite), nil)
				require.Equal(t, http.StatusNotFound, resp.StatusCode, "%s", body)
				assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
				assert.Empty(t, resp.Header.Get("Location"))
				assert.Empty(t, resp.Header.Get("Allow"))
				var got map[string]string
				require.NoError(t, json.Unmarshal(body, &got), "%s", body)
				assert.Equal(t, map[string]string{"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}, got)
				requireGitHubHeaders(t, resp.Header)
			})
		}
	}
}

// Routes keep what GitHub's paths allow: a tag or ref with "/" (escaped or not), an escaped
// "/" within an asset name's segment, and HEAD on every GET endpoint.
func TestRoutingOfPathValues(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "team/v1", Assets: []emulator.Asset{{Name: "a.zip", Content: []byte("zip")}}})
	s.AddRuleset(fullRepo, emulator.Ruleset{Name: "tags", Include: []string{"refs/tags/v*"}, Rules: []string{"creation"}})
	tests := []struct {
		name, method, url string
		want              int
	}{
		{"release by a tag with a slash", http.MethodGet, s.APIURL() + "repos/acme/widgets/releases/tags/team/v1", 200},
		{"release by a tag with an escaped slash", http.MethodGet, s.APIURL() + "repos/acme/widgets/releases/tags/team%2Fv1", 200},
		{"ref with a slash", http.MethodGet, s.APIURL() + "repos/acme/widgets/git/ref/tags/team/v1", 200},
		{"asset list", http.MethodGet, s.APIURL() + "repos/acme/widgets/releases/" + itoa(rel.ID) + "/assets", 200},
		{"download under a tag with a slash", http.MethodGet, s.URL() + "/acme/widgets/releases/download/team/v1/a.zip", 200},
		{"an escaped slash stays in the asset name", http.MethodGet, s.URL() + "/acme/widgets/releases/download/team/v1%2Fa.zip", 404},
		{"HEAD of the rulesets", http.MethodHead, s.APIURL() + "repos/acme/widgets/rulesets", 200},
		{"HEAD of the immutable-releases setting, without admin access", http.MethodHead, s.APIURL() + "repos/acme/widgets/immutable-releases", 404},
		{"HEAD of a tarball, redirected to the archive", http.MethodHead, s.APIURL() + "repos/acme/widgets/tarball/team/v1", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, body := rawDo(t, s, tt.method, tt.url, bearer(tokWrite), nil)
			assert.Equal(t, tt.want, resp.StatusCode, "%s", body)
		})
	}
}
