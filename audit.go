package main

import (
	"context"
	"fmt"
	"os"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/audit"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// AuditReport is an audit in which no workflow job lacks a permission it needs.
//
// A failing audit is an error whose text is the report.
type AuditReport struct {
	// How many workflows and jobs were audited, and how many findings warn, in one line.
	Message string
	// One finding per job that needs permissions of its GITHUB_TOKEN, and one more for each that runs on pull_request: ok or warn.
	Findings []*AuditFinding
	// +private
	ReportJSON string
}

// AuditFinding is what the audit says about one job.
type AuditFinding struct {
	// Workflow file, from the repository's root.
	File string
	// Line that decides: the permissions: block, the job, or the pull_request trigger.
	Line int
	// ID of the job.
	Job string
	// ok or warn (a failing finding fails the function).
	Status string
	// What the job's steps need, as "contents: write".
	Needs []string
	// The deciding permissions: block as written; empty for {} or none.
	Declared []string
	// Where the job's permissions come from: job, workflow, default (the repository's setting) or caller.
	Source string
	// What was found, naming the steps and lines.
	Message string
	// Where to change what, then the block to paste; empty when nothing needs to change.
	Fix string
}

// Json returns the report as the CLI's --json object.
func (r *AuditReport) Json() string { return r.ReportJSON }

// Markdown returns the report as a GitHub job-summary block.
//
// The findings are a table.
func (r *AuditReport) Markdown() (string, error) { return markdown(r.ReportJSON) }

// audit exports the workflows of source and audits them; a failing audit is the function's
// error.
func (m *ReleasePreflight) audit(ctx context.Context, source *dagger.Directory) (report.Report, error) {
	r := release.Request{Adapter: release.Dagger}
	dir, err := os.MkdirTemp("", "audit-")
	if err != nil {
		return report.Report{}, m.fail(r.Finish(report.Report{Command: "audit"}, err))
	}
	defer os.RemoveAll(dir)
	workflows := source.Filter(dagger.DirectoryFilterOpts{Include: []string{audit.Dir}})
	if _, err := workflows.Export(ctx, dir); err != nil {
		return report.Report{}, m.fail(r.Finish(report.Report{Command: "audit"}, fmt.Errorf("export the workflows: %w", err)))
	}
	rep, err := release.Audit(ctx, r, os.DirFS(dir))
	if err != nil {
		return rep, m.fail(rep)
	}
	return rep, nil
}

// auditReport is the function's result for rep, a finished report of an audit that passed.
func auditReport(rep report.Report) (*AuditReport, error) {
	b, err := rep.JSON()
	if err != nil {
		return nil, err
	}
	out := &AuditReport{Message: rep.Message, ReportJSON: string(b)}
	for _, f := range rep.Findings {
		out.Findings = append(out.Findings, &AuditFinding{File: f.File, Line: f.Line, Job: f.Job, Status: f.Status,
			Needs: f.Needs, Declared: f.Declared, Source: f.Source, Message: f.Message, Fix: f.Fix})
	}
	return out, nil
}
