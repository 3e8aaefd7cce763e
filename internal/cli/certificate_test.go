package cli

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A GitHub Enterprise Server whose certificate the runner does not trust fails at once, not as
// four retried network errors: the class, the exit code and the fix (the variables that add an
// authority) say what it is.
func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the handshake must fail before any request: got %s %s", r.Method, r.URL)
	}))
	t.Cleanup(srv.Close)

	// No tuning of the HTTP client: the production one, which trusts the system's authorities.
	res := run(t, nil, ghEnv(tokWrite), "probe", "--repo", repo, "--api-url", srv.URL+"/api/v3/", "--json")

	assert.Equal(t, 1, res.code)
	obj := decodeOne(t, res.stdout)
	assert.Equal(t, "untrusted-certificate", str(t, obj, "class"))
	assert.Contains(t, str(t, obj, "message"), "is signed by an authority this machine does not trust")
	assert.Contains(t, str(t, obj, "remediation"), "$SSL_CERT_FILE")
	assert.Contains(t, str(t, obj, "remediation"), "$SSL_CERT_DIR")
	assert.EqualValues(t, 1, num(t, obj, "requests"), "one attempt")
	assert.Empty(t, res.sleeps, "no backoff: nothing is retried")
}
