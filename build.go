package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/release"
)

// buildArgs are Build's arguments, as passed.
type buildArgs struct {
	Version         string
	Platforms       []string
	Packages        []string
	LDFlags         string
	GoVersion       string
	Builder         *dagger.Container
	Commit          string
	SourceDateEpoch string
}

// buildArchives runs the build plan in containers and packages the binaries with the same
// deterministic code the CLI uses, in this module's scratch directory.
func buildArchives(ctx context.Context, source *dagger.Directory, a buildArgs) (*dagger.Directory, error) {
	targets, err := build.ParsePlatforms(strings.Join(a.Platforms, ","))
	if err != nil {
		return nil, err
	}
	ctr := goContainer(a.Builder, a.GoVersion, source)

	gitHead := ""
	if a.Commit == "" || a.SourceDateEpoch == "" {
		// A source without git metadata has no commit: the stamp then needs --source-date-epoch.
		if out, err := ctr.WithExec([]string{"git", "log", "-1", "--format=%H %ct"}).Stdout(ctx); err == nil {
			gitHead = strings.TrimSpace(out)
		}
	}
	stamp, err := build.NewStamp(a.Version, a.SourceDateEpoch, gitHead)
	if err != nil && gitHead == "" {
		return nil, fmt.Errorf("%w (the source has no git metadata here: pass --source-date-epoch, e.g. $(git log -1 --format=%%ct), and --commit)", err)
	}
	if err != nil {
		return nil, err
	}
	if a.Commit != "" {
		stamp.Commit = a.Commit
	}

	work, err := os.MkdirTemp(".", "build-")
	if err != nil {
		return nil, err
	}
	docs := filepath.Join(work, "docs")
	goMod, err := exportDocs(ctx, source, docs)
	if err != nil {
		return nil, err
	}
	out := filepath.Join(work, "dist")
	_, err = release.Build(ctx, release.BuildSpec{
		Executor: containerExecutor{ctr: ctr},
		Config: build.Config{
			Version: a.Version, Packages: a.Packages, Targets: targets, Stamp: stamp,
			ExtraLDFlags: a.LDFlags, GoMod: goMod,
		},
		Source: docs,
		OutDir: out,
	})
	if err != nil {
		return nil, err
	}
	return dag.CurrentModule().Workdir(out), nil
}

// goContainer is builder (default golang:<goVersion>) with the source at /src and the Go caches
// in this module's cache volumes.
func goContainer(builder *dagger.Container, goVersion string, source *dagger.Directory) *dagger.Container {
	if builder == nil {
		builder = dag.Container().From("golang:" + goVersion)
	}
	return builder.
		WithMountedCache("/go/pkg/mod", dag.CacheVolume("release-preflight-go-mod")).
		WithEnvVariable("GOMODCACHE", "/go/pkg/mod").
		WithMountedCache("/root/.cache/go-build", dag.CacheVolume("release-preflight-go-build")).
		WithEnvVariable("GOCACHE", "/root/.cache/go-build").
		WithDirectory("/src", source).
		WithWorkdir("/src")
}

// exportDocs copies the source's top-level README, LICENSE and CHANGELOG files to dir, for the
// archives, and returns its go.mod.
func exportDocs(ctx context.Context, source *dagger.Directory, dir string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	names, err := source.Entries(ctx)
	if err != nil {
		return nil, err
	}
	var goMod []byte
	for _, name := range names {
		switch {
		case name == "go.mod":
			s, err := source.File(name).Contents(ctx)
			if err != nil {
				return nil, err
			}
			goMod = []byte(s)
		case build.IsDocFile(name):
			regular, err := source.Exists(ctx, name, dagger.DirectoryExistsOpts{ExpectedType: dagger.ExistsTypeRegularType})
			if err != nil {
				return nil, err
			}
			if !regular {
				continue
			}
			if _, err := source.File(name).Export(ctx, filepath.Join(dir, name)); err != nil {
				return nil, err
			}
		}
	}
	return goMod, nil
}

// containerExecutor runs every job of a plan in its own container, all at once, and exports the
// binaries to binDir. The source is already mounted in ctr, so srcDir is not read.
type containerExecutor struct {
	ctr *dagger.Container
}

func (e containerExecutor) Build(ctx context.Context, plan build.Plan, _ string, binDir string) error {
	errs := make([]error, len(plan.Jobs))
	var wg sync.WaitGroup
	for i, job := range plan.Jobs {
		wg.Go(func() {
			c := e.ctr
			for _, kv := range job.Env {
				k, v, _ := strings.Cut(kv, "=")
				c = c.WithEnvVariable(k, v)
			}
			bin := c.WithExec(job.ArgsFor("/out")).File(filepath.Join("/out", job.OutPath))
			if _, err := bin.Export(ctx, filepath.Join(binDir, job.OutPath)); err != nil {
				errs[i] = &build.BuildError{Target: job.Target, Package: job.Package, Binary: job.BinaryName, Err: err}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
