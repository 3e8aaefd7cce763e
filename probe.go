package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// ProbeReport is the outcome of a release-permission probe.
type ProbeReport struct {
	// "ok" or "failed".
	Outcome string
	// ok, clamped, pat-permission, sso-required, bad-credentials, no-access, rate-limited,
	// server-error, network-error or invalid-input.
	Class string
	// Repository probed, OWNER/NAME.
	Repo string
	// Tag of the throwaway draft release.
	ProbeTag string
	// HTTP requests sent.
	Requests int
	// Time the probe took, in milliseconds.
	ElapsedMs int
	// Permissions GitHub said the endpoint needs (X-Accepted-GitHub-Permissions).
	RequiredPermissions string
	// What to change when the probe failed.
	Remediation string
	// Things worth knowing that did not fail the probe, such as a leftover draft.
	Warnings []string
	// One line: what happened and, on failure, the one thing to change.
	Message string
	// +private
	ReportJSON string
}

// Json returns the report as the CLI's --json object.
func (r *ProbeReport) Json() string {
	return r.ReportJSON
}

// Markdown returns the report as a GitHub job-summary block.
func (r *ProbeReport) Markdown() (string, error) {
	rep, err := decodeReport(r.ReportJSON)
	return rep.Markdown(), err
}

// gitHub is where and as whom the module talks to GitHub; it holds Dagger values until a client is built.
type gitHub struct {
	Repo          string
	Token         *dagger.Secret
	APIURL        string
	UploadURL     string
	APIService    *dagger.Service
	GitHubActions bool
}

// probe runs the probe and returns its report, or an error whose text is the report.
func (g gitHub) probe(ctx context.Context, runID, runAttempt string) (*ProbeReport, error) {
	client, repo, err := g.client(ctx)
	if err != nil {
		return nil, g.fail("probe", err)
	}
	_, rep, err := release.Open(ctx, client, probe.Options{Repo: repo, RunID: runID, RunAttempt: runAttempt})
	if err != nil {
		return nil, g.failure(rep)
	}
	return newProbeReport(rep)
}

// client reads the token and builds the GitHub client, routed through the service when one is given.
func (g gitHub) client(ctx context.Context) (*githubapi.Client, githubapi.Repo, error) {
	repo, err := githubapi.ParseRepo(g.Repo)
	if err != nil {
		return nil, repo, err
	}
	token, err := g.Token.Plaintext(ctx)
	if err != nil {
		return nil, repo, fmt.Errorf("read GitHub token: %w", err)
	}
	apiURL, uploadURL := g.APIURL, g.UploadURL
	if g.APIService != nil {
		if _, err := g.APIService.Start(ctx); err != nil {
			return nil, repo, fmt.Errorf("start --api-service: %w", err)
		}
		endpoint, err := g.APIService.Endpoint(ctx, dagger.ServiceEndpointOpts{Scheme: "http"})
		if err != nil {
			return nil, repo, fmt.Errorf("find --api-service endpoint: %w", err)
		}
		if apiURL, uploadURL, err = githubapi.Through(endpoint, apiURL, uploadURL); err != nil {
			return nil, repo, err
		}
	}
	client, err := githubapi.NewClient(githubapi.Config{Token: token, APIURL: apiURL, UploadURL: uploadURL})
	return client, repo, err
}

// fail is the error a step of command returns for err: its report, as failure renders it.
func (g gitHub) fail(command string, err error) error {
	rep := report.Report{Command: command, Repo: g.Repo}
	release.Record(&rep, err)
	return g.failure(rep)
}

// failure is the error a failed step returns: the human report, plus workflow commands in GitHub Actions.
func (g gitHub) failure(rep report.Report) error {
	msg := strings.TrimRight(rep.Human(), "\n")
	if g.GitHubActions {
		msg += "\n" + strings.Join(rep.WorkflowCommands(), "\n")
	}
	return errors.New(msg)
}

func newProbeReport(rep report.Report) (*ProbeReport, error) {
	b, err := rep.JSON()
	if err != nil {
		return nil, fmt.Errorf("encode probe report: %w", err)
	}
	return &ProbeReport{
		Outcome: rep.Outcome, Class: rep.Class, Repo: rep.Repo, ProbeTag: rep.ProbeTag,
		Requests: rep.Requests, ElapsedMs: int(rep.ElapsedMS), RequiredPermissions: rep.RequiredPermissions,
		Remediation: rep.Remediation, Warnings: rep.Warnings, Message: rep.Message, ReportJSON: string(b),
	}, nil
}

func decodeReport(s string) (report.Report, error) {
	var rep report.Report
	if err := json.Unmarshal([]byte(s), &rep); err != nil {
		return rep, fmt.Errorf("decode report: %w", err)
	}
	return rep, nil
}
