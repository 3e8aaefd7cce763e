package emulator

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Fault makes matching requests fail the way GitHub or the network does.
// Faults are checked before authentication, in the order injected.
//
// Exactly one behaviour applies, in this order of precedence: AfterWork (with Drop or
// Status), TruncateBody, StallBody, Corrupt, StarterAsset, Drop, PrimaryRateLimit,
// SecondaryRateLimit, Status429, Status. A fault with only Latency delays the request and then
// serves it normally; Latency combined with another behaviour delays before it.
//
// Times counts firings on the server. net/http transparently resends an
// idempotent request (GET, HEAD, …) whose reused keep-alive connection was
// dropped before any response byte, so a Drop on a GET may fire twice for one
// client call.
type Fault struct {
	// Method matches the request method ("" = any).
	Method string
	// PathContains matches a substring of the request path as received,
	// prefix included ("" = any).
	PathContains string
	// Endpoint matches the endpoint by the anchor of its documentation URL, e.g.
	// "create-a-release", "update-a-release", "get-a-release", "list-release-assets",
	// "upload-a-release-asset", "update-a-release-asset" ("" = any). Request.Endpoint
	// logs the same names; Inject panics on a name no endpoint has.
	Endpoint string
	// Skip lets the first Skip matching requests through before the fault fires, e.g. to
	// strike the second "create-a-release" of a run.
	Skip int
	// Times is how often the fault fires: 0 means once, a negative value
	// means on every matching request.
	Times int

	// Status answers with this HTTP status and Body. An empty Body gets
	// GitHub's JSON {"message":"Server Error"} for 5xx, and otherwise GitHub's
	// error body with the status text and the endpoint's documentation URL, e.g.
	// {"message":"Not Found","documentation_url":"https://docs.github.com/rest/releases/releases#update-a-release","status":"404"}
	// ("Validation Failed" for 422). A Body starting with "<" is served as
	// text/html, like the HTML page GitHub's front end returns on 502 (see
	// HTMLErrorBody), anything else as application/json.
	Status int
	Body   string

	// Drop reads the request body, then hijacks and closes the connection
	// without a response: the client sees a network error.
	Drop bool

	// Latency delays the answer. The wait ends early when the client gives up
	// (the request context is done; nothing is then written) or the server
	// closes.
	Latency time.Duration

	// PrimaryRateLimit answers 403 "API rate limit exceeded for installation
	// ID …" (or "… for user ID …" for personal access tokens) with
	// X-RateLimit-Remaining: 0 and X-RateLimit-Reset ResetIn from now.
	PrimaryRateLimit bool
	// SecondaryRateLimit answers 403 "You have exceeded a secondary rate
	// limit…" with Retry-After: RetryAfter when RetryAfter > 0 (GitHub omits
	// it on some answers), the rate-limit headers staying healthy.
	SecondaryRateLimit bool
	// Status429 serves either rate limit as 429 Too Many Requests instead of
	// 403, as GitHub may. Alone, it means a secondary rate limit served as 429.
	Status429 bool
	// RetryAfter is the Retry-After header in seconds (0 = none).
	RetryAfter int
	// ResetIn sets X-RateLimit-Reset to now+ResetIn on a rate-limit answer
	// (0 = the end of the current hourly window).
	ResetIn time.Duration

	// AfterWork serves the request first, so that whatever it changes is changed, and then
	// answers with the fault instead: Drop loses the answer (the client sees a network error
	// after the server did the work), Status and Body replace it. A client that retries must
	// cope with the work having been done.
	AfterWork bool

	// TruncateBody answers with the real status and headers but closes the connection halfway
	// through the body: the client sees its answer end early.
	TruncateBody bool

	// StallBody answers with the real status and headers, then sends nothing more until the
	// client gives up or the server closes: only a client deadline ends it.
	StallBody bool

	// Corrupt applies to an asset upload: the asset is stored with its first byte flipped, as
	// a broken proxy would deliver it, and answered 201 with the digest of what was stored.
	Corrupt bool

	// StarterAsset applies to an asset upload that would otherwise succeed:
	// the asset is recorded with state "starter" and size 0, as GitHub leaves
	// it after an upstream failure, and then the connection is dropped — or,
	// when Status is set, that status is answered instead (GitHub documents a
	// 502). A later upload with the same name gets 422 already_exists until
	// the starter asset is deleted. An upload that fails for another reason
	// (403, 404, 422, …) is answered normally and spends the firing. On any
	// other request it acts as Drop.
	StarterAsset bool
}

// HTMLErrorBody is an HTML error page of the kind GitHub's front end serves
// with a 502 or 503 instead of JSON. Use it as Fault.Body.
const HTMLErrorBody = `<!DOCTYPE html>
<html>
  <head>
    <meta http-equiv="Content-type" content="text/html; charset=utf-8">
    <title>Unicorn! &middot; GitHub</title>
  </head>
  <body>
    <p>No server is currently available to service your request.</p>
    <p>Sorry about that. Please try refreshing and contact us if the problem persists.</p>
  </body>
</html>
`

type activeFault struct {
	Fault
	left    int // < 0: forever
	skipped int
}

func (f *Fault) matches(r *http.Request, ep endpoint) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Endpoint != "" && f.Endpoint != ep.name() {
		return false
	}
	return f.PathContains == "" || strings.Contains(r.URL.Path, f.PathContains)
}

// knownEndpoint reports whether name is the documentation anchor of an endpoint.
func knownEndpoint(name string) bool {
	return slices.Contains(endpointNames(), name)
}

// endpointNames are the documentation anchors of the endpoints, sorted.
func endpointNames() []string {
	var names []string
	for ep := range endpoints {
		if n := ep.name(); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// kind names the fault for the request log.
func (f *Fault) kind() string {
	switch {
	case f.AfterWork && f.Drop:
		return "drop-after-work"
	case f.AfterWork:
		return "status-after-work"
	case f.TruncateBody:
		return "truncate-body"
	case f.StallBody:
		return "stall-body"
	case f.Corrupt:
		return "corrupt"
	case f.StarterAsset:
		return "starter-asset"
	case f.Drop:
		return "drop"
	case f.PrimaryRateLimit:
		return "primary-rate-limit"
	case f.SecondaryRateLimit || f.Status429:
		return "secondary-rate-limit"
	case f.Status != 0:
		return "status"
	case f.Latency > 0:
		return "latency"
	}
	return "none"
}

// takeFaultLocked returns a copy of the first matching fault with firings left and
// consumes one firing. The caller holds s.mu.
func (s *Server) takeFaultLocked(r *http.Request, ep endpoint) *Fault {
	for i, af := range s.faults {
		if af.left == 0 || !af.matches(r, ep) {
			continue
		}
		if af.skipped < af.Skip {
			af.skipped++
			continue
		}
		if af.left > 0 {
			af.left--
		}
		f := af.Fault
		if af.left == 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		return &f
	}
	return nil
}

// rateWindow is the primary rate limit of one token over one hour.
type rateWindow struct {
	used  int
	reset time.Time
}

func (w *rateWindow) roll(now time.Time) {
	if w.reset.IsZero() || !now.Before(w.reset) {
		w.used = 0
		w.reset = now.Truncate(time.Second).Add(time.Hour)
	}
}
