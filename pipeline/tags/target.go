package tags

import (
	"fmt"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// TargetProblem returns why target cannot be what a new tag is created at — a branch's name or
// a commit's full SHA (40 hex digits), as GitHub's target_commitish takes them — or "" when it
// can ("" itself: the default branch). A hex string of 7 to 39 digits is taken for a SHA cut
// short, which GitHub would not find; a ref (refs/heads/main) is not a branch's name.
func TargetProblem(target string) string {
	bad := func(why string) string { return fmt.Sprintf("target %s %s", outcome.Quote(target), why) }
	switch {
	case target == "", len(target) == 40 && isHex(target):
		return ""
	case len(target) >= 7 && len(target) < 40 && isHex(target):
		return bad(fmt.Sprintf("looks like a commit SHA cut short to %d digits; GitHub takes a full one", len(target)))
	case IsRef(target):
		return bad("is a git ref, not a branch name")
	}
	if why := nameProblem(target); why != "" {
		return bad(why)
	}
	return ""
}

func isHex(s string) bool {
	return strings.Trim(s, "0123456789abcdefABCDEF") == ""
}
