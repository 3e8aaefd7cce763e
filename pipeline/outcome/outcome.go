// Package outcome is release-preflight's one taxonomy of results. Every layer (the GitHub
// client, the probe, the build, the publish) returns its failures as an [*Error] carrying a
// [Class]; adapters turn the class into an exit code and the error into a report. A new class is
// added here and nowhere else.
//
// Messages name inputs by their plain names ("tag", "repo"), never by how an adapter takes them:
// an Error's Input says which input the fix is about, and [Explain] lets the adapter say how to
// pass it (a flag, an environment variable, a constructor argument).
//
// Secrets never reach a message: an Error that echoes an input quotes it with [Quote], which masks
// token-shaped values and cuts long input; adapters pass everything they print through [Redact]
// with the token as a last line of defence; and Error() prints at most [MaxMessage] bytes of a
// message, whatever a server sent.
//
// The package imports only the standard library, so every other package can depend on it.
package outcome

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Class names the kind of outcome of an operation. Its string value is part of the JSON report.
type Class string

// The classes of outcome.
const (
	OK Class = "ok"

	// The token is the problem (exit 3).
	Clamped        Class = "clamped"         // GITHUB_TOKEN is read-only (workflow permissions)
	PATPermission  Class = "pat-permission"  // fine-grained token lacks a repository permission
	SSORequired    Class = "sso-required"    // token not authorized for the organization's SAML SSO
	BadCredentials Class = "bad-credentials" // token rejected (401)
	NoAccess       Class = "no-access"       // repository missing or invisible to the token

	// A workflow does not grant a job's GITHUB_TOKEN a permission its steps need (exit 3): found
	// by reading the workflow files, before any run.
	PermissionsMissing Class = "permissions-missing"

	// Transient: the same request may succeed later (exit 4).
	RateLimited  Class = "rate-limited"  // primary or secondary rate limit
	ServerError  Class = "server-error"  // 5xx from GitHub, or an answer that does not add up
	NetworkError Class = "network-error" // no HTTP response at all, or none before the deadline

	InvalidInput Class = "invalid-input" // bad flags or environment; nothing was sent (exit 2)

	// The runner does not trust the certificate the API or upload host presented: signed by an
	// authority it does not know, issued for another host, or expired. A retry meets the same
	// certificate, so it is not transient; the fix is the runner's trust store (exit 1).
	UntrustedCertificate Class = "untrusted-certificate"

	// A setting, rule or limit of the repository, the organization or GitHub forbids the release
	// as asked; changing the token alone does not help (exit 3, like permission problems).
	ReleaseImmutable        Class = "release-immutable"        // the tag's release is published and immutable
	TagProtected            Class = "tag-protected"            // a tag ruleset blocks creating the tag for this token
	AssetLimit              Class = "asset-limit"              // more than 1000 assets, a file of 2 GiB or more, or names that collide
	OIDCMissing             Class = "oidc-missing"             // attestations asked for, but the job cannot request an OIDC token
	AttestationsUnavailable Class = "attestations-unavailable" // attestations asked for where GitHub offers none

	// Everything else (exit 1).
	Conflict    Class = "conflict"     // e.g. the release is already published
	TagConflict Class = "tag-conflict" // the tag exists at another commit than the one released
	BuildFailed Class = "build-failed" // the build step failed
	Unexpected  Class = "unexpected"   // anything else
)

// Classes lists every class but OK, in the order of the README's table of failure classes.
var Classes = []Class{
	Clamped, PATPermission, SSORequired, BadCredentials, NoAccess, RateLimited, ServerError, NetworkError,
	UntrustedCertificate, InvalidInput, PermissionsMissing, Conflict, ReleaseImmutable, TagConflict, TagProtected,
	AssetLimit, OIDCMissing, AttestationsUnavailable, BuildFailed, Unexpected,
}

// ExitCode is the process exit code for the class: 0 for ok, 2 for invalid input, 3 for
// permission and policy problems, 4 for transient failures and 1 for everything else.
func (c Class) ExitCode() int {
	switch {
	case c == OK:
		return 0
	case c == InvalidInput:
		return 2
	case c.Permission(), c.Policy():
		return 3
	case c.Transient():
		return 4
	default:
		return 1
	}
}

// Permission reports whether the token, not GitHub, is the problem: it lacks a permission or a
// scope, is not authorized for SSO, is rejected, or cannot see the repository; or a workflow
// does not grant its job's token a permission the job needs.
func (c Class) Permission() bool {
	switch c {
	case Clamped, PATPermission, SSORequired, BadCredentials, NoAccess, PermissionsMissing:
		return true
	}
	return false
}

// Policy reports whether a setting, rule or limit forbids the release as asked: an immutable
// release, a tag ruleset, GitHub's asset limits, a job without an OIDC token, or attestations
// where GitHub offers none. The fix is a change to the repository, the workflow or the release,
// not a retry.
func (c Class) Policy() bool {
	switch c {
	case ReleaseImmutable, TagProtected, AssetLimit, OIDCMissing, AttestationsUnavailable:
		return true
	}
	return false
}

