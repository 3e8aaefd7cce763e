// Release Preflight stops a release in a second when its token cannot publish.
//
// A repository setting (Settings → Actions → General → Workflow permissions)
// can clamp every job's GITHUB_TOKEN to read-only whatever the workflow
// declares; the release then dies at "create GitHub release" after the whole
// build has run. This module creates a draft release with a throwaway tag
// through the endpoint publishing uses, deletes it at once, runs read-only
// preflight checks, and only then builds and publishes.
//
// Give the GitHub arguments once, to the module: dagger call --repo OWNER/NAME
// --token env:GITHUB_TOKEN probe. preflight holds the gated pipeline: its
// functions check their input, run the probe and the preflight checks, and
// build and publish only if nothing is in the way. build needs no token and is
// cached like any pure function; audit needs none either: it reads the
// workflows and says which job's token lacks a permission.
//
// The functions a person calls print a report to read (probe, preflight
// release, preflight publish, audit); each has a twin whose name ends in
// -report that returns the report as an object: its fields, json and markdown.
//
// This file declares the module's API; each function maps its arguments onto
// a release.Request, the one door the command line goes through too.
// github.go reads the module's secrets and its API service into a request,
// runs it and turns a failure into the function's error; reports.go holds the
// types the functions return; build.go runs the build in the builder
// container; audit.go reads the workflows of a directory; demo.go runs the
// demo. Everything else lives in the tested, dagger-free packages under
// pipeline/.
package main

import (
	"context"
	"strings"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/release"
)

// ReleasePreflight checks that a GitHub token can publish a release.
//
// It checks before anything is built. Its fields are where and as whom it
// talks to GitHub, given once, to the module.
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
	// +private
	WorkflowRef string
	// +private
	Job string
	// +private
	EventName string
	// +private
	Event *dagger.File
	// +private
	Actor string
	// +private
	Workflows *dagger.Directory
}

// New takes the GitHub arguments that every function talking to GitHub shares.
//
// All are optional: build, audit and demo need none, and a function that
// needs a missing one fails saying which to pass.
func New(
	// Repository as OWNER/NAME; in GitHub Actions, $GITHUB_REPOSITORY.
	// +optional
	repo string,
	// Token that publishes the release, such as env:GITHUB_TOKEN.
	// +optional
	token *dagger.Secret,
	// REST API base URL, https://HOST/api/v3/ for GitHub Enterprise Server; in GitHub Actions, $GITHUB_API_URL (default: https://api.github.com/).
	// +optional
	apiURL string,
	// Upload base URL, https://HOST/api/uploads/ for GitHub Enterprise Server (default: derived from the API URL).
	// +optional
	uploadURL string,
	// Service that carries the API and upload traffic instead of the URLs' hosts, such as tcp://localhost:8080 for a host endpoint or a GitHub double.
	// +optional
	apiService *dagger.Service,
	// Workflow run ID, which names the probe's draft; in GitHub Actions, $GITHUB_RUN_ID (empty outside CI).
	// +optional
	runID string,
	// Workflow run attempt, which names the probe's draft; in GitHub Actions, $GITHUB_RUN_ATTEMPT.
	// +optional
	runAttempt string,
	// Add GitHub Actions workflow commands (::error, ::warning) to failure messages, so that failures show as annotations.
	// +optional
	githubActions bool,
	// URL a job requests its OIDC token from; in GitHub Actions, $ACTIONS_ID_TOKEN_REQUEST_URL, set for jobs with permissions: id-token: write. Checked when attestations are asked for.
	// +optional
	oidcRequestURL string,
	// Token that authorizes the OIDC token request, such as env:ACTIONS_ID_TOKEN_REQUEST_TOKEN; only whether it is set is checked, and it is never sent.
	// +optional
	oidcRequestToken *dagger.Secret,
	// Workflow file and ref the job runs, which with --github-actions says why a read-only token is read-only; in GitHub Actions, $GITHUB_WORKFLOW_REF.
	// +optional
	workflowRef string,
	// Id of the job, the one --workflow-ref's file declares; in GitHub Actions, $GITHUB_JOB.
	// +optional
	job string,
	// Event that started the run, such as push or pull_request; in GitHub Actions, $GITHUB_EVENT_NAME.
	// +optional
	eventName string,
	// The event's payload, which tells a fork's pull request; in GitHub Actions, the file $GITHUB_EVENT_PATH names.
	// +optional
	event *dagger.File,
	// Who started the run, dependabot[bot] for Dependabot; in GitHub Actions, $GITHUB_ACTOR.
	// +optional
	actor string,
	// Repository whose .github/workflows holds --workflow-ref's file; only those files are read.
	// +optional
	// +ignore=["*", "!.github/workflows"]
	workflows *dagger.Directory,
) *ReleasePreflight {
	return &ReleasePreflight{
		Repo: repo, Token: token, APIURL: apiURL, UploadURL: uploadURL, APIService: apiService,
		RunID: runID, RunAttempt: runAttempt, GitHubActions: githubActions,
		OIDCRequestURL: oidcRequestURL, OIDCRequestToken: oidcRequestToken,
		WorkflowRef: workflowRef, Job: job, EventName: eventName, Event: event, Actor: actor, Workflows: workflows,
	}
}

