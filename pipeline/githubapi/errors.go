package githubapi

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// InputTimeout is the input an error is about when the caller's deadline passed (see
// [outcome.Error]'s Input): the adapter says how to give the command more time.
const InputTimeout = "timeout"

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

// IsNotFound reports whether err is GitHub's 404. After a delete that means gone, or never
// visible to this token: a caller that must know which lists again.
func IsNotFound(err error) bool {
	e, ok := outcome.As(err)
	return ok && e != nil && e.Status == http.StatusNotFound
}

// classify turns the result of one go-github call into an *outcome.Error, or nil when err is
// nil. It makes no request; now turns a relative Retry-After into RetryAt. hinted reports that
// RetryAt came from a response header rather than the default wait. An err that already is (or
// wraps) an *outcome.Error is returned as that error.
func classify(op string, repo Repo, resp *github.Response, err error, now time.Time) (*outcome.Error, bool) {
	if err == nil {
		return nil, false
	}
	if e, ok := outcome.As(err); ok {
		return e, false
	}
	e := &outcome.Error{Op: op, Err: err}
	hinted := false
	if repo != (Repo{}) {
		e.Repo = repo.String()
	}

	var (
		deadErr  *deadlineError
		longErr  *tooLargeError
		redirErr *redirectError
		rateErr  *github.RateLimitError
		abuseErr *github.AbuseRateLimitError
		otpErr   *github.TwoFactorAuthError
		respErr  *github.ErrorResponse
	)
	switch {
	case errors.As(err, &deadErr):
		e.Class = outcome.NetworkError
		e.Message = deadErr.Error()
		e.Remediation = deadErr.remediation()
		return e, false
	case errors.As(err, &longErr):
		fromResponse(e, nil, resp)
		e.Class = outcome.Unexpected
		e.Message = longErr.Error()
		e.Remediation = "Check the API URL: no GitHub API answers at such length, so " + longErr.host + " is probably not one."
		e.Input = "api-url"
		return e, false
	case errors.As(err, &redirErr):
		e.Class = outcome.Unexpected
		e.Status = redirErr.status
		e.Message = redirErr.Error()
		e.Remediation = "Check the API URL: pass the address the API answers at itself (for GitHub Enterprise Server https://HOST/api/v3/); " +
			"the token is sent only to the API and upload hosts, and a request is never redirected into another one."
		e.Input = "api-url"
		return e, false
	case errors.Is(err, context.Canceled):
		e.Class = outcome.Unexpected
		e.Message = "canceled before it finished"
		e.Remediation = "Re-run the command; it was canceled before GitHub answered."
		return e, false
	case errors.Is(err, context.DeadlineExceeded):
		e.Class = outcome.NetworkError
		e.Message = "the time limit ran out before GitHub answered"
		e.Remediation = "Raise the time limit, or re-run when GitHub answers more quickly. Check that the runner reaches the GitHub API without delay (proxy, firewall, DNS)."
		e.Input = InputTimeout
		return e, false
	case errors.As(err, &rateErr) && !aboutRateLimit(rateErr):
		// go-github takes every 403 with X-RateLimit-Remaining: 0 for the rate limit; one that
		// says something else (a clamped token on the request that spent the last unit) is
		// classified by what it says.
		fromResponse(e, rateErr.Response, resp)
		e.Message = rateErr.Message
		hinted = byStatus(e, &github.ErrorResponse{Response: rateErr.Response, Message: rateErr.Message}, now)
	case errors.As(err, &rateErr):
		fromResponse(e, rateErr.Response, resp)
		e.Message = cmp.Or(rateErr.Message, "API rate limit exceeded")
		hinted = rateLimited(e, rateErr.Response, true, now, rateErr.Rate.Reset.Time)
	case errors.As(err, &abuseErr):
		fromResponse(e, abuseErr.Response, resp)
		e.Message = cmp.Or(abuseErr.Message, "secondary rate limit exceeded")
		hinted = rateLimited(e, abuseErr.Response, false, now, time.Time{})
	case errors.As(err, &otpErr):
		fromResponse(e, otpErr.Response, resp)
		e.Message = otpErr.Message
		e.Class = outcome.BadCredentials
		e.Remediation = remediationBadCredentials
	case errors.As(err, &respErr):
		fromResponse(e, respErr.Response, resp)
		e.Message = respErr.Message
		hinted = byStatus(e, respErr, now)
	case untrustedCertificate(e, err):
		return e, false
	case isNetwork(err):
		e.Class = outcome.NetworkError
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
		e.Class = outcome.Unexpected
		e.Message = err.Error()
		e.Remediation = unexpectedRemediation(e)
	}
	return e, hinted
}

