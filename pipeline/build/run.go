package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/progress"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// Result is what a build wrote.
type Result struct {
	Plan  Plan
	Stamp Stamp
	// Artifacts are the archives in target order, then SHA256SUMS, each with its size and
	// SHA-256 as computed while it was written.
	Artifacts []Artifact
}

// DefaultParallelism is how many targets Run builds at once when Options.Parallelism is 0.
func DefaultParallelism() int { return runtime.GOMAXPROCS(0) }

// Bounds of the compiler output kept in a build-failed error.
const (
	outputTailLines = 30
	outputTailBytes = 4 << 10
)

// archVariables select CPU feature levels; dropping them from the inherited environment gives
// every build the toolchain defaults, so the same source gives the same bytes everywhere.
var archVariables = []string{"GO386", "GOAMD64", "GOARM", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM"}

// Run builds o: it checks the input, reads the stamp, builds every target with at most
// o.Parallelism targets at a time, archives each target as soon as its binaries exist, and
// writes SHA256SUMS from the sums computed while archiving. The first failure stops the
// targets still building and is returned; failures are *outcome.Error values: InvalidInput for
// the input, BuildFailed for a failed `go build` (with the compiler's last lines as Output).
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Remote != nil {
		return Result{}, errors.New("build: Run needs a local source; a remote one is built where it is")
	}
	plan, stamp, err := o.check(ctx)
	if err != nil {
		return Result{}, err
	}
	src := o.source()
	docs, err := DocFiles(src)
	if err != nil {
		return Result{}, err
	}
	binDir, err := os.MkdirTemp("", "release-preflight-bin-")
	if err != nil {
		return Result{}, fmt.Errorf("create a scratch directory: %w", err)
	}
	defer os.RemoveAll(binDir)
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return Result{}, invalid("out", "Pass a directory that can be created and written.", "cannot create the output directory: %v", err)
	}

	b := &builder{plan: plan, stamp: stamp, src: src, binDir: binDir, outDir: filepath.Clean(o.OutDir), docs: docs,
		goBin: o.GoBin, env: buildEnviron(os.Environ()), progress: progress.From(o.Progress)}
	if b.goBin == "" {
		b.goBin = "go"
	}
	parallel := o.Parallelism
	if parallel <= 0 {
		parallel = DefaultParallelism()
	}
	b.env = shareProcessors(b.env, runtime.GOMAXPROCS(0), min(parallel, len(plan.Targets)))
	arts := make([]Artifact, len(plan.Targets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallel)
	for i, t := range plan.Targets {
		g.Go(func() error {
			var err error
			arts[i], err = b.target(gctx, t)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return Result{}, fmt.Errorf("build %s stopped: %w", plan.Name, context.Cause(ctx))
		}
		return Result{}, err
	}
	sums, err := WriteChecksums(b.outDir, arts)
	if err != nil {
		return Result{}, err
	}
	return Result{Plan: plan, Stamp: stamp, Artifacts: append(arts, sums)}, nil
}

// builder carries one Run.
type builder struct {
	plan        Plan
	stamp       Stamp
	src, binDir string
	outDir      string
	docs        []string
	goBin       string
	env         []string
	progress    *progress.Writer // nil: no progress lines
}

// target builds the binaries of t and archives them.
func (b *builder) target(ctx context.Context, t Target) (Artifact, error) {
	start := time.Now()
	step := b.progress.Start("building " + t.String())
	defer step.Done()
	jobs := b.plan.JobsFor(t)
	for _, job := range jobs {
		if err := b.compile(ctx, job); err != nil {
			return Artifact{}, err
		}
	}
	art, err := archive(b.plan, t, b.binDir, b.outDir, b.docs, b.stamp.Date)
	if err != nil {
		return Artifact{}, err
	}
	step.Done()
	if b.progress != nil {
		fmt.Fprintf(b.progress, "built %s: %s (%s) in %.1fs\n", t, art.Name, report.Size(art.Size), time.Since(start).Seconds())
	}
	return art, nil
}

// compile runs `go build` for job.
func (b *builder) compile(ctx context.Context, job Job) error {
	env, argv := b.plan.Command(job, b.stamp, b.binDir)
	out := filepath.Join(b.binDir, filepath.FromSlash(job.OutPath))
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("create the binary directory for %s: %w", job.Target, err)
	}
	var output bytes.Buffer
	cmd := exec.CommandContext(ctx, b.goBin, argv[1:]...)
	cmd.Dir = b.src
	cmd.Env = slices.Concat(b.env, env)
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.WaitDelay = 5 * time.Second // compiler children may hold the output open after go is killed
	op := fmt.Sprintf("go build of %s (package %s) for %s", job.BinaryName, job.Package, job.Target)
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s stopped: %w", op, context.Cause(ctx))
		}
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return &outcome.Error{Class: outcome.BuildFailed, Op: op, Message: "the go command did not start: " + err.Error(), Err: err,
				Remediation: "Install Go, or put the go command on PATH."}
		}
		return &outcome.Error{Class: outcome.BuildFailed, Op: op, Message: err.Error(), Output: tail(output.String()), Err: err,
			Remediation: "Fix the errors in the output and build again."}
	}
	return checkProgram(out, job)
}

// checkProgram refuses what `go build -o` writes for a package that is not main: a package
// archive, which would be released in place of a program.
func checkProgram(path string, job Job) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("go build of %s for %s wrote no binary: %w", job.BinaryName, job.Target, err)
	}
	defer f.Close()
	magic := make([]byte, 8)
	if _, err := io.ReadFull(f, magic); err == nil && string(magic) == "!<arch>\n" {
		return invalid("packages", "Pass main packages only (package main with a func main).",
			"package %s is not a main package: go build wrote a package archive, not a program", job.Package)
	}
	return nil
}

// buildEnviron drops the variables every job sets itself, and the CPU feature levels, from the
// inherited environment.
func buildEnviron(environ []string) []string {
	drop := append([]string{"CGO_ENABLED", "GOOS", "GOARCH"}, archVariables...)
	return slices.DeleteFunc(slices.Clone(environ), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return slices.ContainsFunc(drop, func(d string) bool { return strings.EqualFold(k, d) })
	})
}

// shareProcessors gives each of the builds that run at once an even share of the procs
// processors, at least one, through GOMAXPROCS, unless environ sets it already. A go build
// otherwise runs as many threads as the machine has processors, and so does the linker it starts:
// with a build per processor running, they contend for the cores. On 2 cores, a warm six-target
// build of fzf took about 9% less CPU and wall time with one processor each (medians of 8
// alternating runs), and a cold one no longer (62.7 s against 65.2 s): each go build then
// compiles as many packages at once as its share, and together they still fill the cores.
func shareProcessors(environ []string, procs, builds int) []string {
	if slices.ContainsFunc(environ, func(kv string) bool { return strings.HasPrefix(strings.ToUpper(kv), "GOMAXPROCS=") }) {
		return environ
	}
	return append(environ, fmt.Sprintf("GOMAXPROCS=%d", max(1, procs/max(1, builds))))
}

// tail keeps the last lines of the compiler output.
func tail(s string) string {
	s = strings.TrimRight(s, "\n")
	if len(s) > outputTailBytes {
		s = s[len(s)-outputTailBytes:]
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[i+1:]
		}
	}
	lines := strings.Split(s, "\n")
	if len(lines) > outputTailLines {
		lines = lines[len(lines)-outputTailLines:]
	}
	return strings.Join(lines, "\n")
}
