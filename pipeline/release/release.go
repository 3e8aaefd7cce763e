// Package release is the gated release pipeline both adapters run: input is checked first,
// before any request; then the permission probe; and only a passed probe yields a [Gate], the
// one value through which artifacts are built and published. Neither the CLI nor the Dagger
// module can build or publish before the probe has passed.
//
// The adapters differ only in where the build runs and where the assets come from: the CLI
// passes [build.Run] as the [Builder]; the Dagger module passes one that runs the CLI's build in
// its builder container and exports the result. Everything else is here.
package release

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// Builder builds per opts into opts.OutDir and returns what it wrote. [build.Run] is the one
// that builds on this machine.
type Builder func(ctx context.Context, opts build.Options) (build.Result, error)

// Fetcher writes the assets to publish into dir, an empty directory, after the probe has
// passed: for the Dagger module that is when the caller's build runs.
type Fetcher func(ctx context.Context, dir string) error

// Gate is a passed probe. [Open] is the only way to get one.
type Gate struct {
	client *githubapi.Client
	repo   githubapi.Repo
	probe  report.Report
	start  time.Time
}

// Open runs the probe and returns a Gate only if the token can publish. On failure the report
// says what failed and the fix, and the error is the classified probe error.
func Open(ctx context.Context, c *githubapi.Client, opts probe.Options) (*Gate, report.Report, error) {
	start := time.Now()
	rep, err := probe.Run(ctx, c, opts)
	if err != nil {
		return nil, rep, err
	}
	return &Gate{client: c, repo: opts.Repo, probe: rep, start: start}, rep, nil
}

// Release checks the build and publish input, runs the probe, builds with builder into
// b.OutDir and publishes what it built as the release p.Tag. Nothing is sent when the input is
// wrong, and nothing is built when the probe fails.
func Release(ctx context.Context, c *githubapi.Client, po probe.Options, b build.Options, p publish.Options, builder Builder) (report.Report, error) {
	rep := report.Report{Command: "release", Repo: po.Repo.String(), Tag: p.Tag}
	if err := CheckRelease(ctx, b, p); err != nil {
		return failed(rep, err)
	}
	gate, probeRep, err := Open(ctx, c, po)
	if err != nil {
		return failed(relabel(probeRep, rep), err)
	}
	return gate.Release(ctx, b, p, builder)
}

// CheckRelease refuses, before any request, the build and publish input of a release that can
// be refused without one.
func CheckRelease(ctx context.Context, b build.Options, p publish.Options) error {
	if _, err := b.Check(ctx); err != nil {
		return err
	}
	return publish.Check(p)
}

// Publish checks the publish input, runs the probe, has fetch write the assets (when it is not
// nil; otherwise they are in p.AssetsDir, checked and read before the probe, or p.AssetsDir is
// empty and the draft for the tag is published as it stands) and publishes them as the release
// p.Tag.
func Publish(ctx context.Context, c *githubapi.Client, po probe.Options, p publish.Options, fetch Fetcher) (report.Report, error) {
	rep := report.Report{Command: "publish", Repo: po.Repo.String(), Tag: p.Tag}
	var prep *publish.Prepared
	var err error
	if fetch == nil {
		prep, err = publish.Prepare(p)
	} else {
		err = publish.Check(p)
	}
	if err != nil {
		return failed(rep, err)
	}
	gate, probeRep, err := Open(ctx, c, po)
	if err != nil {
		return failed(relabel(probeRep, rep), err)
	}
	if fetch != nil {
		dir, err := os.MkdirTemp("", "release-preflight-assets-")
		if err != nil {
			return gate.fail("publish", p.Tag, fmt.Errorf("create a directory for the assets: %w", err))
		}
		defer os.RemoveAll(dir)
		if err := fetch(ctx, dir); err != nil {
			return gate.fail("publish", p.Tag, err)
		}
		p.AssetsDir = dir
		if prep, err = publish.Prepare(p); err != nil {
			return gate.fail("publish", p.Tag, err)
		}
	}
	return gate.publish(ctx, "publish", prep)
}

