package githubapi

// Class names the kind of outcome of an operation. Adapters map it to an exit
// code with ExitCode; reports carry it as a string.
type Class string

// The classes of outcome. Their string values are part of the JSON report.
const (
	ClassOK             Class = "ok"
	ClassClamped        Class = "clamped"         // GITHUB_TOKEN is read-only (workflow permissions)
	ClassPATPermission  Class = "pat-permission"  // fine-grained token lacks a repository permission
	ClassSSORequired    Class = "sso-required"    // token not authorized for the organization's SAML SSO
	ClassBadCredentials Class = "bad-credentials" // token rejected (401)
	ClassNoAccess       Class = "no-access"       // repository missing or invisible to the token
	ClassRateLimited    Class = "rate-limited"    // primary or secondary rate limit
	ClassServerError    Class = "server-error"    // 5xx from GitHub
	ClassNetworkError   Class = "network-error"   // no HTTP response at all
	ClassInvalidInput   Class = "invalid-input"   // bad flags or environment; nothing was sent
	ClassConflict       Class = "conflict"        // e.g. the release is already published
	ClassBuildFailed    Class = "build-failed"    // the build step failed
	ClassUnexpected     Class = "unexpected"      // anything else
)

// ExitCode is the process exit code for the class: 0 for ok, 2 for invalid
// input, 3 for permission and credential problems, 4 for transient failures
// (rate limits, server and network errors) and 1 for everything else.
func (c Class) ExitCode() int {
	switch {
	case c == ClassOK:
		return 0
	case c == ClassInvalidInput:
		return 2
	case c.Permission():
		return 3
	case c.Transient():
		return 4
	default:
		return 1
	}
}

// Permission reports whether the token, not GitHub, is the problem: it lacks a permission or a
// scope, is not authorized for SSO, is rejected, or cannot see the repository.
func (c Class) Permission() bool {
	switch c {
	case ClassClamped, ClassPATPermission, ClassSSORequired, ClassBadCredentials, ClassNoAccess:
		return true
	default:
		return false
	}
}

// Transient reports whether the same request may succeed later without any
// change on the user's side: rate limits, server errors and network errors.
func (c Class) Transient() bool {
	switch c {
	case ClassRateLimited, ClassServerError, ClassNetworkError:
		return true
	default:
		return false
	}
}
