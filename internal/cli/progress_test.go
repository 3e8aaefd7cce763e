package cli

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/release-preflight/release-preflight/internal/testkit"
	"github.com/release-preflight/release-preflight/pipeline/progress"
)

// A long compile is never silent: while it runs, stderr gets a line every 10 s saying what is
// still building and for how long, in a terminal and in a CI log alike.
func TestBuildIsNeverSilent(t *testing.T) {
	t.Parallel()
	slow, open := testkit.GatedGo(t)
	clk := testkit.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	tk := testkit.NewTicker()
	lines := make(testkit.Lines, 64)
	done := make(chan result, 1)
	go func() {
		done <- runWith(t, nil, env{"SOURCE_DATE_EPOCH": sourceDateEpoch}, func(c *CLI) {
			c.goBin = slow
			c.progress = progress.Options{Now: clk.Now, Tick: tk.Tick}
			c.Stderr = io.MultiWriter(c.Stderr, lines)
		}, "build", "--source", helloSource(t), "--out", t.TempDir()+"/dist", "--platforms", "linux/amd64")
	}()

	assert.Equal(t, progress.DefaultInterval, testkit.Recv(t, tk.Started, "the heartbeat of the build"))
	clk.Advance(20 * time.Second)
	tk.Fire(t, clk.Now())
	assert.Equal(t, "still building linux/amd64 (20s)\n", testkit.Recv(t, lines, "a line while the compile runs"))
	open()
	res := testkit.Recv(t, done, "the end of the build")

	assert.Equal(t, 0, res.code)
	before, _, ok := strings.Cut(res.stderr, "built linux/amd64")
	assert.True(t, ok, res.stderr)
	assert.Equal(t, "still building linux/amd64 (20s)\n", before, "progress goes to stderr, before the result")
}
