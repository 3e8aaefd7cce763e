// Package demo shows the whole point of release-preflight in one command, with no GitHub account:
// it starts the built-in GitHub emulator (internal/emulator) in process and runs the gated
// release pipeline twice against it, first with a token clamped to read-only, then with a token
// that can write.
package demo

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/sample"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
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

// DefaultPlatforms are what the demo builds when Options.Platforms is empty: two of the build's
// six default targets, one archived as a tar.gz and one as a zip. On a machine whose Go cache is
// empty each target compiles the standard library, which makes most of a first demo's time;
// --platforms builds any others, build.DefaultPlatforms all six.
const DefaultPlatforms = "linux/amd64,windows/amd64"

// Options configure Run.
type Options struct {
	// Out receives the narrative; nil discards it.
	Out io.Writer
	// Build builds the sample. Default: build.Run, which uses the go command on this machine.
	Build release.Builder
	// Platforms to build; default DefaultPlatforms.
	Platforms string
	// Progress gets the build's progress lines; nil discards them.
	Progress io.Writer
	// GoBin is the go command; default "go" from PATH.
	GoBin string
}

// Result is what the two runs did, for callers and tests.
type Result struct {
	Clamped report.Report // the first run: must fail as "clamped"
	Write   report.Report // the second run: must publish
	// BuildsWhileClamped counts executor runs during the clamped run: always 0.
	BuildsWhileClamped int
	// Releases is the emulator's release listing after both runs.
	Releases []emulator.Release
	// Emulator is the emulator's API URL.
	Emulator string
}

// JSON renders res and err, what [Run] returned, as one newline-terminated JSON object, the
// CLI's demo --json: outcome, class and message as every command has them, the two runs'
// reports (the clamped one, then the write one), the builds started during the clamped run and
// the releases on the emulator afterwards, each with its assets.
func (res Result) JSON(err error) ([]byte, error) {
	type asset struct {
		Name  string `json:"name"`
		Size  int64  `json:"size"`
		State string `json:"state"`
	}
	type rel struct {
		Tag    string  `json:"tag"`
		Draft  bool    `json:"draft"`
		Assets []asset `json:"assets"`
	}
	out := struct {
		Outcome            string          `json:"outcome"`
		Class              string          `json:"class"`
		Command            string          `json:"command"`
		Message            string          `json:"message"`
		Emulator           string          `json:"emulator"`
		Runs               []report.Report `json:"runs"`
		BuildsWhileClamped int             `json:"builds_while_clamped"`
		Releases           []rel           `json:"releases"`
	}{Outcome: report.OutcomeOK, Class: string(outcome.OK), Command: "demo", Emulator: res.Emulator,
		BuildsWhileClamped: res.BuildsWhileClamped, Releases: []rel{}, Runs: []report.Report{}}
	for _, r := range []report.Report{res.Clamped, res.Write} {
		if r.Outcome != "" {
			if r.Warnings == nil {
				r.Warnings = []string{}
			}
			out.Runs = append(out.Runs, r)
		}
	}
	for _, r := range res.Releases {
		x := rel{Tag: r.TagName, Draft: r.Draft, Assets: []asset{}}
		for _, a := range r.Assets {
			x.Assets = append(x.Assets, asset{Name: a.Name, Size: a.Size, State: a.State})
		}
		out.Releases = append(out.Releases, x)
	}
	if err != nil {
		out.Outcome, out.Class, out.Message = report.OutcomeFailed, string(outcome.ClassOf(err)), err.Error()
	} else {
		out.Message = fmt.Sprintf("the clamped token failed after %d request(s) with no build started; the write token published %s with %d assets",
			res.Clamped.Requests, Tag, len(res.Write.Assets))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode the demo's result: %w", err)
	}
	return buf.Bytes(), nil
}

