package emulator

import (
	"path"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFnmatchRegexp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, ref string
		want         bool
	}{
		{"refs/tags/v*", "refs/tags/v1.2.3", true},
		{"refs/tags/v*", "refs/tags/release/v1", false},
		{"refs/tags/v*", "refs/tags/x1", false},
		{"refs/tags/*", "refs/tags/a/b", false},
		{"refs/tags/**/*", "refs/tags/a/b", true},
		{"refs/tags/**/*", "refs/tags/a", true},
		{"refs/tags/**/v1", "refs/tags/v1", true},
		{"refs/tags/qa**/**/*", "refs/tags/qa-x/y/z", true},
		{"refs/tags/qa**/x", "refs/tags/qab/c/x", false},
		{"refs/tags/qa**/x", "refs/tags/qab/x", true},
		{"refs/tags/v?.0", "refs/tags/v1.0", true},
		{"refs/tags/v?.0", "refs/tags/v10.0", false},
		{"refs/tags/v[0-9]*", "refs/tags/v1", true},
		{"refs/tags/v[!0-9]*", "refs/tags/v1", false},
		{"refs/tags/v[^0-9]*", "refs/tags/vx", true},
		{"refs/tags/a[/]b", "refs/tags/a/b", false},
		{"refs/tags/a[!x]b", "refs/tags/a/b", false},
		{`refs/tags/a\*`, "refs/tags/a*", true},
		{`refs/tags/a\*`, "refs/tags/ab", false},
		{"refs/tags/a[b", "refs/tags/a[b", true},
		{"refs/tags/v1.0", "refs/tags/v1x0", false},
		{"v*", "refs/tags/v1", false},
	}
	for _, tc := range tests {
		if got := fnmatchRegexp(tc.pattern).MatchString(tc.ref); got != tc.want {
			t.Errorf("fnmatch(%q, %q) = %t, want %t", tc.pattern, tc.ref, got, tc.want)
		}
	}
}

// Without "[" and "**", File.fnmatch with FNM_PATHNAME and Go's path.Match agree.
func FuzzFnmatchRegexp(f *testing.F) {
	for _, s := range [][2]string{{"refs/tags/v*", "refs/tags/v1"}, {"a/*/c", "a/b/c"}, {`a\?`, "a?"}, {"**/x", "a/x"}, {"[a-", "[a-"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		got := fnmatchRegexp(pattern).MatchString(name)             // must not panic on any pattern
		if !utf8.ValidString(pattern) || !utf8.ValidString(name) || // refs are UTF-8
			strings.Contains(pattern, "[") || strings.Contains(pattern, "**") || strings.HasSuffix(pattern, `\`) {
			return
		}
		want, err := path.Match(pattern, name)
		if err == nil && got != want {
			t.Fatalf("fnmatch(%q, %q) = %t, path.Match says %t", pattern, name, got, want)
		}
	})
}
