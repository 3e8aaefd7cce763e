package publish

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// semverPrerelease matches a semantic version (with an optional leading v)
// that has a pre-release part: v1.2.3-rc.1, 1.0.0-beta+exp.sha.5114f85.
var semverPrerelease = regexp.MustCompile(`^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)` +
	`-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// isPrerelease reports whether tag is a semantic version with a pre-release
// suffix. Build metadata alone (v1.2.3+build.5) and tags that are not
// semantic versions are not pre-releases.
func isPrerelease(tag string) bool {
	return semverPrerelease.MatchString(tag)
}

// tagProblem returns why tag cannot name a git tag (the rules of
// git check-ref-format for refs/tags/<tag>, plus valid UTF-8 without Unicode
// spaces, which survive neither JSON nor a shell well), or "" when it can.
func tagProblem(tag string) string {
	bad := func(why string) string { return fmt.Sprintf("tag %s %s", outcome.Quote(tag), why) }
	switch {
	case tag == "":
		return "no tag was given"
	case isRef(tag):
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

// isRef reports whether tag is a ref rather than a tag name: refs/…, HEAD and its kin, the
// mistake of passing $GITHUB_REF where $GITHUB_REF_NAME is meant.
func isRef(tag string) bool {
	switch tag {
	case "HEAD", "FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD":
		return true
	}
	return strings.HasPrefix(tag, "refs/")
}

// ParsePrerelease reads the prerelease input: "auto" (nil: decided by the tag's semver suffix),
// "true" or "false".
func ParsePrerelease(s string) (*bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return nil, nil
	case "true":
		v := true
		return &v, nil
	case "false":
		v := false
		return &v, nil
	}
	return nil, outcome.Invalid("check the prerelease choice", "prerelease", fmt.Sprintf("%q is not true, false or auto", s),
		"Pass true, false or auto.")
}
