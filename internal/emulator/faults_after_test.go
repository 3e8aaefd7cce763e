package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// Faults that strike after the work: the server's state changes, and the client is told
// otherwise, or nothing, or half of it.
func TestFaultsAfterTheWork(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fault     emulator.Fault
		wantFault string
		check     func(t *testing.T, resp *github.Response, err error)
	}{
		{name: "answer lost", fault: emulator.Fault{Method: "POST", AfterWork: true, Drop: true}, wantFault: "drop-after-work",
			check: func(t *testing.T, resp *github.Response, err error) {
				require.Error(t, err)
				assert.Nil(t, resp, "no answer at all")
			}},
		{name: "answer replaced", fault: emulator.Fault{Method: "POST", AfterWork: true, Status: 502}, wantFault: "status-after-work",
			check: func(t *testing.T, resp *github.Response, err error) {
				require.Error(t, err)
				assert.Equal(t, 502, resp.StatusCode)
			}},
		{name: "answer cut halfway", fault: emulator.Fault{Method: "POST", TruncateBody: true}, wantFault: "truncate-body",
			check: func(t *testing.T, resp *github.Response, err error) {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "unexpected EOF")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.Inject(tt.fault)
			gh := newClient(t, s, tokWrite)
			_, resp, err := gh.Repositories.CreateRelease(context.Background(), owner, repoName,
				github.CreateReleaseRequest{TagName: "v1.0.0", Draft: new(true)})
			tt.check(t, resp, err)
			rels := s.Releases(owner + "/" + repoName)
			require.Len(t, rels, 1, "the draft was created all the same")
			assert.True(t, rels[0].Draft)
			reqs := s.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.wantFault, reqs[0].Fault)
		})
	}
}

// A body that never comes ends only when the client gives up.
func TestStallBodyFault(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Inject(emulator.Fault{Method: "GET", StallBody: true})
	gh := newClient(t, s, tokWrite)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _, err := gh.Repositories.ListReleases(ctx, owner, repoName, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, "stall-body", s.Requests()[0].Fault)
}

// A corrupting upload path stores other bytes than were sent, and says so only through what it
// stored.
func TestCorruptFault(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Inject(emulator.Fault{PathContains: "/assets", Corrupt: true})
	gh := newClient(t, s, tokWrite)
	rel := createDraft(t, gh, "v1.0.0")
	f := tempFile(t, "app.tar.gz", []byte("the real bytes"))
	a, _, err := gh.Repositories.UploadReleaseAsset(context.Background(), owner, repoName, rel.GetID(),
		&github.UploadOptions{Name: "app.tar.gz"}, f)
	require.NoError(t, err, "answered 201")
	assert.Equal(t, "uploaded", a.GetState())
	stored := s.Releases(owner + "/" + repoName)[0].Assets[0].Content
	sum := sha256.Sum256(stored)
	assert.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), s.Releases(owner + "/" + repoName)[0].Assets[0].Digest, "the digest of what arrived")
	assert.Len(t, stored, len("the real bytes"))
	assert.NotEqual(t, "the real bytes", string(stored))
	assert.True(t, strings.HasSuffix(string(stored), "he real bytes"), "only the first byte flipped")
}

// A fault can strike one endpoint by name, after letting the first matching requests through.
func TestFaultByEndpointAndSkip(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Inject(emulator.Fault{Endpoint: "create-a-release", Skip: 1, Status: 502})
	gh := newClient(t, s, tokWrite)
	_, _, err := gh.Repositories.ListReleases(context.Background(), owner, repoName, nil)
	require.NoError(t, err, "another endpoint")
	for i, want := range []int{201, 502, 201} {
		_, resp, _ := gh.Repositories.CreateRelease(context.Background(), owner, repoName,
			github.CreateReleaseRequest{TagName: "v1.0.0", Draft: new(true)})
		assert.Equal(t, want, resp.StatusCode, "create %d", i+1)
	}
}
