package conformance_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/conformance"
)

// reporter collects what a Validator reports instead of failing the test.
type reporter struct {
	mu   sync.Mutex
	errs []string
}

func (r *reporter) Helper() {}

func (r *reporter) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *reporter) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

func (r *reporter) reports() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

const user = `{"login":"octocat","id":1,"node_id":"U_1","url":"https://api.github.com/users/octocat",` +
	`"html_url":"https://github.com/octocat","type":"User","site_admin":false,` +
	`"avatar_url":"https://github.com/avatars/u/1","gravatar_id":"","followers_url":"https://api.github.com/users/octocat/followers",` +
	`"following_url":"x","gists_url":"x","starred_url":"x","subscriptions_url":"https://api.github.com/users/octocat/subscriptions",` +
	`"organizations_url":"https://api.github.com/users/octocat/orgs","repos_url":"https://api.github.com/users/octocat/repos",` +
	`"events_url":"x","received_events_url":"https://api.github.com/users/octocat/received_events"}`

func asset(digest string) string {
	return `{"url":"https://api.github.com/repos/o/r/releases/assets/7","browser_download_url":"https://github.com/o/r/releases/download/v1/a.zip",` +
		`"id":7,"node_id":"RA_7","name":"a.zip","label":"","state":"uploaded","content_type":"application/zip","size":3,` + digest +
		`"download_count":0,"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z","uploader":` + user + `}`
}

// answer is a scripted answer of the fake GitHub.
type answer struct {
	status int
	ctype  string
	body   string
}

// exchange sends one request through a Validator to a server that gives
// the scripted answer, and returns what the Validator reported.
func exchange(t *testing.T, method, path, body string, header http.Header, a answer, opts ...func(*conformance.Validator)) []string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if a.ctype != "" {
			w.Header().Set("Content-Type", a.ctype)
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body) // test server; the client reads what arrives
	}))
	t.Cleanup(srv.Close)
	rep := &reporter{}
	v := conformance.New(rep, srv.URL+"/api/v3/", srv.URL+"/api/uploads/")
	for _, o := range opts {
		o(v)
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := v.Client(srv.Client()).Do(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, a.body, string(got), "the client sees the answer unchanged")
	assert.Equal(t, a.status, resp.StatusCode)
	return rep.reports()
}

const jsonType = "application/json; charset=utf-8"

