// Package release is the one door both adapters go through. An adapter fills a [Request] with
// its flags or arguments and calls an entry point — [Probe], [Publish], [Release], [Build] or
// [Sweep] — which reads the raw inputs and checks everything it can before any request; then
// runs the permission probe; and only a passed probe yields a [Gate], the one value through
// which the preflight checks run and artifacts are built and published. Neither the CLI nor the
// Dagger module can build or publish before the probe has passed. Between the probe and the
// build the Gate runs the preflight checks (package checks): the tag's release, the tag and its
// rulesets, immutable releases, the asset and rate budgets, attestations and the token's
// lifetime; a failing check stops the release before anything is built or uploaded.
//
// Every entry point returns its report finished ([Request.Finish]): an error names the flag or
// argument of the adapter that passes the input at fault ([Inputs]), and nothing of a secret is
// left in it. The adapters differ only in where the build runs and where the assets come from:
// the CLI passes [build.Run] as the [Builder]; the Dagger module passes one that runs the CLI's
// build in its builder container and exports the result, and a [Fetcher] that exports the
// directory it was given.
package release

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/audit"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/checks"
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
	client  *githubapi.Client
	repo    githubapi.Repo
	probe   report.Report
	start   time.Time
	checked *checks.Result // the preflight checks, once [Gate.Check] ran them
	built   time.Duration  // what the build took, once [Gate.release] ran it
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

// Check runs the preflight checks of in against the gate's repository (in.Repo is set from it)
// and keeps their result for the report of every later step. The report is that of command;
// the error is the first failing check's, and then nothing may be built or uploaded.
func (g *Gate) Check(ctx context.Context, command string, in checks.Input) (report.Report, error) {
	in.Repo = g.repo
	res, err := checks.Run(ctx, g.client, in)
	g.checked = res
	rep := g.report(command, in.Tag)
	if res != nil {
		rep.ReleaseURL = res.ReleaseURL
	}
	return g.finish(rep, err)
}

// run is one command through the door: r's raw inputs read, its client built (for a command
// that talks to GitHub), then steps; the report comes back finished for r's adapter.
func run(ctx context.Context, command string, r Request, github bool, steps func(r Request, c *githubapi.Client) (report.Report, error)) (report.Report, error) {
	rep := report.Report{Command: command, Repo: r.Repo, Tag: r.Publish.Tag}
	r, err := r.read(github)
	if err != nil {
		return r.Finish(rep, err), err
	}
	var c *githubapi.Client
	if github {
		if c, err = r.client(); err != nil {
			return r.Finish(rep, err), err
		}
	}
	rep, err = steps(r, c)
	rep.Command = command
	if rep.Tag == "" {
		rep.Tag = r.Publish.Tag
	}
	var warnings []string
	if c != nil {
		warnings = c.Warnings()
	}
	return r.Finish(rep, err, warnings...), err
}

// Release checks the build, publish and check input of r, runs the probe, runs the preflight
// checks (with the plan's files and the commit being built), builds with builder into
// r.Build.OutDir (a temporary directory, removed after, when it is "") and publishes what it
// built as the release r.Publish.Tag, which is also the version it stamps. Nothing is sent when
// the input is wrong, and nothing is built when the probe or a check fails.
func Release(ctx context.Context, r Request, builder Builder) (report.Report, error) {
	return run(ctx, "release", r, true, func(r Request, c *githubapi.Client) (report.Report, error) {
		rep := report.Report{Repo: r.Probe.Repo.String(), Tag: r.Publish.Tag}
		r.Build.Version = r.Publish.Tag
		if r.Build.OutDir == "" {
			dir, err := os.MkdirTemp("", "release-preflight-dist-")
			if err != nil {
				return failed(rep, fmt.Errorf("create a scratch directory: %w", err))
			}
			defer os.RemoveAll(dir)
			r.Build.OutDir = dir
		}
		if err := publish.Validate(r.Publish); err != nil {
			return failed(rep, err)
		}
		if _, err := r.Build.Validate(ctx); err != nil {
			return failed(rep, err)
		}
		if err := r.Checks.Validate(); err != nil {
			return failed(rep, err)
		}
		plan, err := r.Build.Plan()
		if err != nil {
			return failed(rep, err)
		}
		gate, probeRep, err := Open(ctx, c, r.Probe)
		if err != nil {
			return probeRep, err
		}
		in := input(r.Checks, r.Publish)
		in.Commit = cmp.Or(r.Checks.Commit, builtCommit(ctx, r.Build))
		for _, name := range plan.Files() {
			in.Files = append(in.Files, checks.File{Name: name})
		}
		if rep, err := gate.Check(ctx, "release", in); err != nil {
			return rep, err
		}
		return gate.release(ctx, r.Build, r.Publish, builder)
	})
}

// builtCommit is the commit a build of b stamps: the one given, else a local source's HEAD;
// "" when that is not known before the build (a remote source, no git metadata).
func builtCommit(ctx context.Context, b build.Options) string {
	if b.Commit != "" || b.Remote != nil {
		return b.Commit
	}
	s, err := build.ResolveStamp(ctx, b.Source, cmp.Or(b.Version, build.DefaultVersion), "", b.SourceDateEpoch)
	if err != nil || s.Commit == build.NoCommit {
		return ""
	}
	return s.Commit
}

