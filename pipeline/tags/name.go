package tags

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Problem returns why tag cannot name a git tag (the rules of
// git check-ref-format for refs/tags/<tag>, plus valid UTF-8 without Unicode
// spaces, which survive neither JSON nor a shell well, and without invisible or
// bidirectional characters, which make it look like a tag it is not), or "" when
// it can.
func Problem(tag string) string {
	switch {
	case tag == "":
		return "no tag was given"
	case IsRef(tag):
		return fmt.Sprintf("tag %s is a git ref, not a tag name", outcome.Quote(tag))
	}
	if why := nameProblem(tag); why != "" {
		return fmt.Sprintf("tag %s %s", outcome.Quote(tag), why)
	}
	return ""
}

// nameProblem says why name cannot be the last part of a git ref (refs/tags/<name>,
// refs/heads/<name>), or "" when it can.
func nameProblem(name string) string {
	switch {
	case len(name) > 255:
		return "is longer than 255 characters"
	case !utf8.ValidString(name):
		return "is not valid UTF-8"
	case invisibleProblem(name) != "":
		return invisibleProblem(name)
	case strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return "contains spaces or control characters"
	case strings.ContainsAny(name, "~^:?*[\\"):
		return `contains one of ~ ^ : ? * [ \`
	case strings.Contains(name, ".."), strings.Contains(name, "@{"), strings.Contains(name, "//"), name == "@":
		return `contains "..", "@{" or "//", or is "@"`
	case strings.HasPrefix(name, "-"), strings.HasPrefix(name, "/"), strings.HasSuffix(name, "/"), strings.HasSuffix(name, "."):
		return `starts with "-" or "/", or ends with "/" or "."`
	}
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return `has a part starting with "." or ending in ".lock"`
		}
	}
	return ""
}

// IsRef reports whether tag is a ref rather than a tag name: refs/…, HEAD and its kin, the
// mistake of passing $GITHUB_REF where $GITHUB_REF_NAME is meant.
func IsRef(tag string) bool {
	switch tag {
	case "HEAD", "FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD":
		return true
	}
	return strings.HasPrefix(tag, "refs/")
}
