package githubapi

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSSO(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in           string
		wantRequired bool
		wantURL      string
	}{
		{"required; url=https://github.com/orgs/o/sso?authorization_request=AZSC", true, "https://github.com/orgs/o/sso?authorization_request=AZSC"},
		{"Required;URL=https://github.com/orgs/o/sso", true, "https://github.com/orgs/o/sso"},
		{"required", true, ""},
		{"required; url=javascript:alert(1)", true, ""},
		{"required; url=/relative", true, ""},
		{"required; url=https://github.com/a b", true, ""},
		{"partial-results; organizations=21955855,20582480", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			required, u := parseSSO(tt.in)
			assert.Equal(t, tt.wantRequired, required)
			assert.Equal(t, tt.wantURL, u)
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"60", time.Minute, true},
		{" 0 ", 0, true},
		{"Sun, 01 Jun 2025 12:00:30 GMT", 30 * time.Second, true},
		{"Sun, 01 Jun 2025 11:00:00 GMT", 0, true},
		{"99999999999999999999", 0, false},
		{"9999999999", maxHeaderWait, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, ok := parseRetryAfter(tt.in, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseRateReset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   time.Time
		wantOK bool
	}{
		{"1748779200", time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), true},
		{"0", time.Time{}, false},
		{"-1", time.Time{}, false},
		{"1e9", time.Time{}, false},
		{"", time.Time{}, false},
		{"9999999999999", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, ok := parseRateReset(tt.in)
			assert.Equal(t, tt.wantOK, ok)
			assert.True(t, tt.want.Equal(got), "got %v", got)
		})
	}
}

func FuzzParseSSO(f *testing.F) {
	for _, s := range []string{"required; url=https://github.com/orgs/o/sso?x=1", "partial-results; organizations=1,2", "required;url=", ";;", "required; url=http://[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		required, u := parseSSO(v)
		if u == "" {
			return
		}
		require.True(t, required, "a URL only comes with required")
		parsed, err := url.Parse(u)
		require.NoError(t, err)
		require.Contains(t, []string{"http", "https"}, parsed.Scheme)
		require.NotEmpty(t, parsed.Host)
		for _, r := range u {
			require.False(t, r < 0x21 || r == 0x7f, "no spaces or control characters in %q", u)
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "60", "Sun, 01 Jun 2025 12:00:30 GMT", "Monday, 02-Jan-06 15:04:05 MST", "18446744073709551615", "x"} {
		f.Add(s, int64(1748779200))
	}
	f.Fuzz(func(t *testing.T, v string, nowUnix int64) {
		now := time.Unix(nowUnix%(1<<40), 0)
		d, ok := parseRetryAfter(v, now)
		if !ok {
			require.Zero(t, d)
			return
		}
		require.GreaterOrEqual(t, d, time.Duration(0))
		require.LessOrEqual(t, d, maxHeaderWait)
		if secs, err := strconv.ParseUint(v, 10, 64); err == nil && secs < 3600 {
			require.Equal(t, time.Duration(secs)*time.Second, d)
		}
	})
}

func FuzzParseRateReset(f *testing.F) {
	for _, s := range []string{"1748779200", "0", "-1", " 42 ", "3000000000000", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		at, ok := parseRateReset(v)
		if !ok {
			require.True(t, at.IsZero())
			return
		}
		require.True(t, at.After(time.Unix(0, 0)))
		// The wait derived from it must not overflow into the past.
		require.GreaterOrEqual(t, clampWait(at.Sub(time.Unix(0, 0))), time.Duration(0))
	})
}
