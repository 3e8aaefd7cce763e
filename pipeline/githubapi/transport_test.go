package githubapi_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// stall is a tiny deadline: the servers below never answer in time, so the deadlines pass
// at once and the tests assert what the user sees, never how long it took.
const (
	stall = 5 * time.Millisecond
	ample = time.Hour
)

// hold blocks a handler until the client hangs up or the test ends.
func hold(t *testing.T, r *http.Request) {
	t.Helper()
	select {
	case <-r.Context().Done():
	case <-t.Context().Done():
	}
}

// uploadZeros uploads size zero bytes, streamed: the body is never held in memory.
func uploadZeros(size int64) func(ctx context.Context, gh *github.Client) (*github.Response, error) {
	return func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		req, err := gh.NewUploadRequest(ctx, "repos/octo/hello/releases/1/assets?name=big.bin",
			io.LimitReader(zeros{}, size), size, "application/octet-stream")
		if err != nil {
			return nil, err
		}
		return gh.Do(req, nil)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// Every per-request deadline ends in a network-error that names it and the fix, after the
// usual retries, instead of hanging.
func TestTransportDeadlines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		timeouts  githubapi.Timeouts
		serve     func(t *testing.T) (apiURL string, base *http.Transport) // base nil: a plain client
		fn        func(ctx context.Context, gh *github.Client) (*github.Response, error)
		wantInMsg []string
		wantFix   string
	}{
		{
			name:     "a server that never answers",
			timeouts: githubapi.Timeouts{ResponseHeader: stall, Idle: ample},
			serve: func(t *testing.T) (string, *http.Transport) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body) // so that the server notices the client hang up
					hold(t, r)
				}))
				t.Cleanup(srv.Close)
				return srv.URL, nil
			},
			fn:        createRelease,
			wantInMsg: []string{"sent no response within 5ms of receiving the whole request"},
			wantFix:   "Re-run later: 127.0.0.1:",
		},
		{
			name:     "headers, then a body that stops",
			timeouts: githubapi.Timeouts{ResponseHeader: ample, Idle: stall},
			serve: func(t *testing.T) (string, *http.Transport) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusCreated)
					_, _ = w.Write([]byte(`{"id":1,"tag_name":`))
					http.NewResponseController(w).Flush() //nolint:errcheck // a test server: the client notices either way
					hold(t, r)
				}))
				t.Cleanup(srv.Close)
				return srv.URL, nil
			},
			fn:        createRelease,
			wantInMsg: []string{"the connection to 127.0.0.1:", "stalled: no data moved for 5ms"},
			wantFix:   "check the network between the runner and 127.0.0.1:",
		},
		{
			name:     "an upload host that never reads the body",
			timeouts: githubapi.Timeouts{ResponseHeader: ample, Idle: stall},
			serve: func(t *testing.T) (string, *http.Transport) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hold(t, r)
				}))
				t.Cleanup(srv.Close)
				return srv.URL, nil
			},
			// Far more than the socket buffers hold, so that writing blocks.
			fn:        uploadZeros(256 << 20),
			wantInMsg: []string{"the connection to 127.0.0.1:", "stalled: no data moved for 5ms"},
			wantFix:   "for a proxy or firewall that holds up long transfers",
		},
		{
			name:     "a connection that never opens",
			timeouts: githubapi.Timeouts{Connect: stall},
			serve: func(t *testing.T) (string, *http.Transport) {
				// A dialer that waits like a SYN sent into a black hole.
				return "http://127.0.0.1:9/", &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
					<-ctx.Done()
					return nil, ctx.Err()
				}}
			},
			fn:        createRelease,
			wantInMsg: []string{"could not connect to 127.0.0.1:9 within 5ms"},
			wantFix:   "Check that the runner can reach 127.0.0.1:9 (proxy, firewall, DNS)",
		},
		{
			name:     "a TLS handshake that never finishes",
			timeouts: githubapi.Timeouts{TLSHandshake: stall, Idle: ample},
			serve: func(t *testing.T) (string, *http.Transport) {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				t.Cleanup(func() { _ = ln.Close() })
				go func() {
					for {
						conn, err := ln.Accept()
						if err != nil {
							return
						}
						t.Cleanup(func() { _ = conn.Close() })
					}
				}()
				return "https://" + ln.Addr().String() + "/", nil
			},
			fn:        createRelease,
			wantInMsg: []string{"the TLS handshake with 127.0.0.1:", "did not finish within 5ms"},
			wantFix:   "holds up HTTPS (a proxy must be named in HTTPS_PROXY)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			apiURL, base := tt.serve(t)
			var hc *http.Client
			if base != nil {
				hc = &http.Client{Transport: base}
			}
			var s emulator.Sleeps
			c, err := githubapi.NewClient(githubapi.Config{
				Token: testToken, APIURL: apiURL, HTTPClient: hc, Timeouts: tt.timeouts,
				Retry: githubapi.RetryPolicy{Sleep: s.Sleep},
			})
			require.NoError(t, err)

			err = c.Do(t.Context(), "create draft release", testRepo, tt.fn)

			require.Error(t, err)
			ge, ok := outcome.As(err)
			require.True(t, ok, "a classified error: %v", err)
			assert.Equal(t, outcome.NetworkError, ge.Class)
			assert.Equal(t, 4, ge.Class.ExitCode())
			assert.Equal(t, githubapi.DefaultMaxAttempts, c.Requests(), "retried like any network error")
			assert.Len(t, s.Waits(), githubapi.DefaultMaxAttempts-1)
			for _, want := range tt.wantInMsg {
				assert.Contains(t, err.Error(), want)
			}
			assert.Contains(t, err.Error(), "(after 4 attempts)")
			assert.Contains(t, ge.Remediation, tt.wantFix)
			assert.Empty(t, ge.Input, "no input to change: the network is the problem")
			assertNoToken(t, err)
		})
	}
}

