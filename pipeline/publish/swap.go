package publish

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/checksums"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// The temporary names of a swap (see the package documentation): a replacement is uploaded and
// verified as swapPrefix+NAME, and the asset it replaces waits as asidePrefix+NAME while the
// replacement is renamed into place. Both are the same every run, so that a swap cut short is
// found and finished, or undone, by the next.
const (
	swapPrefix  = "preflight-swap."
	asidePrefix = "preflight-old."
)

// gapGrace bounds each request that ends a gap (the rename that puts an asset back under its
// name): it is sent even once the command's context is done — a signal, --timeout — so that a
// release is not left without an asset for want of one request.
const gapGrace = 10 * time.Second

func swapName(name string) string  { return swapPrefix + name }
func asideName(name string) string { return asidePrefix + name }

// isTemporary reports whether name is one of a swap's temporary names.
func isTemporary(name string) bool {
	return strings.HasPrefix(name, swapPrefix) || strings.HasPrefix(name, asidePrefix)
}

// onPublished handles a release that is already published: nothing to do when it holds these
// files; otherwise a Conflict, unless ReplaceAssets swaps the differing assets in.
func (p *publisher) onPublished(ctx context.Context, rel *github.RepositoryRelease) error {
	p.record(rel)
	if err := p.ready(ctx); err != nil {
		return err
	}
	p.res.Resumed = false
	remote, err := p.r.assets(ctx, rel.ID)
	if err != nil {
		return err
	}
	if p.opts.ReplaceAssets {
		if remote, err = p.recoverSwaps(ctx, rel, remote); err != nil {
			return err
		}
	}
	byName := assetsByName(remote)
	var missing, differ []File
	for _, f := range p.files {
		a, ok := byName[f.Name]
		switch {
		case !ok:
			missing = append(missing, f)
		case !isIntact(a, f):
			differ = append(differ, f)
		}
	}
	sumsOK := p.sums == nil || p.coveredBySums(remote)
	if len(missing) == 0 && len(differ) == 0 && sumsOK {
		p.res.Unchanged = true
		if p.opts.ReplaceAssets {
			return p.removeTemporary(ctx, remote)
		}
		return nil
	}
	if !p.opts.ReplaceAssets {
		return p.conflict(rel, byName, missing, differ, sumsOK)
	}
	if p.opts.Draft {
		p.warn("release %s is already published, so it cannot be left as a draft; its assets were replaced", p.opts.Tag)
	}
	return p.replace(ctx, rel, remote, missing, differ)
}

// conflict is the Conflict of a published release whose assets are not the files, saying of
// each file how: missing, differing (by size or by digest), or not comparable for want of a
// digest.
func (p *publisher) conflict(rel *github.RepositoryRelease, byName map[string]*github.ReleaseAsset, missing, differ []File, sumsOK bool) error {
	var what []string
	for _, f := range differ {
		a := byName[f.Name]
		same, digested := holds(a, f)
		switch {
		case a.GetState() != githubapi.AssetUploaded:
			what = append(what, fmt.Sprintf("%s is unfinished on GitHub (state %q)", f.Name, a.GetState()))
		case sizeOf(a) != f.Size:
			what = append(what, fmt.Sprintf("%s differs (%d bytes on GitHub, %d here)", f.Name, sizeOf(a), f.Size))
		case same && !digested:
			what = append(what, fmt.Sprintf("%s cannot be compared: it has the same size, but GitHub has no digest of it", f.Name))
		default:
			what = append(what, fmt.Sprintf("%s differs (SHA-256 %s on GitHub, %s here)", f.Name, digestOf(a), f.SHA256))
		}
	}
	for _, f := range missing {
		what = append(what, f.Name+" is missing")
	}
	if !sumsOK {
		what = append(what, checksums.FileName+" does not cover these files")
	}
	return &outcome.Error{
		Class: outcome.Conflict, Op: "publish release " + p.opts.Tag, Repo: p.opts.Repo.String(), Input: "replace-assets",
		Message: fmt.Sprintf("release %s is already published (release ID %d) with other assets: %s; nothing was changed",
			p.opts.Tag, rel.ID, strings.Join(what, ", ")),
		Remediation: "Re-run with the option to replace assets to replace its assets, or release under a new tag.",
	}
}

