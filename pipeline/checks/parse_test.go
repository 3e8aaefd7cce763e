package checks

import (
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/release-preflight/release-preflight/internal/emulator"
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

// The checks' fnmatch and the emulator's, written apart on purpose, agree on every pattern and
// ref: each is the other's oracle. Both read refs as GitHub stores them: valid UTF-8.
func FuzzFnmatchAgainstTheEmulator(f *testing.F) {
	for _, s := range [][2]string{{"refs/tags/v*", "refs/tags/v1"}, {"refs/tags/**/v1", "refs/tags/a/b/v1"}, {"refs/tags/qa**/x", "refs/tags/qab/c/x"},
		{"refs/tags/v[!0-9]*", "refs/tags/vx"}, {"refs/tags/v[]]", "refs/tags/v]"}, {"refs/tags/a[b", "refs/tags/a[b"}, {`refs/tags/a\*`, "refs/tags/a*"},
		{"refs/tags/a[/]b", "refs/tags/a/b"}, {"refs/tags/ü*", "refs/tags/über"}, {"*", ""}, {"[a-", "[a-"}, {`a\`, `a\`}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, ref string) {
		if len(pattern) > 300 || len(ref) > 300 || !utf8.ValidString(pattern) || !utf8.ValidString(ref) {
			return
		}
		if got, want := fnmatch(pattern, ref), emulator.MatchRef(pattern, ref); got != want {
			t.Fatalf("fnmatch(%q, %q) = %t, the emulator's MatchRef says %t", pattern, ref, got, want)
		}
	})
}
