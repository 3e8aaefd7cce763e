package githubapi_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// A host whose certificate this machine does not accept fails at once as
// untrusted-certificate, saying which problem it is and what to change: a retry would meet the
// same certificate, so none is made, and no HTTP request reaches the server.
func TestUntrustedCertificate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// start starts the server and returns its API URL and the client to reach it with (nil:
		// the production client, which trusts the system's authorities only).
		start   func(t *testing.T, h http.Handler) (apiURL string, client *http.Client)
		message string
		fix     string
		input   string
	}{
		{
			name: "signed by an unknown authority",
			start: func(t *testing.T, h http.Handler) (string, *http.Client) {
				srv := httptest.NewTLSServer(h)
				t.Cleanup(srv.Close)
				return srv.URL + "/", nil
			},
			message: "is signed by an authority this machine does not trust",
			fix:     "Add the certificate of the authority (CA) that signed it",
			input:   githubapi.InputCertificates,
		},
		{
			name: "issued for another host name",
			start: func(t *testing.T, h http.Handler) (string, *http.Client) {
				srv := httptest.NewTLSServer(h)
				t.Cleanup(srv.Close)
				_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
				require.NoError(t, err)
				// The test certificate names 127.0.0.1 and example.com, not localhost.
				return "https://localhost:" + port + "/", srv.Client()
			},
			message: "is not issued for that name",
			fix:     "Pass the API URL with the host name its certificate is issued for",
			input:   "api-url",
		},
		{
			name: "expired",
			start: func(t *testing.T, h http.Handler) (string, *http.Client) {
				return expiredServer(t, h)
			},
			message: "is not usable: x509: certificate has expired or is not yet valid",
			fix:     "renewed or fixed by its administrator",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var reached atomic.Int64
			apiURL, hc := tt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reached.Add(1)
				http.Error(w, "no request should get through", http.StatusTeapot)
			}))
			var slept atomic.Int64
			c, err := githubapi.NewClient(githubapi.Config{Token: testToken, APIURL: apiURL, HTTPClient: hc,
				Retry: githubapi.RetryPolicy{Sleep: func(context.Context, time.Duration) error {
					slept.Add(1)
					return nil
				}}})
			require.NoError(t, err)

			err = c.Do(t.Context(), "create draft release", testRepo, createRelease)

			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, outcome.UntrustedCertificate, e.Class)
			assert.Equal(t, 1, e.Class.ExitCode(), "not transient: exit 1, not 4")
			assert.Contains(t, e.Message, tt.message)
			assert.True(t, strings.HasPrefix(e.Message, "the certificate of "), e.Message)
			assert.Contains(t, e.Remediation, tt.fix)
			assert.Equal(t, tt.input, e.Input)
			assert.Equal(t, 1, c.Requests(), "not retried")
			assert.Zero(t, slept.Load(), "no backoff")
			assert.Zero(t, reached.Load(), "the handshake failed before any request")
			assertNoToken(t, err)
		})
	}
}

// expiredServer serves h over TLS with a certificate for 127.0.0.1 that expired an hour ago,
// and returns its URL and a client that trusts that certificate (so that only its dates are
// wrong).
func expiredServer(t *testing.T, h http.Handler) (string, *http.Client) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "expired test certificate"},
		NotBefore:             time.Now().Add(-48 * time.Hour),
		NotAfter:              time.Now().Add(-time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return srv.URL + "/", &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
}
