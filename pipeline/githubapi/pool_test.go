package githubapi_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

// newCountingServer answers every request with a created release and counts the TCP
// connections clients open to it.
func newCountingServer(t testing.TB) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(releaseJSON(1, "v1.0.0")))
	}))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &opened
}

// Requests at the upload concurrency reuse their connections: a run of 200 requests per worker
// opens about one connection per request in flight, not one per request.
func TestConnectionsAreReused(t *testing.T) {
	t.Parallel()
	for _, concurrency := range []int{1, 4, githubapi.MaxIdleConnsPerHost} {
		t.Run(strconv.Itoa(concurrency), func(t *testing.T) {
			t.Parallel()
			srv, opened := newCountingServer(t)
			c, err := githubapi.NewClient(githubapi.Config{Token: testToken, APIURL: srv.URL})
			require.NoError(t, err)
			const perWorker = 200

			var wg sync.WaitGroup
			for range concurrency {
				wg.Go(func() {
					for range perWorker {
						assert.NoError(t, c.Do(t.Context(), "create draft release", testRepo, createRelease))
					}
				})
			}
			wg.Wait()

			assert.Equal(t, concurrency*perWorker, c.Requests())
			// About one per request in flight; a request that starts before the connection of the
			// one before is back in the pool may open one more (more often on a loaded machine). net/http's default pool of 2 idle
			// connections per host opens dozens at 4 and hundreds at 16.
			assert.LessOrEqual(t, opened.Load(), int64(3*concurrency), "connections opened for %d requests", c.Requests())
		})
	}
}

// BenchmarkDoKeepAlive measures a request on a kept-alive loopback connection, four at a time
// (the default upload concurrency), and reports the connections opened per request.
func BenchmarkDoKeepAlive(b *testing.B) {
	srv, opened := newCountingServer(b)
	c, err := githubapi.NewClient(githubapi.Config{Token: testToken, APIURL: srv.URL})
	require.NoError(b, err)
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := c.Do(b.Context(), "create draft release", testRepo, createRelease); err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(opened.Load())/float64(c.Requests()), "conns/op")
}
