//go:build unix

package regular

import (
	"io/fs"
	"os"
	"syscall"
)

// openNoFollow opens path for reading without following a symbolic link (ELOOP) and without
// blocking (a FIFO opens at once), then makes the descriptor blocking again for the reads.
func openNoFollow(path string) (*os.File, error) {
	return open(path, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC)
}

// openDir opens path, a directory or a link to one, without blocking.
func openDir(path string) (*os.File, error) {
	return open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC)
}

func open(path string, flags int) (*os.File, error) {
	var (
		fd  int
		err error
	)
	for {
		fd, err = syscall.Open(path, flags, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}