// fromResponse copies status and the explanatory headers, preferring the
// response inside the go-github error over the one returned beside it.
func fromResponse(e *outcome.Error, hr *http.Response, resp *github.Response) {
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

// says reports whether the message of er, or of one of its field errors, contains text
// (case-insensitively).
func says(er *github.ErrorResponse, text string) bool {
	text = strings.ToLower(text)
	if strings.Contains(strings.ToLower(er.Message), text) {
		return true
	}
	for _, fe := range er.Errors {
		if strings.Contains(strings.ToLower(fe.Message), text) {
			return true
		}
	}
	return false
}

// hasField reports whether one of er's field errors is about field.
func hasField(er *github.ErrorResponse, field string) bool {
	for _, fe := range er.Errors {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// aboutRateLimit reports whether a RateLimitError is one: a 429, or a 403 whose message is
// about the rate limit or empty.
func aboutRateLimit(err *github.RateLimitError) bool {
	msg := strings.ToLower(err.Message)
	return err.Response == nil || err.Response.StatusCode != http.StatusForbidden || msg == "" || strings.Contains(msg, "rate limit")
}

// byStatus classifies a plain *github.ErrorResponse by its status code,
// message and headers, and reports whether a rate limit's RetryAt came from a header.
func byStatus(e *outcome.Error, er *github.ErrorResponse, now time.Time) (hinted bool) {
	hr := er.Response
	msg := strings.ToLower(er.Message)
	sso, _ := header(hr, headerSSO)
	ssoRequired, _ := parseSSO(sso)
	remaining, _ := header(hr, headerRateRemaining)
	secondary := strings.Contains(msg, "secondary rate limit") || strings.Contains(msg, "abuse detection")
	// X-RateLimit-Remaining: 0 alone is no rate limit: a 403 for a permission, on the request
	// that spent the last unit, carries it too. It counts with a message about the limit, or
	// none to go by.
	primary := remaining == "0" && (strings.Contains(msg, "rate limit") || msg == "")

	switch {
	case e.Status == http.StatusTooManyRequests || (e.Status == http.StatusForbidden && (primary || secondary)):
		hinted = rateLimited(e, hr, remaining == "0", now, time.Time{})
		if e.Message == "" {
			e.Message = "rate limit exceeded"
		}
	case e.Status == http.StatusUnauthorized:
		e.Class = outcome.BadCredentials
		e.Remediation = remediationBadCredentials
	case e.Status == http.StatusForbidden && ssoRequired:
		e.Class = outcome.SSORequired
		e.Remediation = ssoRemediation(e)
	case e.Status == http.StatusForbidden && strings.Contains(msg, "resource not accessible by integration"):
		e.Class = outcome.Clamped
		e.Remediation = remediationClamped
	case e.Status == http.StatusForbidden && strings.Contains(msg, "resource not accessible by personal access token"):
		e.Class = outcome.PATPermission
		e.Remediation = patRemediation(e)
	case e.Status == http.StatusForbidden:
		e.Class = outcome.NoAccess
		e.Remediation = forbiddenRemediation(e)
	case e.Status == http.StatusNotFound:
		_, classic := header(hr, headerOAuthScopes)
		e.Class = outcome.NoAccess
		e.Remediation = notFoundRemediation(e, classic)
	case e.Status == http.StatusUnprocessableEntity && says(er, "immutable release"):
		e.Class = outcome.ReleaseImmutable
		e.Remediation = "Release under a new tag, such as the next patch version: an immutable release's assets and tag can never change."
	case e.Status == http.StatusUnprocessableEntity && hasField(er, "pre_receive"):
		e.Class = outcome.TagProtected
		e.Remediation = "A tag ruleset of the repository or its organization keeps this token from creating the tag: " +
			"let the token bypass the ruleset, or exclude the tag, in Settings → Rules → Rulesets; or publish with a token that can. " +
			"The draft is kept: re-run the same command once that is done."
	case e.Status == http.StatusUnprocessableEntity && hasField(er, "file_count"):
		e.Class = outcome.AssetLimit
		e.Remediation = "Bundle the files into fewer archives: GitHub allows 1000 assets per release, counting the draft's own."
	case e.Status == http.StatusConflict || IsAlreadyExists(er, ""):
		e.Class = outcome.Conflict
		e.Remediation = conflictRemediation(er)
	case e.Status >= 500:
		e.Class = outcome.ServerError
		e.Remediation = "Re-run later: GitHub failed to answer (check https://www.githubstatus.com, or your GitHub Enterprise Server's health)."
	default:
		e.Class = outcome.Unexpected
		e.Remediation = unexpectedRemediation(e)
	}
	return hinted
}

// defaultRateLimitWait is GitHub's advice when a rate-limit response says
// nothing about when to retry: wait at least a minute. Do does not wait it out;
// the error says to.
const defaultRateLimitWait = time.Minute

// rateLimited marks e as rate-limited and works out RetryAt from hr as GitHub's
// troubleshooting guide says: after Retry-After when present; for the primary
// limit (X-RateLimit-Remaining: 0) at X-RateLimit-Reset, or reset, go-github's
// parse of it; otherwise a minute from now, and then hinted is false. A secondary
// limit's X-RateLimit-Reset is ignored: it belongs to the primary window.
func rateLimited(e *outcome.Error, hr *http.Response, primary bool, now time.Time, reset time.Time) (hinted bool) {
	e.Class = outcome.RateLimited
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
		e.RetryAt, hinted = at, true
	}
	e.Remediation = rateLimitRemediation(primary, e.RetryAt, now)
	return hinted
}

// InputCertificates is the input an error is about when the runner does not trust a host's
// certificate (see [outcome.Error]'s Input): the adapter says how to add an authority.
const InputCertificates = "ca-certificates"

// untrustedCertificate classifies err into e as UntrustedCertificate when the TLS handshake
// failed because the host's certificate is not one this machine accepts: signed by an authority
// it does not know (x509.UnknownAuthorityError: a GitHub Enterprise Server behind a company
// CA), with no trusted authorities at all (x509.SystemRootsError), issued for another host name
// (x509.HostnameError), or expired, not yet valid or otherwise unusable
// (x509.CertificateInvalidError). A retry meets the same certificate, so none is made. It
// reports whether err was one.
func untrustedCertificate(e *outcome.Error, err error) bool {
	var (
		unknown  x509.UnknownAuthorityError
		roots    x509.SystemRootsError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	host := "the GitHub API"
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			host = u.Host
		}
	}
	const addCA = "Add the certificate of the authority (CA) that signed it to the certificates the command trusts."
	switch {
	case errors.As(err, &unknown):
		e.Message = "the certificate of " + host + " is signed by an authority this machine does not trust"
		if c := unknown.Cert; c != nil && c.Issuer.CommonName != "" {
			e.Message += fmt.Sprintf(" (issuer %q)", c.Issuer.CommonName)
		}
		e.Remediation, e.Input = addCA, InputCertificates
	case errors.As(err, &roots):
		e.Message = "this machine trusts no certificate authority, so it cannot check the certificate of " + host
		e.Remediation, e.Input = addCA+" Or install the system's CA certificates (the ca-certificates package).", InputCertificates
	case errors.As(err, &hostname):
		e.Message = "the certificate of " + host + " is not issued for that name (" + hostname.Error() + ")"
		e.Remediation, e.Input = "Pass the API URL with the host name its certificate is issued for.", "api-url"
	case errors.As(err, &invalid):
		e.Message = "the certificate of " + host + " is not usable: " + invalid.Error()
		e.Remediation = "Have the certificate of " + host + " renewed or fixed by its administrator, and check this machine's clock."
	default:
		return false
	}
	e.Class = outcome.UntrustedCertificate
	return true
}

// certificateRejected reports whether err is a TLS handshake that refused the host's
// certificate (see untrustedCertificate): the request itself was never sent.
func certificateRejected(err error) bool {
	var (
		unknown  x509.UnknownAuthorityError
		roots    x509.SystemRootsError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	return errors.As(err, &unknown) || errors.As(err, &roots) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

func isNetwork(err error) bool {
	var (
		ue *url.Error
		ne net.Error
	)
	return errors.As(err, &ue) || errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed)
}
