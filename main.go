// Release Preflight fails a release pipeline in about a second when its GitHub token cannot publish.
//
// A repository setting (Settings → Actions → General → Workflow permissions) can clamp every job's
// GITHUB_TOKEN to read-only whatever the workflow declares; the release then dies at "create GitHub
// release" after the whole build has run. This module creates a draft release with a throwaway tag
// through the endpoint publishing uses, deletes it at once, and only then builds and publishes.
//
// Start with `preflight`: it runs the probe and, only if the token can publish, returns the release
// pipeline (`build`, `publish`, `release`). There is no way to reach `publish` without the probe.
//
// This file declares the module's API. probe.go, publish.go, build.go and demo.go adapt it to the
// tested, dagger-free packages under pipeline/: they turn Dagger arguments into plain Go values,
// call the core, and turn the results back.
package main

import (
	"context"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
)

// ReleasePreflight checks a GitHub token can publish a release before anything is built.
type ReleasePreflight struct{}

// Probe checks that the token can create a release in the repository, by creating a draft
// release with a throwaway tag and deleting it. It fails, in about a second, with a message that
// names the setting to change.
//
// +cache="never"
func (m *ReleasePreflight) Probe(
	ctx context.Context,
	// Repository as OWNER/NAME (in GitHub Actions: $GITHUB_REPOSITORY).
	repo string,
	// Token to check, e.g. env:GITHUB_TOKEN.
	token *dagger.Secret,
	// REST API base URL; for GitHub Enterprise Server https://HOST/api/v3/ (in GitHub Actions: $GITHUB_API_URL).
	// +optional
	apiURL string,
	// Upload base URL; derived from the API URL when empty (GitHub Enterprise Server: https://HOST/api/uploads/).
	// +optional
	uploadURL string,
	// Workflow run ID, names the probe tag (in GitHub Actions: $GITHUB_RUN_ID). Empty outside CI.
	// +optional
	runID string,
	// Workflow run attempt, names the probe tag (in GitHub Actions: $GITHUB_RUN_ATTEMPT).
	// +optional
	runAttempt string,
	// Service that carries the API and upload traffic instead of the URLs' hosts, e.g. tcp://localhost:8080.
	// +optional
	apiService *dagger.Service,
	// Add GitHub Actions workflow commands (::error, ::warning) to the failure message.
	// +optional
	githubActions bool,
) (*ProbeReport, error) {
	gh := gitHub{Repo: repo, Token: token, APIURL: apiURL, UploadURL: uploadURL, APIService: apiService, GitHubActions: githubActions}
	return gh.probe(ctx, runID, runAttempt)
}

// Preflight runs the probe and, only if the token can publish, returns the release pipeline.
//
// +cache="never"
func (m *ReleasePreflight) Preflight(
	ctx context.Context,
	// Repository as OWNER/NAME (in GitHub Actions: $GITHUB_REPOSITORY).
	repo string,
	// Token that will publish the release, e.g. env:GITHUB_TOKEN.
	token *dagger.Secret,
	// REST API base URL; for GitHub Enterprise Server https://HOST/api/v3/ (in GitHub Actions: $GITHUB_API_URL).
	// +optional
	apiURL string,
	// Upload base URL; derived from the API URL when empty (GitHub Enterprise Server: https://HOST/api/uploads/).
	// +optional
	uploadURL string,
	// Workflow run ID, names the probe tag (in GitHub Actions: $GITHUB_RUN_ID). Empty outside CI.
	// +optional
	runID string,
	// Workflow run attempt, names the probe tag (in GitHub Actions: $GITHUB_RUN_ATTEMPT).
	// +optional
	runAttempt string,
	// Service that carries the API and upload traffic instead of the URLs' hosts, e.g. tcp://localhost:8080.
	// +optional
	apiService *dagger.Service,
	// Add GitHub Actions workflow commands (::error, ::warning) to failure messages.
	// +optional
	githubActions bool,
) (*Release, error) {
	r := &Release{Repo: repo, Token: token, APIURL: apiURL, UploadURL: uploadURL, APIService: apiService, GitHubActions: githubActions}
	rep, err := r.gitHub().probe(ctx, runID, runAttempt)
	if err != nil {
		return nil, err
	}
	r.Probe = rep
	return r, nil
}