// The idle timeout resets on every byte: a slow answer that keeps moving finishes although it
// takes longer than the timeout.
func TestTransportIdleTimeoutResetsOnProgress(t *testing.T) {
	t.Parallel()
	const idle = 2 * time.Second
	body := releaseJSON(1, "v1.0.0")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		// 12 pieces a quarter of a second apart: 3 s in all, each gap far below the timeout.
		for i, piece := range chunks(body, 12) {
			if i > 0 {
				time.Sleep(idle / 8)
			}
			_, _ = w.Write([]byte(piece))
			http.NewResponseController(w).Flush() //nolint:errcheck // a test server: the client notices either way
		}
	}))
	t.Cleanup(srv.Close)
	c, err := githubapi.NewClient(githubapi.Config{Token: testToken, APIURL: srv.URL, Timeouts: githubapi.Timeouts{Idle: idle}})
	require.NoError(t, err)

	err = c.Do(t.Context(), "create draft release", testRepo, createRelease)

	require.NoError(t, err)
	assert.Equal(t, 1, c.Requests())
}

// chunks cuts s into n pieces of about equal length.
func chunks(s string, n int) []string {
	var out []string
	size := (len(s) + n - 1) / n
	for len(s) > 0 {
		k := min(size, len(s))
		out = append(out, s[:k])
		s = s[k:]
	}
	return out
}

// The caller's deadline ends the command with the input to change (the time limit) and the
// failure that used the time up.
func TestDoCallerDeadline(t *testing.T) {
	t.Parallel()
	var answered atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if answered.CompareAndSwap(false, true) {
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte(`{"message":"Server Error"}`))
			return
		}
		hold(t, r)
	}))
	t.Cleanup(srv.Close)
	var s emulator.Sleeps
	c := newClient(t, srv, githubapi.RetryPolicy{Sleep: s.Sleep, Jitter: func(time.Duration) time.Duration { return 0 }})
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	t.Cleanup(cancel)

	err := c.Do(ctx, "create draft release", testRepo, createRelease)

	require.Error(t, err)
	ge, ok := outcome.As(err)
	require.True(t, ok)
	assert.Equal(t, outcome.NetworkError, ge.Class)
	assert.Equal(t, githubapi.InputTimeout, ge.Input)
	assert.Equal(t, 2, c.Requests())
	assert.Contains(t, err.Error(), "create draft release in octo/hello: the time limit ran out before GitHub answered; "+
		"the attempt before failed: 502 Server Error (after 2 attempts): Raise the time limit")
	explained := outcome.Explain(err, func(string) string { return "--timeout" })
	assert.True(t, strings.HasSuffix(explained.Error(), ": Raise the time limit, or re-run when GitHub answers more quickly (--timeout)"), explained.Error())
}

