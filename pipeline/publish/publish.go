package publish

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// DefaultConcurrency is how many assets Publish uploads at once when
// Options.Concurrency is 0. GitHub's secondary rate limits punish many
// concurrent writes, so keep it small.
const DefaultConcurrency = 4

// Options says what to publish where.
type Options struct {
	Repo githubapi.Repo
	// Tag is the release's tag, e.g. v1.2.3. It is created when the release
	// is published, at Target.
	Tag string
	// AssetsDir holds the files to attach: every regular file at its top
	// level. Subdirectories, symlinks and special files are skipped with a
	// warning. SHA256SUMS is written into it when it has no checksum file.
	AssetsDir string
	// Draft leaves the release as a draft for a human to publish.
	Draft bool
	// Prerelease marks the release as a pre-release; nil decides from the
	// tag: a semver pre-release suffix (v1.2.3-rc.1) means true.
	Prerelease *bool
	// Notes is the release body (Markdown).
	Notes string
	// GenerateNotes asks GitHub to generate the notes (added after Notes).
	GenerateNotes bool
	// Target is the commit-ish the tag is created from; "" means the
	// repository's default branch.
	Target string
	// ReplaceAssets allows replacing the assets of a release that is already
	// published. Without it, a published release is a ClassConflict error.
	ReplaceAssets bool
	// Known are files of AssetsDir whose SHA-256 is already known, as a build returns them with
	// SHA256SUMS among them: they are not read again before the upload.
	Known []build.Artifact
	// Concurrency bounds the uploads in flight; 0 means DefaultConcurrency.
	Concurrency int
	// Progress gets one line per uploaded asset: name, size and duration.
	// nil discards them.
	Progress io.Writer
	// Now is the clock for the durations in Progress; nil means time.Now.
	Now func() time.Time
}

// Result is what Publish did. It is filled as far as Publish got, also on
// error.
type Result struct {
	ReleaseID int64
	HTMLURL   string // the release page; for a draft, GitHub's "untagged-…" URL
	Draft     bool   // the release is (still) a draft
	Resumed   bool   // a draft from an earlier run was found and completed
	Assets    []report.Asset
	Warnings  []string
}

// Publish creates or resumes the release for opts.Tag in opts.Repo, uploads
// every file of opts.AssetsDir to it, verifies them and publishes it (see the
// package documentation for the exact order).
//
// Errors are classified *outcome.Error values, possibly wrapped: bad
// options or files are ClassInvalidInput (and no request is made); a release
// already published without opts.ReplaceAssets is ClassConflict; GitHub's
// failures keep the class githubapi.Client.Do gave them. Every error after
// the draft exists says how to resume.
func Publish(ctx context.Context, c *githubapi.Client, opts Options) (Result, error) {
	if err := opts.check(); err != nil {
		return Result{}, err
	}
	files, warnings, err := prepareAssets(opts.AssetsDir, opts.Known)
	res := Result{Warnings: warnings}
	if err != nil {
		return res, err
	}
	for _, f := range files {
		res.Assets = append(res.Assets, report.Asset{Name: f.Name, Size: f.Size, SHA256: f.SHA256})
	}

	p := &publisher{c: c, opts: opts, files: files, res: &res}
	rel, err := p.release(ctx)
	if err != nil {
		return res, err
	}
	if err := p.publish(ctx, rel); err != nil {
		return res, resumeHint(err, rel)
	}
	return res, nil
}

// Check validates what Publish would reject before sending anything: the tag, the concurrency
// and, when AssetsDir is set, the files in it. It writes nothing and does not check Repo, so an
// adapter can call it before the probe runs. Failures are ClassInvalidInput.
func Check(opts Options) error {
	if problem := tagProblem(opts.Tag); problem != "" {
		return outcome.Invalid("check the tag", "tag", problem, "Pass a tag such as v1.2.3.")
	}
	if opts.Concurrency < 0 {
		return outcome.Invalid("check the upload concurrency", "concurrency", fmt.Sprintf("concurrency %d is negative", opts.Concurrency),
			fmt.Sprintf("Pass a positive number, or 0 for the default of %d.", DefaultConcurrency))
	}
	if opts.AssetsDir != "" {
		_, _, err := ScanDir(opts.AssetsDir)
		return err
	}
	return nil
}

