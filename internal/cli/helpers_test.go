package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/internal/sample"
	"github.com/release-preflight/release-preflight/internal/testkit"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

const (
	repo = "octo-org/hello"

	tokWrite   = "ghs_writeTOKENfor0release0preflight0tests"
	tokClamped = "ghs_clampedTOKENfor0release0preflight0tests"
	tokPAT     = "github_pat_noContentsTOKENfor0release0preflight"
	tokSSO     = "ghp_ssoRequiredTOKENfor0release0preflight0"
	tokNoRepo  = "ghp_classicNoRepoTOKENfor0release0preflight"
	tokUnknown = "ghp_neverRegisteredTOKENfor0release0preflight"

	// sourceDateEpoch pins the build date, so builds are reproducible.
	sourceDateEpoch = "1767225600"
	// toggle is the setting a clamped token's message must name.
	toggle = "Settings → Actions → General → Workflow permissions"
)

var allTokens = []string{tokWrite, tokClamped, tokPAT, tokSSO, tokNoRepo, tokUnknown}

// newServer starts an emulator holding repo, with one token per mode (tokUnknown is never
// registered, so GitHub answers 401), through emulatortest: every request a CLI run against it
// sends (see runWith), and every answer, is validated against GitHub's OpenAPI description, and
// a violation fails the test. A test that leaves the description on purpose says so with conf
// (emulatortest.WithResponsesOnly, emulatortest.WithoutConformance), and why. The server's
// clock starts now and stands still, as the CLI's own clock runs on.
func newServer(t testing.TB, opts emulator.Options, conf ...emulatortest.Option) *emulator.Server {
	t.Helper()
	if opts.Now != nil {
		t.Fatal("newServer: the emulator's clock is emulatortest's")
	}
	e := emulatortest.Setup(t, append([]emulatortest.Option{
		emulatortest.WithRepo(repo),
		emulatortest.WithToken(tokWrite), emulatortest.WithMode(emulator.ModeWrite),
		emulatortest.WithExtraToken(tokClamped, emulator.ModeClamped),
		emulatortest.WithExtraToken(tokPAT, emulator.ModePATNoContents),
		emulatortest.WithExtraToken(tokSSO, emulator.ModeSSORequired),
		emulatortest.WithExtraToken(tokNoRepo, emulator.ModeClassicNoRepo),
		emulatortest.WithPrefixes(opts.APIPrefix, opts.UploadPrefix),
		emulatortest.WithClockStart(time.Now()),
	}, conf...)...)
	httpClients.Store(e.Server, e.HTTP)
	return e.Server
}

// httpClients are the clients of the servers newServer started: validated unless the test
// said otherwise.
var httpClients sync.Map // *emulator.Server → *http.Client

// httpClientFor is the client a CLI run against srv uses.
func httpClientFor(srv *emulator.Server) *http.Client {
	if hc, ok := httpClients.Load(srv); ok {
		return hc.(*http.Client)
	}
	return srv.Client()
}

// env is a fake environment for cli.getenv.
type env map[string]string

func (e env) get(name string) string { return e[name] }

// result is what a user sees of one CLI run.
type result struct {
	code           int
	stdout, stderr string
	sleeps         []time.Duration
	builds         []string // the go builds run, "GOOS/GOARCH|package"
}

// run runs the CLI with args against srv (nil: no server) in the environment e, with
// retries that never really sleep.
func run(t testing.TB, srv *emulator.Server, e env, args ...string) result {
	t.Helper()
	return runWith(t, srv, e, nil, args...)
}

// runWith is run with the CLI adjusted by tune first (nil: not at all).
func runWith(t testing.TB, srv *emulator.Server, e env, tune func(*CLI), args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	c := &CLI{Stdout: &stdout, Stderr: &stderr, Getenv: e.get}
	goBin, builds := testkit.FakeGo(t)
	c.goBin = goBin
	s := &emulator.Sleeps{}
	c.retry = githubapi.RetryPolicy{Sleep: s.Sleep}
	if srv != nil {
		c.httpClient = httpClientFor(srv)
	}
	if tune != nil {
		tune(c)
	}
	code := c.Run(t.Context(), args)
	res := result{code: code, stdout: stdout.String(), stderr: stderr.String(), sleeps: s.Waits(), builds: builds()}
	summary := ""
	if path := e.get("GITHUB_STEP_SUMMARY"); path != "" {
		if b, err := os.ReadFile(path); err == nil {
			summary = string(b)
		}
	}
	// Every run is a secret scan: no token, in any of its forms, in anything it printed.
	assertNoSecret(t, res.stdout, res.stderr, summary)
	t.Logf("release-preflight %s → exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, res.stdout, res.stderr)
	return res
}

// secretForms are the ways a token can leak: whole, without its prefix (a server that echoes
// only the random part), and base64-encoded (as in a Basic authorization header).
func secretForms(token string) []string {
	forms := []string{token, base64.StdEncoding.EncodeToString([]byte(token)), base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))}
	for _, p := range []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"} {
		if rest, ok := strings.CutPrefix(token, p); ok {
			forms = append(forms, rest)
		}
	}
	return forms
}

