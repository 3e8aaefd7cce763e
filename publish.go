package main

import (
	"context"
	"fmt"
	"os"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
)

// PublishReport is the outcome of a publish.
type PublishReport struct {
	// Release tag.
	Tag string
	// URL of the release page.
	URL string
	// One line: what was published.
	Message string
	// Names of the uploaded assets.
	Assets []string
	// Things worth knowing that did not fail the publish.
	Warnings []string
	// +private
	ReportJSON string
}

// Json returns the report as the CLI's --json object.
func (p *PublishReport) Json() string {
	return p.ReportJSON
}

// Markdown returns the report as a GitHub job-summary block.
func (p *PublishReport) Markdown() (string, error) {
	rep, err := decodeReport(p.ReportJSON)
	return rep.Markdown(), err
}

func (r *Release) gitHub() gitHub {
	return gitHub{Repo: r.Repo, Token: r.Token, APIURL: r.APIURL, UploadURL: r.UploadURL, APIService: r.APIService, GitHubActions: r.GitHubActions}
}

// publish exports the assets to this module's scratch directory and publishes them through the
// gate the probe opened in preflight.
func (r *Release) publish(ctx context.Context, assets *dagger.Directory, opts publish.Options) (*PublishReport, error) {
	gh := r.gitHub()
	client, repo, err := gh.client(ctx)
	if err != nil {
		return nil, gh.fail("publish", err)
	}
	probeRep, err := decodeReport(r.Probe.ReportJSON)
	if err != nil {
		return nil, gh.fail("publish", err)
	}
	gate, err := release.Reopen(client, repo, probeRep)
	if err != nil {
		return nil, gh.fail("publish", err)
	}
	dir, err := os.MkdirTemp(".", "assets-")
	if err != nil {
		return nil, gh.fail("publish", err)
	}
	if _, err := assets.Export(ctx, dir); err != nil {
		return nil, gh.fail("publish", fmt.Errorf("export the assets: %w", err))
	}
	opts.AssetsDir = dir
	rep, err := gate.Publish(ctx, opts)
	if err != nil {
		return nil, gh.failure(rep)
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
