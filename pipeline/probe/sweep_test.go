package probe_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/probe"
)

// seedSweepRepo stores one release of each kind Sweep must tell apart and
// returns their tags by role.
func seedSweepRepo(srv *emulator.Server, now time.Time) map[string]emulator.Release {
	seed := func(tag string, draft bool, age time.Duration) emulator.Release {
		return srv.SeedRelease(repoName, emulator.Release{TagName: tag, Draft: draft, CreatedAt: now.Add(-age)})
	}
	return map[string]emulator.Release{
		"old probe draft":       seed("preflight-permcheck-run100-attempt1", true, 2*time.Hour),
		"recent probe draft":    seed("preflight-permcheck-run200-attempt1", true, 10*time.Minute),
		"published probe tag":   seed("preflight-permcheck-run300-attempt1", false, 3*time.Hour),
		"unrelated old draft":   seed("v0.9.0", true, 5*time.Hour),
		"unrelated release":     seed("v1.0.0", false, 5*time.Hour),
		"look-alike tag prefix": seed("release-preflight-permcheck-run1", true, 5*time.Hour),
	}
}

func TestSweep(t *testing.T) {
	t.Parallel()
	now := fixedNow()
	tests := []struct {
		name        string
		mode        emulator.Mode
		opts        probe.SweepOptions
		wantDeleted []string // roles
		wantKept    int
		wantCalls   []string
	}{
		{
			name:        "deletes only probe drafts older than an hour",
			wantDeleted: []string{"old probe draft"},
			wantKept:    2,
			wantCalls:   []string{listReleases + " 200", deleteRelease + " 204"},
		},
		{
			name:        "dry run deletes nothing",
			opts:        probe.SweepOptions{DryRun: true},
			wantDeleted: []string{"old probe draft"},
			wantKept:    2,
			wantCalls:   []string{listReleases + " 200"},
		},
		{
			name:        "shorter age also takes the recent probe draft",
			opts:        probe.SweepOptions{OlderThan: 5 * time.Minute},
			wantDeleted: []string{"recent probe draft", "old probe draft"},
			wantKept:    1,
			wantCalls:   []string{listReleases + " 200", deleteRelease + " 204", deleteRelease + " 204"},
		},
		{
			name:      "read-only token sees no drafts",
			mode:      emulator.ModeClamped,
			wantKept:  1,
			wantCalls: []string{listReleases + " 200"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newEnv(t, tc.mode, true)
			seeded := seedSweepRepo(f.srv, now)
			opts := tc.opts
			opts.Repo, opts.Now = repo, func() time.Time { return now }

			res, err := probe.Sweep(context.Background(), f.client, opts)
			require.NoError(t, err)

			var want []string
			gone := map[int64]bool{}
			for _, role := range tc.wantDeleted {
				r := seeded[role]
				want = append(want, fmt.Sprintf("%s (id %d)", r.TagName, r.ID))
				gone[r.ID] = !opts.DryRun
			}
			assert.Equal(t, want, res.Deleted)
			assert.Equal(t, tc.wantKept, res.Kept)
			left := map[int64]bool{}
			for _, r := range f.srv.Releases(repoName) {
				left[r.ID] = true
			}
			for role, r := range seeded {
				assert.Equal(t, !gone[r.ID], left[r.ID], "%s (%s)", role, r.TagName)
			}
			assert.Equal(t, tc.wantCalls, calls(f.srv))
		})
	}
}

func TestSweepFollowsPages(t *testing.T) {
	t.Parallel()
	now := fixedNow()
	f := newEnv(t, emulator.ModeWrite, true)
	// The oldest release is listed last: on the second page of 100.
	old := f.srv.SeedRelease(repoName, emulator.Release{
		TagName: "preflight-permcheck-local-20260501T090000Z-0a1b2c3d", Draft: true, CreatedAt: now.Add(-3 * time.Hour),
	})
	for i := range 120 {
		f.srv.SeedRelease(repoName, emulator.Release{TagName: fmt.Sprintf("v0.%d.0", i), CreatedAt: now.Add(-time.Hour)})
	}

	res, err := probe.Sweep(context.Background(), f.client, probe.SweepOptions{Repo: repo, Now: func() time.Time { return now }})
	require.NoError(t, err)
	assert.Equal(t, []string{fmt.Sprintf("%s (id %d)", old.TagName, old.ID)}, res.Deleted)
	assert.Len(t, f.srv.Releases(repoName), 120)
	assert.Equal(t, []string{listReleases + " 200", listReleases + " 200", deleteRelease + " 204"}, calls(f.srv))
}

func TestSweepErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		unknownToken bool
		opts         probe.SweepOptions
		wantClass    outcome.Class
		wantCalls    int
	}{
		{"negative age", false, probe.SweepOptions{Repo: repo, OlderThan: -time.Hour}, outcome.InvalidInput, 0},
		{"invalid repository", false, probe.SweepOptions{Repo: githubapi.Repo{Owner: "acme"}}, outcome.InvalidInput, 0},
		{"revoked token", true, probe.SweepOptions{Repo: repo}, outcome.BadCredentials, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newEnv(t, emulator.ModeWrite, !tc.unknownToken)
			_, err := probe.Sweep(context.Background(), f.client, tc.opts)
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.wantClass, e.Class)
			requireNoToken(t, err.Error())
			assert.Equal(t, tc.wantCalls, f.client.Requests())
		})
	}
}

func TestSweepDeleteFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fault     emulator.Fault
		wantClass outcome.Class // "" for no error
	}{
		{"403 stops the sweep", emulator.Fault{Method: "DELETE", Status: 403, Body: `{"message":"Resource not accessible by integration"}`},
			outcome.Clamped},
		{"404 means someone else deleted it", emulator.Fault{Method: "DELETE", Status: 404}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := fixedNow()
			f := newEnv(t, emulator.ModeWrite, true)
			seedSweepRepo(f.srv, now)
			f.srv.Inject(tc.fault)

			res, err := probe.Sweep(context.Background(), f.client, probe.SweepOptions{Repo: repo, Now: func() time.Time { return now }})
			assert.Empty(t, res.Deleted)
			assert.Equal(t, []string{listReleases + " 200", fmt.Sprintf("%s %d", deleteRelease, tc.fault.Status)}, calls(f.srv))
			if tc.wantClass == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.wantClass, e.Class)
		})
	}
}

// The requests of a sweep, as calls summarises them.
const (
	listReleases  = "GET /repos/octo/hello/releases"
	deleteRelease = "DELETE /repos/octo/hello/releases/{id}"
)

var digits = regexp.MustCompile(`/[0-9]+(/|$)`)

// calls summarises the request log as "METHOD /path STATUS", with numeric IDs replaced by {id},
// in the order the requests completed.
func calls(srv *emulator.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, fmt.Sprintf("%s %s %d", r.Method, digits.ReplaceAllString(r.Path, "/{id}$1"), r.Status))
	}
	return out
}

func requireNoToken(t *testing.T, s string) {
	t.Helper()
	require.NotContains(t, s, token)
	require.NotContains(t, s, strings.TrimPrefix(token, "ghs_"))
}

// fixedNow is the instant the sweep tests measure ages against.
func fixedNow() time.Time { return time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) }
