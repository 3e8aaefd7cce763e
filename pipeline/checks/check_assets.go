package checks

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// assetsCheck: the files and what a resumed draft keeps fit GitHub's asset limits.
var assetsCheck = check{
	name:    "asset-budget",
	fetches: always(fetchReleases),
	decide:  (*Result).assets,
}

// GitHub's limits on a release's assets.
const (
	maxAssets    = 1000    // assets per release: more answer 422 "file_count limited to 1000 assets per release"
	maxAssetSize = 2 << 30 // every asset must be smaller
)

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

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	slices.Sort(out)
	return out
}
