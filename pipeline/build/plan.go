package build

import (
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config describes what to build. Only Stamp is required; see [NewPlan].
type Config struct {
	// Name is the project name: the archive prefix, and the binary name
	// when one package is built. Default: the last element of the package
	// path, or of the module path in GoMod when the package is ".".
	Name string
	// Version is the version in archive names. Default: Stamp.Version. A
	// leading "v" is dropped.
	Version string
	// Packages are the main packages to build, relative to the source
	// directory ("./cmd/tool") or import paths. Default: ".".
	Packages []string
	// Targets are the platforms to build for. Default: DefaultPlatforms.
	Targets []Target
	// Stamp is written into main.version, main.commit and main.date.
	Stamp Stamp
	// ExtraLDFlags are appended to the stamp's [LDFlags].
	ExtraLDFlags string
	// GoMod is the content of the source's go.mod, if any; it names the
	// project when Name is empty and the package is ".".
	GoMod []byte
}

// Plan is the complete, validated list of builds for one release.
type Plan struct {
	Name    string // project name
	Version string // version without the leading v
	Stamp   Stamp
	LDFlags string // the -ldflags value every job uses
	Jobs    []Job  // one per target and package, targets first, in Config order
}

// Job is one `go build` invocation.
type Job struct {
	Target      Target
	Package     string
	BinaryName  string // "hello", or "hello.exe" on windows
	ArchiveName string // "hello_1.2.3_linux_amd64.tar.gz", ".zip" on windows
	// OutPath is where the binary goes, slash-separated and relative to the
	// binary directory given to the executor: "linux_amd64/hello".
	OutPath string
	// Env is the build environment on top of the executor's own:
	// CGO_ENABLED=0, GOOS and GOARCH.
	Env []string
	// Args is the argv to run from the source directory, with OutPath as
	// the -o value: go build -trimpath -buildvcs=false -ldflags <flags> -o <OutPath> <pkg>.
	// Use [Job.ArgsFor] to write under a binary directory.
	Args []string
}

// ArgsFor returns a copy of j.Args whose -o value is OutPath under binDir,
// for an executor that runs the argv from the source directory.
func (j Job) ArgsFor(binDir string) []string {
	args := make([]string, len(j.Args))
	copy(args, j.Args)
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "-o" {
			args[i+1] = filepath.Join(binDir, filepath.FromSlash(j.OutPath))
			break
		}
	}
	return args
}

// NewPlan validates cfg, fills in its defaults and expands it into jobs. It
// does no I/O. Errors match [ErrInvalidInput].
func NewPlan(cfg Config) (Plan, error) {
	packages := cfg.Packages
	if len(packages) == 0 {
		packages = []string{"."}
	}
	for _, pkg := range packages {
		if err := checkPackage(pkg); err != nil {
			return Plan{}, err
		}
	}

	name := cfg.Name
	if name == "" {
		var err error
		if name, err = defaultName(packages[0], cfg.GoMod); err != nil {
			return Plan{}, err
		}
	}
	if !validToken(name) || name[0] == '.' || name[0] == '-' {
		return Plan{}, invalidf("project name %q is not a usable file name: set a name made of letters, digits and . - _ +", name)
	}

	version := trimV(cfg.Version)
	if version == "" {
		version = trimV(cfg.Stamp.Version)
	}
	if version == "" {
		return Plan{}, invalidf("no version to build: set the version or the tag, e.g. v1.2.3")
	}
	if !validToken(version) {
		return Plan{}, invalidf("version %q cannot go into an archive name: use letters, digits and . - _ + only, e.g. v1.2.3", version)
	}

	stamp := cfg.Stamp
	if stamp.Version == "" {
		stamp.Version = version
	}
	stamp.Version = trimV(stamp.Version)
	if !validToken(stamp.Version) {
		return Plan{}, invalidf("stamp version %q cannot go into -ldflags: use letters, digits and . - _ + only", stamp.Version)
	}
	if stamp.Commit == "" {
		stamp.Commit = noCommit
	}
	if !validToken(stamp.Commit) {
		return Plan{}, invalidf("stamp commit %q cannot go into -ldflags: pass a commit SHA or %q", stamp.Commit, noCommit)
	}
	if stamp.Date.IsZero() {
		return Plan{}, invalidf("stamp has no date: set SOURCE_DATE_EPOCH or build from a git checkout")
	}
	stamp.Date = stamp.Date.UTC().Truncate(time.Second)

	targets := cfg.Targets
	if len(targets) == 0 {
		var err error
		if targets, err = ParsePlatforms(DefaultPlatforms); err != nil {
			return Plan{}, err
		}
	}
	seenTarget := make(map[Target]bool, len(targets))
	for _, t := range targets {
		if err := checkTarget(t, t.String()); err != nil {
			return Plan{}, err
		}
		if seenTarget[t] {
			return Plan{}, invalidf("platform %s is listed twice: list each platform once", t)
		}
		seenTarget[t] = true
	}

	binaries := make([]string, len(packages))
	seenBinary := make(map[string]string, len(packages))
	for i, pkg := range packages {
		binaries[i] = name
		if len(packages) > 1 && path.Clean(pkg) != "." {
			binaries[i] = packageBase(pkg)
		}
		if !validToken(binaries[i]) || binaries[i][0] == '.' || binaries[i][0] == '-' {
			return Plan{}, invalidf("package %s would build a binary named %q: rename its directory using letters, digits and . - _ +", pkg, binaries[i])
		}
		if other, dup := seenBinary[binaries[i]]; dup {
			return Plan{}, invalidf("packages %s and %s both build a binary named %s: build them in separate releases or rename one directory", other, pkg, binaries[i])
		}
		seenBinary[binaries[i]] = pkg
	}

	ldflags := LDFlags(stamp)
	if extra := strings.TrimSpace(cfg.ExtraLDFlags); extra != "" {
		ldflags += " " + extra
	}

	plan := Plan{Name: name, Version: version, Stamp: stamp, LDFlags: ldflags}
	for _, t := range targets {
		archive := fmt.Sprintf("%s_%s_%s_%s.tar.gz", name, version, t.OS, t.Arch)
		if t.OS == "windows" {
			archive = strings.TrimSuffix(archive, ".tar.gz") + ".zip"
		}
		for i, pkg := range packages {
			bin := binaries[i]
			if t.OS == "windows" {
				bin += ".exe"
			}
			out := t.OS + "_" + t.Arch + "/" + bin
			plan.Jobs = append(plan.Jobs, Job{
				Target:      t,
				Package:     pkg,
				BinaryName:  bin,
				ArchiveName: archive,
				OutPath:     out,
				Env:         []string{"CGO_ENABLED=0", "GOOS=" + t.OS, "GOARCH=" + t.Arch},
				Args:        []string{"go", "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", out, pkg},
			})
		}
	}
	return plan, nil
}