// Run runs both scenarios and writes what a user would see to opts.Out. It fails if either
// scenario does not end as it should.
func Run(ctx context.Context, opts Options) (Result, error) {
	var res Result
	srv := emulator.NewServer(emulator.Options{})
	defer srv.Close()
	srv.AddRepo(Repo)
	srv.AddToken(clampedToken, emulator.ModeClamped)
	srv.AddToken(writeToken, emulator.ModeWrite)
	res.Emulator = srv.APIURL()
	out := opts.Out
	if out == nil {
		out = io.Discard
	}
	platforms := cmp.Or(opts.Platforms, DefaultPlatforms)
	building := "building " + platforms
	if platforms == DefaultPlatforms {
		building += " (2 of the 6 default platforms; --platforms to choose)"
	}
	fmt.Fprintf(out, "release-preflight demo: GitHub EMULATOR at %s (in process, not GitHub), repository %s, %s\n\n", srv.APIURL(), Repo, building)

	src, err := os.MkdirTemp("", "release-preflight-demo-src-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(src)
	if _, err := sample.WriteHello(src, build.GoVersion); err != nil {
		return res, err
	}
	var builds atomic.Int64
	builder := opts.Build
	if builder == nil {
		builder = build.Run
	}
	counting := func(ctx context.Context, o build.Options) (build.Result, error) {
		builds.Add(1)
		return builder(ctx, o)
	}
	bo := build.Options{Source: src, Version: Tag, Platforms: platforms, SourceDateEpoch: SourceDateEpoch,
		Progress: opts.Progress, GoBin: opts.GoBin}

	fmt.Fprintln(out, "1) token clamped to read-only by Settings → Actions → General → Workflow permissions")
	start := time.Now()
	res.Clamped, err = releaseWith(ctx, srv, clampedToken, bo, counting)
	res.BuildsWhileClamped = int(builds.Load())
	fmt.Fprint(out, indent(res.Clamped.Human()))
	fmt.Fprintf(out, "   → failed in %s after %d request(s); builds started: %d; releases in the repository: %d\n\n",
		time.Since(start).Round(time.Millisecond), res.Clamped.Requests, res.BuildsWhileClamped, len(srv.Releases(Repo)))
	if err == nil || res.Clamped.Class != string(outcome.Clamped) || res.BuildsWhileClamped != 0 {
		return res, fmt.Errorf("demo: the clamped run ended as %q (error %v), not as a clamped probe before any build", res.Clamped.Class, err)
	}

	fmt.Fprintf(out, "2) token with contents: write: probe, build %s, publish %s\n", platforms, Tag)
	res.Write, err = releaseWith(ctx, srv, writeToken, bo, counting)
	fmt.Fprint(out, indent(res.Write.Human()))
	if err != nil {
		return res, fmt.Errorf("demo: the write-token run failed: %w", err)
	}
	res.Releases = srv.Releases(Repo)
	fmt.Fprintf(out, "\nreleases in %s on the emulator (git tags: %v):\n", Repo, srv.Tags(Repo))
	for _, r := range res.Releases {
		fmt.Fprintf(out, "  %s  draft=%t  %d assets\n", r.TagName, r.Draft, len(r.Assets))
		slices.SortFunc(r.Assets, func(a, b emulator.Asset) int { return strings.Compare(a.Name, b.Name) })
		for _, a := range r.Assets {
			fmt.Fprintf(out, "    %-40s %8d bytes  %s\n", a.Name, a.Size, a.State)
		}
	}
	return res, nil
}

// releaseWith runs the gated release of the sample with token against srv, into a new
// directory, through the door the command line uses.
func releaseWith(ctx context.Context, srv *emulator.Server, token string, bo build.Options, builder release.Builder) (report.Report, error) {
	out, err := os.MkdirTemp("", "release-preflight-demo-")
	if err != nil {
		return report.Report{}, err
	}
	defer os.RemoveAll(out)
	bo.OutDir = filepath.Join(out, "dist")
	return release.Release(ctx, release.Request{
		GitHub:  githubapi.Config{Token: token, APIURL: srv.APIURL(), UploadURL: srv.UploadURL()},
		Repo:    Repo,
		Build:   bo,
		Publish: publish.Options{Tag: Tag, Notes: "Published by `release-preflight demo` to the built-in emulator."},
	}, builder)
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("   " + line + "\n")
	}
	return b.String()
}
