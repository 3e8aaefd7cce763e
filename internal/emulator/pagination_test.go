package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

// seedReleases stores n published releases, v0 oldest.
func seedReleases(t *testing.T, s *server, clk *emulatortest.Clock, n int) {
	t.Helper()
	for i := range n {
		s.SeedRelease(fullRepo, emulator.Release{TagName: fmt.Sprintf("v%d", i), CreatedAt: clk.Now().Add(time.Duration(i-n) * time.Minute)})
	}
}

func TestListReleasesPagination(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                                string
		releases                            int
		opts                                *github.ListOptions
		wantLen                             int
		wantFirstTag                        string
		wantNext, wantPrev, wantLast, wantF int
	}{
		{"default page size is 30", 35, nil, 30, "v34", 2, 0, 2, 0},
		{"second default page", 35, &github.ListOptions{Page: 2}, 5, "v4", 0, 1, 0, 1},
		{"per_page 2 first page", 5, &github.ListOptions{PerPage: 2}, 2, "v4", 2, 0, 3, 0},
		{"per_page 2 middle page", 5, &github.ListOptions{PerPage: 2, Page: 2}, 2, "v2", 3, 1, 3, 1},
		{"per_page 2 last page", 5, &github.ListOptions{PerPage: 2, Page: 3}, 1, "v0", 0, 2, 0, 1},
		{"past the end", 5, &github.ListOptions{PerPage: 2, Page: 9}, 0, "", 0, 3, 0, 1},
		{"per_page capped at 100", 120, &github.ListOptions{PerPage: 500}, 100, "v119", 2, 0, 2, 0},
		{"single page has no Link", 3, nil, 3, "v2", 0, 0, 0, 0},
		{"empty", 0, nil, 0, "", 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			clk := s.clock
			seedReleases(t, s, clk, tt.releases)

			list, resp, err := newClient(t, s, tokWrite).Repositories.ListReleases(context.Background(), owner, repoName, tt.opts)
			require.NoError(t, err)
			assert.Len(t, list, tt.wantLen)
			if tt.wantFirstTag != "" {
				assert.Equal(t, tt.wantFirstTag, list[0].GetTagName())
			}
			assert.Equal(t, tt.wantNext, resp.NextPage, "next")
			assert.Equal(t, tt.wantPrev, resp.PrevPage, "prev")
			assert.Equal(t, tt.wantLast, resp.LastPage, "last")
			assert.Equal(t, tt.wantF, resp.FirstPage, "first")
			if tt.wantNext+tt.wantPrev == 0 {
				assert.Empty(t, resp.Header.Get("Link"))
			}
		})
	}
}

func TestPaginationWalksEverything(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	seedReleases(t, s, clk, 7)
	s.SeedRelease(fullRepo, emulator.Release{TagName: "probe", Draft: true})
	gh := newClient(t, s, tokWrite)

	seen := map[string]bool{}
	opts := &github.ListOptions{PerPage: 3}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		list, resp, err := gh.Repositories.ListReleases(context.Background(), owner, repoName, opts)
		require.NoError(t, err)
		for _, r := range list {
			assert.False(t, seen[r.GetTagName()], "duplicate %s", r.GetTagName())
			seen[r.GetTagName()] = true
		}
		if resp.NextPage == 0 {
			break
		}
		assert.Contains(t, resp.Header.Get("Link"), `?page=`+itoa(int64(resp.NextPage))+`&per_page=3>; rel="next"`)
		opts.Page = resp.NextPage
	}
	assert.Len(t, seen, 8, "drafts are listed for a token with push access")
	assert.True(t, seen["probe"])
}

func TestListAssetsAndTagsPaginate(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	var assets []emulator.Asset
	for i := range 5 {
		assets = append(assets, emulator.Asset{Name: fmt.Sprintf("a%d", i), Content: []byte("x")})
	}
	rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1", Assets: assets})
	for i := range 4 {
		s.AddTag(fullRepo, fmt.Sprintf("t%d", i))
	}
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()

	page2, resp, err := gh.Repositories.ListReleaseAssets(ctx, owner, repoName, rel.ID, &github.ListOptions{PerPage: 2, Page: 2})
	require.NoError(t, err)
	require.Len(t, page2, 2)
	assert.Equal(t, []string{"a2", "a3"}, []string{page2[0].GetName(), page2[1].GetName()}, "assets list in upload order")
	assert.Equal(t, 3, resp.NextPage)

	tags, resp, err := gh.Repositories.ListTags(ctx, owner, repoName, &github.ListOptions{PerPage: 4})
	require.NoError(t, err)
	assert.Len(t, tags, 4)
	assert.Equal(t, 2, resp.LastPage, "v1 plus t0..t3 is five tags")
	assert.Len(t, tags[0].GetCommit().GetSHA(), 40)
}

func TestLinkHeaderFormat(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	seedReleases(t, s, clk, 5)
	resp, _ := rawDo(t, s, http.MethodGet, s.APIURL()+"repos/acme/widgets/releases?per_page=2&page=2", bearer(tokWrite), nil)
	require.Equal(t, 200, resp.StatusCode)
	links := strings.Split(resp.Header.Get("Link"), ", ")
	base := s.URL() + "/repos/acme/widgets/releases"
	assert.Equal(t, []string{
		`<` + base + `?page=1&per_page=2>; rel="prev"`,
		`<` + base + `?page=3&per_page=2>; rel="next"`,
		`<` + base + `?page=3&per_page=2>; rel="last"`,
		`<` + base + `?page=1&per_page=2>; rel="first"`,
	}, links)
}
