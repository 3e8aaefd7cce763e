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
			if tag == "" || len(tag) > 255 || !utf8.ValidString(tag) || strings.ContainsFunc(tag, unicode.IsSpace) || strings.Contains(tag, "..") {
				t.Fatalf("tagProblem accepted %q", tag)
			}
		}
		if tags.IsPrerelease(tag) && (!strings.Contains(tag, "-") || strings.ContainsFunc(tag, unicode.IsSpace)) {
			t.Fatalf("isPrerelease accepted %q", tag)
		}
	})
}
