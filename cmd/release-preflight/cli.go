package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/demo"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

const usage = `release-preflight checks that a GitHub token can publish a release before anything is built.

Usage:
  release-preflight probe   --repo OWNER/NAME [--api-url URL] [--upload-url URL] [--run-id ID] [--run-attempt N] [--json]
  release-preflight release --repo OWNER/NAME --tag TAG [--source DIR] [--platforms LIST] [--out DIR] [publish flags]
  release-preflight publish --repo OWNER/NAME --tag TAG --assets DIR [publish flags]
  release-preflight build   --out DIR [--source DIR] [--version TAG] [--platforms LIST]
  release-preflight sweep   --repo OWNER/NAME [--older-than 1h] [--dry-run]
  release-preflight demo    [--source examples/hello]

release and publish run the probe first and stop before building or uploading if it fails.
The token is read from $GITHUB_TOKEN, else $GH_TOKEN (--token-env NAME reads $NAME instead);
never from a flag. --repo, --api-url, --run-id and --run-attempt default to $GITHUB_REPOSITORY,
$GITHUB_API_URL, $GITHUB_RUN_ID and $GITHUB_RUN_ATTEMPT.

With GITHUB_ACTIONS=true the result is also printed as workflow commands (::error, ::warning;
on stderr with --json) and appended as Markdown to $GITHUB_STEP_SUMMARY when it is set.

Exit status: 0 verified; 2 bad usage or input (nothing sent); 3 a permission problem (clamped
token, fine-grained token permission, SSO, bad credentials, no access); 4 transient after
retries (rate limit, 5xx, network); 1 anything else.

Run "release-preflight COMMAND -h" for a command's flags.
`

// cli is the command line over the pipeline packages: flags in, exit status out.
type cli struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// httpClient and retry are for tests; zero values are the production defaults.
	httpClient *http.Client
	retry      githubapi.RetryPolicy
}

func newCLI(stdout, stderr io.Writer, getenv func(string) string) *cli {
	return &cli{stdout: stdout, stderr: stderr, getenv: getenv}
}

func (c *cli) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage)
		return 2
	}
	commands := map[string]func(context.Context, []string) int{
		"probe":   c.probe,
		"release": c.release,
		"publish": c.publish,
		"build":   c.build,
		"sweep":   c.sweep,
		"demo":    c.demo,
	}
	switch name := args[0]; name {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(c.stdout, usage)
		return 0
	default:
		cmd, ok := commands[name]
		if !ok {
			fmt.Fprintf(c.stderr, "release-preflight: unknown command %q: run release-preflight --help for the list\n", name)
			return 2
		}
		return cmd(ctx, args[1:])
	}
}

// gitHubFlags are the flags of every command that talks to GitHub.
type gitHubFlags struct {
	repo, apiURL, uploadURL, tokenEnv string
	asJSON                            bool
}

func (c *cli) gitHubFlags(fs *flag.FlagSet) *gitHubFlags {
	g := &gitHubFlags{}
	fs.StringVar(&g.repo, "repo", c.getenv("GITHUB_REPOSITORY"), "repository as `OWNER/NAME` (default $GITHUB_REPOSITORY)")
	fs.StringVar(&g.apiURL, "api-url", c.getenv("GITHUB_API_URL"), "REST API base `URL`; GitHub Enterprise Server: https://HOST/api/v3/ (default $GITHUB_API_URL, else https://api.github.com/)")
	fs.StringVar(&g.uploadURL, "upload-url", "", "upload base `URL` (default: derived from --api-url)")
	fs.StringVar(&g.tokenEnv, "token-env", "", "read the token from environment variable `NAME` (default GITHUB_TOKEN, else GH_TOKEN)")
	fs.BoolVar(&g.asJSON, "json", false, "print the result as one JSON object")
	return g
}

// probeFlags are the flags that name the probe tag.
func (c *cli) probeFlags(fs *flag.FlagSet) *probe.Options {
	o := &probe.Options{}
	fs.StringVar(&o.RunID, "run-id", c.getenv("GITHUB_RUN_ID"), "workflow run `ID` that names the probe tag (default $GITHUB_RUN_ID)")
	fs.StringVar(&o.RunAttempt, "run-attempt", c.getenv("GITHUB_RUN_ATTEMPT"), "workflow run attempt `N` (default $GITHUB_RUN_ATTEMPT)")
	return o
}