// A wait that would end after the caller's deadline is not started: the failure is returned at
// once, with when to retry.
func TestDoDoesNotWaitPastTheDeadline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		reply     reply
		wantClass outcome.Class
		wantInMsg string
	}{
		{
			name:      "a rate limit",
			reply:     reply{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "30"}, body: errBody("You have exceeded a secondary rate limit", docsAbuse)},
			wantClass: outcome.RateLimited,
			wantInMsg: "(30s from now)",
		},
		{
			name:      "a backoff",
			reply:     reply{status: http.StatusBadGateway, body: errBody("Server Error", "")},
			wantClass: outcome.ServerError,
			wantInMsg: "502 Server Error: Re-run later",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, routeCreate, tt.reply)
			var s emulator.Sleeps
			c := newClient(t, srv, githubapi.RetryPolicy{Sleep: s.Sleep, BaseDelay: time.Minute,
				Jitter: func(ceiling time.Duration) time.Duration { return ceiling - 1 }})
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			t.Cleanup(cancel)

			err := c.Do(ctx, "create draft release", testRepo, createRelease)

			require.Error(t, err)
			assert.Equal(t, tt.wantClass, outcome.ClassOf(err))
			assert.Contains(t, err.Error(), tt.wantInMsg)
			assert.Equal(t, 1, c.Requests())
			assert.Empty(t, s.Waits(), "no wait that cannot finish in time")
		})
	}
}

// Timeouts and a caller's transport work together: its dialer is kept and wrapped.
func TestTimeoutsKeepTheCallersDialer(t *testing.T) {
	t.Parallel()
	srv := newServer(t, routeCreate, reply{status: http.StatusCreated, body: releaseJSON(1, "v1.0.0")})
	dialed := 0
	base := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed++
		return (&net.Dialer{}).DialContext(ctx, network, strings.TrimPrefix(srv.URL, "http://"))
	}}
	c, err := githubapi.NewClient(githubapi.Config{Token: testToken, APIURL: "http://127.0.0.1:9/", HTTPClient: &http.Client{Transport: base}})
	require.NoError(t, err)

	require.NoError(t, c.Do(t.Context(), "create draft release", testRepo, createRelease))
	assert.Equal(t, 1, dialed)
	assert.Nil(t, base.TLSClientConfig, "the caller's transport is not modified")
	assert.Zero(t, base.ResponseHeaderTimeout, "the caller's transport is not modified")
}

// A huge error body is neither held in memory nor printed: the client reads MaxErrorBody of
// it, and an error's message is cut to outcome.MaxMessage.
func TestErrorBodiesAreBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		body      func(w io.Writer) error // writes the body of a 403
		wantInMsg string
		wantCut   bool // the message is cut to outcome.MaxMessage
	}{
		{
			name: "1 GiB of message",
			body: func(w io.Writer) error {
				if _, err := io.WriteString(w, `{"message":"`); err != nil {
					return err
				}
				_, err := io.Copy(w, io.LimitReader(xs{}, 1<<30))
				return err
			},
			wantInMsg: "403 Forbidden: Give the token write access",
		},
		{
			name: "a message of 60 KiB",
			body: func(w io.Writer) error {
				_, err := io.WriteString(w, `{"message":"`+strings.Repeat("x", 60<<10)+`"}`)
				return err
			},
			wantInMsg: "403 xxxxxxxx",
			wantCut:   true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var written atomic.Int64
			done := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_ = tt.body(countingWriter{w, &written}) // the client hangs up long before the end
			}))
			t.Cleanup(srv.Close)
			c := newClient(t, srv, githubapi.RetryPolicy{})

			err := c.Do(t.Context(), "create draft release", testRepo, createRelease)

			require.Error(t, err)
			ge, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, outcome.NoAccess, ge.Class)
			assert.Equal(t, 1, c.Requests())
			assert.Contains(t, err.Error(), tt.wantInMsg)
			assert.Less(t, len(err.Error()), 2*outcome.MaxMessage, "the message printed is bounded")
			if tt.wantCut {
				assert.Contains(t, err.Error(), "x…: Give the token write access")
			}
			<-done
			assert.Less(t, written.Load(), int64(64<<20), "the client stopped reading long before the end")
		})
	}
}

// A successful answer longer than MaxBody fails, once, naming the API URL, instead of filling
// the memory.
func TestBodiesAreBounded(t *testing.T) {
	t.Parallel()
	srv := newServer(t, routeCreate, reply{status: http.StatusCreated, body: `{"id":1,"name":"` + strings.Repeat("x", 4096) + `"}`})
	c := newClient(t, srv, githubapi.RetryPolicy{})
	githubapi.SetBodyLimits(c, 64, 1024)

	err := c.Do(t.Context(), "create draft release", testRepo, createRelease)

	require.Error(t, err)
	ge, ok := outcome.As(err)
	require.True(t, ok)
	assert.Equal(t, outcome.Unexpected, ge.Class)
	assert.Equal(t, "api-url", ge.Input)
	assert.Equal(t, 1, c.Requests(), "not retried")
	assert.Contains(t, err.Error(), "the answer from 127.0.0.1:")
	assert.Contains(t, err.Error(), "is longer than 1024 bytes")
	assert.Contains(t, err.Error(), ": Check the API URL")
}