// coveredBySums reports whether the published SHA256SUMS is intact and lists every file with
// its sum: it may list more, the files of other jobs that published into the same release.
func (p *publisher) coveredBySums(remote []*github.ReleaseAsset) bool {
	a, ok := assetsByName(remote)[checksums.FileName]
	if !ok || a.GetState() != githubapi.AssetUploaded {
		return false
	}
	if isIntact(a, *p.sums) {
		return true
	}
	content, err := sumsOf(remote)
	if err != nil || !isIntact(a, File{Size: int64(len(content)), SHA256: sha256Hex(content)}) {
		return false
	}
	listed := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(string(content), "\n"), "\n") {
		sum, name, _ := strings.Cut(line, "  ")
		listed[name] = sum
	}
	for _, f := range p.files {
		if listed[f.Name] != f.SHA256 {
			return false
		}
	}
	return true
}

// recoverSwaps finishes, or undoes, what an earlier swap cut short left on the published
// release rel, before anything else is done to it. An asset waiting aside as preflight-old.NAME
// is deleted when NAME holds a complete asset again (the swap got that far); otherwise its
// verified replacement, preflight-swap.NAME, is renamed into place when it holds this run's
// file, and else the old asset is put back. It returns the assets as they are then.
func (p *publisher) recoverSwaps(ctx context.Context, rel *github.RepositoryRelease, remote []*github.ReleaseAsset) ([]*github.ReleaseAsset, error) {
	byName := assetsByName(remote)
	changed := false
	for _, old := range remote {
		name, ok := strings.CutPrefix(old.GetName(), asidePrefix)
		if !ok {
			continue
		}
		changed = true
		cur := byName[name]
		if cur != nil && cur.GetState() == githubapi.AssetUploaded {
			if err := p.deleteTemporary(ctx, old); err != nil {
				return nil, err
			}
			p.warn("deleted %s, the old %s an earlier run had left aside after swapping in its replacement", old.GetName(), name)
			continue
		}
		if cur != nil {
			if err := p.r.deleteAsset(ctx, cur); err != nil && !githubapi.IsNotFound(err) {
				return nil, err
			}
		}
		tmp := byName[swapName(name)]
		if f, ours := fileNamed(p.files, name); ours && tmp != nil && isIntact(tmp, f) {
			if err := p.closeGap(ctx, tmp, name); err != nil {
				return nil, p.raced(err, name)
			}
			if err := p.deleteTemporary(ctx, old); err != nil {
				return nil, err
			}
			p.warn("finished swapping in %s, which an earlier run left half done", name)
			continue
		}
		if err := p.closeGap(ctx, old, name); err != nil {
			return nil, p.raced(err, name)
		}
		p.warn("put %s back in place: an earlier run left it aside as %s", name, old.GetName())
	}
	if !changed {
		return remote, nil
	}
	return p.r.assets(ctx, rel.ID)
}

