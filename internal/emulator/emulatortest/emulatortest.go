// Package emulatortest starts an emulator.Server for a test, as net/http/httptest starts a
// server: one call gives the server with a repository and a registered token, a fake clock the
// server runs on, and release-preflight's GitHub client for it, whose traffic is checked
// against GitHub's OpenAPI description.
//
//	env := emulatortest.Setup(t, emulatortest.WithMode(emulator.ModeClamped))
//	_, err := probe.Run(ctx, env.Client, probe.Options{Repo: env.Repo, RunID: "42"})
//	env.Clock.Advance(time.Hour)
//
// By default every request the client (or Env.HTTP) sends and every answer it gets is
// validated by package conformance, and each violation is an error of the test: a test
// exercises only what GitHub could answer. A test that sends what GitHub's schema refuses on
// purpose takes WithResponsesOnly; one that leaves the description altogether (paths it does
// not have, faults with made-up statuses) or needs the client's own timeouts takes
// WithoutConformance. The validator reads each answer whole before handing it on, and
// githubapi applies its Timeouts only to a bare *http.Transport, so a test of a stalled or
// truncated body, or of a deadline, turns validation off.
//
// WatchReleases reads a repository's releases over and over while a test runs, as a reader of
// a published release would, and its Check fails the test when a read found an asset missing
// but while a swap's two renames were in flight, or an incomplete one under its name.
package emulatortest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/release-preflight/release-preflight/internal/conformance"
	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/testkit"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

// Defaults of Setup.
const (
	// DefaultRepo is the repository Setup creates: private, owned by an organization, with
	// default branch main.
	DefaultRepo = "acme/widgets"
	// DefaultToken is the token Setup registers, with DefaultMode.
	DefaultToken = "ghs_emulatortestTOKENmustNeverAppear00"
	// DefaultMode is a GITHUB_TOKEN with contents: write.
	DefaultMode = emulator.ModeWrite
)

// DefaultStart is where the clock starts: a fixed instant in the past, so that timestamps are
// the same on every run and a rate-limit reset never lies in the real future (where a reused
// go-github client would refuse requests without sending them).
var DefaultStart = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// Env is an emulator and what a test needs to talk to it. Its fields are set by Setup; the
// server is closed when the test ends.
type Env struct {
	// Server is the emulator, holding Repo and the tokens.
	Server *emulator.Server
	// Client is release-preflight's GitHub client for Server with Token. Its retries never
	// wait (their waits are recorded in Sleeps), its clock is Clock and its backoff has no
	// jitter.
	Client *githubapi.Client
	// HTTP is a plain client for raw requests to Server (set the Authorization and
	// User-Agent headers yourself), validated like Client.
	HTTP *http.Client
	// Validator checks Client's and HTTP's traffic; nil with WithoutConformance. Its Seen
	// tells which operations answered which statuses.
	Validator *conformance.Validator
	// Token is Client's token, registered with the mode of WithMode unless that is
	// emulator.ModeBadCredentials (a token never registered: 401).
	Token string
	// Repo is the repository, as the client names it; FullName is "owner/name".
	Repo     githubapi.Repo
	FullName string
	// Clock is the server's clock (Options.Now) and the client's (RetryPolicy.Now).
	Clock *Clock
	// Sleeps records the waits of Client's retries.
	Sleeps *emulator.Sleeps

	retry githubapi.RetryPolicy // Client's
}

// Option configures Setup.
type Option func(*config)

type config struct {
	mode          emulator.Mode
	token         string
	extra         []extraToken
	repo          string
	repoOpts      *emulator.RepoOptions
	apiPrefix     string
	uploadPrefix  string
	start         time.Time
	retry         githubapi.RetryPolicy
	conformance   bool
	responsesOnly bool
}

type extraToken struct {
	token string
	mode  emulator.Mode
}

// WithMode registers the client's token with mode m (default DefaultMode).
// emulator.ModeBadCredentials leaves it unregistered, so that every request gets 401.
func WithMode(m emulator.Mode) Option { return func(c *config) { c.mode = m } }

// WithToken makes token the client's token (default DefaultToken).
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithExtraToken registers another token with mode m, e.g. to compare what two tokens see
// through HTTP. It may be given any number of times.
func WithExtraToken(token string, m emulator.Mode) Option {
	return func(c *config) { c.extra = append(c.extra, extraToken{token, m}) }
}

// WithRepo makes fullName ("owner/name") the repository Setup creates (default DefaultRepo).
func WithRepo(fullName string) Option { return func(c *config) { c.repo = fullName } }

