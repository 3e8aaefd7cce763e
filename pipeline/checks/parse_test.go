package checks

import (
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestFnmatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"refs/tags/v*", "refs/tags/v1.2.3", true},
		{"refs/tags/v*", "refs/tags/release/v1", false},
		{"refs/tags/v*", "refs/tags/x1", false},
		{"refs/tags/*", "refs/tags/a/b", false},
		{"refs/tags/**/*", "refs/tags/a/b", true},
		{"refs/tags/**/*", "refs/tags/a", true},
		{"refs/tags/**/v1", "refs/tags/v1", true},
		{"refs/tags/**/v1", "refs/tags/a/b/v1", true},
		{"refs/tags/**/v1", "refs/tags/a/bv1", false},
		{"refs/tags/qa**/**/*", "refs/tags/qa-x/y/z", true},
		{"refs/tags/qa**/x", "refs/tags/qab/c/x", false /* "**" mid-segment is "*" */},
		{"refs/tags/qa**/x", "refs/tags/qab/x", true},
		{"refs/tags/v?.0", "refs/tags/v1.0", true},
		{"refs/tags/v?.0", "refs/tags/v10.0", false},
		{"refs/tags/v?", "refs/tags/v/", false},
		{"refs/tags/v[0-9]*", "refs/tags/v1", true},
		{"refs/tags/v[!0-9]*", "refs/tags/v1", false},
		{"refs/tags/v[^0-9]*", "refs/tags/vx", true},
		{"refs/tags/v[]]", "refs/tags/v]", true},
		{"refs/tags/a[/]b", "refs/tags/a/b", false},
		{"refs/tags/a[!x]b", "refs/tags/a/b", false},
		{`refs/tags/a\*`, "refs/tags/a*", true},
		{`refs/tags/a\*`, "refs/tags/ab", false},
		{"refs/tags/a[b", "refs/tags/a[b", true},
		{"refs/tags/v1.0", "refs/tags/v1x0", false},
		{"refs/tags/ü*", "refs/tags/über", true},
		{"v*", "refs/tags/v1", false},
		{"", "", true},
		{"*", "", true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, fnmatch(tc.pattern, tc.name), "fnmatch(%q, %q)", tc.pattern, tc.name)
	}
}

func TestRefCovered(t *testing.T) {
	t.Parallel()
	ref := "refs/tags/v1.2.3"
	tests := []struct {
		include, exclude []string
		want             bool
	}{
		{include: []string{"~ALL"}, want: true},
		{include: []string{"~DEFAULT_BRANCH"}, want: false},
		{include: []string{"refs/tags/v2*", "refs/tags/v1*"}, want: true},
		{include: []string{"~ALL"}, exclude: []string{"refs/tags/v1.*"}, want: false},
		{include: []string{"~ALL"}, exclude: []string{"refs/tags/v2.*", "~DEFAULT_BRANCH"}, want: true},
		{include: nil, want: false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, refCovered(tc.include, tc.exclude, ref), "%v minus %v", tc.include, tc.exclude)
	}
}

// Without "[" and "**", File.fnmatch with FNM_PATHNAME and path.Match agree; fnmatch never
// takes more than polynomial time.
func FuzzFnmatch(f *testing.F) {
	for _, s := range [][2]string{{"refs/tags/v*", "refs/tags/v1"}, {"a/*/c", "a/b/c"}, {`a\?`, "a?"},
		{"**/x", "a/x"}, {"[a-", "[a-"}, {"*a*a*a*a*a*a*b", strings.Repeat("a", 200)}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		if len(pattern) > 300 || len(name) > 300 {
			return // refs are at most 255 bytes
		}
		got := fnmatch(pattern, name)
		if !utf8.ValidString(pattern) || !utf8.ValidString(name) ||
			strings.Contains(pattern, "[") || strings.Contains(pattern, "**") || strings.HasSuffix(pattern, `\`) {
			return
		}
		want, err := path.Match(pattern, name)
		if err == nil && got != want {
			t.Fatalf("fnmatch(%q, %q) = %t, path.Match says %t", pattern, name, got, want)
		}
	})
}

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	// semver.org's example of precedence, lowest first, and more.
	ordered := []string{"v0.9.9", "1.0.0-0.3.7", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
		"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "v1.0.1", "1.2.0", "1.10.0", "v2.0.0", "99999999999999999999.0.0"}
	for i := range ordered {
		for j := range ordered {
			a, okA := parseVersion(ordered[i])
			b, okB := parseVersion(ordered[j])
			if assert.True(t, okA && okB, "%s, %s", ordered[i], ordered[j]) {
				assert.Equal(t, compareIndex(i, j), compareVersions(a, b), "%s vs %s", ordered[i], ordered[j])
			}
		}
	}
	a, _ := parseVersion("v1.2.3+build.5")
	b, _ := parseVersion("1.2.3")
	assert.Equal(t, 0, compareVersions(a, b), "build metadata has no precedence")

	for _, bad := range []string{"", "v", "1.2", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3+", "1.2.3-a..b", "1.2.3-ü", "vv1.2.3", "1.2.3 ", "-1.2.3", "1.2.x"} {
		_, ok := parseVersion(bad)
		assert.False(t, ok, "%q is no semantic version", bad)
	}
	for _, good := range []string{"1.2.3-01a", "1.2.3-a-b", "1.2.3+001", "0.0.0"} {
		_, ok := parseVersion(good)
		assert.True(t, ok, "%q is a semantic version", good)
	}
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

// compareVersions is a total order: reflexive, antisymmetric and transitive.
func FuzzCompareVersions(f *testing.F) {
	f.Add("v1.2.3", "1.2.3-rc.1", "1.2.4")
	f.Add("1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-1")
	f.Fuzz(func(t *testing.T, x, y, z string) {
		a, okA := parseVersion(x)
		b, okB := parseVersion(y)
		c, okC := parseVersion(z)
		if !okA || !okB || !okC {
			return
		}
		if compareVersions(a, a) != 0 {
			t.Fatalf("%q is not equal to itself", x)
		}
		if compareVersions(a, b) != -compareVersions(b, a) {
			t.Fatalf("not antisymmetric: %q, %q", x, y)
		}
		if compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0 && compareVersions(a, c) > 0 {
			t.Fatalf("not transitive: %q <= %q <= %q but %q > %q", x, y, z, x, z)
		}
		if a.prerelease() != strings.Contains(strings.SplitN(strings.TrimPrefix(x, "v"), "+", 2)[0], "-") {
			t.Fatalf("prerelease of %q is %t", x, a.prerelease())
		}
	})
}
