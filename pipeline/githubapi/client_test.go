package githubapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func TestNewClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		cfg        githubapi.Config
		wantAPI    string
		wantUpload string
		wantErr    []string // substrings of the error; nil means success
		wantInput  string   // the input the error is about
		notInErr   string
		// wantWarnings are the client's warnings, in full prefix.
		wantWarnings []string
	}{
		{
			name:       "github.com by default",
			cfg:        githubapi.Config{Token: testToken},
			wantAPI:    "https://api.github.com/",
			wantUpload: "https://uploads.github.com/",
		},
		{
			name:       "GitHub Enterprise Server gets /api/uploads/",
			cfg:        githubapi.Config{Token: testToken, APIURL: "https://ghe.example.com/api/v3"},
			wantAPI:    "https://ghe.example.com/api/v3/",
			wantUpload: "https://ghe.example.com/api/uploads/",
		},
		{
			name:       "GHE.com data residency gets uploads. host",
			cfg:        githubapi.Config{Token: testToken, APIURL: "https://api.acme.ghe.com/"},
			wantAPI:    "https://api.acme.ghe.com/",
			wantUpload: "https://uploads.acme.ghe.com/",
		},
		{
			name:       "other hosts upload to the API URL",
			cfg:        githubapi.Config{Token: testToken, APIURL: "http://127.0.0.1:8080/prefix"},
			wantAPI:    "http://127.0.0.1:8080/prefix/",
			wantUpload: "http://127.0.0.1:8080/prefix/",
		},
		{
			name:       "explicit upload URL wins",
			cfg:        githubapi.Config{Token: testToken, APIURL: "https://ghe.example.com/api/v3/", UploadURL: "https://up.example.com/x"},
			wantAPI:    "https://ghe.example.com/api/v3/",
			wantUpload: "https://up.example.com/x/",
		},
		{
			name:       "surrounding whitespace in the token is dropped",
			cfg:        githubapi.Config{Token: " " + testToken + "\n"},
			wantAPI:    "https://api.github.com/",
			wantUpload: "https://uploads.github.com/",
		},
		{
			name:    "missing token",
			cfg:     githubapi.Config{Token: "  "},
			wantErr: []string{"configure the GitHub client: no GitHub token was given: Pass a token that can write"},
		},
		{
			name:     "token with an inner newline",
			cfg:      githubapi.Config{Token: testToken + "\nsecond-line"},
			wantErr:  []string{"spaces or control characters"},
			notInErr: "second-line",
		},
		{
			name:    "API URL not http(s)",
			cfg:     githubapi.Config{Token: testToken, APIURL: "ftp://example.com/"},
			wantErr: []string{`API URL "ftp://example.com/" is not an absolute http(s) URL`},
		},
		{
			name:    "API URL relative",
			cfg:     githubapi.Config{Token: testToken, APIURL: "api.github.com"},
			wantErr: []string{"is not an absolute http(s) URL"},
		},
		{
			name:     "API URL with credentials is not echoed",
			cfg:      githubapi.Config{Token: testToken, APIURL: "https://x-access-token:s3cr3t@github.example.com/"},
			wantErr:  []string{"carries a user name or password", "pass the token on its own"},
			notInErr: "s3cr3t",
		},
		{
			name:     "upload URL with a query is not echoed",
			cfg:      githubapi.Config{Token: testToken, UploadURL: "https://up.example.com/?access_token=s3cr3t"},
			wantErr:  []string{`upload URL "https://up.example.com/" is not an absolute http(s) URL without query`},
			notInErr: "s3cr3t",
		},
		{
			name:    "unparsable API URL",
			cfg:     githubapi.Config{Token: testToken, APIURL: "http://[::1"},
			wantErr: []string{"the API URL is not a valid URL"},
		},
		{
			name:      "port past 65535",
			cfg:       githubapi.Config{Token: testToken, APIURL: "http://127.0.0.1:99999/"},
			wantErr:   []string{`the API URL "http://127.0.0.1:99999/" has an impossible port: Pass a port from 1 to 65535`},
			wantInput: "api-url",
		},
		{
			name:      "port zero",
			cfg:       githubapi.Config{Token: testToken, UploadURL: "https://up.example.com:0/"},
			wantErr:   []string{`the upload URL "https://up.example.com:0/" has an impossible port`},
			wantInput: "upload-url",
		},
		{
			name:      "port not a number",
			cfg:       githubapi.Config{Token: testToken, APIURL: "https://ghe.example.com:https/api/v3/"},
			wantErr:   []string{"the API URL is not a valid URL"},
			wantInput: "api-url",
		},
		{
			name:      "empty port",
			cfg:       githubapi.Config{Token: testToken, APIURL: "https://ghe.example.com:/api/v3/"},
			wantErr:   []string{`has an impossible port`},
			wantInput: "api-url",
		},
		{
			name:      "no host name",
			cfg:       githubapi.Config{Token: testToken, APIURL: "http://:8080/"},
			wantErr:   []string{`the API URL "http://:8080/" is not an absolute http(s) URL`},
			wantInput: "api-url",
		},
		{
			name:       "plain http to loopback",
			cfg:        githubapi.Config{Token: testToken, APIURL: "http://127.8.9.10:8080/", UploadURL: "http://[::1]:8081/"},
			wantAPI:    "http://127.8.9.10:8080/",
			wantUpload: "http://[::1]:8081/",
		},
		{
			name:       "plain http to localhost",
			cfg:        githubapi.Config{Token: testToken, APIURL: "http://LocalHost:8080/api/v3/"},
			wantAPI:    "http://LocalHost:8080/api/v3/",
			wantUpload: "http://LocalHost:8080/api/uploads/",
		},
		{
			name:      "plain http to another machine",
			cfg:       githubapi.Config{Token: testToken, APIURL: "http://ghe.example.com/api/v3/"},
			wantErr:   []string{`API URL "http://ghe.example.com/api/v3/" is plain http to another machine, so the token would cross the network unencrypted: Pass an https:// URL`},
			wantInput: "api-url",
		},
		{
			name:      "plain http uploads to another machine",
			cfg:       githubapi.Config{Token: testToken, APIURL: "https://ghe.example.com/api/v3/", UploadURL: "http://10.0.0.7/api/uploads/"},
			wantErr:   []string{`upload URL "http://10.0.0.7/api/uploads/" is plain http to another machine`},
			wantInput: "upload-url",
		},
		{
			name:         "plain http allowed deliberately",
			cfg:          githubapi.Config{Token: testToken, APIURL: "http://ghe.example.com/api/v3/", AllowInsecureHTTP: true},
			wantAPI:      "http://ghe.example.com/api/v3/",
			wantUpload:   "http://ghe.example.com/api/uploads/",
			wantWarnings: []string{"the token is sent unencrypted over plain http to ghe.example.com, since insecure HTTP was allowed; use https://"},
		},
		{
			name:       "allowing plain http changes nothing for https",
			cfg:        githubapi.Config{Token: testToken, AllowInsecureHTTP: true},
			wantAPI:    "https://api.github.com/",
			wantUpload: "https://uploads.github.com/",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := githubapi.NewClient(tt.cfg)
			if tt.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.wantAPI, githubapi.APIURLOf(c))
				assert.Equal(t, tt.wantUpload, c.UploadURL())
				assert.Zero(t, c.Requests())
				warnings := c.Warnings()
				require.Len(t, warnings, len(tt.wantWarnings), "warnings: %q", warnings)
				for i, w := range tt.wantWarnings {
					assert.True(t, strings.HasPrefix(warnings[i], w), warnings[i])
				}
				return
			}
			require.Error(t, err)
			ge, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, outcome.InvalidInput, ge.Class)
			if tt.wantInput != "" {
				assert.Equal(t, tt.wantInput, ge.Input)
			}
			assert.Equal(t, 2, ge.Class.ExitCode())
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want)
			}
			assertNoToken(t, err)
			if tt.notInErr != "" {
				assert.NotContains(t, err.Error(), tt.notInErr)
			}
		})
	}
}

