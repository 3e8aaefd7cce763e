package conformance

import (
	"net/http"
	"strings"
)

// allowance lets an operation answer statuses GitHub's description does not
// document for it, for a reason GitHub does document elsewhere (its guides on
// authentication, rate limits and troubleshooting) or that the emulator
// reproduces from observed behaviour. The body of such an answer must still be
// GitHub's error shape (basic-error, or validation-error for 422).
type allowance struct {
	statuses []int
	reason   string
	// only, when set, admits just the answers it reports true for, by their headers and body.
	only func(h http.Header, body []byte) bool
}

var (
	// unauthorized: "Bad credentials" for a token GitHub does not accept,
	// which every endpoint answers before anything else.
	unauthorized = allowance{[]int{401}, "a token GitHub does not accept answers 401 Bad credentials on every endpoint", nil}
	// forbidden: a token without the endpoint's permission ("Resource not
	// accessible by integration" / "… by personal access token"), one not
	// authorized for the organization's SAML SSO, or a primary or secondary
	// rate limit, which GitHub answers with 403 or 429.
	forbidden = allowance{[]int{403, 429}, "missing permission, SAML SSO enforcement, or a rate limit (403 or 429)", nil}
	// limitedOrSSO is forbidden without the missing permission: a rate limit (X-RateLimit-
	// Remaining: 0, Retry-After, or GitHub's secondary rate-limit message) or SAML SSO
	// enforcement (X-GitHub-SSO), for an operation whose description says what a token
	// without the permission gets.
	limitedOrSSO = allowance{[]int{403, 429}, "a rate limit or SAML SSO enforcement (403 or 429)", func(h http.Header, body []byte) bool {
		return h.Get("X-RateLimit-Remaining") == "0" || h.Get("Retry-After") != "" || h.Get("X-GitHub-SSO") != "" ||
			strings.Contains(string(body), "secondary rate limit")
	}}
	// hidden: GitHub answers 404, not 403, for a private repository the
	// token cannot see, and for a repository that does not exist.
	hidden = allowance{[]int{404}, "a private repository hidden from the token, or no such repository", nil}
	// failing: GitHub's servers or its front end failing (the front end
	// answers 502 and 503 with an HTML page).
	failing = allowance{[]int{500, 502, 503, 504}, "GitHub's servers or front end failing", nil}
	// badJSON: "Problems parsing JSON" and "Body should be a JSON object".
	badJSON = allowance{[]int{400}, "a body that is not JSON, or not a JSON object", nil}
	// invalid: schema validation ("Invalid request.") and the resource's
	// own rules ("Validation Failed"), which GitHub applies to every JSON
	// body whether or not the operation documents 422.
	invalid = allowance{[]int{422}, "Invalid request / Validation Failed", nil}
)

// repoScoped are the allowances of every operation on /repos/{owner}/{repo}.
var repoScoped = []allowance{unauthorized, forbidden, hidden, failing}

// undocumented lists, per operationId, the answers GitHub gives that its
// description leaves out. An operation missing here may answer only what
// the description documents.
var undocumented = map[string][]allowance{
	"rate-limit/get": {unauthorized, failing,
		{[]int{429}, "a secondary rate limit: the endpoint is free of the primary limit only", nil}},
	"repos/get":                 repoScoped,
	"repos/list-releases":       repoScoped,
	"repos/create-release":      append(repoScoped, badJSON),
	"repos/get-latest-release":  repoScoped,
	"repos/get-release-by-tag":  repoScoped,
	"repos/get-release":         append(repoScoped, allowance{[]int{404}, "no such release, or a draft to a token without push access (only 401 is documented)", nil}),
	"repos/update-release":      append(repoScoped, badJSON, invalid),
	"repos/delete-release":      repoScoped,
	"repos/list-release-assets": append(repoScoped, allowance{[]int{404}, "no such release, or a draft's to a token without push access", nil}),
	"repos/get-release-asset":   repoScoped,
	"repos/delete-release-asset": append(repoScoped,
		allowance{[]int{422}, "an asset of an immutable release, which can be neither added nor deleted", nil}),
	"repos/update-release-asset": append(repoScoped, badJSON, invalid, allowance{[]int{404}, "no such asset", nil}),
	"repos/generate-release-notes": append(repoScoped, badJSON, invalid,
		allowance{[]int{400}, `an empty tag_name ("Missing tag_name parameter") or previous_tag_name ("Invalid previous_tag parameter"), as reported in goreleaser/goreleaser#6414 and #3662`, nil}),
	"repos/list-tags":        repoScoped,
	"git/get-ref":            repoScoped,
	"git/list-matching-refs": repoScoped,
	"git/delete-ref":         repoScoped,
	"repos/upload-release-asset": append(repoScoped,
		allowance{[]int{400}, `"Invalid Content-Type", "Bad Content-Length" (a chunked body) or "Invalid name for request"`, nil},
		allowance{[]int{404}, "no such release", nil}),
	"repos/download-tarball-archive": append(repoScoped, allowance{[]int{404}, "no such ref", nil}),
	"repos/download-zipball-archive": append(repoScoped, allowance{[]int{404}, "no such ref", nil}),
	"repos/get-repo-rulesets":        repoScoped,
	"repos/get-repo-ruleset":         repoScoped,
	"git/get-tag":                    repoScoped,
	// GitHub documents 200 (on) and 404 (off, and so for a token without admin access): no
	// 403 for a missing permission.
	"repos/check-immutable-releases":   {unauthorized, limitedOrSSO, hidden, failing},
	"repos/enable-immutable-releases":  repoScoped,
	"repos/disable-immutable-releases": repoScoped,
}

// allowed returns the reason op may answer status, with header and body, though its
// description does not document it, and whether it may.
func allowed(op string, status int, header http.Header, body []byte) (string, bool) {
	for _, a := range undocumented[op] {
		for _, s := range a.statuses {
			if s == status && (a.only == nil || a.only(header, body)) {
				return a.reason, true
			}
		}
	}
	return "", false
}
