package probe_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/probe"
)

// GitHub keeps several drafts with one tag, so a draft left by a killed probe of the same run
// attempt never makes the create fail: the probe finds it by listing the newest releases
// (one request more than the create and the delete), deletes it and reports it, as it does any
// probe draft older than an hour. Everything else is left alone, and a clamped token is still
// told after one request.
func TestRunRemovesLeftoverProbeDrafts(t *testing.T) {
	t.Parallel()
	type seed struct {
		tag   string
		age   time.Duration
		draft bool
	}
	tests := []struct {
		name         string
		seeds        []seed
		mode         emulator.Mode
		wantRequests int
		wantRemoved  []int // indexes of seeds
		wantLog      []string
	}{
		{name: "nothing left over", wantRequests: 3, wantLog: []string{"POST 201", "DELETE 204", "GET 200"}},
		{name: "a draft of this run attempt, left by a killed probe",
			seeds:        []seed{{tag: runTag, age: 5 * time.Minute, draft: true}},
			wantRequests: 4, wantRemoved: []int{0}, wantLog: []string{"POST 201", "DELETE 204", "GET 200", "DELETE 204"}},
		{name: "two of them",
			seeds:        []seed{{tag: runTag, age: 5 * time.Minute, draft: true}, {tag: runTag, age: time.Minute, draft: true}},
			wantRequests: 5, wantRemoved: []int{0, 1}},
		{name: "a probe draft of another run, older than an hour",
			seeds:        []seed{{tag: probe.TagPrefix + "run1-attempt1", age: 2 * time.Hour, draft: true}},
			wantRequests: 4, wantRemoved: []int{0}},
		{name: "left alone: a younger probe draft of another run, an old release draft, a published probe tag of another run",
			seeds: []seed{{tag: probe.TagPrefix + "run1-attempt1", age: 10 * time.Minute, draft: true}, {tag: "v1.0.0", age: 48 * time.Hour, draft: true},
				{tag: probe.TagPrefix + "run2-attempt1", age: 48 * time.Hour}},
			wantRequests: 3},
		{name: "a clamped token is told after one request", mode: emulator.ModeClamped,
			seeds:        []seed{{tag: runTag, age: 5 * time.Minute, draft: true}},
			wantRequests: 1, wantLog: []string{"POST 403"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tc.mode, true)
			var seeded []emulator.Release
			for _, sd := range tc.seeds {
				seeded = append(seeded, e.srv.SeedRelease(repoName, emulator.Release{TagName: sd.tag, Draft: sd.draft, CreatedAt: e.clock.Now().Add(-sd.age)}))
			}

			rep, err := probe.Run(context.Background(), e.client, probe.Options{Repo: repo, RunID: "4242"})

			if tc.mode == emulator.ModeClamped {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
				assert.Empty(t, rep.Warnings)
			}
			assert.Equal(t, tc.wantRequests, rep.Requests)
			if tc.wantLog != nil {
				assert.Equal(t, tc.wantLog, requestLog(e.srv))
			}
			var want []string
			removed := map[int64]bool{}
			for _, i := range tc.wantRemoved {
				want = append(want, fmt.Sprintf("%s (id %d)", seeded[i].TagName, seeded[i].ID))
				removed[seeded[i].ID] = true
			}
			assert.ElementsMatch(t, want, rep.Swept, "the removed drafts are reported")
			if len(want) > 0 {
				assert.Contains(t, rep.Message, "GitHub write permission confirmed in octo/hello; removed ")
				assert.Contains(t, rep.Message, want[0])
			}
			var left []int64
			for _, r := range e.srv.Releases(repoName) {
				left = append(left, r.ID)
			}
			for _, r := range seeded {
				if removed[r.ID] {
					assert.NotContains(t, left, r.ID)
				} else {
					assert.Contains(t, left, r.ID, "%s was left alone", r.TagName)
				}
			}
			assert.Len(t, left, len(seeded)-len(removed), "the probe's own draft is gone too")
			assertNoToken(t, rep, err)
		})
	}
}

// With the rate limit spent by the create and the delete, and its reset an hour away, the probe
// does not send the listing GitHub would refuse: it passes, and says where the clean-up went.
func TestRunDoesNotListIntoASpentRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.ModeWrite, true)
	e.srv.SetRateUsed(token, 1000-2)

	rep, err := probe.Run(context.Background(), e.client, probe.Options{Repo: repo, RunID: "4242"})

	require.NoError(t, err)
	assert.Equal(t, []string{"POST 201", "DELETE 204"}, requestLog(e.srv))
	require.Len(t, rep.Warnings, 1)
	assert.Contains(t, rep.Warnings[0], "did not look for leftover probe drafts in octo/hello: the rate limit is spent until ")
	assert.True(t, strings.HasSuffix(rep.Warnings[0], "remove any later with release-preflight's sweep"), rep.Warnings[0])
}