func TestDoSendsTokenOnlyToConfiguredHosts(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Empty(t, r.Header.Get("Authorization"), "token sent to a foreign host")
		_, _ = w.Write([]byte(`{}`)) // test server; nothing to do on failure
	}))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		assert.Equal(t, githubapi.UserAgent, r.Header.Get("User-Agent"))
		assert.Equal(t, "GET /repos/octo/hello", r.Method+" "+r.URL.Path)
		_, _ = w.Write([]byte(`{"full_name":"octo/hello"}`))
	}))
	t.Cleanup(api.Close)
	c := newClient(t, api, githubapi.RetryPolicy{})

	err := c.Do(context.Background(), "read repository", testRepo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		if _, resp, err := gh.Repositories.Get(ctx, "octo", "hello"); err != nil {
			return resp, err
		}
		req, err := gh.NewRequest(ctx, http.MethodGet, other.URL+"/elsewhere", nil)
		if err != nil {
			return nil, err
		}
		return gh.Do(req, nil)
	})

	require.NoError(t, err)
	assert.Equal(t, 2, c.Requests())
}

func TestDoCancellation(t *testing.T) {
	t.Parallel()
	unavailable := reply{status: http.StatusServiceUnavailable, body: errBody("Service Unavailable", "")}
	tests := []struct {
		name         string
		replies      []reply
		setup        func(ctx context.Context, cancel context.CancelFunc) githubapi.RetryPolicy
		cancelBefore bool
		wantRequests int
		wantClass    outcome.Class
	}{
		{
			name:         "canceled before the first attempt sends nothing",
			cancelBefore: true,
			wantRequests: 0,
			wantClass:    outcome.Unexpected,
		},
		{
			name:    "canceled while backing off returns the last failure at once",
			replies: []reply{unavailable},
			setup: func(_ context.Context, cancel context.CancelFunc) githubapi.RetryPolicy {
				return githubapi.RetryPolicy{Sleep: func(ctx context.Context, _ time.Duration) error {
					cancel()
					return ctx.Err()
				}}
			},
			wantRequests: 1,
			wantClass:    outcome.ServerError,
		},
		{
			name:    "canceled while waiting out a rate limit",
			replies: []reply{{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "30"}, body: errBody("You have exceeded a secondary rate limit", docsAbuse)}},
			setup: func(_ context.Context, cancel context.CancelFunc) githubapi.RetryPolicy {
				return githubapi.RetryPolicy{Sleep: func(ctx context.Context, _ time.Duration) error {
					cancel()
					return ctx.Err()
				}}
			},
			wantRequests: 1,
			wantClass:    outcome.RateLimited,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, routeCreate, tt.replies...)
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			var policy githubapi.RetryPolicy
			if tt.setup != nil {
				policy = tt.setup(ctx, cancel)
			}
			c := newClient(t, srv, policy)
			if tt.cancelBefore {
				cancel()
			}

			err := c.Do(ctx, "create draft release", testRepo, createRelease)

			require.Error(t, err)
			assert.Equal(t, tt.wantRequests, c.Requests())
			ge, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, tt.wantClass, ge.Class)
			assertNoToken(t, err)
		})
	}
}

