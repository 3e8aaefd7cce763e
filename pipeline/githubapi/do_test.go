package githubapi_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

const (
	routeCreate = "POST /repos/octo/hello/releases"
	docsCreate  = "https://docs.github.com/rest/releases/releases#create-a-release"
	docsAbuse   = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)

func errBody(msg, docs string) string {
	return `{"message":"` + msg + `","documentation_url":"` + docs + `"}`
}

func TestDoClassifiesAndRetries(t *testing.T) {
	t.Parallel()
	// The clock is real time (frozen) so that rate-limit resets are in the
	// real future: a go-github client reused across attempts would then
	// refuse the retry locally and the request counts below would be off.
	now := time.Now().Truncate(time.Second)
	epoch := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	created := reply{status: http.StatusCreated, body: releaseJSON(1, "v1.0.0")}
	primary := func(resetIn time.Duration, status int) reply {
		return reply{status: status, header: map[string]string{
			"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": epoch(resetIn),
		}, body: errBody("API rate limit exceeded for installation ID 42.", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api")}
	}
	secondary := func(retryAfter string, status int) reply {
		h := map[string]string{"X-RateLimit-Remaining": "990", "X-RateLimit-Reset": epoch(time.Hour)}
		if retryAfter != "" {
			h["Retry-After"] = retryAfter
		}
		return reply{status: status, header: h, body: errBody("You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", docsAbuse)}
	}
	status := func(code int) reply {
		return reply{status: code, header: map[string]string{"X-GitHub-Request-Id": "ABCD:1234"}, body: errBody(http.StatusText(code), docsCreate)}
	}
	dropped := reply{drop: true}

	tests := []struct {
		name            string
		replies         []reply
		maxWait         time.Duration
		wantClass       outcome.Class
		wantStatus      int
		wantSleeps      []time.Duration // exact waits
		wantJitter      int             // number of backoff waits: each is its ceiling, BaseDelay·2^n, less 1ns
		wantInError     []string
		wantRemediation []string
		wantPerms       string
		wantScopes      string
		wantSSOURL      string
		wantRetryAt     time.Time
	}{
		{
			name:      "ok on first attempt",
			replies:   []reply{created},
			wantClass: outcome.OK,
		},
		{
			name: "clamped GITHUB_TOKEN",
			replies: []reply{{status: http.StatusForbidden, header: map[string]string{
				"X-Accepted-GitHub-Permissions": "contents=write",
			}, body: errBody("Resource not accessible by integration", docsCreate)}},
			wantClass:  outcome.Clamped,
			wantStatus: http.StatusForbidden,
			wantInError: []string{
				"create draft release in octo/hello: 403 Resource not accessible by integration (token needs contents=write): ",
				"Settings → Actions → General → Workflow permissions", `"Read and write permissions"`,
			},
			wantRemediation: []string{
				"Organization Settings → Actions → General → Workflow permissions", "read-only",
				"`permissions: contents: write`",
			},
			wantPerms: "contents=write",
		},
		{
			name: "clamped on the request that spent the last of the rate limit",
			replies: []reply{{status: http.StatusForbidden, header: map[string]string{
				"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": epoch(time.Hour),
			}, body: errBody("Resource not accessible by integration", docsCreate)}},
			wantClass:   outcome.Clamped,
			wantStatus:  http.StatusForbidden,
			wantInError: []string{"Settings → Actions → General → Workflow permissions"},
		},
		{
			name: "no admin rights on the request that spent the last of the rate limit",
			replies: []reply{{status: http.StatusForbidden, header: map[string]string{
				"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": epoch(time.Hour),
			}, body: errBody("Must have admin rights to Repository.", docsCreate)}},
			wantClass:  outcome.NoAccess,
			wantStatus: http.StatusForbidden,
		},
		{
			name: "fine-grained PAT without contents write",
			replies: []reply{{status: http.StatusForbidden, header: map[string]string{
				"X-Accepted-GitHub-Permissions": "contents=write",
			}, body: errBody("Resource not accessible by personal access token", docsCreate)}},
			wantClass:       outcome.PATPermission,
			wantStatus:      http.StatusForbidden,
			wantInError:     []string{"(token needs contents=write)", `Contents to "Read and write"`},
			wantRemediation: []string{"Fine-grained tokens", "octo/hello", "resource owner is octo"},
			wantPerms:       "contents=write",
		},
		{
			name: "SAML SSO not authorized",
			replies: []reply{{status: http.StatusForbidden, header: map[string]string{
				"X-GitHub-SSO": "required; url=https://github.com/orgs/octo/sso?authorization_request=AZSCKtL4",
			}, body: errBody("Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.", "https://docs.github.com")}},
			wantClass:   outcome.SSORequired,
			wantStatus:  http.StatusForbidden,
			wantInError: []string{"Authorize the token for the organization's SAML single sign-on at https://github.com/orgs/octo/sso?authorization_request=AZSCKtL4"},
			wantSSOURL:  "https://github.com/orgs/octo/sso?authorization_request=AZSCKtL4",
		},
		{
			name:        "bad credentials",
			replies:     []reply{{status: http.StatusUnauthorized, body: errBody("Bad credentials", "https://docs.github.com/rest")}},
			wantClass:   outcome.BadCredentials,
			wantStatus:  http.StatusUnauthorized,
			wantInError: []string{"401 Bad credentials: Replace the token"},
		},
		{
			name: "classic token without repo scope sees 404",
			replies: []reply{{status: http.StatusNotFound, header: map[string]string{
				"X-OAuth-Scopes": "read:org", "X-Accepted-OAuth-Scopes": "repo",
			}, body: errBody("Not Found", docsCreate)}},
			wantClass:       outcome.NoAccess,
			wantStatus:      http.StatusNotFound,
			wantInError:     []string{"404 Not Found: Give the personal access token (classic) the repo scope"},
			wantRemediation: []string{`"read:org"`},
			wantScopes:      "read:org",
		},
		{
			name:            "repository invisible to a fine-grained token",
			replies:         []reply{{status: http.StatusNotFound, body: errBody("Not Found", docsCreate)}},
			wantClass:       outcome.NoAccess,
			wantStatus:      http.StatusNotFound,
			wantInError:     []string{"Check that octo/hello exists"},
			wantRemediation: []string{"Repository access", "GITHUB_TOKEN reaches only the repository"},
		},
		{
			name:        "other 403 is no-access",
			replies:     []reply{{status: http.StatusForbidden, body: errBody("Must have admin rights to Repository.", docsCreate)}},
			wantClass:   outcome.NoAccess,
			wantStatus:  http.StatusForbidden,
			wantInError: []string{"Must have admin rights", "Give the token write access to the contents of octo/hello"},
		},
		{
			name:       "primary rate limit under the bound is waited out",
			replies:    []reply{primary(30*time.Second, http.StatusForbidden), created},
			wantClass:  outcome.OK,
			wantSleeps: []time.Duration{30 * time.Second},
		},
		{
			name:        "primary rate limit over the bound fails fast",
			replies:     []reply{primary(2*time.Hour, http.StatusForbidden)},
			wantClass:   outcome.RateLimited,
			wantStatus:  http.StatusForbidden,
			wantInError: []string{"API rate limit exceeded", "Wait until " + now.Add(2*time.Hour).UTC().Format("2006-01-02 15:04:05 UTC") + " (2h0m0s from now)"},
			wantRetryAt: now.Add(2 * time.Hour),
		},
		{
			name:       "primary rate limit as 429 is waited out",
			replies:    []reply{primary(10*time.Second, http.StatusTooManyRequests), created},
			wantClass:  outcome.OK,
			wantSleeps: []time.Duration{10 * time.Second},
		},
		{
			name:        "primary rate limit as 429 over the bound fails fast",
			replies:     []reply{primary(3*time.Hour, http.StatusTooManyRequests)},
			wantClass:   outcome.RateLimited,
			wantStatus:  http.StatusTooManyRequests,
			wantRetryAt: now.Add(3 * time.Hour),
		},
		{
			name:       "secondary rate limit honours Retry-After",
			replies:    []reply{secondary("10", http.StatusForbidden), created},
			wantClass:  outcome.OK,
			wantSleeps: []time.Duration{10 * time.Second},
		},
		{
			name:            "secondary rate limit over the bound fails fast",
			replies:         []reply{secondary("120", http.StatusForbidden)},
			wantClass:       outcome.RateLimited,
			wantStatus:      http.StatusForbidden,
			wantInError:     []string{"secondary rate limit", "(2m0s from now)"},
			wantRemediation: []string{"fewer jobs"},
			wantRetryAt:     now.Add(2 * time.Minute),
		},
		{
			name:        "secondary rate limit without Retry-After fails at once, saying to wait a minute",
			replies:     []reply{secondary("", http.StatusForbidden)},
			wantClass:   outcome.RateLimited,
			wantStatus:  http.StatusForbidden,
			wantInError: []string{"You have exceeded a secondary rate limit", "Wait until " + now.Add(time.Minute).UTC().Format("2006-01-02 15:04:05 UTC") + " (1m0s from now) and re-run"},
			wantRetryAt: now.Add(time.Minute),
		},
		{
			name:        "429 without any hint fails at once",
			replies:     []reply{{status: http.StatusTooManyRequests, body: errBody("Too Many Requests", "")}},
			wantClass:   outcome.RateLimited,
			wantStatus:  http.StatusTooManyRequests,
			wantInError: []string{"429 Too Many Requests: Wait until", "(1m0s from now)"},
			wantRetryAt: now.Add(time.Minute),
		},
		{
			name:       "rate-limit waits of one call add up to at most the bound",
			replies:    []reply{secondary("25", http.StatusForbidden), secondary("25", http.StatusForbidden), secondary("25", http.StatusForbidden)},
			wantClass:  outcome.RateLimited,
			wantStatus: http.StatusForbidden,
			wantSleeps: []time.Duration{25 * time.Second, 25 * time.Second},
		},
		{
			name:       "waits up to the bound exactly are waited out",
			replies:    []reply{primary(30*time.Second, http.StatusForbidden), primary(30*time.Second, http.StatusForbidden), created},
			wantClass:  outcome.OK,
			wantSleeps: []time.Duration{30 * time.Second, 30 * time.Second},
		},
		{
			name:        "a negative bound never waits",
			replies:     []reply{secondary("1", http.StatusForbidden)},
			maxWait:     -1,
			wantClass:   outcome.RateLimited,
			wantStatus:  http.StatusForbidden,
			wantRetryAt: now.Add(time.Second),
		},
		{
			name:       "secondary rate limit as 429 with Retry-After",
			replies:    []reply{secondary("5", http.StatusTooManyRequests), created},
			wantClass:  outcome.OK,
			wantSleeps: []time.Duration{5 * time.Second},
		},
		{
			name:        "secondary rate limit as 429 over a raised bound",
			replies:     []reply{secondary("600", http.StatusTooManyRequests)},
			maxWait:     5 * time.Minute,
			wantClass:   outcome.RateLimited,
			wantStatus:  http.StatusTooManyRequests,
			wantRetryAt: now.Add(10 * time.Minute),
		},
		{
			name:        "secondary rate limit within a raised bound",
			replies:     []reply{secondary("240", http.StatusTooManyRequests), created},
			maxWait:     5 * time.Minute,
			wantClass:   outcome.OK,
			wantSleeps:  []time.Duration{4 * time.Minute},
			wantRetryAt: time.Time{},
		},
		{
			name:       "server error retried",
			replies:    []reply{status(http.StatusBadGateway), created},
			wantClass:  outcome.OK,
			wantJitter: 1,
		},
		{
			name:        "server error exhausted",
			replies:     []reply{status(500), status(502), status(503), status(504)},
			wantClass:   outcome.ServerError,
			wantStatus:  http.StatusGatewayTimeout,
			wantJitter:  3,
			wantInError: []string{"504 Gateway Timeout (after 4 attempts): Re-run later"},
		},
		{
			name:       "network error retried",
			replies:    []reply{dropped, created},
			wantClass:  outcome.OK,
			wantJitter: 1,
		},
		{
			name:        "network error exhausted",
			replies:     []reply{dropped, dropped, dropped, dropped},
			wantClass:   outcome.NetworkError,
			wantJitter:  3,
			wantInError: []string{"create draft release in octo/hello: no response from 127.0.0.1:", "(after 4 attempts)", "Check that the runner can reach 127.0.0.1:"},
		},
		{
			name:        "already exists is a conflict",
			replies:     []reply{{status: http.StatusUnprocessableEntity, body: `{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}],"documentation_url":"` + docsCreate + `"}`}},
			wantClass:   outcome.Conflict,
			wantStatus:  http.StatusUnprocessableEntity,
			wantInError: []string{"422 Validation Failed: Remove the existing release with the same tag_name"},
		},
		{
			name:        "other validation failure is unexpected and not retried",
			replies:     []reply{{status: http.StatusUnprocessableEntity, header: map[string]string{"X-GitHub-Request-Id": "ABCD:1"}, body: `{"message":"Validation Failed","errors":[{"resource":"Release","code":"invalid","field":"target_commitish"}]}`}},
			wantClass:   outcome.Unexpected,
			wantStatus:  http.StatusUnprocessableEntity,
			wantInError: []string{"report it with GitHub request ID ABCD:1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, routeCreate, tt.replies...)
			var s emulator.Sleeps
			c := newClient(t, srv, githubapi.RetryPolicy{
				Sleep:            s.Sleep,
				Now:              func() time.Time { return now },
				MaxRateLimitWait: tt.maxWait,
				Jitter:           func(ceiling time.Duration) time.Duration { return ceiling - 1 },
			})

			err := c.Do(context.Background(), "create draft release", testRepo, createRelease)

			assert.Equal(t, len(tt.replies), c.Requests(), "requests sent")
			if tt.wantJitter > 0 {
				var want []time.Duration
				for i := range tt.wantJitter {
					want = append(want, githubapi.DefaultBaseDelay<<i-1)
				}
				assert.Equal(t, want, s.Waits(), "exponential ceilings, jittered")
			} else {
				assert.Equal(t, tt.wantSleeps, s.Waits(), "waits")
			}
			if tt.wantClass == outcome.OK {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assertNoToken(t, err)
			ge, ok := outcome.As(err)
			require.True(t, ok, "error is a *outcome.Error: %v", err)
			assert.Equal(t, tt.wantClass, ge.Class)
			assert.Equal(t, tt.wantStatus, ge.Status)
			assert.Equal(t, "create draft release", ge.Op)
			assert.Equal(t, "octo/hello", ge.Repo)
			assert.Equal(t, tt.wantPerms, ge.RequiredPermissions)
			assert.Equal(t, tt.wantScopes, ge.OAuthScopes)
			assert.Equal(t, tt.wantSSOURL, ge.SSOURL)
			if !tt.wantRetryAt.IsZero() {
				assert.True(t, tt.wantRetryAt.Equal(ge.RetryAt), "RetryAt %v, want %v", ge.RetryAt, tt.wantRetryAt)
			}
			assert.NotEmpty(t, ge.Remediation)
			msg := err.Error()
			assert.Regexp(t, `^[a-z]`, msg, "errors start lowercase")
			for _, want := range tt.wantInError {
				assert.Contains(t, msg, want)
			}
			for _, want := range tt.wantRemediation {
				assert.Contains(t, ge.Remediation, want)
			}
		})
	}
}

// The default jitter draws uniformly below the ceiling: never the ceiling, never always the same.
func TestDefaultJitter(t *testing.T) {
	t.Parallel()
	var s emulator.Sleeps
	replies := make([]reply, 8)
	for i := range replies {
		replies[i] = reply{status: http.StatusBadGateway, body: `{"message":"Server Error"}`}
	}
	srv := newServer(t, routeCreate, replies...)
	c := newClient(t, srv, githubapi.RetryPolicy{Sleep: s.Sleep, MaxAttempts: 8, BaseDelay: time.Second})
	require.Error(t, c.Do(context.Background(), "create draft release", testRepo, createRelease))
	waits := s.Waits()
	require.Len(t, waits, 7)
	distinct := map[time.Duration]bool{}
	for i, d := range waits {
		ceiling := min(time.Second<<i, githubapi.MaxBackoff)
		assert.GreaterOrEqual(t, d, time.Duration(0))
		assert.Less(t, d, ceiling, "wait %d", i)
		distinct[d] = true
	}
	assert.Greater(t, len(distinct), 1, "the waits are random: %v", waits)
}