// checkPackage rejects package arguments that are not a single main
// package inside the source directory.
func checkPackage(pkg string) error {
	switch {
	case pkg == "":
		return invalidf("empty package path: pass a main package such as . or ./cmd/tool")
	case strings.HasPrefix(pkg, "-"):
		return invalidf("package %q looks like a flag: pass a main package such as . or ./cmd/tool", pkg)
	case strings.Contains(pkg, "..."):
		return invalidf("package pattern %q matches several packages: list each main package, e.g. ./cmd/a,./cmd/b", pkg)
	case path.IsAbs(pkg) || filepath.IsAbs(pkg) || strings.Contains(pkg, `\`):
		return invalidf("package %q is not relative to the source: pass a path such as ./cmd/tool", pkg)
	case strings.ContainsAny(pkg, " \t\r\n\"'`"):
		return invalidf("package %q contains spaces or quotes: pass a path such as ./cmd/tool", pkg)
	}
	clean := path.Clean(pkg)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return invalidf("package %q is outside the source directory: pass a path such as ./cmd/tool", pkg)
	}
	return nil
}

// defaultName names the project after its first package, or after the
// module when that package is the module root.
func defaultName(pkg string, gomod []byte) (string, error) {
	if path.Clean(pkg) != "." {
		return packageBase(pkg), nil
	}
	if len(gomod) == 0 {
		return "", invalidf("cannot name the project built from package \".\" without its go.mod: set the project name")
	}
	mod, err := modulePath(gomod)
	if err != nil {
		return "", err
	}
	return packageBase(mod), nil
}

// packageBase is the binary name `go build` gives a package: its last path
// element, skipping a major-version suffix such as /v2.
func packageBase(pkg string) string {
	clean := path.Clean(pkg)
	base := path.Base(clean)
	if isMajorSuffix(base) && path.Dir(clean) != "." {
		base = path.Base(path.Dir(clean))
	}
	return base
}

func isMajorSuffix(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	n, err := strconv.Atoi(s[1:])
	return err == nil && n >= 2 && s[1] != '0'
}

// modulePath returns the path in go.mod's module directive.
func modulePath(gomod []byte) (string, error) {
	for line := range strings.Lines(string(gomod)) {
		line, _, _ = strings.Cut(line, "//")
		fields := strings.Fields(line)
		if len(fields) != 2 || fields[0] != "module" {
			continue
		}
		mod := fields[1]
		if unquoted, err := strconv.Unquote(mod); err == nil {
			mod = unquoted
		}
		if mod != "" && !strings.ContainsAny(mod, " \t\"'`\\") {
			return mod, nil
		}
	}
	return "", invalidf("go.mod has no module directive: add `module example.com/name` or set the project name")
}