// Release builds b with builder, then publishes b.OutDir as the release p.Tag.
func (g *Gate) Release(ctx context.Context, b build.Options, p publish.Options, builder Builder) (report.Report, error) {
	res, err := builder(ctx, b)
	if err != nil {
		return g.fail("release", p.Tag, err)
	}
	p.AssetsDir = b.OutDir
	p.Known = res.Artifacts
	prep, err := publish.Prepare(p)
	if err != nil {
		return g.fail("release", p.Tag, err)
	}
	return g.publish(ctx, "release", prep)
}

// Publish publishes prep as the release for its tag. The report carries the probe's fields
// (probe tag, requests so far) and the release's: its URL (the draft's when it failed) and,
// once published, its assets.
func (g *Gate) Publish(ctx context.Context, prep *publish.Prepared) (report.Report, error) {
	return g.publish(ctx, "publish", prep)
}

func (g *Gate) publish(ctx context.Context, command string, prep *publish.Prepared) (report.Report, error) {
	prep = prep.For(g.repo)
	rep := g.report(command, prep.Tag())
	res, err := publish.Publish(ctx, g.client, prep)
	rep.Warnings = append(rep.Warnings, res.Warnings...)
	rep.ReleaseURL = res.HTMLURL
	if err != nil {
		return g.finish(rep, err)
	}
	rep.Assets = res.Assets
	switch {
	case res.Unchanged:
		rep.Message = fmt.Sprintf("release %s was already published with these %d assets; nothing to do: %s", prep.Tag(), len(res.Assets), res.HTMLURL)
	case res.Draft:
		rep.Message = fmt.Sprintf("release %s left as a draft with %d assets: %s", prep.Tag(), len(res.Assets), res.HTMLURL)
	default:
		rep.Message = fmt.Sprintf("release %s published with %d assets: %s", prep.Tag(), len(res.Assets), res.HTMLURL)
	}
	return g.finish(rep, nil)
}

// fail reports err, the failure of a step after the probe.
func (g *Gate) fail(command, tag string, err error) (report.Report, error) {
	return g.finish(g.report(command, tag), err)
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

// finish records err and the requests and time since the probe started.
func (g *Gate) finish(rep report.Report, err error) (report.Report, error) {
	rep.Requests = g.client.Requests()
	rep.ElapsedMS = time.Since(g.start).Milliseconds()
	report.FromError(&rep, err)
	return rep, err
}

// Build builds o with builder and reports the archives it wrote. It needs no token.
func Build(ctx context.Context, o build.Options, builder Builder) (report.Report, error) {
	start := time.Now()
	rep := report.Report{Command: "build", Tag: o.Version}
	res, err := builder(ctx, o)
	rep.ElapsedMS = time.Since(start).Milliseconds()
	if err == nil {
		for _, a := range res.Artifacts {
			rep.Assets = append(rep.Assets, report.Asset{Name: a.Name, Size: a.Size, SHA256: a.SHA256})
		}
		rep.Message = fmt.Sprintf("built %d archives and %s in %s", len(res.Artifacts)-1, build.ChecksumsFile, o.OutDir)
	}
	report.FromError(&rep, err)
	return rep, err
}

// Sweep deletes leftover probe drafts and reports what it deleted.
func Sweep(ctx context.Context, c *githubapi.Client, opts publish.SweepOptions) (report.Report, error) {
	start := time.Now()
	rep := report.Report{Command: "sweep", Repo: opts.Repo.String()}
	res, err := publish.Sweep(ctx, c, opts)
	rep.Requests = c.Requests()
	rep.ElapsedMS = time.Since(start).Milliseconds()
	rep.Swept = res.Deleted
	if err == nil {
		verb := "deleted"
		if opts.DryRun {
			verb = "would delete"
		}
		rep.Message = fmt.Sprintf("%s %d leftover probe drafts in %s", verb, len(res.Deleted), rep.Repo)
	}
	report.FromError(&rep, err)
	return rep, err
}

// Probe runs the probe and reports it.
func Probe(ctx context.Context, c *githubapi.Client, opts probe.Options) (report.Report, error) {
	_, rep, err := Open(ctx, c, opts)
	return rep, err
}

// failed records err, a failure before the probe, in rep.
func failed(rep report.Report, err error) (report.Report, error) {
	report.FromError(&rep, err)
	return rep, err
}

// relabel is the probe's report under the command and tag of rep.
func relabel(probeRep, rep report.Report) report.Report {
	probeRep.Command, probeRep.Tag = rep.Command, rep.Tag
	return probeRep
}
