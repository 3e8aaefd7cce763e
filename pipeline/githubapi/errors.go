package githubapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-github/v62/github"
)

// Error is a classified failure of one operation against GitHub. Its Error
// string reads "<op> in <repo>: <status> <message>: <the fix>"; Remediation
// holds the complete fix.
type Error struct {
	Class               Class
	Op                  string    // what was attempted, lowercase: "create draft release"
	Repo                string    // "owner/name"; empty when not about one repository
	Status              int       // HTTP status; 0 when no response arrived
	Message             string    // GitHub's "message", or what went wrong on the wire
	RequiredPermissions string    // X-Accepted-GitHub-Permissions, e.g. "contents=write"
	OAuthScopes         string    // X-OAuth-Scopes: the scopes of a classic token
	SSOURL              string    // where to authorize the token for SAML SSO
	RetryAt             time.Time // rate limits: when the limit resets
	RequestID           string    // X-GitHub-Request-Id, for GitHub support
	Remediation         string    // the fix, one or more sentences
	Err                 error     // the underlying error

	attempts      int  // requests made for this operation, set by Client.Do
	retryAtHinted bool // RetryAt came from a response header, not the default
}

// Error returns "<op> in <repo>: <status> <message>: <fix>", where <fix> is the
// first sentence of Remediation.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(cmpOr(e.Op, "github request"))
	if e.Repo != "" {
		b.WriteString(" in ")
		b.WriteString(e.Repo)
	}
	b.WriteString(": ")
	msg := e.Message
	if e.Status != 0 {
		// go-github's own text for a body without a message repeats the method, URL and status.
		fmt.Fprintf(&b, "%d ", e.Status)
		msg = cmpOr(msg, http.StatusText(e.Status))
	} else if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	b.WriteString(strings.TrimSuffix(msg, "."))
	if e.attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.attempts)
	}
	if e.RequiredPermissions != "" && e.Class.Permission() {
		fmt.Fprintf(&b, " (token needs %s)", e.RequiredPermissions)
	}
	if fix := firstSentence(e.Remediation); fix != "" {
		b.WriteString(": ")
		b.WriteString(fix)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// AsError finds the first *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsAlreadyExists reports whether err is GitHub's 422 "Validation Failed"
// with code already_exists on field (any field when field is "").
func IsAlreadyExists(err error, field string) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for _, fe := range er.Errors {
		if fe.Code == "already_exists" && (field == "" || fe.Field == field) {
			return true
		}
	}
	return false
}

// Classify turns the result of one go-github call into an *Error, or nil when
// err is nil. It makes no request; the only input besides its arguments is the
// clock, used to turn a relative Retry-After into RetryAt. An err that already
// is (or wraps) an *Error is returned as that *Error.
func Classify(op string, repo Repo, resp *github.Response, err error) *Error {
	return classify(op, repo, resp, err, time.Now())
}

func classify(op string, repo Repo, resp *github.Response, err error, now time.Time) *Error {
	if err == nil {
		return nil
	}
	if e, ok := AsError(err); ok {
		return e
	}
	e := &Error{Op: op, Err: err}
	if repo != (Repo{}) {
		e.Repo = repo.String()
	}

	var (
		rateErr  *github.RateLimitError
		abuseErr *github.AbuseRateLimitError
		otpErr   *github.TwoFactorAuthError
		respErr  *github.ErrorResponse
	)
	switch {
	case errors.Is(err, context.Canceled):
		e.Class = ClassUnexpected
		e.Message = "canceled before it finished"
		e.Remediation = "Re-run the command; it was canceled before GitHub answered."
		return e
	case errors.Is(err, context.DeadlineExceeded):
		e.Class = ClassNetworkError
		e.Message = "GitHub did not answer before the deadline"
		e.Remediation = "Re-run with more time, and check that the runner can reach the GitHub API quickly (proxy, firewall, DNS)."
		return e
	case errors.As(err, &rateErr):
		e.fromResponse(rateErr.Response, resp)
		e.Message = cmpOr(rateErr.Message, "API rate limit exceeded")
		e.rateLimited(true, now, rateErr.Rate.Reset.Time)
	case errors.As(err, &abuseErr):
		e.fromResponse(abuseErr.Response, resp)
		e.Message = cmpOr(abuseErr.Message, "secondary rate limit exceeded")
		e.rateLimited(false, now, time.Time{})
	case errors.As(err, &otpErr):
		e.fromResponse(otpErr.Response, resp)
		e.Message = otpErr.Message
		e.Class = ClassBadCredentials
		e.Remediation = remediationBadCredentials
	case errors.As(err, &respErr):
		e.fromResponse(respErr.Response, resp)
		e.Message = respErr.Message
		e.byStatus(respErr, now)
	case isNetwork(err):
		e.Class = ClassNetworkError
		host := "the GitHub API"
		var ue *url.Error
		if errors.As(err, &ue) {
			if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
				host = u.Host
			}
			e.Message = "no response from " + host + ": " + ue.Err.Error()
		} else {
			e.Message = "no response from " + host + ": " + err.Error()
		}
		e.Remediation = "Check that the runner can reach " + host + " (proxy, firewall, DNS) and re-run; GitHub's status is at https://www.githubstatus.com."
	default:
		e.Class = ClassUnexpected
		e.Message = err.Error()
		e.Remediation = e.unexpectedRemediation()
	}
	return e
}

