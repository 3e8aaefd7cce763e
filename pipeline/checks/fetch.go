package checks

import (
	"context"
	"sync"
	"time"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/tags"
)

// maxTagDepth bounds the chain of tag objects followed to reach a commit.
const maxTagDepth = 5

// isPrerelease is the pre-release choice of in: as given, else from the tag's semver suffix.
func isPrerelease(in Input) bool {
	if in.Prerelease != nil {
		return *in.Prerelease
	}
	return tags.IsPrerelease(in.Tag)
}

// releaseFor returns the release of tag the publish would work on: the published one if there
// is one, else the oldest draft (the one it resumes); nil when there is none.
func (f *found) releaseFor(tag string) *github.RepositoryRelease {
	var draft *github.RepositoryRelease
	for _, rel := range f.releases {
		switch {
		case rel.TagName != tag:
		case !rel.Draft:
			return rel
		case draft == nil || rel.ID < draft.ID:
			draft = rel
		}
	}
	return draft
}

// tagRef is the tag as the refs show it.
type tagRef struct {
	exists    bool
	commit    string // the commit it points at, annotated tags dereferenced
	annotated bool
}

// rulesetRead is one ruleset of the list, fetched in full (or not).
type rulesetRead struct {
	summary *github.RepositoryRuleset
	full    *github.RepositoryRuleset
	err     *outcome.Error
}

// found is everything GitHub answered, and the error of each request that failed.
type found struct {
	releases      []*github.RepositoryRelease
	releasesErr   *outcome.Error
	immutable     *github.RepoImmutableReleasesStatus // nil: GitHub did not say (404 when off, or no admin access)
	immutableCode int                                 // the status GitHub answered when it did not say
	immutableErr  *outcome.Error
	ref           tagRef
	refErr        *outcome.Error
	rulesets      []rulesetRead
	rulesetsErr   *outcome.Error
	latest        *github.RepositoryRelease // nil: no latest release
	latestErr     *outcome.Error
	rate          *github.Rate
	rateErr       *outcome.Error
	repo          *github.Repository
	repoErr       *outcome.Error
	tokenExpiry   time.Time // zero when no answer carried an expiry
	badExpiry     string    // an expiry header that could not be read
}

// releasePages is how many pages listing the releases took: one per PerPage releases, and at
// least one.
func (f *found) releasePages() int {
	return max(1, (len(f.releases)+githubapi.PerPage-1)/githubapi.PerPage)
}

// fetcher sends the requests of one Run.
type fetcher struct {
	c    *githubapi.Client
	repo githubapi.Repo
	f    *found
}

// fetchAll makes the requests the checks need for in (see [check.fetches]), each once and all at
// the same time, and returns what GitHub answered.
func fetchAll(ctx context.Context, c *githubapi.Client, in Input) *found {
	f := &found{}
	fe := &fetcher{c: c, repo: in.Repo, f: f}
	var wg sync.WaitGroup
	for _, k := range needed(in) {
		wg.Go(func() { fe.run(ctx, k, in) })
	}
	wg.Wait()
	if v := c.Observed().TokenExpiry; v != "" {
		if t, ok := githubapi.ParseTokenExpiration(v); ok {
			f.tokenExpiry = t
		} else {
			f.badExpiry = v
		}
	}
	return f
}

// classified is err as the *outcome.Error Client.Do made of it; nil for nil.
func classified(err error) *outcome.Error {
	if err == nil {
		return nil
	}
	e, _ := outcome.As(err)
	return e
}

// notFound reports whether err is GitHub's 404.
func notFound(err *outcome.Error) bool { return err != nil && githubapi.IsNotFound(err) }

// releases lists every release, drafts included, 100 a page.
func (fe *fetcher) releases(ctx context.Context) ([]*github.RepositoryRelease, *outcome.Error) {
	rels, _, err := fe.c.ListReleases(ctx, fe.repo)
	return rels, classified(err)
}

// immutableSetting reads whether immutable releases are on. GitHub answers 404 when they are
// off, and also (or 403) when the token lacks admin access: both leave the setting unknown.
func (fe *fetcher) immutableSetting(ctx context.Context) (*github.RepoImmutableReleasesStatus, int, *outcome.Error) {
	s, _, err := fe.c.ImmutableReleases(ctx, fe.repo)
	if e := classified(err); e != nil {
		if skippable(e) {
			return nil, e.Status, nil
		}
		return nil, 0, e
	}
	return s, 0, nil
}

// tagRef reads the tag's ref and follows tag objects to the commit.
func (fe *fetcher) tagRef(ctx context.Context, tag string) (tagRef, *outcome.Error) {
	ref, _, err := fe.c.GetRef(ctx, "get tag "+tag, fe.repo, "tags/"+tag)
	if e := classified(err); e != nil {
		if notFound(e) {
			return tagRef{}, nil
		}
		return tagRef{}, e
	}
	t := tagRef{exists: true}
	obj := ref.GetObject()
	for range maxTagDepth {
		if obj.GetType() != "tag" {
			break
		}
		t.annotated = true
		tagObj, _, err := fe.c.GetTag(ctx, "get tag object of "+tag, fe.repo, obj.GetSHA())
		if e := classified(err); e != nil {
			return tagRef{}, e
		}
		obj = tagObj.GetObject()
	}
	if obj.GetType() == "commit" {
		t.commit = obj.GetSHA()
	}
	return t, nil
}

// rulesets lists the tag rulesets that apply to the repository, its organization's included,
// and reads each that is not disabled: the list holds only summaries.
func (fe *fetcher) rulesets(ctx context.Context) ([]rulesetRead, *outcome.Error) {
	items, _, err := fe.c.ListTagRulesets(ctx, fe.repo)
	if e := classified(err); e != nil {
		return nil, e
	}
	reads := make([]rulesetRead, 0, len(items))
	for _, it := range items {
		reads = append(reads, rulesetRead{summary: it})
	}
	var wg sync.WaitGroup
	for i := range reads {
		if reads[i].summary.Enforcement == github.RulesetEnforcementDisabled {
			continue
		}
		wg.Go(func() {
			r := &reads[i]
			full, _, err := fe.c.GetRuleset(ctx, fe.repo, r.summary.GetID())
			if r.err = classified(err); r.err == nil {
				r.full = full
			}
		})
	}
	wg.Wait()
	return reads, nil
}

// latestRelease reads the repository's latest release; nil when it has none.
func (fe *fetcher) latestRelease(ctx context.Context) (*github.RepositoryRelease, *outcome.Error) {
	rel, _, err := fe.c.LatestRelease(ctx, fe.repo)
	if e := classified(err); e != nil {
		if notFound(e) {
			return nil, nil
		}
		return nil, e
	}
	return rel, nil
}

// rateLimit reads the token's primary rate limit; GitHub does not charge for it.
func (fe *fetcher) rateLimit(ctx context.Context) (*github.Rate, *outcome.Error) {
	rl, _, err := fe.c.RateLimits(ctx, fe.repo)
	if e := classified(err); e != nil {
		return nil, e
	}
	if rl.GetCore() == nil {
		return nil, &outcome.Error{Class: outcome.ServerError, Op: "get rate limit", Message: "GitHub's answer has no core rate limit",
			Remediation: "Re-run; if it happens again, the API answers in a form release-preflight does not know."}
	}
	return rl.GetCore(), nil
}

// repository reads the repository: its visibility and owner.
func (fe *fetcher) repository(ctx context.Context) (*github.Repository, *outcome.Error) {
	r, _, err := fe.c.GetRepository(ctx, fe.repo)
	return r, classified(err)
}
