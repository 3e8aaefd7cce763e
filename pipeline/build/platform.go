package build

import (
	"maps"
	"slices"
	"strings"
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

// knownPlatforms is the output of `go tool dist list` for Go 1.26, by GOOS.
var knownPlatforms = map[string][]string{
	"aix":       {"ppc64"},
	"android":   {"386", "amd64", "arm", "arm64"},
	"darwin":    {"amd64", "arm64"},
	"dragonfly": {"amd64"},
	"freebsd":   {"386", "amd64", "arm", "arm64"},
	"illumos":   {"amd64"},
	"ios":       {"amd64", "arm64"},
	"js":        {"wasm"},
	"linux":     {"386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le", "riscv64", "s390x"},
	"netbsd":    {"386", "amd64", "arm", "arm64"},
	"openbsd":   {"386", "amd64", "arm", "arm64", "ppc64", "riscv64"},
	"plan9":     {"386", "amd64", "arm"},
	"solaris":   {"amd64"},
	"wasip1":    {"wasm"},
	"windows":   {"386", "amd64", "arm64"},
}

// known reports whether t is a platform the Go toolchain supports.
func (t Target) known() bool {
	return slices.Contains(knownPlatforms[t.OS], t.Arch)
}

// checkTarget returns an input error naming the valid choices when t is not
// a supported platform. raw is what the user wrote.
func checkTarget(t Target, raw string) error {
	if t.known() {
		return nil
	}
	arches, ok := knownPlatforms[t.OS]
	if !ok {
		return invalidf("unknown GOOS %q in platform %q: use one of %s (see `go tool dist list`)",
			t.OS, raw, strings.Join(slices.Sorted(maps.Keys(knownPlatforms)), ", "))
	}
	return invalidf("unknown GOARCH %q in platform %q: GOARCH for %s is one of %s (see `go tool dist list`)",
		t.Arch, raw, t.OS, strings.Join(arches, ", "))
}

// ParsePlatforms parses a list of GOOS/GOARCH pairs separated by commas or
// white space, such as DefaultPlatforms. Pairs are matched case-insensitively
// against the platforms Go supports; duplicates are dropped and the first
// occurrence keeps its place. Errors match [ErrInvalidInput].
func ParsePlatforms(s string) ([]Target, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(fields) == 0 {
		return nil, invalidf("no platforms given: pass GOOS/GOARCH pairs separated by commas, e.g. %s", DefaultPlatforms)
	}
	targets := make([]Target, 0, len(fields))
	seen := make(map[Target]bool, len(fields))
	for _, f := range fields {
		goos, goarch, ok := strings.Cut(strings.ToLower(f), "/")
		if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "/") {
			return nil, invalidf("platform %q is not GOOS/GOARCH: write each platform as a pair such as linux/amd64", f)
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
