package emulatortest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/conformance"
	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// recorder is a test whose errors are collected instead of failing it.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

func listReleases(ctx context.Context, env *emulatortest.Env) ([]*github.RepositoryRelease, error) {
	rels, _, err := env.Client.ListReleases(ctx, env.Repo)
	return rels, err
}

// raw sends a request with token through env.HTTP and returns the status and body.
func raw(t *testing.T, env *emulatortest.Env, method, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("User-Agent", "emulatortest")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := env.HTTP.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

func TestSetupDefaults(t *testing.T) {
	t.Parallel()
	env := emulatortest.Setup(t)
	ctx := t.Context()

	assert.Equal(t, githubapi.Repo{Owner: "acme", Name: "widgets"}, env.Repo)
	assert.Equal(t, emulatortest.DefaultRepo, env.FullName)
	assert.Equal(t, emulatortest.DefaultToken, env.Token)
	assert.Equal(t, emulatortest.DefaultStart, env.Clock.Now())

	env.Server.SeedRelease(env.FullName, emulator.Release{TagName: "v1.0.0"})
	env.Clock.Advance(time.Hour)
	env.Server.SeedRelease(env.FullName, emulator.Release{TagName: "v1.1.0", Draft: true})
	rels, err := listReleases(ctx, env)
	require.NoError(t, err)
	require.Len(t, rels, 2, "a write token sees the draft")
	assert.Equal(t, "2024-05-06T08:08:09Z", rels[0].CreatedAt.UTC().Format(time.RFC3339), "the server runs on the clock")
	assert.Equal(t, "2024-05-06T07:08:09Z", rels[1].CreatedAt.UTC().Format(time.RFC3339))

	reqs := env.Server.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, emulator.ModeWrite, reqs[0].Mode)
	assert.Equal(t, map[conformance.Exchange]int{{Operation: "repos/list-releases", Status: 200}: 1}, env.Validator.Seen())
}

// The client retries without waiting, on the clock, and records the waits it asked for.
func TestSetupClientRetries(t *testing.T) {
	t.Parallel()
	env := emulatortest.Setup(t)
	env.Server.Inject(emulator.Fault{Endpoint: "list-releases", Status: http.StatusBadGateway, Body: emulator.HTMLErrorBody})
	env.Server.Inject(emulator.Fault{Endpoint: "list-releases", SecondaryRateLimit: true, RetryAfter: 7})
	_, err := listReleases(t.Context(), env)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{0, 7 * time.Second}, env.Sleeps.Waits())
	assert.Len(t, env.Server.Requests(), 3)
}

func TestSetupOptions(t *testing.T) {
	t.Parallel()
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	env := emulatortest.Setup(t,
		emulatortest.WithMode(emulator.ModeClamped),
		emulatortest.WithToken("ghs_another"),
		emulatortest.WithExtraToken("ghp_classic", emulator.ModeClassicRepo),
		emulatortest.WithRepo("octo/hello"),
		emulatortest.WithRepoOptions(emulator.RepoOptions{Visibility: "public"}),
		emulatortest.WithPrefixes("/api/v3/", "/api/uploads/"),
		emulatortest.WithClockStart(start),
	)
	assert.Equal(t, githubapi.Repo{Owner: "octo", Name: "hello"}, env.Repo)
	assert.Equal(t, env.Server.URL()+"/api/v3/", env.Server.APIURL())
	assert.Equal(t, env.Server.URL()+"/api/uploads/", env.Server.UploadURL())
	assert.Equal(t, start, env.Clock.Now())

	env.Server.SeedRelease(env.FullName, emulator.Release{TagName: "v1", Draft: true})
	rels, err := listReleases(t.Context(), env)
	require.NoError(t, err)
	assert.Empty(t, rels, "a clamped token does not see drafts")

	status, body := raw(t, env, http.MethodGet, env.Server.APIURL()+"repos/octo/hello", "ghp_classic", "")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"visibility":"public"`)
	assert.Contains(t, body, `"created_at":"2030-01-02T03:04:05Z"`)
	assert.Equal(t, []emulator.Mode{emulator.ModeClamped, emulator.ModeClassicRepo},
		[]emulator.Mode{env.Server.Requests()[0].Mode, env.Server.Requests()[1].Mode})
}

func TestSetupUnregisteredToken(t *testing.T) {
	t.Parallel()
	env := emulatortest.Setup(t, emulatortest.WithMode(emulator.ModeBadCredentials))
	_, err := listReleases(t.Context(), env)
	assert.Equal(t, outcome.BadCredentials, outcome.ClassOf(err), "%v", err)
}

// Traffic outside GitHub's description is an error of the test unless validation is off;
// with WithResponsesOnly a request the schema refuses is not, its answer still checked.
func TestSetupConformance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		opts              []emulatortest.Option
		method, path      string
		body              string
		wantStatus        int
		wantErrContaining string
	}{
		{name: "a path GitHub does not have", method: http.MethodGet, path: "repos/acme/widgets/pulls",
			wantStatus: 404, wantErrContaining: "no such operation in GitHub's description"},
		{name: "validation off", opts: []emulatortest.Option{emulatortest.WithoutConformance()},
			method: http.MethodGet, path: "repos/acme/widgets/pulls", wantStatus: 404},
		{name: "a body the schema refuses", method: http.MethodPost, path: "repos/acme/widgets/releases",
			body: `{"tag_name":"v1","draft":"yes"}`, wantStatus: 422, wantErrContaining: "request:"},
		{name: "a body the schema refuses, responses only", opts: []emulatortest.Option{emulatortest.WithResponsesOnly()},
			method: http.MethodPost, path: "repos/acme/widgets/releases", body: `{"tag_name":"v1","draft":"yes"}`, wantStatus: 422},
		{name: "a conforming exchange", method: http.MethodGet, path: "repos/acme/widgets/releases", wantStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{TB: t}
			env := emulatortest.Setup(rec, tt.opts...)
			status, body := raw(t, env, tt.method, env.Server.APIURL()+tt.path, env.Token, tt.body)
			assert.Equal(t, tt.wantStatus, status, body)
			errs := rec.errors()
			if tt.wantErrContaining == "" {
				assert.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1)
			assert.Contains(t, errs[0], tt.wantErrContaining)
		})
	}
}