// Transient reports whether the same request may succeed later without any change on the
// user's side: rate limits, server errors and network errors.
func (c Class) Transient() bool {
	switch c {
	case RateLimited, ServerError, NetworkError:
		return true
	}
	return false
}

// Error is a classified failure of one operation. Its Error string reads
// "<op> in <repo>: <status> <message>: <the fix>", where the fix is the first sentence of
// Remediation and, when an adapter has explained Input, how to pass it.
type Error struct {
	Class               Class
	Op                  string    // what was attempted, lowercase: "create draft release"
	Repo                string    // "owner/name"; empty when not about one repository
	Status              int       // HTTP status; 0 when no response arrived or none was sent
	Message             string    // what went wrong: GitHub's "message", or the problem found
	RequiredPermissions string    // X-Accepted-GitHub-Permissions, e.g. "contents=write"
	OAuthScopes         string    // X-OAuth-Scopes: the scopes of a classic token
	SSOURL              string    // where to authorize the token for SAML SSO
	RetryAt             time.Time // rate limits: when the limit resets
	RequestID           string    // X-GitHub-Request-Id, for GitHub support
	Remediation         string    // the fix, one or more sentences
	Input               string    // the input the fix is about, e.g. "tag"; see Explain
	How                 string    // how the adapter takes Input, e.g. "--tag"; set by Explain
	Output              string    // multi-line detail such as compiler output; not part of Error()
	Attempts            int       // requests made for the operation, retries included
	Err                 error     // the underlying error
	// Text, when set, is the whole of Error(): a failure already rendered elsewhere, such as a
	// build in a container that reported it as JSON.
	Text string
}

// Error returns "<op> in <repo>: <status> <message> (after N attempts): <fix> (<how>)". A message
// longer than [MaxMessage] is cut.
func (e *Error) Error() string {
	if e.Text != "" {
		return e.Text
	}
	var b strings.Builder
	b.WriteString(cmp.Or(e.Op, "release-preflight"))
	if e.Repo != "" {
		b.WriteString(" in ")
		b.WriteString(e.Repo)
	}
	b.WriteString(": ")
	msg := e.Message
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d ", e.Status)
		msg = cmp.Or(msg, http.StatusText(e.Status))
	} else if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	b.WriteString(Truncate(strings.TrimSuffix(msg, "."), MaxMessage))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.RequiredPermissions != "" && e.Class.Permission() {
		fmt.Fprintf(&b, " (token needs %s)", e.RequiredPermissions)
	}
	fix := FirstSentence(e.Remediation)
	if e.How != "" {
		fix = strings.TrimSpace(fix + " (" + e.How + ")")
	}
	if fix != "" {
		b.WriteString(": ")
		b.WriteString(fix)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// As finds the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// ClassOf is the class of err: OK for nil, the class of the first *Error in its chain, and
// otherwise NetworkError for a missed deadline and Unexpected for anything else (a canceled
// context included).
func ClassOf(err error) Class {
	if err == nil {
		return OK
	}
	if e, ok := As(err); ok {
		return e.Class
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return NetworkError
	}
	return Unexpected
}

// Invalid is an InvalidInput error: op is what was being checked, input the input at fault
// ("" when none is), problem what is wrong with it and fix what to pass instead.
func Invalid(op, input, problem, fix string) *Error {
	return &Error{Class: InvalidInput, Op: op, Input: input, Message: problem, Remediation: fix}
}

// Explain fills in How on the first *Error in err's chain from how, which maps an input name
// ("tag") to the way the adapter takes it ("--tag"; "" for an input it does not know), and
// returns err with its text updated: wrappers made with fmt.Errorf keep their own words.
func Explain(err error, how func(input string) string) error {
	e, ok := As(err)
	if !ok || e.Input == "" || e.How != "" {
		return err
	}
	h := how(e.Input)
	if h == "" {
		return err
	}
	before := e.Error()
	e.How = h
	if err == error(e) {
		return err
	}
	return &explained{text: strings.Replace(err.Error(), before, e.Error(), 1), err: err}
}

// explained is an error chain whose text was updated by Explain.
type explained struct {
	text string
	err  error
}

func (x *explained) Error() string { return x.text }
func (x *explained) Unwrap() error { return x.err }

// Sentences splits text into its steps: one per line, and one per sentence within a line (a
// ". " followed by an upper-case letter or a backtick), without list markers.
func Sentences(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-*•"))
		for line != "" {
			cut := sentenceEnd(line)
			out = append(out, strings.TrimSpace(line[:cut]))
			line = strings.TrimSpace(line[cut:])
		}
	}
	return out
}

// FirstSentence is the first of Sentences(text), without its final period.
func FirstSentence(text string) string {
	s := Sentences(text)
	if len(s) == 0 {
		return ""
	}
	return strings.TrimSuffix(s[0], ".")
}

// sentenceEnd is the index just past the first sentence of s, or len(s).
func sentenceEnd(s string) int {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '.' || s[i+1] != ' ' {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(s[i+2:]); unicode.IsUpper(next) || next == '`' {
			return i + 1
		}
	}
	return len(s)
}