func TestDoCanceledMidRequestIsNotRetried(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body so the server watches the connection and cancels
		// r.Context() when the client hangs up.
		_, _ = io.Copy(io.Discard, r.Body)
		close(arrived)
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	var s emulator.Sleeps
	c := newClient(t, srv, githubapi.RetryPolicy{Sleep: s.Sleep})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()

	err := c.Do(ctx, "create draft release", testRepo, createRelease)

	require.ErrorIs(t, err, context.Canceled)
	ge, ok := outcome.As(err)
	require.True(t, ok)
	assert.Equal(t, outcome.Unexpected, ge.Class)
	assert.Equal(t, 1, c.Requests())
	assert.Empty(t, s.Waits(), "no backoff after cancellation")
}

func TestDoDeadlineIsNetworkError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv, githubapi.RetryPolicy{})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	t.Cleanup(cancel)

	err := c.Do(ctx, "create draft release", testRepo, createRelease)

	require.ErrorIs(t, err, context.DeadlineExceeded)
	ge, ok := outcome.As(err)
	require.True(t, ok)
	assert.Equal(t, outcome.NetworkError, ge.Class)
	assert.Equal(t, githubapi.InputTimeout, ge.Input, "the fix is more time")
	assert.Contains(t, err.Error(), "the time limit ran out before GitHub answered: Raise the time limit")
	assert.Equal(t, 1, c.Requests())
}

