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
	// The preflight checks, in order: none failed.
	Checks []*CheckResult
	// +private
	ReportJSON string
}

// CheckResult is one preflight check of a report. (Not Dagger's own Check: these are read-only
// requests to GitHub, made by the functions themselves.)
type CheckResult struct {
	// Name of the check, e.g. tag-rulesets.
	Name string
	// ok, warn or skipped (a failing check fails the function).
	Status string
	// What the check found, or why it was skipped.
	Message string
	// What to change; empty when nothing needs to.
	Fix string
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
	// The preflight checks, in order: none failed.
	Checks []*CheckResult
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
	case "oidc":
		return `--oidc-request-url and --oidc-request-token of the module: dagger call --oidc-request-url "$ACTIONS_ID_TOKEN_REQUEST_URL" --oidc-request-token env:ACTIONS_ID_TOKEN_REQUEST_TOKEN … FUNCTION`
	case "out", "notes-file", "concurrency":
		return "" // the CLI's; the module sets them itself
	case "timeout":
		return "" // the CLI's --timeout; a Dagger call is bounded by its caller
	}
	return "--" + input
}

// checkArgs are the preflight checks' arguments of a function.
type checkArgs struct {
	commit, latest, expectedRunTime string
	attestations                    bool
}

// options are the checks' options for a, with the module's OIDC arguments. A request token
// that cannot be read counts as none: the check then says what the job lacks. The request
// token is a secret: everything the function returns is redacted of it.
func (m *ReleasePreflight) options(ctx context.Context, a checkArgs) (checks.Options, error) {
	latest, err := checks.ParseLatest(a.latest)
	if err != nil {
		return checks.Options{}, err
	}
	runTime, err := checks.ParseRunTime(a.expectedRunTime)
	if err != nil {
		return checks.Options{}, err
	}
	o := checks.Options{Commit: a.commit, Attestations: a.attestations, Latest: latest, RunTime: runTime,
		OIDC: checks.OIDC{RequestURL: m.OIDCRequestURL}}
	if m.OIDCRequestToken != nil {
		if token, err := m.OIDCRequestToken.Plaintext(ctx); err == nil {
			o.OIDC.RequestToken = token
		}
	}
	return o, nil
}

func (m *ReleasePreflight) probe(ctx context.Context, a checkArgs, opts publish.Options, assets *dagger.Directory) (*ProbeReport, error) {
	rep := report.Report{Command: "probe", Repo: m.Repo, Tag: opts.Tag}
	co, err := m.options(ctx, a)
	if err != nil {
		return nil, m.fail(rep, err)
	}
	var fetch release.Fetcher
	if assets != nil {
		fetch = export(assets)
	}
	client, po, token, err := m.client(ctx)
	secrets := []string{token, co.OIDC.RequestToken}
	if err != nil {
		return nil, m.fail(rep, err, secrets...)
	}
	rep, err = release.Probe(ctx, client, po, co, opts, fetch)
	if err != nil {
		return nil, m.fail(rep, err, secrets...)
	}
	rep.Record(nil, how)
	rep = rep.Redact(secrets...)
	b, err := rep.JSON()
	if err != nil {
		return nil, err
	}
	return &ProbeReport{
		Repo: rep.Repo, ProbeTag: rep.ProbeTag, Requests: rep.Requests, ElapsedMs: int(rep.ElapsedMS),
		RequiredPermissions: rep.RequiredPermissions, Warnings: rep.Warnings, Message: rep.Message,
		Checks: checksOf(rep), ReportJSON: string(b),
	}, nil
}

// export is the release.Fetcher that exports dir: reading it runs the build that makes it.
func export(dir *dagger.Directory) release.Fetcher {
	return func(ctx context.Context, to string) error {
		_, err := dir.Export(ctx, to)
		return err
	}
}

// checksOf are the checks of rep as the API returns them.
func checksOf(rep report.Report) []*CheckResult {
	out := make([]*CheckResult, 0, len(rep.Checks))
	for _, c := range rep.Checks {
		out = append(out, &CheckResult{Name: c.Name, Status: c.Status, Message: c.Message, Fix: c.Fix})
	}
	return out
}

func (m *ReleasePreflight) publish(ctx context.Context, opts publish.Options, prerelease string, a checkArgs, fetch release.Fetcher) (*PublishReport, error) {
	rep := report.Report{Command: "publish", Repo: m.Repo, Tag: opts.Tag}
	pre, err := publish.ParsePrerelease(prerelease)
	if err != nil {
		return nil, m.fail(rep, err)
	}
	opts.Prerelease = pre
	co, err := m.options(ctx, a)
	if err != nil {
		return nil, m.fail(rep, err)
	}
	client, po, token, err := m.client(ctx)
	secrets := []string{token, co.OIDC.RequestToken}
	if err != nil {
		return nil, m.fail(rep, err, secrets...)
	}
	rep, err = release.Publish(ctx, client, po, co, opts, fetch)
	return m.published(rep, err, secrets...)
}

