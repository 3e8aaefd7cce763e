package githubapi_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

func TestParseTokenExpiration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{in: "2023-01-31 23:00:00 UTC", want: time.Date(2023, 1, 31, 23, 0, 0, 0, time.UTC), ok: true},
		{in: "2023-04-26 23:23:18 +0200", want: time.Date(2023, 4, 26, 21, 23, 18, 0, time.UTC), ok: true},
		{in: " 2023-01-31 23:00:00 UTC ", want: time.Date(2023, 1, 31, 23, 0, 0, 0, time.UTC), ok: true},
		{in: "2023-01-31 23:00:00 PST"},
		{in: "2023-01-31T23:00:00Z"},
		{in: ""},
		{in: "soon"},
	}
	for _, tc := range tests {
		got, ok := githubapi.ParseTokenExpiration(tc.in)
		assert.Equal(t, tc.ok, ok, "%q", tc.in)
		if tc.ok {
			assert.True(t, tc.want.Equal(got), "%q: %v", tc.in, got)
		}
	}
}

// Whatever GitHub sends, parsing does not panic, and what it accepts prints back as it came
// in either form.
func FuzzParseTokenExpiration(f *testing.F) {
	f.Add("2023-01-31 23:00:00 UTC")
	f.Add("2023-04-26 23:23:18 +0200")
	f.Fuzz(func(t *testing.T, v string) {
		got, ok := githubapi.ParseTokenExpiration(v)
		if !ok {
			return
		}
		back, ok := githubapi.ParseTokenExpiration(got.UTC().Format(time.DateTime) + " UTC")
		if !ok || !back.Equal(got) {
			t.Fatalf("%q parsed as %v, which does not read back (%v)", v, got, back)
		}
	})
}

// Every answer's token headers are kept: the latest core rate limit and expiry, whichever
// request carried them; another resource's limit is not the core one.
func TestObserved(t *testing.T) {
	t.Parallel()
	reset := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)
	rateHeaders := func(remaining, resource string) map[string]string {
		return map[string]string{"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": remaining, "X-RateLimit-Used": "3",
			"X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10), "X-RateLimit-Resource": resource}
	}
	withExpiry := rateHeaders("997", "core")
	withExpiry["GitHub-Authentication-Token-Expiration"] = "2026-12-07 15:00:00 UTC"
	srv := newServer(t, "GET /repos/octo/hello",
		reply{status: 200, body: `{}`, header: withExpiry},
		reply{status: 200, body: `{}`, header: rateHeaders("996", "core")},
		reply{status: 200, body: `{}`, header: rateHeaders("5", "search")},
		reply{status: 200, body: `{}`},
	)
	c := newClient(t, srv, githubapi.RetryPolicy{})
	assert.Equal(t, githubapi.Observed{}, c.Observed(), "before any answer")
	for range 4 {
		_, _, err := c.GetRepository(t.Context(), testRepo)
		require.NoError(t, err)
	}
	got := c.Observed()
	assert.Equal(t, "2026-12-07 15:00:00 UTC", got.TokenExpiry)
	require.NotNil(t, got.Rate)
	assert.Equal(t, 1000, got.Rate.Limit)
	assert.Equal(t, 996, got.Rate.Remaining, "the search limit's headers are not the core limit's")
	assert.True(t, reset.Equal(got.Rate.Reset.Time))
}
