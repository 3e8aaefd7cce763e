package checks

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// maxTagDepth bounds the chain of tag objects followed to reach a commit.
const maxTagDepth = 5

// wants says which requests Run makes for an input.
type wants struct {
	releases, immutable, ref, rulesets, latest, rate, repo bool
}

// plan is what Run asks GitHub for in: the lists and settings every run reads, the tag's ref,
// rulesets and the latest release when there is a tag (the latest only when it decides
// make_latest), and the repository when attestations are asked for.
func plan(in Input) wants {
	tag := in.Tag != ""
	return wants{
		releases: true, immutable: true, rate: true,
		ref: tag, rulesets: tag,
		latest: tag && in.Latest == LatestAuto && !in.Draft && !isPrerelease(in),
		repo:   in.Attestations,
	}
}

// isPrerelease is the pre-release choice of in: as given, else from the tag's semver suffix.
func isPrerelease(in Input) bool {
	if in.Prerelease != nil {
		return *in.Prerelease
	}
	v, ok := parseVersion(in.Tag)
	return ok && v.prerelease()
}

// What GitHub answers, decoded by hand: go-github v62 knows neither release.immutable nor the
// newer rule types, on which its ruleset decoder fails.

type ghAsset struct {
	Name   string `json:"name"`
	State  string `json:"state"`
	Size   int64  `json:"size"`
	Digest string `json:"digest"` // "sha256:HEX"; empty for assets uploaded before June 2025
}

type ghRelease struct {
	ID         int64     `json:"id"`
	TagName    string    `json:"tag_name"`
	Draft      bool      `json:"draft"`
	Prerelease bool      `json:"prerelease"`
	Immutable  bool      `json:"immutable"`
	HTMLURL    string    `json:"html_url"`
	Assets     []ghAsset `json:"assets"`
}

type ghObject struct {
	Type string `json:"type"`
	SHA  string `json:"sha"`
}

type ghRef struct {
	Object ghObject `json:"object"`
}

type ghRulesetSummary struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Enforcement string `json:"enforcement"`
}

type ghRuleset struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Target      string `json:"target"`
	SourceType  string `json:"source_type"`
	Source      string `json:"source"`
	Enforcement string `json:"enforcement"`
	Conditions  *struct {
		RefName *struct {
			Include []string `json:"include"`
			Exclude []string `json:"exclude"`
		} `json:"ref_name"`
	} `json:"conditions"`
	Rules []struct {
		Type string `json:"type"`
	} `json:"rules"`
	CurrentUserCanBypass string `json:"current_user_can_bypass"`
	Links                struct {
		HTML *struct {
			Href string `json:"href"`
		} `json:"html"`
	} `json:"_links"`
}

type ghImmutable struct {
	Enabled         bool `json:"enabled"`
	EnforcedByOwner bool `json:"enforced_by_owner"`
}

type ghRate struct {
	Limit     int   `json:"limit"`
	Remaining int   `json:"remaining"`
	Used      int   `json:"used"`
	Reset     int64 `json:"reset"`
}

type ghRateLimit struct {
	Resources struct {
		Core *ghRate `json:"core"`
	} `json:"resources"`
}

