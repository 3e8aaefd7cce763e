package regular_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/regular"
)

// A regular file is opened and read; a directory, a link or a missing file is not.
func TestOpen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		make       func(t *testing.T, dir string) string // returns the path to open
		want       string                                // "" opens; else a substring of the error
		notRegular bool                                  // the error wraps ErrNotRegular
	}{
		{name: "regular file", make: func(t *testing.T, dir string) string { return write(t, dir, "a.txt", "hello") }},
		{name: "directory", notRegular: true, want: "is a directory, not a regular file", make: func(t *testing.T, dir string) string {
			return dir
		}},
		{name: "symbolic link to a regular file", notRegular: true, want: "is a symbolic link, not a regular file", make: func(t *testing.T, dir string) string {
			target := write(t, dir, "target.txt", "secret")
			link := filepath.Join(dir, "link.txt")
			symlink(t, target, link)
			return link
		}},
		{name: "missing", want: "no such file", make: func(_ *testing.T, dir string) string { return filepath.Join(dir, "none") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := tc.make(t, t.TempDir())
			f, info, err := regular.Open(path)
			if tc.want == "" {
				require.NoError(t, err)
				defer f.Close()
				assert.True(t, info.Mode().IsRegular())
				data, more, err := regular.ReadFile(path, 0)
				require.NoError(t, err)
				assert.False(t, more)
				assert.Equal(t, "hello", string(data))
				return
			}
			require.Error(t, err)
			assert.Nil(t, f)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, tc.notRegular, errors.Is(err, regular.ErrNotRegular))
		})
	}
}

// ReadFile with a limit reads one byte past it to tell that there is more, and no further.
func TestReadFileLimit(t *testing.T) {
	t.Parallel()
	path := write(t, t.TempDir(), "notes.md", "0123456789")
	for _, tc := range []struct {
		limit    int64
		want     string
		wantMore bool
	}{{limit: 4, want: "0123", wantMore: true}, {limit: 10, want: "0123456789"}, {limit: 11, want: "0123456789"}} {
		data, more, err := regular.ReadFile(path, tc.limit)
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(data), "limit %d", tc.limit)
		assert.Equal(t, tc.wantMore, more, "limit %d", tc.limit)
	}
}

// WriteFile replaces a link at the path with a regular file and leaves what it pointed at alone.
func TestWriteFileReplacesALinkWithoutWritingThroughIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	elsewhere := write(t, t.TempDir(), "precious", "do not overwrite")
	path := filepath.Join(dir, "SHA256SUMS")
	symlink(t, elsewhere, path)

	require.NoError(t, regular.WriteFile(path, []byte("sums\n"), 0o644))

	got, err := os.ReadFile(elsewhere)
	require.NoError(t, err)
	assert.Equal(t, "do not overwrite", string(got), "the link's target is untouched")
	info, err := os.Lstat(path)
	require.NoError(t, err)
	assert.True(t, info.Mode().IsRegular(), "the link was replaced by a regular file")
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "sums\n", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left")
}

// ReadDir lists a directory sorted by name and refuses a file.
func TestReadDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "b", "b")
	write(t, dir, "a", "a")
	entries, err := regular.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 2)
	assert.Equal(t, "a", entries[0].Name())
	assert.Equal(t, "b", entries[1].Name())

	_, err = regular.ReadDir(filepath.Join(dir, "a"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is a file, not a directory")
}

func TestKind(t *testing.T) {
	t.Parallel()
	for mode, want := range map[fs.FileMode]string{
		0o644:                             "",
		fs.ModeDir | 0o755:                "a directory",
		fs.ModeSymlink | 0o777:            "a symbolic link",
		fs.ModeNamedPipe | 0o644:          "a named pipe (FIFO)",
		fs.ModeDevice | 0o644:             "a device",
		fs.ModeSocket | 0o644:             "a socket",
		fs.ModeIrregular | 0o644:          "not a regular file",
		fs.ModeCharDevice | 0o644:         "not a regular file",
		fs.ModeDevice | fs.ModeCharDevice: "a device",
	} {
		assert.Equal(t, want, regular.Kind(mode), "%v", mode)
	}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links are not available here: %v", err)
	}
}
