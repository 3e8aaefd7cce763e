package probe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
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

// Run creates a draft release tagged with the probe tag and deletes it: two
// requests when all goes well. It never creates a git tag.
//
// If GitHub answers 422 already_exists for the tag (an earlier probe of the
// same run attempt left its draft), only a writer can have got that far, so
// the probe passes; the stale draft is listed and deleted. If the draft cannot
// be deleted, the probe still passes, with a warning naming the leftover
// draft and the commands that remove it. Invalid options fail before any
// request is sent.
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
		p.removeStale(ctx, 0)
		rep.Message = fmt.Sprintf("GitHub write permission confirmed in %s: the probe draft was created (GitHub's answer did not decode, so it was found by its tag)", p.repo)
		return finish(nil)
	case githubapi.IsAlreadyExists(err, "tag_name"):
		// GitHub checks permissions before it validates the body.
		p.removeStale(ctx, 0)
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
			once.removeStale(ctx, 0)
			p.warnings = once.warnings
		}
		return finish(err)
	}
	p.delete(ctx, id)
	if unsure {
		// An attempt that got no answer, or a 5xx, may still have created a
		// draft; remove any besides the one just deleted.
		p.removeStale(ctx, id)
	}
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
	warnings []string
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

// removeStale deletes every draft carrying the probe tag except keep, and
// warns about a published release that carries it.
func (p *prober) removeStale(ctx context.Context, keep int64) {
	rels, err := p.list(ctx)
	if err != nil {
		p.warnings = append(p.warnings, fmt.Sprintf(
			"could not look for leftover probe drafts with tag %s in %s (%v); "+
				"remove any with release-preflight's sweep and an older-than of 1s", p.tag, p.repo, err))
		return
	}
	for _, rel := range rels {
		switch {
		case rel.GetTagName() != p.tag || rel.GetID() == keep:
		case rel.GetDraft():
			p.delete(ctx, rel.GetID())
		default:
			p.warnings = append(p.warnings, fmt.Sprintf(
				"a published release %d uses the probe tag %s in %s; delete it and its tag with `gh release delete %s --cleanup-tag --repo %s`",
				rel.GetID(), p.tag, p.repo, p.tag, p.repo))
		}
	}
}

// list returns all releases of the repository, drafts included (GitHub shows drafts to tokens
// with push access).
func (p *prober) list(ctx context.Context) ([]*github.RepositoryRelease, error) {
	rels, _, err := p.c.ListReleases(ctx, p.repo)
	return rels, err
}