// replace puts the files into a published release without its ever lacking one of the assets
// it holds for longer than a rename: each file it lacks or holds otherwise is uploaded under
// its temporary name, checked, and swapped in; then SHA256SUMS likewise; then the release is
// read back. A verified replacement an earlier run left under its temporary name is used; any
// other is deleted. Other complete assets are kept, with a warning.
func (p *publisher) replace(ctx context.Context, rel *github.RepositoryRelease, remote []*github.ReleaseAsset, missing, differ []File) error {
	byName := assetsByName(remote)
	todo := append(slices.Clone(missing), differ...)
	slices.SortFunc(todo, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	for _, f := range p.files {
		tmp, ok := byName[swapName(f.Name)]
		switch {
		case !ok:
		case isIntact(tmp, f) && slices.ContainsFunc(todo, func(t File) bool { return t.Name == f.Name }):
			if err := p.swapIn(ctx, rel, tmp, byName[f.Name], f); err != nil {
				return err
			}
			todo = without(todo, f.Name)
		default:
			if err := p.deleteTemporary(ctx, tmp); err != nil {
				return err
			}
		}
	}
	for _, a := range remote {
		if _, ours := fileNamed(p.files, a.GetName()); !ours && a.GetName() != checksums.FileName && !isTemporary(a.GetName()) {
			p.warn("asset %s of release %s is not in %s and was kept", a.GetName(), p.opts.Tag, p.opts.AssetsDir)
		}
	}
	for _, f := range todo {
		tmp, err := p.upload(ctx, rel, f, swapName(f.Name))
		if err != nil {
			return err
		}
		if err := p.swapIn(ctx, rel, tmp, byName[f.Name], f); err != nil {
			return err
		}
	}
	remote, err := p.verify(ctx, rel, true)
	if err != nil {
		return err
	}
	if p.sums != nil {
		if err := p.replaceSums(ctx, rel, remote); err != nil {
			return err
		}
	}
	back, finding, err := p.readBack(ctx, rel.ID)
	switch {
	case finding != nil:
		return finding
	case err != nil:
		return err
	case back.Draft:
		return &outcome.Error{Class: outcome.Conflict, Op: "publish release " + p.opts.Tag, Repo: p.opts.Repo.String(),
			Message:     fmt.Sprintf("release %s became a draft again while its assets were replaced (was its tag deleted?)", p.opts.Tag),
			Remediation: "Re-run the same command: it publishes the draft once its assets are verified."}
	}
	p.record(back)
	return p.removeTemporary(ctx, p.readBackAssets)
}

// removeTemporary deletes what remote, a listing of a published release whose assets are in
// place, still holds under a swap's temporary names: replacements a sibling job or an earlier
// run uploaded, which nothing needs any more.
func (p *publisher) removeTemporary(ctx context.Context, remote []*github.ReleaseAsset) error {
	for _, a := range remote {
		if isTemporary(a.GetName()) {
			if err := p.deleteTemporary(ctx, a); err != nil {
				return err
			}
		}
	}
	return nil
}

// deleteTemporary deletes a, an asset a listing showed under a swap's temporary name, once a
// fresh read shows it still there under that name: a sibling job may have renamed it into place
// since, and then it is the release's asset. GitHub has no conditional delete, so between the
// read and the delete a sibling could still rename it: that window is one request long, and
// only opens when a temporary asset is left over while another job replaces the same file.
func (p *publisher) deleteTemporary(ctx context.Context, a *github.ReleaseAsset) error {
	cur, found, err := p.r.asset(ctx, a.GetID())
	switch {
	case err != nil:
		return err
	case !found || !isTemporary(cur.GetName()):
		return nil
	}
	if err := p.r.deleteAsset(ctx, cur); err != nil && !githubapi.IsNotFound(err) {
		return err
	}
	return nil
}

// replaceSums swaps in the SHA256SUMS made from GitHub's digests of every other asset of the
// published release rel, when the one it holds is not that.
func (p *publisher) replaceSums(ctx context.Context, rel *github.RepositoryRelease, remote []*github.ReleaseAsset) error {
	content, ok, err := p.wantSums(remote)
	if err != nil || !ok {
		return err
	}
	byName := assetsByName(remote)
	want := File{Name: checksums.FileName, Size: int64(len(content)), SHA256: sha256Hex(content)}
	old := byName[checksums.FileName]
	if old == nil || !isIntact(old, want) {
		tmp := byName[swapName(checksums.FileName)]
		if tmp != nil && !isIntact(tmp, want) {
			// An earlier run's, made from other assets.
			if err := p.deleteTemporary(ctx, tmp); err != nil {
				return err
			}
			tmp = nil
		}
		if tmp == nil {
			if tmp, err = p.uploadContent(ctx, rel, swapName(checksums.FileName), content); err != nil {
				return err
			}
		}
		if err := p.swapIn(ctx, rel, tmp, old, want); err != nil {
			return err
		}
	}
	p.noteSums(content)
	return nil
}

// swapIn puts tmp, a verified replacement of want under its temporary name, in the place of
// cur (nil: there is none) under want's name on the published release rel:
//
//  1. cur is renamed aside, to preflight-old.NAME. Should that fail, cur is renamed back to
//     NAME (which changes nothing when the first rename did not happen).
//  2. tmp is renamed to NAME: from 1 until this answer, the release has no NAME. Should it
//     fail, cur is renamed back to NAME; a 422 already_exists then means that NAME is taken
//     after all — by tmp (a lost answer), or by a sibling job's replacement of the same file —
//     which a listing tells. This rename, and the one back, are sent even once ctx is done.
//  3. cur, aside, is deleted.
//
// A failure of both 2 and the rename back, or a job killed between 1 and 2, leaves the release
// without NAME, the old asset aside and the new one under its temporary name: the next run
// starts with [publisher.recoverSwaps].
func (p *publisher) swapIn(ctx context.Context, rel *github.RepositoryRelease, tmp, cur *github.ReleaseAsset, want File) error {
	name := want.Name
	if cur == nil {
		_, err := p.r.renameAsset(ctx, tmp, name)
		switch {
		case githubapi.IsAlreadyExists(err, "name"):
			return p.settle(ctx, rel, tmp, want, err)
		case githubapi.IsNotFound(err):
			return p.changedMeanwhile(err, name)
		}
		return err
	}
	if _, err := p.r.renameAsset(ctx, cur, asideName(name)); err != nil {
		if githubapi.IsNotFound(err) {
			return p.changedMeanwhile(err, name)
		}
		if uerr := p.closeGap(ctx, cur, name); uerr != nil {
			return p.gapLeft(err, uerr, name, false)
		}
		return p.raced(err, name)
	}
	if err := p.closeGap(ctx, tmp, name); err != nil {
		uerr := p.closeGap(ctx, cur, name)
		switch {
		case uerr == nil:
			return p.raced(err, name)
		case githubapi.IsAlreadyExists(uerr, "name"):
			if err := p.settle(ctx, rel, tmp, want, err); err != nil {
				return err
			}
		default:
			return p.gapLeft(err, uerr, name, true)
		}
	}
	if err := p.r.deleteAsset(ctx, cur); err != nil && !githubapi.IsNotFound(err) {
		return err
	}
	return nil
}

// settle decides, by listing rel's assets, a rename of tmp into want's name that GitHub
// answered already_exists: fine when tmp holds the name (the answer to its rename was lost), or
// when another asset there holds want intact (a sibling job's replacement of the same file,
// after which tmp is deleted); a Conflict otherwise.
func (p *publisher) settle(ctx context.Context, rel *github.RepositoryRelease, tmp *github.ReleaseAsset, want File, err error) error {
	remote, lerr := p.r.assets(ctx, rel.ID)
	if lerr != nil {
		return lerr
	}
	held := assetsByName(remote)[want.Name]
	switch {
	case held != nil && held.GetID() == tmp.GetID():
		return nil
	case held != nil && isIntact(held, want):
		return p.deleteTemporary(ctx, tmp)
	}
	return p.changedMeanwhile(err, want.Name)
}

// closeGap renames a to name, the rename that ends a gap: bounded by gapGrace instead of ctx,
// so that a signal or the end of --timeout between the two renames of a swap still lets it end.
func (p *publisher) closeGap(ctx context.Context, a *github.ReleaseAsset, name string) error {
	gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), gapGrace)
	defer cancel()
	_, err := p.r.renameAsset(gctx, a, name)
	return err
}

