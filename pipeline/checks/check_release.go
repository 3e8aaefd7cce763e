package checks

import (
	"fmt"
	"strings"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/checksums"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// releaseCheck: the tag's release, published and immutable, or published with other assets.
var releaseCheck = check{
	name:    "release",
	fetches: withTag(fetchReleases),
	decide:  (*Result).release,
}

// release checks the tag's release: published and immutable fails, published fails without
// replacing assets, a draft is resumed.
func (r *Result) release() result {
	in := r.in
	if in.Tag == "" {
		return noTag()
	}
	if e := r.found.releasesErr; e != nil {
		return unreadable(e, "listing the releases")
	}
	rel := r.found.releaseFor(in.Tag)
	fail := func(class outcome.Class, input, fix, format string, args ...any) result {
		return failed(&outcome.Error{Class: class, Op: "check the release of " + in.Tag, Repo: in.Repo.String(),
			Message: fmt.Sprintf(format, args...), Remediation: fix, Input: input})
	}
	switch {
	case rel == nil && in.Draft:
		return ok("no release for %s yet: a draft will be created and left for a human to publish", in.Tag)
	case rel == nil:
		return ok("no release for %s yet: a draft will be created, and published once its assets are verified", in.Tag)
	case !rel.Draft && rel.GetImmutable():
		return fail(outcome.ReleaseImmutable, "tag", "Release under a new tag, such as the next patch version.",
			"release %s is published and immutable (release ID %d): its assets and tag can never change, so nothing was built or uploaded", in.Tag, rel.ID)
	case !rel.Draft && !in.ReplaceAssets:
		return r.published(rel, fail)
	case !rel.Draft:
		return ok("release %s is published (release ID %d, not immutable): its assets named like the files will be replaced", in.Tag, rel.ID)
	}
	return ok("draft release ID %d of %s, with %d assets, will be resumed", rel.ID, in.Tag, len(rel.Assets))
}

// published checks a published release the publish may not change. Only a re-run that finds
// it holding exactly the files, by GitHub's digests, passes: publishing has nothing to do. A
// file on disk whose SHA-256 is not known yet (it is hashed as it is published) passes with
// the same name and size, and the publish compares the digests before changing anything.
// Otherwise it fails with conflict before anything is built, also when the files are not
// known yet (a build still to run) or known by name only: the build would be wasted on a
// publish that stops. SHA256SUMS is left to the publish, which accepts one that also lists
// other jobs' files.
func (r *Result) published(rel *github.RepositoryRelease, fail func(outcome.Class, string, string, string, ...any) result) result {
	in := r.in
	byName := make(map[string]*github.ReleaseAsset, len(rel.Assets))
	for _, a := range rel.Assets {
		byName[a.GetName()] = a
	}
	var what []string
	unhashed := false
	for _, f := range in.Files {
		a, found := byName[f.Name]
		switch {
		case checksums.IsFile(f.Name):
		case !found || a.GetState() != githubapi.AssetUploaded:
			what = append(what, f.Name+" is missing")
		case f.SHA256 == "" && f.Size == 0:
			what = append(what, f.Name+" is not built yet")
		case int64(a.GetSize()) != f.Size:
			what = append(what, f.Name+" differs")
		case f.SHA256 == "":
			unhashed = true // a file on disk, hashed as it is published
		case a.GetDigest() == "":
			what = append(what, f.Name+" cannot be compared: it has the same size, but GitHub has no digest of it")
		case a.GetDigest() != "sha256:"+f.SHA256:
			what = append(what, f.Name+" differs")
		}
	}
	switch {
	case in.Files != nil && len(what) == 0 && unhashed:
		return ok("release %s is already published (release ID %d) with assets of these names and sizes: publishing compares their digests "+
			"with the files before it changes anything; the same files are nothing to do, others fail with conflict", in.Tag, rel.ID)
	case in.Files != nil && len(what) == 0:
		return ok("release %s is already published (release ID %d) with these files: publishing has nothing to do", in.Tag, rel.ID)
	}
	detail := ""
	if len(what) > 0 {
		detail = " (" + strings.Join(what, ", ") + ")"
	}
	return fail(outcome.Conflict, "replace-assets", "Re-run with the option to replace assets to replace its assets, or release under a new tag.",
		"release %s is already published (release ID %d), and these files cannot be shown to be its assets%s, so nothing was built or uploaded",
		in.Tag, rel.ID, detail)
}