// publishFlags are the flags that shape the release.
type publishFlags struct {
	opts       publish.Options
	prerelease string
	notesFile  string
}

func publishFlagSet(fs *flag.FlagSet) *publishFlags {
	p := &publishFlags{}
	fs.StringVar(&p.opts.Tag, "tag", "", "release `TAG`, e.g. v1.2.3 (required)")
	fs.BoolVar(&p.opts.Draft, "draft", false, "leave the release as a draft for a human to publish")
	fs.StringVar(&p.prerelease, "prerelease", "auto", "mark as pre-release: true, false or auto (from a semver suffix such as -rc.1)")
	fs.StringVar(&p.opts.Notes, "notes", "", "release notes (Markdown)")
	fs.StringVar(&p.notesFile, "notes-file", "", "read the release notes from `FILE`")
	fs.BoolVar(&p.opts.GenerateNotes, "generate-notes", false, "let GitHub generate the release notes")
	fs.StringVar(&p.opts.Target, "target", "", "commit or branch the tag is created from (default: the default branch)")
	fs.BoolVar(&p.opts.ReplaceAssets, "replace-assets", false, "replace same-named assets of an already published release")
	fs.IntVar(&p.opts.Concurrency, "concurrency", 4, "uploads at a time")
	return p
}

// resolve returns the publish options for the files in assetsDir ("" for release, which builds
// them), checked as far as they can be before any request.
func (p *publishFlags) resolve(assetsDir string) (publish.Options, error) {
	opts := p.opts
	opts.AssetsDir = assetsDir
	if opts.Tag == "" {
		return opts, invalid("--tag is required: pass the release tag, e.g. --tag v1.2.3")
	}
	pre, err := release.ParsePrerelease(p.prerelease)
	if err != nil {
		return opts, err
	}
	opts.Prerelease = pre
	if p.notesFile != "" {
		b, err := os.ReadFile(p.notesFile)
		if err != nil {
			return opts, invalid("read --notes-file: %v: pass a readable Markdown file", err)
		}
		opts.Notes = string(b)
	}
	return opts, publish.Check(opts)
}

// buildFlags are the flags that shape the build.
type buildFlags struct {
	source, platforms, packages, ldflags, name string
}

func buildFlagSet(fs *flag.FlagSet) *buildFlags {
	b := &buildFlags{}
	fs.StringVar(&b.source, "source", ".", "Go module to build")
	fs.StringVar(&b.platforms, "platforms", build.DefaultPlatforms, "comma-separated GOOS/GOARCH `LIST`")
	fs.StringVar(&b.packages, "packages", ".", "comma-separated main packages, relative to --source")
	fs.StringVar(&b.ldflags, "ldflags", "", "extra -ldflags appended to -s -w -X main.version=… -X main.commit=… -X main.date=…")
	fs.StringVar(&b.name, "name", "", "project name in archive names (default: from the package or go.mod)")
	return b
}

