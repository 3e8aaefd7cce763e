package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/checks"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// ProbeReport is a passed release-permission probe. A failed probe is an error whose text is
// the report, so every ProbeReport says the token can publish.
type ProbeReport struct {
	// Repository probed, OWNER/NAME.
	Repo string
	// Tag of the throwaway draft release.
	ProbeTag string
	// HTTP requests sent.
	Requests int
	// Time the probe took, in milliseconds.
	ElapsedMs int
	// Permissions publishing needs (X-Accepted-GitHub-Permissions when GitHub sends it).
	RequiredPermissions string
	// Things worth knowing that did not fail the probe, such as a leftover draft.
	Warnings []string
	// One line: what was confirmed.
	Message string
	// +private
	ReportJSON string
}

// Json returns the report as the CLI's --json object.
func (r *ProbeReport) Json() string { return r.ReportJSON }

// Markdown returns the report as a GitHub job-summary block.
func (r *ProbeReport) Markdown() (string, error) { return markdown(r.ReportJSON) }

// PublishReport is a successful publish (or release). A failure is an error whose text is the
// report.
type PublishReport struct {
	// Release tag.
	Tag string
	// URL of the release page.
	URL string
	// One line: what was published.
	Message string
	// Names of the assets.
	Assets []string
	// Things worth knowing that did not fail the publish.
	Warnings []string
	// +private
	ReportJSON string
}

// Json returns the report as the CLI's --json object.
func (p *PublishReport) Json() string { return p.ReportJSON }

// Markdown returns the report as a GitHub job-summary block.
func (p *PublishReport) Markdown() (string, error) { return markdown(p.ReportJSON) }

// how says how the module takes an input the core names: the GitHub inputs are the module's
// own arguments, given before the function; the rest are the function's, named alike.
func how(input string) string {
	switch input {
	case "repo", "token", "api-url", "upload-url", "api-service", "run-id", "run-attempt":
		return "--" + input + " of the module: dagger call --" + input + " … FUNCTION"
	case "out", "notes-file", "concurrency":
		return "" // the CLI's; the module sets them itself
	}
	return "--" + input
}

func (m *ReleasePreflight) probe(ctx context.Context) (*ProbeReport, error) {
	client, po, err := m.client(ctx)
	if err != nil {
		return nil, m.fail(report.Report{Command: "probe", Repo: m.Repo}, err)
	}
	rep, err := release.Probe(ctx, client, po, checks.Options{}, publish.Options{})
	if err != nil {
		return nil, m.fail(rep, err)
	}
	b, err := rep.JSON()
	if err != nil {
		return nil, err
	}
	return &ProbeReport{
		Repo: rep.Repo, ProbeTag: rep.ProbeTag, Requests: rep.Requests, ElapsedMs: int(rep.ElapsedMS),
		RequiredPermissions: rep.RequiredPermissions, Warnings: rep.Warnings, Message: rep.Message, ReportJSON: string(b),
	}, nil
}

func (m *ReleasePreflight) publish(ctx context.Context, opts publish.Options, prerelease string, fetch release.Fetcher) (*PublishReport, error) {
	rep := report.Report{Command: "publish", Repo: m.Repo, Tag: opts.Tag}
	pre, err := publish.ParsePrerelease(prerelease)
	if err != nil {
		return nil, m.fail(rep, err)
	}
	opts.Prerelease = pre
	client, po, err := m.client(ctx)
	if err != nil {
		return nil, m.fail(rep, err)
	}
	return m.published(release.Publish(ctx, client, po, checks.Options{}, opts, fetch))
}

func (m *ReleasePreflight) release(ctx context.Context, b buildArgs, opts publish.Options, prerelease string) (*PublishReport, error) {
	rep := report.Report{Command: "release", Repo: m.Repo, Tag: opts.Tag}
	pre, err := publish.ParsePrerelease(prerelease)
	if err != nil {
		return nil, m.fail(rep, err)
	}
	opts.Prerelease = pre
	if b.options.Remote, err = remote(ctx, b.source); err != nil {
		return nil, m.fail(rep, err)
	}
	out, err := os.MkdirTemp("", "dist-")
	if err != nil {
		return nil, m.fail(rep, err)
	}
	defer os.RemoveAll(out)
	b.options.OutDir = out
	client, po, err := m.client(ctx)
	if err != nil {
		return nil, m.fail(rep, err)
	}
	return m.published(release.Release(ctx, client, po, checks.Options{}, b.options, opts, b.releaseBuilder()))
}

func (m *ReleasePreflight) sweep(ctx context.Context, olderThan string, dryRun bool) (string, error) {
	rep := report.Report{Command: "sweep", Repo: m.Repo}
	age, err := publish.ParseAge(olderThan)
	if err != nil {
		return "", m.fail(rep, err)
	}
	client, po, err := m.client(ctx)
	if err != nil {
		return "", m.fail(rep, err)
	}
	rep, err = release.Sweep(ctx, client, publish.SweepOptions{Repo: po.Repo, OlderThan: age, DryRun: dryRun})
	if err != nil {
		return "", m.fail(rep, err)
	}
	return rep.Human(), nil
}

// published turns the report of a publish or release into the function's result.
func (m *ReleasePreflight) published(rep report.Report, err error) (*PublishReport, error) {
	if err != nil {
		return nil, m.fail(rep, err)
	}
	b, err := rep.JSON()
	if err != nil {
		return nil, err
	}
	out := &PublishReport{Tag: rep.Tag, URL: rep.ReleaseURL, Message: rep.Message, Warnings: rep.Warnings, ReportJSON: string(b)}
	for _, a := range rep.Assets {
		out.Assets = append(out.Assets, a.Name)
	}
	return out, nil
}

// client reads the token, starts the API service when there is one, and builds the GitHub
// client and the probe's options.
func (m *ReleasePreflight) client(ctx context.Context) (*githubapi.Client, probe.Options, error) {
	po := probe.Options{RunID: m.RunID, RunAttempt: m.RunAttempt}
	repo, err := githubapi.ParseRepo(m.Repo)
	if err != nil {
		return nil, po, err
	}
	po.Repo = repo
	token := ""
	if m.Token != nil {
		if token, err = m.Token.Plaintext(ctx); err != nil {
			return nil, po, fmt.Errorf("read GitHub token: %w", err)
		}
	}
	apiURL, uploadURL := m.APIURL, m.UploadURL
	if m.APIService != nil {
		if _, err := m.APIService.Start(ctx); err != nil {
			return nil, po, fmt.Errorf("start --api-service: %w", err)
		}
		endpoint, err := m.APIService.Endpoint(ctx, dagger.ServiceEndpointOpts{Scheme: "http"})
		if err != nil {
			return nil, po, fmt.Errorf("find --api-service endpoint: %w", err)
		}
		if apiURL, uploadURL, err = githubapi.Through(endpoint, apiURL, uploadURL); err != nil {
			return nil, po, err
		}
	}
	client, err := githubapi.NewClient(githubapi.Config{Token: token, APIURL: apiURL, UploadURL: uploadURL})
	return client, po, err
}

// fail is the error a function returns for err: the report, rendered for a human, plus the
// workflow commands with --github-actions.
func (m *ReleasePreflight) fail(rep report.Report, err error) error {
	rep.Record(err, how)
	msg := strings.TrimRight(rep.Human(), "\n")
	if m.GitHubActions {
		msg += "\n" + strings.Join(rep.WorkflowCommands(), "\n")
	}
	return errors.New(msg)
}

func markdown(reportJSON string) (string, error) {
	rep, err := report.Decode([]byte(reportJSON))
	return rep.Markdown(), err
}
