// Package cli is the release-preflight command line, the plain-Go twin of the Dagger module:
// flags and environment in, a report and an exit status out. It is an adapter over the
// pipeline packages and holds no logic of its own beyond reading its input. The Dagger module
// runs its build command inside the builder container ([BuildArgs]), so both adapters build
// with the same code.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/checks"
	"github.com/release-preflight/release-preflight/pipeline/demo"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// Usage is the text of release-preflight --help.
const Usage = `release-preflight checks that a GitHub token can publish a release before anything is built.

Usage:
  release-preflight probe   --repo OWNER/NAME [--tag TAG] [--assets DIR] [--commit SHA] [--target REF] [--replace-assets] [check flags] [--timeout 2m] [--json]
  release-preflight release --repo OWNER/NAME --tag TAG [--source DIR] [--platforms LIST] [--out DIR] [build, publish and check flags]
  release-preflight publish --repo OWNER/NAME --tag TAG [--assets DIR] [--commit SHA] [publish and check flags]
  release-preflight build   --out DIR [--source DIR] [--version TAG] [build flags]
  release-preflight sweep   --repo OWNER/NAME [--older-than 1h] [--dry-run]
  release-preflight demo
  release-preflight audit   [--source DIR] [--json]

release and publish check their input, then run the probe, then the preflight checks (the
tag's release, the tag and its rulesets, immutable releases, the asset and rate budgets,
latest, attestations, the token's expiry), and stop before building or uploading if any
fails. probe runs the probe and the checks it has the input for: those that need a tag only
with --tag. build needs no token. publish without --assets publishes the draft for --tag as
it stands: the last job of a matrix whose jobs each uploaded their files.

audit reads the workflows in --source's .github/workflows (default: the current directory)
and says, down to the line, which job's GITHUB_TOKEN lacks a permission its steps need (a
job's permissions: block replaces the workflow's; none at all leaves it to the repository's
Workflow permissions setting), with the block to paste; in GitHub Actions each finding is an
annotation on its line. It needs no token and sends nothing. It exits 3
(permissions-missing) when a job lacks what it needs, 2 when a workflow does not parse.

Check flags: --attestations (check that the job can request an OIDC token, from
$ACTIONS_ID_TOKEN_REQUEST_URL and $ACTIONS_ID_TOKEN_REQUEST_TOKEN, and that GitHub stores
attestations for the repository), --latest true|false|auto, --expected-run-time 1h.
--commit is the commit released, compared with an existing tag: for release the one it builds
(default the source's HEAD), for probe and publish default $GITHUB_SHA.

--timeout DURATION bounds a command that talks to GitHub, retries, waits and the build
included (default: probe 2m, sweep 10m, publish 1h, release 2h). Each request also has its own
deadlines (connect 10s, TLS 10s, response headers 30s, 60s without a byte moving), none of which
caps a transfer that keeps moving.

The token is read from $GITHUB_TOKEN, else $GH_TOKEN (--token-env NAME reads $NAME instead);
never from a flag. It is sent only to the API and upload URLs' hosts, over https (plain http
only to this machine, unless --allow-insecure-http, which the report warns about), and no
redirect to another host or scheme is followed. --repo, --api-url, --run-id and --run-attempt
default to $GITHUB_REPOSITORY, $GITHUB_API_URL, $GITHUB_RUN_ID and $GITHUB_RUN_ATTEMPT;
--source-date-epoch to $SOURCE_DATE_EPOCH.

With GITHUB_ACTIONS=true the result is also printed as workflow commands (::error, ::warning;
on stderr with --json) and appended as Markdown to $GITHUB_STEP_SUMMARY when it is set.

Exit status: 0 verified; 2 bad usage or input (nothing sent); 3 a permission or policy
problem (clamped token, fine-grained token permission, SSO, bad credentials, no access;
immutable release, tag ruleset, asset limit, no OIDC token, attestations unavailable); 4
transient after retries, or not enough rate limit left (rate limit, 5xx, network); 1 anything
else (a published release, a tag at another commit, a failed build).

Run "release-preflight COMMAND -h" for a command's flags.
`

