package probe_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// token is distinctive so that a leak into any output is unmistakable.
const token = "ghs_PROBETOKENq8Zr2mustNeverAppear1111"

const repoName = "octo/hello"

var repo = githubapi.Repo{Owner: "octo", Name: "hello"}

// env is one emulator with one repository and one token, from emulatortest.Setup: the
// client's traffic is held to GitHub's OpenAPI description, and the server and the client
// share a clock that stands still.
type env struct {
	srv    *emulator.Server
	client *githubapi.Client
	sleeps *emulator.Sleeps
	clock  *emulatortest.Clock
}

// newEnv starts an emulator holding repoName, with token registered in mode unless register
// is false (then GitHub answers 401).
func newEnv(t *testing.T, mode emulator.Mode, register bool) env {
	t.Helper()
	if !register {
		mode = emulator.ModeBadCredentials
	}
	e := emulatortest.Setup(t, emulatortest.WithRepo(repoName), emulatortest.WithToken(token), emulatortest.WithMode(mode))
	return env{srv: e.Server, client: e.Client, sleeps: e.Sleeps, clock: e.Clock}
}

const runTag = probe.TagPrefix + "run4242-attempt1"

// tagTaken answers the create with GitHub's 422 already_exists on tag_name.
// GitHub keeps several drafts with one tag, so the emulator creates a second
// probe draft where a stale one exists; the fault scripts the answer for the
// probe's handling of a taken tag.
var tagTaken = emulator.Fault{Method: http.MethodPost, PathContains: "/releases", Status: http.StatusUnprocessableEntity,
	Body: `{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}],` +
		`"documentation_url":"https://docs.github.com/rest/releases/releases#create-a-release","status":"422"}`}

