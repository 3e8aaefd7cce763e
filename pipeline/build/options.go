package build

import (
	"cmp"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Defaults of Options.
const (
	// DefaultVersion is the version of a build that names none: a snapshot.
	DefaultVersion = "v0.0.0-snapshot"
	// GoVersion is the Go release that container builds use by default and the demo project
	// declares. knownPlatforms is this release's `go tool dist list`.
	GoVersion = "1.26"
)

// Options say what to build from where, as an adapter receives them. Zero fields take their
// defaults.
type Options struct {
	// Source is the directory of the Go module to build. Default ".".
	Source string
	// OutDir receives the archives and SHA256SUMS. It must not exist, be empty, or hold only
	// the files this build writes (a re-run's), since everything in it is published. Required.
	OutDir string
	// Version is stamped into main.version and the archive names: a tag such as v1.2.3, whose
	// leading v is dropped. Default DefaultVersion.
	Version string
	// Platforms are GOOS/GOARCH pairs separated by commas or spaces. Default DefaultPlatforms.
	Platforms string
	// Packages are the main packages to build, relative to Source. Default ".".
	Packages []string
	// Name is the project name in archive names. Default: the first package's last path
	// element, or the module's when that package is ".".
	Name string
	// LDFlags are appended to the stamp's -ldflags.
	LDFlags string
	// Commit is stamped into main.commit. Default: the source's HEAD, else "none".
	Commit string
	// SourceDateEpoch is the build time in Unix seconds, as SOURCE_DATE_EPOCH. Default: the
	// HEAD commit's time. The clock is never used.
	SourceDateEpoch string
	// Remote describes a source that is not on this machine (the Dagger module's, which is
	// built in a container), so that its input can be checked before anything runs. nil means
	// Source is a local directory, whose go.mod and git metadata are read directly.
	Remote *Remote
	// GoBin is the go command. Default "go" from PATH.
	GoBin string
	// Parallelism bounds the targets built at once. Default DefaultParallelism.
	Parallelism int
	// Progress gets one line per target built and, while targets build, a line per target
	// every 10 s (package progress). nil discards them.
	Progress io.Writer
}

// Remote is what is known of a source that is not on this machine.
type Remote struct {
	// GoMod is the source's go.mod, which names the project; nil when it has none.
	GoMod []byte
	// HasGit reports whether the source carries git metadata, which the stamp is read from
	// when the commit or SOURCE_DATE_EPOCH is not given.
	HasGit bool
}

// Plan validates o without building anything or running git and returns the plan: what is
// built and the names of every file written. A local source must exist; its go.mod names the
// project. Every failure is an *outcome.Error of class InvalidInput naming the input at fault.
func (o Options) Plan() (Plan, error) {
	platforms := o.Platforms
	if strings.TrimSpace(platforms) == "" {
		platforms = DefaultPlatforms
	}
	targets, err := ParsePlatforms(platforms)
	if err != nil {
		return Plan{}, err
	}
	version := o.Version
	if version == "" {
		version = DefaultVersion
	}
	if _, err := versionFromTag(version); err != nil {
		return Plan{}, err
	}
	if o.Commit != "" && !validToken(o.Commit) {
		return Plan{}, invalid("commit", "Pass the commit's SHA, such as the output of `git rev-parse HEAD`.",
			"commit %s cannot go into the linker flags", outcome.Quote(o.Commit))
	}
	if o.SourceDateEpoch != "" {
		if _, err := parseSourceDateEpoch(o.SourceDateEpoch); err != nil {
			return Plan{}, err
		}
	}
	var gomod []byte
	if o.Remote != nil {
		gomod = o.Remote.GoMod
	} else {
		if err := checkSource(o.source()); err != nil {
			return Plan{}, err
		}
		if gomod, err = os.ReadFile(filepath.Join(o.source(), "go.mod")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Plan{}, invalid("source", "Pass the directory that holds the module's go.mod.", "cannot read go.mod: %v", err)
		}
	}
	return newPlan(o.Name, version, targets, o.Packages, o.LDFlags, gomod)
}

// checkSource requires dir to be a directory.
func checkSource(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return invalid("source", "Pass the directory that holds the module's go.mod.", "cannot read the source: %v", err)
	}
	if !info.IsDir() {
		return invalid("source", "Pass the directory that holds the module's go.mod.", "the source %s is not a directory", dir)
	}
	return nil
}

