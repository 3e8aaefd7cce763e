// Package cli is the release-preflight command line, the plain-Go twin of the Dagger module:
// flags and environment in, a report and an exit status out. Each command maps its flags onto
// a release.Request and goes through the door the module goes through too; it holds no logic
// of its own beyond reading its input and printing the report. The Dagger module
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
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/audit"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/checks"
	"github.com/release-preflight/release-preflight/pipeline/demo"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/progress"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// Usage is the text of release-preflight --help.
var Usage = usage()

// usageProse follows the usage lines and the flag groups in Usage.
const usageProse = `release and publish check their input, then run the probe, then the preflight checks (the
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

--attestations checks that the job can request an OIDC token, from
$ACTIONS_ID_TOKEN_REQUEST_URL and $ACTIONS_ID_TOKEN_REQUEST_TOKEN, and that GitHub stores
attestations for the repository. --commit is the commit released, compared with an existing
tag: for release the one it builds (default the source's HEAD), for probe and publish default
$GITHUB_SHA.

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
else (a host certificate the runner does not trust, a published release, a tag at another
commit, a failed build).

Run "release-preflight COMMAND --help" (or -h) for a command's flags.
`

// CLI is one run of the command line.
type CLI struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	// tokenEnv is --token-env: the variable holding the token, which every report is redacted of
	// too.
	tokenEnv string

	// For tests; zero values are the production defaults.
	httpClient *http.Client
	retry      githubapi.RetryPolicy
	timeouts   githubapi.Timeouts
	goBin      string
	progress   progress.Options
}

