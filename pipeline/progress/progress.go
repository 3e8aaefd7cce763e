// Package progress keeps a long step from going quiet. A [Writer] is the progress output of a
// command: the lines written to it go out whole, one at a time, whoever writes them, and while
// steps started on it are running it adds, every [DefaultInterval], one line per step saying
// what it is still doing and for how long:
//
//	still building linux/arm64 (40s)
//	still uploading hello_1.0.0_linux_amd64.tar.gz: 120.0 MiB of 1.0 GiB (30s)
//
// so that a person at a terminal, and a CI log that ends jobs silent for too long, never wait
// more than the interval without a sign of life. A compile or an upload gives no other sign for
// minutes.
//
// The steps call [From] on the io.Writer their options carry, then [Writer.Start]; everything is
// safe on a nil *Writer (no output at all), so that a step needs no branch for "no progress".
// The clock and the ticker are [Options], so that a test drives the heartbeat without sleeping.
package progress

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/report"
)

// DefaultInterval is how often a Writer reports the steps in flight: at most 10 s of silence.
const DefaultInterval = 10 * time.Second

// Options are a Writer's clock. Zero values are the real ones.
type Options struct {
	// Interval is the time between two reports of the steps in flight; 0 is DefaultInterval.
	Interval time.Duration
	// Now reads the clock the steps' durations are measured on; nil is time.Now.
	Now func() time.Time
	// Tick starts a ticker of period d and returns its channel and the function that stops it;
	// nil is time.NewTicker's. The Writer starts one when a step starts with none in flight, and
	// stops it when the last step is done.
	Tick func(d time.Duration) (<-chan time.Time, func())
}

// Writer is a command's progress output; see the package documentation. Make one with [New] or
// [From].
type Writer struct {
	mu    sync.Mutex
	out   io.Writer
	opts  Options
	steps []*Step       // in flight, in the order they started
	quit  chan struct{} // closed to stop the ticker's goroutine; nil when none runs
}

// New returns a Writer that writes to out with the clock of opts.
func New(out io.Writer, opts Options) *Writer {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Tick == nil {
		opts.Tick = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	return &Writer{out: out, opts: opts}
}

// From returns w as a Writer: w itself when it is one, nil when w is nil, and otherwise a new
// Writer on w with the real clock.
func From(w io.Writer) *Writer {
	switch w := w.(type) {
	case nil:
		return nil
	case *Writer:
		return w
	default:
		return New(w, Options{})
	}
}

// Filtered returns a Writer with w's output and clock through which every line, the steps' own
// and the heartbeat's, passes through filter first (a redaction); nil on a nil Writer.
func (w *Writer) Filtered(filter func(string) string) *Writer {
	if w == nil {
		return nil
	}
	return New(filtering{out: w.out, filter: filter}, w.opts)
}

// filtering writes every line to out through filter.
type filtering struct {
	out    io.Writer
	filter func(string) string
}

func (f filtering) Write(p []byte) (int, error) {
	if _, err := io.WriteString(f.out, f.filter(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Write writes p to the output while no other line is being written; nothing on a nil Writer.
func (w *Writer) Write(p []byte) (int, error) {
	if w == nil {
		return len(p), nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.Write(p)
}

// Start starts a step, what it does said as a present participle ("building linux/arm64",
// "uploading a.tar.gz"), and reports it every interval until [Step.Done]. It returns nil on a
// nil Writer.
func (w *Writer) Start(what string) *Step {
	if w == nil {
		return nil
	}
	s := &Step{w: w, what: what, start: w.opts.Now()}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.steps = append(w.steps, s)
	if w.quit == nil {
		ticks, stop := w.opts.Tick(w.opts.Interval)
		w.quit = make(chan struct{})
		go w.beat(ticks, stop, w.quit)
	}
	return s
}

// beat reports the steps in flight at every tick until quit is closed.
func (w *Writer) beat(ticks <-chan time.Time, stop func(), quit <-chan struct{}) {
	defer stop()
	for {
		select {
		case <-quit:
			return
		case <-ticks:
			w.report(quit)
		}
	}
}

// report writes one line per step in flight, unless quit was closed meanwhile.
func (w *Writer) report(quit <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case <-quit:
		return
	default:
	}
	now := w.opts.Now()
	for _, s := range w.steps {
		fmt.Fprintf(w.out, "still %s (%s)\n", s.status(), now.Sub(s.start).Round(time.Second))
	}
}

// done removes s from the steps in flight, and stops the ticker after the last one.
func (w *Writer) done(s *Step) {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := slices.Index(w.steps, s)
	if i < 0 {
		return
	}
	w.steps = slices.Delete(w.steps, i, i+1)
	if len(w.steps) == 0 && w.quit != nil {
		close(w.quit)
		w.quit = nil
	}
}

// Step is one step in flight on a Writer. A nil Step does nothing.
type Step struct {
	w     *Writer
	what  string
	start time.Time
	sent  atomic.Int64 // bytes read through Counting, this attempt
	total atomic.Int64 // bytes to send, 0 when not known
}

// Total says how many bytes the step sends, for its report: "120.0 MiB of 1.0 GiB".
func (s *Step) Total(n int64) {
	if s != nil {
		s.total.Store(n)
	}
}

// Counting returns r counting the bytes read from it as the step's progress, from 0: an upload
// wraps the body of each attempt anew.
func (s *Step) Counting(r io.ReadCloser) io.ReadCloser {
	if s == nil || r == nil {
		return r
	}
	s.sent.Store(0)
	return &counting{ReadCloser: r, n: &s.sent}
}

// Done ends the step; a second call does nothing.
func (s *Step) Done() {
	if s != nil {
		s.w.done(s)
	}
}

// status is what the step is doing, with the bytes it has sent when it counts them.
func (s *Step) status() string {
	sent, total := s.sent.Load(), s.total.Load()
	switch {
	case total > 0:
		return fmt.Sprintf("%s: %s of %s", s.what, report.Size(sent), report.Size(total))
	case sent > 0:
		return fmt.Sprintf("%s: %s", s.what, report.Size(sent))
	default:
		return s.what
	}
}

// counting counts the bytes read through it into n.
type counting struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n.Add(int64(n))
	return n, err
}