// xs is an endless stream of 'x'.
type xs struct{}

func (xs) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// A redirect is followed only to the same scheme and host with the same method: anything else
// fails, before the other host gets any request, and never reads as success.
func TestRedirects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		status       int
		sameHost     bool
		hops         int // redirects before the answer; -1: redirect forever
		wantClass    outcome.Class
		wantInMsg    []string
		wantRequests int
	}{
		{name: "307 to another host", status: http.StatusTemporaryRedirect, hops: 1, wantClass: outcome.Unexpected, wantRequests: 1,
			wantInMsg: []string{"create draft release in octo/hello: 307 the answer was a redirect to another host or scheme, to \"http://127.0.0.1:", "/moved\", which is not followed: Check the API URL"}},
		{name: "308 to another host", status: http.StatusPermanentRedirect, hops: 1, wantClass: outcome.Unexpected, wantRequests: 1,
			wantInMsg: []string{"308 the answer was a redirect to another host or scheme"}},
		{name: "302 that would turn the POST into a GET", status: http.StatusFound, sameHost: true, hops: 1, wantClass: outcome.Unexpected, wantRequests: 1,
			wantInMsg: []string{"302 the answer was a redirect that would turn the POST into a GET"}},
		{name: "307 to the same host is followed", status: http.StatusTemporaryRedirect, sameHost: true, hops: 1, wantClass: outcome.OK, wantRequests: 2},
		{name: "redirects without end", status: http.StatusTemporaryRedirect, sameHost: true, hops: -1, wantClass: outcome.Unexpected, wantRequests: 5,
			wantInMsg: []string{"307 the answer was a redirect after 5 redirects already"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var foreign atomic.Int64
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				foreign.Add(1)
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(releaseJSON(1, "v1.0.0")))
			}))
			t.Cleanup(other.Close)
			var hops atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"), "hop %d", hops.Load())
				if n := hops.Add(1); tt.hops < 0 || n <= int64(tt.hops) {
					to := other.URL
					if tt.sameHost {
						to = ""
					}
					w.Header().Set("Location", to+"/moved?access_token="+testToken)
					w.WriteHeader(tt.status)
					return
				}
				assert.Equal(t, http.MethodPost, r.Method)
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(releaseJSON(1, "v1.0.0")))
			}))
			t.Cleanup(srv.Close)
			c := newClient(t, srv, githubapi.RetryPolicy{Sleep: (&emulator.Sleeps{}).Sleep})

			err := c.Do(t.Context(), "create draft release", testRepo, createRelease)

			assert.Equal(t, tt.wantRequests, c.Requests())
			assert.Zero(t, foreign.Load(), "the other host got no request")
			assert.Equal(t, tt.wantClass, outcome.ClassOf(err))
			if tt.wantClass == outcome.OK {
				require.NoError(t, err)
				return
			}
			ge, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, tt.status, ge.Status)
			assert.Equal(t, "api-url", ge.Input)
			for _, want := range tt.wantInMsg {
				assert.Contains(t, err.Error(), want)
			}
			assert.NotContains(t, err.Error(), "access_token")
			assertNoToken(t, err)
		})
	}
}

// The token goes only to the scheme and host of the API and upload URLs: not to another host,
// and not to the same host over another scheme.
func TestTokenOnlyToTheConfiguredOrigins(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	record := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen[r.URL.String()] = r.Header.Get("Authorization")
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	})
	c, err := githubapi.NewClient(githubapi.Config{Token: testToken, APIURL: "https://ghe.example.com/api/v3/",
		UploadURL: "https://up.example.com/", HTTPClient: &http.Client{Transport: record}})
	require.NoError(t, err)

	err = c.Do(t.Context(), "read", testRepo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		for _, u := range []string{"https://ghe.example.com/api/v3/a", "https://up.example.com/b", "http://ghe.example.com/api/v3/c", "https://elsewhere.example.com/d"} {
			req, err := gh.NewRequest(ctx, http.MethodGet, u, nil)
			if err != nil {
				return nil, err
			}
			if resp, err := gh.Do(req, nil); err != nil {
				return resp, err
			}
		}
		return nil, nil
	})

	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"https://ghe.example.com/api/v3/a": "Bearer " + testToken,
		"https://up.example.com/b":         "Bearer " + testToken,
		"http://ghe.example.com/api/v3/c":  "",
		"https://elsewhere.example.com/d":  "",
	}, seen)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
