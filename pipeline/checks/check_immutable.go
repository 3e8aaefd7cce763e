package checks

import "net/http"

// immutableCheck warns that publishing is final when immutable releases are on.
var immutableCheck = check{
	name:    "immutable-releases",
	fetches: always(fetchImmutable, fetchReleases),
	decide:  (*Result).immutable,
}

// immutable warns when the release will be immutable once published: the repository's
// setting says so (readable with admin access only), or a published release already is.
func (r *Result) immutable() result {
	f, repo := r.found, r.in.Repo
	if f.immutableErr != nil {
		return failed(f.immutableErr)
	}
	fix := "Nothing to change: every asset is uploaded and verified before the release is published; make sure the files are complete."
	immutableTag := ""
	for _, rel := range f.releases {
		if !rel.Draft && rel.GetImmutable() {
			immutableTag = rel.TagName
			break
		}
	}
	switch {
	case f.immutable != nil && f.immutable.GetEnabled():
		by := ""
		if f.immutable.GetEnforcedByOwner() {
			by = " (enforced by the owner)"
		}
		return warn(fix, "immutable releases are on in %s%s: once published, the release's assets and tag can never change", repo, by)
	case immutableTag != "":
		return warn(fix, "release %s of %s is immutable, so immutable releases are (or were) on: once published, this release's assets and tag may never change",
			immutableTag, repo)
	case f.immutable != nil:
		return ok("immutable releases are off in %s", repo)
	case f.releasesErr != nil:
		return unreadable(f.releasesErr, "listing the releases")
	case f.immutableCode == http.StatusNotFound:
		return ok("no published release of %s is immutable, and GitHub answered 404 for the setting: immutable releases are off "+
			"(or this token may not read the setting)", repo)
	}
	return ok("no published release of %s is immutable; whether the setting is on takes admin access to read", repo)
}
