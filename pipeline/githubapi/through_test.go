package githubapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func TestThrough(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, endpoint, api, upload string
		wantAPI, wantUpload         string
	}{
		{"defaults", "http://svc:8080", "", "", "http://svc:8080/", "http://svc:8080/"},
		{"github.com urls keep root paths", "http://10.87.0.3:8080", "https://api.github.com/", "https://uploads.github.com/", "http://10.87.0.3:8080/", "http://10.87.0.3:8080/"},
		{"ghes upload derived", "http://ghe:80", "https://ghe.example.com/api/v3", "", "http://ghe:80/api/v3/", "http://ghe:80/api/uploads/"},
		{"explicit upload path kept", "http://svc:8080", "https://h/api/v3/", "https://h/custom/up", "http://svc:8080/api/v3/", "http://svc:8080/custom/up/"},
		{"query and fragment dropped", "http://svc:8080", "https://h/x/?a=1#f", "", "http://svc:8080/x/", "http://svc:8080/x/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api, upload, err := Through(tt.endpoint, tt.api, tt.upload)
			require.NoError(t, err)
			assert.Equal(t, tt.wantAPI, api)
			assert.Equal(t, tt.wantUpload, upload)
		})
	}
}

func TestThroughRejects(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, endpoint, api string }{
		{"no scheme", "svc:8080", ""},
		{"tcp scheme", "tcp://svc:8080", ""},
		{"no host", "http://", ""},
		{"bad api url", "http://svc:8080", "http://[::1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := Through(tt.endpoint, tt.api, "")
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, outcome.InvalidInput, e.Class)
		})
	}
}