// Validate is everything a build can refuse before it starts: [Options.Plan]; the stamp, for
// which it runs git on a local source (a remote one needs git metadata or SOURCE_DATE_EPOCH);
// and the output directory, which must be given, and not exist, be empty, or hold only files
// the plan writes (as a re-run finds them). Anything else there would be published with the
// release.
//
// For a local source it also asks the go command (`go list`) whether every package is a main
// package, which a build would otherwise only find out when `go build` writes a package archive.
func (o Options) Validate(ctx context.Context) (Plan, error) {
	plan, _, err := o.check(ctx)
	if err == nil && o.Remote == nil {
		err = o.checkMain(ctx, plan)
	}
	return plan, err
}

// checkMain refuses packages that are not main packages. Packages the go command cannot load
// are left to the build, which reports the compiler's words.
func (o Options) checkMain(ctx context.Context, plan Plan) error {
	var pkgs []string
	for _, j := range plan.JobsFor(plan.Targets[0]) {
		pkgs = append(pkgs, j.Package)
	}
	cmd := exec.CommandContext(ctx, cmp.Or(o.GoBin, "go"), append([]string{"list", "-e", "-f", "{{.ImportPath}} {{.Name}}"}, pkgs...)...)
	cmd.Dir = o.source()
	cmd.Env = buildEnviron(os.Environ())
	out, err := cmd.Output()
	if err != nil {
		return nil // no go command, or it failed as a whole: the build says why
	}
	for i, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		_, name, _ := strings.Cut(line, " ")
		if i < len(pkgs) && name != "" && name != "main" {
			return invalid("packages", "Pass main packages only (package main with a func main).",
				"package %s is package %s, not a main package", pkgs[i], name)
		}
	}
	return nil
}

// check is Validate, returning the stamp of a local source too.
func (o Options) check(ctx context.Context) (Plan, Stamp, error) {
	plan, err := o.Plan()
	if err != nil {
		return plan, Stamp{}, err
	}
	var stamp Stamp
	version := cmp.Or(o.Version, DefaultVersion)
	switch {
	case o.Remote == nil:
		stamp, err = ResolveStamp(ctx, o.source(), version, o.Commit, o.SourceDateEpoch)
	case !o.Remote.HasGit:
		_, err = NewStamp(version, o.Commit, o.SourceDateEpoch, "")
	}
	if err != nil {
		return plan, stamp, err
	}
	return plan, stamp, o.checkOutDir(plan)
}

// checkOutDir checks the output directory for plan.
func (o Options) checkOutDir(plan Plan) error {
	if o.OutDir == "" {
		return invalid("out", "Pass the directory for the archives, such as dist.", "no output directory was given")
	}
	entries, err := os.ReadDir(o.OutDir)
	if errors.Is(err, fs.ErrNotExist) {
		return checkWritable(o.OutDir)
	}
	if err != nil {
		return invalid("out", "Pass a new or empty directory for the archives.", "cannot use the output directory: %v", err)
	}
	if err := checkWritable(o.OutDir); err != nil {
		return err
	}
	ours := make(map[string]bool)
	for _, name := range plan.Files() {
		ours[name] = true
	}
	var foreign []string
	for _, e := range entries {
		if !ours[e.Name()] || !e.Type().IsRegular() {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) > 0 {
		return invalid("out", "Pass a new or empty directory for the archives, or remove those files.",
			"%s already holds %s, which this build does not write and a release would publish", o.OutDir, strings.Join(foreign, ", "))
	}
	return nil
}

// checkWritable makes sure files can be written into dir, creating it for the test and
// removing again what it created.
func checkWritable(dir string) error {
	var created []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		created = append(created, d)
	}
	defer func() {
		for _, d := range created {
			os.Remove(d)
		}
	}()
	fail := func(err error) error {
		return invalid("out", "Pass a directory this user can create and write, for the archives.", "cannot write the output directory: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err)
	}
	f, err := os.CreateTemp(dir, ".release-preflight-write-test-*")
	if err != nil {
		return fail(err)
	}
	f.Close()
	return os.Remove(f.Name())
}

func (o Options) source() string {
	if o.Source == "" {
		return "."
	}
	return o.Source
}
