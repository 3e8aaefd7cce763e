package checks

import (
	"fmt"
	"strings"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// rulesetsCheck: no active tag ruleset may stop this token from creating the tag. Whether the
// tag is created at all takes its ref.
var rulesetsCheck = check{
	name:    "tag-rulesets",
	fetches: withTag(fetchRulesets, fetchRef),
	decide:  (*Result).rulesets,
}

// rulesets checks that no active tag ruleset stops this token from creating the tag when the
// release is published. An existing tag is not created (nor moved) by publishing, so only a new
// tag meets creation rules; evaluate mode only warns.
func (r *Result) rulesets() result {
	in := r.in
	if in.Tag == "" {
		return noTag()
	}
	if e := r.found.rulesetsErr; e != nil {
		return unreadable(e, "listing the tag rulesets")
	}
	ref := "refs/tags/" + in.Tag
	creating := !r.found.ref.exists
	var blocking, evaluating, bypassed []*github.RepositoryRuleset
	var unread []string
	covering := 0
	for _, rd := range r.found.rulesets {
		if rd.summary.Enforcement == github.RulesetEnforcementDisabled {
			continue
		}
		if rd.err != nil {
			if !skippable(rd.err) {
				return failed(rd.err)
			}
			unread = append(unread, fmt.Sprintf("%q (ID %d, GitHub answered %d)", rd.summary.Name, rd.summary.GetID(), rd.err.Status))
			continue
		}
		rs := rd.full
		if rs.Enforcement == github.RulesetEnforcementDisabled || !covers(rs, ref) {
			continue
		}
		covering++
		switch {
		case !creating || !restrictsCreation(rs):
		case canBypass(rs):
			bypassed = append(bypassed, rs)
		case rs.Enforcement == github.RulesetEnforcementEvaluate:
			evaluating = append(evaluating, rs)
		default:
			blocking = append(blocking, rs)
		}
	}
	if len(blocking) > 0 {
		rs := blocking[0]
		more := ""
		if len(blocking) > 1 {
			more = fmt.Sprintf(" (and %d more rulesets)", len(blocking)-1)
		}
		msg := fmt.Sprintf("%s lets only its bypass list create tags matching %s, and this token cannot bypass it%s", describe(rs), ref, more)
		fix := fmt.Sprintf("Let this token bypass %s (add its user or GitHub App to the bypass list) or exclude the tag from it, at %s; or publish with a token that can bypass it.",
			describe(rs), settings(rs))
		if in.Draft {
			return warn(fix, "%s: whoever publishes the draft must be able to bypass it", msg)
		}
		return failed(&outcome.Error{Class: outcome.TagProtected, Op: "check the tag rulesets of " + in.Tag, Repo: in.Repo.String(),
			Message: msg + ": publishing would fail with \"Cannot create ref due to creations being restricted\"", Remediation: fix})
	}
	if len(unread) > 0 {
		return skipped("", "", "the tag rulesets %s could not be read by this token, so whether they block creating %s is unknown",
			strings.Join(unread, ", "), ref)
	}
	if len(evaluating) > 0 {
		rs := evaluating[0]
		return warn(fmt.Sprintf("Before it is made active, let this token bypass it or exclude the tag, at %s.", settings(rs)),
			"%s is in evaluate mode: it does not stop this token from creating %s yet, but will once it is active", describe(rs), ref)
	}
	switch {
	case covering == 0:
		return ok("no active tag ruleset covers %s (%d tag rulesets read)", ref, len(r.found.rulesets))
	case !creating:
		return ok("%d tag rulesets cover %s, but the tag exists and publishing creates no ref", covering, ref)
	case len(bypassed) > 0:
		return ok("%d tag rulesets cover %s; this token can bypass the ones that restrict creating it", covering, ref)
	}
	return ok("%d tag rulesets cover %s, none restricting who creates it", covering, ref)
}

// restrictsCreation reports whether rs holds a creation rule.
func restrictsCreation(rs *github.RepositoryRuleset) bool {
	return rs.GetRules() != nil && rs.GetRules().Creation != nil
}

// covers reports whether rs is a tag ruleset whose conditions cover ref.
func covers(rs *github.RepositoryRuleset, ref string) bool {
	if rs.Target != nil && *rs.Target != github.RulesetTargetTag {
		return false
	}
	names := rs.GetConditions().GetRefName()
	if names == nil {
		return false
	}
	return refCovered(names.Include, names.Exclude, ref)
}

// canBypass reports whether the token may bypass rs, or rs does not apply to it.
func canBypass(rs *github.RepositoryRuleset) bool {
	mode := rs.GetCurrentUserCanBypass()
	return mode != nil && (*mode == github.BypassModeAlways || *mode == github.BypassModeExempt)
}

// describe names rs and where it lives: `ruleset "tags" (ID 42, repository octo/hello)`.
func describe(rs *github.RepositoryRuleset) string {
	where := "repository " + rs.Source
	switch sourceType(rs) {
	case github.RulesetSourceTypeOrganization:
		where = "organization " + rs.Source
	case github.RulesetSourceTypeEnterprise:
		where = "enterprise " + rs.Source
	}
	return fmt.Sprintf("ruleset %q (ID %d, %s)", rs.Name, rs.GetID(), where)
}

// sourceType is where rs lives: a repository, organization or enterprise.
func sourceType(rs *github.RepositoryRuleset) github.RulesetSourceType {
	if rs.SourceType == nil {
		return github.RulesetSourceTypeRepository
	}
	return *rs.SourceType
}

// settings is where rs is changed: its page, else the settings that hold it.
func settings(rs *github.RepositoryRuleset) string {
	if href := rs.GetLinks().GetHTML().GetHRef(); href != "" {
		return href
	}
	switch sourceType(rs) {
	case github.RulesetSourceTypeOrganization:
		return "the organization's Settings → Rules → Rulesets"
	case github.RulesetSourceTypeEnterprise:
		return "the enterprise's Policies → Rulesets"
	}
	return "the repository's Settings → Rules → Rulesets"
}