// progressOut is where a command's progress goes: stderr, with a line every 10 s for each
// target still building and each upload still running.
func (c *CLI) progressOut() *progress.Writer {
	return progress.New(c.Stderr, c.progress)
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
		if cmd, ok := commands[strings.Join(args[1:], " ")]; ok && name == "help" {
			return cmd(ctx, []string{"--help"}) // help COMMAND is COMMAND --help
		}
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

// command is one run of a subcommand: its flags, parsed into the request the door takes.
type command struct {
	c       *CLI
	name    string
	fs      *flag.FlagSet
	req     release.Request
	asJSON  *bool
	timeout time.Duration
}

// newCommand starts the flags of the subcommand name, with --json.
func (c *CLI) newCommand(name string) *command {
	fs := flag.NewFlagSet("release-preflight "+name, flag.ContinueOnError)
	// The command prints its own help and errors (see parse), not the flag package's.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	cmd := &command{c: c, name: name, fs: fs, req: release.Request{Adapter: release.CLI, Progress: c.progressOut()}}
	cmd.asJSON = fs.Bool("json", false, "print the result as one JSON object on stdout")
	return cmd
}

// gitHubFlags are the flags of every command that talks to GitHub; timeout is the command's
// default time limit.
func (cmd *command) gitHubFlags(timeout time.Duration) {
	c, fs, r := cmd.c, cmd.fs, &cmd.req
	fs.DurationVar(&cmd.timeout, "timeout", timeout, "give up after this `DURATION`: the whole command, retries and waits included")
	fs.StringVar(&r.Repo, "repo", c.Getenv("GITHUB_REPOSITORY"), "repository as `OWNER/NAME` (default $GITHUB_REPOSITORY)")
	fs.StringVar(&r.GitHub.APIURL, "api-url", c.Getenv("GITHUB_API_URL"), "REST API base `URL`; GitHub Enterprise Server: https://HOST/api/v3/ (default $GITHUB_API_URL, else https://api.github.com/)")
	fs.StringVar(&r.GitHub.UploadURL, "upload-url", "", "upload base `URL` (default: derived from --api-url)")
	fs.BoolVar(&r.GitHub.AllowInsecureHTTP, "allow-insecure-http", false, "allow plain http:// URLs to hosts other than this machine, which send the token unencrypted (the report warns)")
	fs.StringVar(&c.tokenEnv, "token-env", "", "read the token from environment variable `NAME` (default GITHUB_TOKEN, else GH_TOKEN)")
}

// probeFlags are the flags that name the probe tag.
func (cmd *command) probeFlags() {
	c, fs, o := cmd.c, cmd.fs, &cmd.req.Probe
	fs.StringVar(&o.RunID, "run-id", c.Getenv("GITHUB_RUN_ID"), "workflow run `ID` that names the probe tag (default $GITHUB_RUN_ID)")
	fs.StringVar(&o.RunAttempt, "run-attempt", c.Getenv("GITHUB_RUN_ATTEMPT"), "workflow run attempt `N` (default $GITHUB_RUN_ATTEMPT)")
}

// publishFlags are the flags that shape the release.
func (cmd *command) publishFlags() {
	fs, r := cmd.fs, &cmd.req
	o := &r.Publish
	fs.StringVar(&o.Tag, "tag", "", "release `TAG`, e.g. v1.2.3 (required)")
	fs.BoolVar(&o.Draft, "draft", false, "leave the release as a draft for a human to publish")
	fs.StringVar(&r.Prerelease, "prerelease", "auto", "whether it is a pre-release, `true|false|auto` (auto: when its tag has a semver suffix such as -rc.1)")
	fs.StringVar(&o.Notes, "notes", "", "release notes, as Markdown `TEXT`")
	fs.StringVar(&r.NotesFile, "notes-file", "", "read the release notes from `FILE`, at most 125000 characters (GitHub's limit)")
	fs.BoolVar(&o.GenerateNotes, "generate-notes", false, "let GitHub generate the release notes")
	fs.StringVar(&o.Target, "target", "", "commit or branch (`REF`) the tag is created from (default: the default branch)")
	fs.BoolVar(&o.ReplaceAssets, "replace-assets", false, "replace same-named assets of an already published release")
	fs.IntVar(&o.Concurrency, "concurrency", publish.DefaultConcurrency, "upload `N` files at a time")
}

// checkFlags are the flags of the preflight checks; the OIDC request variables come from the
// environment GitHub Actions sets.
func (cmd *command) checkFlags() {
	c, fs, r := cmd.c, cmd.fs, &cmd.req
	fs.BoolVar(&r.Checks.Attestations, "attestations", false, "the release gets provenance attestations: check that the job can request an OIDC token ($ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN) and that GitHub stores attestations for the repository")
	fs.StringVar(&r.Latest, "latest", checks.LatestAuto, "whether it becomes the latest release, `true|false|auto` (auto: unless its tag is lower, by semver, than the latest release's)")
	fs.StringVar(&r.ExpectedRunTime, "expected-run-time", "1h", "how long the release is expected to take, as a `DURATION`: a token that expires sooner is warned about")
	r.Checks.OIDC = checks.OIDC{RequestURL: c.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL"), RequestToken: c.Getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")}
}

