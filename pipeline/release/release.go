// Package release is the gated release pipeline: the permission probe runs first, and only a
// passed probe yields a Gate, the one value through which artifacts are built and published.
// Both adapters (the Dagger module and the CLI) go through it, so neither can build or publish
// before the probe has passed.
package release

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// Gate is a passed probe. Open is the only way to get one.
type Gate struct {
	client *githubapi.Client
	repo   githubapi.Repo
	probe  report.Report
}

// Open runs the probe and returns a Gate only if the token can publish. On failure the report
// says what failed and the fix, and the error is the classified probe error.
func Open(ctx context.Context, c *githubapi.Client, opts probe.Options) (*Gate, report.Report, error) {
	rep, err := probe.Run(ctx, c, opts)
	if err != nil {
		return nil, rep, err
	}
	return &Gate{client: c, repo: opts.Repo, probe: rep}, rep, nil
}

// Reopen rebuilds the gate a passed probe opened, for adapters whose probe and publish run in
// separate processes (each Dagger function call is one). passed is that probe's report: it must
// have passed, for this repository.
func Reopen(c *githubapi.Client, repo githubapi.Repo, passed report.Report) (*Gate, error) {
	if passed.Outcome != report.OutcomeOK || passed.Repo != repo.String() {
		return nil, fmt.Errorf("no passed probe for %s: run preflight for this repository first", repo)
	}
	return &Gate{client: c, repo: repo, probe: passed}, nil
}

// Probe is the report of the probe that opened the gate.
func (g *Gate) Probe() report.Report { return g.probe }

// Publish publishes opts.AssetsDir as the release for opts.Tag. The report carries the probe's
// fields (probe tag, requests so far) plus the release's: its URL (the draft's when it failed)
// and, once published, its assets.
func (g *Gate) Publish(ctx context.Context, opts publish.Options) (report.Report, error) {
	return g.publish(ctx, "publish", opts, time.Now())
}

// publish publishes opts.AssetsDir and reports it as command, with the time since start added
// to the probe's.
func (g *Gate) publish(ctx context.Context, command string, opts publish.Options, start time.Time) (report.Report, error) {
	opts.Repo = g.repo
	rep := g.report(command, opts.Tag)
	res, err := publish.Publish(ctx, g.client, opts)
	rep.Requests = g.client.Requests()
	rep.ElapsedMS += time.Since(start).Milliseconds()
	rep.Warnings = append(rep.Warnings, res.Warnings...)
	rep.ReleaseURL = res.HTMLURL
	if err != nil {
		Record(&rep, err)
		return rep, err
	}
	rep.Assets = res.Assets
	rep.Message = published(opts.Tag, res)
	Record(&rep, nil)
	return rep, nil
}

// report starts the report of command from the probe's.
func (g *Gate) report(command, tag string) report.Report {
	rep := g.probe
	rep.Command = command
	rep.Tag = tag
	rep.Message = ""
	rep.Warnings = append([]string{}, g.probe.Warnings...)
	return rep
}

// BuildSpec says what to build with which executor; the archives land in OutDir.
type BuildSpec struct {
	Executor build.Executor
	Config   build.Config
	Source   string
	OutDir   string
}

// Release builds spec with its executor into spec.OutDir, then publishes that directory.
func (g *Gate) Release(ctx context.Context, spec BuildSpec, opts publish.Options) (report.Report, error) {
	start := time.Now()
	if _, err := Build(ctx, spec); err != nil {
		rep := g.report("release", opts.Tag)
		rep.Requests = g.client.Requests()
		rep.ElapsedMS += time.Since(start).Milliseconds()
		Record(&rep, err)
		return rep, err
	}
	opts.AssetsDir = spec.OutDir
	return g.publish(ctx, "release", opts, start)
}

// Check validates spec without building anything, so adapters can refuse bad input before the
// probe sends a request: the build plan must be valid, and OutDir must not exist, or hold only
// files this build writes (its archives and SHA256SUMS, as a re-run finds them). Any other file
// there would be published along with the release. It returns the plan.
func (s BuildSpec) Check() (build.Plan, error) {
	plan, err := build.NewPlan(s.Config)
	if err != nil {
		return plan, err
	}
	if s.OutDir == "" {
		return plan, &githubapi.Error{Class: githubapi.ClassInvalidInput, Op: "check the output directory",
			Message: "no output directory was given", Remediation: "Pass the directory for the archives, e.g. --out dist."}
	}
	entries, err := os.ReadDir(s.OutDir)
	if errors.Is(err, fs.ErrNotExist) {
		return plan, nil
	}
	if err != nil {
		return plan, &githubapi.Error{Class: githubapi.ClassInvalidInput, Op: "check the output directory",
			Message: err.Error(), Remediation: "Pass a new or empty directory for the archives, e.g. --out dist."}
	}
	ours := map[string]bool{build.ChecksumsFile: true}
	for _, job := range plan.Jobs {
		ours[job.ArchiveName] = true
	}
	var foreign []string
	for _, e := range entries {
		if !ours[e.Name()] || !e.Type().IsRegular() {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) > 0 {
		return plan, &githubapi.Error{Class: githubapi.ClassInvalidInput, Op: "check the output directory",
			Message: fmt.Sprintf("%s already holds %s, which this build does not write and a release would publish",
				s.OutDir, strings.Join(foreign, ", ")),
			Remediation: "Pass a new or empty directory for the archives, or remove those files."}
	}
	return plan, nil
}

// Build checks spec, runs its plan with its executor into a scratch directory, and writes the
// deterministic archives (with the source's README, LICENSE and CHANGELOG files) and SHA256SUMS
// to spec.OutDir. It returns the archives, then SHA256SUMS.
func Build(ctx context.Context, spec BuildSpec) ([]build.Artifact, error) {
	plan, err := spec.Check()
	if err != nil {
		return nil, err
	}
	docs, err := build.DocFiles(spec.Source)
	if err != nil {
		return nil, err
	}
	binDir, err := os.MkdirTemp("", "release-preflight-bin-")
	if err != nil {
		return nil, fmt.Errorf("create scratch directory: %w", err)
	}
	defer os.RemoveAll(binDir)
	if err := spec.Executor.Build(ctx, plan, spec.Source, binDir); err != nil {
		return nil, err
	}
	outDir := filepath.Clean(spec.OutDir)
	arts, err := build.Package(plan, binDir, outDir, docs...)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(arts))
	for i, a := range arts {
		names[i] = a.Name
	}
	path, err := build.WriteChecksums(outDir, names)
	if err != nil {
		return arts, err
	}
	sums, err := os.ReadFile(path)
	if err != nil {
		return arts, fmt.Errorf("read %s: %w", build.ChecksumsFile, err)
	}
	sum := sha256.Sum256(sums)
	return append(arts, build.Artifact{
		Name: build.ChecksumsFile, Path: path, Size: int64(len(sums)), SHA256: hex.EncodeToString(sum[:]),
	}), nil
}

func published(tag string, res publish.Result) string {
	state := "published"
	if res.Draft {
		state = "left as a draft"
	}
	return fmt.Sprintf("release %s %s with %d assets: %s", tag, state, len(res.Assets), res.HTMLURL)
}
