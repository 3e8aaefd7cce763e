package main

import (
	"context"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// ProbeReport is a passed probe: the token can publish a release.
//
// A failed probe, or a failing check, is an error whose text is the report,
// so every ProbeReport says the token can publish.
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
	// What was confirmed, in one line.
	Message string
	// The preflight checks, in order: none failed.
	Checks []*CheckResult
	// +private
	ReportJSON string
}

// CheckResult is one preflight check of a report.
//
// Not Dagger's own checks: these are read-only requests to GitHub, made by the
// functions themselves.
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

// PublishReport is a successful publish or release.
//
// A failure is an error whose text is the report.
type PublishReport struct {
	// Release tag.
	Tag string
	// URL of the release page.
	URL string
	// What was published, in one line.
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

// probeReport is the function's result for rep, a finished report of a passed probe.
func probeReport(rep report.Report) (*ProbeReport, error) {
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

// publishReport is the function's result for rep, a finished report of a publish or release.
func publishReport(rep report.Report) (*PublishReport, error) {
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

// checksOf are the checks of rep as the API returns them.
func checksOf(rep report.Report) []*CheckResult {
	out := make([]*CheckResult, 0, len(rep.Checks))
	for _, c := range rep.Checks {
		out = append(out, &CheckResult{Name: c.Name, Status: c.Status, Message: c.Message, Fix: c.Fix})
	}
	return out
}

// export is the release.Fetcher that exports dir, nil for none: reading it runs the build that
// makes it.
func export(dir *dagger.Directory) release.Fetcher {
	if dir == nil {
		return nil
	}
	return func(ctx context.Context, to string) error {
		_, err := dir.Export(ctx, to)
		return err
	}
}

func markdown(reportJSON string) (string, error) {
	rep, err := report.Decode([]byte(reportJSON))
	return rep.Markdown(), err
}
