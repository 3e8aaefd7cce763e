//go:build unix

package regular_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/regular"
)

// A FIFO with no writer is refused at once: opening it for reading the usual way would wait for
// a writer forever. A device is refused too. (A hang fails the test by the test binary's
// timeout.)
func TestOpenRefusesSpecialFilesWithoutBlocking(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "notes.md")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	for path, want := range map[string]string{fifo: "is a named pipe (FIFO)", os.DevNull: "is a device"} {
		_, _, err := regular.Open(path)
		require.Error(t, err, path)
		assert.ErrorIs(t, err, regular.ErrNotRegular)
		assert.Contains(t, err.Error(), want)
	}
	_, err := regular.ReadDir(fifo)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is a named pipe (FIFO), not a directory")
}
