package checks

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// Latest choices: whether the release becomes the repository's latest.
const (
	LatestAuto  = "auto"  // unless its tag is lower (semver) than the current latest release's
	LatestTrue  = "true"  // always
	LatestFalse = "false" // never
)

// DefaultRunTime is how long a release is expected to take when Options.RunTime is 0: the
// token must outlive it.
const DefaultRunTime = time.Hour

// Options are what the user says about a release beyond its tag and files.
type Options struct {
	// Commit is the commit being released, a SHA of 7 to 40 hex digits; "" when unknown.
	// release fills it in from the build's commit or the source's HEAD.
	Commit string
	// Attestations asks for build provenance: the job needs an OIDC token, and the repository
	// must be one GitHub stores attestations for.
	Attestations bool
	// OIDC is how the job requests an OIDC token (in GitHub Actions, ACTIONS_ID_TOKEN_REQUEST_URL
	// and ACTIONS_ID_TOKEN_REQUEST_TOKEN). Only whether both are set is checked; the token is
	// never sent anywhere.
	OIDC OIDC
	// RunTime is how long the run is expected to take from now; the token should not expire
	// sooner. 0 means DefaultRunTime.
	RunTime time.Duration
	// Latest is LatestAuto (also ""), LatestTrue or LatestFalse.
	Latest string
}

// OIDC is what a GitHub Actions job needs to request an OIDC token.
type OIDC struct {
	RequestURL   string
	RequestToken string
}

// Validate refuses, before any request, options that no check can use. Failures are InvalidInput.
func (o Options) Validate() error {
	if _, err := ParseLatest(o.Latest); err != nil {
		return err
	}
	if o.RunTime < 0 {
		return outcome.Invalid("check the expected run time", "expected-run-time", fmt.Sprintf("%s is negative", o.RunTime),
			"Pass how long the release takes, such as 45m.")
	}
	return nil
}

// ParseLatest reads the latest choice: "auto" (also ""), "true" or "false".
func ParseLatest(s string) (string, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "", LatestAuto:
		return LatestAuto, nil
	case LatestTrue, LatestFalse:
		return v, nil
	}
	return "", outcome.Invalid("check the latest choice", "latest", fmt.Sprintf("%q is not true, false or auto", s),
		"Pass true, false or auto (the default: latest unless the tag is lower than the latest release's).")
}

// ParseRunTime reads an expected run time such as 45m or 2h; "" is DefaultRunTime.
func ParseRunTime(s string) (time.Duration, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultRunTime, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d <= 0 {
		return 0, outcome.Invalid("check the expected run time", "expected-run-time", fmt.Sprintf("%q is not a positive duration", s),
			"Pass how long the release takes, such as 45m or 2h.")
	}
	return d, nil
}

// Input is everything Run checks.
type Input struct {
	Options
	Repo githubapi.Repo
	// Tag is the release's tag; "" runs only the checks that need none.
	Tag string
	// Target is the commit-ish the tag is created from when it does not exist; a full SHA also
	// says which commit is released when Commit is empty.
	Target string
	// ReplaceAssets allows replacing the assets of a published release.
	ReplaceAssets bool
	// Draft leaves the release a draft: the tag is created later, by whoever publishes it.
	Draft bool
	// Prerelease is the pre-release choice; nil decides from the tag's semver suffix.
	Prerelease *bool
	// Files are the files to upload, SHA256SUMS included; nil when they are not known yet (a
	// directory a Dagger build has still to make), which skips the asset budget until
	// [Result.WithFiles].
	Files []File
}

// File is one file to upload.
type File struct {
	Name   string
	Size   int64  // 0 when not known yet: a file the build will write
	SHA256 string // hex; "" when not known yet
}

// Result is what Run found: every check, and what the publish needs to know.
type Result struct {
	// Checks lists every check in the order of Names.
	Checks []report.Check
	// MakeLatest is the make_latest value to publish with: "true", "false", or "" for GitHub's
	// default (a new release becomes latest; drafts and pre-releases never do).
	MakeLatest string
	// UploadInterval is the least time between the starts of two uploads that keeps the
	// publish under GitHub's secondary rate limits (80 writes a minute, 500 an hour); 0 when
	// there are few enough uploads.
	UploadInterval time.Duration
	// ReleaseURL is the page of the tag's release when there is one already.
	ReleaseURL string

	errs  map[string]*outcome.Error // the failures, by check name
	in    Input
	found *found
	now   time.Time
	wait  time.Duration
	// spent is the rate-budget failure decided before any request, from what the probe's
	// answers showed of the rate limit: then nothing was fetched and no other check was made.
	spent *outcome.Error
}

