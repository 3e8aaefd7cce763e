// Examples of the release-preflight module, as the Daggerverse shows them.
//
// Each function calls the module the way a consuming module does, through
// dag.ReleasePreflight(). ReleasePreflightProbe is the example for Probe,
// ReleasePreflightPreflight the one for Preflight, and
// ReleasePreflight_GateOwnBuild a whole scenario.
package main

import (
	"context"

	"dagger/examples/internal/dagger"
)

// Examples holds the release-preflight examples.
type Examples struct{}

// ReleasePreflightProbe checks that a token can publish releases in a repository.
//
// It returns the probe's report, to read. A GITHUB_TOKEN clamped to read-only
// fails in about a second, naming the setting to change.
func (m *Examples) ReleasePreflightProbe(
	ctx context.Context,
	// Repository as OWNER/NAME.
	repo string,
	// Token to check, e.g. env:GITHUB_TOKEN.
	token *dagger.Secret,
	// Workflow run ID ($GITHUB_RUN_ID); empty outside CI.
	// +optional
	runID string,
	// Workflow run attempt ($GITHUB_RUN_ATTEMPT).
	// +optional
	runAttempt string,
) (string, error) {
	return dag.ReleasePreflight(dagger.ReleasePreflightOpts{Repo: repo, Token: token, RunID: runID, RunAttempt: runAttempt}).
		Probe(ctx)
}

// ReleasePreflightPreflight builds and publishes a Go project, behind the probe.
//
// ReleaseReport checks its input, runs the probe and, only if the token can
// publish, builds the Go project for the default platforms and publishes the
// archives and SHA256SUMS. It returns the report as job-summary Markdown.
func (m *Examples) ReleasePreflightPreflight(
	ctx context.Context,
	// Go project to build.
	// +defaultPath="/"
	source *dagger.Directory,
	// Repository as OWNER/NAME.
	repo string,
	// Token that publishes the release, e.g. env:GITHUB_TOKEN.
	token *dagger.Secret,
	// Release tag, e.g. v1.2.3.
	tag string,
	// Build time as Unix seconds, e.g. $(git log -1 --format=%ct): needed
	// when the source carries no git metadata to read it from.
	// +optional
	sourceDateEpoch string,
) (string, error) {
	return dag.ReleasePreflight(dagger.ReleasePreflightOpts{Repo: repo, Token: token}).
		Preflight().
		ReleaseReport(tag, dagger.ReleasePreflightPreflightReleaseReportOpts{Source: source, SourceDateEpoch: sourceDateEpoch}).
		Markdown(ctx)
}

// ReleasePreflight_GateOwnBuild publishes your own build, behind the probe.
//
// The build below only describes work: Dagger runs it when PublishReport
// reads the directory, and PublishReport reads it only after the probe
// passed. A token that cannot publish fails in a second, before anything is
// built. It returns the report as job-summary Markdown.
func (m *Examples) ReleasePreflight_GateOwnBuild(
	ctx context.Context,
	// Go project to build.
	// +defaultPath="/"
	source *dagger.Directory,
	// Repository as OWNER/NAME.
	repo string,
	// Token that publishes the release, e.g. env:GITHUB_TOKEN.
	token *dagger.Secret,
	// Release tag, e.g. v1.2.3.
	tag string,
	// Workflow run ID ($GITHUB_RUN_ID); empty outside CI.
	// +optional
	runID string,
	// Workflow run attempt ($GITHUB_RUN_ATTEMPT).
	// +optional
	runAttempt string,
	// Leave the release as a draft for a human to publish.
	// +optional
	draft bool,
) (string, error) {
	return dag.ReleasePreflight(dagger.ReleasePreflightOpts{Repo: repo, Token: token, RunID: runID, RunAttempt: runAttempt}).
		Preflight().
		PublishReport(tag, dagger.ReleasePreflightPreflightPublishReportOpts{Assets: ownBuild(source, tag), Draft: draft}).
		Markdown(ctx)
}

// ownBuild stands for the caller's existing build: one binary per platform,
// named NAME_OS_ARCH.
func ownBuild(source *dagger.Directory, version string) *dagger.Directory {
	dist := dag.Directory()
	for _, p := range []struct{ os, arch string }{{"linux", "amd64"}, {"darwin", "arm64"}} {
		bin := dag.Container().
			From("golang:1.26").
			WithEnvVariable("CGO_ENABLED", "0").
			WithEnvVariable("GOOS", p.os).
			WithEnvVariable("GOARCH", p.arch).
			WithDirectory("/src", source).
			WithWorkdir("/src").
			WithExec([]string{"go", "build", "-trimpath", "-ldflags", "-s -w -X main.version=" + version, "-o", "/out/app", "."}).
			File("/out/app")
		dist = dist.WithFile("app_"+p.os+"_"+p.arch, bin)
	}
	return dist
}
