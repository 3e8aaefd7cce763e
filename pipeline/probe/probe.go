package probe

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// TagPrefix starts every probe tag, so that leftovers are easy to find and
// sweep.
const TagPrefix = "preflight-permcheck-"

// RequiredPermissions is what publishing a release needs, in the notation of
// X-Accepted-GitHub-Permissions. Reports carry it even when GitHub does not
// send the header.
const RequiredPermissions = "contents=write"

// The probe draft's title and description, shown if it is ever left behind.
const (
	ReleaseName = "release-preflight permission probe"
	ReleaseBody = "Created by release-preflight to check that this token can publish releases, " +
		"and deleted right away. If you can see it, the clean-up failed; it is safe to delete."
)

// Options configures Run.
type Options struct {
	Repo       githubapi.Repo
	RunID      string           // GITHUB_RUN_ID; "" outside CI
	RunAttempt string           // GITHUB_RUN_ATTEMPT; "1" when RunID is set and this is empty
	Now        func() time.Time // clock for the local tag and the elapsed time; default time.Now
	Rand       io.Reader        // randomness for the local tag; default crypto/rand
}

// Tag returns the probe tag. In GitHub Actions (runID set) it is
// "preflight-permcheck-run<id>-attempt<n>", so re-runs never collide and a
// leftover names the run that left it; elsewhere it is
// "preflight-permcheck-local-<yyyymmddThhmmssZ>-<8 hex digits>". A run id or
// attempt that is not a positive number is an *outcome.Error of
// ClassInvalidInput.
func Tag(runID, runAttempt string, now time.Time, rnd io.Reader) (string, error) {
	if runID == "" {
		if rnd == nil {
			rnd = rand.Reader
		}
		var b [4]byte
		if _, err := io.ReadFull(rnd, b[:]); err != nil {
			return "", &outcome.Error{Class: outcome.Unexpected, Op: "make probe tag",
				Message: "read random bytes: " + err.Error(), Err: err,
				Remediation: "Re-run; if it fails again, the system's random source is broken."}
		}
		return TagPrefix + "local-" + now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:]), nil
	}
	id, err := positive("run-id", "GITHUB_RUN_ID", runID, 20)
	if err != nil {
		return "", err
	}
	if runAttempt == "" {
		runAttempt = "1"
	}
	attempt, err := positive("run-attempt", "GITHUB_RUN_ATTEMPT", runAttempt, 10)
	if err != nil {
		return "", err
	}
	return TagPrefix + "run" + id + "-attempt" + attempt, nil
}

// positive checks that v is a positive decimal number of at most maxDigits
// digits and returns it without leading zeros.
func positive(input, name, v string, maxDigits int) (string, error) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n == 0 || len(v) > maxDigits || v[0] == '+' {
		return "", outcome.Invalid("make probe tag", input, name+" "+outcome.Quote(v)+" is not a positive number",
			fmt.Sprintf("Pass %s as GitHub Actions sets it, or nothing outside GitHub Actions.", name))
	}
	return strconv.FormatUint(n, 10), nil
}

