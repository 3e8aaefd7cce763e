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
// spaces, which survive neither JSON nor a shell well), or "" when it can.
func Problem(tag string) string {
	bad := func(why string) string { return fmt.Sprintf("tag %s %s", outcome.Quote(tag), why) }
	switch {
	case tag == "":
		return "no tag was given"
	case IsRef(tag):
		return bad("is a git ref, not a tag name")
	case len(tag) > 255:
		return bad("is longer than 255 characters")
	case !utf8.ValidString(tag):
		return bad("is not valid UTF-8")
	case strings.ContainsFunc(tag, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return bad("contains spaces or control characters")
	case strings.ContainsAny(tag, "~^:?*[\\"):
		return bad(`contains one of ~ ^ : ? * [ \`)
	case strings.Contains(tag, ".."), strings.Contains(tag, "@{"), strings.Contains(tag, "//"), tag == "@":
		return bad(`contains "..", "@{" or "//", or is "@"`)
	case strings.HasPrefix(tag, "-"), strings.HasPrefix(tag, "/"), strings.HasSuffix(tag, "/"), strings.HasSuffix(tag, "."):
		return bad(`starts with "-" or "/", or ends with "/" or "."`)
	}
	for _, part := range strings.Split(tag, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return bad(`has a part starting with "." or ending in ".lock"`)
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
