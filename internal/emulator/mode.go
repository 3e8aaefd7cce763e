package emulator

// Mode is what a token is allowed to do, as GitHub would decide it. Each mode
// reproduces the status codes, bodies and headers GitHub sends for that kind
// of token.
type Mode int

const (
	// ModeWrite is a GITHUB_TOKEN (an installation token) granted
	// contents: write. Everything succeeds. Responses carry
	// X-Accepted-GitHub-Permissions, as they do for fine-grained actors.
	ModeWrite Mode = iota
	// ModeClamped is a GITHUB_TOKEN clamped to read-only by the repository or
	// organization workflow-permissions setting. Reads succeed (drafts are
	// hidden, as from anyone without push access); writes get 403 "Resource
	// not accessible by integration" with X-Accepted-GitHub-Permissions:
	// contents=write.
	ModeClamped
	// ModePATNoContents is a fine-grained personal access token without
	// Contents: Read and write on the repository. Reads succeed (drafts
	// hidden); writes get 403 "Resource not accessible by personal access
	// token" with X-Accepted-GitHub-Permissions: contents=write.
	ModePATNoContents
	// ModeClassicNoRepo is a classic personal access token without the repo
	// scope. Every request to a private or internal repository gets 404 "Not
	// Found" (GitHub hides private repositories rather than answering 403),
	// with X-OAuth-Scopes: read:org and X-Accepted-OAuth-Scopes: repo. A
	// public repository can be read ("no scope" grants read-only access to
	// public information, GitHub's OAuth scopes documentation says), drafts
	// hidden; its writes get 404.
	ModeClassicNoRepo
	// ModeSSORequired is a classic token with the repo scope that has not
	// been authorized for the organization's SAML single sign-on. Every
	// repository-scoped request gets 403 "Resource protected by organization
	// SAML enforcement…" with X-GitHub-SSO: required; url=….
	ModeSSORequired
	// ModeClassicRepo is a classic personal access token with the repo scope
	// for a user with push access. Everything succeeds; responses carry
	// X-OAuth-Scopes: repo and X-Accepted-OAuth-Scopes.
	ModeClassicRepo
	// ModeBadCredentials is a token GitHub does not accept (unknown, expired
	// or revoked): 401 "Bad credentials" on every request. Tokens never
	// registered with AddToken are logged with this mode.
	ModeBadCredentials
	// ModeAnonymous is a request without an Authorization header, or with a
	// token registered with this mode. A public repository can be read
	// (drafts hidden) within the unauthenticated budget of 60 requests an
	// hour; its writes get 401 "Requires authentication". Private and
	// internal repositories answer 404.
	ModeAnonymous
)

// String returns the mode's short name, e.g. "clamped".
func (m Mode) String() string {
	switch m {
	case ModeWrite:
		return "write"
	case ModeClamped:
		return "clamped"
	case ModePATNoContents:
		return "pat-no-contents"
	case ModeClassicNoRepo:
		return "classic-no-repo"
	case ModeSSORequired:
		return "sso-required"
	case ModeClassicRepo:
		return "classic-repo"
	case ModeBadCredentials:
		return "bad-credentials"
	case ModeAnonymous:
		return "anonymous"
	default:
		return "unknown"
	}
}

// canRead reports whether repository-scoped reads succeed.
func (m Mode) canRead() bool {
	switch m {
	case ModeWrite, ModeClamped, ModePATNoContents, ModeClassicRepo:
		return true
	}
	return false
}

// readsPublic reports whether a token of the mode, which cannot read private repositories,
// still reads public ones.
func (m Mode) readsPublic() bool {
	return m == ModeAnonymous || m == ModeClassicNoRepo
}

// canWrite reports whether the token has push access (and so sees drafts).
func (m Mode) canWrite() bool {
	return m == ModeWrite || m == ModeClassicRepo
}

// fineGrained reports whether GitHub answers with X-Accepted-GitHub-Permissions
// (GitHub Apps, GITHUB_TOKEN, fine-grained PATs).
func (m Mode) fineGrained() bool {
	return m == ModeWrite || m == ModeClamped || m == ModePATNoContents
}

// oauthScopes returns the X-OAuth-Scopes value of a classic token, and
// whether the mode is a classic token at all.
func (m Mode) oauthScopes() (string, bool) {
	switch m {
	case ModeClassicNoRepo:
		return "read:org", true
	case ModeSSORequired, ModeClassicRepo:
		return "repo", true
	}
	return "", false
}

// integration reports whether the token is an installation token.
func (m Mode) integration() bool {
	return m == ModeWrite || m == ModeClamped
}

// rateLimit is the primary rate limit per hour for the mode: 1,000 for a
// GITHUB_TOKEN, 5,000 for a personal access token, 60 unauthenticated.
func (m Mode) rateLimit() int {
	switch {
	case m.integration():
		return 1000
	case m == ModeBadCredentials || m == ModeAnonymous:
		return 60
	default:
		return 5000
	}
}
