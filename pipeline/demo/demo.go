// Package demo shows the whole point of release-preflight in one command, with no GitHub account:
// it starts the built-in GitHub emulator (internal/githubtest) in process and runs the gated
// release pipeline twice against it, first with a token clamped to read-only, then with a token
// that can write.
package demo

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/release-preflight/release-preflight/internal/githubtest"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// The demo's repository, tag and fixed build time (so its archives are reproducible too).
const (
	Repo            = "octo-org/hello"
	Tag             = "v1.0.0"
	SourceDateEpoch = "1767225600" // 2026-01-01T00:00:00Z
	clampedToken    = "demo-token-clamped-by-workflow-permissions"
	writeToken      = "demo-token-with-contents-write"
)

// Options configure Run.
type Options struct {
	// Out receives the narrative; nil discards it.
	Out io.Writer
	// Source is the Go project to build (the repository's examples/hello).
	Source string
	// Executor builds it: the local go toolchain in the CLI, containers in the Dagger module.
	// Default: build.LocalExecutor.
	Executor build.Executor
	// Platforms to build; default build.DefaultPlatforms.
	Platforms string
}

// Result is what the two runs did, for callers and tests.
type Result struct {
	Clamped report.Report // the first run: must fail as "clamped"
	Write   report.Report // the second run: must publish
	// BuildsWhileClamped counts executor runs during the clamped run: always 0.
	BuildsWhileClamped int
	// Releases is the emulator's release listing after both runs.
	Releases []githubtest.Release
}

// Run runs both scenarios and writes what a user would see to opts.Out. It fails if either
// scenario does not end as it should.
func Run(ctx context.Context, opts Options) (Result, error) {
	var res Result
	srv := githubtest.NewServer(githubtest.Options{})
	defer srv.Close()
	srv.AddRepo(Repo)
	srv.AddToken(clampedToken, githubtest.ModeClamped)
	srv.AddToken(writeToken, githubtest.ModeWrite)
	out := opts.Out
	if out == nil {
		out = io.Discard
	}
	fmt.Fprintf(out, "release-preflight demo: GitHub EMULATOR at %s (in process, not GitHub), repository %s\n\n", srv.APIURL(), Repo)

	platforms := opts.Platforms
	if platforms == "" {
		platforms = build.DefaultPlatforms
	}
	spec, cleanup, err := buildSpec(opts, platforms)
	if err != nil {
		return res, err
	}
	defer cleanup()
	if opts.Executor == nil {
		opts.Executor = build.LocalExecutor{}
	}
	counter := &countingExecutor{next: opts.Executor}
	spec.Executor = counter

	fmt.Fprintln(out, "1) token clamped to read-only by Settings → Actions → General → Workflow permissions")
	start := time.Now()
	res.Clamped, err = releaseWith(ctx, srv, clampedToken, spec)
	res.BuildsWhileClamped = int(counter.runs.Load())
	fmt.Fprint(out, indent(res.Clamped.Human()))
	fmt.Fprintf(out, "   → failed in %s after %d request(s); builds started: %d; releases in the repository: %d\n\n",
		time.Since(start).Round(time.Millisecond), res.Clamped.Requests, res.BuildsWhileClamped, len(srv.Releases(Repo)))
	if err == nil || res.Clamped.Class != string(githubapi.ClassClamped) || res.BuildsWhileClamped != 0 {
		return res, fmt.Errorf("demo: the clamped run ended as %q (error %v), not as a clamped probe before any build", res.Clamped.Class, err)
	}

	fmt.Fprintf(out, "2) token with contents: write: probe, build %s, publish %s\n", platforms, Tag)
	res.Write, err = releaseWith(ctx, srv, writeToken, spec)
	fmt.Fprint(out, indent(res.Write.Human()))
	if err != nil {
		return res, fmt.Errorf("demo: the write-token run failed: %w", err)
	}
	res.Releases = srv.Releases(Repo)
	fmt.Fprintf(out, "\nreleases in %s on the emulator (git tags: %v):\n", Repo, srv.Tags(Repo))
	for _, r := range res.Releases {
		fmt.Fprintf(out, "  %s  draft=%t  %d assets\n", r.TagName, r.Draft, len(r.Assets))
		slices.SortFunc(r.Assets, func(a, b githubtest.Asset) int { return strings.Compare(a.Name, b.Name) })
		for _, a := range r.Assets {
			fmt.Fprintf(out, "    %-40s %8d bytes  %s\n", a.Name, a.Size, a.State)
		}
	}
	return res, nil
}

// releaseWith runs the gated release of spec with token against srv.
func releaseWith(ctx context.Context, srv *githubtest.Server, token string, spec release.BuildSpec) (report.Report, error) {
	client, err := githubapi.NewClient(githubapi.Config{Token: token, APIURL: srv.APIURL(), UploadURL: srv.UploadURL()})
	if err != nil {
		return report.Report{}, err
	}
	repo, err := githubapi.ParseRepo(Repo)
	if err != nil {
		return report.Report{}, err
	}
	gate, rep, err := release.Open(ctx, client, probe.Options{Repo: repo})
	if err != nil {
		rep.Command = "release"
		return rep, err
	}
	return gate.Release(ctx, spec, publish.Options{Tag: Tag, Notes: "Published by `release-preflight demo` to the built-in emulator."})
}

func buildSpec(opts Options, platforms string) (release.BuildSpec, func(), error) {
	targets, err := build.ParsePlatforms(platforms)
	if err != nil {
		return release.BuildSpec{}, nil, err
	}
	stamp, err := build.NewStamp(Tag, SourceDateEpoch, "")
	if err != nil {
		return release.BuildSpec{}, nil, err
	}
	goMod, err := os.ReadFile(filepath.Join(opts.Source, "go.mod"))
	if err != nil {
		return release.BuildSpec{}, nil, fmt.Errorf("read the demo project: %w: run the demo from the repository root, or pass --source examples/hello", err)
	}
	outDir, err := os.MkdirTemp("", "release-preflight-demo-")
	if err != nil {
		return release.BuildSpec{}, nil, err
	}
	spec := release.BuildSpec{
		Config: build.Config{Targets: targets, Stamp: stamp, GoMod: goMod},
		Source: opts.Source,
		OutDir: outDir,
	}
	return spec, func() { os.RemoveAll(outDir) }, nil
}

// countingExecutor counts the builds it starts.
type countingExecutor struct {
	next build.Executor
	runs atomic.Int64
}

func (c *countingExecutor) Build(ctx context.Context, plan build.Plan, srcDir, binDir string) error {
	c.runs.Add(1)
	return c.next.Build(ctx, plan, srcDir, binDir)
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("   " + line + "\n")
	}
	return b.String()
}