// input is the checks' input for publishing p with co.
func input(co checks.Options, p publish.Options) checks.Input {
	return checks.Input{Options: co, Tag: p.Tag, Target: p.Target, ReplaceAssets: p.ReplaceAssets, Draft: p.Draft, Prerelease: p.Prerelease}
}

// assetFiles are the checks' view of the files a publish uploads, SHA256SUMS included.
func assetFiles(files []publish.File) []checks.File {
	out := make([]checks.File, 0, len(files))
	for _, f := range files {
		out = append(out, checks.File{Name: f.Name, Size: f.Size, SHA256: f.SHA256})
	}
	return out
}

// Publish checks the publish and check input of r, runs the probe, runs the preflight checks,
// has fetch write the assets (when it is not nil; otherwise they are in r.Publish.AssetsDir,
// checked and read before the probe, or that is empty and the draft for the tag is published as
// it stands) and publishes them as the release r.Publish.Tag. With a fetcher the files are not
// known before it runs, so the asset budget (and the rate budget's count of uploads) is checked
// again once it has, before anything is uploaded.
func Publish(ctx context.Context, r Request, fetch Fetcher) (report.Report, error) {
	return run(ctx, "publish", r, true, func(r Request, c *githubapi.Client) (report.Report, error) {
		rep := report.Report{Repo: r.Probe.Repo.String(), Tag: r.Publish.Tag}
		p := r.Publish
		var prep *publish.Prepared
		var err error
		if fetch == nil {
			prep, err = publish.Prepare(p)
		} else {
			err = publish.Validate(p)
		}
		if err != nil {
			return failed(rep, err)
		}
		if err := r.Checks.Validate(); err != nil {
			return failed(rep, err)
		}
		gate, probeRep, err := Open(ctx, c, r.Probe)
		if err != nil {
			return probeRep, err
		}
		in := input(r.Checks, p)
		if prep != nil {
			in.Files = assetFiles(prep.Files()) // none in finish mode: the draft is published as it stands
		}
		if rep, err := gate.Check(ctx, "publish", in); err != nil {
			return rep, err
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
			if err := gate.checked.WithFiles(assetFiles(prep.Files()), c.Now()); err != nil {
				return gate.fail("publish", p.Tag, err)
			}
		}
		return gate.publish(ctx, "publish", prep)
	})
}

// release builds b with builder, then publishes b.OutDir as the release p.Tag.
func (g *Gate) release(ctx context.Context, b build.Options, p publish.Options, builder Builder) (report.Report, error) {
	started := time.Now()
	res, err := builder(ctx, b)
	g.built = time.Since(started)
	if err != nil {
		return g.fail("release", p.Tag, err)
	}
	p.AssetsDir = b.OutDir
	for _, a := range res.Artifacts {
		p.Known = append(p.Known, publish.File{Name: a.Name, Path: a.Path, Size: a.Size, SHA256: a.SHA256})
	}
	prep, err := publish.Prepare(p)
	if err != nil {
		return g.fail("release", p.Tag, err)
	}
	return g.publish(ctx, "release", prep)
}

