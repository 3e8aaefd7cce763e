package githubapi

import (
	"cmp"
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Config configures NewClient.
type Config struct {
	// Token authenticates every request; required. It is sent only to the
	// API and upload hosts and never printed.
	Token string
	// APIURL is the REST API root. "" means https://api.github.com/; GitHub
	// Enterprise Server uses https://HOST/api/v3/. It must be https, or http to
	// loopback (127.0.0.0/8, ::1, localhost) unless AllowInsecureHTTP; a trailing
	// slash is added.
	APIURL string
	// UploadURL is the root for release asset uploads. "" derives it:
	// https://uploads.github.com/ for api.github.com, uploads.SUB.ghe.com for
	// api.SUB.ghe.com, .../api/uploads/ for .../api/v3/, else APIURL.
	UploadURL string
	// HTTPClient sends the requests; nil means a plain http.Client. Its Transport
	// (nil: http.DefaultTransport) is cloned and set up with Timeouts when it is an
	// *http.Transport, and used as it is otherwise; it is never modified. Its
	// CheckRedirect is replaced by the client's redirect policy. Give it no
	// Timeout: the caller's context bounds a command, and a total cap would cut off
	// large uploads.
	HTTPClient *http.Client
	// Timeouts bound each request at the transport; zero fields take their defaults.
	Timeouts Timeouts
	// AllowInsecureHTTP allows plain http API and upload URLs to hosts other than
	// loopback, which sends the token across the network unencrypted; the client's
	// Warnings then say so. Without it such a URL is invalid input.
	AllowInsecureHTTP bool
	// Retry is the retry policy; zero fields take their defaults.
	Retry RetryPolicy
	// MaxPages is the most pages ListAll reads of one list; 0 means
	// DefaultMaxPages.
	MaxPages int
}

// Defaults of Config and RetryPolicy.
const (
	DefaultAPIURL           = "https://api.github.com/"
	UserAgent               = "release-preflight"
	DefaultMaxAttempts      = 4
	DefaultBaseDelay        = 500 * time.Millisecond
	DefaultMaxRateLimitWait = 60 * time.Second
	// MaxBackoff caps a single backoff wait for transient failures.
	MaxBackoff = 30 * time.Second
)

// Client sends GitHub REST requests with one token, counting them and
// retrying per its RetryPolicy. It is safe for concurrent use.
type Client struct {
	token     string
	apiURL    *url.URL
	uploadURL *url.URL
	http      *http.Client
	retry     RetryPolicy
	maxPages  int
	warnings  []string
	sent      *atomic.Int64  // shared with the transport, and with Once's copy
	seen      *observations  // likewise
	gh        *github.Client // go-github over http, its own rate-limit bookkeeping off
}

// NewClient validates cfg and returns a Client. Validation failures are
// *outcome.Error of class InvalidInput.
func NewClient(cfg Config) (*Client, error) {
	token := strings.TrimSpace(cfg.Token)
	if token == "" {
		return nil, invalidConfig("token", "no GitHub token was given",
			"Pass a token that can write the repository's contents; in GitHub Actions that is `${{ secrets.GITHUB_TOKEN }}`.")
	}
	if strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, invalidConfig("token", "the GitHub token contains spaces or control characters",
			"Pass the token exactly as GitHub issued it, on one line with nothing around it.")
	}
	apiURL, err := parseRootURL("api-url", "API URL", cmp.Or(cfg.APIURL, DefaultAPIURL))
	if err != nil {
		return nil, redactToken(err, token)
	}
	uploadURL := deriveUploadURL(apiURL)
	if cfg.UploadURL != "" {
		if uploadURL, err = parseRootURL("upload-url", "upload URL", cfg.UploadURL); err != nil {
			return nil, redactToken(err, token)
		}
	}
	var warnings []string
	for _, u := range []struct {
		input, what string
		url         *url.URL
	}{{"api-url", "API URL", apiURL}, {"upload-url", "upload URL", uploadURL}} {
		switch {
		case !insecure(u.url):
		case !cfg.AllowInsecureHTTP:
			return nil, redactToken(invalidConfig(u.input, "the "+u.what+" "+quoteURL(u.url)+
				" is plain http to another machine, so the token would cross the network unencrypted",
				"Pass an https:// URL: plain http is refused except to this machine (127.0.0.0/8, ::1, localhost), unless insecure HTTP is allowed deliberately."), token)
		case len(warnings) == 0 || u.url.Host != apiURL.Host:
			warnings = append(warnings, "the token is sent unencrypted over plain http to "+u.url.Host+
				", since insecure HTTP was allowed; use https:// unless the network to it is trusted")
		}
	}

	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	hc.CheckRedirect = checkRedirect
	c := &Client{
		token:     token,
		apiURL:    apiURL,
		uploadURL: uploadURL,
		http:      hc,
		retry:     withDefaults(cfg.Retry),
		maxPages:  cmp.Or(max(cfg.MaxPages, 0), DefaultMaxPages),
		warnings:  warnings,
		sent:      new(atomic.Int64),
		seen:      &observations{},
	}
	timeouts := cfg.Timeouts.withDefaults()
	hc.Transport = &transport{
		base:         configure(hc.Transport, timeouts),
		token:        token,
		origins:      []string{origin(apiURL), origin(uploadURL)},
		timeouts:     timeouts,
		maxErrorBody: MaxErrorBody,
		maxBody:      MaxBody,
		sent:         c.sent,
		seen:         c.seen,
	}
	api, upload := apiURL.String(), uploadURL.String()
	// go-github's own rate-limit tracking would refuse requests locally until a reset it once
	// saw: Do decides about rate limits itself.
	gh, gherr := github.NewClient(github.WithHTTPClient(hc), github.WithURLs(&api, &upload),
		github.WithUserAgent(UserAgent), github.WithDisableRateLimitCheck())
	if gherr != nil {
		return nil, redactToken(invalidConfig("api-url", "the API URL "+quoteURL(apiURL)+" is not usable: "+gherr.Error(),
			"Pass a URL such as "+DefaultAPIURL+"."), token)
	}
	c.gh = gh
	return c, nil
}

