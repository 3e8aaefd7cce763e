package probe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/probe"
)

// step is one expected request and its scripted answer.
type step struct {
	route  string // "METHOD /path"
	status int
	body   string
}

// scripted serves steps in order; any other request fails the test.
func scripted(t *testing.T, steps ...step) (*httptest.Server, func() int) {
	t.Helper()
	var (
		mu   sync.Mutex
		next int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		i := next
		next++
		mu.Unlock()
		got := r.Method + " " + r.URL.Path
		if i >= len(steps) || steps[i].route != got {
			t.Errorf("unexpected request %d: %s", i+1, got)
			http.Error(w, "unexpected", http.StatusTeapot)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(steps[i].status)
		_, _ = w.Write([]byte(steps[i].body)) // test server; nothing to do on failure
	}))
	t.Cleanup(srv.Close)
	return srv, func() int {
		mu.Lock()
		defer mu.Unlock()
		return next
	}
}

// GitHub allows several drafts with one tag name, so a create that failed
// with a 5xx after GitHub stored the draft leaves a duplicate behind; the
// probe looks for it and deletes it.
func TestRunRemovesDuplicateDraftFromFailedAttempt(t *testing.T) {
	t.Parallel()
	const tag = `"` + runTag + `"`
	srv, served := scripted(t,
		step{"POST /repos/octo/hello/releases", http.StatusBadGateway, `{"message":"Server Error"}`},
		step{"POST /repos/octo/hello/releases", http.StatusCreated, `{"id":2,"tag_name":` + tag + `,"draft":true}`},
		step{"DELETE /repos/octo/hello/releases/2", http.StatusNoContent, ``},
		step{"GET /repos/octo/hello/releases", http.StatusOK, `[{"id":1,"tag_name":` + tag + `,"draft":true},{"id":9,"tag_name":"v1.0.0","draft":true},{"id":7,"tag_name":"v0.9.0","draft":false}]`},
		step{"DELETE /repos/octo/hello/releases/1", http.StatusNoContent, ``},
	)
	c, err := githubapi.NewClient(githubapi.Config{Token: token, APIURL: srv.URL, HTTPClient: srv.Client(),
		Retry: githubapi.RetryPolicy{Sleep: (&emulator.Sleeps{}).Sleep}})
	require.NoError(t, err)

	rep, err := probe.Run(context.Background(), c, probe.Options{Repo: repo, RunID: "4242"})

	require.NoError(t, err)
	assert.Equal(t, 5, served(), "every scripted request was made")
	assert.Equal(t, 5, rep.Requests)
	assert.Empty(t, rep.Warnings)
	assertNoToken(t, rep, err)
}