// publish publishes prep as the release for its tag, with what the preflight checks decided
// (make_latest, the pace of the uploads). The report carries the probe's fields (probe tag,
// requests so far), the checks' and the release's: its URL (the draft's when it failed) and,
// once published, its assets.
func (g *Gate) publish(ctx context.Context, command string, prep *publish.Prepared) (report.Report, error) {
	prep = prep.For(g.repo)
	if g.checked != nil {
		prep = prep.Decided(g.checked.MakeLatest, g.checked.UploadInterval)
	}
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

// report starts the report of command from the probe's and the checks'.
func (g *Gate) report(command, tag string) report.Report {
	rep := g.probe
	rep.Command = command
	rep.Tag = tag
	rep.Message = ""
	rep.Warnings = append([]string{}, g.probe.Warnings...)
	if g.checked != nil {
		rep.Checks = slices.Clone(g.checked.Checks)
	}
	return rep
}

// finish records err and the requests and time since the probe started.
func (g *Gate) finish(rep report.Report, err error) (report.Report, error) {
	rep.Requests = g.client.Requests()
	rep.ElapsedMS = time.Since(g.start).Milliseconds()
	rep.BuildMS = g.built.Milliseconds()
	report.FromError(&rep, err)
	return rep, err
}

// Build builds r.Build with builder and reports the archives it wrote. It needs no token.
func Build(ctx context.Context, r Request, builder Builder) (report.Report, error) {
	return run(ctx, "build", r, false, func(r Request, _ *githubapi.Client) (report.Report, error) {
		o := r.Build
		start := time.Now()
		rep := report.Report{Tag: o.Version}
		res, err := builder(ctx, o)
		rep.ElapsedMS = time.Since(start).Milliseconds()
		rep.BuildMS = rep.ElapsedMS
		if err == nil {
			for _, a := range res.Artifacts {
				rep.Assets = append(rep.Assets, report.Asset{Name: a.Name, Size: a.Size, SHA256: a.SHA256})
			}
			rep.Message = fmt.Sprintf("built %d archives and %s in %s", len(res.Artifacts)-1, "SHA256SUMS", o.OutDir)
		}
		report.FromError(&rep, err)
		return rep, err
	})
}

// Sweep deletes leftover probe drafts and reports what it deleted.
func Sweep(ctx context.Context, r Request) (report.Report, error) {
	return run(ctx, "sweep", r, true, func(r Request, c *githubapi.Client) (report.Report, error) {
		start := time.Now()
		rep := report.Report{Repo: r.Sweep.Repo.String()}
		res, err := probe.Sweep(ctx, c, r.Sweep)
		rep.Requests = c.Requests()
		rep.ElapsedMS = time.Since(start).Milliseconds()
		rep.Swept, rep.DryRun = res.Deleted, r.Sweep.DryRun
		if err == nil {
			verb := "deleted"
			if r.Sweep.DryRun {
				verb = "would delete"
			}
			drafts := "drafts"
			if len(res.Deleted) == 1 {
				drafts = "draft"
			}
			rep.Message = fmt.Sprintf("%s %d leftover probe %s in %s", verb, len(res.Deleted), drafts, rep.Repo)
		}
		report.FromError(&rep, err)
		return rep, err
	})
}

// Probe runs the probe and then the preflight checks of publishing r.Publish (its tag, assets
// directory, target, replace and draft choices; all optional) with r.Checks, and reports both:
// without a tag only the checks that need none run, without assets the asset budget is
// skipped. fetch, when not nil, writes the assets to check once the probe has passed (as
// [Publish] has it). Its input is checked before any request.
func Probe(ctx context.Context, r Request, fetch Fetcher) (report.Report, error) {
	return run(ctx, "probe", r, true, func(r Request, c *githubapi.Client) (report.Report, error) {
		p := r.Publish
		rep := report.Report{Repo: r.Probe.Repo.String(), Tag: p.Tag}
		files, err := checkProbe(r.Checks, p)
		if err != nil {
			return failed(rep, err)
		}
		gate, rep, err := Open(ctx, c, r.Probe)
		if err != nil {
			rep.Tag = p.Tag
			return rep, err
		}
		if fetch != nil {
			dir, err := os.MkdirTemp("", "release-preflight-assets-")
			if err != nil {
				return gate.fail("probe", p.Tag, fmt.Errorf("create a directory for the assets: %w", err))
			}
			defer os.RemoveAll(dir)
			if err := fetch(ctx, dir); err != nil {
				return gate.fail("probe", p.Tag, err)
			}
			if files, err = publish.Plan(dir); err != nil {
				return gate.fail("probe", p.Tag, err)
			}
		}
		in := input(r.Checks, p)
		if files != nil {
			in.Files = assetFiles(files)
		}
		if rep, err := gate.Check(ctx, "probe", in); err != nil {
			return rep, err
		}
		rep = gate.report("probe", p.Tag)
		rep.Message = gate.probe.Message + "; " + summary(rep.Checks)
		return gate.finish(rep, nil)
	})
}

// checkProbe refuses, before any request, the probe input that can be refused without one,
// and returns the files a publish of p.AssetsDir would upload (nil without one), read as the
// publish reads them: a checksum file that does not match them fails here.
func checkProbe(co checks.Options, p publish.Options) ([]publish.File, error) {
	if err := co.Validate(); err != nil {
		return nil, err
	}
	if p.Tag != "" {
		q := p
		q.AssetsDir = ""
		if err := publish.Validate(q); err != nil {
			return nil, err
		}
	}
	if p.AssetsDir == "" {
		return nil, nil
	}
	return publish.Plan(p.AssetsDir)
}

// summary counts the checks by status: "checks: 5 ok, 1 warn, 4 skipped".
func summary(cs []report.Check) string {
	counts := map[string]int{}
	for _, c := range cs {
		counts[c.Status]++
	}
	out := "checks:"
	sep := " "
	for _, status := range []string{report.CheckOK, report.CheckWarn, report.CheckFail, report.CheckSkipped} {
		if counts[status] > 0 {
			out += fmt.Sprintf("%s%d %s", sep, counts[status], status)
			sep = ", "
		}
	}
	return out
}

// failed records err, a failure before the probe, in rep.
func failed(rep report.Report, err error) (report.Report, error) {
	report.FromError(&rep, err)
	return rep, err
}

// Audit audits the GitHub Actions workflows of the repository whose root is repo (its
// .github/workflows) and reports every finding. It needs no token and sends nothing.
func Audit(ctx context.Context, r Request, repo fs.FS) (report.Report, error) {
	return run(ctx, "audit", r, false, func(Request, *githubapi.Client) (report.Report, error) {
		res, err := audit.Audit(repo)
		rep := report.Report{Findings: res.Findings, Message: res.Summary()}
		report.FromError(&rep, err)
		return rep, err
	})
}
