//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// What --assets and --notes-file name is opened as what it is: a FIFO (whose open would wait
// for a writer forever, deaf to --timeout and to signals) or a symbolic link where the publish
// would write SHA256SUMS is invalid input before the first request, and nothing it points at
// is touched. A hang here fails the test by the test binary's timeout.
func TestPublishRefusesSpecialFiles(t *testing.T) {
	t.Parallel()
	files := map[string]string{"tool_1.0.0_linux_amd64.tar.gz": "linux"}
	mkfifo := func(t *testing.T, path string) {
		t.Helper()
		require.NoError(t, syscall.Mkfifo(path, 0o644))
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, assets string) []string // extra arguments
		want  string
	}{
		{name: "--notes-file is a FIFO", want: "is a named pipe (FIFO), not a regular file", setup: func(t *testing.T, _ string) []string {
			fifo := filepath.Join(t.TempDir(), "NOTES.md")
			mkfifo(t, fifo)
			return []string{"--notes-file", fifo}
		}},
		{name: "SHA256SUMS in --assets is a FIFO", want: "SHA256SUMS is a named pipe (FIFO)", setup: func(t *testing.T, assets string) []string {
			mkfifo(t, filepath.Join(assets, "SHA256SUMS"))
			return nil
		}},
		{name: "SHA256SUMS in --assets is a link", want: "SHA256SUMS is a symbolic link", setup: func(t *testing.T, assets string) []string {
			require.NoError(t, os.Symlink(precious(t), filepath.Join(assets, "SHA256SUMS")))
			return nil
		}},
		{name: "--assets is a FIFO", want: "is a named pipe (FIFO), not a directory", setup: func(t *testing.T, assets string) []string {
			fifo := filepath.Join(t.TempDir(), "dist")
			mkfifo(t, fifo)
			return []string{"--assets", fifo}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			assets := writeFiles(t, files)
			args := append([]string{"publish", "--json", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
				"--assets", assets}, tc.setup(t, assets)...)

			res := run(t, srv, ghEnv(tokWrite), args...)

			assert.Equal(t, 2, res.code)
			obj := decodeOne(t, res.stdout)
			assert.Equal(t, "invalid-input", str(t, obj, "class"))
			assert.Contains(t, str(t, obj, "message"), tc.want)
			assert.Empty(t, srv.Requests(), "nothing was sent")
		})
	}
}

// precious is a file outside the assets that a write through a link would overwrite; the test
// fails when it has changed by its end.
func precious(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "precious")
	require.NoError(t, os.WriteFile(path, []byte("keep"), 0o644))
	t.Cleanup(func() {
		b, err := os.ReadFile(path)
		assert.NoError(t, err)
		assert.Equal(t, "keep", string(b), "the file a link pointed at was written through")
	})
	return path
}
