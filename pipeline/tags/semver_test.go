package tags_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/release-preflight/release-preflight/pipeline/tags"
)

// Tags the publish and the checks read differently before they shared one rule: the publish
// called v1.2.3-rc.01 a pre-release (and published it with prerelease true) while the checks
// said it was no semantic version (and that GitHub would make it the latest). Every tag has one
// reading now.
func TestSemver(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tag        string
		semver     bool
		prerelease bool
	}{
		{"v1.2.3-rc.01", false, false}, // a numeric identifier with a leading zero
		{"1.2.3-rc.01", false, false},
		{"v1.2.3-01", false, false},
		{"v1.2.3-rc.1", true, true},
		{"1.0.0-alpha", true, true},
		{"v1.0.0-beta.2+exp.sha.5114f85", true, true},
		{"v0.0.1-0.3.7", true, true},
		{"1.2.3-01a", true, true}, // alphanumeric: leading zeros allowed
		{"v1.2.3", true, false},
		{"v1.2.3+build.5", true, false},
		{"1.2.3+001", true, false},
		{"v1.2", false, false}, // x/mod/semver's shorthand for v1.2.0: no release's version
		{"v1", false, false},   // likewise
		{"v1.2-rc1", false, false},
		{"release-2024-05", false, false},
		{"v01.2.3-rc.1", false, false},
		{"v1.2.3-", false, false},
		{"v1.2.3+", false, false},
		{"v1.2.3-rc..1", false, false},
		{"V1.2.3-rc.1", false, false},
		{"vv1.2.3", false, false},
		{"1.2.3.4", false, false},
		{"1.2.3-ü", false, false},
		{"", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.tag, func(t *testing.T) {
			t.Parallel()
			_, ok := tags.Semver(tc.tag)
			assert.Equal(t, tc.semver, ok, "semver")
			assert.Equal(t, tc.prerelease, tags.IsPrerelease(tc.tag), "pre-release")
			_, comparable := tags.Compare(tc.tag, "v1.0.0")
			assert.Equal(t, tc.semver, comparable, "comparable with v1.0.0")
		})
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	// semver.org's example of precedence, lowest first, and more.
	ordered := []string{"v0.9.9", "1.0.0-0.3.7", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
		"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "v1.0.1", "1.2.0", "1.10.0", "v2.0.0", "99999999999999999999.0.0"}
	for i := range ordered {
		for j := range ordered {
			got, ok := tags.Compare(ordered[i], ordered[j])
			if assert.True(t, ok, "%s, %s", ordered[i], ordered[j]) {
				assert.Equal(t, compareIndex(i, j), got, "%s vs %s", ordered[i], ordered[j])
			}
		}
	}
	got, ok := tags.Compare("v1.2.3+build.5", "1.2.3")
	assert.True(t, ok)
	assert.Equal(t, 0, got, "build metadata has no precedence")
}

func compareIndex(i, j int) int {
	switch {
	case i < j:
		return -1
	case i > j:
		return 1
	}
	return 0
}

// Compare is a total order on semantic versions: reflexive, antisymmetric and transitive; and a
// tag is a pre-release exactly when its version has a "-" before any build metadata.
func FuzzCompare(f *testing.F) {
	f.Add("v1.2.3", "1.2.3-rc.1", "1.2.4")
	f.Add("1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-1")
	f.Add("v1.2.3-rc.01", "v1.2", "1.2.3+b")
	f.Fuzz(func(t *testing.T, x, y, z string) {
		if _, ok := tags.Semver(x); ok {
			pre := strings.Contains(strings.SplitN(strings.TrimPrefix(x, "v"), "+", 2)[0], "-")
			if tags.IsPrerelease(x) != pre {
				t.Fatalf("pre-release of %q is %t", x, tags.IsPrerelease(x))
			}
		} else if tags.IsPrerelease(x) {
			t.Fatalf("%q is no semantic version but a pre-release", x)
		}
		ab, okAB := tags.Compare(x, y)
		ba, _ := tags.Compare(y, x)
		bc, okBC := tags.Compare(y, z)
		ac, _ := tags.Compare(x, z)
		if !okAB || !okBC {
			return
		}
		if aa, _ := tags.Compare(x, x); aa != 0 {
			t.Fatalf("%q is not equal to itself", x)
		}
		if ab != -ba {
			t.Fatalf("not antisymmetric: %q, %q", x, y)
		}
		if ab <= 0 && bc <= 0 && ac > 0 {
			t.Fatalf("not transitive: %q <= %q <= %q but %q > %q", x, y, z, x, z)
		}
	})
}