func TestRun(t *testing.T) {
	t.Parallel()
	type seeded struct {
		draft bool
	}
	tests := []struct {
		name         string
		mode         emulator.Mode
		unknownToken bool
		faults       []emulator.Fault
		seed         *seeded // a release with the probe tag before the run
		wantClass    outcome.Class
		wantRequests int
		wantLog      []string // "METHOD status" per request, paths elided
		wantSleeps   []time.Duration
		wantInMsg    []string
		wantInRemedy []string
		wantWarnings []string // substrings, one per expected warning
		wantLeft     int      // releases left on the server
	}{
		{
			name:         "write token passes in three requests: create, delete, look for leftovers",
			mode:         emulator.ModeWrite,
			wantClass:    outcome.OK,
			wantRequests: 3,
			wantLog:      []string{"POST 201", "DELETE 204", "GET 200"},
			wantInMsg:    []string{"GitHub write permission confirmed in octo/hello"},
		},
		{
			name:         "classic token with repo scope passes",
			mode:         emulator.ModeClassicRepo,
			wantClass:    outcome.OK,
			wantRequests: 3,
			wantLog:      []string{"POST 201", "DELETE 204", "GET 200"},
		},
		{
			name:         "clamped GITHUB_TOKEN fails in one request naming the setting",
			mode:         emulator.ModeClamped,
			wantClass:    outcome.Clamped,
			wantRequests: 1,
			wantLog:      []string{"POST 403"},
			wantInMsg: []string{
				"create draft release in octo/hello: 403 Resource not accessible by integration (token needs contents=write)",
				`Settings → Actions → General → Workflow permissions and select "Read and write permissions"`,
			},
			wantInRemedy: []string{"Organization Settings → Actions → General → Workflow permissions", "`permissions: contents: write`"},
		},
		{
			name:         "fine-grained token without contents write",
			mode:         emulator.ModePATNoContents,
			wantClass:    outcome.PATPermission,
			wantRequests: 1,
			wantLog:      []string{"POST 403"},
			wantInMsg:    []string{"Resource not accessible by personal access token", `Repository permissions → Contents to "Read and write"`},
		},
		{
			name:         "token not authorized for SAML SSO",
			mode:         emulator.ModeSSORequired,
			wantClass:    outcome.SSORequired,
			wantRequests: 1,
			wantLog:      []string{"POST 403"},
			wantInMsg:    []string{"SAML single sign-on at http"},
		},
		{
			name:         "unknown token",
			unknownToken: true,
			wantClass:    outcome.BadCredentials,
			wantRequests: 1,
			wantLog:      []string{"POST 401"},
			wantInMsg:    []string{"401 Bad credentials: Replace the token"},
		},
		{
			name:         "classic token without repo scope",
			mode:         emulator.ModeClassicNoRepo,
			wantClass:    outcome.NoAccess,
			wantRequests: 1,
			wantLog:      []string{"POST 404"},
			wantInMsg:    []string{"404 Not Found: Give the personal access token (classic) the repo scope"},
		},
		{
			name:         "primary rate limit under the bound is waited out",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "POST", PrimaryRateLimit: true, ResetIn: 30 * time.Second}},
			wantClass:    outcome.OK,
			wantRequests: 4,
			wantLog:      []string{"POST 403", "POST 201", "DELETE 204", "GET 200"},
			wantSleeps:   []time.Duration{30 * time.Second},
		},
		{
			name:         "primary rate limit as 429 under the bound",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "POST", PrimaryRateLimit: true, Status429: true, ResetIn: 20 * time.Second}},
			wantClass:    outcome.OK,
			wantRequests: 4,
			wantLog:      []string{"POST 429", "POST 201", "DELETE 204", "GET 200"},
			wantSleeps:   []time.Duration{20 * time.Second},
		},
		{
			name:         "primary rate limit over the bound fails fast with the reset time",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "POST", PrimaryRateLimit: true, ResetIn: 2 * time.Hour}},
			wantClass:    outcome.RateLimited,
			wantRequests: 1,
			wantLog:      []string{"POST 403"},
			wantInMsg:    []string{"API rate limit exceeded", "(2h0m0s from now), when the rate limit resets, and re-run"},
		},
		{
			name:         "secondary rate limit honours Retry-After",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "POST", SecondaryRateLimit: true, RetryAfter: 10}},
			wantClass:    outcome.OK,
			wantRequests: 4,
			wantLog:      []string{"POST 403", "POST 201", "DELETE 204", "GET 200"},
			wantSleeps:   []time.Duration{10 * time.Second},
		},
		{
			name:         "secondary rate limit as 429 over the bound fails fast",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "POST", Status429: true, RetryAfter: 600}},
			wantClass:    outcome.RateLimited,
			wantRequests: 1,
			wantLog:      []string{"POST 429"},
			wantInMsg:    []string{"secondary rate limit", "(10m0s from now)"},
		},
		{
			name:         "server error retried",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "POST", Status: http.StatusBadGateway, Body: emulator.HTMLErrorBody}},
			wantClass:    outcome.OK,
			wantRequests: 4, // the failed POST may have created a draft: list to make sure
			wantLog:      []string{"POST 502", "POST 201", "DELETE 204", "GET 200"},
		},
		{
			name:         "server error exhausted",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "POST", Status: http.StatusServiceUnavailable, Times: -1}},
			wantClass:    outcome.ServerError,
			wantRequests: 5,
			wantLog:      []string{"POST 503", "POST 503", "POST 503", "POST 503", "GET 200"}, // a 503 may still have created it: look, once
			wantInMsg:    []string{"503 Server Error (after 4 attempts): Re-run later"},
		},
		{
			name:         "dropped connection retried",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "POST", Drop: true}},
			wantClass:    outcome.OK,
			wantRequests: 4,
			wantLog:      []string{"POST 0", "POST 201", "DELETE 204", "GET 200"},
		},
		{
			name:         "dropped connections exhausted",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "POST", Drop: true, Times: -1}},
			wantClass:    outcome.NetworkError,
			wantRequests: 5,
			wantLog:      []string{"POST 0", "POST 0", "POST 0", "POST 0", "GET 200"}, // a lost answer may hide a created draft: look
			wantInMsg:    []string{"no response from 127.0.0.1:", "(after 4 attempts)"},
		},
		{
			name:         "failed delete passes with a warning and the clean-up commands",
			mode:         emulator.ModeWrite,
			faults:       []emulator.Fault{{Method: "DELETE", Status: http.StatusInternalServerError, Times: -1}},
			wantClass:    outcome.OK,
			wantRequests: 6,
			wantLog:      []string{"POST 201", "DELETE 500", "DELETE 500", "DELETE 500", "DELETE 500", "GET 200"},
			wantWarnings: []string{"could not be deleted and is still in octo/hello"},
			wantInMsg:    []string{"write permission confirmed", "not all of it was cleaned up"},
			wantLeft:     1,
		},
		{
			name:         "stale probe draft: already_exists passes and removes it",
			mode:         emulator.ModeWrite,
			seed:         &seeded{draft: true},
			faults:       []emulator.Fault{tagTaken},
			wantClass:    outcome.OK,
			wantRequests: 3,
			wantLog:      []string{"POST 422", "GET 200", "DELETE 204"},
			wantInMsg:    []string{"was taken by an earlier probe, whose draft was removed"},
		},
		{
			name:         "published release on the probe tag passes with a warning",
			mode:         emulator.ModeWrite,
			seed:         &seeded{draft: false},
			faults:       []emulator.Fault{tagTaken},
			wantClass:    outcome.OK,
			wantRequests: 2,
			wantLog:      []string{"POST 422", "GET 200"},
			wantWarnings: []string{"gh release delete " + runTag + " --cleanup-tag --repo octo/hello"},
			wantInMsg:    []string{"was already in use (see the warnings)"},
			wantLeft:     1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tt.mode, !tt.unknownToken)
			var seededID int64
			if tt.seed != nil {
				seededID = e.srv.SeedRelease(repoName, emulator.Release{TagName: runTag, Draft: tt.seed.draft}).ID
			}
			for _, f := range tt.faults {
				e.srv.Inject(f)
			}

			// A clock that has moved 1234 ms after its first reading: the report's elapsed time is its own.
			var reads atomic.Int64
			clock := func() time.Time {
				if reads.Add(1) == 1 {
					return time.Unix(1700000000, 0)
				}
				return time.Unix(1700000000, 0).Add(1234 * time.Millisecond)
			}
			rep, err := probe.Run(context.Background(), e.client, probe.Options{Repo: repo, RunID: "4242", Now: clock})

			// Requests: as counted by the client and as seen by the server.
			assert.Equal(t, tt.wantRequests, rep.Requests, "report.requests")
			assert.Equal(t, tt.wantRequests, e.client.Requests())
			assert.Equal(t, tt.wantLog, requestLog(e.srv))
			if tt.wantSleeps != nil {
				assert.Equal(t, tt.wantSleeps, e.sleeps.Waits())
			}

			// End state: never a tag; no probe release unless expected.
			left := e.srv.Releases(repoName)
			assert.Len(t, left, tt.wantLeft, "releases left: %+v", left)
			if tt.seed == nil || tt.seed.draft {
				assert.Empty(t, e.srv.Tags(repoName), "the probe never creates a tag")
			}

			// The report.
			assert.Equal(t, runTag, rep.ProbeTag)
			assert.Equal(t, "octo/hello", rep.Repo)
			assert.Equal(t, "probe", rep.Command)
			assert.Equal(t, "contents=write", rep.RequiredPermissions)
			assert.Equal(t, string(tt.wantClass), rep.Class)
			assert.Equal(t, int64(1234), rep.ElapsedMS, "measured on the clock given")
			require.NotNil(t, rep.Warnings)
			require.Len(t, rep.Warnings, len(tt.wantWarnings), "warnings: %q", rep.Warnings)
			for i, w := range tt.wantWarnings {
				assert.Contains(t, rep.Warnings[i], w)
			}
			for _, want := range tt.wantInMsg {
				assert.Contains(t, rep.Message, want)
			}
			for _, want := range tt.wantInRemedy {
				assert.Contains(t, rep.Remediation, want)
			}
			assertNoToken(t, rep, err)

			if tt.wantClass == outcome.OK {
				require.NoError(t, err)
				assert.Equal(t, report.OutcomeOK, rep.Outcome)
				assert.Empty(t, rep.Remediation)
				if tt.wantLeft == 1 && tt.seed == nil {
					// The warning names the draft that was left behind.
					assert.Contains(t, rep.Warnings[0], fmt.Sprintf("draft release %d (tag %s)", left[0].ID, runTag))
					assert.Contains(t, rep.Warnings[0], fmt.Sprintf("`gh api -X DELETE repos/octo/hello/releases/%d`", left[0].ID))
					assert.Contains(t, rep.Warnings[0], "release-preflight's sweep and an older-than of 1s")
					assert.True(t, left[0].Draft)
				}
				if tt.seed != nil && !tt.seed.draft {
					assert.Equal(t, seededID, left[0].ID)
				}
				return
			}
			require.Error(t, err)
			ge, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, tt.wantClass, ge.Class)
			assert.Equal(t, report.OutcomeFailed, rep.Outcome)
			assert.Equal(t, err.Error(), rep.Message)
			assert.Equal(t, ge.Remediation, rep.Remediation)
			assert.NotEmpty(t, rep.Remediation)
		})
	}
}

func TestRunRejectsInvalidInputBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    probe.Options
		wantMsg string
	}{
		{name: "empty repository", opts: probe.Options{}, wantMsg: "invalid owner: it is empty"},
		{name: "repository name with a space", opts: probe.Options{Repo: githubapi.Repo{Owner: "octo", Name: "hello world"}}, wantMsg: "invalid repository name"},
		{name: "owner with a slash", opts: probe.Options{Repo: githubapi.Repo{Owner: "oc/to", Name: "hello"}}, wantMsg: "invalid owner"},
		{name: "run id not a number", opts: probe.Options{Repo: repo, RunID: "abc"}, wantMsg: `GITHUB_RUN_ID "abc" is not a positive number`},
		{name: "run attempt not a number", opts: probe.Options{Repo: repo, RunID: "42", RunAttempt: "two"}, wantMsg: `GITHUB_RUN_ATTEMPT "two" is not a positive number`},
		{name: "run attempt zero", opts: probe.Options{Repo: repo, RunID: "42", RunAttempt: "0"}, wantMsg: "GITHUB_RUN_ATTEMPT"},
		{name: "negative run id", opts: probe.Options{Repo: repo, RunID: "-1"}, wantMsg: "GITHUB_RUN_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.ModeWrite, true)

			rep, err := probe.Run(context.Background(), e.client, tt.opts)

			require.Error(t, err)
			ge, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, outcome.InvalidInput, ge.Class)
			assert.Equal(t, 2, ge.Class.ExitCode())
			assert.Contains(t, err.Error(), tt.wantMsg)
			assert.Equal(t, string(outcome.InvalidInput), rep.Class)
			assert.Equal(t, report.OutcomeFailed, rep.Outcome)
			assert.Zero(t, rep.Requests)
			assert.Zero(t, e.client.Requests())
			assert.Empty(t, e.srv.Requests(), "nothing reached the server")
			assert.NotNil(t, rep.Warnings)
			assertNoToken(t, rep, err)
		})
	}
}