// buildFlags are the flags that shape a build.
func (cmd *command) buildFlags() {
	c, fs, o := cmd.c, cmd.fs, &cmd.req.Build
	fs.StringVar(&o.Source, "source", ".", "the Go module to build, a `DIR`")
	fs.StringVar(&o.Platforms, "platforms", build.DefaultPlatforms, "comma-separated GOOS/GOARCH `LIST`")
	fs.Func("packages", "comma-separated `LIST` of main packages, relative to --source (default .)", func(s string) error {
		o.Packages = splitList(s)
		return nil
	})
	fs.StringVar(&o.Name, "name", "", "project `NAME` in archive names (default: from the package or go.mod)")
	fs.StringVar(&o.LDFlags, "ldflags", "", "extra `FLAGS` for the linker, after -s -w -X main.version=… -X main.commit=… -X main.date=…")
	fs.StringVar(&o.Commit, "commit", "", "commit `SHA` stamped into main.commit (default: the source's HEAD)")
	fs.StringVar(&o.SourceDateEpoch, "source-date-epoch", c.Getenv("SOURCE_DATE_EPOCH"), "build time as Unix `SECONDS` (default $SOURCE_DATE_EPOCH, else the HEAD commit's time; never the clock)")
	o.GoBin = c.goBin
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
	cmd := c.newCommand("probe")
	cmd.gitHubFlags(probeTimeout)
	cmd.probeFlags()
	cmd.checkFlags()
	fs, r := cmd.fs, &cmd.req
	fs.StringVar(&r.Publish.Tag, "tag", "", "also run the checks of releasing `TAG`: its release, the tag, its rulesets, latest")
	fs.StringVar(&r.Publish.AssetsDir, "assets", "", "also check the asset budget of the files in `DIR`")
	fs.StringVar(&r.Publish.Target, "target", "", "commit or branch (`REF`) the tag is created from (default: the default branch)")
	fs.BoolVar(&r.Publish.ReplaceAssets, "replace-assets", false, "the release may replace the assets of an already published release")
	fs.StringVar(&r.Checks.Commit, "commit", c.Getenv("GITHUB_SHA"), "the `SHA` of the commit being released, compared with an existing tag (default $GITHUB_SHA)")
	return cmd.run(ctx, args, func(ctx context.Context, r release.Request) report.Report {
		rep, _ := release.Probe(ctx, r, nil)
		return rep
	})
}

func (c *CLI) publish(ctx context.Context, args []string) int {
	cmd := c.newCommand("publish")
	cmd.gitHubFlags(publishTimeout)
	cmd.probeFlags()
	cmd.publishFlags()
	cmd.checkFlags()
	fs, r := cmd.fs, &cmd.req
	fs.StringVar(&r.Publish.AssetsDir, "assets", "", "the `DIR` whose files are the release assets (none: publish the draft for --tag as it stands, the last job of a matrix)")
	fs.StringVar(&r.Checks.Commit, "commit", c.Getenv("GITHUB_SHA"), "the `SHA` of the commit the assets were built from, compared with an existing tag (default $GITHUB_SHA)")
	return cmd.run(ctx, args, func(ctx context.Context, r release.Request) report.Report {
		rep, _ := release.Publish(ctx, r, nil)
		return rep
	})
}

func (c *CLI) release(ctx context.Context, args []string) int {
	cmd := c.newCommand("release")
	cmd.gitHubFlags(releaseTimeout)
	cmd.probeFlags()
	cmd.publishFlags()
	cmd.checkFlags()
	cmd.buildFlags()
	cmd.fs.StringVar(&cmd.req.Build.OutDir, "out", "", "keep the archives and SHA256SUMS in `DIR` (default: a temporary directory, removed)")
	return cmd.run(ctx, args, func(ctx context.Context, r release.Request) report.Report {
		rep, _ := release.Release(ctx, r, build.Run)
		return rep
	})
}

func (c *CLI) build(ctx context.Context, args []string) int {
	cmd := c.newCommand("build")
	cmd.buildFlags()
	o := &cmd.req.Build
	cmd.fs.StringVar(&o.Version, "version", build.DefaultVersion, "`VERSION` stamped into main.version and the archive names")
	cmd.fs.StringVar(&o.OutDir, "out", "", "write the archives and SHA256SUMS to `DIR` (required)")
	return cmd.run(ctx, args, func(ctx context.Context, r release.Request) report.Report {
		rep, _ := release.Build(ctx, r, build.Run)
		return rep
	})
}

func (c *CLI) sweep(ctx context.Context, args []string) int {
	cmd := c.newCommand("sweep")
	cmd.gitHubFlags(sweepTimeout)
	cmd.fs.StringVar(&cmd.req.OlderThan, "older-than", "1h", "delete only probe drafts older than this positive `DURATION`")
	cmd.fs.BoolVar(&cmd.req.Sweep.DryRun, "dry-run", false, "list what would be deleted without deleting it")
	return cmd.run(ctx, args, func(ctx context.Context, r release.Request) report.Report {
		rep, _ := release.Sweep(ctx, r)
		return rep
	})
}