// CLI is one run of the command line.
type CLI struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	// tokenEnv is --token-env: the variable holding the token, which finish redacts too.
	tokenEnv string
	// warnings are the GitHub client's, added to the report by finish.
	warnings []string

	// For tests; zero values are the production defaults.
	httpClient *http.Client
	retry      githubapi.RetryPolicy
	timeouts   githubapi.Timeouts
	goBin      string
}

// Run runs the command in args (without the program name) and returns the exit status.
func (c *CLI) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.Stderr, Usage)
		return 2
	}
	commands := map[string]func(context.Context, []string) int{
		"probe":   c.probe,
		"release": c.release,
		"publish": c.publish,
		"build":   c.build,
		"sweep":   c.sweep,
		"demo":    c.demo,
		"audit":   c.audit,
	}
	switch name := args[0]; name {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(c.Stdout, Usage)
		return 0
	default:
		cmd, ok := commands[name]
		if !ok {
			fmt.Fprintf(c.Stderr, "release-preflight: unknown command %q: run release-preflight --help for the list\n", name)
			return 2
		}
		return cmd(ctx, args[1:])
	}
}

// The default time limits (--timeout) of the commands that talk to GitHub: the whole command,
// retries, waits and (for release) the build included.
const (
	probeTimeout   = 2 * time.Minute
	sweepTimeout   = 10 * time.Minute
	publishTimeout = time.Hour
	releaseTimeout = 2 * time.Hour
)

// gitHubFlags are the flags of every command that talks to GitHub.
type gitHubFlags struct {
	repo, apiURL, uploadURL string
	timeout                 time.Duration
	allowInsecureHTTP       bool
}

// gitHubFlags defines the GitHub flags on fs; timeout is the command's default time limit.
func (c *CLI) gitHubFlags(fs *flag.FlagSet, timeout time.Duration) *gitHubFlags {
	g := &gitHubFlags{}
	fs.DurationVar(&g.timeout, "timeout", timeout, "give up after this `DURATION`: the whole command, retries and waits included")
	fs.StringVar(&g.repo, "repo", c.Getenv("GITHUB_REPOSITORY"), "repository as `OWNER/NAME` (default $GITHUB_REPOSITORY)")
	fs.StringVar(&g.apiURL, "api-url", c.Getenv("GITHUB_API_URL"), "REST API base `URL`; GitHub Enterprise Server: https://HOST/api/v3/ (default $GITHUB_API_URL, else https://api.github.com/)")
	fs.StringVar(&g.uploadURL, "upload-url", "", "upload base `URL` (default: derived from --api-url)")
	fs.BoolVar(&g.allowInsecureHTTP, "allow-insecure-http", false, "allow plain http:// URLs to hosts other than this machine, which send the token unencrypted (the report warns)")
	fs.StringVar(&c.tokenEnv, "token-env", "", "read the token from environment variable `NAME` (default GITHUB_TOKEN, else GH_TOKEN)")
	return g
}

// deadline is ctx bounded by --timeout.
func (g *gitHubFlags) deadline(ctx context.Context) (context.Context, context.CancelFunc, error) {
	if g.timeout <= 0 {
		return ctx, func() {}, outcome.Invalid("check the input", "timeout", fmt.Sprintf("the time limit %s is not positive", g.timeout),
			"Pass a duration such as 2m or 1h.")
	}
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	return ctx, cancel, nil
}

