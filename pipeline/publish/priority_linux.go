//go:build linux

package publish

import (
	"runtime"
	"syscall"
)

// backgroundNice is how much nicer than the process the thread that hashes files in the
// background is: where the processors are busy (the upload, a server on the same host, a
// sibling build) it yields to them, yet keeps about a tenth of a processor that one of them
// holds, and all of an idle one.
const backgroundNice = 10

// inBackground runs fn on an OS thread of its own, backgroundNice nicer than the thread that
// started it (at most 19). The thread is never unlocked, so it ends with fn (the main thread,
// should fn run there, Go parks for good instead): no other goroutine ever runs at its
// priority, and Go's runtime starts its other threads from a template thread, not from a
// locked one, so none inherits it.
func inBackground(fn func()) {
	runtime.LockOSThread()
	tid := syscall.Gettid()
	// The raw getpriority answers 20 - nice (1..40): no negative answer to mistake for an error.
	if prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid); err == nil {
		// Best effort: a thread that cannot be reniced hashes at the priority it has.
		_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-prio+backgroundNice, 19))
	}
	fn()
}