func TestRunConcurrentProbesOfOneRunLeaveNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.ModeWrite, true)
	const probes = 4
	var wg sync.WaitGroup
	errs := make([]error, probes)
	reps := make([]report.Report, probes)
	for i := range probes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = probe.Run(context.Background(), e.client, probe.Options{Repo: repo, RunID: "77", RunAttempt: "3"})
		}()
	}
	wg.Wait()

	for i, err := range errs {
		assert.NoError(t, err)
		// A draft removed by another probe first (404 on delete) is no warning.
		assert.Empty(t, reps[i].Warnings)
	}
	assert.Empty(t, e.srv.Releases(repoName))
	assert.Empty(t, e.srv.Tags(repoName))
}

func TestRunLocalTag(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.ModeWrite, true)
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

	rep, err := probe.Run(context.Background(), e.client, probe.Options{
		Repo: repo,
		Now:  func() time.Time { return at },
		Rand: strings.NewReader("\xde\xad\xbe\xef"),
	})

	require.NoError(t, err)
	assert.Equal(t, "preflight-permcheck-local-20250304T050607Z-deadbeef", rep.ProbeTag)
	assert.Equal(t, 3, rep.Requests)
}

func TestReportJSONWarningsIsEmptyArray(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.ModeWrite, true)

	rep, err := probe.Run(context.Background(), e.client, probe.Options{Repo: repo, RunID: "1"})
	require.NoError(t, err)
	out, err := rep.JSON()
	require.NoError(t, err)

	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &fields))
	assert.JSONEq(t, `[]`, string(fields["warnings"]))
	assert.JSONEq(t, `3`, string(fields["requests"]))
	assert.JSONEq(t, `"ok"`, string(fields["outcome"]))
	assert.JSONEq(t, `"`+probe.TagPrefix+`run1-attempt1"`, string(fields["probe_tag"]))
	assert.JSONEq(t, `"contents=write"`, string(fields["required_permissions"]))
	assert.Contains(t, fields, "elapsed_ms")
}

