package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/release-preflight/release-preflight/pipeline/report"
)

func TestSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1536: "1.5 KiB", 64 << 20: "64.0 MiB", 3 << 30: "3.0 GiB"} {
		assert.Equal(t, want, report.Size(n), "%d", n)
	}
}
