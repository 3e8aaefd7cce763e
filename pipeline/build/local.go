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
	"sync"
	"time"
)

// Executor runs every job of a plan, reading the source from srcDir and
// writing each binary to binDir/Job.OutPath.
type Executor interface {
	Build(ctx context.Context, plan Plan, srcDir, binDir string) error
}

// LocalExecutor runs `go build` on this machine, several jobs at a time.
// The build cache and module cache are the ones GOCACHE and GOMODCACHE name
// in the environment.
type LocalExecutor struct {
	GoBin       string    // go command; default "go" from PATH
	Parallelism int       // jobs at a time; default GOMAXPROCS
	Progress    io.Writer // one line per built binary; nil for none
}

var _ Executor = LocalExecutor{}

// BuildError is a failed `go build` of one job.
type BuildError struct {
	Target  Target
	Package string
	Binary  string
	Stderr  string // the last lines the go command wrote to stderr
	Err     error  // the exec error, e.g. "exit status 1"
}

// Error names the target and ends with the compiler output.
func (e *BuildError) Error() string {
	msg := fmt.Sprintf("go build of %s (package %s) for %s failed: %v", e.Binary, e.Package, e.Target, e.Err)
	var exitErr *exec.ExitError
	if !errors.As(e.Err, &exitErr) { // the go command did not start
		return msg + ": install Go or point the executor at the go command"
	}
	if e.Stderr == "" {
		return msg + ": run the same build with `go build` to see why"
	}
	return msg + ":\n" + e.Stderr + "\nfix the errors above and build again"
}

// Unwrap returns the exec error.
func (e *BuildError) Unwrap() error { return e.Err }

// stderrTail bounds the compiler output kept in a BuildError.
const (
	stderrTailLines = 30
	stderrTailBytes = 4 << 10
)

// archVariables select CPU feature levels; dropping them from the inherited
// environment gives every executor the toolchain defaults.
var archVariables = []string{"GO386", "GOAMD64", "GOARM", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM"}

// Build runs every job of plan, at most Parallelism at a time, in job
// order. The first failure cancels the jobs still running or waiting and is
// returned as a [*BuildError].
func (e LocalExecutor) Build(ctx context.Context, plan Plan, srcDir, binDir string) error {
	if len(plan.Jobs) == 0 {
		return invalidf("the plan has no jobs: build it with NewPlan")
	}
	absBin, err := filepath.Abs(binDir)
	if err != nil {
		return fmt.Errorf("resolve binary directory %s: %w", binDir, err)
	}
	if info, err := os.Stat(srcDir); err != nil {
		return invalidf("read source directory: %w: pass the directory holding go.mod", err)
	} else if !info.IsDir() {
		return invalidf("source %s is not a directory: pass the directory holding go.mod", srcDir)
	}
	goBin := e.GoBin
	if goBin == "" {
		goBin = "go"
	}
	parallel := e.Parallelism
	if parallel <= 0 {
		parallel = runtime.GOMAXPROCS(0)
	}
	env := buildEnviron(os.Environ())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex // guards firstErr, built and Progress
		firstErr error
		built    int
		sem      = make(chan struct{}, parallel)
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
dispatch:
	for _, job := range plan.Jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			break dispatch
		}
		if ctx.Err() != nil { // a job failed while this one waited for a slot
			<-sem
			break dispatch
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			start := time.Now()
			size, err := runJob(ctx, goBin, env, job, srcDir, absBin)
			if err != nil {
				fail(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			built++
			if e.Progress != nil {
				fmt.Fprintf(e.Progress, "built %s %s %s in %s\n", job.Target, job.BinaryName, formatSize(size), formatDuration(time.Since(start)))
			}
		}()
	}
	wg.Wait()
	switch {
	case firstErr != nil:
		return firstErr
	case built < len(plan.Jobs): // the caller's context ended first
		return fmt.Errorf("build %s: %d of %d binaries built: %w", plan.Name, built, len(plan.Jobs), context.Cause(ctx))
	}
	return nil
}

// runJob builds one binary and returns its size.
func runJob(ctx context.Context, goBin string, env []string, job Job, srcDir, binDir string) (int64, error) {
	args := job.ArgsFor(binDir)
	out := filepath.Join(binDir, filepath.FromSlash(job.OutPath))
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return 0, fmt.Errorf("create output directory for %s: %w", job.Target, err)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, goBin, args[1:]...)
	cmd.Dir = srcDir
	cmd.Env = slices.Concat(env, job.Env)
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second // compiler children may hold stderr after go is killed
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return 0, fmt.Errorf("go build for %s stopped: %w", job.Target, context.Cause(ctx))
		}
		return 0, &BuildError{Target: job.Target, Package: job.Package, Binary: job.BinaryName, Stderr: tail(stderr.String()), Err: err}
	}
	info, err := os.Stat(out)
	if err != nil {
		return 0, fmt.Errorf("go build for %s wrote no binary: %w", job.Target, err)
	}
	return info.Size(), nil
}

// buildEnviron drops the variables every job sets itself, and the CPU
// feature levels, from the inherited environment.
func buildEnviron(environ []string) []string {
	drop := append([]string{"CGO_ENABLED", "GOOS", "GOARCH"}, archVariables...)
	env := make([]string, 0, len(environ))
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, d := range drop {
			if strings.EqualFold(k, d) {
				keep = false
				break
			}
		}
		if keep {
			env = append(env, kv)
		}
	}
	return env
}

// tail keeps the last lines of the compiler output.
func tail(s string) string {
	s = strings.TrimRight(s, "\n")
	if len(s) > stderrTailBytes {
		s = s[len(s)-stderrTailBytes:]
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[i+1:]
		}
	}
	lines := strings.Split(s, "\n")
	if len(lines) > stderrTailLines {
		lines = lines[len(lines)-stderrTailLines:]
	}
	return strings.Join(lines, "\n")
}

func formatSize(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	default:
		return fmt.Sprintf("%d B", n)
	}
}

func formatDuration(d time.Duration) string {
	return fmt.Sprintf("%.1fs", d.Seconds())
}