func (m *ReleasePreflight) release(ctx context.Context, b buildArgs, opts publish.Options, prerelease string, a checkArgs) (*PublishReport, error) {
	rep := report.Report{Command: "release", Repo: m.Repo, Tag: opts.Tag}
	pre, err := publish.ParsePrerelease(prerelease)
	if err != nil {
		return nil, m.fail(rep, err)
	}
	opts.Prerelease = pre
	co, err := m.options(ctx, a)
	if err != nil {
		return nil, m.fail(rep, err)
	}
	if b.options.Remote, err = remote(ctx, b.source); err != nil {
		return nil, m.fail(rep, err)
	}
	out, err := os.MkdirTemp("", "dist-")
	if err != nil {
		return nil, m.fail(rep, err)
	}
	defer os.RemoveAll(out)
	b.options.OutDir = out
	client, po, token, err := m.client(ctx)
	secrets := []string{token, co.OIDC.RequestToken}
	if err != nil {
		return nil, m.fail(rep, err, secrets...)
	}
	rep, err = release.Release(ctx, client, po, co, b.options, opts, b.releaseBuilder())
	return m.published(rep, err, secrets...)
}

func (m *ReleasePreflight) sweep(ctx context.Context, olderThan string, dryRun bool) (string, error) {
	rep := report.Report{Command: "sweep", Repo: m.Repo}
	age, err := probe.ParseAge(olderThan)
	if err != nil {
		return "", m.fail(rep, err)
	}
	client, po, token, err := m.client(ctx)
	if err != nil {
		return "", m.fail(rep, err, token)
	}
	rep, err = release.Sweep(ctx, client, probe.SweepOptions{Repo: po.Repo, OlderThan: age, DryRun: dryRun})
	if err != nil {
		return "", m.fail(rep, err, token)
	}
	return rep.Redact(token).Human(), nil
}

// published turns the report of a publish or release into the function's result, redacted of
// the secrets.
func (m *ReleasePreflight) published(rep report.Report, err error, secrets ...string) (*PublishReport, error) {
	if err != nil {
		return nil, m.fail(rep, err, secrets...)
	}
	rep.Record(nil, how)
	rep = rep.Redact(secrets...)
	b, err := rep.JSON()
	if err != nil {
		return nil, err
	}
	out := &PublishReport{Tag: rep.Tag, URL: rep.ReleaseURL, Message: rep.Message, Warnings: rep.Warnings, Checks: checksOf(rep), ReportJSON: string(b)}
	for _, a := range rep.Assets {
		out.Assets = append(out.Assets, a.Name)
	}
	return out, nil
}

// client reads the token, starts the API service when there is one, and builds the GitHub
// client and the probe's options. It returns the token, which everything the function returns
// is redacted of, also on error.
func (m *ReleasePreflight) client(ctx context.Context) (*githubapi.Client, probe.Options, string, error) {
	po := probe.Options{RunID: m.RunID, RunAttempt: m.RunAttempt}
	repo, err := githubapi.ParseRepo(m.Repo)
	if err != nil {
		return nil, po, "", err
	}
	po.Repo = repo
	token := ""
	if m.Token != nil {
		if token, err = m.Token.Plaintext(ctx); err != nil {
			return nil, po, "", fmt.Errorf("read GitHub token: %w", err)
		}
	}
	apiURL, uploadURL := m.APIURL, m.UploadURL
	if m.APIService != nil {
		if _, err := m.APIService.Start(ctx); err != nil {
			return nil, po, token, fmt.Errorf("start --api-service: %w", err)
		}
		endpoint, err := m.APIService.Endpoint(ctx, dagger.ServiceEndpointOpts{Scheme: "http"})
		if err != nil {
			return nil, po, token, fmt.Errorf("find --api-service endpoint: %w", err)
		}
		if apiURL, uploadURL, err = githubapi.Through(endpoint, apiURL, uploadURL); err != nil {
			return nil, po, token, err
		}
	}
	// Traffic to --api-service is plain http by design and never leaves the engine's network
	// (a service container, or the engine's tunnel to a host endpoint); any other URL must be
	// https, or http to loopback.
	client, err := githubapi.NewClient(githubapi.Config{Token: token, APIURL: apiURL, UploadURL: uploadURL,
		AllowInsecureHTTP: m.APIService != nil})
	return client, po, token, err
}

// fail is the error a function returns for err: the report, rendered for a human, plus the
// workflow commands with --github-actions, redacted of the secrets (the token, once read).
func (m *ReleasePreflight) fail(rep report.Report, err error, secrets ...string) error {
	rep.Record(err, how)
	rep = rep.Redact(secrets...)
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
