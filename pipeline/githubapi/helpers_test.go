package githubapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// testToken is distinctive so that a leak into any output is unmistakable.
const testToken = "ghs_TESTTOKENxX9zQ7mustNeverAppear0000"

var testRepo = githubapi.Repo{Owner: "octo", Name: "hello"}

// reply is one scripted answer of a test server.
type reply struct {
	status int
	header map[string]string
	body   string
	drop   bool // hijack and close the connection without answering
}

// newServer starts a loopback server that answers requests to route
// ("METHOD /path") with replies in order. Any other request, or more requests
// than replies, fails the test.
func newServer(t *testing.T, route string, replies ...reply) *httptest.Server {
	t.Helper()
	var (
		mu   sync.Mutex
		next int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Method + " " + r.URL.Path; got != route {
			t.Errorf("unexpected request %s", got)
			http.Error(w, "unexpected request", http.StatusTeapot)
			return
		}
		mu.Lock()
		i := next
		next++
		mu.Unlock()
		if i >= len(replies) {
			t.Errorf("request %d to %s: only %d replies scripted", i+1, route, len(replies))
			http.Error(w, "no reply scripted", http.StatusTeapot)
			return
		}
		serveReply(t, w, replies[i])
	}))
	t.Cleanup(srv.Close)
	return srv
}

func serveReply(t *testing.T, w http.ResponseWriter, rp reply) {
	t.Helper()
	if rp.drop {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.Close() // the point is to drop it; a close error changes nothing
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	for k, v := range rp.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rp.status)
	_, _ = w.Write([]byte(rp.body)) // the client may have gone; nothing to do
}

// newClient returns a client for srv with injected sleep and clock.
func newClient(t *testing.T, srv *httptest.Server, policy githubapi.RetryPolicy) *githubapi.Client {
	t.Helper()
	c, err := githubapi.NewClient(githubapi.Config{
		Token:      testToken,
		APIURL:     srv.URL + "/",
		HTTPClient: srv.Client(),
		Retry:      policy,
	})
	require.NoError(t, err)
	return c
}

// createRelease is a typical fn for Client.Do.
func createRelease(ctx context.Context, gh *github.Client) (*github.Response, error) {
	_, resp, err := gh.Repositories.CreateRelease(ctx, testRepo.Owner, testRepo.Name, github.CreateReleaseRequest{
		TagName: "v1.0.0",
		Draft:   new(true),
	})
	return resp, err
}

// testTokenRest is testToken without its ghs_ prefix, as a server might echo it.
var testTokenRest = strings.TrimPrefix(testToken, "ghs_")

// assertNoToken fails the test if the token, with or without its prefix, appears in err or
// anything reachable from it.
func assertNoToken(t *testing.T, err error) {
	t.Helper()
	for e := err; e != nil; e = unwrap(e) {
		require.NotContains(t, e.Error(), testTokenRest)
	}
	if ge, ok := outcome.As(err); ok {
		for _, s := range []string{ge.Op, ge.Repo, ge.Message, ge.RequiredPermissions, ge.OAuthScopes, ge.SSOURL, ge.RequestID, ge.Remediation} {
			require.NotContains(t, s, testTokenRest)
		}
	}
}

func unwrap(err error) error {
	u, ok := err.(interface{ Unwrap() error })
	if !ok {
		return nil
	}
	return u.Unwrap()
}

func releaseJSON(id int, tag string) string {
	return `{"id":` + strconv.Itoa(id) + `,"tag_name":"` + tag + `","draft":true}`
}
