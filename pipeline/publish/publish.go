package publish

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v93/github"
	"golang.org/x/sync/errgroup"

	"github.com/release-preflight/release-preflight/pipeline/checksums"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/progress"
	"github.com/release-preflight/release-preflight/pipeline/report"
	"github.com/release-preflight/release-preflight/pipeline/tags"
)

// DefaultConcurrency is how many assets Publish uploads at once when Options.Concurrency is 0.
// GitHub's secondary rate limits punish many concurrent writes, so keep it small.
const DefaultConcurrency = 4

// Pacing: GitHub allows about 80 content-creating requests a minute before its secondary rate
// limit answers; a publish with more uploads than that spaces them out.
const (
	paceAfter    = 80
	paceInterval = time.Minute / paceAfter
)

// maxNotes is the longest release body GitHub takes, in characters.
const maxNotes = 125000

// Options says what to publish where.
type Options struct {
	Repo githubapi.Repo
	// Tag is the release's tag, e.g. v1.2.3. It is created when the release is published, at
	// Target.
	Tag string
	// AssetsDir holds the files to attach: every regular file at its top level. Subdirectories,
	// symlinks and special files are skipped with a warning. SHA256SUMS is written into it
	// when it has no checksum file. "" publishes the draft for Tag as it stands: the last job
	// of a matrix whose other jobs each added their files with Draft.
	AssetsDir string
	// Known are files of AssetsDir whose SHA-256 is already known, as a build returns them with
	// SHA256SUMS among them: they are not read again before the upload.
	Known []File
	// Draft leaves the release as a draft: for a human to publish, or for the last job of a
	// matrix.
	Draft bool
	// Prerelease marks the release as a pre-release; nil decides from the tag: a semver
	// pre-release suffix (v1.2.3-rc.1) means true.
	Prerelease *bool
	// Notes is the release body (Markdown), at most 125000 characters.
	Notes string
	// GenerateNotes asks GitHub to generate the notes (added after Notes).
	GenerateNotes bool
	// Target is the commit-ish the tag is created from; "" means the repository's default
	// branch.
	Target string
	// MakeLatest is make_latest when the release is published: "true", "false", "legacy", or
	// "" for GitHub's default.
	MakeLatest string
	// ReplaceAssets allows replacing the assets of a release that is already published, each
	// swapped in under a temporary name so that no moment shows it missing. Without it, a
	// published release whose assets differ from the files is a Conflict.
	ReplaceAssets bool
	// UploadInterval is the least time between the starts of two uploads (the preflight
	// checks' pace for GitHub's secondary rate limits). Publish paces more than 80 uploads at
	// least one every 750ms whatever it is.
	UploadInterval time.Duration
	// Concurrency bounds the uploads in flight; 0 means DefaultConcurrency.
	Concurrency int
	// Progress gets one line per uploaded asset: name, size and duration; and, while uploads
	// run, a line per upload every 10 s with the bytes sent (package progress). nil discards
	// them.
	Progress io.Writer
	// Now is the clock for the durations in Progress; nil means time.Now.
	Now func() time.Time
	// Sleep waits between paced uploads; nil waits on a timer that honours ctx.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Result is what Publish did. It is filled as far as Publish got, also on error.
type Result struct {
	ReleaseID int64
	HTMLURL   string // the release page; for a draft, GitHub's "untagged-…" URL
	Draft     bool   // the release is (still) a draft
	Resumed   bool   // a draft from an earlier run, or a sibling job, was completed
	Unchanged bool   // the release was already published with exactly these files
	Uploaded  int    // assets this run uploaded
	Assets    []report.Asset
	Warnings  []string
}

// Prepared is a publish whose input has been checked and whose files have been read, without
// any request: what Publish sends.
type Prepared struct {
	opts     Options
	files    []File // SHA256SUMS (when managed) is kept apart, in sums
	sums     *File
	warnings []string
}

// Tag is the tag of the release.
func (p *Prepared) Tag() string { return p.opts.Tag }

// For is the publish into repo.
func (p *Prepared) For(repo githubapi.Repo) *Prepared {
	q := *p
	q.opts.Repo = repo
	return &q
}

// Files returns the files the publish will upload, SHA256SUMS included, sorted by name. A
// file's SHA256 is "" when it is computed only while the publish uploads it (a directory
// without a checksum file).
func (p *Prepared) Files() []File { return withSums(p.files, p.sums) }

// withSums is files and sums (when not nil), sorted by name.
func withSums(files []File, sums *File) []File {
	files = slices.Clone(files)
	if sums != nil {
		files = append(files, *sums)
		slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	}
	return files
}

// allFiles is every file the publish uploads, SHA256SUMS included, sorted by name.
func (p *publisher) allFiles() []File { return withSums(p.files, p.sums) }

// Decided is the publish with what the preflight checks decided: make_latest when makeLatest
// is not "", and at least interval between the starts of two uploads.
func (p *Prepared) Decided(makeLatest string, interval time.Duration) *Prepared {
	q := *p
	if makeLatest != "" {
		q.opts.MakeLatest = makeLatest
	}
	q.opts.UploadInterval = max(q.opts.UploadInterval, interval)
	return &q
}

// Plan returns the files a publish of dir uploads, SHA256SUMS included, sorted by name, read
// and checked as [Prepare] reads them, without any request: a checksum file among them must
// match them. Failures are InvalidInput.
func Plan(dir string) ([]File, error) {
	files, sums, _, err := prepareAssets(dir, nil)
	if err != nil {
		return nil, err
	}
	return withSums(files, sums), nil
}

// Prepare checks opts and the files to publish before any request: the options as [Validate]
// does; a checksum file in the directory is verified (every file read once); without one, a
// SHA256SUMS is planned, made by [Publish] from the sums it computes while the files upload;
// files in opts.Known keep the sums they came with. Nothing is written. Failures are
// InvalidInput.
func Prepare(opts Options) (*Prepared, error) {
	if err := Validate(opts); err != nil {
		return nil, err
	}
	p := &Prepared{opts: opts}
	if opts.AssetsDir == "" {
		return p, nil
	}
	files, sums, warnings, err := prepareAssets(opts.AssetsDir, opts.Known)
	if err != nil {
		return nil, err
	}
	p.warnings, p.sums = warnings, sums
	for _, f := range files {
		if f.Name == checksums.FileName {
			p.sums = &f
			continue
		}
		p.files = append(p.files, f)
	}
	return p, nil
}

// Validate validates what Publish would refuse, before anything is read or sent: the tag (a tag
// name, not a git ref, without invisible characters), the target (a branch or a full SHA), the
// notes, the concurrency and, when AssetsDir is set, the names, sizes and number of the files
// in it. Failures are InvalidInput.
func Validate(opts Options) error {
	if problem := tags.Problem(opts.Tag); problem != "" {
		fix := "Pass a tag such as v1.2.3."
		switch {
		case opts.Tag == "":
			fix = "Pass the release tag, such as v1.2.3."
		case tags.IsRef(opts.Tag):
			fix = "Pass the tag's name, such as v1.2.3: in GitHub Actions that is $GITHUB_REF_NAME, not $GITHUB_REF."
		case tags.Invisible(opts.Tag) != nil:
			fix = "Type the tag again instead of pasting it, such as v1.2.3: it would look like a tag it is not."
		}
		return outcome.Invalid("check the tag", "tag", problem, fix)
	}
	if problem := tags.TargetProblem(opts.Target); problem != "" {
		return outcome.Invalid("check the target", "target", problem,
			"Pass a branch's name, such as main, or a commit's full SHA (git rev-parse HEAD), or nothing for the default branch.")
	}
	if n := len([]rune(opts.Notes)); n > maxNotes {
		return outcome.Invalid("check the release notes", "notes", fmt.Sprintf("the notes are %d characters long", n),
			fmt.Sprintf("Shorten the notes to at most %d characters, GitHub's limit.", maxNotes))
	}
	if opts.Concurrency < 0 {
		return outcome.Invalid("check the upload concurrency", "concurrency", fmt.Sprintf("concurrency %d is negative", opts.Concurrency),
			fmt.Sprintf("Pass a positive number, or 0 for the default of %d.", DefaultConcurrency))
	}
	switch opts.MakeLatest {
	case "", "true", "false", "legacy":
	default:
		return outcome.Invalid("check the latest choice", "latest", fmt.Sprintf("%q is not true, false or legacy", opts.MakeLatest),
			"Pass true, false or legacy.")
	}
	if opts.AssetsDir != "" {
		_, _, err := ScanDir(opts.AssetsDir)
		return err
	}
	return nil
}

// Publish publishes the prepared files as the release for their tag, as a transaction: it
// never leaves a published release with a missing, partial or wrong *github.ReleaseAsset, and running it
// again after any failure finishes the same release (see the package documentation for the
// order and the guarantees).
//
// Errors are classified *outcome.Error values, possibly wrapped: a release already published
// with other assets, without ReplaceAssets, is a Conflict; GitHub's failures keep the class
// githubapi.Client.Do gave them. Every error after the draft exists says how to resume.
func Publish(ctx context.Context, c *githubapi.Client, prep *Prepared) (Result, error) {
	opts := prep.opts
	if err := opts.Repo.Validate(); err != nil {
		return Result{}, err
	}
	opts.Concurrency = max(opts.Concurrency, 0)
	if opts.Concurrency == 0 {
		opts.Concurrency = DefaultConcurrency
	}
	heartbeat := progress.From(opts.Progress)
	if opts.Progress == nil {
		opts.Progress = io.Discard
	} else {
		opts.Progress = heartbeat // its lines and the heartbeat's come out whole
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = githubapi.Sleep
	}
	res := Result{Warnings: slices.Clone(prep.warnings)}
	p := &publisher{r: remote{c: c, repo: opts.Repo, tag: opts.Tag}, opts: opts, heartbeat: heartbeat, files: slices.Clone(prep.files), sums: prep.sums, res: &res}
	for _, f := range prep.Files() {
		res.Assets = append(res.Assets, report.Asset{Name: f.Name, Size: f.Size, SHA256: f.SHA256})
	}
	if slices.ContainsFunc(p.files, func(f File) bool { return f.SHA256 == "" }) {
		p.hash = startHashing(ctx, p.files)
		defer p.hash.stop()
	}
	rel, err := p.target(ctx)
	if err != nil {
		return res, err
	}
	if !rel.Draft {
		err = p.onPublished(ctx, rel)
	} else {
		err = p.onDraft(ctx, rel)
	}
	if err != nil {
		return res, p.resumeHint(err)
	}
	return res, nil
}

// publisher carries one run of Publish.
type publisher struct {
	r     remote
	opts  Options
	files []File
	sums  *File // the managed SHA256SUMS, rewritten to cover every asset of the release
	res   *Result

	hash    *hashing // the files' SHA-256 being computed, nil when all are known
	isReady bool     // every file's SHA-256 is known (see ready)

	fresh          bool                   // the draft was created by this run and is known to be empty
	verified       []*github.ReleaseAsset // the assets as the last verification listed them
	readBackAssets []*github.ReleaseAsset // the assets as the last read-back showed them
	sumsWant       *File                  // the SHA256SUMS the release holds once this run is done
	unsure         bool                   // the draft was to be published, and reading it back failed

	heartbeat *progress.Writer // the uploads in flight, reported every 10 s; nil: none

	mu sync.Mutex // guards res.Uploaded and Progress during uploads
}

// target returns the release to publish into: the one for the tag (the published one, else the
// oldest draft) or a new draft. Drafts created at the same moment by sibling jobs are resolved
// to one: the oldest wins, and every other job deletes the empty draft it created.
func (p *publisher) target(ctx context.Context) (*github.RepositoryRelease, error) {
	rels, err := p.r.releases(ctx)
	if err != nil {
		return nil, err
	}
	if rel, ok := pick(rels, p.opts.Tag); ok {
		p.res.Resumed = rel.Draft
		p.warnOthers(rels, rel.ID, 0)
		p.record(rel)
		return rel, nil
	}
	if p.opts.AssetsDir == "" {
		return nil, outcome.Invalid("find the draft release "+p.opts.Tag, "assets",
			fmt.Sprintf("there is no draft release for %s to publish", p.opts.Tag), "Pass the directory of files to publish.")
	}
	created, err := p.r.create(ctx, p.fields(true))
	if githubapi.IsAlreadyExists(err, "tag_name") {
		// A published release took the tag since the listing: the next listing finds it.
		err = nil
	}
	if err != nil {
		return nil, err
	}
	// A sibling may have created a draft for the tag at the same moment, or an attempt whose
	// answer was lost may have created one more: look again, and keep the oldest.
	if rels, err = p.r.releases(ctx); err != nil {
		return nil, err
	}
	winner, ok := pick(rels, p.opts.Tag)
	switch {
	case !ok && created == nil:
		return nil, &outcome.Error{Class: outcome.ServerError, Op: "create draft release " + p.opts.Tag, Repo: p.opts.Repo.String(),
			Message:     "GitHub answered that a release with the tag exists, but listing the releases shows none",
			Remediation: "Re-run the same command: GitHub's listing usually catches up within seconds."}
	case !ok:
		winner = created
	}
	createdID := created.GetID()
	if winner.ID != createdID && createdID != 0 {
		if err := p.r.deleteRelease(ctx, createdID); err != nil && !githubapi.IsNotFound(err) {
			p.warn("the duplicate draft release ID %d of %s could not be deleted (%v); delete it with `gh api -X DELETE repos/%s/releases/%d`",
				createdID, p.opts.Tag, err, p.opts.Repo, createdID)
		}
	}
	p.res.Resumed = winner.Draft && winner.ID != createdID
	p.warnOthers(rels, winner.ID, createdID)
	p.fresh = winner.ID == createdID
	p.record(winner)
	return winner, nil
}

// pick returns the release for tag among rels: the published one if there is one, else the
// oldest draft (the lowest ID), which every concurrent publish picks alike.
func pick(rels []*github.RepositoryRelease, tag string) (*github.RepositoryRelease, bool) {
	var best *github.RepositoryRelease
	found := false
	for _, r := range rels {
		if r.TagName != tag {
			continue
		}
		switch {
		case !found,
			best.Draft && !r.Draft,
			best.Draft == r.Draft && r.ID < best.ID:
			best, found = r, true
		}
	}
	return best, found
}

// siblingGrace is how long a draft with the tag that holds no asset may be a sibling job's:
// jobs that create a draft at the same moment each delete their own, which is not the oldest,
// a few requests later.
const siblingGrace = 10 * time.Minute

// warnOthers warns about the drafts with the tag besides keep (and the one this run created
// and deleted) that no sibling job is about to delete: those that hold assets, and empty ones
// created more than siblingGrace ago.
func (p *publisher) warnOthers(rels []*github.RepositoryRelease, keep, deleted int64) {
	cutoff := p.r.c.Now().Add(-siblingGrace)
	for _, r := range rels {
		if r.TagName != p.opts.Tag || !r.Draft || r.ID == keep || r.ID == deleted {
			continue
		}
		if len(r.Assets) == 0 && r.CreatedAt.After(cutoff) {
			continue // a sibling job's duplicate, which it deletes itself
		}
		p.warn("draft release ID %d also has the tag %s and was left alone; delete it with `gh api -X DELETE repos/%s/releases/%d`",
			r.ID, p.opts.Tag, p.opts.Repo, r.ID)
	}
}

// fields are the release fields of this run; draft is the state to create it in.
func (p *publisher) fields(draft bool) github.CreateReleaseRequest {
	o := p.opts
	f := github.CreateReleaseRequest{TagName: o.Tag, Name: &o.Tag, Body: &o.Notes, Draft: &draft, Prerelease: new(p.prerelease())}
	if o.Target != "" {
		f.TargetCommitish = &o.Target
	}
	if o.GenerateNotes {
		f.GenerateReleaseNotes = new(true)
	}
	return f
}

func (p *publisher) prerelease() bool {
	if p.opts.Prerelease != nil {
		return *p.opts.Prerelease
	}
	return tags.IsPrerelease(p.opts.Tag)
}

// onDraft completes a draft: the fields of this run, every file uploaded and verified, the
// managed SHA256SUMS covering every asset; then, unless Draft, publishes it.
func (p *publisher) onDraft(ctx context.Context, rel *github.RepositoryRelease) error {
	if err := p.updateResumed(ctx, rel); err != nil {
		return err
	}
	var remote []*github.ReleaseAsset
	if !p.fresh {
		// What the draft holds is compared with the files: their sums are needed first.
		if err := p.ready(ctx); err != nil {
			return err
		}
		var err error
		if remote, err = p.r.assets(ctx, rel.ID); err != nil {
			return err
		}
	}
	if err := p.sync(ctx, rel, remote); err != nil {
		return err
	}
	if err := p.ready(ctx); err != nil {
		return err
	}
	remote, err := p.verify(ctx, rel, !p.opts.Draft)
	if err != nil {
		return err
	}
	if err := p.syncSums(ctx, rel, remote); err != nil {
		return err
	}
	if p.opts.Draft {
		return nil
	}
	return p.undraft(ctx, rel)
}

// updateResumed brings a resumed draft's notes, pre-release flag and target to this run's,
// saying so, since a re-run that changed them means them. Publishing a draft as it stands (the
// last job of a matrix), only what this run was given is applied: the notes when there are
// some (or generated ones), the pre-release flag when it is not left to the tag, the target.
func (p *publisher) updateResumed(ctx context.Context, rel *github.RepositoryRelease) error {
	finish := p.opts.AssetsDir == ""
	if !p.res.Resumed && !finish {
		return nil
	}
	var changed []string
	f := github.UpdateReleaseRequest{}
	notes := p.opts.Notes
	if finish && p.opts.GenerateNotes {
		generated, err := p.r.generateNotes(ctx, p.opts.Target)
		if err != nil {
			return err
		}
		notes = strings.TrimPrefix(notes+"\n\n"+generated, "\n\n")
	}
	if (finish && notes != "" || !finish && !p.opts.GenerateNotes) && rel.GetBody() != notes {
		f.Body, changed = &notes, append(changed, "notes")
	}
	if pre := p.prerelease(); (!finish || p.opts.Prerelease != nil) && rel.Prerelease != pre {
		f.Prerelease, changed = &pre, append(changed, "pre-release flag")
	}
	if p.opts.Target != "" && rel.TargetCommitish != p.opts.Target {
		f.TargetCommitish, changed = &p.opts.Target, append(changed, "target")
	}
	if len(changed) == 0 {
		return nil
	}
	if _, err := p.r.update(ctx, "update draft release "+p.opts.Tag, rel.ID, f); err != nil {
		return err
	}
	if finish {
		p.progress("set the %s of the draft of %s to this run's\n", strings.Join(changed, " and "), p.opts.Tag)
		return nil
	}
	p.warn("the resumed draft of %s had other %s; they were set to this run's", p.opts.Tag, strings.Join(changed, " and "))
	return nil
}

// sync uploads every file the draft does not already hold intact. An asset with a file's name
// that is unfinished, or holds other bytes (an earlier try, with other bytes), is deleted first,
// once a fresh read shows the release is still a draft.
func (p *publisher) sync(ctx context.Context, rel *github.RepositoryRelease, remote []*github.ReleaseAsset) error {
	byName := assetsByName(remote)
	var todo []File
	var stale []*github.ReleaseAsset
	for _, f := range p.files {
		a, ok := byName[f.Name]
		switch {
		case !ok:
			todo = append(todo, f)
		case isIntact(a, f):
			p.progress("%s is already on the draft (%s)\n", f.Name, report.Size(f.Size))
		default:
			stale, todo = append(stale, a), append(todo, f)
		}
	}
	if !p.opts.Draft {
		// Unfinished assets this run does not upload would keep the release from publishing;
		// complete ones stay, and publishing with files from a directory says so.
		for _, a := range remote {
			if _, ours := fileNamed(p.files, a.GetName()); ours || a.GetName() == checksums.FileName {
				continue
			}
			switch {
			case a.GetState() != githubapi.AssetUploaded:
				stale = append(stale, a)
				p.warn("deleted the unfinished asset %s (state %q) from the draft of %s", a.GetName(), a.GetState(), p.opts.Tag)
			case p.opts.AssetsDir != "":
				p.warn("asset %s of release %s is not in %s and was kept", a.GetName(), p.opts.Tag, p.opts.AssetsDir)
			}
		}
	}
	if len(stale) > 0 {
		if err := p.stillDraft(ctx, rel); err != nil {
			return err
		}
		for _, a := range stale {
			if err := p.r.deleteAsset(ctx, a); err != nil && !githubapi.IsNotFound(err) {
				return err
			}
		}
	}
	return p.uploadAll(ctx, rel, todo)
}

// stillDraft reads the release again and fails unless it is still a draft: nothing on a
// published release is ever deleted but by ReplaceAssets' swap.
func (p *publisher) stillDraft(ctx context.Context, rel *github.RepositoryRelease) error {
	cur, found, err := p.r.release(ctx, rel.ID)
	switch {
	case err != nil:
		return err
	case !found:
		return &outcome.Error{Class: outcome.Conflict, Op: "publish release " + p.opts.Tag, Repo: p.opts.Repo.String(),
			Message:     fmt.Sprintf("the draft release ID %d was deleted while this run worked on it", rel.ID),
			Remediation: "Re-run the same command; it creates the draft again."}
	case !cur.Draft:
		return &outcome.Error{Class: outcome.Conflict, Op: "publish release " + p.opts.Tag, Repo: p.opts.Repo.String(),
			Message:     fmt.Sprintf("release %s was published by another run while this one was uploading; nothing of it was changed", p.opts.Tag),
			Remediation: "Re-run the same command: it finds the published release and checks that it holds these files."}
	}
	return nil
}

// uploadAll uploads files with at most Concurrency uploads in flight, paced when there are more
// than GitHub's secondary limit allows in a minute. The first failure stops the rest.
func (p *publisher) uploadAll(ctx context.Context, rel *github.RepositoryRelease, files []File) error {
	interval := p.opts.UploadInterval
	if len(files) > paceAfter {
		interval = max(interval, paceInterval)
	}
	if interval > 0 && len(files) > 1 {
		p.warn("%d uploads: paced one every %s to stay under GitHub's secondary rate limit on content-creating requests", len(files), interval)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(p.opts.Concurrency)
	for i, f := range files {
		if i > 0 && interval > 0 {
			if err := p.opts.Sleep(gctx, interval); err != nil {
				break
			}
		}
		g.Go(func() error {
			_, err := p.upload(gctx, rel, f, f.Name)
			return err
		})
	}
	return g.Wait()
}

// upload uploads f under name and checks what GitHub holds, returning the asset. A 422
// already_exists (a sibling uploaded the same name meanwhile) is fine when that asset holds f's
// bytes; on a draft anything else under the name is replaced once.
func (p *publisher) upload(ctx context.Context, rel *github.RepositoryRelease, f File, name string) (*github.ReleaseAsset, error) {
	start := p.opts.Now()
	clear := func(ctx context.Context) error { return p.clearNamed(ctx, rel, name) }
	step := p.heartbeat.Start("uploading " + name)
	step.Total(f.Size)
	a, err := p.r.upload(ctx, rel.ID, name, f, clear, step)
	step.Done()
	if githubapi.IsAlreadyExists(err, "name") {
		remote, lerr := p.r.assets(ctx, rel.ID)
		if lerr != nil {
			return nil, lerr
		}
		existing, ok := assetsByName(remote)[name]
		f, herr := p.hashed(ctx, f)
		if herr != nil {
			return nil, herr
		}
		switch {
		case ok && isIntact(existing, f):
			p.progress("%s was uploaded meanwhile by another run (%s)\n", name, report.Size(f.Size))
			return existing, nil
		case ok && !rel.Draft:
			// Never on a published release: that is ReplaceAssets' swap, by its own name.
		default:
			// An earlier try's asset the listing did not show yet, a half-made one, or one with
			// other bytes: on a draft the file replaces it, once.
			if ok {
				if err := p.replaceOnDraft(ctx, rel, existing); err != nil {
					return nil, err
				}
			}
			a, err = p.r.upload(ctx, rel.ID, name, f, clear, nil)
		}
	}
	if githubapi.IsAlreadyExists(err, "name") && !rel.Draft && isTemporary(name) {
		// A sibling job is uploading the same replacement: it swaps it in, or the re-run does.
		return nil, p.changedMeanwhile(err, strings.TrimPrefix(name, swapPrefix))
	}
	if githubapi.IsAlreadyExists(err, "name") {
		return nil, &outcome.Error{Class: outcome.Conflict, Op: "upload " + name, Repo: p.opts.Repo.String(),
			Message:     fmt.Sprintf("another run uploaded a %s with other bytes to release %s meanwhile", name, p.opts.Tag),
			Remediation: "Make sure only one job publishes each file name, then re-run.", Err: err}
	}
	if err != nil {
		return nil, err
	}
	if f, err = p.hashed(ctx, f); err != nil {
		return nil, err
	}
	if sum, ok := sha256Of(a); (ok && sum != f.SHA256) || sizeOf(a) != f.Size {
		return nil, &outcome.Error{Class: outcome.ServerError, Op: "upload " + name, Repo: p.opts.Repo.String(),
			Message: fmt.Sprintf("GitHub holds %d bytes with SHA-256 %s, not the %d bytes with SHA-256 %s that were sent", sizeOf(a), sum, f.Size, f.SHA256),
			Remediation: "Re-run the same command: the corrupted asset is replaced before anything is published; " +
				"if it happens again, check the proxy between the runner and GitHub."}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.res.Uploaded++
	fmt.Fprintf(p.opts.Progress, "uploaded %s (%s) in %s\n", name, report.Size(f.Size), p.opts.Now().Sub(start).Round(time.Millisecond))
	return a, nil
}

// clearNamed deletes what a failed upload of name left on the draft, before the retry.
func (p *publisher) clearNamed(ctx context.Context, rel *github.RepositoryRelease, name string) error {
	remote, err := p.r.assets(ctx, rel.ID)
	if err != nil {
		return err
	}
	a, ok := assetsByName(remote)[name]
	if !ok || a.GetState() == githubapi.AssetUploaded {
		// Nothing left, or a complete asset: the 422 path decides what it holds.
		return nil
	}
	if err := p.r.deleteAsset(ctx, a); err != nil && !githubapi.IsNotFound(err) {
		return err
	}
	return nil
}

// record copies what the caller needs to know about rel into the result.
func (p *publisher) record(rel *github.RepositoryRelease) {
	p.res.ReleaseID = rel.ID
	p.res.HTMLURL = rel.HTMLURL
	p.res.Draft = rel.Draft
}

func (p *publisher) warn(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.res.Warnings = append(p.res.Warnings, fmt.Sprintf(format, args...))
}

func (p *publisher) warnOnce(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !slices.Contains(p.res.Warnings, msg) {
		p.res.Warnings = append(p.res.Warnings, msg)
	}
}

func (p *publisher) progress(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.opts.Progress, format, args...)
}

// resumeHint appends how to resume to an error after the release was found or created, when
// running again can finish it.
func (p *publisher) resumeHint(err error) error {
	switch c := outcome.ClassOf(err); {
	case p.res.ReleaseID == 0, c == outcome.Conflict && !p.res.Draft, c == outcome.InvalidInput:
		return err
	case p.res.Draft && p.unsure:
		return fmt.Errorf("%w; re-run the same command to finish release ID %d, published or still a draft", err, p.res.ReleaseID)
	case p.res.Draft:
		return fmt.Errorf("%w; re-run the same command to resume (draft release ID %d kept)", err, p.res.ReleaseID)
	default:
		return fmt.Errorf("%w; re-run the same command to finish replacing the assets of release ID %d", err, p.res.ReleaseID)
	}
}

func assetsByName(remote []*github.ReleaseAsset) map[string]*github.ReleaseAsset {
	m := make(map[string]*github.ReleaseAsset, len(remote))
	for _, a := range remote {
		m[a.GetName()] = a
	}
	return m
}

// isIntact reports whether a holds f, its content compared by digest when GitHub gave one.
// Without a digest, the same size is not the same bytes: the asset is not taken as intact.
func isIntact(a *github.ReleaseAsset, f File) bool {
	same, digested := holds(a, f)
	return same && digested
}

func digestOf(a *github.ReleaseAsset) string {
	if sum, ok := sha256Of(a); ok {
		return sum
	}
	return "(none)"
}

func fileNamed(files []File, name string) (File, bool) {
	for _, f := range files {
		if f.Name == name {
			return f, true
		}
	}
	return File{}, false
}

func without(files []File, name string) []File {
	return slices.DeleteFunc(slices.Clone(files), func(f File) bool { return f.Name == name })
}
