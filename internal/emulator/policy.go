package emulator

import (
	"net/http"
	"strings"
	"time"
)

// This file holds the state behind what a preflight checks before a release: repository
// settings (immutable releases, visibility, owner type), rulesets, annotated tags and per-token
// state (expiry, admin access). The endpoints are in rulesets.go, immutable.go and repos.go.

// serverPolicy is the Server's share: what is not one repository's.
type serverPolicy struct {
	orgRulesets map[string][]*ruleset // key: lower-case organization login
	expiry      map[string]time.Time  // key: token
	admins      map[string]bool       // key: token
}

// repoPolicy is one repository's share.
type repoPolicy struct {
	immutable bool            // immutable releases are on
	burned    map[string]bool // tags of deleted immutable releases: never again usable
	rulesets  []*ruleset
	annotated map[string]annotatedTag // tag name -> its tag object
	opts      RepoOptions
}

// visibility is the repository's visibility: "private" unless set otherwise.
func (p *repoPolicy) visibility() string {
	if p.opts.Visibility == "" {
		return "private"
	}
	return p.opts.Visibility
}

// ownerType is the type of the repository's owner: "Organization" unless set otherwise.
func (p *repoPolicy) ownerType() string {
	if p.opts.OwnerType == "" {
		return "Organization"
	}
	return p.opts.OwnerType
}

// Endpoints served by this file's siblings. They are numbered apart from serve.go's, so that
// either list can grow without touching the other.
const (
	epRulesets endpoint = iota + 100
	epRuleset
	epImmutableGet
	epImmutablePut
	epImmutableDelete
	epGitTag
)

func init() {
	endpoints[epRulesets] = endpointInfo{perm: "metadata=read", doc: docsRoot + "/repos/rules#get-all-repository-rulesets"}
	endpoints[epRuleset] = endpointInfo{perm: "metadata=read", doc: docsRoot + "/repos/rules#get-a-repository-ruleset"}
	endpoints[epImmutableGet] = endpointInfo{perm: "administration=read", doc: docsRoot + "/repos/repos#check-if-immutable-releases-are-enabled-for-a-repository"}
	endpoints[epImmutablePut] = endpointInfo{write: true, perm: "administration=write", doc: docsRoot + "/repos/repos#enable-immutable-releases"}
	endpoints[epImmutableDelete] = endpointInfo{write: true, perm: "administration=write", doc: docsRoot + "/repos/repos#disable-immutable-releases"}
	endpoints[epGitTag] = endpointInfo{perm: "contents=read", doc: docsRoot + "/git/tags#get-a-tag"}
}

// policyEndpoint reports whether ep is served by servePolicy.
func policyEndpoint(ep endpoint) bool { return ep >= epRulesets && ep <= epGitTag }

// servePolicy serves this file's endpoints.
func (c *call) servePolicy() reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, deny := c.gateLocked()
	if deny != nil {
		return *deny
	}
	switch c.rt.ep {
	case epRulesets:
		return c.listRulesetsLocked(rp)
	case epRuleset:
		return c.getRulesetLocked(rp)
	case epImmutableGet, epImmutablePut, epImmutableDelete:
		return c.immutableSettingLocked(rp)
	case epGitTag:
		return c.gitTagLocked(rp)
	}
	return c.apiError(http.StatusNotFound, "Not Found", docsRoot)
}

// SetTokenExpiry makes every answer to token carry GitHub-Authentication-Token-Expiration:
// at, as GitHub sends for personal access tokens that expire; the zero time removes it.
// The token keeps working past at: GitHub's 401 for an expired token is ModeBadCredentials.
func (s *Server) SetTokenExpiry(token string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.policy.expiry == nil {
		s.policy.expiry = map[string]time.Time{}
	}
	if at.IsZero() {
		delete(s.policy.expiry, token)
		return
	}
	s.policy.expiry[token] = at
}

// SetAdmin gives token admin access to every repository, or takes it away: admin reads such
// as GET …/immutable-releases need it. No mode has it by default (a GITHUB_TOKEN never does).
func (s *Server) SetAdmin(token string, admin bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.policy.admins == nil {
		s.policy.admins = map[string]bool{}
	}
	s.policy.admins[token] = admin
}