// probeFlags are the flags that name the probe tag.
func (c *CLI) probeFlags(fs *flag.FlagSet) *probe.Options {
	o := &probe.Options{}
	fs.StringVar(&o.RunID, "run-id", c.Getenv("GITHUB_RUN_ID"), "workflow run `ID` that names the probe tag (default $GITHUB_RUN_ID)")
	fs.StringVar(&o.RunAttempt, "run-attempt", c.Getenv("GITHUB_RUN_ATTEMPT"), "workflow run attempt `N` (default $GITHUB_RUN_ATTEMPT)")
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
	fs.StringVar(&p.notesFile, "notes-file", "", "read the release notes from `FILE`, at most 125000 characters (GitHub's limit)")
	fs.BoolVar(&p.opts.GenerateNotes, "generate-notes", false, "let GitHub generate the release notes")
	fs.StringVar(&p.opts.Target, "target", "", "commit or branch the tag is created from (default: the default branch)")
	fs.BoolVar(&p.opts.ReplaceAssets, "replace-assets", false, "replace same-named assets of an already published release")
	fs.IntVar(&p.opts.Concurrency, "concurrency", publish.DefaultConcurrency, "uploads at a time")
	return p
}

// resolve returns the publish options with the files in assetsDir ("" for release, which
// builds them).
func (p *publishFlags) resolve(assetsDir string) (publish.Options, error) {
	opts := p.opts
	opts.AssetsDir = assetsDir
	if opts.Tag == "" {
		return opts, outcome.Invalid("check the input", "tag", "no tag was given", "Pass the release tag, such as v1.2.3.")
	}
	pre, err := publish.ParsePrerelease(p.prerelease)
	if err != nil {
		return opts, err
	}
	opts.Prerelease = pre
	if p.notesFile != "" {
		notes, err := readNotes(p.notesFile)
		if err != nil {
			return opts, err
		}
		opts.Notes = notes
	}
	return opts, nil
}

// maxNotes is GitHub's limit on a release's notes, in characters.
const maxNotes = 125000

// readNotes reads the release notes file at path, refusing one longer than maxNotes without
// reading more of it than a body GitHub could take (so --notes-file /dev/zero is refused, not
// read until the memory runs out).
func readNotes(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", outcome.Invalid("read the release notes", "notes-file", err.Error(), "Pass a readable Markdown file.")
	}
	// A character takes at most utf8.UTFMax bytes; one byte more says there is more.
	b, err := io.ReadAll(io.LimitReader(f, utf8.UTFMax*maxNotes+1))
	if err = errors.Join(err, f.Close()); err != nil {
		return "", outcome.Invalid("read the release notes", "notes-file", err.Error(), "Pass a readable Markdown file.")
	}
	if len(b) > utf8.UTFMax*maxNotes || utf8.RuneCount(b) > maxNotes {
		return "", outcome.Invalid("read the release notes", "notes-file",
			fmt.Sprintf("%s holds more than %d characters, GitHub's limit for release notes", outcome.Quote(path), maxNotes),
			"Shorten the notes, or link from them to a longer changelog.")
	}
	return string(b), nil
}

// checkFlags are the flags of the preflight checks.
type checkFlags struct {
	attestations bool
	latest       string
	runTime      string
}

func checkFlagSet(fs *flag.FlagSet) *checkFlags {
	f := &checkFlags{}
	fs.BoolVar(&f.attestations, "attestations", false, "the release gets provenance attestations: check that the job can request an OIDC token ($ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN) and that GitHub stores attestations for the repository")
	fs.StringVar(&f.latest, "latest", checks.LatestAuto, "make it the latest release: `true|false|auto` (auto: unless its tag is lower, by semver, than the latest release's)")
	fs.StringVar(&f.runTime, "expected-run-time", "1h", "how long the release is expected to take, as a `DURATION`: a token that expires sooner is warned about")
	return f
}

// resolve returns the checks' options, with the OIDC request variables of GitHub Actions and
// commit, the commit being released ("" when unknown).
func (f *checkFlags) resolve(c *CLI, commit string) (checks.Options, error) {
	latest, err := checks.ParseLatest(f.latest)
	if err != nil {
		return checks.Options{}, err
	}
	runTime, err := checks.ParseRunTime(f.runTime)
	if err != nil {
		return checks.Options{}, err
	}
	return checks.Options{
		Commit: commit, Attestations: f.attestations, Latest: latest, RunTime: runTime,
		OIDC: checks.OIDC{RequestURL: c.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL"), RequestToken: c.Getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")},
	}, nil
}

