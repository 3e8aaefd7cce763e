package checks

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// GitHub's limits on a release and on writing to it.
const (
	maxAssets    = 1000    // assets per release: more answer 422 "file_count limited to 1000 assets per release"
	maxAssetSize = 2 << 30 // every asset must be smaller
	// The secondary rate limits on content-creating requests (uploads among them).
	writesPerMinute = 80
	writesPerHour   = 500
)

// kept are the assets of the release being resumed (or replaced) that the publish keeps: the
// complete ones no file replaces.
func (r *Result) kept() []*github.ReleaseAsset {
	rel := r.found.releaseFor(r.in.Tag)
	if r.in.Tag == "" || rel == nil {
		return nil
	}
	names := map[string]bool{}
	for _, f := range r.in.Files {
		names[f.Name] = true
	}
	var kept []*github.ReleaseAsset
	for _, a := range rel.Assets {
		if !names[a.GetName()] && a.GetState() == githubapi.AssetUploaded {
			kept = append(kept, a)
		}
	}
	return kept
}

// assets checks the asset budget: at most 1000 assets on the release (the files and the kept
// assets of a resumed draft), every file under 2 GiB, and no two names GitHub stores alike.
func (r *Result) assets() result {
	in := r.in
	if in.Files == nil {
		return skipped("assets", "Pass the directory of files to publish to check them now.",
			"the files to publish are not known yet, so their number, sizes and names were not checked")
	}
	kept := r.kept()
	var problems []string
	fix := ""
	if total := len(in.Files) + len(kept); total > maxAssets {
		problems = append(problems, fmt.Sprintf("the release would hold %d assets (%d files and %d kept from the draft); GitHub allows %d",
			total, len(in.Files), len(kept), maxAssets))
		fix = "Bundle the files into fewer archives, or delete assets the draft does not need."
	}
	unknownSizes := false
	for _, f := range in.Files {
		switch {
		case f.Size == 0:
			unknownSizes = true
		case f.Size >= maxAssetSize:
			problems = append(problems, fmt.Sprintf("%s is %.1f GiB; GitHub takes assets under 2 GiB", f.Name, float64(f.Size)/(1<<30)))
			fix = cmp.Or(fix, "Split or shrink the files of 2 GiB or more.")
		}
	}
	stored := map[string][]string{}
	names := make([]string, 0, len(in.Files)+len(kept))
	for _, f := range in.Files {
		names = append(names, f.Name)
	}
	for _, a := range kept {
		names = append(names, a.GetName())
	}
	for _, n := range names {
		stored[storedName(n)] = append(stored[storedName(n)], n)
	}
	var clashes []string
	for s, ns := range stored {
		if len(ns) > 1 {
			clashes = append(clashes, fmt.Sprintf("%s would all be stored as %s", strings.Join(quoteAll(ns), ", "), s))
		}
	}
	slices.Sort(clashes)
	if len(clashes) > 0 {
		problems = append(problems, clashes...)
		fix = cmp.Or(fix, "Rename the files so that GitHub keeps each name: letters, digits, '.', '-', '_' and '+'.")
	}
	if len(problems) > 0 {
		return failed(&outcome.Error{Class: outcome.AssetLimit, Op: "check the assets" + of(in.Tag), Repo: in.Repo.String(),
			Message: strings.Join(problems, "; "), Remediation: fix})
	}
	sizes := "each under 2 GiB"
	if unknownSizes {
		sizes = "their sizes are checked once they are built"
	}
	if len(kept) > 0 {
		return ok("%d assets of GitHub's %d per release (%d files and %d kept from the draft), %s", len(in.Files)+len(kept), maxAssets, len(in.Files), len(kept), sizes)
	}
	return ok("%d assets of GitHub's %d per release, %s", len(in.Files), maxAssets, sizes)
}

// storedName is the name GitHub stores an asset under: characters other than letters, digits,
// '-', '_', '.' and '+' become '.', runs of '.' collapse, a leading '.' gets the prefix
// "default" and trailing ones go.
func storedName(n string) string {
	var b strings.Builder
	for _, r := range n {
		if !(r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.+", r))) {
			r = '.'
		}
		if r == '.' && strings.HasSuffix(b.String(), ".") {
			continue
		}
		b.WriteRune(r)
	}
	out := strings.TrimRight(b.String(), ".")
	if strings.HasPrefix(out, ".") {
		out = "default" + out
	}
	return out
}

// cost is what a publish of the input spends.
type cost struct {
	requests int  // requests, all told
	uploads  int  // files uploaded
	writes   int  // content-creating requests: create, uploads, deletes, publish
	known    bool // the files are known; else uploads are not counted
}

// publishCost counts the requests the publish makes: list the releases (a page per 100),
// create the draft unless one is resumed, list its assets, delete the assets it replaces, upload
// every file, list the assets again to verify them, and publish.
func (r *Result) publishCost() cost {
	in := r.in
	c := cost{known: in.Files != nil, uploads: len(in.Files)}
	c.requests = r.found.releasePages() + 2 + c.uploads
	rel := r.found.releaseFor(in.Tag)
	if in.Tag == "" || rel == nil {
		c.writes++ // create the draft
	}
	if in.Tag == "" || rel == nil || (rel.Draft && !in.Draft) {
		c.writes++ // publish it
	}
	if rel != nil && in.Tag != "" {
		names := map[string]bool{}
		for _, f := range in.Files {
			names[f.Name] = true
		}
		for _, a := range rel.Assets {
			if names[a.GetName()] || a.GetState() != githubapi.AssetUploaded {
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

// of is " of TAG", or "" without a tag.
func of(tag string) string {
	if tag == "" {
		return ""
	}
	return " of " + tag
}

// clock renders t for a message.
func clock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	slices.Sort(out)
	return out
}
