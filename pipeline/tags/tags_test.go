package tags_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/release-preflight/release-preflight/pipeline/tags"
)

func TestIsPrerelease(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tag  string
		want bool
	}{
		{"v1.2.3-rc.1", true},
		{"1.0.0-alpha", true},
		{"v1.0.0-beta.2+exp.sha.5114f85", true},
		{"v0.0.1-0.3.7", true},
		{"v1.2.3", false},
		{"v1.2.3+build.5", false},
		{"v1.2-rc1", false},
		{"release-2024-05", false},
		{"v01.2.3-rc.1", false},
		{"v1.2.3-", false},
		{"v1.2.3-rc..1", false},
		{"V1.2.3-rc.1", false},
	}
	for _, tc := range tests {
		t.Run(tc.tag, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, tags.IsPrerelease(tc.tag))
		})
	}
}

func TestProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tag  string
		want string // substring of the problem; "" when valid
	}{
		{"v1.2.3", ""},
		{"v1.2.3-rc.1+build.7", ""},
		{"release/2026-05", ""},
		{"", "no tag"},
		{"v1 .2", "spaces"},
		{"v1\t2", "spaces"},
		{"v1\u00852", "spaces"},
		{"v1\xff", "UTF-8"},
		{"v1:2", "contains one of"},
		{"v1..2", `".."`},
		{"v1@{2}", `"@{"`},
		{"@", `"@"`},
		{"-v1", `starts with "-"`},
		{"v1/", `ends with "/"`},
		{"v1.", `ends with "/" or "."`},
		{"a//b", `"//"`},
		{"v1.lock", ".lock"},
		{"a/.hidden", `starting with "."`},
		{strings.Repeat("v", 256), "longer than 255"},
		{"v1.0.0\u200b", `tag "v1.0.0\u200b" contains U+200B ZERO WIDTH SPACE, which is invisible or reorders the text around it`},
		{"\ufeffv1.0.0", "U+FEFF ZERO WIDTH NO-BREAK SPACE"},
		{"v1.0.0-\u202egnp", "U+202E RIGHT-TO-LEFT OVERRIDE"},
		{"v1\u2066.0\u2069.0", "contains U+2066 LEFT-TO-RIGHT ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, which are invisible or reorder the text around them"},
		{"v1.0\u00ad.0", "U+00AD SOFT HYPHEN"},
		{"v1.0.0\u200d\u200d", "contains U+200D ZERO WIDTH JOINER, which"},
		{"v1.0.0\U000E0041", "U+E0041 an invisible formatting character"},
		{"v1.0.0\ufe0f", "U+FE0F an invisible formatting character"},
		{"v1.0.0\u3164", "U+3164 HANGUL FILLER"},
		{"v1.0.0-ü", ""},
	}
	for _, tc := range tests {
		t.Run(tc.tag, func(t *testing.T) {
			t.Parallel()
			got := tags.Problem(tc.tag)
			if tc.want == "" {
				assert.Empty(t, got)
				return
			}
			assert.Contains(t, got, tc.want)
		})
	}
}

func FuzzTag(f *testing.F) {
	for _, s := range []string{"v1.2.3", "v1.2.3-rc.1", "v1.2.3+b", "a/b", "@{", "v1..2", "x.lock", " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		if tags.Problem(tag) == "" {
			if tag == "" || len(tag) > 255 || !utf8.ValidString(tag) || strings.ContainsFunc(tag, unicode.IsSpace) || strings.Contains(tag, "..") ||
				tags.Invisible(tag) != nil || strings.ContainsFunc(tag, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }) {
				t.Fatalf("tagProblem accepted %q", tag)
			}
		}
		if tags.IsPrerelease(tag) && (!strings.Contains(tag, "-") || strings.ContainsFunc(tag, unicode.IsSpace)) {
			t.Fatalf("isPrerelease accepted %q", tag)
		}
	})
}

func TestTargetProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		target string
		want   string // substring of the problem; "" when valid
	}{
		{"", ""},
		{"main", ""},
		{"release/1.x", ""},
		{"0123456789abcdef0123456789abcdef01234567", ""},
		{"0123456789ABCDEF0123456789ABCDEF01234567", ""},
		{"0123456", `target "0123456" looks like a commit SHA cut short to 7 digits; GitHub takes a full one`},
		{"0123456789abcdef0123456789abcdef0123456", "cut short to 39 digits"},
		{"refs/heads/main", `target "refs/heads/main" is a git ref, not a branch name`},
		{"HEAD", "is a git ref"},
		{"main\u200b", "U+200B ZERO WIDTH SPACE"},
		{"ma in", "spaces"},
		{"main..x", `".."`},
		{"-main", `starts with "-"`},
		{"feature.lock", ".lock"},
		{"ghs_0123456789abcdefghijklmnopqrstuvwxyz12", ""}, // a valid name; messages mask it
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			t.Parallel()
			got := tags.TargetProblem(tc.target)
			if tc.want == "" {
				assert.Empty(t, got)
				return
			}
			assert.Contains(t, got, tc.want)
		})
	}
}

// Invisible names each invisible character once, in order; visible text has none.
func TestInvisible(t *testing.T) {
	t.Parallel()
	assert.Nil(t, tags.Invisible("v1.2.3-rc.1+build.ü"))
	assert.Equal(t, []string{"U+202E RIGHT-TO-LEFT OVERRIDE", "U+200B ZERO WIDTH SPACE"}, tags.Invisible("a\u202eb\u200bc\u202e"))
}

func FuzzTarget(f *testing.F) {
	for _, s := range []string{"main", "release/1.x", "0123456789abcdef0123456789abcdef01234567", "abc1234", "refs/heads/main", "ma\u200bin", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		if tags.TargetProblem(target) != "" {
			return
		}
		if tags.Invisible(target) != nil || strings.ContainsFunc(target, unicode.IsSpace) || strings.Contains(target, "..") ||
			tags.IsRef(target) || !utf8.ValidString(target) {
			t.Fatalf("TargetProblem accepted %q", target)
		}
	})
}