// assertNoSecret fails if a test token appears, in any form, in the output.
func assertNoSecret(t testing.TB, outputs ...string) {
	t.Helper()
	for _, tok := range allTokens {
		for _, form := range secretForms(tok) {
			for _, out := range outputs {
				if strings.Contains(out, form) {
					t.Errorf("a form of a token (%q…) leaked into the output", form[:4])
				}
			}
		}
	}
}

// ghEnv is the environment of a step that passes token in GITHUB_TOKEN.
func ghEnv(token string) env {
	return env{"GITHUB_TOKEN": token}
}

// assertNoToken fails if any token appears in any of the texts.
func assertNoToken(t testing.TB, texts ...string) {
	t.Helper()
	for _, tok := range allTokens {
		for _, s := range texts {
			assert.NotContains(t, s, tok, "a token leaked into the output")
		}
	}
}

// decodeOne decodes stdout as exactly one JSON object and nothing else.
func decodeOne(t testing.TB, stdout string) map[string]json.RawMessage {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	var obj map[string]json.RawMessage
	require.NoError(t, dec.Decode(&obj), "stdout must be one JSON object")
	_, err := dec.Token()
	require.ErrorIs(t, err, io.EOF, "stdout must hold nothing after the JSON object")
	require.True(t, strings.HasSuffix(stdout, "}\n"), "the object ends the output with a newline")
	return obj
}

// str reads a JSON string field.
func str(t testing.TB, obj map[string]json.RawMessage, key string) string {
	t.Helper()
	raw, ok := obj[key]
	require.True(t, ok, "field %q missing", key)
	var s string
	require.NoError(t, json.Unmarshal(raw, &s), "field %q is not a string", key)
	return s
}

// num reads a JSON number field.
func num(t testing.TB, obj map[string]json.RawMessage, key string) int64 {
	t.Helper()
	raw, ok := obj[key]
	require.True(t, ok, "field %q missing", key)
	var n int64
	require.NoError(t, json.Unmarshal(raw, &n), "field %q is not an integer", key)
	return n
}

// fakeGoFor is the fake go command of testkit, as run gives the CLI.
func fakeGoFor(t testing.TB) (string, func() []string) {
	t.Helper()
	return testkit.FakeGo(t)
}

// sha256Hex is the hex SHA-256 of b.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// helloSource is the hello sample in a new directory outside any git repository.
func helloSource(t testing.TB) string {
	t.Helper()
	dir, err := sample.WriteHello(t.TempDir(), build.GoVersion)
	require.NoError(t, err)
	return dir
}

// brokenSource is the hello sample whose build fails loudly (see testkit.FakeGo).
func brokenSource(t testing.TB) string {
	t.Helper()
	dir := helloSource(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "BROKEN"), nil, 0o644))
	return dir
}

// writeFiles is testkit.WriteFiles.
var writeFiles = testkit.WriteFiles

// listDir returns name → content of the regular files in dir.
func listDir(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	files := map[string][]byte{}
	for _, e := range entries {
		require.True(t, e.Type().IsRegular(), "%s: unexpected non-file %s", dir, e.Name())
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		files[e.Name()] = b
	}
	return files
}

// assetContents returns name → content of a release's assets, failing on duplicates or
// unfinished uploads.
func assetContents(t testing.TB, rel emulator.Release) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	for _, a := range rel.Assets {
		_, dup := got[a.Name]
		require.False(t, dup, "release %s has two assets named %s", rel.TagName, a.Name)
		assert.Equal(t, "uploaded", a.State, "asset %s", a.Name)
		assert.EqualValues(t, len(a.Content), a.Size, "asset %s", a.Name)
		got[a.Name] = a.Content
	}
	return got
}

// assertChecksums checks that SHA256SUMS lists every other asset with its sum.
func assertChecksums(t testing.TB, assets map[string][]byte) {
	t.Helper()
	sums, ok := assets["SHA256SUMS"]
	require.True(t, ok, "no SHA256SUMS among %v", keys(assets))
	listed := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(string(sums), "\n"), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		require.True(t, ok, "SHA256SUMS line %q is not in sha256sum format", line)
		listed[name] = sum
	}
	for name, content := range assets {
		if name == "SHA256SUMS" {
			continue
		}
		sum := sha256.Sum256(content)
		assert.Equal(t, hex.EncodeToString(sum[:]), listed[name], "SHA256SUMS entry of %s", name)
	}
	assert.Len(t, listed, len(assets)-1, "SHA256SUMS lists exactly the other assets")
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// requestLines renders the emulator's request log as "METHOD path status".
func requestLines(srv *emulator.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, r.Method+" "+r.Path+" "+strconv.Itoa(r.Status))
	}
	return out
}