func (c *cli) buildSpec(ctx context.Context, b *buildFlags, tag, outDir string) (release.BuildSpec, error) {
	targets, err := build.ParsePlatforms(b.platforms)
	if err != nil {
		return release.BuildSpec{}, err
	}
	stamp, err := build.ResolveStamp(ctx, b.source, tag, c.getenv)
	if err != nil {
		return release.BuildSpec{}, err
	}
	goMod, err := os.ReadFile(filepath.Join(b.source, "go.mod"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return release.BuildSpec{}, fmt.Errorf("read go.mod: %w", err)
	}
	spec := release.BuildSpec{
		Executor: build.LocalExecutor{Progress: c.stderr},
		Config: build.Config{
			Name: b.name, Packages: splitList(b.packages), Targets: targets, Stamp: stamp,
			ExtraLDFlags: b.ldflags, GoMod: goMod,
		},
		Source: b.source,
		OutDir: outDir,
	}
	// Refuse bad input here, before the probe sends anything.
	if _, err := spec.Check(); err != nil {
		return release.BuildSpec{}, err
	}
	return spec, nil
}

func (c *cli) probe(ctx context.Context, args []string) int {
	fs := c.flagSet("probe")
	g := c.gitHubFlags(fs)
	po := c.probeFlags(fs)
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	rep := report.Report{Command: "probe", Repo: g.repo}
	client, repo, err := c.client(g)
	if err != nil {
		return c.finish(rep, err, g.asJSON)
	}
	po.Repo = repo
	_, rep, err = release.Open(ctx, client, *po)
	return c.finish(rep, err, g.asJSON)
}

func (c *cli) publish(ctx context.Context, args []string) int {
	fs := c.flagSet("publish")
	g := c.gitHubFlags(fs)
	po := c.probeFlags(fs)
	pf := publishFlagSet(fs)
	assets := fs.String("assets", "", "directory whose files are the release assets (required)")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	rep := report.Report{Command: "publish", Repo: g.repo, Tag: pf.opts.Tag}
	if *assets == "" {
		return c.finish(rep, invalid("--assets is required: pass the directory of files to publish, e.g. --assets dist"), g.asJSON)
	}
	opts, err := pf.resolve(*assets)
	if err != nil {
		return c.finish(rep, err, g.asJSON)
	}
	opts.Progress = c.stderr
	gate, rep, err := c.open(ctx, g, po, rep)
	if err != nil {
		return c.finish(rep, err, g.asJSON)
	}
	rep, err = gate.Publish(ctx, opts)
	return c.finish(rep, err, g.asJSON)
}

func (c *cli) release(ctx context.Context, args []string) int {
	fs := c.flagSet("release")
	g := c.gitHubFlags(fs)
	po := c.probeFlags(fs)
	pf := publishFlagSet(fs)
	bf := buildFlagSet(fs)
	out := fs.String("out", "", "keep the archives and SHA256SUMS in `DIR` (default: a temporary directory, removed)")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	rep := report.Report{Command: "release", Repo: g.repo, Tag: pf.opts.Tag}
	opts, err := pf.resolve("")
	if err != nil {
		return c.finish(rep, err, g.asJSON)
	}
	opts.Progress = c.stderr
	outDir := *out
	if outDir == "" {
		tmp, err := os.MkdirTemp("", "release-preflight-dist-")
		if err != nil {
			return c.finish(rep, fmt.Errorf("create scratch directory: %w", err), g.asJSON)
		}
		defer os.RemoveAll(tmp)
		outDir = tmp
	}
	spec, err := c.buildSpec(ctx, bf, opts.Tag, outDir)
	if err != nil {
		return c.finish(rep, err, g.asJSON)
	}
	gate, rep, err := c.open(ctx, g, po, rep)
	if err != nil {
		return c.finish(rep, err, g.asJSON)
	}
	rep, err = gate.Release(ctx, spec, opts)
	return c.finish(rep, err, g.asJSON)
}

func (c *cli) build(ctx context.Context, args []string) int {
	fs := c.flagSet("build")
	bf := buildFlagSet(fs)
	version := fs.String("version", "v0.0.0-snapshot", "version stamped into main.version and the archive names")
	out := fs.String("out", "", "write the archives and SHA256SUMS to `DIR` (required)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	rep := report.Report{Command: "build", Tag: *version}
	if *out == "" {
		return c.finish(rep, invalid("--out is required: pass the directory for the archives"), *asJSON)
	}
	spec, err := c.buildSpec(ctx, bf, *version, *out)
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	rep, err = release.BuildReport(ctx, spec)
	rep.Tag = *version
	return c.finish(rep, err, *asJSON)
}

func (c *cli) sweep(ctx context.Context, args []string) int {
	fs := c.flagSet("sweep")
	g := c.gitHubFlags(fs)
	olderThan := fs.String("older-than", "1h", "delete only probe drafts older than this positive `DURATION`")
	dryRun := fs.Bool("dry-run", false, "list what would be deleted without deleting it")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	rep := report.Report{Command: "sweep", Repo: g.repo}
	age, err := release.ParseAge(*olderThan)
	if err != nil {
		return c.finish(rep, err, g.asJSON)
	}
	client, repo, err := c.client(g)
	if err != nil {
		return c.finish(rep, err, g.asJSON)
	}
	rep, err = release.Sweep(ctx, client, publish.SweepOptions{Repo: repo, OlderThan: age, DryRun: *dryRun})
	return c.finish(rep, err, g.asJSON)
}

func (c *cli) demo(ctx context.Context, args []string) int {
	fs := c.flagSet("demo")
	source := fs.String("source", "examples/hello", "Go project the demo builds and publishes to the emulator")
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	if _, err := demo.Run(ctx, demo.Options{Out: c.stdout, Source: *source, Executor: build.LocalExecutor{Progress: c.stderr}}); err != nil {
		fmt.Fprintf(c.stderr, "error: %v\n", err)
		return 1
	}
	return 0
}

// open builds a client and runs the probe; rep carries the command's fields into the probe report.
func (c *cli) open(ctx context.Context, g *gitHubFlags, po *probe.Options, rep report.Report) (*release.Gate, report.Report, error) {
	client, repo, err := c.client(g)
	if err != nil {
		return nil, rep, err
	}
	po.Repo = repo
	gate, probeRep, err := release.Open(ctx, client, *po)
	probeRep.Command, probeRep.Tag = rep.Command, rep.Tag
	return gate, probeRep, err
}

// client reads the token from the environment and builds the GitHub client.
func (c *cli) client(g *gitHubFlags) (*githubapi.Client, githubapi.Repo, error) {
	repo, err := githubapi.ParseRepo(g.repo)
	if err != nil {
		return nil, repo, err
	}
	token, err := c.token(g.tokenEnv)
	if err != nil {
		return nil, repo, err
	}
	client, err := githubapi.NewClient(githubapi.Config{
		Token: token, APIURL: g.apiURL, UploadURL: g.uploadURL, HTTPClient: c.httpClient, Retry: c.retry,
	})
	return client, repo, err
}

func (c *cli) token(name string) (string, error) {
	if name != "" {
		if t := c.getenv(name); t != "" {
			return t, nil
		}
		return "", invalid("no token in $%s: export a token with contents: write in it, or drop --token-env", name)
	}
	for _, name := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
		if t := c.getenv(name); t != "" {
			return t, nil
		}
	}
	return "", invalid("no token: set GITHUB_TOKEN (or GH_TOKEN) to a token with contents: write, or name another variable with --token-env")
}

// finish prints the report and returns the exit status of its class. A report the pipeline
// returned has recorded err already; one the CLI made itself records it here.
func (c *cli) finish(rep report.Report, err error, asJSON bool) int {
	if rep.Outcome == "" {
		release.Record(&rep, err)
	}
	out := c.stdout
	if rep.Outcome != report.OutcomeOK && !asJSON {
		out = c.stderr
	}
	if asJSON {
		b, jerr := rep.JSON()
		if jerr != nil {
			fmt.Fprintf(c.stderr, "error: encode report: %v\n", jerr)
			return 1
		}
		c.stdout.Write(b)
	} else {
		fmt.Fprint(out, rep.Human())
	}
	if c.getenv("GITHUB_ACTIONS") == "true" {
		cmdOut := c.stdout
		if asJSON {
			cmdOut = c.stderr
		}
		for _, line := range rep.WorkflowCommands() {
			fmt.Fprintln(cmdOut, line)
		}
		if path := c.getenv("GITHUB_STEP_SUMMARY"); path != "" {
			if err := report.AppendStepSummary(path, rep.Markdown()); err != nil {
				fmt.Fprintf(c.stderr, "warning: %v\n", err)
			}
		}
	}
	return githubapi.Class(rep.Class).ExitCode()
}

func (c *cli) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("release-preflight "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return fs
}

// parse parses args; ok is false when the command should exit with code.
func (c *cli) parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "%s: unexpected argument %q: every value is passed with a flag, see -h\n", fs.Name(), fs.Arg(0))
		return 2, false
	}
	return 0, true
}

func invalid(format string, args ...any) error {
	return &githubapi.Error{Class: githubapi.ClassInvalidInput, Op: "check input", Message: fmt.Sprintf(format, args...)}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