func TestTag(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 12, 31, 23, 59, 58, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name, runID, attempt string
		rnd                  string
		want                 string
		wantErr              string
	}{
		{name: "CI", runID: "9876543210", attempt: "2", want: "preflight-permcheck-run9876543210-attempt2"},
		{name: "CI default attempt", runID: "55", want: "preflight-permcheck-run55-attempt1"},
		{name: "CI leading zeros", runID: "0055", attempt: "01", want: "preflight-permcheck-run55-attempt1"},
		{name: "local uses UTC", rnd: "\x01\x02\x03\x04", want: "preflight-permcheck-local-20251231T225958Z-01020304"},
		{name: "local ignores a stray attempt", attempt: "3", rnd: "\xff\xff\xff\xff", want: "preflight-permcheck-local-20251231T225958Z-ffffffff"},
		{name: "local without randomness", rnd: "\x01", wantErr: "read random bytes"},
		{name: "run id with letters", runID: "12a", wantErr: `GITHUB_RUN_ID "12a" is not a positive number`},
		{name: "run id with sign", runID: "+12", wantErr: "GITHUB_RUN_ID"},
		{name: "run id zero", runID: "0", wantErr: "GITHUB_RUN_ID"},
		{name: "run id too long", runID: "123456789012345678901", wantErr: "GITHUB_RUN_ID"},
		{name: "attempt with space", runID: "1", attempt: "1 ", wantErr: "GITHUB_RUN_ATTEMPT"},
		{name: "overlong value is cut", runID: strings.Repeat("9", 300), wantErr: `GITHUB_RUN_ID "` + strings.Repeat("9", outcome.MaxQuoted) + `"… is not`},
		{name: "a token passed as the run id is not echoed", runID: "ghs_abcdefghij0123456789", wantErr: `GITHUB_RUN_ID "ghs_[REDACTED]" is not`},
		{name: "a token passed as the attempt is not echoed", runID: "1", attempt: "github_pat_0123456789abcdef", wantErr: `GITHUB_RUN_ATTEMPT "github_pat_[REDACTED]" is not`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := probe.Tag(tt.runID, tt.attempt, at, strings.NewReader(tt.rnd))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.True(t, strings.HasPrefix(got, probe.TagPrefix))
		})
	}
}

func FuzzTag(f *testing.F) {
	for _, s := range [][2]string{{"1", "1"}, {"", ""}, {"0", "1"}, {"18446744073709551615", "2"}, {"1", "-1"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, runID, attempt string) {
		tag, err := probe.Tag(runID, attempt, time.Unix(0, 0), strings.NewReader("abcd"))
		if err != nil {
			ge, ok := outcome.As(err)
			require.True(t, ok)
			require.Equal(t, outcome.InvalidInput, ge.Class)
			return
		}
		require.True(t, strings.HasPrefix(tag, probe.TagPrefix))
		for _, r := range tag {
			require.True(t, r == '-' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9'),
				"tag %q is a plain git ref name", tag)
		}
	})
}

// requestLog is the server's log as "METHOD status", paths elided.
func requestLog(srv *emulator.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, fmt.Sprintf("%s %d", r.Method, r.Status))
	}
	return out
}

