package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// Reporter receives the violations a Validator finds; *testing.T is one.
type Reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Exchange names one kind of request and answer a Validator saw: the operationId (or
// "web/download-release-asset" for a browser download, "web/download-archive" for an archive
// download) and the status (0 when no answer came).
type Exchange struct {
	Operation string
	Status    int
}

// Validator checks HTTP traffic against GitHub's OpenAPI description and
// reports each violation as an error of its test. It is safe for concurrent
// use.
type Validator struct {
	r           Reporter
	spec        *spec
	apiPrefix   string // path of the API base URL, e.g. "/" or "/api/v3/"
	uploadPath  string // path of the upload base URL
	checkBodies bool   // validate requests as well as responses

	mu   sync.Mutex
	seen map[Exchange]int
}

// New returns a Validator for a client whose API base URL is apiURL and
// upload base URL uploadURL (as in githubapi.Config; their paths, such as
// GitHub Enterprise Server's /api/v3/ and /api/uploads/, are stripped before
// routing). The description is loaded once per test binary.
func New(r Reporter, apiURL, uploadURL string) *Validator {
	r.Helper()
	s, err := load()
	if err != nil {
		r.Fatalf("conformance: %v", err)
	}
	v := &Validator{r: r, spec: s, checkBodies: true, seen: map[Exchange]int{}}
	v.apiPrefix, v.uploadPath = basePath(r, apiURL), basePath(r, uploadURL)
	return v
}

// ForEmulator returns a Validator for traffic to srv.
func ForEmulator(r Reporter, srv *emulator.Server) *Validator {
	r.Helper()
	return New(r, srv.APIURL(), srv.UploadURL())
}

func basePath(r Reporter, base string) string {
	r.Helper()
	u, err := url.Parse(base)
	if err != nil {
		r.Fatalf("conformance: base URL %q: %v", base, err)
	}
	p := u.Path
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// ResponsesOnly makes v check answers only, for a test that sends requests
// GitHub's schema refuses on purpose (to see the emulator answer them). It
// returns v.
func (v *Validator) ResponsesOnly() *Validator {
	v.checkBodies = false
	return v
}

// Client returns a copy of c (nil: http.DefaultClient) whose transport
// validates every exchange.
func (v *Validator) Client(c *http.Client) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	out := *c
	out.Transport = v.Transport(c.Transport)
	return &out
}

// Transport wraps next (nil: http.DefaultTransport) so that every request
// and its answer are validated. What the client and the server see is not
// changed.
func (v *Validator) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{v: v, next: next}
}

// Seen returns how often each operation answered each status so far.
func (v *Validator) Seen() map[Exchange]int {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make(map[Exchange]int, len(v.seen))
	for k, n := range v.seen {
		out[k] = n
	}
	return out
}

type transport struct {
	v    *Validator
	next http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close() // consumed; the copy below is sent
		if err != nil {
			return nil, err
		}
		reqBody = b
	}
	out := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		out.Body = io.NopCloser(bytes.NewReader(reqBody))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	}
	resp, err := t.next.RoundTrip(out)
	if err != nil {
		t.v.check(req, reqBody, nil, nil)
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close() // replaced by the buffered copy
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	t.v.check(req, reqBody, resp, respBody)
	return resp, nil
}

// webDownload is github.com's browser_download_url, and codeload the archive download the
// tarball and zipball operations redirect to (codeload.github.com, or /_codeload/ on the
// server's own host as GitHub Enterprise Server serves it), which the REST description does
// not cover (they are not on the API host).
var (
	webDownload = regexp.MustCompile(`^/[^/]+/[^/]+/releases/download/.+/[^/]+$`)
	codeload    = regexp.MustCompile(`^/_codeload/[^/]+/[^/]+/legacy\.(tar\.gz|zip)/.+$`)
)

// check validates one exchange (resp nil when no answer came) and reports
// each violation.
func (v *Validator) check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) {
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	op, problems := v.validate(req, reqBody, resp, respBody)
	v.mu.Lock()
	v.seen[Exchange{Operation: op, Status: status}]++
	v.mu.Unlock()
	for _, p := range problems {
		v.r.Errorf("GitHub conformance: %s %s → %d (%s): %s", req.Method, req.URL.Path, status, op, p)
	}
}

