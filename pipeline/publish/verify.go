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
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// verify lists the release's assets and checks that each file is there, uploaded, with its
// size and SHA-256, and, when all is true, that no asset is unfinished. It returns the listing,
// and keeps it as what the read-back must find when the draft is published as it stands.
func (p *publisher) verify(ctx context.Context, rel *github.RepositoryRelease, all bool) ([]*github.ReleaseAsset, error) {
	remote, err := p.r.assets(ctx, rel.ID)
	if err != nil {
		return nil, err
	}
	problems := p.check(remote, p.files)
	if all {
		for _, a := range remote {
			if _, ours := fileNamed(p.files, a.GetName()); !ours && a.GetState() != githubapi.AssetUploaded && a.GetName() != checksums.FileName {
				problems = append(problems, fmt.Sprintf("%s is in state %q", a.GetName(), a.GetState()))
			}
		}
	}
	if len(problems) > 0 {
		return nil, &outcome.Error{Class: outcome.ServerError, Op: "verify assets of release " + p.opts.Tag, Repo: p.opts.Repo.String(),
			Message:     "GitHub accepted the uploads but lists " + strings.Join(problems, "; "),
			Remediation: "Re-run the same command: what is not intact is uploaded again before anything is published."}
	}
	p.verified = remote
	return remote, nil
}

// check compares remote, a listing of the release's assets, with files: each must be there,
// uploaded, with its size and, when GitHub gave a digest and the file's SHA-256 is known, that
// SHA-256. It returns what does not hold, and warns once when there were no digests to compare.
func (p *publisher) check(remote []*github.ReleaseAsset, files []File) []string {
	var problems []string
	undigested := false
	byName := assetsByName(remote)
	for _, f := range files {
		a, ok := byName[f.Name]
		same, digested := holds(a, f)
		switch {
		case !ok:
			problems = append(problems, f.Name+" is missing")
		case a.GetState() != githubapi.AssetUploaded:
			problems = append(problems, fmt.Sprintf("%s is in state %q", f.Name, a.GetState()))
		case sizeOf(a) != f.Size:
			problems = append(problems, fmt.Sprintf("%s has %d bytes on GitHub but %d on disk", f.Name, sizeOf(a), f.Size))
		case f.SHA256 == "":
			// Known by size only: an asset of a draft published as it stands, which GitHub
			// gave no digest when it was verified.
		case !same:
			problems = append(problems, fmt.Sprintf("%s has SHA-256 %s on GitHub but %s on disk", f.Name, digestOf(a), f.SHA256))
		case !digested:
			undigested = true
		}
	}
	if undigested {
		p.warnOnce("GitHub sent no SHA-256 digests for the assets, so only their sizes could be checked")
	}
	return problems
}

// expected is what the release must hold once it is published: the files (or, publishing a
// draft as it stands, every asset verified on it) and the SHA256SUMS this run made, each with
// its size and SHA-256.
func (p *publisher) expected() []File {
	var out []File
	if p.opts.AssetsDir != "" {
		out = append(out, p.files...)
	} else {
		for _, a := range p.verified {
			if a.GetName() == checksums.FileName || isTemporary(a.GetName()) {
				continue
			}
			sum, _ := sha256Of(a)
			out = append(out, File{Name: a.GetName(), Size: sizeOf(a), SHA256: sum})
		}
	}
	if p.sumsWant != nil {
		out = append(out, *p.sumsWant)
	}
	return out
}

// readBack reads the release id again. back is the release when GitHub answered; finding is
// what the read shows wrong — the release deleted, or published without every expected asset
// intact — and err a failure to read it at all. A release that is still a draft is returned as
// it is, for the caller to decide. The release's own list of assets is checked first; only when
// it lacks something (GitHub may cut a long list short) are the assets listed. Nothing but such
// a read shows a release published.
func (p *publisher) readBack(ctx context.Context, id int64) (back *github.RepositoryRelease, finding *outcome.Error, err error) {
	back, found, err := p.r.release(ctx, id)
	switch {
	case err != nil:
		return nil, nil, err
	case !found:
		return nil, &outcome.Error{Class: outcome.Conflict, Op: "read back release " + p.opts.Tag, Repo: p.opts.Repo.String(),
			Message:     fmt.Sprintf("release ID %d was deleted while this run published it", id),
			Remediation: "Re-run the same command; it creates the release again."}, nil
	case back.Draft:
		return back, nil, nil
	}
	want := p.expected()
	remote := back.Assets
	problems := p.check(remote, want)
	if len(problems) > 0 {
		if remote, err = p.r.assets(ctx, id); err != nil {
			return nil, nil, err
		}
		problems = p.check(remote, want)
	}
	p.readBackAssets = remote
	if len(problems) > 0 && slices.ContainsFunc(remote, func(a *github.ReleaseAsset) bool { return isTemporary(a.GetName()) }) {
		// Another job is swapping assets of the same release in at this very moment.
		return back, &outcome.Error{Class: outcome.Conflict, Op: "read back release " + p.opts.Tag, Repo: p.opts.Repo.String(),
			Message: fmt.Sprintf("release %s is published, but reading it back shows %s, while another job replaces its assets",
				p.opts.Tag, strings.Join(problems, "; ")),
			Remediation: "Re-run the same command: it finds the release as it is now, and replaces only what still differs."}, nil
	}
	if len(problems) > 0 {
		return back, &outcome.Error{Class: outcome.ServerError, Op: "read back release " + p.opts.Tag, Repo: p.opts.Repo.String(),
			Message: fmt.Sprintf("release %s is published, but reading it back shows %s", p.opts.Tag, strings.Join(problems, "; ")),
			Remediation: "Re-run the same command with the option to replace assets: what is not intact is uploaded again " +
				"and swapped in."}, nil
	}
	return back, nil, nil
}

