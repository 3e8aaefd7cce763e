package checks

import (
	"fmt"
	"time"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// rateCheck: the publish's requests against what the token has left; many uploads are paced.
var rateCheck = check{
	name:    "rate-budget",
	fetches: always(fetchRate, fetchReleases),
	decide:  (*Result).rate,
}

// The secondary rate limits on content-creating requests (uploads among them).
const (
	writesPerMinute = 80
	writesPerHour   = 500
)

// rate checks the rate budget: the requests the publish makes against what the token has
// left, and whether the uploads need pacing.
func (r *Result) rate() result {
	in := r.in
	f := r.found
	r.UploadInterval = 0
	if f.rateErr != nil {
		return unreadable(f.rateErr, "reading the rate limit")
	}
	c := r.publishCost()
	rl := f.rate
	reset := rl.Reset.UTC()
	remaining := rl.Remaining
	if !r.now.Before(reset) {
		remaining = rl.Limit // the window has reset since it was read
	}
	need := fmt.Sprintf("about %d requests", c.requests)
	if !c.known {
		need = fmt.Sprintf("about %d requests and one per file", c.requests)
	}
	wait := reset.Sub(r.now).Round(time.Second)
	switch {
	case rl.Limit < c.requests:
		return failed(&outcome.Error{Class: outcome.RateLimited, Op: "check the rate budget" + of(in.Tag), Repo: in.Repo.String(),
			Message: fmt.Sprintf("publishing needs %s, more than the %d an hour this token gets", need, rl.Limit),
			Remediation: "Publish fewer files (bundle them into archives), or use a token with a higher rate limit: " +
				"a GitHub App installation or a personal access token gets 5,000 requests an hour."})
	case remaining < c.requests && r.wait >= 0 && wait <= r.wait:
		return warn("", "publishing needs %s but only %d are left: enough once the rate limit resets in %s, which the publish waits out%s",
			need, remaining, max(wait, 0), r.paceNote(c))
	case remaining < c.requests:
		return failed(&outcome.Error{Class: outcome.RateLimited, Op: "check the rate budget" + of(in.Tag), Repo: in.Repo.String(), RetryAt: reset,
			Message: fmt.Sprintf("publishing needs %s, but only %d of the token's %d are left until the rate limit resets at %s (in %s)",
				need, remaining, rl.Limit, clock(reset), wait),
			Remediation: fmt.Sprintf("Wait until %s, when the rate limit resets, and re-run; every job using the same token shares the limit.", clock(reset))})
	}
	if c.writes > writesPerHour {
		return warn("Publish fewer files (bundle them into archives) to publish faster.",
			"publishing needs %s of the %d left (resets at %s)%s", need, remaining, clock(reset), r.paceNote(c))
	}
	return ok("publishing needs %s of the %d left (resets at %s)%s", need, remaining, clock(reset), r.paceNote(c))
}

// beyondBudget is the rate-budget failure to give before any request, when rate — the core
// rate limit as the probe's answers showed it, nil when they showed none — has fewer requests
// left than the checks and the publish need, and resets later than the client waits: then the
// checks' reads would only be refused. nil when they may be sent.
func (r *Result) beyondBudget(rate *github.Rate) *outcome.Error {
	if rate == nil {
		return nil
	}
	reset := rate.Reset.UTC()
	wait := reset.Sub(r.now).Round(time.Second)
	if !r.now.Before(reset) || (r.wait >= 0 && wait <= r.wait) {
		return nil // the window has reset, or the client waits it out
	}
	reads, publish := checksCost(r.in), r.publishCost()
	if rate.Remaining >= reads+publish.requests {
		return nil
	}
	in := r.in
	return &outcome.Error{Class: outcome.RateLimited, Op: "check the rate budget" + of(in.Tag), Repo: in.Repo.String(), RetryAt: reset,
		Message: fmt.Sprintf("the probe's answers show %d of the token's %d requests left until the rate limit resets at %s (in %s), "+
			"and the checks need about %d and publishing about %d more, so nothing more was sent", rate.Remaining, rate.Limit, clock(reset), wait, reads, publish.requests),
		Remediation: fmt.Sprintf("Wait until %s, when the rate limit resets, and re-run; every job using the same token shares the limit.", clock(reset))}
}

// checksCost is how many requests the checks of in send at least: one per fetch but GET
// /rate_limit (which GitHub does not charge), a list counted as one page and the tag rulesets
// as their list alone.
func checksCost(in Input) int {
	n := 0
	for _, k := range needed(in) {
		if k != fetchRate {
			n++
		}
	}
	return n
}

// cost is what a publish of the input spends.
type cost struct {
	requests int  // requests, all told
	uploads  int  // files uploaded
	writes   int  // content-creating requests: create, uploads, deletes, publish
	known    bool // the files are known; else uploads are not counted
}

// publishCost counts the requests the publish makes: list the releases (a page per 100),
// create the draft unless one is resumed, list its assets, delete the assets it replaces (on a
// published release: rename the old one aside, the new one in, delete the old one; rename a
// missing one in), upload every file, list the assets again to verify them, publish, and read
// the release back.
func (r *Result) publishCost() cost {
	in := r.in
	c := cost{known: in.Files != nil, uploads: len(in.Files)}
	c.requests = r.found.releasePages() + 3 + c.uploads
	rel := r.found.releaseFor(in.Tag)
	if in.Tag == "" || rel == nil {
		c.writes++ // create the draft
	}
	if in.Tag == "" || rel == nil || (rel.Draft && !in.Draft) {
		c.writes++ // publish it
	}
	if rel != nil && in.Tag != "" {
		held := map[string]bool{}
		for _, a := range rel.Assets {
			held[a.GetName()] = true
		}
		names := map[string]bool{}
		for _, f := range in.Files {
			names[f.Name] = true
			if !rel.Draft && !held[f.Name] {
				c.writes++ // renamed in from its temporary name
			}
		}
		for _, a := range rel.Assets {
			switch {
			case !rel.Draft && names[a.GetName()]:
				c.writes += 3 // renamed aside, its replacement renamed in, deleted
			case names[a.GetName()] || a.GetState() != githubapi.AssetUploaded:
				c.writes++ // deleted first
			}
		}
	}
	c.writes += c.uploads
	c.requests += c.writes - c.uploads
	return c
}

// pacing is the least time between two upload starts that keeps writes content-creating
// requests under GitHub's secondary rate limits; 0 when no pacing is needed.
func pacing(writes int) time.Duration {
	switch {
	case writes > writesPerHour:
		return time.Hour / writesPerHour
	case writes > writesPerMinute:
		return time.Minute / writesPerMinute
	}
	return 0
}

// paceNote sets UploadInterval for c and says how the uploads are paced, if they are.
func (r *Result) paceNote(c cost) string {
	r.UploadInterval = pacing(c.writes)
	if r.UploadInterval == 0 {
		return ""
	}
	limit := fmt.Sprintf("%d content-creating requests a minute", writesPerMinute)
	if c.writes > writesPerHour {
		limit = fmt.Sprintf("%d an hour", writesPerHour)
	}
	return fmt.Sprintf("; its %d uploads are paced one every %s to stay under GitHub's secondary limit of %s, about %s in all",
		c.uploads, r.UploadInterval, limit, roughly(time.Duration(c.uploads)*r.UploadInterval))
}

// roughly rounds d to seconds under a minute, else to minutes.
func roughly(d time.Duration) time.Duration {
	if d < time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Minute)
}