// buildFlagSet defines the flags that shape a build.
func (c *CLI) buildFlagSet(fs *flag.FlagSet) *build.Options {
	o := &build.Options{}
	fs.StringVar(&o.Source, "source", ".", "Go module to build")
	fs.StringVar(&o.Platforms, "platforms", build.DefaultPlatforms, "comma-separated GOOS/GOARCH `LIST`")
	fs.Func("packages", "comma-separated main packages, relative to --source (default .)", func(s string) error {
		o.Packages = splitList(s)
		return nil
	})
	fs.StringVar(&o.Name, "name", "", "project name in archive names (default: from the package or go.mod)")
	fs.StringVar(&o.LDFlags, "ldflags", "", "extra -ldflags appended to -s -w -X main.version=… -X main.commit=… -X main.date=…")
	fs.StringVar(&o.Commit, "commit", "", "commit stamped into main.commit (default: the source's HEAD)")
	fs.StringVar(&o.SourceDateEpoch, "source-date-epoch", c.Getenv("SOURCE_DATE_EPOCH"), "build time as Unix `SECONDS` (default $SOURCE_DATE_EPOCH, else the HEAD commit's time; never the clock)")
	return o
}

// BuildArgs is the argv (after the program name) that makes `release-preflight build --json`
// build exactly o: the Dagger module runs it in its builder container, so that both adapters
// build with the same code. Progress, GoBin, GoMod and Parallelism are not carried.
func BuildArgs(o build.Options) []string {
	args := []string{"build", "--json", "--source", o.Source, "--out", o.OutDir}
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("version", o.Version)
	add("platforms", o.Platforms)
	add("packages", strings.Join(o.Packages, ","))
	add("name", o.Name)
	add("ldflags", o.LDFlags)
	add("commit", o.Commit)
	// Always passed, so that the container's own SOURCE_DATE_EPOCH cannot change the build.
	args = append(args, "--source-date-epoch="+o.SourceDateEpoch)
	return args
}

// Where a container build finds the source and writes the archives.
const (
	ContainerSource = "/src"
	ContainerOut    = "/dist"
)

// ContainerArgs is [BuildArgs] for a build of o in a container, from ContainerSource into
// ContainerOut.
func ContainerArgs(o build.Options) []string {
	o.Source, o.OutDir = ContainerSource, ContainerOut
	return BuildArgs(o)
}

// BuildResult reads what `release-preflight build --json` printed: the artifacts it wrote,
// under outDir where they were copied, or its failure as an error that reads as the CLI's.
func BuildResult(stdout []byte, outDir string) (build.Result, error) {
	rep, err := report.Decode(stdout)
	if err != nil {
		return build.Result{}, fmt.Errorf("read the result of the build: %w", err)
	}
	if err := rep.Err(); err != nil {
		return build.Result{}, err
	}
	var res build.Result
	for _, a := range rep.Assets {
		res.Artifacts = append(res.Artifacts, build.Artifact{Name: a.Name, Path: filepath.Join(outDir, a.Name), Size: a.Size, SHA256: a.SHA256})
	}
	return res, nil
}

