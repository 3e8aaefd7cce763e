package tags

import (
	"strings"

	"golang.org/x/mod/semver"
)

// Semver returns tag as golang.org/x/mod/semver reads it ("v" added when missing) and whether it
// is a semantic version in full: v1.2.3, 1.2.3-rc.1, v1.2.3+build.5.
func Semver(tag string) (string, bool) {
	v := tag
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	if !semver.IsValid(v) {
		return "", false
	}
	core, _, _ := strings.Cut(v[1:], "+")
	core, _, _ = strings.Cut(core, "-")
	if strings.Count(core, ".") != 2 {
		return "", false // v1 or v1.2: a shorthand x/mod/semver completes, not a release's version
	}
	return v, true
}

// IsPrerelease reports whether tag is a semantic version with a pre-release part (v1.2.3-rc.1).
// Build metadata alone (v1.2.3+build.5) and tags that are no semantic version are not
// pre-releases: GitHub then decides nothing by itself either.
func IsPrerelease(tag string) bool {
	v, ok := Semver(tag)
	return ok && semver.Prerelease(v) != ""
}

// Compare returns -1, 0 or +1 as tag a is lower than, equal to or higher than b in semver
// precedence; ok is false unless both are semantic versions.
func Compare(a, b string) (cmp int, ok bool) {
	va, okA := Semver(a)
	vb, okB := Semver(b)
	if !okA || !okB {
		return 0, false
	}
	return semver.Compare(va, vb), true
}
