package publish_test

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/checksums"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/publish"
)

const (
	testToken = "ghs_publishTestTokenDoNotPrint0123"
	repoName  = "acme/widgets"
)

var testRepo = githubapi.Repo{Owner: "acme", Name: "widgets"}

// fixture is an emulator with one repository and a client for it whose retries never really
// sleep, from emulatortest.Setup: the client's traffic is held to GitHub's OpenAPI description
// unless the test says why not (raw).
type fixture struct {
	srv    *emulator.Server
	client *githubapi.Client
	sleeps *emulator.Sleeps
	clock  *emulatortest.Clock
}

type fixtureOpts struct {
	mode        emulator.Mode
	unknownTok  bool // the client's token is not registered: 401
	ghes        bool // GitHub Enterprise Server's paths: /api/v3/ and /api/uploads/
	maxAttempts int
	onSleep     func() // called on every retry wait, e.g. to cancel
	// raw turns the validation of the traffic off, for a test whose faults answer what GitHub's
	// description does not (a listing cut to a few fields, a body cut short); the reason is
	// given where it is set.
	raw bool
}

func newFixture(t *testing.T, o fixtureOpts) *fixture {
	t.Helper()
	opts := []emulatortest.Option{
		emulatortest.WithToken(testToken),
		emulatortest.WithRetry(githubapi.RetryPolicy{MaxAttempts: cmp.Or(o.maxAttempts, 3)}),
	}
	switch {
	case o.unknownTok:
		opts = append(opts, emulatortest.WithMode(emulator.ModeBadCredentials))
	case o.mode != 0:
		opts = append(opts, emulatortest.WithMode(o.mode))
	}
	if o.ghes {
		opts = append(opts, emulatortest.WithPrefixes("/api/v3/", "/api/uploads/"))
	}
	if o.raw {
		opts = append(opts, emulatortest.WithoutConformance())
	}
	env := emulatortest.Setup(t, opts...)
	if o.onSleep != nil {
		env.Sleeps.OnSleep = func(time.Duration) { o.onSleep() }
	}
	return &fixture{srv: env.Server, client: env.Client, sleeps: env.Sleeps, clock: env.Clock}
}

// writeDir writes files (name → content) into a new temporary directory.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

// defaultFiles are three release files of different sizes.
func defaultFiles() map[string]string {
	return map[string]string{
		"widgets_1.0.0_linux_amd64.tar.gz":  strings.Repeat("linux-amd64 ", 300),
		"widgets_1.0.0_darwin_arm64.tar.gz": strings.Repeat("darwin-arm64 ", 200),
		"widgets_1.0.0_windows_amd64.zip":   strings.Repeat("windows ", 100),
	}
}

var digits = regexp.MustCompile(`/[0-9]+(/|$)`)

// calls summarises the request log as "METHOD /path STATUS", without the
// GitHub Enterprise Server prefixes and with numeric IDs replaced by {id}, in
// the order the requests completed.
func calls(srv *emulator.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		path := strings.TrimPrefix(strings.TrimPrefix(r.Path, "/api/v3"), "/api/uploads")
		path = digits.ReplaceAllString(path, "/{id}$1")
		out = append(out, fmt.Sprintf("%s %s %d", r.Method, path, r.Status))
	}
	return out
}

// countCalls counts each distinct summary of calls(srv).
func countCalls(srv *emulator.Server) map[string]int {
	counts := map[string]int{}
	for _, c := range calls(srv) {
		counts[c]++
	}
	return counts
}

// assetNames returns the sorted asset names of a release snapshot.
func assetNames(r emulator.Release) []string {
	var names []string
	for _, a := range r.Assets {
		names = append(names, a.Name)
	}
	sort.Strings(names)
	return names
}

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// requireNoToken fails when the token leaked into s.
func requireNoToken(t *testing.T, s string) {
	t.Helper()
	require.NotContains(t, s, testToken, "the token leaked")
}

// lockedBuffer is a goroutine-safe progress writer that can run a hook on
// every line.
type lockedBuffer struct {
	mu     sync.Mutex
	b      strings.Builder
	onLine func(line string)
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.onLine != nil {
		l.onLine(string(p))
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// fixedNow is a clock that never moves, so progress durations read "0s".
func fixedNow() time.Time { return time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) }

// The emulator keeps every upload in memory. The memory test and the
// benchmark measure the uploader's allocations only, so they run the
// emulator in a child process: this test binary started with
// emulatorProcessEnv=1 serves until its stdin closes.
const emulatorProcessEnv = "PUBLISH_TEST_EMULATOR_PROCESS"

func TestMain(m *testing.M) {
	if os.Getenv(emulatorProcessEnv) == "1" {
		serveEmulator()
		return
	}
	os.Exit(m.Run())
}

func serveEmulator() {
	srv := emulator.NewServer(emulator.Options{})
	defer srv.Close()
	srv.AddRepo(repoName)
	srv.AddToken(testToken, emulator.ModeWrite)
	fmt.Println(srv.APIURL(), srv.UploadURL())
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// emulatorProcess starts the emulator in a child process and returns a
// client for it.
func emulatorProcess(tb testing.TB) *githubapi.Client {
	tb.Helper()
	exe, err := os.Executable()
	require.NoError(tb, err)
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), emulatorProcessEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(tb, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(tb, err)
	require.NoError(tb, cmd.Start())
	tb.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(tb, err)
	urls := strings.Fields(line)
	require.Len(tb, urls, 2, "emulator process printed %q", line)
	client, err := githubapi.NewClient(githubapi.Config{Token: testToken, APIURL: urls[0], UploadURL: urls[1]})
	require.NoError(tb, err)
	return client
}

// run prepares opts and publishes them, as the release package does.
func run(ctx context.Context, c *githubapi.Client, opts publish.Options) (publish.Result, error) {
	prep, err := publish.Prepare(opts)
	if err != nil {
		return publish.Result{}, err
	}
	return publish.Publish(ctx, c, prep)
}

// writeSums writes dir/SHA256SUMS over the files in dir, as sha256sum would.
func writeSums(t *testing.T, dir string) {
	t.Helper()
	sums, _, err := checksums.Verify(dir)
	require.NoError(t, err)
	var arts []build.Artifact
	for name, sum := range sums {
		arts = append(arts, build.Artifact{Name: name, SHA256: sum})
	}
	_, err = build.WriteChecksums(dir, arts)
	require.NoError(t, err)
}