// undraft publishes rel, which creates its tag, and reads it back: only a read that shows it
// published, with every expected asset intact, is a success. Whatever GitHub answered to the
// update — 200, a 404, a lost or cut answer — the read decides: a release that is still a draft
// fails (with the update's own failure when it has a class of its own: a tag ruleset, a rate
// limit…), and the draft is kept for the re-run.
func (p *publisher) undraft(ctx context.Context, rel *github.RepositoryRelease) error {
	f := github.UpdateReleaseRequest{Draft: new(false)}
	if p.opts.MakeLatest != "" {
		f.MakeLatest = &p.opts.MakeLatest
	}
	_, perr := p.r.update(ctx, "publish release "+p.opts.Tag, rel.ID, f)
	back, finding, err := p.readBack(ctx, rel.ID)
	p.unsure = err != nil
	switch {
	case finding != nil:
		if back != nil {
			p.record(back)
		}
		return finding
	case err != nil && perr != nil:
		return fmt.Errorf("%w; reading the release back to see whether it was published failed too: %s", perr, oneLine(err))
	case err != nil:
		return &outcome.Error{Class: outcome.ClassOf(err), Op: "read back release " + p.opts.Tag, Repo: p.opts.Repo.String(), Err: err,
			Message: fmt.Sprintf("GitHub answered that release %s was published, but reading it back to verify it failed: %s",
				p.opts.Tag, oneLine(err)),
			Remediation: "Re-run the same command: it finds the release, published or still a draft, and finishes it."}
	case back.Draft:
		return p.stillADraft(rel.ID, perr)
	}
	if perr != nil {
		p.warn("the answer to publishing %s was lost (%s); reading the release back showed it published", p.opts.Tag, oneLine(perr))
	}
	p.record(back)
	return nil
}

// stillADraft is the failure of an update to publish release id that a read-back shows is
// still a draft: the update's own failure, unless GitHub answered it with success or a 404,
// which leave nothing else to go by.
func (p *publisher) stillADraft(id int64, perr error) error {
	answer := "200 OK"
	if perr != nil {
		if !githubapi.IsNotFound(perr) {
			return perr
		}
		answer = "404 Not Found"
	}
	return &outcome.Error{Class: outcome.ServerError, Op: "publish release " + p.opts.Tag, Repo: p.opts.Repo.String(), Err: perr,
		Message: fmt.Sprintf("GitHub answered %s to publishing draft release ID %d, but reading it back shows it is still a draft: nothing was published",
			answer, id),
		Remediation: "Re-run the same command to publish the draft; if GitHub answers so again, see https://www.githubstatus.com."}
}

// oneLine is err's text on one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// wantSums is the SHA256SUMS the release should hold: from GitHub's digests of every other
// asset, so that it covers the files of every job that added to the release; without digests,
// the local SHA256SUMS. ok is false when neither is at hand.
func (p *publisher) wantSums(remote []*github.ReleaseAsset) (content []byte, ok bool, err error) {
	if content, err := sumsOf(remote); err == nil {
		return content, true, nil
	}
	if p.sums == nil {
		return nil, false, nil
	}
	if p.sums.content != nil {
		return p.sums.content, true, nil
	}
	content, err = readFile(p.sums.Path)
	return content, err == nil, err
}