func (c *CLI) probe(ctx context.Context, args []string) int {
	fs, asJSON := c.flagSet("probe")
	g := c.gitHubFlags(fs, probeTimeout)
	po := c.probeFlags(fs)
	cf := checkFlagSet(fs)
	var p publish.Options
	fs.StringVar(&p.Tag, "tag", "", "also run the checks of releasing `TAG`: its release, the tag, its rulesets, latest")
	fs.StringVar(&p.AssetsDir, "assets", "", "also check the asset budget of the files in `DIR`")
	fs.StringVar(&p.Target, "target", "", "commit or branch the tag is created from (default: the default branch)")
	fs.BoolVar(&p.ReplaceAssets, "replace-assets", false, "the release may replace the assets of an already published release")
	commit := fs.String("commit", c.Getenv("GITHUB_SHA"), "the `SHA` of the commit being released, compared with an existing tag (default $GITHUB_SHA)")
	rep := report.Report{Command: "probe"}
	if code, done := c.parse(fs, args, rep, asJSON); done {
		return code
	}
	rep.Repo, rep.Tag = g.repo, p.Tag
	ctx, cancel, err := g.deadline(ctx)
	defer cancel()
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	co, err := cf.resolve(c, *commit)
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	client, repo, err := c.client(g)
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	po.Repo = repo
	rep, err = release.Probe(ctx, client, *po, co, p, nil)
	return c.finish(rep, err, *asJSON)
}

func (c *CLI) publish(ctx context.Context, args []string) int {
	fs, asJSON := c.flagSet("publish")
	g := c.gitHubFlags(fs, publishTimeout)
	po := c.probeFlags(fs)
	pf := publishFlagSet(fs)
	cf := checkFlagSet(fs)
	assets := fs.String("assets", "", "directory whose files are the release assets (none: publish the draft for --tag as it stands, the last job of a matrix)")
	commit := fs.String("commit", c.Getenv("GITHUB_SHA"), "the `SHA` of the commit the assets were built from, compared with an existing tag (default $GITHUB_SHA)")
	rep := report.Report{Command: "publish"}
	if code, done := c.parse(fs, args, rep, asJSON); done {
		return code
	}
	rep.Repo, rep.Tag = g.repo, pf.opts.Tag
	ctx, cancel, err := g.deadline(ctx)
	defer cancel()
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	opts, err := pf.resolve(*assets)
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	opts.Progress = c.Stderr
	co, err := cf.resolve(c, *commit)
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	client, repo, err := c.client(g)
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	po.Repo = repo
	rep, err = release.Publish(ctx, client, *po, co, opts, nil)
	return c.finish(rep, err, *asJSON)
}

func (c *CLI) release(ctx context.Context, args []string) int {
	fs, asJSON := c.flagSet("release")
	g := c.gitHubFlags(fs, releaseTimeout)
	po := c.probeFlags(fs)
	pf := publishFlagSet(fs)
	cf := checkFlagSet(fs)
	bo := c.buildFlagSet(fs)
	out := fs.String("out", "", "keep the archives and SHA256SUMS in `DIR` (default: a temporary directory, removed)")
	rep := report.Report{Command: "release"}
	if code, done := c.parse(fs, args, rep, asJSON); done {
		return code
	}
	rep.Repo, rep.Tag = g.repo, pf.opts.Tag
	ctx, cancel, err := g.deadline(ctx)
	defer cancel()
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	opts, err := pf.resolve("")
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	opts.Progress = c.Stderr
	co, err := cf.resolve(c, "")
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	bo.Version, bo.OutDir, bo.Progress, bo.GoBin = opts.Tag, *out, c.Stderr, c.goBin
	if bo.OutDir == "" {
		tmp, err := os.MkdirTemp("", "release-preflight-dist-")
		if err != nil {
			return c.finish(rep, fmt.Errorf("create a scratch directory: %w", err), *asJSON)
		}
		defer os.RemoveAll(tmp)
		bo.OutDir = tmp
	}
	client, repo, err := c.client(g)
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	po.Repo = repo
	rep, err = release.Release(ctx, client, *po, co, *bo, opts, build.Run)
	return c.finish(rep, err, *asJSON)
}

func (c *CLI) build(ctx context.Context, args []string) int {
	fs, asJSON := c.flagSet("build")
	bo := c.buildFlagSet(fs)
	fs.StringVar(&bo.Version, "version", build.DefaultVersion, "version stamped into main.version and the archive names")
	fs.StringVar(&bo.OutDir, "out", "", "write the archives and SHA256SUMS to `DIR` (required)")
	rep := report.Report{Command: "build"}
	if code, done := c.parse(fs, args, rep, asJSON); done {
		return code
	}
	bo.Progress, bo.GoBin = c.Stderr, c.goBin
	rep, err := release.Build(ctx, *bo, build.Run)
	return c.finish(rep, err, *asJSON)
}

