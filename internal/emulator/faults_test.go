package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

func TestStatusFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		fault       emulator.Fault
		wantType    string
		wantMessage string
		wantRetry   string
	}{
		{"502 html", emulator.Fault{Status: 502, Body: emulator.HTMLErrorBody, Times: 2}, "text/html; charset=utf-8", "", ""},
		{"502 json", emulator.Fault{Status: 502, Times: 2}, "application/json; charset=utf-8", "Server Error", ""},
		{"503 retry-after", emulator.Fault{Status: 503, RetryAfter: 7, Times: 2}, "application/json; charset=utf-8", "Server Error", "7"},
		{"500 custom json", emulator.Fault{Status: 500, Body: `{"message":"boom"}`, Times: 2}, "application/json; charset=utf-8", "boom", ""},
		{"404 default body", emulator.Fault{Status: 404, Times: 2}, "application/json; charset=utf-8", "Not Found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.Inject(tt.fault)
			gh := newClient(t, s, tokWrite)
			for range 2 {
				_, resp, err := gh.Repositories.ListReleases(context.Background(), owner, repoName, nil)
				er := errorResponse(t, err)
				assert.Equal(t, tt.fault.Status, resp.StatusCode)
				assert.Equal(t, tt.wantType, resp.Header.Get("Content-Type"))
				assert.Equal(t, tt.wantMessage, er.Message)
				assert.Equal(t, tt.wantRetry, resp.Header.Get("Retry-After"))
				requireGitHubHeaders(t, resp.Header)
			}
			_, _, err := gh.Repositories.ListReleases(context.Background(), owner, repoName, nil)
			require.NoError(t, err, "the fault fired Times times")
			reqs := s.Requests()
			require.Len(t, reqs, 3)
			assert.Equal(t, []string{"status", "status", ""}, []string{reqs[0].Fault, reqs[1].Fault, reqs[2].Fault})
			assert.Equal(t, []int{tt.fault.Status, tt.fault.Status, 200}, []int{reqs[0].Status, reqs[1].Status, reqs[2].Status})
		})
	}
}

func TestDropFault(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Inject(emulator.Fault{Method: http.MethodPost, PathContains: "/releases", Drop: true})
	gh := newClient(t, s, tokWrite)

	_, resp, err := gh.Repositories.CreateRelease(context.Background(), owner, repoName,
		github.CreateReleaseRequest{TagName: "v1", Draft: new(true)})
	require.Error(t, err)
	assert.Nil(t, resp)
	var er *github.ErrorResponse
	assert.False(t, errors.As(err, &er), "a dropped connection is a network error, not a GitHub answer")
	var ue *url.Error
	assert.ErrorAs(t, err, &ue)
	assert.Empty(t, s.Releases(fullRepo), "the request was never handled")

	reqs := s.Requests()
	require.Len(t, reqs, 1)
	assert.NotEmpty(t, reqs[0].RequestID)
	assert.Equal(t, emulator.Request{Method: "POST", Path: "/repos/acme/widgets/releases", Endpoint: "create-a-release", Status: 0, Mode: emulator.ModeWrite, Fault: "drop",
		RequestID: reqs[0].RequestID}, reqs[0])

	_, _, err = gh.Repositories.CreateRelease(context.Background(), owner, repoName,
		github.CreateReleaseRequest{TagName: "v1", Draft: new(true)})
	require.NoError(t, err, "a retry succeeds")
}

func TestDropFaultOnGetWithoutKeepAlive(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Inject(emulator.Fault{Drop: true})
	gh := newClient(t, s, tokWrite)
	// A fresh connection is never resent by net/http, so one call is one firing.
	gh.Client().Transport = &http.Transport{DisableKeepAlives: true}
	_, _, err := gh.Repositories.Get(context.Background(), owner, repoName)
	require.Error(t, err)
	_, _, err = gh.Repositories.Get(context.Background(), owner, repoName)
	require.NoError(t, err)
}

func TestLatencyFault(t *testing.T) {
	t.Parallel()

	t.Run("short latency then served", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		s.Inject(emulator.Fault{Latency: 2 * time.Millisecond})
		_, resp, err := newClient(t, s, tokWrite).Repositories.Get(context.Background(), owner, repoName)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "latency", s.Requests()[0].Fault)
	})

	t.Run("client gives up", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		s.Inject(emulator.Fault{Latency: time.Hour, Status: 502})
		// The whole request goes out, then the client hangs up without reading the answer.
		conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL(), "http://"))
		require.NoError(t, err)
		_, err = fmt.Fprintf(conn, "GET /repos/%s/%s HTTP/1.1\r\nHost: api.github.com\r\nUser-Agent: test\r\nAuthorization: Bearer %s\r\n\r\n", owner, repoName, tokWrite)
		require.NoError(t, err)
		require.NoError(t, conn.Close())
		// The handler must notice and return instead of sitting out the hour.
		require.Eventually(t, func() bool { return len(s.Requests()) == 1 }, 10*time.Second, time.Millisecond)
		assert.Equal(t, 0, s.Requests()[0].Status, "nothing was answered")
	})
}

func TestPrimaryRateLimitFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		token      string
		fault      emulator.Fault
		wantStatus int
		wantWho    string
	}{
		{"installation 403", tokWrite, emulator.Fault{PrimaryRateLimit: true, ResetIn: 90 * time.Second}, 403, "installation ID 4242424."},
		{"installation 429", tokClamped, emulator.Fault{PrimaryRateLimit: true, Status429: true, ResetIn: 90 * time.Second}, 429, "installation ID 4242424."},
		{"personal token", tokClassicW, emulator.Fault{PrimaryRateLimit: true, ResetIn: 90 * time.Second}, 403, "user ID 583231."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			clk := s.clock
			s.Inject(tt.fault)
			_, resp, err := newClient(t, s, tt.token).Repositories.ListReleases(context.Background(), owner, repoName, nil)
			require.Error(t, err)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, "0", resp.Header.Get("X-RateLimit-Remaining"))
			assert.Equal(t, resp.Header.Get("X-RateLimit-Limit"), resp.Header.Get("X-RateLimit-Used"))
			wantReset := clk.Now().Add(90 * time.Second)
			assert.Equal(t, strconv.FormatInt(wantReset.Unix(), 10), resp.Header.Get("X-RateLimit-Reset"))
			assert.Empty(t, resp.Header.Get("Retry-After"))
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			body := errorBody(t, resp.Response)
			assert.Equal(t, "API rate limit exceeded for "+tt.wantWho+" If you reach out to GitHub Support for help, please include the request ID "+
				resp.Header.Get("X-GitHub-Request-Id")+".", body["message"])
			assert.Equal(t, strconv.Itoa(tt.wantStatus), body["status"])

			var rle *github.RateLimitError
			require.ErrorAs(t, err, &rle, "go-github recognises the primary limit, as 403 or 429")
			assert.Equal(t, 0, rle.Rate.Remaining)
			assert.Equal(t, wantReset.Unix(), rle.Rate.Reset.Unix())
		})
	}
}

func TestSecondaryRateLimitFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		fault      emulator.Fault
		wantStatus int
		wantRetry  string
	}{
		{"403 with retry-after", emulator.Fault{SecondaryRateLimit: true, RetryAfter: 30}, 403, "30"},
		{"403 without retry-after", emulator.Fault{SecondaryRateLimit: true}, 403, ""},
		{"429 with retry-after", emulator.Fault{SecondaryRateLimit: true, Status429: true, RetryAfter: 2}, 429, "2"},
		{"429 alone", emulator.Fault{Status429: true, RetryAfter: 5}, 429, "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.Inject(tt.fault)
			_, resp, err := newClient(t, s, tokWrite).Repositories.CreateRelease(context.Background(), owner, repoName,
				github.CreateReleaseRequest{TagName: "v1"})
			require.Error(t, err)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantRetry, resp.Header.Get("Retry-After"))
			assert.NotEqual(t, "0", resp.Header.Get("X-RateLimit-Remaining"), "a secondary limit keeps the primary budget")
			body := errorBody(t, resp.Response)
			assert.Contains(t, body["message"], "You have exceeded a secondary rate limit.")
			assert.Equal(t, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits", body["documentation_url"])
			assert.Empty(t, s.Releases(fullRepo))
			if tt.wantStatus == 403 {
				var abuse *github.AbuseRateLimitError
				require.ErrorAs(t, err, &abuse, "go-github recognises the secondary limit")
				if tt.wantRetry != "" {
					assert.Equal(t, 30*time.Second, abuse.GetRetryAfter())
				}
			}
		})
	}
}

func TestStarterAssetFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		wantStatus int // 0: network error
	}{
		{"dropped", 0, 0},
		{"502 as documented", 502, 502},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			gh := newClient(t, s, tokWrite)
			ctx := context.Background()
			draft := createDraft(t, gh, "v1.0.0")
			s.Inject(emulator.Fault{StarterAsset: true, Status: tt.status})
			upload := func() (*github.ReleaseAsset, *github.Response, error) {
				return gh.Repositories.UploadReleaseAsset(ctx, owner, repoName, draft.GetID(),
					&github.UploadOptions{Name: "app.zip"}, tempFile(t, "app.zip", []byte("zip bytes")))
			}

			_, resp, err := upload()
			require.Error(t, err)
			if tt.wantStatus == 0 {
				assert.Nil(t, resp)
			} else {
				assert.Equal(t, tt.wantStatus, resp.StatusCode)
			}
			assets := s.Releases(fullRepo)[0].Assets
			require.Len(t, assets, 1)
			assert.Equal(t, "starter", assets[0].State)
			assert.Zero(t, assets[0].Size)

			listed, _, err := gh.Repositories.ListReleaseAssets(ctx, owner, repoName, draft.GetID(), nil)
			require.NoError(t, err)
			require.Len(t, listed, 1)
			assert.Equal(t, "starter", listed[0].GetState())

			_, _, err = upload()
			er := errorResponse(t, err)
			assert.Equal(t, []github.Error{{Resource: "ReleaseAsset", Code: "already_exists", Field: "name"}}, er.Errors,
				"the starter asset blocks the name")

			_, err = gh.Repositories.DeleteReleaseAsset(ctx, owner, repoName, listed[0].GetID())
			require.NoError(t, err)
			a, _, err := upload()
			require.NoError(t, err)
			assert.Equal(t, "uploaded", a.GetState())
		})
	}
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Inject(emulator.Fault{Method: "delete", PathContains: "/releases/", Status: 500, Times: -1})
	s.Inject(emulator.Fault{PathContains: "/tags", Status: 502})
	s.Inject(emulator.Fault{PathContains: "/tags", Status: 503})
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()
	rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1"})

	_, resp, err := gh.Repositories.Get(ctx, owner, repoName)
	require.NoError(t, err, "no fault matches")
	assert.Equal(t, 200, resp.StatusCode)

	for range 3 {
		resp, err := gh.Repositories.DeleteRelease(ctx, owner, repoName, rel.ID)
		require.Error(t, err)
		assert.Equal(t, 500, resp.StatusCode, "Times < 0 fires forever, method matched case-insensitively")
	}
	var got []int
	for range 3 {
		_, resp, _ := gh.Repositories.ListTags(ctx, owner, repoName, nil)
		got = append(got, resp.StatusCode)
	}
	assert.Equal(t, []int{502, 503, 200}, got, "faults fire in injection order")
	assert.Len(t, s.Releases(fullRepo), 1)
}

func TestRateLimitAccounting(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()

	_, resp, err := gh.Repositories.Get(ctx, owner, repoName)
	require.NoError(t, err)
	assert.Equal(t, "1000", resp.Header.Get("X-RateLimit-Limit"), "GITHUB_TOKEN budget")
	assert.Equal(t, "1", resp.Header.Get("X-RateLimit-Used"))
	assert.Equal(t, "999", resp.Header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, strconv.FormatInt(clk.Now().Add(time.Hour).Unix(), 10), resp.Header.Get("X-RateLimit-Reset"))

	limits, resp, err := gh.RateLimit.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, 999, limits.GetCore().Remaining, "GET /rate_limit is not charged")
	assert.Equal(t, 1000, limits.GetCore().Limit)
	assert.Equal(t, "1", resp.Header.Get("X-RateLimit-Used"))

	_, resp, err = newClient(t, s, tokClassicW).Repositories.Get(ctx, owner, repoName)
	require.NoError(t, err)
	assert.Equal(t, "5000", resp.Header.Get("X-RateLimit-Limit"), "each token has its own budget")
	assert.Equal(t, "1", resp.Header.Get("X-RateLimit-Used"))
}

func TestPrimaryRateLimitExhaustion(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	u := s.APIURL() + "repos/acme/widgets"
	for i := range 1000 {
		resp, _ := rawDo(t, s, http.MethodGet, u, bearer(tokWrite), nil)
		require.Equal(t, 200, resp.StatusCode, "request %d", i+1)
	}
	resp, body := rawDo(t, s, http.MethodGet, u, bearer(tokWrite), nil)
	assert.Equal(t, 403, resp.StatusCode)
	assert.Equal(t, "0", resp.Header.Get("X-RateLimit-Remaining"))
	assert.Contains(t, string(body), "API rate limit exceeded for installation ID")

	clk.Advance(time.Hour)
	resp, _ = rawDo(t, s, http.MethodGet, u, bearer(tokWrite), nil)
	assert.Equal(t, 200, resp.StatusCode, "the window resets after an hour")
	assert.Equal(t, "999", resp.Header.Get("X-RateLimit-Remaining"))
}