// syncSums makes a draft's SHA256SUMS what wantSums says, when this publish manages it: when
// SHA256SUMS is among the files, or the draft is published as it stands and has one.
func (p *publisher) syncSums(ctx context.Context, rel *github.RepositoryRelease, remote []*github.ReleaseAsset) error {
	existing, hasRemote := assetsByName(remote)[checksums.FileName]
	if p.sums == nil && !(p.opts.AssetsDir == "" && hasRemote) {
		return nil
	}
	content, ok, err := p.wantSums(remote)
	if err != nil {
		return err
	}
	if !ok {
		p.warn("%s on release %s was left as it is: GitHub sent no digests to make it from", checksums.FileName, p.opts.Tag)
		if hasRemote {
			sum, _ := sha256Of(existing)
			p.sumsWant = &File{Name: checksums.FileName, Size: sizeOf(existing), SHA256: sum}
		}
		return nil
	}
	want := File{Name: checksums.FileName, Size: int64(len(content)), SHA256: sha256Hex(content)}
	if hasRemote && isIntact(existing, want) {
		p.noteSums(content)
		return nil
	}
	if hasRemote {
		if err := p.replaceOnDraft(ctx, rel, existing); err != nil {
			return err
		}
	}
	if _, err := p.uploadContent(ctx, rel, checksums.FileName, content); err != nil {
		if githubapi.IsAlreadyExists(err, "name") {
			// Another run of the same release wrote it meanwhile: the run that publishes
			// makes it whole.
			return nil
		}
		return err
	}
	p.noteSums(content)
	return nil
}

// uploadContent uploads content, held in memory, as the asset name and checks what GitHub
// holds. A 422 already_exists is fine when the asset under name holds content: an earlier
// attempt's answer was lost.
func (p *publisher) uploadContent(ctx context.Context, rel *github.RepositoryRelease, name string, content []byte) (*github.ReleaseAsset, error) {
	start := p.opts.Now()
	want := File{Name: name, Size: int64(len(content)), SHA256: sha256Hex(content)}
	clear := func(ctx context.Context) error { return p.clearNamed(ctx, rel, name) }
	a, err := p.r.uploadBytes(ctx, rel.ID, name, content, clear)
	if githubapi.IsAlreadyExists(err, "name") {
		remote, lerr := p.r.assets(ctx, rel.ID)
		if lerr != nil {
			return nil, lerr
		}
		if existing, ok := assetsByName(remote)[name]; ok && isIntact(existing, want) {
			return existing, nil
		}
		if !rel.Draft && isTemporary(name) {
			// A sibling job is uploading the same replacement: it swaps it in, or the re-run does.
			return nil, p.changedMeanwhile(err, strings.TrimPrefix(name, swapPrefix))
		}
	}
	if err != nil {
		return nil, err
	}
	if sum, ok := sha256Of(a); (ok && sum != want.SHA256) || sizeOf(a) != want.Size {
		return nil, &outcome.Error{Class: outcome.ServerError, Op: "upload " + name, Repo: p.opts.Repo.String(),
			Message: "GitHub holds other bytes than the " + name + " that was sent", Remediation: "Re-run the same command."}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.res.Uploaded++
	fmt.Fprintf(p.opts.Progress, "uploaded %s (%s) in %s\n", name, report.Size(want.Size), p.opts.Now().Sub(start).Round(time.Millisecond))
	return a, nil
}

// replaceOnDraft deletes a, once a fresh read shows rel is still a draft.
func (p *publisher) replaceOnDraft(ctx context.Context, rel *github.RepositoryRelease, a *github.ReleaseAsset) error {
	if err := p.stillDraft(ctx, rel); err != nil {
		return err
	}
	if err := p.r.deleteAsset(ctx, a); err != nil && !githubapi.IsNotFound(err) {
		return err
	}
	return nil
}

// noteSums records the SHA256SUMS the release holds, in the result and as what the read-back
// must find.
func (p *publisher) noteSums(content []byte) {
	p.sumsWant = &File{Name: checksums.FileName, Size: int64(len(content)), SHA256: sha256Hex(content)}
	for i, a := range p.res.Assets {
		if a.Name == checksums.FileName {
			p.res.Assets[i].Size, p.res.Assets[i].SHA256 = p.sumsWant.Size, p.sumsWant.SHA256
			return
		}
	}
	p.res.Assets = append(p.res.Assets, report.Asset{Name: checksums.FileName, Size: p.sumsWant.Size, SHA256: p.sumsWant.SHA256})
}

// sumsOf is the SHA256SUMS of every asset but SHA256SUMS itself and those under a temporary
// name of a swap, from GitHub's digests.
func sumsOf(remote []*github.ReleaseAsset) ([]byte, error) {
	var sums []checksums.Sum
	for _, a := range remote {
		if a.GetName() == checksums.FileName || isTemporary(a.GetName()) {
			continue
		}
		sum, ok := sha256Of(a)
		if !ok || a.GetState() != githubapi.AssetUploaded {
			return nil, fmt.Errorf("GitHub has no digest of %s", a.GetName())
		}
		sums = append(sums, checksums.Sum{Name: a.GetName(), SHA256: sum})
	}
	if len(sums) == 0 {
		return nil, fmt.Errorf("the release has no other asset")
	}
	return checksums.Format(sums)
}
