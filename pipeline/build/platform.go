package build

import (
	"maps"
	"slices"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// DefaultPlatforms is the comma-separated platform list used when none is
// given: the six targets most Go CLIs ship.
const DefaultPlatforms = "linux/amd64,linux/arm64,darwin/amd64,darwin/arm64,windows/amd64,windows/arm64"

// Target is one GOOS/GOARCH pair.
type Target struct {
	OS   string // GOOS, e.g. "linux"
	Arch string // GOARCH, e.g. "amd64"
}

// String returns "GOOS/GOARCH".
func (t Target) String() string { return t.OS + "/" + t.Arch }

// knownPlatforms is the output of `go tool dist list` for the Go release in [GoVersion], by
// GOOS, without the platforms that need cgo (see cgoPlatforms).
var knownPlatforms = map[string][]string{
	"aix":       {"ppc64"},
	"android":   {"arm64"},
	"darwin":    {"amd64", "arm64"},
	"dragonfly": {"amd64"},
	"freebsd":   {"386", "amd64", "arm", "arm64", "riscv64"},
	"illumos":   {"amd64"},
	"js":        {"wasm"},
	"linux":     {"386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le", "riscv64", "s390x"},
	"netbsd":    {"386", "amd64", "arm", "arm64"},
	"openbsd":   {"386", "amd64", "arm", "arm64", "ppc64", "riscv64"},
	"plan9":     {"386", "amd64", "arm"},
	"solaris":   {"amd64"},
	"wasip1":    {"wasm"},
	"windows":   {"386", "amd64", "arm64"},
}

// cgoPlatforms are the platforms Go supports only with cgo ("requires external (cgo) linking"),
// which builds here turn off (CGO_ENABLED=0) so that they need no C toolchain.
var cgoPlatforms = []Target{
	{"android", "386"}, {"android", "amd64"}, {"android", "arm"}, {"ios", "amd64"}, {"ios", "arm64"},
}

// checkTarget returns an input error naming the valid choices when t is not a platform these
// builds can produce. raw is what the user wrote.
func checkTarget(t Target, raw string) error {
	if slices.Contains(knownPlatforms[t.OS], t.Arch) {
		return nil
	}
	if slices.Contains(cgoPlatforms, t) {
		return invalid("platforms", "Drop it from the platforms, or build it yourself with cgo and publish the result.",
			"platform %s needs cgo, and these builds are pure Go (CGO_ENABLED=0)", outcome.Quote(raw))
	}
	arches, ok := knownPlatforms[t.OS]
	if !ok {
		return invalid("platforms", "Use a GOOS that `go tool dist list` prints: "+strings.Join(slices.Sorted(maps.Keys(knownPlatforms)), ", ")+".",
			"unknown GOOS %s in platform %s", outcome.Quote(t.OS), outcome.Quote(raw))
	}
	return invalid("platforms", "Use a GOARCH for "+t.OS+" that `go tool dist list` prints: "+strings.Join(arches, ", ")+".",
		"unknown GOARCH %s in platform %s", outcome.Quote(t.Arch), outcome.Quote(raw))
}

// ParsePlatforms parses a list of GOOS/GOARCH pairs separated by commas or
// white space, such as DefaultPlatforms. Pairs are matched case-insensitively
// against the platforms Go supports; duplicates are dropped and the first
// occurrence keeps its place. Errors are of class outcome.InvalidInput.
func ParsePlatforms(s string) ([]Target, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(fields) == 0 {
		return nil, invalid("platforms", "Pass GOOS/GOARCH pairs separated by commas, such as "+DefaultPlatforms+".", "no platforms given")
	}
	targets := make([]Target, 0, len(fields))
	seen := make(map[Target]bool, len(fields))
	for _, f := range fields {
		goos, goarch, ok := strings.Cut(strings.ToLower(f), "/")
		if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "/") {
			return nil, invalid("platforms", "Write each platform as a GOOS/GOARCH pair such as linux/amd64.", "platform %s is not GOOS/GOARCH", outcome.Quote(f))
		}
		t := Target{OS: goos, Arch: goarch}
		if err := checkTarget(t, f); err != nil {
			return nil, err
		}
		if !seen[t] {
			seen[t] = true
			targets = append(targets, t)
		}
	}
	return targets, nil
}
