package githubapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func listReleases(ctx context.Context, gh *github.Client, opts *github.ListOptions) ([]*github.RepositoryRelease, *github.Response, error) {
	return gh.Repositories.ListReleases(ctx, testRepo.Owner, testRepo.Name, opts)
}

func TestListAll(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// next is the next page the server links to from page; 0 for none.
		next         func(page int) int
		failOnce     int // a page whose first request gets a 502
		maxPages     int
		wantIDs      int // items: one per page
		wantRequests int
		wantInMsg    string
	}{
		{name: "three pages", next: func(p int) int { return map[int]int{1: 2, 2: 3}[p] }, wantIDs: 3, wantRequests: 3},
		{name: "one page", next: func(int) int { return 0 }, wantIDs: 1, wantRequests: 1},
		{name: "a failed page is retried alone", next: func(p int) int { return map[int]int{1: 2, 2: 3}[p] }, failOnce: 2, wantIDs: 3, wantRequests: 4},
		{name: "pages without end stop at the cap", next: func(p int) int { return p + 1 }, maxPages: 5, wantRequests: 5,
			wantInMsg: "list releases in octo/hello: stopped after 5 pages of 100, the most it reads, and there are more: Delete releases that are no longer needed"},
		{name: "the default cap", next: func(p int) int { return p + 1 }, wantRequests: githubapi.DefaultMaxPages,
			wantInMsg: "stopped after 100 pages of 100"},
		{name: "a next page that goes back", next: func(p int) int { return map[int]int{1: 2, 2: 1}[p] }, wantRequests: 2,
			wantInMsg: "list releases in octo/hello: page 2 links to page 1 as the next one: Re-run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var failed atomic.Bool
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, "GET /repos/octo/hello/releases", r.Method+" "+r.URL.Path)
				assert.Equal(t, "100", r.URL.Query().Get("per_page"))
				page, err := strconv.Atoi(r.URL.Query().Get("page"))
				if !assert.NoError(t, err, "every request names its page") {
					return
				}
				if page == tt.failOnce && failed.CompareAndSwap(false, true) {
					w.WriteHeader(http.StatusBadGateway)
					return
				}
				if next := tt.next(page); next != 0 {
					w.Header().Set("Link", fmt.Sprintf(`<http://%s/repos/octo/hello/releases?page=%d&per_page=100>; rel="next"`, r.Host, next))
				}
				_, _ = w.Write([]byte("[" + releaseJSON(page, "v"+strconv.Itoa(page)) + "]"))
			}))
			t.Cleanup(srv.Close)
			c, err := githubapi.NewClient(githubapi.Config{Token: testToken, APIURL: srv.URL, MaxPages: tt.maxPages,
				Retry: githubapi.RetryPolicy{Sleep: (&emulator.Sleeps{}).Sleep}})
			require.NoError(t, err)

			rels, _, err := githubapi.ListAll(t.Context(), c, "list releases", testRepo, listReleases)

			assert.Equal(t, tt.wantRequests, c.Requests())
			if tt.wantInMsg == "" {
				require.NoError(t, err)
				require.Len(t, rels, tt.wantIDs)
				for i, r := range rels {
					assert.EqualValues(t, i+1, r.GetID(), "in page order, each page once")
				}
				return
			}
			require.Error(t, err)
			assert.Nil(t, rels)
			ge, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, outcome.Unexpected, ge.Class)
			assert.Contains(t, err.Error(), tt.wantInMsg)
		})
	}
}

// A page's failure is the classified error of its request.
func TestListAllFailure(t *testing.T) {
	t.Parallel()
	srv := newServer(t, "GET /repos/octo/hello/releases", reply{status: http.StatusNotFound, body: errBody("Not Found", "")})
	c := newClient(t, srv, githubapi.RetryPolicy{})

	_, _, err := githubapi.ListAll(t.Context(), c, "list releases", testRepo, listReleases)

	assert.Equal(t, outcome.NoAccess, outcome.ClassOf(err))
	assert.Equal(t, 1, c.Requests())
}
