//go:build !linux

package publish

// inBackground runs fn. Only Linux sets the priority of one thread; elsewhere the background
// hashing runs at the process's priority.
func inBackground(fn func()) { fn() }