// TestTokenNeverInErrors runs a hostile server that echoes the Authorization
// header into every place an error can be built from.
func TestTokenNeverInErrors(t *testing.T) {
	t.Parallel()
	echoes := map[string]func(auth string) string{
		"whole header":         func(auth string) string { return auth },
		"token without prefix": func(auth string) string { return strings.TrimPrefix(auth, "Bearer ghs_") },
	}
	for echo, form := range echoes {
		for _, status := range []int{401, 403, 404, 409, 422, 429, 500, 502} {
			t.Run(echo+"/"+http.StatusText(status), func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					auth := form(r.Header.Get("Authorization"))
					w.Header().Set("Content-Type", "application/json")
					w.Header().Set("X-Accepted-GitHub-Permissions", auth)
					w.Header().Set("X-OAuth-Scopes", auth)
					w.Header().Set("X-GitHub-Request-Id", auth)
					w.Header().Set("X-GitHub-SSO", "required; url=https://github.com/orgs/o/sso?t="+strings.TrimPrefix(auth, "Bearer "))
					w.WriteHeader(status)
					_, _ = w.Write([]byte(`{"message":"echo ` + auth + ` Resource not accessible by integration","errors":[{"resource":"Release","code":"already_exists","field":"` + auth + `","message":"` + auth + `"}]}`))
				}))
				t.Cleanup(srv.Close)
				c := newClient(t, srv, githubapi.RetryPolicy{MaxAttempts: 1, Sleep: (&emulator.Sleeps{}).Sleep})

				err := c.Do(context.Background(), "create draft release", testRepo, createRelease)

				require.Error(t, err)
				assertNoToken(t, err)
				assert.Contains(t, err.Error(), "[REDACTED]")
			})
		}
	}
}

func TestIsAlreadyExists(t *testing.T) {
	t.Parallel()
	resp := &http.Response{StatusCode: http.StatusUnprocessableEntity}
	exists := &github.ErrorResponse{Response: resp, Message: "Validation Failed",
		Errors: []github.Error{{Resource: "Release", Code: "already_exists", Field: "tag_name"}}}
	invalid := &github.ErrorResponse{Response: resp, Message: "Validation Failed",
		Errors: []github.Error{{Resource: "Release", Code: "invalid", Field: "tag_name"}}}
	wrapped := fmt.Errorf("create draft release: %w", &outcome.Error{Err: exists})

	assert.True(t, githubapi.IsAlreadyExists(exists, "tag_name"))
	assert.True(t, githubapi.IsAlreadyExists(exists, ""))
	assert.True(t, githubapi.IsAlreadyExists(wrapped, "tag_name"), "seen through *Error")
	assert.False(t, githubapi.IsAlreadyExists(exists, "name"))
	assert.False(t, githubapi.IsAlreadyExists(invalid, ""))
	assert.False(t, githubapi.IsAlreadyExists(errors.New("already_exists"), ""))
	assert.False(t, githubapi.IsAlreadyExists(nil, ""))
}

// Once tries a request once, through the same counter, for clean-up that must stay cheap.
func TestOnce(t *testing.T) {
	t.Parallel()
	srv := newServer(t, "POST /repos/octo/hello/releases",
		reply{status: http.StatusBadGateway, body: `{"message":"Server Error"}`},
		reply{status: http.StatusBadGateway, body: `{"message":"Server Error"}`})
	var s emulator.Sleeps
	c := newClient(t, srv, githubapi.RetryPolicy{Sleep: s.Sleep})
	err := c.Once().Do(context.Background(), "create draft release", testRepo, createRelease)
	require.Error(t, err)
	assert.Equal(t, outcome.ServerError, outcome.ClassOf(err))
	assert.Equal(t, 1, c.Requests(), "one attempt, counted by the client it came from")
	assert.Empty(t, s.Waits())
}
