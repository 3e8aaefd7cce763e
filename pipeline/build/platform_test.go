package build

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func TestParsePlatforms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []Target
	}{
		{"defaults", DefaultPlatforms, []Target{
			{"linux", "amd64"}, {"linux", "arm64"}, {"darwin", "amd64"},
			{"darwin", "arm64"}, {"windows", "amd64"}, {"windows", "arm64"},
		}},
		{"one", "linux/riscv64", []Target{{"linux", "riscv64"}}},
		{"spaces and empty fields", " linux/amd64 ,, darwin/arm64\twindows/386\n", []Target{{"linux", "amd64"}, {"darwin", "arm64"}, {"windows", "386"}}},
		{"upper case", "Linux/AMD64", []Target{{"linux", "amd64"}}},
		{"duplicates keep first place", "darwin/arm64,linux/amd64,darwin/arm64,LINUX/amd64", []Target{{"darwin", "arm64"}, {"linux", "amd64"}}},
		{"wasm", "js/wasm,wasip1/wasm", []Target{{"js", "wasm"}, {"wasip1", "wasm"}}},
		{"android on arm64 builds without cgo", "android/arm64", []Target{{"android", "arm64"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePlatforms(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParsePlatformsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		wantMsg []string
	}{
		{"empty", "", []string{"no platforms given", DefaultPlatforms}},
		{"only separators", " , ,", []string{"no platforms given"}},
		{"no slash", "linux", []string{`platform "linux" is not GOOS/GOARCH`, "such as linux/amd64"}},
		{"empty arch", "linux/", []string{`"linux/" is not GOOS/GOARCH`}},
		{"empty os", "/amd64", []string{`"/amd64" is not GOOS/GOARCH`}},
		{"arm variant", "linux/arm/v7", []string{`"linux/arm/v7" is not GOOS/GOARCH`}},
		{"unknown os", "linus/amd64", []string{`unknown GOOS "linus"`, "darwin, dragonfly", "go tool dist list"}},
		{"unknown arch", "darwin/386", []string{`unknown GOARCH "386"`, "Use a GOARCH for darwin that `go tool dist list` prints: amd64, arm64"}},
		{"needs cgo", "ios/arm64", []string{`platform "ios/arm64" needs cgo`, "CGO_ENABLED=0"}},
		{"android needs cgo but on arm64", "android/amd64", []string{`platform "android/amd64" needs cgo`}},
		{"one bad among good", "linux/amd64,windows/arm", []string{`unknown GOARCH "arm" in platform "windows/arm"`, "386, amd64, arm64"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePlatforms(tt.in)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Equal(t, outcome.InvalidInput, outcome.ClassOf(err))
			for _, m := range tt.wantMsg {
				assert.Contains(t, err.Error(), m)
			}
			assert.Equal(t, strings.ToLower(err.Error()[:1]), err.Error()[:1], "errors start lowercase")
		})
	}
}

func TestTargetString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "windows/arm64", Target{OS: "windows", Arch: "arm64"}.String())
}

func FuzzParsePlatforms(f *testing.F) {
	for _, s := range []string{DefaultPlatforms, "", "linux", "linux/amd64,linux/amd64", "LINUX/ARM64 js/wasm", "a/b/c", ",/,", "linux/\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		targets, err := ParsePlatforms(s)
		if err != nil {
			assert.Equal(t, outcome.InvalidInput, outcome.ClassOf(err))
			assert.Nil(t, targets)
			return
		}
		require.NotEmpty(t, targets)
		seen := map[Target]bool{}
		parts := make([]string, 0, len(targets))
		for _, tg := range targets {
			assert.NoError(t, checkTarget(tg, tg.String()), "unknown target %v accepted", tg)
			assert.False(t, seen[tg], "duplicate target %v", tg)
			seen[tg] = true
			parts = append(parts, tg.String())
		}
		again, err := ParsePlatforms(strings.Join(parts, ","))
		require.NoError(t, err)
		assert.Equal(t, targets, again, "String output parses back to the same targets")
	})
}