// Probe checks that the token can publish a release, and reports what it found.
//
// It creates a draft release with a throwaway tag through the endpoint
// publishing uses and deletes it at once, then runs the preflight checks it
// has the input for (those about a release only with --tag). A token that
// cannot publish fails in about a second, naming the setting to change; so
// does a failing check. The result is the report, to read; probe-report
// returns it as an object, with json and markdown.
//
// +cache="never"
func (m *ReleasePreflight) Probe(
	ctx context.Context,
	// Also check releasing this tag: its release, the tag, its rulesets and whether it becomes the latest release.
	// +optional
	tag string,
	// Also check the asset budget of these files (top level only): at most 1000, each under 2 GiB. The directory is read, so the build that makes it runs, only once the probe has passed.
	// +optional
	assets *dagger.Directory,
	// SHA of the commit being released, compared with an existing tag; in GitHub Actions, $GITHUB_SHA.
	// +optional
	commit string,
	// Commit or branch the tag is created from when published (default: the repository's default branch).
	// +optional
	target string,
	// The release may replace the assets of an already published release.
	// +optional
	replaceAssets bool,
	// The release gets provenance attestations: check that the job can request an OIDC token (the module's --oidc-request-url and --oidc-request-token) and that GitHub stores attestations for the repository.
	// +optional
	attestations bool,
	// Whether it becomes the latest release: true, false or auto (latest unless its tag is lower, by semver, than the latest release's).
	// +default="auto"
	latest string,
	// How long the release is expected to take, as a Go duration: a token that expires sooner is warned about.
	// +default="1h"
	expectedRunTime string,
) (string, error) {
	rep, err := m.probe(ctx, probeArgs{tag, assets, commit, target, replaceAssets, attestations, latest, expectedRunTime})
	if err != nil {
		return "", err
	}
	return rep.Human(), nil
}

// ProbeReport runs probe and returns its report as an object.
//
// Its fields (repo, probe-tag, requests, checks, …) and its json and markdown
// renderings are functions of the object. A failure is the same error as
// probe's, so every report says the token can publish.
//
// +cache="never"
func (m *ReleasePreflight) ProbeReport(
	ctx context.Context,
	// Also check releasing this tag: its release, the tag, its rulesets and whether it becomes the latest release.
	// +optional
	tag string,
	// Also check the asset budget of these files (top level only): at most 1000, each under 2 GiB. The directory is read, so the build that makes it runs, only once the probe has passed.
	// +optional
	assets *dagger.Directory,
	// SHA of the commit being released, compared with an existing tag; in GitHub Actions, $GITHUB_SHA.
	// +optional
	commit string,
	// Commit or branch the tag is created from when published (default: the repository's default branch).
	// +optional
	target string,
	// The release may replace the assets of an already published release.
	// +optional
	replaceAssets bool,
	// The release gets provenance attestations: check that the job can request an OIDC token (the module's --oidc-request-url and --oidc-request-token) and that GitHub stores attestations for the repository.
	// +optional
	attestations bool,
	// Whether it becomes the latest release: true, false or auto (latest unless its tag is lower, by semver, than the latest release's).
	// +default="auto"
	latest string,
	// How long the release is expected to take, as a Go duration: a token that expires sooner is warned about.
	// +default="1h"
	expectedRunTime string,
) (*ProbeReport, error) {
	rep, err := m.probe(ctx, probeArgs{tag, assets, commit, target, replaceAssets, attestations, latest, expectedRunTime})
	if err != nil {
		return nil, err
	}
	return probeReport(rep)
}

