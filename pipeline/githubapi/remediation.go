package githubapi

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// remediationClamped is the fix for 403 "Resource not accessible by
// integration": the job's GITHUB_TOKEN (or a GitHub App token) may not write
// to the repository.
const remediationClamped = `Give the workflow's GITHUB_TOKEN write access: in the repository open ` +
	`Settings → Actions → General → Workflow permissions and select "Read and write permissions". ` +
	`If that choice is greyed out, an organization owner must first allow it under ` +
	`Organization Settings → Actions → General → Workflow permissions, which can force every repository to read-only. ` +
	"Also grant it in the workflow: the release job needs `permissions: contents: write` " +
	"(a `permissions:` block that does not list contents sets it to none). " +
	`If the token belongs to a GitHub App, give the app Repository permissions → Contents: "Read and write". ` +
	`Workflows triggered by pull requests from forks always get a read-only token.`

const remediationBadCredentials = `Replace the token: GitHub rejected it as wrong, expired or revoked. ` +
	"In GitHub Actions pass `${{ secrets.GITHUB_TOKEN }}` (valid only while its job runs) " +
	`or a secret holding a current personal access token; check that the secret is set and not empty.`

func patRemediation(e *outcome.Error) string {
	repo := cmp.Or(e.Repo, "the repository")
	return fmt.Sprintf(`Give the fine-grained personal access token write access to %s: under `+
		`Settings → Developer settings → Personal access tokens → Fine-grained tokens, edit the token and set `+
		`Repository permissions → Contents to "Read and write". `+
		`Check too that %s is among the token's selected repositories and that its resource owner is %s; `+
		`an organization may need an owner to approve the change before it takes effect.`,
		repo, repo, cmp.Or(owner(e), "the repository's owner"))
}

func ssoRemediation(e *outcome.Error) string {
	if e.SSOURL != "" {
		return fmt.Sprintf("Authorize the token for the organization's SAML single sign-on at %s, then re-run. "+
			"A personal access token (classic) needs this once per organization.", e.SSOURL)
	}
	return "Authorize the token for the organization's SAML single sign-on: under " +
		"Settings → Developer settings → Personal access tokens, choose Configure SSO next to the token " +
		"and authorize the organization, then re-run."
}

func notFoundRemediation(e *outcome.Error, classic bool) string {
	repo := cmp.Or(e.Repo, "the repository")
	if classic && !hasScope(e.OAuthScopes, "repo") && !hasScope(e.OAuthScopes, "public_repo") {
		return fmt.Sprintf("Give the personal access token (classic) the repo scope (public_repo is enough for a public repository): "+
			"its scopes are %q, so GitHub hides %s from it. "+
			"Edit it under Settings → Developer settings → Personal access tokens (classic).",
			e.OAuthScopes, repo)
	}
	if classic {
		return fmt.Sprintf("Check that %s exists and is spelled correctly, and that the token's owner has write access to it. "+
			"The token (classic) has the scopes %q, so the scope is not the problem.", repo, e.OAuthScopes)
	}
	return fmt.Sprintf("Check that %s exists and is spelled correctly, and that the token can see it. "+
		"A fine-grained token must list it under Repository access, a GitHub App must be installed on it, "+
		"and a workflow's GITHUB_TOKEN reaches only the repository the workflow runs in "+
		"(use a personal access token or a GitHub App token for another one).", repo)
}

func forbiddenRemediation(e *outcome.Error) string {
	repo := cmp.Or(e.Repo, "the repository")
	return fmt.Sprintf("Give the token write access to the contents of %s: "+
		`Contents: "Read and write" for a fine-grained token or GitHub App, the repo scope for a token (classic), `+
		`and the token's owner needs write access to %s. `+
		"GitHub refused the request with 403 for a reason it did not name in a header; its message says more.", repo, repo)
}

func conflictRemediation(er *github.ErrorResponse) string {
	for _, fe := range er.Errors {
		if fe.Code == "already_exists" {
			return fmt.Sprintf("Remove the existing %s with the same %s, or choose a different %s.",
				strings.ToLower(cmp.Or(fe.Resource, "resource")), cmp.Or(fe.Field, "name"), cmp.Or(fe.Field, "name"))
		}
	}
	return "Resolve the conflict GitHub reports (the resource changed or already exists) and re-run."
}

func unexpectedRemediation(e *outcome.Error) string {
	if e.RequestID != "" {
		return fmt.Sprintf("Re-run; if it fails again, report it with GitHub request ID %s.", e.RequestID)
	}
	return "Re-run; if it fails again, report it with the full message."
}

func rateLimitRemediation(primary bool, retryAt, now time.Time) string {
	when := fmt.Sprintf("%s (%s from now)", retryAt.UTC().Format("2006-01-02 15:04:05 UTC"),
		max(retryAt.Sub(now), 0).Round(time.Second))
	if primary {
		return fmt.Sprintf("Wait until %s, when the rate limit resets, and re-run. "+
			"Every job using the same token shares the limit; a GITHUB_TOKEN gets 1,000 requests per hour per repository.", when)
	}
	return fmt.Sprintf("Wait until %s and re-run. "+
		"GitHub's secondary rate limit was hit: too many requests at once or too many writes in a minute; "+
		"run fewer jobs against the API at the same time.", when)
}

// owner returns the owner part of e.Repo.
func owner(e *outcome.Error) string {
	owner, _, _ := strings.Cut(e.Repo, "/")
	return owner
}

// hasScope reports whether the comma-separated X-OAuth-Scopes list holds scope.
func hasScope(scopes, scope string) bool {
	for _, s := range strings.Split(scopes, ",") {
		if strings.TrimSpace(s) == scope {
			return true
		}
	}
	return false
}
