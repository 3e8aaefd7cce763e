package emulator_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

func TestRequestLogNeverHoldsTheToken(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Inject(emulator.Fault{PathContains: "/tags", Status: 502})
	ctx := context.Background()
	for _, tok := range append(allTokens, "") {
		gh := newClient(t, s, tok)
		_, _, _ = gh.Repositories.Get(ctx, owner, repoName)
		_, _, _ = gh.Repositories.CreateRelease(ctx, owner, repoName, github.CreateReleaseRequest{TagName: "v-" + tok[:min(len(tok), 6)], Draft: new(true)})
		_, _, _ = gh.Repositories.ListTags(ctx, owner, repoName, nil)
	}
	rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "up", Draft: true})
	_, _, err := newClient(t, s, tokWrite).Repositories.UploadReleaseAsset(ctx, owner, repoName, rel.ID,
		&github.UploadOptions{Name: "a.zip", Label: "A"}, tempFile(t, "a.zip", []byte("zip")))
	require.NoError(t, err)

	reqs := s.Requests()
	require.Len(t, reqs, 3*(len(allTokens)+1)+1)
	dump := fmt.Sprintf("%#v %+v %v", reqs, reqs, reqs)
	for _, tok := range allTokens {
		assert.NotContains(t, dump, tok)
		assert.NotContains(t, dump, tok[4:20], "not even a fragment")
	}

	modes := map[emulator.Mode]bool{}
	for _, r := range reqs {
		modes[r.Mode] = true
	}
	for _, m := range []emulator.Mode{emulator.ModeWrite, emulator.ModeClamped, emulator.ModePATNoContents,
		emulator.ModeClassicNoRepo, emulator.ModeSSORequired, emulator.ModeClassicRepo,
		emulator.ModeBadCredentials, emulator.ModeAnonymous} {
		assert.True(t, modes[m], "mode %s logged", m)
	}

	first := reqs[0]
	assert.Regexp(t, `^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{6}:[0-9A-F]{8}$`, first.RequestID, "the X-GitHub-Request-Id it answered with")
	assert.Equal(t, emulator.Request{Method: "GET", Path: "/repos/acme/widgets", Endpoint: "get-a-repository", Status: 200, Mode: emulator.ModeWrite, RequestID: first.RequestID}, first)
	assert.Equal(t, "status", reqs[2].Fault)
	assert.Equal(t, 502, reqs[2].Status)
	last := reqs[len(reqs)-1]
	assert.Equal(t, "POST", last.Method)
	assert.True(t, strings.HasSuffix(last.Path, "/assets"))
	assert.Equal(t, "label=A&name=a.zip", last.Query)
	assert.Equal(t, 201, last.Status)
}

func TestModeString(t *testing.T) {
	t.Parallel()
	tests := map[emulator.Mode]string{
		emulator.ModeWrite:          "write",
		emulator.ModeClamped:        "clamped",
		emulator.ModePATNoContents:  "pat-no-contents",
		emulator.ModeClassicNoRepo:  "classic-no-repo",
		emulator.ModeSSORequired:    "sso-required",
		emulator.ModeClassicRepo:    "classic-repo",
		emulator.ModeBadCredentials: "bad-credentials",
		emulator.ModeAnonymous:      "anonymous",
		emulator.Mode(99):           "unknown",
	}
	for m, want := range tests {
		assert.Equal(t, want, m.String())
	}
}

func TestSnapshotsAreCopies(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.SeedRelease(fullRepo, emulator.Release{TagName: "v1", Assets: []emulator.Asset{{Name: "a", Content: []byte("abc")}}})
	snap := s.Releases(fullRepo)
	snap[0].Assets[0].Content[0] = 'X'
	snap[0].TagName = "changed"
	again := s.Releases(fullRepo)
	assert.Equal(t, "v1", again[0].TagName)
	assert.Equal(t, []byte("abc"), again[0].Assets[0].Content)
	assert.Nil(t, s.Releases("acme/unknown"))
	assert.Nil(t, s.Tags("acme/unknown"))
}

func TestSeedReleaseDefaultsAndMisuse(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	rel := s.SeedRelease("other/repo", emulator.Release{TagName: "v1", Assets: []emulator.Asset{{Name: "a", Content: []byte("abcd")}}})
	assert.NotZero(t, rel.ID)
	assert.Equal(t, clk.Now(), rel.CreatedAt)
	assert.Equal(t, clk.Now(), rel.PublishedAt)
	assert.Equal(t, "main", rel.TargetCommitish)
	require.Len(t, rel.Assets, 1)
	assert.Equal(t, "uploaded", rel.Assets[0].State)
	assert.Equal(t, int64(4), rel.Assets[0].Size)
	assert.Equal(t, []string{"v1"}, s.Tags("other/repo"), "the repository was added")

	assert.Panics(t, func() { s.SeedRelease("other/repo", emulator.Release{TagName: "v1"}) }, "a second published release on v1")
	assert.NotPanics(t, func() {
		s.SeedRelease("other/repo", emulator.Release{TagName: "v1", Draft: true})
		s.SeedRelease("other/repo", emulator.Release{TagName: "v1", Draft: true})
	}, "drafts may share a tag")
	assert.Panics(t, func() { s.SeedRelease("other/repo", emulator.Release{}) })
	assert.Panics(t, func() { s.AddRepo("no-slash") })
}