func parseRootURL(input, what, raw string) (*url.URL, *outcome.Error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, invalidConfig(input, "the "+what+" is not a valid URL", "Pass an absolute http(s) URL such as "+DefaultAPIURL+".")
	case u.User != nil:
		// Never echo it: the user info may hold a token.
		return nil, invalidConfig(input, "the "+what+" carries a user name or password",
			"Remove the credentials from the URL and pass the token on its own.")
	case (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.RawQuery != "" || u.Fragment != "":
		return nil, invalidConfig(input, "the "+what+" "+quoteURL(u)+" is not an absolute http(s) URL without query",
			"Pass a URL such as "+DefaultAPIURL+", or https://HOST/api/v3/ for GitHub Enterprise Server.")
	case u.Port() != "" || strings.HasSuffix(u.Host, ":"):
		if port, err := strconv.Atoi(u.Port()); err != nil || port < 1 || port > 65535 {
			return nil, invalidConfig(input, "the "+what+" "+quoteURL(u)+" has an impossible port",
				"Pass a port from 1 to 65535, or none for the scheme's default.")
		}
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// quoteURL shows u for an error message without user info, query or fragment, any of which may
// hold a secret, and quoted with [outcome.Quote].
func quoteURL(u *url.URL) string {
	shown := *u
	shown.User, shown.RawQuery, shown.ForceQuery, shown.Fragment, shown.RawFragment = nil, "", false, "", ""
	return outcome.Quote(shown.String())
}

func deriveUploadURL(api *url.URL) *url.URL {
	u := *api
	switch host := u.Hostname(); {
	case host == "api.github.com":
		return &url.URL{Scheme: "https", Host: "uploads.github.com", Path: "/"}
	case strings.HasPrefix(host, "api.") && strings.HasSuffix(host, ".ghe.com"):
		u.Host = "uploads." + strings.TrimPrefix(u.Host, "api.")
	case strings.HasSuffix(u.Path, "/api/v3/"):
		u.Path = strings.TrimSuffix(u.Path, "v3/") + "uploads/"
		u.RawPath = ""
	}
	return &u
}

func invalidConfig(input, problem, fix string) *outcome.Error {
	return outcome.Invalid("configure the GitHub client", input, problem, fix)
}

// insecure reports whether u is plain http to a host other than loopback.
func insecure(u *url.URL) bool {
	if u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// origin is u's scheme and host, as the token's destinations are matched.
func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// Warnings are what a report of this client's requests should say: that the token goes over
// plain http, when [Config.AllowInsecureHTTP] let it.
func (c *Client) Warnings() []string { return append([]string(nil), c.warnings...) }

// UploadURL returns the root for release asset uploads, with a trailing slash.
func (c *Client) UploadURL() string { return c.uploadURL.String() }

// Once returns a client that sends through the same connections, counts into the same total
// and tries each request once: for best-effort clean-up after a failure, which must not double
// the time a command takes to fail.
func (c *Client) Once() *Client {
	once := *c
	once.warnings = nil
	once.retry.MaxAttempts = 1
	once.retry.MaxRateLimitWait = -1
	return &once
}

// Requests returns how many HTTP requests the client has sent so far,
// retries included.
func (c *Client) Requests() int { return int(c.sent.Load()) }

// Do runs fn, retrying it per the client's RetryPolicy, and returns nil or a
// classified *outcome.Error naming op ("create draft release") and repo.
//
// fn must reopen any request body itself on each attempt. Server errors and network errors
// are retried with jittered exponential backoff up to MaxAttempts; rate limits
// that say when to retry are waited out while their waits add up to at most
// MaxRateLimitWait (others fail at once, saying to wait a minute); everything else,
// and any failure once ctx is done, is returned at once. A wait that would end
// after ctx's deadline is not started: the failure is returned instead. When the
// deadline ends an attempt, the error (Input [InputTimeout]) also says how the
// attempt before it failed.
func (c *Client) Do(ctx context.Context, op string, repo Repo, fn func(ctx context.Context, gh *github.Client) (*github.Response, error)) error {
	var (
		attempts, transient, limited int
		waited                       time.Duration  // on rate limits, in all
		last                         *outcome.Error // the failure of the attempt before
	)
	for {
		if err := ctx.Err(); err != nil {
			e, _ := classify(op, repo, nil, err, c.retry.Now())
			return c.finish(timedOut(e, last), attempts)
		}
		attempts++
		resp, err := fn(ctx, c.gh)
		recordAttempt(ctx, resp, err)
		if err == nil {
			return nil
		}
		e, hinted := classify(op, repo, resp, err, c.retry.Now())
		if ctx.Err() != nil {
			return c.finish(timedOut(e, last), attempts)
		}
		var wait time.Duration
		switch e.Class {
		case outcome.ServerError, outcome.NetworkError:
			transient++
			if transient >= c.retry.MaxAttempts {
				return c.finish(e, attempts)
			}
			wait = c.backoff(transient)
		case outcome.RateLimited:
			// GitHub asks for at least a minute when it does not say how long: rather than
			// keep a one-second probe waiting, say so at once.
			limited++
			wait = max(e.RetryAt.Sub(c.retry.Now()), 0)
			if !hinted || limited > c.retry.MaxAttempts || waited+wait > c.retry.MaxRateLimitWait {
				return c.finish(e, attempts)
			}
			waited += wait
		default:
			return c.finish(e, attempts)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait {
			return c.finish(e, attempts)
		}
		if err := c.retry.Sleep(ctx, wait); err != nil {
			return c.finish(e, attempts)
		}
		last = e
	}
}

// timedOut adds to e, when the caller's deadline ended its attempt, how the attempt before
// failed: the usual reason the time ran out.
func timedOut(e, last *outcome.Error) *outcome.Error {
	if last == nil || e.Input != InputTimeout {
		return e
	}
	before := last.Message
	if last.Status != 0 {
		before = strings.TrimSpace(strconv.Itoa(last.Status) + " " + cmp.Or(last.Message, http.StatusText(last.Status)))
	}
	e.Message += "; the attempt before failed: " + before
	return e
}

// finish records the attempt count, cuts a message a server made too long and removes the
// token from every string the caller may print.
func (c *Client) finish(e *outcome.Error, attempts int) *outcome.Error {
	e.Attempts = attempts
	e.Message = outcome.Truncate(e.Message, outcome.MaxMessage)
	return redactToken(e, c.token)
}

// redactToken removes token, with and without its prefix, and every other token-shaped value
// from every string of e (see [outcome.Redact]), and replaces e.Err by a plain error when its
// text held one.
func redactToken(e *outcome.Error, token string) *outcome.Error {
	redact := func(s string) string { return outcome.Redact(s, token) }
	e.Op, e.Repo, e.Message = redact(e.Op), redact(e.Repo), redact(e.Message)
	e.RequiredPermissions, e.OAuthScopes, e.SSOURL = redact(e.RequiredPermissions), redact(e.OAuthScopes), redact(e.SSOURL)
	e.RequestID, e.Remediation, e.Output = redact(e.RequestID), redact(e.Remediation), redact(e.Output)
	if e.Err != nil {
		if text := e.Err.Error(); redact(text) != text {
			e.Err = errors.New(redact(text))
		}
	}
	return e
}
