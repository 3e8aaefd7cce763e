package publish_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/publish"
)

// sparseDir returns a directory holding one sparse file of size bytes.
func sparseDir(tb testing.TB, size int64) string {
	tb.Helper()
	dir := tb.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.bin"))
	require.NoError(tb, err)
	require.NoError(tb, f.Truncate(size))
	require.NoError(tb, f.Close())
	return dir
}

// TestPublishMemoryDoesNotGrowWithAssetSize uploads a 64 MiB file and checks
// that Publish allocates a small fraction of that: the file is streamed from
// disk, never held in memory.
//
// It is not parallel on purpose: runtime.MemStats counts the whole process,
// and parallel tests only run once the sequential ones are done. The emulator
// runs in a child process for the same reason (it keeps uploads in memory).
func TestPublishMemoryDoesNotGrowWithAssetSize(t *testing.T) {
	const size = 64 << 20
	client := emulatorProcess(t)
	dir := sparseDir(t, size)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := run(context.Background(), client, publish.Options{Repo: testRepo, Tag: "v1.0.0", AssetsDir: dir})
	runtime.ReadMemStats(&after)
	require.NoError(t, err)

	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("Publish allocated %d KiB for a %d MiB asset", allocated>>10, size>>20)
	assert.Less(t, allocated, uint64(size/16), "Publish must stream the asset, not buffer it")

	var assets []*github.ReleaseAsset
	require.NoError(t, client.Do(context.Background(), "list assets", testRepo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		var (
			resp *github.Response
			err  error
		)
		assets, resp, err = gh.Repositories.ListReleaseAssets(ctx, testRepo.Owner, testRepo.Name, res.ReleaseID, nil)
		return resp, err
	}))
	sizes := map[string]int{}
	for _, a := range assets {
		sizes[a.GetName()] = a.GetSize()
	}
	assert.Equal(t, size, sizes["big.bin"], "the whole file arrived")
}

// BenchmarkPublish reports the bytes Publish allocates per release of one
// asset; B/op must stay flat as the asset grows.
func BenchmarkPublish(b *testing.B) {
	client := emulatorProcess(b)
	for _, size := range []int64{1 << 20, 16 << 20, 64 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			dir := sparseDir(b, size)
			b.SetBytes(size)
			b.ReportAllocs()
			for i := range b.N {
				tag := fmt.Sprintf("v%d.%d.0", size>>20, i)
				res, err := run(context.Background(), client, publish.Options{Repo: testRepo, Tag: tag, AssetsDir: dir})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				removeRelease(b, client, res.ReleaseID) // frees the emulator's copy
				b.StartTimer()
			}
		})
	}
}

func removeRelease(tb testing.TB, client *githubapi.Client, id int64) {
	tb.Helper()
	err := client.Do(context.Background(), "delete release", testRepo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		return gh.Repositories.DeleteRelease(ctx, testRepo.Owner, testRepo.Name, id)
	})
	require.NoError(tb, err)
}
