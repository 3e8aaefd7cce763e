package build

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/testkit"
	"github.com/release-preflight/release-preflight/pipeline/progress"
)

// A compile that takes long is reported every interval while it runs ("still building …"), so
// that a build of minutes is never silent for more than 10 s.
func TestRunReportsTargetsStillBuilding(t *testing.T) {
	t.Parallel()
	slow, open := testkit.GatedGo(t)
	dir := t.TempDir()
	clk := testkit.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	tk := testkit.NewTicker()
	lines := make(testkit.Lines, 16)
	done := make(chan error, 1)
	go func() {
		_, err := Run(t.Context(), Options{Source: hello(t), OutDir: filepath.Join(dir, "dist"), Version: "v1.2.3",
			Platforms: "linux/arm64", SourceDateEpoch: "1700000000", GoBin: slow,
			Progress: progress.New(lines, progress.Options{Now: clk.Now, Tick: tk.Tick})})
		done <- err
	}()

	testkit.Recv(t, tk.Started, "ticker: the target is building")
	clk.Advance(40 * time.Second)
	tk.Fire(t, clk.Now())
	assert.Equal(t, "still building linux/arm64 (40s)\n", testkit.Recv(t, lines, "report of the target in flight"))
	open()
	require.NoError(t, testkit.Recv(t, done, "end of the build"))
	testkit.Recv(t, tk.Stopped, "stop of the ticker: nothing in flight, no more reports")
	assert.Regexp(t, `^built linux/arm64: hello_1\.2\.3_linux_arm64\.tar\.gz `, testkit.Recv(t, lines, "built line"))
}
