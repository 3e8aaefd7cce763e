//go:build windows

package regular

import (
	"io/fs"
	"os"
	"syscall"
)

// openNoFollow opens path for reading; a symbolic link or junction is opened as itself
// (FILE_FLAG_OPEN_REPARSE_POINT), not followed, so that Open's check of the open file refuses
// it. Windows has no FIFOs in its file system: named pipes live under \\.\pipe\, which Lstat
// does not see as regular files.
func openNoFollow(path string) (*os.File, error) {
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ,
		syscall.FILE_SHARE_READ|syscall.FILE_SHARE_WRITE|syscall.FILE_SHARE_DELETE, nil,
		syscall.OPEN_EXISTING, syscall.FILE_ATTRIBUTE_NORMAL|syscall.FILE_FLAG_OPEN_REPARSE_POINT, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}

// openDir opens the directory at path.
func openDir(path string) (*os.File, error) {
	return os.Open(path)
}
