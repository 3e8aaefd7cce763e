package emulator

import "net/http"

// SetImmutableReleases turns the repository's immutable-releases setting on or off, as PUT and
// DELETE …/immutable-releases do. Releases published while it is on carry immutable: true:
// their assets can be neither uploaded nor deleted (422), and deleting one burns its tag, which
// no release can be published on again. Releases published before keep their state; turning
// it off keeps the burned tags burned.
func (s *Server) SetImmutableReleases(repo string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addRepoLocked(repo).policy.immutable = on
}

type wireImmutableReleases struct {
	Enabled         bool `json:"enabled"`
	EnforcedByOwner bool `json:"enforced_by_owner"`
}

// immutableSettingLocked serves GET, PUT and DELETE …/immutable-releases, which need admin
// access. GET answers 200 when the setting is on and 404 when it is off — the only two answers
// GitHub documents — and 404 too to a token without admin access (a GITHUB_TOKEN never has
// administration), which still gets X-Accepted-GitHub-Permissions: administration=read. PUT and
// DELETE without admin access answer 403: "Resource not accessible by …" to a fine-grained or
// installation token, "Must have admin rights to Repository." to a classic one.
func (c *call) immutableSettingLocked(rp *repo) reply {
	doc := endpoints[c.rt.ep].doc
	if !c.adminLocked() {
		switch {
		case c.rt.ep == epImmutableGet:
			return c.apiError(http.StatusNotFound, "Not Found", doc)
		case c.mode == ModePATNoContents:
			return c.apiError(http.StatusForbidden, "Resource not accessible by personal access token", doc)
		case c.mode.fineGrained():
			return c.apiError(http.StatusForbidden, "Resource not accessible by integration", doc)
		default:
			return c.apiError(http.StatusForbidden, "Must have admin rights to Repository.", doc)
		}
	}
	switch c.rt.ep {
	case epImmutablePut:
		rp.policy.immutable = true
		return reply{status: http.StatusNoContent}
	case epImmutableDelete:
		rp.policy.immutable = false
		return reply{status: http.StatusNoContent}
	}
	if !rp.policy.immutable {
		return c.apiError(http.StatusNotFound, "Not Found", doc)
	}
	return reply{status: http.StatusOK, body: wireImmutableReleases{Enabled: true}}
}
