// Release Preflight fails a release pipeline in about a second when its GitHub token cannot publish.
//
// A repository setting (Settings → Actions → General → Workflow permissions) can clamp every
// job's GITHUB_TOKEN to read-only whatever the workflow declares; the release then dies at
// "create GitHub release" after the whole build has run. This module creates a draft release
// with a throwaway tag through the endpoint publishing uses, deletes it at once, and only then
// builds and publishes.
//
// Give the GitHub arguments once, to the module: dagger call --repo OWNER/NAME --token
// env:GITHUB_TOKEN preflight release --tag v1.2.3. `preflight` holds the gated pipeline: its
// functions check their input, run the probe and the preflight checks (the tag's release, the
// tag and its rulesets, immutable releases, the asset and rate budgets, latest, attestations,
// the token's expiry), and only if nothing is in the way build and publish. `build` needs no
// token and is cached like any pure function.
//
// `audit` needs no token either: it reads the repository's workflows and says, down to the line,
// which job's GITHUB_TOKEN lacks a permission its steps need.
//
// This file declares the module's API; each function maps its arguments onto a
// release.Request, the one door the command line goes through too. github.go reads the
// module's secrets and its API service into a request and turns a failure into the function's
// error; reports.go holds the types the functions return; build.go runs the build in the
// builder container; audit.go reads the workflows of a directory; demo.go runs the demo. Everything else lives in the tested, dagger-free
// packages under pipeline/.
package main

import (
	"context"
	"strings"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/checks"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// ReleasePreflight checks a GitHub token can publish a release before anything is built. Its
// fields are where and as whom it talks to GitHub.
type ReleasePreflight struct {
	// +private
	Repo string
	// +private
	Token *dagger.Secret
	// +private
	APIURL string
	// +private
	UploadURL string
	// +private
	APIService *dagger.Service
	// +private
	RunID string
	// +private
	RunAttempt string
	// +private
	GitHubActions bool
	// +private
	OIDCRequestURL string
	// +private
	OIDCRequestToken *dagger.Secret
}

// New takes the GitHub arguments every function that talks to GitHub shares. All are optional:
// build and demo need none, and a function that needs a missing one says which flag to pass.
func New(
	// Repository as OWNER/NAME (in GitHub Actions: $GITHUB_REPOSITORY).
	// +optional
	repo string,
	// Token that publishes the release, e.g. env:GITHUB_TOKEN.
	// +optional
	token *dagger.Secret,
	// REST API base URL; for GitHub Enterprise Server https://HOST/api/v3/ (in GitHub Actions: $GITHUB_API_URL).
	// +optional
	apiURL string,
	// Upload base URL; derived from the API URL when empty (GitHub Enterprise Server: https://HOST/api/uploads/).
	// +optional
	uploadURL string,
	// Service that carries the API and upload traffic instead of the URLs' hosts, e.g. tcp://localhost:8080.
	// +optional
	apiService *dagger.Service,
	// Workflow run ID, names the probe tag (in GitHub Actions: $GITHUB_RUN_ID). Empty outside CI.
	// +optional
	runID string,
	// Workflow run attempt, names the probe tag (in GitHub Actions: $GITHUB_RUN_ATTEMPT).
	// +optional
	runAttempt string,
	// Add GitHub Actions workflow commands (::error, ::warning) to failure messages.
	// +optional
	githubActions bool,
	// URL a job requests its OIDC token from (in GitHub Actions: $ACTIONS_ID_TOKEN_REQUEST_URL, set
	// for jobs with permissions: id-token: write). Checked, with the token, when attestations are asked for.
	// +optional
	oidcRequestURL string,
	// Token that authorizes the OIDC token request, e.g. env:ACTIONS_ID_TOKEN_REQUEST_TOKEN. Only whether
	// it is set is checked; it is never sent anywhere.
	// +optional
	oidcRequestToken *dagger.Secret,
) *ReleasePreflight {
	return &ReleasePreflight{
		Repo: repo, Token: token, APIURL: apiURL, UploadURL: uploadURL, APIService: apiService,
		RunID: runID, RunAttempt: runAttempt, GitHubActions: githubActions,
		OIDCRequestURL: oidcRequestURL, OIDCRequestToken: oidcRequestToken,
	}
}

// Probe checks that the token can create a release in the repository, by creating a draft
// release with a throwaway tag and deleting it, then runs the preflight checks it has the input
// for (those about a release only with --tag). It fails, in about a second, with a message that
// names the setting to change; the report it returns is always a pass, its checks ok, warn or
// skipped.
//
// +cache="never"
func (m *ReleasePreflight) Probe(
	ctx context.Context,
	// Also check releasing this tag: its release, the tag, its rulesets and whether it becomes the latest.
	// +optional
	tag string,
	// Also check the asset budget of these files (top level only): at most 1000 assets, each under 2 GiB.
	// The directory is read, so the build that makes it runs, only once the probe has passed.
	// +optional
	assets *dagger.Directory,
	// SHA of the commit being released, compared with an existing tag (in GitHub Actions: $GITHUB_SHA).
	// +optional
	commit string,
	// Commit or branch the tag is created from when published (default: the default branch).
	// +optional
	target string,
	// The release may replace the assets of an already published release.
	// +optional
	replaceAssets bool,
	// The release gets provenance attestations: check that the job can request an OIDC token
	// (--oidc-request-url and --oidc-request-token of the module) and that GitHub stores them for the repository.
	// +optional
	attestations bool,
	// Make it the latest release: "true", "false" or "auto" (latest unless its tag is lower, by semver, than the latest release's).
	// +default="auto"
	latest string,
	// How long the release is expected to take, as a Go duration: a token that expires sooner is warned about.
	// +default="1h"
	expectedRunTime string,
) (*ProbeReport, error) {
	r := m.request()
	r.Publish = publish.Options{Tag: tag, Target: target, ReplaceAssets: replaceAssets}
	r.Checks = checks.Options{Commit: commit, Attestations: attestations}
	r.Latest, r.ExpectedRunTime = latest, expectedRunTime
	rep, err := m.run(ctx, "probe", r, func(ctx context.Context, r release.Request) (report.Report, error) {
		return release.Probe(ctx, r, export(assets))
	})
	if err != nil {
		return nil, err
	}
	return probeReport(rep)
}

// Build cross-compiles a Go project for every platform in parallel and returns a directory of
// archives (NAME_VERSION_OS_ARCH.tar.gz, .zip for windows) and SHA256SUMS, byte-identical for
// the same source and to the CLI's build. It needs no token.
func (m *ReleasePreflight) Build(
	ctx context.Context,
	// Go module to build.
	// +defaultPath="/"
	// +ignore=["dist", "**/node_modules"]
	source *dagger.Directory,
	// Version stamped into main.version and the archive names, e.g. v1.2.3 (the leading v is dropped).
	// +default="v0.0.0-snapshot"
	version string,
	// Target platforms as GOOS/GOARCH.
	// +default=["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"]
	platforms []string,
	// Main packages to build, relative to the source.
	// +default=["."]
	packages []string,
	// Project name in the archive names; from the package or go.mod when empty.
	// +optional
	name string,
	// Extra -ldflags appended to -s -w -X main.version=… -X main.commit=… -X main.date=….
	// +optional
	ldflags string,
	// Go version of the golang image used to build; the module's own when empty.
	// +optional
	goVersion string,
	// Container with a Go toolchain to build in instead of golang:<go-version>.
	// +optional
	builder *dagger.Container,
	// Commit stamped into main.commit; read from the source's git metadata when empty.
	// +optional
	commit string,
	// Build time as Unix seconds (SOURCE_DATE_EPOCH); the commit time when empty, never the clock.
	// +optional
	sourceDateEpoch string,
) (*dagger.Directory, error) {
	b := buildArgs{source: source, builder: builder, goVersion: goVersion}
	return m.build(ctx, b, build.Options{
		Version: version, Platforms: strings.Join(platforms, ","), Packages: packages, Name: name, LDFlags: ldflags,
		Commit: commit, SourceDateEpoch: sourceDateEpoch,
	})
}

// Preflight is the gated release pipeline: each of its functions checks its input, runs the
// probe, and only if the token can publish builds and publishes.
func (m *ReleasePreflight) Preflight() *Preflight {
	return &Preflight{Module: m}
}

// Sweep deletes leftover probe drafts (tag prefix preflight-permcheck-, draft only, older than
// --older-than). It never touches any other release.
//
// +cache="never"
func (m *ReleasePreflight) Sweep(
	ctx context.Context,
	// Only drafts older than this Go duration are deleted.
	// +default="1h"
	olderThan string,
	// List what would be deleted without deleting it.
	// +optional
	dryRun bool,
) (string, error) {
	r := m.request()
	r.OlderThan, r.Sweep.DryRun = olderThan, dryRun
	rep, err := m.run(ctx, "sweep", r, release.Sweep)
	if err != nil {
		return "", err
	}
	return rep.Human(), nil
}

// Audit reads the repository's GitHub Actions workflows and reports, down to the line, each job
// whose GITHUB_TOKEN lacks a permission its steps need to publish a release, with the
// permissions: block to paste.
//
// A job's permissions: block replaces the workflow's, and sets every scope it does not name to
// none; a job with no block anywhere gets the repository's Workflow permissions default, which
// can be read-only; a reusable workflow gets at most what its calling job grants; a pull request
// from a fork gets a read-only token. The steps' needs come from a table: release actions
// (softprops/action-gh-release, ncipollo/release-action, goreleaser/goreleaser-action),
// attestation actions, gh release create|upload|edit|delete, and this module and its CLI. A job
// that lacks a scope fails the function (the error's text is the report, with annotations on
// the workflow's lines under --github-actions); one whose permissions depend on the repository's
// setting, or on the workflow's block it inherits, or that runs on pull_request, is a warning.
// It needs no token and sends nothing.
func (m *ReleasePreflight) Audit(
	ctx context.Context,
	// Repository whose .github/workflows/*.yml and *.yaml to audit; only those files are read.
	// +defaultPath="/"
	// +ignore=["*", "!.github/workflows"]
	source *dagger.Directory,
) (*AuditReport, error) {
	return m.audit(ctx, source)
}

// Demo runs the probe and the gated pipeline against the built-in GitHub emulator (no GitHub
// account needed): first with a clamped token, which fails in milliseconds before any build,
// then with a write token, which builds a sample project and publishes it to the emulator.
//
// +cache="never"
func (m *ReleasePreflight) Demo(ctx context.Context) (string, error) {
	return runDemo(ctx)
}

// Preflight is the gated release pipeline.
type Preflight struct {
	// +private
	Module *ReleasePreflight
}

// Release builds the Go project, then publishes the archives and SHA256SUMS as the release for
// the tag. Bad input is refused before the probe, and nothing is built unless the probe and the
// preflight checks pass.
//
// +cache="never"
func (p *Preflight) Release(
	ctx context.Context,
	// Release tag, e.g. v1.2.3; also the stamped version.
	tag string,
	// Go module to build.
	// +defaultPath="/"
	// +ignore=["dist", "**/node_modules"]
	source *dagger.Directory,
	// Target platforms as GOOS/GOARCH.
	// +default=["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"]
	platforms []string,
	// Main packages to build, relative to the source.
	// +default=["."]
	packages []string,
	// Project name in the archive names; from the package or go.mod when empty.
	// +optional
	name string,
	// Extra -ldflags appended to -s -w -X main.version=… -X main.commit=… -X main.date=….
	// +optional
	ldflags string,
	// Go version of the golang image used to build; the module's own when empty.
	// +optional
	goVersion string,
	// Container with a Go toolchain to build in instead of golang:<go-version>.
	// +optional
	builder *dagger.Container,
	// Commit stamped into main.commit (in GitHub Actions: $GITHUB_SHA); read from the source's git metadata when empty.
	// +optional
	commit string,
	// Build time as Unix seconds (SOURCE_DATE_EPOCH); the commit time when empty, never the clock.
	// +optional
	sourceDateEpoch string,
	// Leave the release as a draft for a human to publish.
	// +optional
	draft bool,
	// Mark as pre-release: "true", "false" or "auto" (from a semver suffix such as -rc.1).
	// +default="auto"
	prerelease string,
	// Release notes (Markdown).
	// +optional
	notes string,
	// Let GitHub generate the release notes.
	// +optional
	generateNotes bool,
	// Commit or branch the tag is created from when published (default: the default branch).
	// +optional
	target string,
	// Replace same-named assets of an already published release.
	// +optional
	replaceAssets bool,
	// The release gets provenance attestations: check that the job can request an OIDC token
	// (--oidc-request-url and --oidc-request-token of the module) and that GitHub stores them for the repository.
	// +optional
	attestations bool,
	// Make it the latest release: "true", "false" or "auto" (latest unless its tag is lower, by semver, than the latest release's).
	// +default="auto"
	latest string,
	// How long the release is expected to take, as a Go duration: a token that expires sooner is warned about.
	// +default="1h"
	expectedRunTime string,
) (*PublishReport, error) {
	r := p.Module.request()
	r.Build = build.Options{Platforms: strings.Join(platforms, ","), Packages: packages, Name: name, LDFlags: ldflags,
		Commit: commit, SourceDateEpoch: sourceDateEpoch}
	r.Publish = publish.Options{Tag: tag, Draft: draft, Notes: notes, GenerateNotes: generateNotes, Target: target, ReplaceAssets: replaceAssets}
	r.Checks = checks.Options{Attestations: attestations}
	r.Prerelease, r.Latest, r.ExpectedRunTime = prerelease, latest, expectedRunTime
	b := buildArgs{source: source, builder: builder, goVersion: goVersion}
	rep, err := p.Module.run(ctx, "release", r, func(ctx context.Context, r release.Request) (report.Report, error) {
		remote, err := remote(ctx, source)
		if err != nil {
			return r.Finish(report.Report{Command: "release", Repo: r.Repo, Tag: tag}, err), err
		}
		r.Build.Remote = remote
		return release.Release(ctx, r, b.releaseBuilder())
	})
	if err != nil {
		return nil, err
	}
	return publishReport(rep)
}

// Publish publishes a directory of assets, from any build, as the GitHub release for the tag:
// it creates (or resumes) a draft, uploads every file, verifies them, then publishes.
// SHA256SUMS is added when the directory has no checksum file. The directory is read, so the
// build that makes it runs, only once the probe and the preflight checks have passed; its asset
// budget is checked then, before the first upload. Without assets, the draft for the tag is
// published as it stands: the last job of a matrix whose jobs each added files with --draft.
//
// +cache="never"
func (p *Preflight) Publish(
	ctx context.Context,
	// Files to attach to the release (top level only).
	// +optional
	assets *dagger.Directory,
	// Release tag, e.g. v1.2.3.
	tag string,
	// Leave the release as a draft for a human to publish.
	// +optional
	draft bool,
	// Mark as pre-release: "true", "false" or "auto" (from a semver suffix such as -rc.1).
	// +default="auto"
	prerelease string,
	// Release notes (Markdown).
	// +optional
	notes string,
	// Let GitHub generate the release notes.
	// +optional
	generateNotes bool,
	// Commit or branch the tag is created from when published (default: the default branch).
	// +optional
	target string,
	// Replace same-named assets of an already published release.
	// +optional
	replaceAssets bool,
	// SHA of the commit the assets were built from, compared with an existing tag (in GitHub Actions: $GITHUB_SHA).
	// +optional
	commit string,
	// The release gets provenance attestations: check that the job can request an OIDC token
	// (--oidc-request-url and --oidc-request-token of the module) and that GitHub stores them for the repository.
	// +optional
	attestations bool,
	// Make it the latest release: "true", "false" or "auto" (latest unless its tag is lower, by semver, than the latest release's).
	// +default="auto"
	latest string,
	// How long the release is expected to take, as a Go duration: a token that expires sooner is warned about.
	// +default="1h"
	expectedRunTime string,
) (*PublishReport, error) {
	r := p.Module.request()
	r.Publish = publish.Options{Tag: tag, Draft: draft, Notes: notes, GenerateNotes: generateNotes, Target: target, ReplaceAssets: replaceAssets}
	r.Checks = checks.Options{Commit: commit, Attestations: attestations}
	r.Prerelease, r.Latest, r.ExpectedRunTime = prerelease, latest, expectedRunTime
	rep, err := p.Module.run(ctx, "publish", r, func(ctx context.Context, r release.Request) (report.Report, error) {
		return release.Publish(ctx, r, export(assets))
	})
	if err != nil {
		return nil, err
	}
	return publishReport(rep)
}