// assertNoToken fails if the token appears in the error or any rendering of
// the report.
func assertNoToken(t *testing.T, rep report.Report, err error) {
	t.Helper()
	js, jerr := rep.JSON()
	require.NoError(t, jerr)
	outputs := []string{string(js), rep.Human(), rep.Markdown(), strings.Join(rep.WorkflowCommands(), "\n")}
	if err != nil {
		outputs = append(outputs, err.Error(), fmt.Sprintf("%+v", err))
	}
	for _, out := range outputs {
		require.NotContains(t, out, token)
	}
}

// A rate limit never keeps the probe waiting long: one that does not say when to retry fails
// at once, saying to wait a minute, and the waits of one request add up to at most a minute.
func TestRunRateLimitWaitsAreBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		fault        emulator.Fault
		wantRequests int
		wantSleeps   []time.Duration
		wantInMsg    string
	}{
		{
			name:         "429 without Retry-After",
			fault:        emulator.Fault{Method: "POST", Status429: true, Times: -1},
			wantRequests: 1,
			wantInMsg:    "(1m0s from now)",
		},
		{
			name:         "secondary rate limit without Retry-After",
			fault:        emulator.Fault{Method: "POST", SecondaryRateLimit: true, Times: -1},
			wantRequests: 1,
			wantInMsg:    "(1m0s from now)",
		},
		{
			name:         "Retry-After 50 every time",
			fault:        emulator.Fault{Method: "POST", SecondaryRateLimit: true, RetryAfter: 50, Times: -1},
			wantRequests: 2,
			wantSleeps:   []time.Duration{50 * time.Second},
			wantInMsg:    "(50s from now)",
		},
		{
			name:         "a primary limit resetting in 30 s every time",
			fault:        emulator.Fault{Method: "POST", PrimaryRateLimit: true, ResetIn: 30 * time.Second, Times: -1},
			wantRequests: 3,
			wantSleeps:   []time.Duration{30 * time.Second, 30 * time.Second},
			wantInMsg:    "(30s from now), when the rate limit resets",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.ModeWrite, true)
			e.srv.Inject(tt.fault)

			rep, err := probe.Run(context.Background(), e.client, probe.Options{Repo: repo, RunID: "4242"})

			require.Error(t, err)
			assert.Equal(t, outcome.RateLimited, outcome.ClassOf(err))
			assert.Equal(t, 4, outcome.ClassOf(err).ExitCode())
			assert.Equal(t, tt.wantRequests, rep.Requests)
			assert.Equal(t, tt.wantSleeps, e.sleeps.Waits())
			var total time.Duration
			for _, d := range e.sleeps.Waits() {
				total += d
			}
			assert.LessOrEqual(t, total, githubapi.DefaultMaxRateLimitWait, "the probe waits a minute at most")
			assert.Contains(t, rep.Message, tt.wantInMsg)
			assert.Empty(t, e.srv.Releases(repoName))
		})
	}
}

// The probe's look for leftover drafts reads the releases with githubapi.ListAll: a list
// longer than the client's page cap stops there with a warning instead of going on forever.
func TestRunStaleListStopsAtThePageCap(t *testing.T) {
	t.Parallel()
	env := emulatortest.Setup(t, emulatortest.WithRepo(repoName), emulatortest.WithToken(token))
	srv := env.Server
	srv.SeedRelease(repoName, emulator.Release{TagName: runTag, Draft: true})
	srv.Inject(tagTaken)
	for i := range githubapi.PerPage {
		srv.SeedRelease(repoName, emulator.Release{TagName: fmt.Sprintf("v0.0.%d", i)})
	}
	cfg := env.GitHub(token)
	cfg.MaxPages = 1
	c, err := githubapi.NewClient(cfg)
	require.NoError(t, err)

	rep, err := probe.Run(context.Background(), c, probe.Options{Repo: repo, RunID: "4242"})

	require.NoError(t, err, "the tag was taken by a writer: the probe passes")
	assert.Equal(t, []string{"POST 422", "GET 200"}, requestLog(srv))
	require.Len(t, rep.Warnings, 1)
	assert.Contains(t, rep.Warnings[0], "could not look for leftover probe drafts with tag "+runTag)
	assert.Contains(t, rep.Warnings[0], "stopped after 1 page of 100, the most it reads")
}