func (v *Validator) validate(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) (string, []string) {
	path := req.URL.Path
	viaUpload := v.uploadPath != v.apiPrefix && strings.HasPrefix(path, v.uploadPath)
	read := req.Method == http.MethodGet || req.Method == http.MethodHead
	if read && !viaUpload && webDownload.MatchString(path) && !strings.HasPrefix(path, v.apiPrefix+"repos/") {
		return "web/download-release-asset", downloadProblems(resp)
	}
	if read && codeload.MatchString(path) {
		return "web/download-archive", downloadProblems(resp)
	}
	var rel string
	switch {
	case viaUpload:
		rel = "/" + strings.TrimPrefix(path, v.uploadPath)
	case strings.HasPrefix(path, v.apiPrefix):
		rel = "/" + strings.TrimPrefix(path, v.apiPrefix)
	default:
		return req.Method + " " + path, []string{"not under the API or the upload base URL"}
	}

	routed := req.Clone(context.Background())
	u := *req.URL
	u.Path, u.RawPath = rel, ""
	routed.URL = &u
	head := req.Method == http.MethodHead
	if head {
		routed.Method = http.MethodGet // GitHub answers HEAD as GET, without the body
	}
	routed.Body = io.NopCloser(bytes.NewReader(reqBody))
	routed.GetBody = nil
	routed.ContentLength = int64(len(reqBody))
	route, params, err := v.spec.router.FindRoute(routed)
	if err != nil {
		return req.Method + " " + rel, []string{"no such operation in GitHub's description: " + err.Error()}
	}
	op := route.Operation.OperationID
	var problems []string
	switch {
	case op == uploadOperation && v.uploadPath != v.apiPrefix && !viaUpload:
		problems = append(problems, "an upload must go to the upload URL")
	case op != uploadOperation && viaUpload:
		problems = append(problems, "only uploads go to the upload URL")
	}
	in := &openapi3filter.RequestValidationInput{Request: routed, PathParams: params, Route: route, Options: v.spec.opts}
	if v.checkBodies && !head {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			problems = append(problems, "request: "+flatten(err))
		}
	}
	if resp == nil {
		return op, problems
	}
	return op, append(problems, v.responseProblems(route, in, req, resp, respBody, head)...)
}

func (v *Validator) responseProblems(route *routers.Route, in *openapi3filter.RequestValidationInput, req *http.Request,
	resp *http.Response, body []byte, head bool) []string {
	op := route.Operation.OperationID
	status := resp.StatusCode
	documented := route.Operation.Responses.Status(status) != nil
	if !documented {
		if _, ok := allowed(op, status, resp.Header, body); !ok {
			return []string{fmt.Sprintf("status %d is neither documented nor allowed for %s", status, op)}
		}
	}
	switch {
	case head:
		if len(body) > 0 {
			return []string{"a HEAD answer has a body"}
		}
		return nil
	case op == "repos/get-release-asset" && status == http.StatusOK && accepts(req, "application/octet-stream"):
		// "set the Accept header of the request to application/octet-stream.
		// The API will either redirect the client to the location, or stream
		// it directly if possible": the bytes, which the 200's schema (JSON)
		// does not describe.
		if ct := mediaType(resp.Header); ct != "application/octet-stream" {
			return []string{"asset bytes served as " + ct}
		}
		return nil
	case !documented:
		return v.errorBodyProblems(resp, body)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: resp.Header, Options: v.spec.opts}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return []string{"response: " + flatten(err)}
	}
	return nil
}

// errorBodyProblems checks the body of an allowed, undocumented answer: an
// HTML page for a failing front end (5xx), else GitHub's JSON error.
func (v *Validator) errorBodyProblems(resp *http.Response, body []byte) []string {
	ct := mediaType(resp.Header)
	if ct == "text/html" && resp.StatusCode >= 500 {
		return nil
	}
	if ct != "application/json" {
		return []string{fmt.Sprintf("an error answered as %q, not JSON", resp.Header.Get("Content-Type"))}
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return []string{"an error body that is not JSON: " + err.Error()}
	}
	schema, name := v.spec.basicError, "basic-error"
	if resp.StatusCode == http.StatusUnprocessableEntity {
		schema, name = v.spec.validationError, "validation-error"
	}
	if err := schema.VisitJSON(value, openapi3.MultiErrors()); err != nil {
		return []string{"error body is no " + name + ": " + flatten(err)}
	}
	return nil
}

func downloadProblems(resp *http.Response) []string {
	if resp == nil {
		return nil
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusNotFound, http.StatusFound:
		return nil
	}
	return []string{fmt.Sprintf("a browser download answered %d", resp.StatusCode)}
}

func accepts(req *http.Request, media string) bool {
	return strings.Contains(req.Header.Get("Accept"), media)
}

func mediaType(h http.Header) string {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return h.Get("Content-Type")
	}
	return mt
}

// flatten renders a kin-openapi error on one line: each schema violation as
// its JSON pointer and reason, without the schema kin-openapi would print.
func flatten(err error) string {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		parts := make([]string, 0, len(multi))
		for _, e := range multi {
			parts = append(parts, flatten(e))
		}
		return strings.Join(parts, "; ")
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return fmt.Sprintf("at /%s: %s", strings.Join(se.JSONPointer(), "/"), se.Reason)
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}
