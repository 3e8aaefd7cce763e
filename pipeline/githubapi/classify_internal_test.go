package githubapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func TestClassifyPassesThroughAndNamesWhatIsNotHTTP(t *testing.T) {
	t.Parallel()
	own := &outcome.Error{Class: outcome.BuildFailed, Op: "build", Message: "compile failed"}
	tests := []struct {
		name      string
		err       error
		wantClass outcome.Class
		wantNil   bool
		wantSame  bool
	}{
		{name: "nil error", err: nil, wantNil: true},
		{name: "an *outcome.Error passes through", err: own, wantSame: true},
		{name: "a wrapped *outcome.Error passes through", err: errors.Join(errors.New("context"), own), wantSame: true},
		{name: "canceled", err: context.Canceled, wantClass: outcome.Unexpected},
		{name: "deadline", err: context.DeadlineExceeded, wantClass: outcome.NetworkError},
		{name: "unknown error", err: errors.New("json: cannot unmarshal"), wantClass: outcome.Unexpected},
		{name: "no trusted authorities at all", err: &url.Error{Op: "Post", URL: "https://ghe.example.com/api/v3/repos/o/r/releases",
			Err: &tls.CertificateVerificationError{Err: x509.SystemRootsError{}}}, wantClass: outcome.UntrustedCertificate},
		{name: "a network error is not a certificate's", err: &url.Error{Op: "Post", URL: "https://ghe.example.com/",
			Err: errors.New("connection reset by peer")}, wantClass: outcome.NetworkError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, _ := classify("op", Repo{Owner: "octo", Name: "hello"}, nil, tt.err, time.Now())
			switch {
			case tt.wantNil:
				assert.Nil(t, got)
			case tt.wantSame:
				assert.Same(t, own, got)
			default:
				require.NotNil(t, got)
				assert.Equal(t, tt.wantClass, got.Class)
				assert.ErrorIs(t, got, tt.err)
				assert.NotEmpty(t, got.Remediation)
			}
		})
	}
}

// A 5xx whose body has no message (GitHub's HTML error page) reads as its status text, and a
// permission header on it does not suggest the token is the problem.
func TestErrorTextOfBodilessServerError(t *testing.T) {
	t.Parallel()
	req, err := http.NewRequest(http.MethodPost, "https://api.github.com/repos/o/r/releases", nil)
	require.NoError(t, err)
	resp := &http.Response{StatusCode: http.StatusBadGateway, Request: req, Header: http.Header{}}
	resp.Header.Set("X-Accepted-GitHub-Permissions", "contents=write")
	e, _ := classify("create draft release", Repo{Owner: "o", Name: "r"},
		&github.Response{Response: resp}, &github.ErrorResponse{Response: resp}, time.Now())
	require.NotNil(t, e)
	assert.Equal(t, outcome.ServerError, e.Class)
	assert.Equal(t, "contents=write", e.RequiredPermissions)
	assert.True(t, strings.HasPrefix(e.Error(), "create draft release in o/r: 502 Bad Gateway: Re-run later"), e.Error())
	assert.NotContains(t, e.Error(), "token needs")
	assert.NotContains(t, e.Error(), "https://api.github.com")
}
