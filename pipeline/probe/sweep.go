package probe

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// DefaultSweepAge is how old a probe draft must be before Sweep deletes it
// when SweepOptions.OlderThan is 0. A probe lives for about a second, so an
// hour never races one that is running.
const DefaultSweepAge = time.Hour

// SweepOptions says where to sweep and what counts as leftover.
type SweepOptions struct {
	Repo githubapi.Repo
	// OlderThan is the minimum age of a probe draft to delete; 0 means
	// DefaultSweepAge.
	OlderThan time.Duration
	// Now is the clock ages are measured against; nil means time.Now.
	Now func() time.Time
	// DryRun lists what would be deleted without deleting it.
	DryRun bool
}

// ParseAge reads the older-than input of a sweep: a positive Go duration such as 1h or 30m.
func ParseAge(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, outcome.Invalid("check the sweep age", "older-than", fmt.Sprintf("%q is not a positive duration", s),
			"Pass a duration such as 1h or 30m.")
	}
	return d, nil
}

// SweepResult is what Sweep did.
type SweepResult struct {
	// Deleted names each deleted draft as "tag (id N)" (with DryRun, each
	// draft that would be deleted).
	Deleted []string
	// Kept counts the releases with a probe tag that were left alone:
	// published ones and drafts younger than OlderThan.
	Kept int
}

// Sweep deletes leftover permission-probe drafts from opts.Repo: releases
// that are drafts, whose tag starts with "preflight-permcheck-", and whose
// created_at lies more than opts.OlderThan in the past. Nothing else is ever
// deleted.
// Drafts are only visible to tokens with push access, so a read-only token
// finds nothing to sweep.
//
// Sweep stops at the first failed deletion and returns what it did so far
// with the classified error.
func Sweep(ctx context.Context, c *githubapi.Client, opts SweepOptions) (SweepResult, error) {
	if err := opts.Repo.Validate(); err != nil {
		return SweepResult{}, err
	}
	if opts.OlderThan < 0 {
		return SweepResult{}, outcome.Invalid("check the sweep age", "older-than", fmt.Sprintf("age %s is negative", opts.OlderThan),
			"Pass a positive duration such as 1h, or 0 for the default of 1h.")
	}
	if opts.OlderThan == 0 {
		opts.OlderThan = DefaultSweepAge
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}

	rels, _, err := c.ListReleases(ctx, opts.Repo)
	if err != nil {
		return SweepResult{}, err
	}

	var res SweepResult
	cutoff := opts.Now().Add(-opts.OlderThan)
	for _, rel := range rels {
		if !strings.HasPrefix(rel.TagName, TagPrefix) {
			continue
		}
		if !rel.Draft || rel.CreatedAt.IsZero() || !rel.CreatedAt.Before(cutoff) {
			res.Kept++
			continue
		}
		if !opts.DryRun {
			_, err := c.DeleteRelease(ctx, "delete leftover probe draft "+rel.TagName, opts.Repo, rel.ID)
			if githubapi.IsNotFound(err) {
				continue // deleted meanwhile, e.g. by a concurrent sweep
			}
			if err != nil {
				return res, err
			}
		}
		res.Deleted = append(res.Deleted, fmt.Sprintf("%s (id %d)", rel.TagName, rel.ID))
	}
	return res, nil
}