type ghRepo struct {
	Private    bool   `json:"private"`
	Visibility string `json:"visibility"`
	Owner      struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"owner"`
}

// tagRef is the tag as the refs show it.
type tagRef struct {
	exists    bool
	commit    string // the commit it points at, annotated tags dereferenced
	annotated bool
}

// rulesetRead is one ruleset of the list, fetched in full (or not).
type rulesetRead struct {
	summary ghRulesetSummary
	full    *ghRuleset
	err     *outcome.Error
}

// found is everything GitHub answered, and the error of each request that failed.
type found struct {
	releases      []ghRelease
	releasePages  int
	releasesErr   *outcome.Error
	immutable     *ghImmutable // nil: GitHub did not say (404 when off, or no admin access)
	immutableCode int          // the status GitHub answered when it did not say
	immutableErr  *outcome.Error
	ref           tagRef
	refErr        *outcome.Error
	rulesets      []rulesetRead
	rulesetsErr   *outcome.Error
	latest        *ghRelease // nil: no latest release
	latestErr     *outcome.Error
	rate          *ghRate
	rateErr       *outcome.Error
	repo          *ghRepo
	repoErr       *outcome.Error
	tokenExpiry   time.Time // zero when no answer carried an expiry
	badExpiry     string    // an expiry header that could not be read
	expiryMu      sync.Mutex
}

// fetcher sends the requests of one Run.
type fetcher struct {
	c    *githubapi.Client
	repo githubapi.Repo
	base string // "repos/OWNER/NAME"
	f    *found
}

// fetch makes the requests w asks for, at the same time, and returns what GitHub answered.
func fetch(ctx context.Context, c *githubapi.Client, in Input, w wants) *found {
	f := &found{}
	fe := &fetcher{c: c, repo: in.Repo, f: f,
		base: "repos/" + url.PathEscape(in.Repo.Owner) + "/" + url.PathEscape(in.Repo.Name)}
	var wg sync.WaitGroup
	run := func(want bool, fn func()) {
		if want {
			wg.Go(fn)
		}
	}
	run(w.releases, func() { f.releases, f.releasePages, f.releasesErr = fe.releases(ctx) })
	run(w.immutable, func() { f.immutable, f.immutableCode, f.immutableErr = fe.immutableSetting(ctx) })
	run(w.ref, func() { f.ref, f.refErr = fe.tagRef(ctx, in.Tag) })
	run(w.rulesets, func() { f.rulesets, f.rulesetsErr = fe.rulesets(ctx) })
	run(w.latest, func() { f.latest, f.latestErr = fe.latestRelease(ctx) })
	run(w.rate, func() { f.rate, f.rateErr = fe.rateLimit(ctx) })
	run(w.repo, func() { f.repo, f.repoErr = fe.repository(ctx) })
	wg.Wait()
	return f
}

// get sends GET path (relative to the API root) and decodes the answer into v, as operation
// op; it returns GitHub's response, whose NextPage says whether there are more.
func (fe *fetcher) get(ctx context.Context, op, path string, v any) (*github.Response, *outcome.Error) {
	var last *github.Response
	err := fe.c.Do(ctx, op, fe.repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		req, err := gh.NewRequest(http.MethodGet, path, nil)
		if err != nil {
			return nil, err
		}
		resp, err := gh.Do(ctx, req, v)
		fe.sawResponse(resp)
		last = resp
		return resp, err
	})
	if err != nil {
		e, _ := outcome.As(err)
		return last, e
	}
	return last, nil
}

// sawResponse records the token's expiry from any answer that carries one.
func (fe *fetcher) sawResponse(resp *github.Response) {
	if resp == nil || resp.Response == nil {
		return
	}
	v := resp.Header.Get(headerTokenExpiration)
	if v == "" {
		return
	}
	fe.f.expiryMu.Lock()
	defer fe.f.expiryMu.Unlock()
	if t, ok := parseTokenExpiration(v); ok {
		fe.f.tokenExpiry = t
	} else {
		fe.f.badExpiry = v
	}
}

// notFound reports whether err is GitHub's 404.
func notFound(err *outcome.Error) bool { return err != nil && githubapi.IsNotFound(err) }

// list reads every page of the list at path (at most the client's page cap), recording what
// each answer says of the token, and returns the items and the number of pages.
func list[T any](ctx context.Context, fe *fetcher, op, path string) ([]T, int, *outcome.Error) {
	page := githubapi.ListPath[T](path)
	pages := 0
	items, err := githubapi.ListAll(ctx, fe.c, op, fe.repo, func(ctx context.Context, gh *github.Client, o *github.ListOptions) ([]T, *github.Response, error) {
		items, resp, err := page(ctx, gh, o)
		fe.sawResponse(resp)
		if err == nil {
			pages++
		}
		return items, resp, err
	})
	if err != nil {
		e, _ := outcome.As(err)
		return nil, pages, e
	}
	return items, pages, nil
}

// releases lists every release, drafts included, 100 a page.
func (fe *fetcher) releases(ctx context.Context) ([]ghRelease, int, *outcome.Error) {
	return list[ghRelease](ctx, fe, "list releases", fe.base+"/releases")
}

// immutableSetting reads whether immutable releases are on. GitHub answers 404 when they are
// off, and also (or 403) when the token lacks admin access: both leave the setting unknown.
func (fe *fetcher) immutableSetting(ctx context.Context) (*ghImmutable, int, *outcome.Error) {
	var s ghImmutable
	if _, err := fe.get(ctx, "check immutable releases", fe.base+"/immutable-releases", &s); err != nil {
		if skippable(err) {
			return nil, err.Status, nil
		}
		return nil, 0, err
	}
	return &s, 0, nil
}

// tagRef reads the tag's ref and follows tag objects to the commit.
func (fe *fetcher) tagRef(ctx context.Context, tag string) (tagRef, *outcome.Error) {
	var ref ghRef
	if _, err := fe.get(ctx, "get tag "+tag, fe.base+"/git/ref/tags/"+escapePath(tag), &ref); err != nil {
		if notFound(err) {
			return tagRef{}, nil
		}
		return tagRef{}, err
	}
	t := tagRef{exists: true}
	obj := ref.Object
	for range maxTagDepth {
		if obj.Type != "tag" {
			break
		}
		t.annotated = true
		var tagObj ghRef
		if _, err := fe.get(ctx, "get tag object of "+tag, fe.base+"/git/tags/"+url.PathEscape(obj.SHA), &tagObj); err != nil {
			return tagRef{}, err
		}
		obj = tagObj.Object
	}
	if obj.Type == "commit" {
		t.commit = obj.SHA
	}
	return t, nil
}

// rulesets lists the tag rulesets that apply to the repository, its organization's included,
// and reads each that is not disabled: the list holds only summaries.
func (fe *fetcher) rulesets(ctx context.Context) ([]rulesetRead, *outcome.Error) {
	items, _, err := list[ghRulesetSummary](ctx, fe, "list tag rulesets", fe.base+"/rulesets?targets=tag&includes_parents=true")
	if err != nil {
		return nil, err
	}
	reads := make([]rulesetRead, 0, len(items))
	for _, it := range items {
		reads = append(reads, rulesetRead{summary: it})
	}
	var wg sync.WaitGroup
	for i := range reads {
		if reads[i].summary.Enforcement == "disabled" {
			continue
		}
		wg.Go(func() {
			r := &reads[i]
			var full ghRuleset
			_, err := fe.get(ctx, fmt.Sprintf("get ruleset %d", r.summary.ID),
				fmt.Sprintf("%s/rulesets/%d?includes_parents=true", fe.base, r.summary.ID), &full)
			if err != nil {
				r.err = err
				return
			}
			r.full = &full
		})
	}
	wg.Wait()
	return reads, nil
}

// latestRelease reads the repository's latest release; nil when it has none.
func (fe *fetcher) latestRelease(ctx context.Context) (*ghRelease, *outcome.Error) {
	var rel ghRelease
	if _, err := fe.get(ctx, "get latest release", fe.base+"/releases/latest", &rel); err != nil {
		if notFound(err) {
			return nil, nil
		}
		return nil, err
	}
	return &rel, nil
}

// rateLimit reads the token's primary rate limit; GitHub does not charge for it.
func (fe *fetcher) rateLimit(ctx context.Context) (*ghRate, *outcome.Error) {
	var rl ghRateLimit
	if _, err := fe.get(ctx, "get rate limit", "rate_limit", &rl); err != nil {
		return nil, err
	}
	if rl.Resources.Core == nil {
		return nil, &outcome.Error{Class: outcome.ServerError, Op: "get rate limit", Message: "GitHub's answer has no core rate limit",
			Remediation: "Re-run; if it happens again, the API answers in a form release-preflight does not know."}
	}
	return rl.Resources.Core, nil
}

// repository reads the repository: its visibility and owner.
func (fe *fetcher) repository(ctx context.Context) (*ghRepo, *outcome.Error) {
	var r ghRepo
	if _, err := fe.get(ctx, "get repository", fe.base, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// escapePath escapes each "/"-separated segment of p.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