// check validates opts and fills in defaults. Failures are ClassInvalidInput.
func (o *Options) check() error {
	if err := o.Repo.Validate(); err != nil {
		return err
	}
	if o.AssetsDir == "" {
		return outcome.Invalid("check the assets directory", "assets", "no assets directory was given",
			"Pass the directory holding the files to publish.")
	}
	if err := Check(Options{Tag: o.Tag, Concurrency: o.Concurrency}); err != nil {
		return err
	}
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// publisher carries one run of Publish.
type publisher struct {
	c     *githubapi.Client
	opts  Options
	files []File
	res   *Result // written by the calling goroutine only

	progressMu sync.Mutex
}

// release returns the release to upload to: the one found for the tag, or a
// new draft. A published release without ReplaceAssets is a conflict.
func (p *publisher) release(ctx context.Context) (*github.RepositoryRelease, error) {
	rel, err := p.find(ctx)
	if err != nil {
		return nil, err
	}
	created := false
	if rel == nil {
		if rel, created, err = p.createDraft(ctx); err != nil {
			return nil, err
		}
	}
	p.record(rel)
	switch {
	case !rel.GetDraft() && !p.opts.ReplaceAssets:
		return nil, &outcome.Error{
			Class: outcome.Conflict,
			Op:    "publish release " + p.opts.Tag,
			Repo:  p.opts.Repo.String(),
			Message: fmt.Sprintf("release %s is already published (release ID %d); nothing was changed",
				p.opts.Tag, rel.GetID()),
			Input:       "replace-assets",
			Remediation: fmt.Sprintf("To replace its assets with the files in %s, re-run with the option to replace assets.", p.opts.AssetsDir),
		}
	case !rel.GetDraft() && p.opts.Draft:
		p.warn("release %s is already published, so it cannot be left as a draft; its assets were replaced", p.opts.Tag)
	case rel.GetDraft() && !created:
		p.res.Resumed = true
	}
	return rel, nil
}

// find lists the releases, drafts included, and picks the one for the tag.
func (p *publisher) find(ctx context.Context) (*github.RepositoryRelease, error) {
	var rels []*github.RepositoryRelease
	err := p.c.Do(ctx, "list releases", p.opts.Repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		var (
			resp *github.Response
			err  error
		)
		rels, resp, err = listReleases(ctx, gh, p.opts.Repo)
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	rel, others := pickRelease(rels, p.opts.Tag)
	for _, o := range others {
		p.warn("draft release ID %d also has the tag %s and was left alone; delete it with `gh api -X DELETE repos/%s/releases/%d`",
			o.GetID(), p.opts.Tag, p.opts.Repo, o.GetID())
	}
	return rel, nil
}

// createDraft creates the draft release. Creating is not idempotent on
// GitHub, so every retry first looks for a draft that the failed attempt may
// have created before its answer was lost; a 422 already_exists (a release
// for the tag appeared since find) adopts that release. created is false when
// an existing release was adopted.
func (p *publisher) createDraft(ctx context.Context) (rel *github.RepositoryRelease, created bool, err error) {
	o := p.opts
	prerelease := isPrerelease(o.Tag)
	if o.Prerelease != nil {
		prerelease = *o.Prerelease
	}
	want := &github.RepositoryRelease{
		TagName:    github.String(o.Tag),
		Name:       github.String(o.Tag),
		Body:       github.String(o.Notes),
		Draft:      github.Bool(true),
		Prerelease: github.Bool(prerelease),
	}
	if o.GenerateNotes {
		want.GenerateReleaseNotes = github.Bool(true)
	}
	if o.Target != "" {
		want.TargetCommitish = github.String(o.Target)
	}

	attempt := 0
	err = p.c.Do(ctx, "create draft release "+o.Tag, o.Repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		attempt++
		if attempt > 1 {
			rels, resp, err := listReleases(ctx, gh, o.Repo)
			if err != nil {
				return resp, err
			}
			if found, _ := pickRelease(rels, o.Tag); found != nil {
				rel = found
				return resp, nil
			}
		}
		r, resp, err := gh.Repositories.CreateRelease(ctx, o.Repo.Owner, o.Repo.Name, want)
		if err != nil {
			return resp, err
		}
		rel, created = r, true
		return resp, nil
	})
	if githubapi.IsAlreadyExists(err, "tag_name") {
		found, findErr := p.find(ctx)
		if findErr != nil {
			return nil, false, findErr
		}
		if found != nil {
			return found, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	return rel, created, nil
}

// publish uploads and verifies the assets of rel, then publishes it unless
// it stays a draft.
func (p *publisher) publish(ctx context.Context, rel *github.RepositoryRelease) error {
	if err := p.syncAssets(ctx, rel.GetID()); err != nil {
		return err
	}
	if !rel.GetDraft() || p.opts.Draft {
		return nil
	}
	var done *github.RepositoryRelease
	err := p.c.Do(ctx, "publish release "+p.opts.Tag, p.opts.Repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		r, resp, err := gh.Repositories.EditRelease(ctx, p.opts.Repo.Owner, p.opts.Repo.Name, rel.GetID(),
			&github.RepositoryRelease{Draft: github.Bool(false)})
		done = r
		return resp, err
	})
	if err != nil {
		return err
	}
	p.record(done)
	return nil
}

// record copies what the caller needs to know about rel into the result.
func (p *publisher) record(rel *github.RepositoryRelease) {
	p.res.ReleaseID = rel.GetID()
	p.res.HTMLURL = rel.GetHTMLURL()
	p.res.Draft = rel.GetDraft()
}

func (p *publisher) warn(format string, args ...any) {
	p.res.Warnings = append(p.res.Warnings, fmt.Sprintf(format, args...))
}

// resumeHint appends how to resume to an error that happened after rel was
// found or created.
func resumeHint(err error, rel *github.RepositoryRelease) error {
	if rel.GetDraft() {
		return fmt.Errorf("%w; re-run the same command to resume (draft release ID %d kept)", err, rel.GetID())
	}
	return fmt.Errorf("%w; re-run the same command to finish replacing the assets of release ID %d", err, rel.GetID())
}
