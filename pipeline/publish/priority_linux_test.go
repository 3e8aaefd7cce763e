//go:build linux

package publish

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The background hashing runs on a thread of its own, backgroundNice nicer than the others,
// and that thread ends with it: no other thread of the process is left reniced. Go does not
// end the main thread when a goroutine locked to it exits, it parks it for good; so the main
// thread, which may have hashed for an earlier test, is left out of the count. Not parallel:
// it reads the niceness of every thread of the test binary, which parallel tests' hashing
// would change.
func TestInBackgroundRenicesOnlyItsOwnThread(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	base := threadNice(t, syscall.Gettid())
	if base >= 19 {
		t.Skip("the test binary runs at the lowest priority already: no renice to see")
	}
	// An earlier test's hashing thread may still be on its way out.
	require.Eventually(t, func() bool { return len(renicedThreads(t, base)) == 0 },
		10*time.Second, 5*time.Millisecond, "before: threads reniced by an earlier test do not end")

	var tid, nice int
	done := make(chan struct{})
	go func() {
		defer close(done)
		inBackground(func() {
			tid = syscall.Gettid()
			nice = threadNice(t, tid)
		})
	}()
	<-done
	assert.NotEqual(t, syscall.Gettid(), tid, "a thread of its own")
	assert.Equal(t, min(base+backgroundNice, 19), nice)
	assert.Equal(t, base, threadNice(t, syscall.Gettid()), "the caller's thread is unchanged")
	if tid != os.Getpid() {
		// The locked thread exits once its goroutine has; wait for the kernel to see it go.
		assert.Eventually(t, func() bool {
			_, err := os.Stat(filepath.Join("/proc/self/task", strconv.Itoa(tid)))
			return os.IsNotExist(err)
		}, 10*time.Second, 5*time.Millisecond, "the reniced thread ends with the goroutine")
	}
	assert.Empty(t, renicedThreads(t, base), "after")
}

// threadNice is the niceness of the thread tid of this process, from /proc.
func threadNice(t *testing.T, tid int) int {
	t.Helper()
	nice, ok := readNice(filepath.Join("/proc/self/task", strconv.Itoa(tid), "stat"))
	require.True(t, ok, "thread %d has no readable stat", tid)
	return nice
}

// renicedThreads lists the threads of this process but the main one whose niceness is not base.
func renicedThreads(t *testing.T, base int) []string {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	require.NoError(t, err)
	var reniced []string
	for _, task := range tasks {
		if task.Name() == strconv.Itoa(os.Getpid()) {
			continue
		}
		if nice, ok := readNice(filepath.Join("/proc/self/task", task.Name(), "stat")); ok && nice != base {
			reniced = append(reniced, task.Name()+" at "+strconv.Itoa(nice))
		}
	}
	return reniced
}

// readNice reads the niceness, field 19 of proc(5)'s stat; ok is false for a thread that has
// gone meanwhile.
func readNice(stat string) (nice int, ok bool) {
	data, err := os.ReadFile(stat)
	if err != nil {
		return 0, false
	}
	// The command name, field 2, is in parentheses and may hold spaces: count from its end.
	end := strings.LastIndexByte(string(data), ')')
	if end < 0 {
		return 0, false
	}
	fields := strings.Fields(string(data[end+1:]))
	if len(fields) < 17 {
		return 0, false
	}
	nice, err = strconv.Atoi(fields[16])
	return nice, err == nil
}