// Err is the failure of the first check that failed, in report order, or nil.
func (r *Result) Err() error {
	for _, c := range r.Checks {
		if e := r.errs[c.Name]; e != nil {
			return e
		}
	}
	return nil
}

// Run runs every check against in.Repo with read-only requests (see the package
// documentation for what each costs) and returns their results; the error is [Result.Err].
// Checks that need a tag are skipped without one, the asset budget without files. Options that
// [Options.Validate] refuses are refused before any request, without a result.
func Run(ctx context.Context, c *githubapi.Client, in Input) (*Result, error) {
	latest, err := ParseLatest(in.Latest)
	if err == nil {
		err = in.Options.Validate()
	}
	if err != nil {
		return nil, err
	}
	in.Latest = latest
	if in.RunTime == 0 {
		in.RunTime = DefaultRunTime
	}
	res := &Result{in: in, found: &found{}, now: c.Now(), wait: c.MaxRateLimitWait()}
	if res.spent = res.beyondBudget(c.Observed().Rate); res.spent != nil {
		// The probe's answers show the rate limit cannot answer the checks and the publish
		// before a reset the client does not wait for: send nothing more.
		res.evaluate()
		return res, res.Err()
	}
	res.found = fetchAll(ctx, c, in)
	if rel := res.found.releaseFor(in.Tag); in.Tag != "" && rel != nil {
		res.ReleaseURL = rel.HTMLURL
	}
	res.evaluate()
	return res, res.Err()
}

// WithFiles checks the asset and rate budgets again for files, once they are known, with what
// Run found; it sends no request. The error is [Result.Err].
func (r *Result) WithFiles(files []File, now time.Time) error {
	r.in.Files = files
	r.now = now
	r.evaluate()
	return r.Err()
}

// evaluate decides every check from what was found.
func (r *Result) evaluate() {
	r.errs = map[string]*outcome.Error{}
	r.Checks = r.Checks[:0]
	for _, c := range registry {
		o := r.decide(c)
		o.check.Name = c.name
		if o.err != nil {
			o.check.Status = report.CheckFail
			o.check.Message = o.err.Message
			o.check.Fix = o.err.Remediation
			o.check.Input = o.err.Input
			r.errs[c.name] = o.err
		}
		r.Checks = append(r.Checks, o.check)
	}
}

// decide decides c, or, when the rate limit was found spent before any request, fails
// rate-budget with that and skips the others, which were not fetched.
func (r *Result) decide(c check) result {
	switch {
	case r.spent == nil:
		return c.decide(r)
	case c.name == rateCheck.name:
		return failed(r.spent)
	}
	return skipped("", "", "not checked: the rate limit is spent until %s (see rate-budget), so nothing more was sent", clock(r.spent.RetryAt))
}

// result is the outcome of one check: its report entry, and its error when it fails.
type result struct {
	check report.Check
	err   *outcome.Error
}

func ok(format string, args ...any) result {
	return result{check: report.Check{Status: report.CheckOK, Message: fmt.Sprintf(format, args...)}}
}

func warn(fix, format string, args ...any) result {
	return result{check: report.Check{Status: report.CheckWarn, Message: fmt.Sprintf(format, args...), Fix: fix}}
}

// skipped is a check that could not be made; input is the input that would make it possible.
func skipped(input, fix, format string, args ...any) result {
	return result{check: report.Check{Status: report.CheckSkipped, Message: fmt.Sprintf(format, args...), Fix: fix, Input: input}}
}

// failed is a check that fails with err.
func failed(err *outcome.Error) result { return result{err: err} }

// noTag is the result of a check that needs a tag, without one.
func noTag() result {
	return skipped("tag", "Pass the tag to run it.", "no tag was given")
}

// unreadable is the result of a check whose request GitHub refused (403 or 404) or could not
// answer: skipped when the token may not read it, a failure of the error's class otherwise.
func unreadable(err *outcome.Error, what string) result {
	if skippable(err) {
		return skipped("", "", "GitHub answered %d to %s for this token (%s), so this was not checked",
			err.Status, what, strings.TrimSuffix(err.Message, "."))
	}
	return failed(err)
}

// skippable reports whether err means the token may not read the endpoint (403 or 404), rather
// than that GitHub failed.
func skippable(err *outcome.Error) bool { return err.Class.Permission() }

// of is " of TAG", or "" without a tag.
func of(tag string) string {
	if tag == "" {
		return ""
	}
	return " of " + tag
}

// clock renders t for a message.
func clock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }
