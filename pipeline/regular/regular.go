package regular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ErrNotRegular is in the chain of every error that refuses a path for what it is.
var ErrNotRegular = errors.New("not a regular file")

// Kind says what a file of mode m is, for a message: "a symbolic link", "a named pipe (FIFO)",
// "a device", "a socket", "a directory", or "" for a regular file.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return ""
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return "not a regular file"
}

// notRegular is the error for path, which is what kind says ("replaced": it changed while it
// was opened).
type notRegular struct{ path, kind string }

func (e *notRegular) Error() string {
	if e.kind == "replaced" {
		return e.path + " was replaced while it was opened"
	}
	return e.path + " is " + e.kind + ", not a regular file"
}

// Is makes every notRegular an [ErrNotRegular].
func (e *notRegular) Is(target error) bool { return target == ErrNotRegular }

// Check returns what Lstat says of path, and an error wrapping [ErrNotRegular] unless it is a
// regular file; a path that does not exist fails with an error wrapping fs.ErrNotExist.
func Check(path string) (fs.FileInfo, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if kind := Kind(info.Mode()); kind != "" {
		return info, &notRegular{path, kind}
	}
	return info, nil
}

// Open opens the regular file at path for reading. It fails, without blocking, when path is a
// symbolic link, a FIFO, a device, a socket or a directory, also when it became one after it
// was checked: the open file must be the one Lstat saw.
func Open(path string) (*os.File, fs.FileInfo, error) {
	before, err := Check(path)
	if err != nil {
		return nil, nil, err
	}
	f, err := openNoFollow(path)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	switch {
	case err != nil:
	case Kind(info.Mode()) != "":
		err = &notRegular{path, Kind(info.Mode())}
	case !os.SameFile(before, info):
		err = &notRegular{path, "replaced"}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// ReadFile reads the regular file at path whole, opened as [Open] opens it. limit > 0 reads at
// most limit bytes and reports whether there was more.
func ReadFile(path string, limit int64) (data []byte, more bool, err error) {
	f, _, err := Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	var r io.Reader = f
	if limit > 0 {
		r = io.LimitReader(f, limit+1)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, false, err
	}
	data = buf.Bytes()
	if limit > 0 && int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, nil
}

// ReadDir lists the directory at path (a symbolic link to one is followed), sorted by name, as
// os.ReadDir does, but opens it without blocking: a FIFO at path fails at once instead of
// waiting for a writer.
func ReadDir(path string) ([]os.DirEntry, error) {
	f, err := openDir(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		kind := Kind(info.Mode())
		if kind == "" {
			kind = "a file"
		}
		return nil, fmt.Errorf("%s is %s, not a directory", path, kind)
	}
	entries, err := f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b os.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

// WriteFile writes data to path as a regular file with permissions perm: into a temporary file
// in the same directory, then renamed over path. Whatever was at path before — a symbolic link
// included — is replaced, never written through; a reader sees the old file or the new one.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(perm); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		done = true
		return err
	}
	done = true
	return nil
}
