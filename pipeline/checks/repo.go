package checks

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

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

// oidc checks, when attestations are asked for, that the job can request an OIDC token to
// sign them.
func (r *Result) oidc() result {
	in := r.in
	if !in.Attestations {
		return skipped("", "", "attestations were not asked for")
	}
	var missing []string
	if in.OIDC.RequestURL == "" {
		missing = append(missing, "request URL")
	}
	if in.OIDC.RequestToken == "" {
		missing = append(missing, "request token")
	}
	if len(missing) == 0 {
		return ok("the job can request an OIDC token to sign the attestations")
	}
	return failed(&outcome.Error{Class: outcome.OIDCMissing, Op: "check the OIDC token for attestations", Repo: in.Repo.String(), Input: "oidc",
		Message: fmt.Sprintf("attestations need an OIDC token, but the job has no OIDC %s: GitHub Actions sets "+
			"ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN only in jobs allowed to request one", strings.Join(missing, " or ")),
		Remediation: "Give the release job `permissions: id-token: write` (and `attestations: write`), or release without attestations."})
}

// attestations checks, when they are asked for, that GitHub stores attestations for the
// repository: public ones on every plan, private and internal ones only on GitHub Enterprise
// Cloud, which a user account cannot have.
func (r *Result) attestations() result {
	in := r.in
	if !in.Attestations {
		return skipped("", "", "attestations were not asked for")
	}
	if e := r.found.repoErr; e != nil {
		return unreadable(e, "reading the repository")
	}
	repo := r.found.repo
	visibility := repo.GetVisibility()
	if visibility == "" {
		visibility = "public"
		if repo.GetPrivate() {
			visibility = "private"
		}
	}
	switch {
	case visibility == "public":
		return ok("%s is public: GitHub stores attestations for public repositories on every plan", in.Repo)
	case repo.GetOwner().GetType() == "User":
		return failed(&outcome.Error{Class: outcome.AttestationsUnavailable, Op: "check attestations", Repo: in.Repo.String(),
			Message: fmt.Sprintf("%s is a %s repository owned by the user %s: GitHub offers artifact attestations for private and internal "+
				"repositories only on GitHub Enterprise Cloud, which a user account cannot have", in.Repo, visibility, repo.GetOwner().GetLogin()),
			Remediation: "Make the repository public, move it to an organization on GitHub Enterprise Cloud, or release without attestations."})
	}
	return warn("If the organization is not on GitHub Enterprise Cloud, make the repository public or release without attestations.",
		"%s is a %s repository of the organization %s: attestations need GitHub Enterprise Cloud, which this token cannot see",
		in.Repo, visibility, repo.GetOwner().GetLogin())
}

// token warns when the token expires before the run is expected to end.
func (r *Result) token() result {
	f := r.found
	if f.tokenExpiry.IsZero() {
		if f.badExpiry != "" {
			return skipped("", "", "GitHub sent a token expiry that cannot be read (%q)", f.badExpiry)
		}
		return skipped("", "", "GitHub sent no expiry for this token (it does for personal access tokens that expire; "+
			"a GITHUB_TOKEN lasts as long as its job)")
	}
	at := f.tokenExpiry
	left := at.Sub(r.now)
	if at.Before(r.now.Add(r.in.RunTime)) {
		return warn("Use a token that outlives the run, or renew it before releasing.",
			"the token expires at %s (in %s), before the run is expected to end (in %s)", clock(at), roughly(max(left, 0)), r.in.RunTime)
	}
	return ok("the token expires at %s (in %s), after the run is expected to end (in %s)", clock(at), roughly(left), r.in.RunTime)
}