// fromResponse copies status and the explanatory headers, preferring the
// response inside the go-github error over the one returned beside it.
func (e *Error) fromResponse(hr *http.Response, resp *github.Response) {
	if hr == nil && resp != nil {
		hr = resp.Response
	}
	if hr == nil {
		return
	}
	e.Status = hr.StatusCode
	h := hr.Header
	e.RequiredPermissions = strings.TrimSpace(h.Get(headerAcceptedPermissions))
	e.OAuthScopes = strings.TrimSpace(h.Get(headerOAuthScopes))
	e.RequestID = h.Get(headerRequestID)
	if required, u := parseSSO(h.Get(headerSSO)); required {
		e.SSOURL = u
	}
}

// header returns the first value of the named header of hr and whether the
// header is present at all (X-OAuth-Scopes may be present and empty).
func header(hr *http.Response, name string) (string, bool) {
	if hr == nil {
		return "", false
	}
	v, ok := hr.Header[http.CanonicalHeaderKey(name)]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// byStatus classifies a plain *github.ErrorResponse by its status code,
// message and headers.
func (e *Error) byStatus(er *github.ErrorResponse, now time.Time) {
	hr := er.Response
	msg := strings.ToLower(er.Message)
	sso, _ := header(hr, headerSSO)
	ssoRequired, _ := parseSSO(sso)
	remaining, _ := header(hr, headerRateRemaining)
	secondary := strings.Contains(msg, "secondary rate limit") || strings.Contains(msg, "abuse detection")

	switch {
	case e.Status == http.StatusTooManyRequests || (e.Status == http.StatusForbidden && (remaining == "0" || secondary)):
		e.rateLimited(remaining == "0", now, time.Time{})
		if e.Message == "" {
			e.Message = "rate limit exceeded"
		}
	case e.Status == http.StatusUnauthorized:
		e.Class = ClassBadCredentials
		e.Remediation = remediationBadCredentials
	case e.Status == http.StatusForbidden && ssoRequired:
		e.Class = ClassSSORequired
		e.Remediation = e.ssoRemediation()
	case e.Status == http.StatusForbidden && strings.Contains(msg, "resource not accessible by integration"):
		e.Class = ClassClamped
		e.Remediation = remediationClamped
	case e.Status == http.StatusForbidden && strings.Contains(msg, "resource not accessible by personal access token"):
		e.Class = ClassPATPermission
		e.Remediation = e.patRemediation()
	case e.Status == http.StatusForbidden:
		e.Class = ClassNoAccess
		e.Remediation = e.forbiddenRemediation()
	case e.Status == http.StatusNotFound:
		_, classic := header(hr, headerOAuthScopes)
		e.Class = ClassNoAccess
		e.Remediation = e.notFoundRemediation(classic)
	case e.Status == http.StatusConflict || IsAlreadyExists(er, ""):
		e.Class = ClassConflict
		e.Remediation = conflictRemediation(er)
	case e.Status >= 500:
		e.Class = ClassServerError
		e.Remediation = "Re-run later: GitHub failed to answer (check https://www.githubstatus.com, or your GitHub Enterprise Server's health)."
	default:
		e.Class = ClassUnexpected
		e.Remediation = e.unexpectedRemediation()
	}
}

// defaultRateLimitWait is GitHub's advice when a rate-limit response says
// nothing about when to retry: wait at least a minute.
const defaultRateLimitWait = time.Minute

// rateLimited marks e as rate-limited and works out RetryAt as GitHub's
// troubleshooting guide says: after Retry-After when present; for the primary
// limit (X-RateLimit-Remaining: 0) at X-RateLimit-Reset, or reset, go-github's
// parse of it; otherwise a minute from now. A secondary limit's
// X-RateLimit-Reset is ignored: it belongs to the primary window.
func (e *Error) rateLimited(primary bool, now time.Time, reset time.Time) {
	e.Class = ClassRateLimited
	hr := e.httpResponse()
	retryAfter, _ := header(hr, headerRetryAfter)
	resetHeader, _ := header(hr, headerRateReset)
	var at time.Time
	if wait, ok := parseRetryAfter(retryAfter, now); ok {
		at = now.Add(wait)
	}
	if primary {
		if t, ok := parseRateReset(resetHeader); ok {
			reset = t
		}
		if reset.After(at) {
			at = reset
		}
	}
	if at.IsZero() {
		e.RetryAt = now.Add(defaultRateLimitWait)
	} else {
		e.RetryAt, e.retryAtHinted = at, true
	}
	e.Remediation = rateLimitRemediation(primary, e.RetryAt, now)
}

// httpResponse returns the *http.Response inside e.Err, if any.
func (e *Error) httpResponse() *http.Response {
	var (
		rateErr  *github.RateLimitError
		abuseErr *github.AbuseRateLimitError
		respErr  *github.ErrorResponse
	)
	switch {
	case errors.As(e.Err, &rateErr):
		return rateErr.Response
	case errors.As(e.Err, &abuseErr):
		return abuseErr.Response
	case errors.As(e.Err, &respErr):
		return respErr.Response
	}
	return nil
}

func isNetwork(err error) bool {
	var (
		ue *url.Error
		ne net.Error
	)
	return errors.As(err, &ue) || errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed)
}

// firstSentence returns s up to the end of its first sentence (a ". " before
// an upper-case letter or a backtick, as package report splits remediation
// into steps) without the period.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '.' || s[i+1] != ' ' {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(s[i+2:]); unicode.IsUpper(next) || next == '`' {
			return s[:i]
		}
	}
	return strings.TrimSuffix(s, ".")
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