// Run creates a draft release tagged with the probe tag and deletes it, then
// lists the newest releases and removes the leftovers of earlier probes: three
// requests when all goes well, and one for a token that cannot write. It never
// creates a git tag.
//
// GitHub keeps several drafts with one tag, so a draft left by a killed probe
// of the same run attempt never makes the create fail: it is found by the
// listing, as is any probe draft older than DefaultSweepAge, and each is
// deleted and reported (Report.Swept). If GitHub answers 422 already_exists
// for the tag all the same (as some servers do), only a writer can have got
// that far, so the probe passes and the stale draft is deleted. If a draft
// cannot be deleted, the probe still passes, with a warning naming the leftover
// draft and the commands that remove it. When the answers show the rate limit
// spent until a reset the client does not wait for, the listing is not sent.
// Invalid options fail before any request is sent.
//
// The report is filled in either way; on failure the error is the
// classified *outcome.Error.
func Run(ctx context.Context, c *githubapi.Client, opts Options) (report.Report, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	start := now()
	sent := c.Requests()
	p := &prober{c: c, repo: opts.Repo}
	rep := report.Report{
		Command:             "probe",
		Repo:                opts.Repo.String(),
		RequiredPermissions: RequiredPermissions,
		Warnings:            []string{},
	}
	finish := func(err error) (report.Report, error) {
		rep.Requests = c.Requests() - sent
		rep.ElapsedMS = now().Sub(start).Milliseconds()
		rep.Warnings = append(rep.Warnings, p.warnings...)
		rep.Swept = p.removed
		if err == nil && rep.Message == "" && len(p.removed) > 0 {
			rep.Message = fmt.Sprintf("GitHub write permission confirmed in %s; removed %s", p.repo, leftovers(p.removed))
		}
		report.FromError(&rep, err)
		if rep.RequiredPermissions == "" {
			rep.RequiredPermissions = RequiredPermissions
		}
		return rep, err
	}

	if err := opts.Repo.Validate(); err != nil {
		return finish(err)
	}
	tag, err := Tag(opts.RunID, opts.RunAttempt, now(), opts.Rand)
	if err != nil {
		return finish(err)
	}
	p.tag = tag
	rep.ProbeTag = tag

	id, unsure, created, err := p.create(ctx)
	switch {
	case err != nil && created:
		// GitHub answered 201 with a body that does not decode: the draft exists, so the token
		// can write; find it by its tag to remove it.
		p.tidy(ctx, 0, true)
		rep.Message = fmt.Sprintf("GitHub write permission confirmed in %s: the probe draft was created (GitHub's answer did not decode, so it was found by its tag)", p.repo)
		return finish(nil)
	case githubapi.IsAlreadyExists(err, "tag_name"):
		// GitHub checks permissions before it validates the body.
		p.tidy(ctx, 0, true)
		rep.Message = fmt.Sprintf("GitHub write permission confirmed in %s: the probe tag %s was taken by an earlier probe, whose draft was removed", p.repo, tag)
		if len(p.warnings) > 0 {
			rep.Message = fmt.Sprintf("GitHub write permission confirmed in %s: the probe tag %s was already in use (see the warnings)", p.repo, tag)
		}
		return finish(nil)
	case err != nil:
		if unsure {
			// An attempt that got no answer, or a 5xx, may still have created a draft: look
			// once, without retries, so that a GitHub that is down costs no more time.
			once := *p
			once.c = p.c.Once()
			once.tidy(ctx, 0, true)
			p.warnings, p.removed = once.warnings, once.removed
		}
		return finish(err)
	}
	p.delete(ctx, id)
	// An attempt that got no answer, or a 5xx, may still have created a draft: then every page
	// is read for it; otherwise the newest page holds this run attempt's leftovers.
	p.tidy(ctx, id, unsure)
	if len(p.warnings) > 0 {
		rep.Message = fmt.Sprintf("GitHub write permission confirmed in %s: the probe draft was created, but not all of it was cleaned up (see the warnings)", p.repo)
	}
	return finish(nil)
}

// prober runs the probe's requests and collects warnings.
type prober struct {
	c        *githubapi.Client
	repo     githubapi.Repo
	tag      string
	created  time.Time // when GitHub created this probe's draft; zero when not known
	warnings []string
	removed  []string // the leftover probe drafts deleted, as "tag (id N)"
}

// create creates the probe draft and returns its id. unsure reports that an attempt failed in
// a way (no answer, a 5xx, or a 201 cut short) that may still have created a draft; created,
// that GitHub answered 201 although the answer did not decode.
func (p *prober) create(ctx context.Context) (id int64, unsure, created bool, err error) {
	var tries githubapi.Attempts
	rel, _, err := p.c.CreateRelease(githubapi.RecordAttempts(ctx, &tries), "create draft release", p.repo, github.CreateReleaseRequest{
		TagName: p.tag,
		Name:    new(ReleaseName),
		Body:    new(ReleaseBody),
		Draft:   new(true),
	})
	p.created = rel.GetCreatedAt().Time
	return rel.GetID(), tries.Uncertain(), tries.Lost(), err
}

// delete removes the draft id; any failure becomes a warning naming the leftover and how to
// remove it. A 404 may mean another run removed it, or that GitHub has not caught up: the
// releases are listed to see whether it is really gone.
func (p *prober) delete(ctx context.Context, id int64) {
	_, err := p.c.DeleteRelease(ctx, "delete draft release", p.repo, id)
	if githubapi.IsNotFound(err) {
		rels, lerr := p.list(ctx)
		if lerr == nil && !slices.ContainsFunc(rels, func(r *github.RepositoryRelease) bool { return r.GetID() == id }) {
			return
		}
		if lerr != nil {
			err = fmt.Errorf("%w, and listing the releases to confirm it is gone failed: %w", err, lerr)
		}
	}
	if err != nil {
		p.warnings = append(p.warnings, fmt.Sprintf(
			"the probe draft release %d (tag %s) could not be deleted and is still in %s (%v); "+
				"delete it with `gh api -X DELETE repos/%s/releases/%d`, or with release-preflight's sweep and an older-than of 1s",
			id, p.tag, p.repo, err, p.repo, id))
	}
}