func (c *CLI) sweep(ctx context.Context, args []string) int {
	fs, asJSON := c.flagSet("sweep")
	g := c.gitHubFlags(fs, sweepTimeout)
	olderThan := fs.String("older-than", "1h", "delete only probe drafts older than this positive `DURATION`")
	dryRun := fs.Bool("dry-run", false, "list what would be deleted without deleting it")
	rep := report.Report{Command: "sweep"}
	if code, done := c.parse(fs, args, rep, asJSON); done {
		return code
	}
	rep.Repo = g.repo
	ctx, cancel, err := g.deadline(ctx)
	defer cancel()
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	age, err := publish.ParseAge(*olderThan)
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	client, repo, err := c.client(g)
	if err != nil {
		return c.finish(rep, err, *asJSON)
	}
	rep, err = release.Sweep(ctx, client, publish.SweepOptions{Repo: repo, OlderThan: age, DryRun: *dryRun})
	return c.finish(rep, err, *asJSON)
}

func (c *CLI) demo(ctx context.Context, args []string) int {
	fs, _ := c.flagSet("demo")
	platforms := fs.String("platforms", build.DefaultPlatforms, "comma-separated GOOS/GOARCH `LIST` to build")
	if code, done := c.parse(fs, args, report.Report{Command: "demo"}, nil); done {
		return code
	}
	if _, err := demo.Run(ctx, demo.Options{Out: c.Stdout, Progress: c.Stderr, Platforms: *platforms, GoBin: c.goBin}); err != nil {
		fmt.Fprintf(c.Stderr, "error: %v\n", err)
		return 1
	}
	return 0
}

// client reads the token from the environment and builds the GitHub client.
func (c *CLI) client(g *gitHubFlags) (*githubapi.Client, githubapi.Repo, error) {
	repo, err := githubapi.ParseRepo(g.repo)
	if err != nil {
		return nil, repo, err
	}
	token, err := c.token(c.tokenEnv)
	if err != nil {
		return nil, repo, err
	}
	client, err := githubapi.NewClient(githubapi.Config{
		Token: token, APIURL: g.apiURL, UploadURL: g.uploadURL, HTTPClient: c.httpClient, Retry: c.retry,
		Timeouts: c.timeouts, AllowInsecureHTTP: g.allowInsecureHTTP,
	})
	if err == nil {
		c.warnings = client.Warnings()
	}
	return client, repo, err
}

func (c *CLI) token(name string) (string, error) {
	if name != "" {
		if t := c.Getenv(name); t != "" {
			return t, nil
		}
		return "", outcome.Invalid("read the token", "", "no token in $"+name,
			"Export a token that can write the repository's contents in $"+name+", or drop --token-env.")
	}
	for _, name := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
		if t := c.Getenv(name); t != "" {
			return t, nil
		}
	}
	return "", outcome.Invalid("read the token", "", "no token in $GITHUB_TOKEN or $GH_TOKEN",
		"Set GITHUB_TOKEN (or GH_TOKEN) to a token that can write the repository's contents, or name another variable with --token-env.")
}