// Build cross-compiles a Go project for every platform and returns the archives.
//
// The platforms build in parallel (CGO_ENABLED=0, -trimpath, GoReleaser's
// default ldflags), by this project's own CLI in the builder container. The
// directory holds NAME_VERSION_OS_ARCH.tar.gz (.zip for windows) and
// SHA256SUMS, byte-identical for the same source and to the CLI's build. It
// needs no token, and is cached like any pure function.
func (m *ReleasePreflight) Build(
	ctx context.Context,
	// Go module to build.
	// +defaultPath="/"
	// +ignore=["dist", "**/node_modules"]
	source *dagger.Directory,
	// Version stamped into main.version and the archive names, such as v1.2.3 (the names drop the leading v).
	// +default="v0.0.0-snapshot"
	version string,
	// Target platforms as GOOS/GOARCH (default: linux, darwin and windows, each on amd64 and arm64).
	// +default=["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"]
	platforms []string,
	// Main packages to build, relative to the source (default: the module's root, ".").
	// +default=["."]
	packages []string,
	// Project name in the archive names (default: from the package or go.mod).
	// +optional
	name string,
	// Extra linker flags, after -s -w -X main.version=… -X main.commit=… -X main.date=….
	// +optional
	ldflags string,
	// Go version of the golang image to build in (default: the version this module is built with).
	// +optional
	goVersion string,
	// Container with a Go toolchain to build in, instead of the golang image.
	// +optional
	builder *dagger.Container,
	// Commit stamped into main.commit (default: read from the source's git metadata).
	// +optional
	commit string,
	// Build time as Unix seconds, as SOURCE_DATE_EPOCH (default: the commit's time, never the clock).
	// +optional
	sourceDateEpoch string,
) (*dagger.Directory, error) {
	b := buildArgs{source: source, builder: builder, goVersion: goVersion}
	return m.build(ctx, b, build.Options{
		Version: version, Platforms: strings.Join(platforms, ","), Packages: packages, Name: name, LDFlags: ldflags,
		Commit: commit, SourceDateEpoch: sourceDateEpoch,
	})
}

// Preflight returns the gated release pipeline: release and publish.
//
// Each of its functions checks its input, runs the probe and the preflight
// checks, and builds and publishes only if the token can publish and nothing
// is in the way.
func (m *ReleasePreflight) Preflight() *Preflight {
	return &Preflight{Module: m}
}