// tidy deletes the leftovers of probes besides keep, this probe's own draft: every draft with
// this probe's tag (a killed probe of the same run attempt left it; GitHub keeps several drafts
// with one tag, so the create never said so) and every probe draft created more than
// DefaultSweepAge before this probe's own, and warns about a published release with the probe
// tag. It reads the newest page of releases, where this run attempt's leftovers are, or every
// page when all is true; nothing when the answers so far show the rate limit spent until a
// reset the client does not wait for (the clean-up is then left to sweep).
func (p *prober) tidy(ctx context.Context, keep int64, all bool) {
	if until, spent := p.spent(); spent {
		p.warnings = append(p.warnings, fmt.Sprintf(
			"did not look for leftover probe drafts in %s: the rate limit is spent until %s; "+
				"remove any later with release-preflight's sweep", p.repo, until.UTC().Format(time.DateTime+" UTC")))
		return
	}
	list := p.list
	if !all {
		list = p.listRecent
	}
	rels, err := list(ctx)
	if err != nil {
		p.warnings = append(p.warnings, fmt.Sprintf(
			"could not look for leftover probe drafts with tag %s in %s (%v); "+
				"remove any with release-preflight's sweep and an older-than of 1s", p.tag, p.repo, err))
		return
	}
	ref := cmp.Or(p.created, p.c.Now())
	for _, rel := range rels {
		old := rel.GetDraft() && strings.HasPrefix(rel.GetTagName(), TagPrefix) &&
			!rel.GetCreatedAt().IsZero() && rel.GetCreatedAt().Before(ref.Add(-DefaultSweepAge))
		switch {
		case rel.GetID() == keep:
		case rel.GetTagName() == p.tag && !rel.GetDraft():
			p.warnings = append(p.warnings, fmt.Sprintf(
				"a published release %d uses the probe tag %s in %s; delete it and its tag with `gh release delete %s --cleanup-tag --repo %s`",
				rel.GetID(), p.tag, p.repo, p.tag, p.repo))
		case rel.GetTagName() == p.tag && rel.GetDraft(), old:
			if p.remove(ctx, rel) {
				p.removed = append(p.removed, fmt.Sprintf("%s (id %d)", rel.GetTagName(), rel.GetID()))
			}
		}
	}
}

// remove deletes the leftover draft rel, reporting whether it is gone; a failure is a warning.
func (p *prober) remove(ctx context.Context, rel *github.RepositoryRelease) bool {
	before := len(p.warnings)
	q := *p
	q.tag = rel.GetTagName()
	q.delete(ctx, rel.GetID())
	p.warnings = q.warnings
	return len(p.warnings) == before
}

// spent reports whether the answers so far show no request left until a reset further away
// than the client waits, and when that reset is.
func (p *prober) spent() (time.Time, bool) {
	rate := p.c.Observed().Rate
	if rate == nil || rate.Remaining > 0 {
		return time.Time{}, false
	}
	reset := rate.Reset.Time
	wait := p.c.MaxRateLimitWait()
	return reset, wait < 0 || reset.Sub(p.c.Now()) > wait
}

// leftovers says which leftover probe drafts were removed.
func leftovers(removed []string) string {
	if len(removed) == 1 {
		return "the leftover probe draft " + removed[0]
	}
	return fmt.Sprintf("%d leftover probe drafts: %s", len(removed), strings.Join(removed, ", "))
}

// list returns all releases of the repository, drafts included (GitHub shows drafts to tokens
// with push access).
func (p *prober) list(ctx context.Context) ([]*github.RepositoryRelease, error) {
	rels, _, err := p.c.ListReleases(ctx, p.repo)
	return rels, err
}

// listRecent returns the newest page of releases, drafts included: one request.
func (p *prober) listRecent(ctx context.Context) ([]*github.RepositoryRelease, error) {
	rels, _, err := p.c.ListRecentReleases(ctx, p.repo)
	return rels, err
}
