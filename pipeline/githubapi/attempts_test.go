package githubapi_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

// Attempts tells a caller of a write that is not idempotent whether a failed attempt may have
// taken effect: no answer or a 5xx may have; a refusal (a rate limit) did not; a 201 whose
// answer broke did.
func TestAttempts(t *testing.T) {
	t.Parallel()
	created := reply{status: http.StatusCreated, body: `{"id":7,"tag_name":"v1","draft":true}`}
	tests := []struct {
		name                    string
		replies                 []reply
		wantErr                 bool
		wantUncertain, wantLost bool
	}{
		{"first try", []reply{created}, false, false, false},
		{"after a 502", []reply{{status: http.StatusBadGateway, body: `{"message":"Server Error"}`}, created}, false, true, false},
		{"after a dropped connection", []reply{{drop: true}, created}, false, true, false},
		{"after a rate limit", []reply{{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "0"},
			body: `{"message":"secondary rate limit"}`}, created}, false, false, false},
		{"a 201 that does not decode", []reply{{status: http.StatusCreated, body: `{"id":`}}, true, true, true},
		{"a refusal", []reply{{status: http.StatusForbidden, body: `{"message":"Resource not accessible by integration"}`}}, true, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, "POST /repos/octo/hello/releases", tc.replies...)
			c := newClient(t, srv, githubapi.RetryPolicy{Sleep: func(context.Context, time.Duration) error { return nil }})
			var tries githubapi.Attempts
			_, _, err := c.CreateRelease(githubapi.RecordAttempts(t.Context(), &tries), "create draft release", testRepo,
				github.CreateReleaseRequest{TagName: "v1", Draft: new(true)})
			assert.Equal(t, tc.wantErr, err != nil, "%v", err)
			assert.Equal(t, tc.wantUncertain, tries.Uncertain(), "uncertain")
			assert.Equal(t, tc.wantLost, tries.Lost(), "lost")
			assert.Equal(t, len(tc.replies), c.Requests())
		})
	}
}

// An upload opens its content anew for every attempt, and clears what a failed attempt left
// before the next one.
func TestUploadAssetReopensAndClears(t *testing.T) {
	t.Parallel()
	srv := newServer(t, "POST /repos/octo/hello/releases/9/assets",
		reply{status: http.StatusBadGateway, body: `{"message":"Server Error"}`},
		reply{status: http.StatusCreated, body: `{"id":1,"name":"a.txt","state":"uploaded","size":5}`},
	)
	c := newClient(t, srv, githubapi.RetryPolicy{Sleep: func(context.Context, time.Duration) error { return nil }})
	opened, cleared := 0, 0
	a, _, err := c.UploadAsset(t.Context(), testRepo, 9, githubapi.Upload{
		Name: "a.txt", Size: 5,
		Open: func() (io.ReadCloser, error) {
			opened++
			return io.NopCloser(strings.NewReader("hello")), nil
		},
		BeforeRetry: func(context.Context) error { cleared++; return nil },
	})
	require.NoError(t, err)
	assert.Equal(t, "a.txt", a.GetName())
	assert.Equal(t, 2, opened, "opened once per attempt")
	assert.Equal(t, 1, cleared, "cleared before the retry only")
}
