package emulator_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// GET /repos/{o}/{r} carries what GitHub sends beyond full-repository's required fields: the
// caller's permissions — for a user's token, not for an installation token or no token — and
// the owning organization.
func TestRepositoryPermissionsAndOrganization(t *testing.T) {
	t.Parallel()
	perms := func(admin, push bool) map[string]any {
		return map[string]any{"admin": admin, "maintain": admin, "push": push, "triage": push, "pull": true}
	}
	tests := []struct {
		name      string
		repo      string
		header    http.Header
		admin     bool
		wantPerms map[string]any // nil: no permissions key
		wantOrg   bool
	}{
		{name: "GITHUB_TOKEN", repo: "acme/widgets", header: bearer(tokWrite), wantOrg: true},
		{name: "clamped GITHUB_TOKEN", repo: "acme/widgets", header: bearer(tokClamped), wantOrg: true},
		{name: "classic token with push access", repo: "acme/widgets", header: bearer(tokClassicW), wantPerms: perms(false, true), wantOrg: true},
		{name: "classic token of an admin", repo: "acme/widgets", header: bearer(tokClassicW), admin: true, wantPerms: perms(true, true), wantOrg: true},
		{name: "fine-grained token without contents", repo: "acme/widgets", header: bearer(tokPAT), wantPerms: perms(false, false), wantOrg: true},
		{name: "a user's repository", repo: "mona/dotfiles", header: bearer(tokClassicW), wantPerms: perms(false, true)},
		{name: "no token, public repository", repo: "acme/public", header: http.Header{}, wantOrg: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.AddRepoWith("mona/dotfiles", emulator.RepoOptions{OwnerType: "User"})
			s.AddRepoWith("acme/public", emulator.RepoOptions{Visibility: "public"})
			s.SetAdmin(tokClassicW, tt.admin)
			resp, data := rawDo(t, s, http.MethodGet, s.APIURL()+"repos/"+tt.repo, tt.header, nil)
			require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
			var got map[string]any
			require.NoError(t, json.Unmarshal(data, &got))
			if tt.wantPerms == nil {
				assert.NotContains(t, got, "permissions")
			} else {
				assert.Equal(t, tt.wantPerms, got["permissions"])
			}
			if !tt.wantOrg {
				assert.NotContains(t, got, "organization")
				assert.NotContains(t, got, "custom_properties")
				return
			}
			org, ok := got["organization"].(map[string]any)
			require.True(t, ok, "organization: %v", got["organization"])
			assert.Equal(t, got["owner"], org, "the organization is the owner")
			assert.Equal(t, "Organization", org["type"])
			assert.Equal(t, map[string]any{}, got["custom_properties"])
		})
	}
}
