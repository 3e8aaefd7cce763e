package checks

import (
	"fmt"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// attestationsCheck: with attestations, GitHub must store them for the repository.
var attestationsCheck = check{
	name: "attestations",
	fetches: func(in Input) []fetch {
		if !in.Attestations {
			return nil
		}
		return []fetch{fetchRepo}
	},
	decide: (*Result).attestations,
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
