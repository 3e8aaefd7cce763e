package publish_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/internal/testkit"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/progress"
	"github.com/release-preflight/release-preflight/pipeline/publish"
)

// An upload in flight is reported every interval with the bytes sent so far, so that a large
// upload is never silent for more than 10 s.
func TestUploadsReportTheirBytes(t *testing.T) {
	t.Parallel()
	env := emulatortest.Setup(t, emulatortest.WithRepo(repoName), emulatortest.WithToken(testToken))
	// The upload's body is read whole, then held until the test has seen the report.
	sent, release := make(chan struct{}), make(chan struct{})
	hc := *env.HTTP
	next := hc.Transport
	hc.Transport = roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost && r.URL.Query().Get("name") == "big.tar.gz" {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				return nil, err
			}
			close(sent)
			<-release
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		return next.RoundTrip(r)
	})
	cfg := env.GitHub(testToken)
	cfg.HTTPClient = &hc
	client, err := githubapi.NewClient(cfg)
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.tar.gz"), make([]byte, 3<<20), 0o644))
	clk := testkit.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	tk := testkit.NewTicker()
	lines := make(testkit.Lines, 64)
	prep, err := publish.Prepare(publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir, Draft: true,
		Progress: progress.New(lines, progress.Options{Now: clk.Now, Tick: tk.Tick})})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := publish.Publish(t.Context(), client, prep)
		done <- err
	}()

	testkit.Recv(t, sent, "upload of big.tar.gz")
	clk.Advance(30 * time.Second)
	tk.Fire(t, clk.Now())
	got := testkit.Recv(t, lines, "report of the upload in flight")
	close(release)
	require.NoError(t, testkit.Recv(t, done, "end of the publish"))
	assert.Equal(t, "still uploading big.tar.gz: 3.0 MiB of 3.0 MiB (30s)\n", got)
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