// changedMeanwhile is the failure of a swap whose asset GitHub no longer has (404): another
// job replaced it meanwhile, as this run was doing.
func (p *publisher) changedMeanwhile(err error, name string) error {
	return &outcome.Error{Class: outcome.Conflict, Op: "replace asset " + name + " of release " + p.opts.Tag, Repo: p.opts.Repo.String(), Err: err,
		Message:     fmt.Sprintf("%s of release %s changed while this run replaced it (another job replacing it too?)", name, p.opts.Tag),
		Remediation: "Re-run the same command: it finds the release as it is now, and replaces only what still differs."}
}

// raced is err, the failure of a rename of a swap or of its recovery, as a sibling job
// replacing the same asset at once makes it fail: the asset it listed is gone (404: the sibling
// deleted or renamed it), or the name is taken (422 already_exists: the sibling put an asset
// there) — a conflict the re-run resolves, not a permission problem.
func (p *publisher) raced(err error, name string) error {
	if githubapi.IsNotFound(err) || githubapi.IsAlreadyExists(err, "name") {
		return p.changedMeanwhile(err, name)
	}
	return err
}

// gapLeft is the failure of a swap that leaves the published release without name (or, when
// certain is false, may: the rename aside failed in a way that does not tell whether it
// happened): err, the rename's failure, with what is where and what the next run does.
func (p *publisher) gapLeft(err, undo error, name string, certain bool) error {
	lacks := "lacks"
	if !certain {
		lacks = "may lack"
	}
	return &outcome.Error{Class: outcome.ClassOf(err), Op: "replace asset " + name + " of release " + p.opts.Tag, Repo: p.opts.Repo.String(), Err: err,
		Message: fmt.Sprintf("release %s %s %s until the next run: its old asset waits as %s and its replacement as %s, "+
			"and renaming either into place failed (%s; then %s)", p.opts.Tag, lacks, name, asideName(name), swapName(name), oneLine(err), oneLine(undo)),
		Remediation: "Re-run the same command as soon as GitHub answers again: it puts the asset in place before anything else."}
}