// Sweep deletes leftover probe drafts (tag prefix preflight-permcheck-, draft only, older than
// --older-than). It never touches any other release.
//
// +cache="never"
func (m *ReleasePreflight) Sweep(
	ctx context.Context,
	// Repository as OWNER/NAME.
	repo string,
	// Token with contents: write, e.g. env:GITHUB_TOKEN.
	token *dagger.Secret,
	// Only drafts older than this Go duration are deleted.
	// +default="1h"
	olderThan string,
	// List what would be deleted without deleting it.
	// +optional
	dryRun bool,
	// REST API base URL; for GitHub Enterprise Server https://HOST/api/v3/.
	// +optional
	apiURL string,
	// Service that carries the API traffic instead of the URL's host.
	// +optional
	apiService *dagger.Service,
) (string, error) {
	gh := gitHub{Repo: repo, Token: token, APIURL: apiURL, APIService: apiService}
	age, err := release.ParseAge(olderThan)
	if err != nil {
		return "", gh.fail("sweep", err)
	}
	client, target, err := gh.client(ctx)
	if err != nil {
		return "", gh.fail("sweep", err)
	}
	rep, err := release.Sweep(ctx, client, publish.SweepOptions{Repo: target, OlderThan: age, DryRun: dryRun})
	if err != nil {
		return "", gh.failure(rep)
	}
	return rep.Human(), nil
}

// Release is the release pipeline, reachable only through a passed preflight.
type Release struct {
	// The probe that opened this pipeline.
	Probe *ProbeReport
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
	GitHubActions bool
}

// Build cross-compiles a Go project for every platform in parallel and returns a directory of
// archives (NAME_VERSION_OS_ARCH.tar.gz, .zip for windows) and SHA256SUMS, byte-identical for
// the same source.
func (r *Release) Build(
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
	// Extra -ldflags appended to -s -w -X main.version=… -X main.commit=… -X main.date=….
	// +optional
	ldflags string,
	// Go version of the golang image used to build.
	// +default="1.26"
	goVersion string,
	// Container with a Go toolchain to build in instead of golang:<go-version> (for air-gapped users).
	// +optional
	builder *dagger.Container,
	// Commit stamped into main.commit; read from the source's git metadata when empty.
	// +optional
	commit string,
	// Build time as Unix seconds (SOURCE_DATE_EPOCH); the commit time when empty, never the clock.
	// +optional
	sourceDateEpoch string,
) (*dagger.Directory, error) {
	dist, err := buildArchives(ctx, source, buildArgs{
		Version: version, Platforms: platforms, Packages: packages, LDFlags: ldflags,
		GoVersion: goVersion, Builder: builder, Commit: commit, SourceDateEpoch: sourceDateEpoch,
	})
	if err != nil {
		return nil, r.gitHub().fail("build", err)
	}
	return dist, nil
}

// Publish publishes a directory of assets as the GitHub release for the tag: it creates (or
// resumes) a draft, uploads every file, verifies them, then publishes. SHA256SUMS is added when
// the directory has no checksum file. Composes with any build: pass its directory here.
//
// +cache="never"
func (r *Release) Publish(
	ctx context.Context,
	// Files to attach to the release (top level only).
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
) (*PublishReport, error) {
	pre, err := release.ParsePrerelease(prerelease)
	if err != nil {
		return nil, r.gitHub().fail("publish", err)
	}
	return r.publish(ctx, assets, publish.Options{
		Tag: tag, Draft: draft, Prerelease: pre, Notes: notes, GenerateNotes: generateNotes,
		Target: target, ReplaceAssets: replaceAssets,
	})
}

// Release builds the Go project, then publishes the archives and SHA256SUMS as the release for the tag.
//
// +cache="never"
func (r *Release) Release(
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
	// Go version of the golang image used to build.
	// +default="1.26"
	goVersion string,
	// Extra -ldflags appended to -s -w -X main.version=… -X main.commit=… -X main.date=….
	// +optional
	ldflags string,
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
) (*PublishReport, error) {
	pre, err := release.ParsePrerelease(prerelease)
	if err != nil {
		return nil, r.gitHub().fail("release", err)
	}
	dist, err := buildArchives(ctx, source, buildArgs{
		Version: tag, Platforms: platforms, Packages: packages, LDFlags: ldflags,
		GoVersion: goVersion, Builder: builder, Commit: commit, SourceDateEpoch: sourceDateEpoch,
	})
	if err != nil {
		return nil, r.gitHub().fail("release", err)
	}
	return r.publish(ctx, dist, publish.Options{
		Tag: tag, Draft: draft, Prerelease: pre, Notes: notes, GenerateNotes: generateNotes,
		Target: target, ReplaceAssets: replaceAssets,
	})
}

// Demo runs the probe and the gated pipeline against the built-in GitHub emulator (no GitHub
// account needed): first with a clamped token, which fails in milliseconds before any build, then
// with a write token, which builds the example project and publishes it to the emulator.
//
// +cache="never"
func (m *ReleasePreflight) Demo(
	ctx context.Context,
	// Go project the demo builds and publishes to the emulator.
	// +defaultPath="/examples/hello"
	source *dagger.Directory,
) (string, error) {
	return runDemo(ctx, source)
}
