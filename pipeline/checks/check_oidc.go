package checks

import (
	"fmt"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// oidcCheck: with attestations, the job must be able to request an OIDC token. It sends no
// request.
var oidcCheck = check{
	name:   "oidc",
	decide: (*Result).oidc,
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
