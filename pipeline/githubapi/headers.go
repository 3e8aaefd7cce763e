package githubapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Response headers GitHub uses to explain a refusal.
const (
	headerAcceptedPermissions = "X-Accepted-GitHub-Permissions"
	headerOAuthScopes         = "X-OAuth-Scopes"
	headerSSO                 = "X-GitHub-SSO"
	headerRequestID           = "X-GitHub-Request-Id"
	headerRetryAfter          = "Retry-After"
	headerRateRemaining       = "X-RateLimit-Remaining"
	headerRateReset           = "X-RateLimit-Reset"
)

// maxHeaderWait bounds waits read from headers so that time arithmetic never
// overflows; anything longer is far beyond any sensible MaxRateLimitWait.
const maxHeaderWait = 7 * 24 * time.Hour

// parseSSO reads X-GitHub-SSO. GitHub sends "required; url=<authorize URL>"
// when the token must be authorized for an organization's SAML SSO (and
// "partial-results; organizations=..." on list endpoints, which is not a
// refusal). It reports whether SSO is required and the authorize URL, which is
// returned only when it is an absolute http(s) URL without control characters.
func parseSSO(v string) (required bool, authorizeURL string) {
	parts := strings.Split(v, ";")
	if !strings.EqualFold(strings.TrimSpace(parts[0]), "required") {
		return false, ""
	}
	for _, p := range parts[1:] {
		p = strings.TrimSpace(p)
		if len(p) < 4 || !strings.EqualFold(p[:4], "url=") {
			continue
		}
		raw := p[4:]
		if strings.ContainsFunc(raw, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
			return true, ""
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return true, ""
		}
		return true, raw
	}
	return true, ""
}

// parseRetryAfter reads Retry-After: delay seconds (what GitHub sends) or an
// HTTP date (RFC 9110), resolved against now. The wait is never negative.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil {
		if secs > uint64(maxHeaderWait/time.Second) {
			return maxHeaderWait, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return clampWait(t.Sub(now)), true
}

// parseRateReset reads X-RateLimit-Reset, the UTC epoch second at which the
// primary rate limit resets.
func parseRateReset(v string) (time.Time, bool) {
	secs, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	// Year 1e5 is far beyond any real reset and keeps time arithmetic safe.
	if err != nil || secs <= 0 || secs > 3e12 {
		return time.Time{}, false
	}
	return time.Unix(secs, 0).UTC(), true
}

func clampWait(d time.Duration) time.Duration {
	return min(max(d, 0), maxHeaderWait)
}
