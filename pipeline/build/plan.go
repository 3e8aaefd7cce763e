package build

import (
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/checksums"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Plan is the validated list of builds of one release: what is built, and the names of
// everything written. It does not depend on the stamp, so it is known before git is read or
// anything is built.
type Plan struct {
	Name         string   // project name: the archive prefix
	Version      string   // version in archive names and main.version, without the leading v
	Targets      []Target // in the order given
	Jobs         []Job    // one per target and package, targets first, in the order given
	ExtraLDFlags string   // appended to the stamp's linker flags
}

// Job is one `go build` invocation.
type Job struct {
	Target      Target
	Package     string
	BinaryName  string // "hello", or "hello.exe" on windows
	ArchiveName string // "hello_1.2.3_linux_amd64.tar.gz", ".zip" on windows
	// OutPath is where the binary goes, slash-separated and relative to the binary directory:
	// "linux_amd64/hello".
	OutPath string
}

// Archives returns the archive names of the plan, one per target, in target order.
func (p Plan) Archives() []string {
	var names []string
	for _, j := range p.Jobs {
		if len(names) == 0 || names[len(names)-1] != j.ArchiveName {
			names = append(names, j.ArchiveName)
		}
	}
	return names
}

// Files returns every file a build of the plan writes to its output directory: the archives,
// then SHA256SUMS.
func (p Plan) Files() []string {
	return append(p.Archives(), checksums.FileName)
}

// JobsFor returns the jobs of target t, in package order.
func (p Plan) JobsFor(t Target) []Job {
	var jobs []Job
	for _, j := range p.Jobs {
		if j.Target == t {
			jobs = append(jobs, j)
		}
	}
	return jobs
}

// LDFlags is the -ldflags value of every job built with stamp s: the stamp's flags, then the
// plan's extra flags.
func (p Plan) LDFlags(s Stamp) string {
	flags := s.LDFlags()
	if p.ExtraLDFlags != "" {
		flags += " " + p.ExtraLDFlags
	}
	return flags
}

// Command returns the environment (on top of the inherited one) and the argv that build job j
// with stamp s into binDir, run from the source directory:
//
//	CGO_ENABLED=0 GOOS=… GOARCH=… go build -trimpath -buildvcs=false -ldflags <flags> -o <binDir/OutPath> <pkg>
func (p Plan) Command(j Job, s Stamp, binDir string) (env, argv []string) {
	env = []string{"CGO_ENABLED=0", "GOOS=" + j.Target.OS, "GOARCH=" + j.Target.Arch}
	out := filepath.Join(binDir, filepath.FromSlash(j.OutPath))
	argv = []string{"go", "build", "-trimpath", "-buildvcs=false", "-ldflags", p.LDFlags(s), "-o", out, j.Package}
	return env, argv
}

// newPlan validates the parts of a plan and expands them into jobs. It does no I/O; gomod is
// the source's go.mod (nil when it has none), which names the project when name is empty and
// the first package is ".".
func newPlan(name, version string, targets []Target, packages []string, extraLDFlags string, gomod []byte) (Plan, error) {
	if len(packages) == 0 {
		packages = []string{"."}
	}
	for _, pkg := range packages {
		if err := checkPackage(pkg); err != nil {
			return Plan{}, err
		}
	}
	if name == "" {
		var err error
		if name, err = defaultName(packages[0], gomod); err != nil {
			return Plan{}, err
		}
	}
	if !validName(name) {
		return Plan{}, invalid("name", "Name the project with letters, digits and . - _ + only.",
			"project name %s is not a usable file name", outcome.Quote(name))
	}
	v := trimV(version)
	if !validToken(v) {
		return Plan{}, invalid("version", "Pass a version such as v1.2.3: letters, digits and . - _ + only.",
			"version %s cannot go into an archive name", outcome.Quote(version))
	}
	if strings.ContainsAny(extraLDFlags, "\r\n") {
		return Plan{}, invalid("ldflags", "Pass the extra linker flags on one line.", "the extra linker flags hold a line break")
	}
	binaries := make([]string, len(packages))
	seenBinary := make(map[string]string, len(packages))
	for i, pkg := range packages {
		binaries[i] = name
		if len(packages) > 1 && path.Clean(pkg) != "." {
			binaries[i] = packageBase(pkg)
		}
		if !validName(binaries[i]) {
			return Plan{}, invalid("packages", "Rename the package's directory with letters, digits and . - _ + only.",
				"package %s would build a binary named %s", outcome.Quote(pkg), outcome.Quote(binaries[i]))
		}
		if other, dup := seenBinary[binaries[i]]; dup {
			return Plan{}, invalid("packages", "Build them in separate releases, or rename one of the directories.",
				"packages %s and %s both build a binary named %s", outcome.Quote(other), outcome.Quote(pkg), outcome.Quote(binaries[i]))
		}
		seenBinary[binaries[i]] = pkg
	}

	plan := Plan{Name: name, Version: v, Targets: targets, ExtraLDFlags: strings.TrimSpace(extraLDFlags)}
	for _, t := range targets {
		archive := fmt.Sprintf("%s_%s_%s_%s.tar.gz", name, v, t.OS, t.Arch)
		if t.OS == "windows" {
			archive = strings.TrimSuffix(archive, ".tar.gz") + ".zip"
		}
		for i, pkg := range packages {
			bin := binaries[i]
			if t.OS == "windows" {
				bin += ".exe"
			}
			plan.Jobs = append(plan.Jobs, Job{
				Target:      t,
				Package:     pkg,
				BinaryName:  bin,
				ArchiveName: archive,
				OutPath:     t.OS + "_" + t.Arch + "/" + bin,
			})
		}
	}
	return plan, nil
}

// packageFix is what every rejected package argument is told.
const packageFix = "Pass main packages inside the source, such as . or ./cmd/tool."

// checkPackage rejects package arguments that are not a single package inside the source
// directory.
func checkPackage(pkg string) error {
	switch {
	case pkg == "":
		return invalid("packages", packageFix, "empty package path")
	case strings.HasPrefix(pkg, "-"):
		return invalid("packages", packageFix, "package %s looks like a flag", outcome.Quote(pkg))
	case strings.Contains(pkg, "..."):
		return invalid("packages", "List each main package, such as ./cmd/a,./cmd/b.", "package pattern %s matches several packages", outcome.Quote(pkg))
	case path.IsAbs(pkg) || filepath.IsAbs(pkg) || strings.Contains(pkg, `\`):
		return invalid("packages", packageFix, "package %s is not relative to the source", outcome.Quote(pkg))
	case strings.ContainsAny(pkg, " \t\r\n\"'`,"):
		return invalid("packages", packageFix, "package %s contains spaces, commas or quotes", outcome.Quote(pkg))
	}
	clean := path.Clean(pkg)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return invalid("packages", packageFix, "package %s is outside the source directory", outcome.Quote(pkg))
	}
	return nil
}

// defaultName names the project after its first package, or after the module when that
// package is the module root.
func defaultName(pkg string, gomod []byte) (string, error) {
	if path.Clean(pkg) != "." {
		return packageBase(pkg), nil
	}
	if len(gomod) == 0 {
		return "", invalid("source", "Pass the directory that holds the module's go.mod, or name the project.",
			"the source has no go.mod to name the project after")
	}
	mod, err := modulePath(gomod)
	if err != nil {
		return "", err
	}
	return packageBase(mod), nil
}

// packageBase is the binary name `go build` gives a package: its last path element, skipping a
// major-version suffix such as /v2.
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
	return "", invalid("source", "Add `module example.com/name` to go.mod, or name the project.", "go.mod has no module directive")
}

// validName reports whether s can name a project or binary: a token that does not start with
// '.' or '-'.
func validName(s string) bool {
	return validToken(s) && s[0] != '.' && s[0] != '-'
}
