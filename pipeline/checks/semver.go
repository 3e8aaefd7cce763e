package checks

import (
	"cmp"
	"strings"
)

// version is a semantic version (semver.org 2.0.0) with an optional leading "v". Build
// metadata is dropped: it does not take part in precedence.
type version struct {
	core [3]string // major, minor, patch: decimal without leading zeros
	pre  []string  // pre-release identifiers; none for a release
}

// parseVersion parses a tag such as v1.2.3, 1.2.3-rc.1 or v1.2.3+build.5, and reports whether
// it is a semantic version.
func parseVersion(tag string) (version, bool) {
	s := strings.TrimPrefix(tag, "v")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		if !identifiers(s[i+1:], false) {
			return version{}, false
		}
		s = s[:i]
	}
	var v version
	if i := strings.IndexByte(s, '-'); i >= 0 {
		if !identifiers(s[i+1:], true) {
			return version{}, false
		}
		v.pre = strings.Split(s[i+1:], ".")
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return version{}, false
	}
	for i, p := range parts {
		if !numeric(p) {
			return version{}, false
		}
		v.core[i] = p
	}
	return v, true
}

// identifiers reports whether s is a dot-separated list of non-empty identifiers of
// [0-9A-Za-z-]; in a pre-release, numeric ones have no leading zeros.
func identifiers(s string, pre bool) bool {
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		allDigits := true
		for _, c := range []byte(id) {
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
				allDigits = false
			default:
				return false
			}
		}
		if pre && allDigits && !numeric(id) {
			return false
		}
	}
	return true
}

// numeric reports whether s is a decimal number without leading zeros.
func numeric(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// prerelease reports whether v has a pre-release part.
func (v version) prerelease() bool { return len(v.pre) > 0 }

// compareVersions returns -1, 0 or +1 as a is lower than, equal to or higher than b in
// semver precedence.
func compareVersions(a, b version) int {
	for i := range a.core {
		if c := compareNumeric(a.core[i], b.core[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(a.pre) == 0 && len(b.pre) == 0:
		return 0
	case len(a.pre) == 0:
		return 1 // a release is higher than its pre-releases
	case len(b.pre) == 0:
		return -1
	}
	for i := 0; i < len(a.pre) && i < len(b.pre); i++ {
		x, y := a.pre[i], b.pre[i]
		xn, yn := numeric(x), numeric(y)
		var c int
		switch {
		case xn && yn:
			c = compareNumeric(x, y)
		case xn:
			c = -1 // numeric identifiers are lower than alphanumeric ones
		case yn:
			c = 1
		default:
			c = strings.Compare(x, y)
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a.pre), len(b.pre))
}

// compareNumeric compares decimal numbers without leading zeros, of any length.
func compareNumeric(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
