package progress_test

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/testkit"
	"github.com/release-preflight/release-preflight/pipeline/progress"
)

// While steps run, every tick reports each with what it is doing and for how long, the bytes
// of an upload included; the ticker runs only while a step is in flight.
func TestHeartbeat(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	tk := testkit.NewTicker()
	out := make(testkit.Lines, 100)
	w := progress.New(out, progress.Options{Now: clk.Now, Tick: tk.Tick})

	build := w.Start("building linux/arm64")
	assert.Equal(t, progress.DefaultInterval, testkit.Recv(t, tk.Started, "ticker start"), "a ticker of the default interval starts with the first step")
	assert.LessOrEqual(t, progress.DefaultInterval, 10*time.Second, "never more than 10 s of silence")
	clk.Advance(30 * time.Second)
	upload := w.Start("uploading hello.tar.gz")
	upload.Total(1 << 30)
	body := upload.Counting(io.NopCloser(io.LimitReader(zeros{}, 120<<20)))
	_, err := io.Copy(io.Discard, body)
	require.NoError(t, err)
	clk.Advance(10 * time.Second)

	tk.Fire(t, clk.Now())
	assert.Equal(t, "still building linux/arm64 (40s)\n", testkit.Recv(t, out, "progress line"))
	assert.Equal(t, "still uploading hello.tar.gz: 120.0 MiB of 1.0 GiB (10s)\n", testkit.Recv(t, out, "progress line"))

	build.Done()
	build.Done() // twice is once
	_, err = io.WriteString(w, "built linux/arm64: hello.tar.gz\n")
	require.NoError(t, err)
	assert.Equal(t, "built linux/arm64: hello.tar.gz\n", testkit.Recv(t, out, "progress line"))
	// A retry sends the body again: the count starts over.
	body = upload.Counting(io.NopCloser(strings.NewReader("abc")))
	_, err = io.Copy(io.Discard, body)
	require.NoError(t, err)
	clk.Advance(10 * time.Second)
	tk.Fire(t, clk.Now())
	assert.Equal(t, "still uploading hello.tar.gz: 3 B of 1.0 GiB (20s)\n", testkit.Recv(t, out, "progress line"))

	upload.Done()
	testkit.Recv(t, tk.Stopped, "ticker stop")
	assert.Empty(t, tk.Started, "one ticker for the whole run")

	w.Start("building windows/amd64").Done()
	testkit.Recv(t, tk.Started, "ticker start")
	testkit.Recv(t, tk.Stopped, "ticker stop")
	assert.Empty(t, out, "no report without a tick")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// From reuses a Writer and wraps anything else; a nil Writer and a nil Step do nothing, so a
// step needs no branch for "no progress".
func TestFromAndNil(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := progress.New(&buf, progress.Options{})
	assert.Same(t, w, progress.From(w))
	assert.NotNil(t, progress.From(&buf))
	assert.Nil(t, progress.From(nil))

	var none *progress.Writer
	n, err := none.Write([]byte("x"))
	assert.Equal(t, 1, n)
	require.NoError(t, err)
	step := none.Start("building")
	assert.Nil(t, step)
	step.Total(3)
	r := io.NopCloser(strings.NewReader("abc"))
	assert.Equal(t, r, step.Counting(r))
	step.Done()
}

// Lines written from many goroutines come out whole.
func TestWritesAreWhole(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := progress.New(&buf, progress.Options{})
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			_, _ = io.WriteString(w, strings.Repeat(string(rune('a'+i%26)), 100)+"\n")
		})
	}
	wg.Wait()
	got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, got, 50)
	for _, line := range got {
		assert.Equal(t, strings.Repeat(line[:1], 100), line)
	}
}

// A filtered Writer keeps the clock and the ticker of the one it comes from, and every line it
// writes, the steps' own and the heartbeat's, goes through the filter: how a request redacts
// its progress.
func TestFiltered(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	tk := testkit.NewTicker()
	out := make(testkit.Lines, 10)
	w := progress.New(out, progress.Options{Now: clk.Now, Tick: tk.Tick}).
		Filtered(func(line string) string { return strings.ReplaceAll(line, "secret", "[REDACTED]") })

	step := w.Start("uploading secret.tar.gz")
	testkit.Recv(t, tk.Started, "the original's ticker")
	clk.Advance(10 * time.Second)
	tk.Fire(t, clk.Now())
	assert.Equal(t, "still uploading [REDACTED].tar.gz (10s)\n", testkit.Recv(t, out, "heartbeat"))
	_, err := io.WriteString(w, "uploaded secret.tar.gz\n")
	require.NoError(t, err)
	assert.Equal(t, "uploaded [REDACTED].tar.gz\n", testkit.Recv(t, out, "line"))
	step.Done()
	assert.Nil(t, (*progress.Writer)(nil).Filtered(strings.ToUpper), "nothing on a nil Writer")
}