func TestValidatorReportsViolations(t *testing.T) {
	t.Parallel()
	responsesOnly := func(v *conformance.Validator) { v.ResponsesOnly() }
	tests := []struct {
		name    string
		method  string
		path    string
		body    string
		header  http.Header
		answer  answer
		opts    []func(*conformance.Validator)
		wantAll []string // substrings of the one report; none: no report
	}{
		{name: "a conforming answer", method: "GET", path: "/api/v3/repos/o/r/releases/assets/7",
			answer: answer{200, jsonType, asset(`"digest":"sha256:00",`)}},
		{name: "a null digest conforms", method: "GET", path: "/api/v3/repos/o/r/releases/assets/7",
			answer: answer{200, jsonType, asset(`"digest":null,`)}},
		{name: "a missing required field", method: "GET", path: "/api/v3/repos/o/r/releases/assets/7",
			answer:  answer{200, jsonType, asset("")},
			wantAll: []string{"GET /api/v3/repos/o/r/releases/assets/7 → 200 (repos/get-release-asset)", `"digest"`}},
		{name: "a status neither documented nor allowed", method: "GET", path: "/api/v3/repos/o/r/releases/assets/7",
			answer:  answer{418, jsonType, `{"message":"I'm a teapot"}`},
			wantAll: []string{"status 418 is neither documented nor allowed for repos/get-release-asset"}},
		{name: "an allowed status conforms", method: "GET", path: "/api/v3/repos/o/r/releases/7",
			answer: answer{404, jsonType, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`}},
		{name: "an allowed status with a body that is no GitHub error", method: "GET", path: "/api/v3/repos/o/r/releases/7",
			answer:  answer{404, jsonType, `{"message":"Not Found","status":404}`},
			wantAll: []string{"error body is no basic-error", "/status"}},
		{name: "an allowed status that is not JSON", method: "GET", path: "/api/v3/repos/o/r/releases/7",
			answer:  answer{404, "text/plain", `Not Found`},
			wantAll: []string{`an error answered as "text/plain", not JSON`}},
		{name: "an HTML page from a failing front end", method: "GET", path: "/api/v3/repos/o/r/releases/7",
			answer: answer{502, "text/html; charset=utf-8", `<html>Unicorn!</html>`}},
		{name: "a 422 without documentation_url", method: "PATCH", path: "/api/v3/repos/o/r/releases/7", body: `{"draft":false}`,
			header:  http.Header{"Content-Type": {"application/json"}},
			answer:  answer{422, jsonType, `{"message":"Validation Failed"}`},
			wantAll: []string{"error body is no validation-error", "documentation_url"}},
		{name: "a request outside the schema", method: "POST", path: "/api/v3/repos/o/r/releases", body: `{"tag_name":"v1","make_latest":"sometimes"}`,
			header:  http.Header{"Content-Type": {"application/json"}},
			answer:  answer{422, jsonType, `{"message":"Invalid request.","documentation_url":"https://docs.github.com/rest"}`},
			wantAll: []string{"request:", "make_latest"}},
		{name: "responses only", method: "POST", path: "/api/v3/repos/o/r/releases", body: `{"tag_name":"v1","make_latest":"sometimes"}`,
			header: http.Header{"Content-Type": {"application/json"}}, opts: []func(*conformance.Validator){responsesOnly},
			answer: answer{422, jsonType, `{"message":"Invalid request.","documentation_url":"https://docs.github.com/rest"}`}},
		{name: "no such operation", method: "GET", path: "/api/v3/repos/o/r/nothing",
			answer:  answer{404, jsonType, `{"message":"Not Found"}`},
			wantAll: []string{"no such operation in GitHub's description"}},
		{name: "outside the base URLs", method: "GET", path: "/elsewhere/rate_limit",
			answer:  answer{404, jsonType, `{"message":"Not Found"}`},
			wantAll: []string{"not under the API or the upload base URL"}},
		{name: "an upload to the API host", method: "POST", path: "/api/v3/repos/o/r/releases/1/assets?name=a.zip", body: "zip",
			header: http.Header{"Content-Type": {"application/zip"}}, answer: answer{201, jsonType, asset(`"digest":null,`)},
			wantAll: []string{"an upload must go to the upload URL"}},
		{name: "an upload of any media type", method: "POST", path: "/api/uploads/repos/o/r/releases/1/assets?name=a.zip", body: "zip",
			header: http.Header{"Content-Type": {"application/zip"}}, answer: answer{201, jsonType, asset(`"digest":null,`)}},
		{name: "something else to the upload host", method: "GET", path: "/api/uploads/repos/o/r/releases/1/assets",
			answer: answer{200, jsonType, `[]`}, wantAll: []string{"only uploads go to the upload URL"}},
		{name: "asset bytes", method: "GET", path: "/api/v3/repos/o/r/releases/assets/7", header: http.Header{"Accept": {"application/octet-stream"}},
			answer: answer{200, "application/octet-stream", "zip"}},
		{name: "asset bytes as JSON", method: "GET", path: "/api/v3/repos/o/r/releases/assets/7", header: http.Header{"Accept": {"application/octet-stream"}},
			answer: answer{200, jsonType, "zip"}, wantAll: []string{"asset bytes served as application/json"}},
		{name: "a HEAD is a GET without the body", method: "HEAD", path: "/api/v3/repos/o/r/releases/7", answer: answer{status: 200, ctype: jsonType}},
		{name: "a browser download", method: "GET", path: "/o/r/releases/download/v1/a.zip", answer: answer{200, "application/octet-stream", "zip"}},
		{name: "a browser download that fails", method: "GET", path: "/o/r/releases/download/v1/a.zip",
			answer: answer{500, "text/plain", "oops"}, wantAll: []string{"a browser download answered 500"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := exchange(t, tt.method, tt.path, tt.body, tt.header, tt.answer, tt.opts...)
			if tt.wantAll == nil {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1, "%q", got)
			for _, want := range tt.wantAll {
				assert.Contains(t, got[0], want)
			}
		})
	}
}

// The request the server receives is the one the client sent, body included,
// and the validator counts what it saw.
func TestValidatorIsTransparent(t *testing.T) {
	t.Parallel()
	var received []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", jsonType)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, asset(`"digest":null,`))
	}))
	t.Cleanup(srv.Close)
	rep := &reporter{}
	v := conformance.New(rep, srv.URL, srv.URL)
	content := bytes.Repeat([]byte("release bytes "), 1000)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/repos/o/r/releases/1/assets?name=a.tar.gz", bytes.NewReader(content))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/gzip")
	resp, err := v.Client(srv.Client()).Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, content, received)
	assert.Empty(t, rep.reports())
	assert.Equal(t, map[conformance.Exchange]int{{Operation: "repos/upload-release-asset", Status: 201}: 1}, v.Seen())
}