// WithRepoOptions creates the repository with opts (emulator.Server.AddRepoWith), e.g. public.
func WithRepoOptions(opts emulator.RepoOptions) Option {
	return func(c *config) { c.repoOpts = &opts }
}

// WithPrefixes serves the API and the uploads under these paths (emulator.Options.APIPrefix
// and UploadPrefix); GitHub Enterprise Server's are "/api/v3/" and "/api/uploads/". The
// default is github.com's layout: both "/".
func WithPrefixes(api, upload string) Option {
	return func(c *config) { c.apiPrefix, c.uploadPrefix = api, upload }
}

// WithClockStart starts the clock at start (default DefaultStart).
func WithClockStart(start time.Time) Option { return func(c *config) { c.start = start } }

// WithRetry is the client's retry policy. Fields left zero get Setup's: Sleep records in
// Env.Sleeps and returns at once, Now is Env.Clock, Jitter is none (the wait is 0); the others
// githubapi's defaults.
func WithRetry(p githubapi.RetryPolicy) Option { return func(c *config) { c.retry = p } }

// WithoutConformance turns the validation of traffic off: for a test that leaves GitHub's
// description on purpose, or needs the client's own transport (timeouts, stalls, truncated
// bodies).
func WithoutConformance() Option { return func(c *config) { c.conformance = false } }

// WithResponsesOnly validates answers only, for a test that sends requests GitHub's schema
// refuses on purpose (to see them answered as GitHub answers them).
func WithResponsesOnly() Option { return func(c *config) { c.responsesOnly = true } }

// Setup starts an emulator with one repository and one registered token, and a client for it,
// all as opts say; the server is closed when t ends. It fails t if the client cannot be made.
func Setup(t testing.TB, opts ...Option) *Env {
	t.Helper()
	c := config{mode: DefaultMode, token: DefaultToken, repo: DefaultRepo, start: DefaultStart, conformance: true}
	for _, o := range opts {
		o(&c)
	}
	clock := testkit.NewClock(c.start)
	srv := emulator.NewServer(emulator.Options{APIPrefix: c.apiPrefix, UploadPrefix: c.uploadPrefix, Now: clock.Now})
	t.Cleanup(srv.Close)
	if c.repoOpts != nil {
		srv.AddRepoWith(c.repo, *c.repoOpts)
	} else {
		srv.AddRepo(c.repo)
	}
	if c.mode != emulator.ModeBadCredentials {
		srv.AddToken(c.token, c.mode)
	}
	for _, x := range c.extra {
		srv.AddToken(x.token, x.mode)
	}

	env := &Env{Server: srv, HTTP: srv.Client(), Token: c.token, FullName: c.repo, Clock: clock, Sleeps: &emulator.Sleeps{}}
	env.Repo.Owner, env.Repo.Name, _ = strings.Cut(c.repo, "/")
	if c.conformance {
		env.Validator = conformance.ForEmulator(t, srv)
		if c.responsesOnly {
			env.Validator.ResponsesOnly()
		}
		env.HTTP = env.Validator.Client(srv.Client())
	}

	retry := c.retry
	if retry.Sleep == nil {
		retry.Sleep = env.Sleeps.Sleep
	}
	if retry.Now == nil {
		retry.Now = clock.Now
	}
	if retry.Jitter == nil {
		retry.Jitter = func(time.Duration) time.Duration { return 0 }
	}
	env.retry = retry
	client, err := githubapi.NewClient(env.GitHub(c.token))
	if err != nil {
		t.Fatalf("emulatortest: client for the emulator: %v", err)
	}
	env.Client = client
	return env
}

// GitHub is the configuration Client was made with, for token instead: what a
// release.Request takes, or a client for another of the server's tokens, its traffic validated
// and its retries as Client's.
func (e *Env) GitHub(token string) githubapi.Config {
	return githubapi.Config{Token: token, APIURL: e.Server.APIURL(), UploadURL: e.Server.UploadURL(), HTTPClient: e.HTTP, Retry: e.retry}
}

// ClientFor is a client like Client for another of the server's tokens.
func (e *Env) ClientFor(t testing.TB, token string) *githubapi.Client {
	t.Helper()
	c, err := githubapi.NewClient(e.GitHub(token))
	if err != nil {
		t.Fatalf("emulatortest: client for the emulator: %v", err)
	}
	return c
}

// Clock is an Env's fake clock, testkit's: safe for concurrent use, it stands still until
// advanced.
type Clock = testkit.Clock