func (c *CLI) demo(ctx context.Context, args []string) int {
	cmd := c.newCommand("demo")
	platforms := cmd.fs.String("platforms", demo.DefaultPlatforms, "comma-separated GOOS/GOARCH `LIST` to build")
	if code, done := cmd.parse(args); done {
		return code
	}
	o := demo.Options{Out: c.Stdout, Progress: c.progressOut(), Platforms: *platforms, GoBin: c.goBin}
	if *cmd.asJSON {
		o.Out = nil // the object alone on stdout
	}
	res, err := demo.Run(ctx, o)
	if *cmd.asJSON {
		b, jerr := res.JSON(err)
		if jerr != nil {
			fmt.Fprintf(c.Stderr, "error: %v\n", jerr)
			return 1
		}
		c.Stdout.Write(b)
	} else if err != nil {
		fmt.Fprintf(c.Stderr, "error: %v\n", err)
	}
	if err != nil {
		return 1
	}
	return 0
}

// run parses args, reads the token (for a command that talks to GitHub), bounds ctx by
// --timeout, and runs door; it prints the report door returns, finished, and returns its exit
// status.
func (cmd *command) run(ctx context.Context, args []string, door func(ctx context.Context, r release.Request) report.Report) int {
	if code, done := cmd.parse(args); done {
		return code
	}
	c, r := cmd.c, cmd.req
	if cmd.fs.Lookup("timeout") != nil {
		if cmd.timeout <= 0 {
			return cmd.fail(outcome.Invalid("check the input", "timeout", fmt.Sprintf("the time limit %s is not positive", cmd.timeout),
				"Pass a duration such as 2m or 1h."))
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cmd.timeout)
		defer cancel()
		token, err := c.token(c.tokenEnv)
		if err != nil {
			return cmd.fail(err)
		}
		r.GitHub.Token, r.GitHub.HTTPClient, r.GitHub.Retry, r.GitHub.Timeouts = token, c.httpClient, c.retry, c.timeouts
	}
	r.Secrets = c.secrets()
	r.Run, r.RunFiles = audit.EnvFrom(c.Getenv), os.DirFS("/")
	return c.print(door(ctx, r), *cmd.asJSON)
}

// fail prints the failure err of the command before it reached the door.
func (cmd *command) fail(err error) int {
	r := cmd.req
	r.Secrets = cmd.c.secrets()
	return cmd.c.print(r.Finish(report.Report{Command: cmd.name, Repo: r.Repo, Tag: r.Publish.Tag}, err), *cmd.asJSON)
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

// print prints rep, a finished report, and returns the exit status of its class: as text (on
// stderr when it failed) or JSON, and in GitHub Actions also as workflow commands and in the
// job summary.
func (c *CLI) print(rep report.Report, asJSON bool) int {
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

// parse parses args. When it fails, or args ask for help (-h, -help or --help, which print the
// same), the command is done: the help goes to stdout; a bad flag is reported as invalid
// input, and --json anywhere in args asks for the JSON object even when parsing stopped
// before it.
func (cmd *command) parse(args []string) (code int, done bool) {
	fs := cmd.fs
	err := fs.Parse(args)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q: every value is passed with a flag", fs.Arg(0))
	}
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		var b strings.Builder
		cmd.help(&b)
		io.WriteString(cmd.c.Stdout, outcome.Redact(b.String(), cmd.c.secrets()...))
		return 0, true
	}
	*cmd.asJSON = *cmd.asJSON || slices.Contains(args, "-json") || slices.Contains(args, "--json")
	return cmd.fail(outcome.Invalid("parse the command line", "", doubleDash(err.Error()),
		"Run release-preflight "+cmd.name+" --help for its flags.")), true
}

// flagInError is a flag as the flag package names it in an error: with one dash.
var flagInError = regexp.MustCompile(`(^|[\s:])-([a-z][a-z-]*)`)

// doubleDash names the flags in msg, an error of the flag package, as --help shows them.
func doubleDash(msg string) string {
	return flagInError.ReplaceAllString(msg, "$1--$2")
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
