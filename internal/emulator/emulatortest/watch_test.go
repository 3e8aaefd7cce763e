package emulatortest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

// The watch fails a test whose published release lacks an asset outside the two renames of a
// swap: an asset deleted before its replacement is renamed in (the gap began with a delete),
// or deleted for good; a release left alone, or a swap's renames, pass.
func TestWatchReleases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(t *testing.T, env *emulatortest.Env, rel emulator.Release)
		wantErr string
	}{
		{name: "left alone"},
		{name: "a swap: the old one renamed aside, the new one renamed in",
			change: func(t *testing.T, env *emulatortest.Env, rel emulator.Release) {
				_, _, err := env.Client.RenameAsset(context.Background(), "aside", env.Repo, rel.Assets[0].ID, "preflight-old.a.tar.gz")
				require.NoError(t, err)
				time.Sleep(20 * time.Millisecond) // the watch reads the gap, which the two renames bracket
				_, _, err = env.Client.RenameAsset(context.Background(), "in", env.Repo, rel.Assets[1].ID, "a.tar.gz")
				require.NoError(t, err)
			}},
		{name: "deleted, then its replacement renamed in", wantErr: "a reader saw a.tar.gz missing from release v1.0.0 while the emulator served",
			change: func(t *testing.T, env *emulatortest.Env, rel emulator.Release) {
				_, err := env.Client.DeleteAsset(context.Background(), "delete", env.Repo, rel.Assets[0].ID)
				require.NoError(t, err)
				time.Sleep(20 * time.Millisecond) // long enough for the watch to read the gap, which it must fail
				_, _, err = env.Client.RenameAsset(context.Background(), "rename", env.Repo, rel.Assets[1].ID, "a.tar.gz")
				require.NoError(t, err)
			}},
		{name: "deleted for good", wantErr: "a reader saw a.tar.gz missing from release v1.0.0 after the last request",
			change: func(t *testing.T, env *emulatortest.Env, rel emulator.Release) {
				_, err := env.Client.DeleteAsset(context.Background(), "delete", env.Repo, rel.Assets[0].ID)
				require.NoError(t, err)
				time.Sleep(20 * time.Millisecond)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := emulatortest.Setup(t)
			rel := env.Server.SeedRelease(env.FullName, emulator.Release{TagName: "v1.0.0", Assets: []emulator.Asset{
				{Name: "a.tar.gz", Content: []byte("a")}, {Name: "preflight-swap.a.tar.gz", Content: []byte("new a")},
			}})
			w := emulatortest.WatchReleases(env.Server, env.FullName)
			time.Sleep(5 * time.Millisecond) // the watch reads the release as it was
			if tc.change != nil {
				tc.change(t, env, rel)
			}
			rec := &recorder{TB: t}

			reads, gaps := w.Check(rec)

			assert.Positive(t, reads)
			if tc.change != nil {
				assert.Positive(t, gaps, "the watch read the gap")
			}
			if tc.wantErr == "" {
				assert.Empty(t, rec.errors())
				return
			}
			require.NotEmpty(t, rec.errors())
			assert.Contains(t, rec.errors()[0], tc.wantErr)
		})
	}
}
