package checks

import (
	"fmt"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// tagCheck: an existing tag must point at the commit being released.
var tagCheck = check{
	name:    "tag",
	fetches: withTag(fetchRef),
	decide:  (*Result).tag,
}

// releasedCommit is the commit being released: Commit, else Target when it is a full SHA; ""
// when unknown. bad is a Commit that is no commit SHA.
func (in Input) releasedCommit() (commit, bad string) {
	switch {
	case in.Commit != "" && isSHA(in.Commit, 7):
		return strings.ToLower(in.Commit), ""
	case in.Commit != "":
		return "", in.Commit
	case isSHA(in.Target, 40):
		return strings.ToLower(in.Target), ""
	}
	return "", ""
}

// isSHA reports whether s is an abbreviated (at least minLen) or full commit SHA.
func isSHA(s string, minLen int) bool {
	if len(s) < minLen || len(s) > 40 {
		return false
	}
	for _, c := range []byte(strings.ToLower(s)) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// tag checks that an existing tag points at the commit being released: publishing does not
// move a tag, so the assets would land on a tag of other code.
func (r *Result) tag() result {
	in := r.in
	if in.Tag == "" {
		return noTag()
	}
	if e := r.found.refErr; e != nil {
		return unreadable(e, "reading tag "+in.Tag)
	}
	ref := r.found.ref
	if !ref.exists {
		from := "the default branch"
		if in.Target != "" {
			from = in.Target
		}
		if in.Draft {
			return ok("tag %s does not exist yet: it is created at %s when the draft is published", in.Tag, from)
		}
		return ok("tag %s does not exist yet: publishing creates it at %s", in.Tag, from)
	}
	kind := "tag"
	if ref.annotated {
		kind = "annotated tag"
	}
	if ref.commit == "" {
		return skipped("", "", "%s %s points at no commit, so which code it names cannot be checked", kind, in.Tag)
	}
	want, bad := in.releasedCommit()
	switch {
	case bad != "":
		return skipped("commit", "Pass the commit's SHA, such as the output of `git rev-parse HEAD`.",
			"%s %s exists at commit %s; %q is not a commit SHA to compare it with", kind, in.Tag, ref.commit, bad)
	case want == "":
		return skipped("commit", "Pass the commit being released to compare it with the tag.",
			"%s %s exists at commit %s; no commit was given to compare it with", kind, in.Tag, ref.commit)
	case strings.HasPrefix(strings.ToLower(ref.commit), want):
		return ok("%s %s exists at commit %s, the commit being released", kind, in.Tag, ref.commit)
	}
	return failed(&outcome.Error{
		Class: outcome.TagConflict, Op: "check tag " + in.Tag, Repo: in.Repo.String(), Input: "commit",
		Message: fmt.Sprintf("%s %s exists at commit %s, but the commit being released is %s: publishing does not move a tag, "+
			"so the assets would be published under a tag of other code", kind, in.Tag, ref.commit, want),
		Remediation: fmt.Sprintf("Release commit %s, the one the tag points at, or release under a new tag. "+
			"Moving the tag instead (`git push --force origin %s:refs/tags/%s`) rewrites what others may have fetched, and a ruleset may forbid it.",
			ref.commit, want, in.Tag),
	})
}