// Sweep deletes the probe's leftover draft releases, and nothing else.
//
// A leftover is a draft whose tag starts with preflight-permcheck- and that
// is older than --older-than. With --dry-run it lists them and deletes none.
//
// +cache="never"
func (m *ReleasePreflight) Sweep(
	ctx context.Context,
	// Only drafts older than this Go duration are deleted.
	// +default="1h"
	olderThan string,
	// List what would be deleted, and delete nothing.
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

// Audit checks that each workflow job's GITHUB_TOKEN has what its steps need.
//
// It reads the repository's .github/workflows and reports, down to the line,
// each job whose token lacks a permission its steps need to publish a
// release, with the permissions: block to paste. A job's block replaces the
// workflow's and sets every scope it does not name to none; a job with no
// block gets the repository's Workflow permissions default, which can be
// read-only; a reusable workflow gets at most what its calling job grants; a
// pull request from a fork gets a read-only token. The steps' needs come from
// a table of release and attestation actions, gh release, and this module and
// its CLI. A job that lacks a scope fails the function; one whose permissions
// depend on the repository's setting or on the workflow's block, or that runs
// on pull_request, is a warning. It needs no token and sends nothing. The
// result is the report, to read; audit-report returns it as an object.
func (m *ReleasePreflight) Audit(
	ctx context.Context,
	// Repository whose .github/workflows/*.yml and *.yaml to audit; only those files are read.
	// +defaultPath="/"
	// +ignore=["*", "!.github/workflows"]
	source *dagger.Directory,
) (string, error) {
	rep, err := m.audit(ctx, source)
	if err != nil {
		return "", err
	}
	return rep.Human(), nil
}

// AuditReport runs audit and returns its report as an object.
//
// Its fields (message, findings) and its json and markdown renderings are
// functions of the object. A failure is the same error as audit's.
func (m *ReleasePreflight) AuditReport(
	ctx context.Context,
	// Repository whose .github/workflows/*.yml and *.yaml to audit; only those files are read.
	// +defaultPath="/"
	// +ignore=["*", "!.github/workflows"]
	source *dagger.Directory,
) (*AuditReport, error) {
	rep, err := m.audit(ctx, source)
	if err != nil {
		return nil, err
	}
	return auditReport(rep)
}

// Demo runs the probe and a release against a built-in GitHub emulator.
//
// No GitHub account is needed: it runs first with a token clamped to
// read-only, which fails in milliseconds before any build, then with a token
// that can write, which builds a sample project and publishes it to the
// emulator.
//
// +cache="never"
func (m *ReleasePreflight) Demo(ctx context.Context) (string, error) {
	return runDemo(ctx)
}

// Preflight is the gated release pipeline.
//
// Nothing is built or uploaded before the probe and the preflight checks pass.
type Preflight struct {
	// +private
	Module *ReleasePreflight
}

// Release builds the Go project and publishes it as the release for the tag.
//
// Bad input is refused before the probe, and nothing is built unless the
// probe and the preflight checks pass. The archives and SHA256SUMS are
// published as a transaction: a draft, every upload verified, then published.
// The result is the report, to read; release-report returns it as an object.
//
// +cache="never"
func (p *Preflight) Release(
	ctx context.Context,
	// Release tag, such as v1.2.3; also the version stamped into the build.
	tag string,
	// Go module to build.
	// +defaultPath="/"
	// +ignore=["dist", "**/node_modules"]
	source *dagger.Directory,
	// Target platforms as GOOS/GOARCH (default: linux, darwin and windows, each on amd64 and arm64).
	// +default=["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"]
	platforms []string,
	// Main packages to build, relative to the source (default: the module's root, ".").
	// +default=["."]
	packages []string,
	// Project name in the archive names (default: from the package or go.mod).
	// +optional
	name string,
	// Extra linker flags, after -s -w -X main.version=… -X main.commit=… -X main.date=….
	// +optional
	ldflags string,
	// Go version of the golang image to build in (default: the version this module is built with).
	// +optional
	goVersion string,
	// Container with a Go toolchain to build in, instead of the golang image.
	// +optional
	builder *dagger.Container,
	// Commit stamped into main.commit and compared with an existing tag; in GitHub Actions, $GITHUB_SHA (default: read from the source's git metadata).
	// +optional
	commit string,
	// Build time as Unix seconds, as SOURCE_DATE_EPOCH (default: the commit's time, never the clock).
	// +optional
	sourceDateEpoch string,
	// Leave the release as a draft for a person to publish.
	// +optional
	draft bool,
	// Whether it is a pre-release: true, false or auto (a pre-release when its tag has a semver suffix such as -rc.1).
	// +default="auto"
	prerelease string,
	// Release notes, as Markdown.
	// +optional
	notes string,
	// Let GitHub generate the release notes.
	// +optional
	generateNotes bool,
	// Commit or branch the tag is created from when published (default: the repository's default branch).
	// +optional
	target string,
	// Replace same-named assets of an already published release.
	// +optional
	replaceAssets bool,
	// The release gets provenance attestations: check that the job can request an OIDC token (the module's --oidc-request-url and --oidc-request-token) and that GitHub stores attestations for the repository.
	// +optional
	attestations bool,
	// Whether it becomes the latest release: true, false or auto (latest unless its tag is lower, by semver, than the latest release's).
	// +default="auto"
	latest string,
	// How long the release is expected to take, as a Go duration: a token that expires sooner is warned about.
	// +default="1h"
	expectedRunTime string,
) (string, error) {
	rep, err := p.release(ctx, releaseArgs{tag, source, platforms, packages, name, ldflags, goVersion, builder, commit, sourceDateEpoch,
		draft, prerelease, notes, generateNotes, target, replaceAssets, attestations, latest, expectedRunTime})
	if err != nil {
		return "", err
	}
	return rep.Human(), nil
}

// ReleaseReport runs release and returns its report as an object.
//
// Its fields (tag, url, assets, checks, …) and its json and markdown
// renderings are functions of the object. A failure is the same error as
// release's.
//
// +cache="never"
func (p *Preflight) ReleaseReport(
	ctx context.Context,
	// Release tag, such as v1.2.3; also the version stamped into the build.
	tag string,
	// Go module to build.
	// +defaultPath="/"
	// +ignore=["dist", "**/node_modules"]
	source *dagger.Directory,
	// Target platforms as GOOS/GOARCH (default: linux, darwin and windows, each on amd64 and arm64).
	// +default=["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"]
	platforms []string,
	// Main packages to build, relative to the source (default: the module's root, ".").
	// +default=["."]
	packages []string,
	// Project name in the archive names (default: from the package or go.mod).
	// +optional
	name string,
	// Extra linker flags, after -s -w -X main.version=… -X main.commit=… -X main.date=….
	// +optional
	ldflags string,
	// Go version of the golang image to build in (default: the version this module is built with).
	// +optional
	goVersion string,
	// Container with a Go toolchain to build in, instead of the golang image.
	// +optional
	builder *dagger.Container,
	// Commit stamped into main.commit and compared with an existing tag; in GitHub Actions, $GITHUB_SHA (default: read from the source's git metadata).
	// +optional
	commit string,
	// Build time as Unix seconds, as SOURCE_DATE_EPOCH (default: the commit's time, never the clock).
	// +optional
	sourceDateEpoch string,
	// Leave the release as a draft for a person to publish.
	// +optional
	draft bool,
	// Whether it is a pre-release: true, false or auto (a pre-release when its tag has a semver suffix such as -rc.1).
	// +default="auto"
	prerelease string,
	// Release notes, as Markdown.
	// +optional
	notes string,
	// Let GitHub generate the release notes.
	// +optional
	generateNotes bool,
	// Commit or branch the tag is created from when published (default: the repository's default branch).
	// +optional
	target string,
	// Replace same-named assets of an already published release.
	// +optional
	replaceAssets bool,
	// The release gets provenance attestations: check that the job can request an OIDC token (the module's --oidc-request-url and --oidc-request-token) and that GitHub stores attestations for the repository.
	// +optional
	attestations bool,
	// Whether it becomes the latest release: true, false or auto (latest unless its tag is lower, by semver, than the latest release's).
	// +default="auto"
	latest string,
	// How long the release is expected to take, as a Go duration: a token that expires sooner is warned about.
	// +default="1h"
	expectedRunTime string,
) (*PublishReport, error) {
	rep, err := p.release(ctx, releaseArgs{tag, source, platforms, packages, name, ldflags, goVersion, builder, commit, sourceDateEpoch,
		draft, prerelease, notes, generateNotes, target, replaceAssets, attestations, latest, expectedRunTime})
	if err != nil {
		return nil, err
	}
	return publishReport(rep)
}

// Publish publishes the files of a directory, from any build, as the release.
//
// It creates (or resumes) a draft for the tag, uploads every file, verifies
// them, then publishes; SHA256SUMS is added when the directory has no
// checksum file. The directory is read, so the build that makes it runs, only
// once the probe and the preflight checks have passed; its asset budget is
// checked then, before the first upload. Without --assets, the draft for the
// tag is published as it stands: the last job of a matrix whose jobs each
// added files with --draft. The result is the report, to read; publish-report
// returns it as an object.
//
// +cache="never"
func (p *Preflight) Publish(
	ctx context.Context,
	// Files to attach to the release (top level only).
	// +optional
	assets *dagger.Directory,
	// Release tag, such as v1.2.3.
	tag string,
	// Leave the release as a draft for a person to publish.
	// +optional
	draft bool,
	// Whether it is a pre-release: true, false or auto (a pre-release when its tag has a semver suffix such as -rc.1).
	// +default="auto"
	prerelease string,
	// Release notes, as Markdown.
	// +optional
	notes string,
	// Let GitHub generate the release notes.
	// +optional
	generateNotes bool,
	// Commit or branch the tag is created from when published (default: the repository's default branch).
	// +optional
	target string,
	// Replace same-named assets of an already published release.
	// +optional
	replaceAssets bool,
	// SHA of the commit the assets were built from, compared with an existing tag; in GitHub Actions, $GITHUB_SHA.
	// +optional
	commit string,
	// The release gets provenance attestations: check that the job can request an OIDC token (the module's --oidc-request-url and --oidc-request-token) and that GitHub stores attestations for the repository.
	// +optional
	attestations bool,
	// Whether it becomes the latest release: true, false or auto (latest unless its tag is lower, by semver, than the latest release's).
	// +default="auto"
	latest string,
	// How long the release is expected to take, as a Go duration: a token that expires sooner is warned about.
	// +default="1h"
	expectedRunTime string,
) (string, error) {
	rep, err := p.publish(ctx, publishArgs{assets, tag, draft, prerelease, notes, generateNotes, target, replaceAssets, commit,
		attestations, latest, expectedRunTime})
	if err != nil {
		return "", err
	}
	return rep.Human(), nil
}

// PublishReport runs publish and returns its report as an object.
//
// Its fields (tag, url, assets, checks, …) and its json and markdown
// renderings are functions of the object. A failure is the same error as
// publish's.
//
// +cache="never"
func (p *Preflight) PublishReport(
	ctx context.Context,
	// Files to attach to the release (top level only).
	// +optional
	assets *dagger.Directory,
	// Release tag, such as v1.2.3.
	tag string,
	// Leave the release as a draft for a person to publish.
	// +optional
	draft bool,
	// Whether it is a pre-release: true, false or auto (a pre-release when its tag has a semver suffix such as -rc.1).
	// +default="auto"
	prerelease string,
	// Release notes, as Markdown.
	// +optional
	notes string,
	// Let GitHub generate the release notes.
	// +optional
	generateNotes bool,
	// Commit or branch the tag is created from when published (default: the repository's default branch).
	// +optional
	target string,
	// Replace same-named assets of an already published release.
	// +optional
	replaceAssets bool,
	// SHA of the commit the assets were built from, compared with an existing tag; in GitHub Actions, $GITHUB_SHA.
	// +optional
	commit string,
	// The release gets provenance attestations: check that the job can request an OIDC token (the module's --oidc-request-url and --oidc-request-token) and that GitHub stores attestations for the repository.
	// +optional
	attestations bool,
	// Whether it becomes the latest release: true, false or auto (latest unless its tag is lower, by semver, than the latest release's).
	// +default="auto"
	latest string,
	// How long the release is expected to take, as a Go duration: a token that expires sooner is warned about.
	// +default="1h"
	expectedRunTime string,
) (*PublishReport, error) {
	rep, err := p.publish(ctx, publishArgs{assets, tag, draft, prerelease, notes, generateNotes, target, replaceAssets, commit,
		attestations, latest, expectedRunTime})
	if err != nil {
		return nil, err
	}
	return publishReport(rep)
}
