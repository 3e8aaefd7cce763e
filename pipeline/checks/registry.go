package checks

import (
	"context"
	"slices"
)

// A check is one preflight check: its name, the requests it needs for an input, and how it
// decides from what they found. A new check is one entry in registry and one file holding it
// (a fetch of its own, if it reads something no other check reads, goes in fetch.go).
type check struct {
	// name is how reports list it, e.g. "tag-rulesets".
	name string
	// fetches are the requests it needs for in; nil when it sends none (it may still read what
	// the answers to the others said of the token).
	fetches func(in Input) []fetch
	// decide decides it from what was found; it may set what the publish needs to know
	// (Result.MakeLatest, Result.UploadInterval).
	decide func(r *Result) result
}

// registry lists every check, in the order reports list them.
var registry = []check{
	releaseCheck,
	tagCheck,
	rulesetsCheck,
	immutableCheck,
	assetsCheck,
	rateCheck,
	latestCheck,
	oidcCheck,
	attestationsCheck,
	tokenCheck,
}

// Names lists every check in report order.
func Names() []string {
	names := make([]string, len(registry))
	for i, c := range registry {
		names[i] = c.name
	}
	return names
}

// A fetch is one kind of request the checks make; each is sent at most once per run, whichever
// checks need it.
type fetch int

const (
	fetchReleases  fetch = iota // every release, drafts included
	fetchImmutable              // the immutable-releases setting
	fetchRef                    // the tag's ref, annotated tags dereferenced
	fetchRulesets               // the tag rulesets, each read in full
	fetchLatest                 // the latest release
	fetchRate                   // GET /rate_limit
	fetchRepo                   // the repository
)

// run sends the requests of fetch k and records what GitHub answered.
func (fe *fetcher) run(ctx context.Context, k fetch, in Input) {
	f := fe.f
	switch k {
	case fetchReleases:
		f.releases, f.releasesErr = fe.releases(ctx)
	case fetchImmutable:
		f.immutable, f.immutableCode, f.immutableErr = fe.immutableSetting(ctx)
	case fetchRef:
		f.ref, f.refErr = fe.tagRef(ctx, in.Tag)
	case fetchRulesets:
		f.rulesets, f.rulesetsErr = fe.rulesets(ctx)
	case fetchLatest:
		f.latest, f.latestErr = fe.latestRelease(ctx)
	case fetchRate:
		f.rate, f.rateErr = fe.rateLimit(ctx)
	case fetchRepo:
		f.repo, f.repoErr = fe.repository(ctx)
	}
}

// needed is every fetch some check needs for in, each once, in order.
func needed(in Input) []fetch {
	var out []fetch
	for _, c := range registry {
		if c.fetches == nil {
			continue
		}
		for _, k := range c.fetches(in) {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// always is a check's fetches when it needs them for every input.
func always(ks ...fetch) func(Input) []fetch {
	return func(Input) []fetch { return ks }
}

// withTag is a check's fetches when it needs them only to check a tag.
func withTag(ks ...fetch) func(Input) []fetch {
	return func(in Input) []fetch {
		if in.Tag == "" {
			return nil
		}
		return ks
	}
}