// inputs maps the inputs the core names to the flags (and variables) that pass them.
var inputs = map[string]string{
	"repo":              "--repo, default $GITHUB_REPOSITORY",
	"token":             "$GITHUB_TOKEN or $GH_TOKEN, or --token-env NAME",
	"api-url":           "--api-url, default $GITHUB_API_URL",
	"upload-url":        "--upload-url",
	"run-id":            "--run-id, default $GITHUB_RUN_ID",
	"run-attempt":       "--run-attempt, default $GITHUB_RUN_ATTEMPT",
	"tag":               "--tag",
	"assets":            "--assets",
	"out":               "--out",
	"source":            "--source",
	"version":           "--version",
	"platforms":         "--platforms",
	"packages":          "--packages",
	"name":              "--name",
	"ldflags":           "--ldflags",
	"commit":            "--commit",
	"source-date-epoch": "--source-date-epoch, default $SOURCE_DATE_EPOCH",
	"prerelease":        "--prerelease",
	"notes-file":        "--notes-file",
	"concurrency":       "--concurrency",
	"replace-assets":    "--replace-assets",
	"older-than":        "--older-than",
	"timeout":           "--timeout",
	"latest":            "--latest",
	"expected-run-time": "--expected-run-time",
	"oidc":              "$ACTIONS_ID_TOKEN_REQUEST_URL and $ACTIONS_ID_TOKEN_REQUEST_TOKEN, which GitHub Actions sets for such a job",
}

// finish prints the report and returns the exit status of its class. A report the pipeline
// returned has recorded err already; one the CLI made itself records it here. Everything
// printed (text, JSON, workflow commands, step summary) is redacted of the tokens in the
// environment first.
func (c *CLI) finish(rep report.Report, err error, asJSON bool) int {
	rep.Record(err, func(input string) string { return inputs[input] })
	rep.Warnings = append(rep.Warnings, c.warnings...)
	rep = rep.Redact(c.secrets()...)
	if asJSON {
		b, jerr := rep.JSON()
		if jerr != nil {
			fmt.Fprintf(c.Stderr, "error: encode report: %v\n", jerr)
			return 1
		}
		c.Stdout.Write(b)
	} else {
		out := c.Stdout
		if rep.Outcome != report.OutcomeOK {
			out = c.Stderr
		}
		fmt.Fprint(out, rep.Human())
	}
	if c.Getenv("GITHUB_ACTIONS") == "true" {
		cmdOut := c.Stdout
		if asJSON {
			cmdOut = c.Stderr
		}
		for _, line := range rep.WorkflowCommands() {
			fmt.Fprintln(cmdOut, line)
		}
		if path := c.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
			if err := report.AppendStepSummary(path, rep.Markdown()); err != nil {
				fmt.Fprintf(c.Stderr, "warning: %v\n", err)
			}
		}
	}
	return outcome.Class(rep.Class).ExitCode()
}

// secrets are the tokens in the environment, which nothing printed may contain.
func (c *CLI) secrets() []string {
	names := []string{"GITHUB_TOKEN", "GH_TOKEN"}
	if c.tokenEnv != "" {
		names = append(names, c.tokenEnv)
	}
	var out []string
	for _, name := range names {
		if t := c.Getenv(name); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// redactor writes to c.Stderr with the tokens of c.secrets removed: the flag package echoes a
// bad value there before finish sees it.
type redactor struct{ c *CLI }

func (r redactor) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.c.Stderr, outcome.Redact(string(p), r.c.secrets()...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flagSet makes the flag set of command name with its --json flag.
func (c *CLI) flagSet(name string) (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet("release-preflight "+name, flag.ContinueOnError)
	fs.SetOutput(redactor{c})
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	return fs, asJSON
}

// parse parses args into fs. When it fails, or args ask for help, the command is done: a bad
// flag is reported as invalid input (after the flag package's usage), and --json anywhere in
// args asks for the JSON object even when parsing stopped before it.
func (c *CLI) parse(fs *flag.FlagSet, args []string, rep report.Report, asJSON *bool) (code int, done bool) {
	err := fs.Parse(args)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q: every value is passed with a flag, see -h", fs.Arg(0))
	}
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		return 0, true
	}
	wantJSON := asJSON != nil && (*asJSON || slices.Contains(args, "-json") || slices.Contains(args, "--json"))
	return c.finish(rep, outcome.Invalid("parse the command line", "", err.Error(), "Run the command with -h for its flags."), wantJSON), true
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
