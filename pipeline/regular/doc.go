// Package regular reads and writes the files a release is made of as what they are: regular
// files, never through a symbolic link, never a named pipe (FIFO), a device or a socket. An
// open of a FIFO blocks until a writer comes, forever and deaf to any deadline or signal, and a
// write through a symbolic link lands wherever it points; both are refused before anything is
// sent, with an error that names what the path is.
//
// [Open] checks the path with Lstat, opens it without following a link and without blocking
// (O_NOFOLLOW|O_NONBLOCK on Unix; on Windows the reparse point itself), and checks the open
// file again: it must be regular and the very file Lstat saw, so that a path swapped for a link
// or a FIFO between the two is refused too. [ReadDir] opens a directory without blocking.
// [WriteFile] writes into a temporary file in the same directory and renames it into place, so
// that a link at the path is replaced, never written through, and a reader sees the old file or
// the new one, whole.
package regular
