package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/release-preflight/release-preflight/internal/cli"
	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// cliPath is where the project's own CLI is put in the builder container.
const cliPath = "/usr/local/bin/release-preflight"

// buildArgs are where a build runs, as the functions take it.
type buildArgs struct {
	source    *dagger.Directory
	builder   *dagger.Container
	goVersion string
}

// build runs the build of o in the builder container and returns the directory it wrote.
func (m *ReleasePreflight) build(ctx context.Context, b buildArgs, o build.Options) (*dagger.Directory, error) {
	ctr, rep, err := b.run(ctx, o)
	if err != nil {
		return nil, m.fail(release.Request{Adapter: release.Dagger}.Finish(rep, err))
	}
	return ctr.Directory(cli.ContainerOut), nil
}

// releaseBuilder is the release.Builder of a Dagger release: the build runs in the builder container
// and its archives are exported to the directory the publish reads.
func (b buildArgs) releaseBuilder() release.Builder {
	return func(ctx context.Context, o build.Options) (build.Result, error) {
		ctr, _, err := b.run(ctx, o)
		if err != nil {
			return build.Result{}, err
		}
		if _, err := ctr.Directory(cli.ContainerOut).Export(ctx, o.OutDir); err != nil {
			return build.Result{}, fmt.Errorf("export the archives: %w", err)
		}
		stdout, err := ctr.Stdout(ctx)
		if err != nil {
			return build.Result{}, err
		}
		return cli.BuildResult([]byte(stdout), o.OutDir)
	}
}

// run runs the project's CLI build, in one exec, in the builder (golang:<go-version> unless one
// is given) with the source at cli.ContainerSource and the module's Go caches. A failed build
// comes back as the CLI reported it, with its report.
func (b buildArgs) run(ctx context.Context, o build.Options) (*dagger.Container, report.Report, error) {
	builder := b.builder
	if builder == nil {
		builder = dag.Container().From("golang:" + cmp.Or(b.goVersion, build.GoVersion))
	}
	platform, err := builder.Platform(ctx)
	if err != nil {
		return nil, report.Report{Command: "build"}, err
	}
	ctr, err := withGoCaches(builder).
		WithFile(cliPath, cliBinary(platform)).
		WithDirectory(cli.ContainerSource, b.source).
		WithWorkdir(cli.ContainerSource).
		WithExec(append([]string{cliPath}, cli.ContainerArgs(o)...)).
		Sync(ctx)
	var execErr *dagger.ExecError
	if errors.As(err, &execErr) {
		if rep, derr := report.Decode([]byte(execErr.Stdout)); derr == nil && rep.Err() != nil {
			return nil, rep, rep.Err()
		}
		return nil, report.Report{Command: "build"}, fmt.Errorf("the build in the container failed: %s", strings.TrimSpace(execErr.Stderr))
	}
	return ctr, report.Report{}, err
}

// cliBinary is the project's CLI built from this module's own source for platform, the
// builder's: a static binary, cached like any other build.
func cliBinary(platform dagger.Platform) *dagger.File {
	goos, rest, _ := strings.Cut(string(platform), "/")
	goarch, _, _ := strings.Cut(rest, "/")
	source := dag.CurrentModule().Source().Filter(dagger.DirectoryFilterOpts{
		Include: []string{"go.mod", "go.sum", "cmd/", "internal/", "pipeline/"},
	})
	return withGoCaches(dag.Container().From("golang:"+build.GoVersion)).
		WithDirectory("/release-preflight", source).
		WithWorkdir("/release-preflight").
		WithEnvVariable("CGO_ENABLED", "0").
		WithEnvVariable("GOOS", goos).
		WithEnvVariable("GOARCH", goarch).
		WithExec([]string{"go", "build", "-trimpath", "-ldflags", "-s -w", "-o", "/out/release-preflight", "./cmd/release-preflight"}).
		File("/out/release-preflight")
}

// withGoCaches mounts the module's Go module and build caches.
func withGoCaches(ctr *dagger.Container) *dagger.Container {
	return ctr.
		WithMountedCache("/go/pkg/mod", dag.CacheVolume("release-preflight-go-mod")).
		WithEnvVariable("GOMODCACHE", "/go/pkg/mod").
		WithMountedCache("/root/.cache/go-build", dag.CacheVolume("release-preflight-go-build")).
		WithEnvVariable("GOCACHE", "/root/.cache/go-build")
}

// remote is what the core needs to know of a source in the engine to check a build of it
// before the probe: its go.mod and whether it carries git metadata.
func remote(ctx context.Context, source *dagger.Directory) (*build.Remote, error) {
	r := &build.Remote{}
	hasMod, err := source.Exists(ctx, "go.mod")
	if err != nil {
		return nil, err
	}
	if hasMod {
		mod, err := source.File("go.mod").Contents(ctx)
		if err != nil {
			return nil, err
		}
		r.GoMod = []byte(mod)
	}
	if r.HasGit, err = source.Exists(ctx, ".git"); err != nil {
		return nil, err
	}
	return r, nil
}
