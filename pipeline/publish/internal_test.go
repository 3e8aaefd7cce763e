package publish

import (
	"strings"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
)

func TestKeepsName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"widgets_1.2.3_linux_amd64.tar.gz", true},
		{"SHA256SUMS", true},
		{"c++-tool+x86", true},
		{"my file.zip", false},
		{".DS_Store", false},
		{"trailing.", false},
		{"a..b", false},
		{"naïve.zip", false},
		{"a@b.zip", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, keepsName(tc.name))
		})
	}
}

func TestPick(t *testing.T) {
	t.Parallel()
	rel := func(id int64, tag string, draft bool) *github.RepositoryRelease {
		return &github.RepositoryRelease{ID: id, TagName: tag, Draft: draft}
	}
	tests := []struct {
		name   string
		rels   []*github.RepositoryRelease
		wantID int64 // 0: none
	}{
		{"none", []*github.RepositoryRelease{rel(1, "v0.9.0", false)}, 0},
		{"one draft", []*github.RepositoryRelease{rel(1, "v0.9.0", false), rel(2, "v1.0.0", true)}, 2},
		{"published wins over drafts", []*github.RepositoryRelease{rel(3, "v1.0.0", true), rel(4, "v1.0.0", false)}, 4},
		{"oldest of several drafts, in any order", []*github.RepositoryRelease{rel(5, "v1.0.0", true), rel(4, "v1.0.0", true), rel(6, "v1.0.0", true)}, 4},
		{"tag must match exactly", []*github.RepositoryRelease{rel(1, "v1.0.0-rc.1", true), rel(2, "V1.0.0", false)}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := pick(tc.rels, "v1.0.0")
			assert.Equal(t, tc.wantID != 0, ok)
			assert.Equal(t, tc.wantID, got.GetID())
		})
	}
}

func TestAssetDigest(t *testing.T) {
	t.Parallel()
	sum := strings.Repeat("ab", 32)
	a := func(state string, size int, digest string) *github.ReleaseAsset {
		out := &github.ReleaseAsset{State: &state, Size: &size}
		if digest != "" {
			out.Digest = &digest
		}
		return out
	}
	f := File{Name: "x", Size: 3, SHA256: sum}
	tests := []struct {
		name              string
		a                 *github.ReleaseAsset
		wantSame, wantDig bool
		wantIntact        bool
	}{
		{"same digest", a("uploaded", 3, "sha256:"+strings.ToUpper(sum)), true, true, true},
		{"other digest", a("uploaded", 3, "sha256:"+strings.Repeat("cd", 32)), false, true, false},
		{"no digest: sizes only", a("uploaded", 3, ""), true, false, false},
		{"another algorithm", a("uploaded", 3, "sha512:"+sum), true, false, false},
		{"unfinished", a("starter", 0, ""), false, false, false},
		{"other size", a("uploaded", 4, "sha256:"+sum), false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			same, digested := holds(tc.a, f)
			assert.Equal(t, tc.wantSame, same)
			assert.Equal(t, tc.wantDig, digested)
			assert.Equal(t, tc.wantIntact, isIntact(tc.a, f))
		})
	}
}
