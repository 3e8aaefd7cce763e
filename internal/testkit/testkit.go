// Package testkit holds helpers that the tests of several packages share. Only tests import it.
package testkit

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeGoScript stands in for `go build` and `go list`: it writes a small, deterministic "binary" naming the
// platform, package and linker flags, fails like the compiler when the package holds a file
// named BROKEN, writes a package archive when it holds LIBRARY, and logs every call in calls
// next to itself.
const fakeGoScript = `#!/bin/sh
if [ "$1" = list ]; then
	# go list -e -f '{{.ImportPath}} {{.Name}}' PKG...
	shift 4
	for pkg in "$@"; do
		if [ -f "$pkg/LIBRARY" ]; then echo "$pkg library"; else echo "$pkg main"; fi
	done
	exit 0
fi
out=""; pkg=""; ldflags=""
while [ $# -gt 0 ]; do
	case "$1" in
	-o) out="$2"; shift 2 ;;
	-ldflags) ldflags="$2"; shift 2 ;;
	build|-trimpath|-buildvcs=false) shift ;;
	*) pkg="$1"; shift ;;
	esac
done
echo "$GOOS/$GOARCH $pkg" >> "$(dirname "$0")/calls"
if [ -f "$pkg/BROKEN" ]; then
	echo "# example.com/hello" >&2
	echo "$pkg/main.go:3:1: syntax error: unexpected EOF, expected }" >&2
	exit 1
fi
if [ -f "$pkg/LIBRARY" ]; then
	printf '!<arch>\n__.PKGDEF' > "$out"
	exit 0
fi
i=0
while [ $i -lt 200 ]; do
	echo "fake binary for $GOOS/$GOARCH CGO_ENABLED=$CGO_ENABLED of $pkg with $ldflags"
	i=$((i + 1))
done > "$out"
`

// FakeGo writes fakeGoScript into a new directory and returns its path and a function that
// lists the calls made so far ("GOOS/GOARCH pkg").
func FakeGo(t testing.TB) (string, func() []string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "go")
	require.NoError(t, os.WriteFile(path, []byte(fakeGoScript), 0o755))
	return path, func() []string {
		b, err := os.ReadFile(filepath.Join(dir, "calls"))
		if os.IsNotExist(err) {
			return nil
		}
		require.NoError(t, err)
		return strings.Fields(strings.ReplaceAll(string(b), " ", "|"))
	}
}

// GatedGo is FakeGo whose builds wait until open is called: a compile that takes as long as
// the test wants, to see what is printed meanwhile. Each call of open lets one build through.
func GatedGo(t testing.TB) (path string, open func()) {
	t.Helper()
	fake, _ := FakeGo(t)
	dir := t.TempDir()
	gate := filepath.Join(dir, "gate")
	require.NoError(t, syscall.Mkfifo(gate, 0o600))
	path = filepath.Join(dir, "go")
	script := "#!/bin/sh\nif [ \"$1\" = build ]; then read _ < '" + gate + "'; fi\nexec '" + fake + "' \"$@\"\n"
	require.NoError(t, os.WriteFile(path, []byte(script), 0o755))
	return path, func() {
		t.Helper()
		require.NoError(t, os.WriteFile(gate, []byte("go\n"), 0o600))
	}
}

// WriteFiles writes name → content into a new directory and returns it.
func WriteFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

// Ticker is a fake ticker for progress.Options.Tick: the test sends the ticks on Ticks, and
// receives the interval of every ticker started on Started and a value on Stopped for every
// ticker stopped.
type Ticker struct {
	Ticks   chan time.Time
	Started chan time.Duration
	Stopped chan struct{}
}

// NewTicker returns a Ticker whose Ticks is unbuffered: a send returns once the tick is taken.
func NewTicker() *Ticker {
	return &Ticker{Ticks: make(chan time.Time), Started: make(chan time.Duration, 16), Stopped: make(chan struct{}, 16)}
}

// Tick is the progress.Options.Tick of tk.
func (tk *Ticker) Tick(d time.Duration) (<-chan time.Time, func()) {
	tk.Started <- d
	return tk.Ticks, func() { tk.Stopped <- struct{}{} }
}

// Fire sends a tick at now, failing the test when no ticker takes it within a minute.
func (tk *Ticker) Fire(t testing.TB, now time.Time) {
	t.Helper()
	select {
	case tk.Ticks <- now:
	case <-time.After(time.Minute):
		t.Fatalf("no ticker took the tick of %s within a minute", now)
	}
}

// Lines is an io.Writer that sends each write, a line of progress, to the channel, where the
// test receives it in order; make it buffered.
type Lines chan string

func (l Lines) Write(p []byte) (int, error) {
	l <- string(p)
	return len(p), nil
}

// Clock is a fake clock, safe for concurrent use, that stands still until advanced.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock that reads start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Recv receives from ch, failing the test when nothing comes within a minute: what a test
// waits for that never happens fails it instead of hanging the run.
func Recv[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Minute):
		t.Fatalf("no %s within a minute", what)
		panic("unreachable")
	}
}