// SetRateUsed sets how many requests token has spent in its current hourly window, so that
// few (or none) are left: X-RateLimit-Remaining and GET /rate_limit follow.
func (s *Server) SetRateUsed(token string, used int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.rates[token]
	if w == nil {
		w = &rateWindow{}
		s.rates[token] = w
	}
	w.roll(s.now())
	w.used = max(used, 0)
}

// tokenHeaders adds the headers that depend on the token itself.
func (c *call) tokenHeaders(token string) {
	if token == "" {
		return
	}
	c.s.mu.Lock()
	at, ok := c.s.policy.expiry[token]
	c.s.mu.Unlock()
	if ok {
		// GitHub's format; "+0200"-style offsets are seen too, UTC is the common one.
		c.w.Header().Set("GitHub-Authentication-Token-Expiration", at.UTC().Format("2006-01-02 15:04:05 MST"))
	}
}

// adminLocked reports whether the token of the call has admin access. The caller holds s.mu.
func (c *call) adminLocked() bool {
	tok := strings.TrimSpace(c.r.Header.Get("Authorization"))
	if _, t, ok := strings.Cut(tok, " "); ok {
		return c.s.policy.admins[strings.TrimSpace(t)]
	}
	return false
}

// tagCreationDeniedLocked is GitHub's answer when publishing a release would create the tag
// and cannot: the tag was burned by a deleted immutable release, or an active tag ruleset with
// a creation rule covers it and the token cannot bypass it. nil when the tag may be created
// (or exists already, so nothing is created).
func (c *call) tagCreationDeniedLocked(rp *repo, tag string) *reply {
	doc := endpoints[epCreateRelease].doc
	if c.rt.ep == epUpdateRelease {
		doc = endpoints[epUpdateRelease].doc
	}
	preReceive := wireFieldError{Resource: "Release", Code: "custom", Field: "pre_receive",
		Message: "pre_receive Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n"}
	if rp.policy.burned[tag] {
		rpl := c.validationFailed(doc, preReceive,
			wireFieldError{Resource: "Release", Code: "custom", Field: "tag_name", Message: "tag_name was used by an immutable release"},
			wireFieldError{Resource: "Release", Code: "custom", Message: "Published releases must have a valid tag"})
		return &rpl
	}
	if _, exists := rp.tags[tag]; exists {
		return nil
	}
	for _, rs := range c.s.rulesetsForLocked(rp, true) {
		if rs.Enforcement == "active" && rs.Target == "tag" && rs.hasRule("creation") &&
			rs.matches("refs/tags/"+tag) && rs.bypass(c.mode) == "never" {
			rpl := c.validationFailed(doc, preReceive)
			return &rpl
		}
	}
	return nil
}

// updateDeniedLocked is the answer to an update of rel with f that publishing, or renaming the
// tag of a published release, makes impossible; nil when the update may go ahead.
func (c *call) updateDeniedLocked(rp *repo, rel *release, f releaseFields) *reply {
	tag := rel.TagName
	if f.tagName != nil {
		tag = *f.tagName
	}
	publishing := rel.Draft && f.draft != nil && !*f.draft
	renaming := !rel.Draft && tag != rel.TagName && (f.draft == nil || !*f.draft)
	if !publishing && !renaming {
		return nil
	}
	return c.tagCreationDeniedLocked(rp, tag)
}

// burnLocked records that the tag of rel, a release being deleted, can never be used again if
// rel was immutable.
func (rp *repo) burnLocked(rel *release) {
	if !rel.Immutable {
		return
	}
	if rp.policy.burned == nil {
		rp.policy.burned = map[string]bool{}
	}
	rp.policy.burned[rel.TagName] = true
}

// immutableAssets is the 422 for deleting an asset of an immutable release.
func (c *call) immutableAssets(msg, doc string) reply {
	return c.validationFailed(doc, wireFieldError{Resource: "ReleaseAsset", Code: "custom", Message: msg})
}

// immutableUpload is the upload host's 422 for an upload to an immutable release.
func (c *call) immutableUpload() reply {
	return reply{status: http.StatusUnprocessableEntity, body: wireError{Message: "Cannot upload assets to an immutable release", RequestID: c.reqID}}
}
