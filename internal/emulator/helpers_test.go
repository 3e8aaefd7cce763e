package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

const (
	owner    = "acme"
	repoName = "widgets"
	fullRepo = owner + "/" + repoName

	tokWrite    = "ghs_writeTOKEN0000000000000000000000"
	tokClamped  = "ghs_clampedTOKEN00000000000000000000"
	tokPAT      = "github_pat_noContentsTOKEN0000000000"
	tokClassic  = "ghp_classicNoRepoTOKEN00000000000000"
	tokSSO      = "ghp_ssoRequiredTOKEN000000000000000"
	tokClassicW = "ghp_classicRepoTOKEN000000000000000"
	tokUnknown  = "ghp_neverRegisteredTOKEN00000000000"
)

var allTokens = []string{tokWrite, tokClamped, tokPAT, tokClassic, tokSSO, tokClassicW, tokUnknown}

// server is an emulator set up by emulatortest with acme/widgets and one token per mode
// (tokUnknown is never registered). Client is its validated HTTP client, so that every request
// a test sends through it, and every answer, is checked against GitHub's OpenAPI description.
type server struct {
	*emulator.Server
	env   *emulatortest.Env
	clock *emulatortest.Clock
}

// newServer starts a server; opts come after the defaults, e.g. WithPrefixes, or
// WithResponsesOnly for a test that sends what GitHub's schema refuses.
func newServer(t *testing.T, opts ...emulatortest.Option) *server {
	t.Helper()
	env := emulatortest.Setup(t, append([]emulatortest.Option{
		emulatortest.WithRepo(fullRepo),
		emulatortest.WithToken(tokWrite),
		emulatortest.WithMode(emulator.ModeWrite),
		emulatortest.WithExtraToken(tokClamped, emulator.ModeClamped),
		emulatortest.WithExtraToken(tokPAT, emulator.ModePATNoContents),
		emulatortest.WithExtraToken(tokClassic, emulator.ModeClassicNoRepo),
		emulatortest.WithExtraToken(tokSSO, emulator.ModeSSORequired),
		emulatortest.WithExtraToken(tokClassicW, emulator.ModeClassicRepo),
	}, opts...)...)
	return &server{Server: env.Server, env: env, clock: env.Clock}
}

// Client is the server's HTTP client, validated unless the server was set up without.
func (s *server) Client() *http.Client { return s.env.HTTP }

// unchecked returns s with a client whose traffic is not validated, for a request that leaves
// GitHub's description on purpose.
func (s *server) unchecked() *server {
	env := *s.env
	env.HTTP = s.Server.Client()
	return &server{Server: s.Server, env: &env, clock: s.clock}
}

// newClient returns a go-github client for s. Its URLs are set as they are: WithEnterpriseURLs
// would append /api/v3/.
func newClient(t *testing.T, s *server, token string) *github.Client {
	t.Helper()
	api, upload := s.APIURL(), s.UploadURL()
	opts := []github.ClientOptionsFunc{github.WithHTTPClient(s.Client()), github.WithURLs(&api, &upload)}
	if token != "" {
		opts = append(opts, github.WithAuthToken(token))
	}
	c, err := github.NewClient(opts...)
	require.NoError(t, err)
	return c
}

// tempFile writes content to a file named name and opens it for upload.
func tempFile(t *testing.T, name string, content []byte) *os.File {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, content, 0o600))
	f, err := os.Open(p)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// errorResponse asserts err is a GitHub error answer and returns it.
func errorResponse(t *testing.T, err error) *github.ErrorResponse {
	t.Helper()
	var er *github.ErrorResponse
	require.ErrorAs(t, err, &er)
	return er
}

// errorBody decodes the raw JSON error body of resp, which go-github keeps
// readable after CheckResponse.
func errorBody(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m), "body: %s", data)
	return m
}

// rawDo sends a request without go-github; a body is JSON unless header says otherwise.
func rawDo(t *testing.T, s *server, method, u string, header http.Header, body []byte) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, u, rd)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, data
}

func bearer(tok string) http.Header {
	return http.Header{"Authorization": {"Bearer " + tok}}
}

// createDraft creates a draft release with tag through go-github.
func createDraft(t *testing.T, gh *github.Client, tag string) *github.RepositoryRelease {
	t.Helper()
	rel, _, err := gh.Repositories.CreateRelease(context.Background(), owner, repoName, github.CreateReleaseRequest{
		TagName: tag, Name: new("probe"), Draft: new(true),
	})
	require.NoError(t, err)
	return rel
}

// requireGitHubHeaders checks the headers GitHub puts on every answer.
func requireGitHubHeaders(t *testing.T, h http.Header) {
	t.Helper()
	require.NotEmpty(t, h.Get("X-GitHub-Request-Id"))
	for _, k := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset"} {
		require.NotEmpty(t, h.Get(k), k)
	}
	require.Equal(t, "core", h.Get("X-RateLimit-Resource"))
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
