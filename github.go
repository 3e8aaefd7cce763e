package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/audit"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/checks"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// request is the request of a function that talks to GitHub, with the module's arguments that
// need no reading; connect adds the rest. Its progress (an asset uploaded, and every 10 s each
// upload still running) goes to stderr, which Dagger shows under the function's call.
func (m *ReleasePreflight) request() release.Request {
	return release.Request{Adapter: release.Dagger, Repo: m.Repo, Probe: probe.Options{RunID: m.RunID, RunAttempt: m.RunAttempt},
		Progress: os.Stderr}
}

// connect reads the module's secrets (the token and the OIDC request token) into r and starts
// the API service when there is one. A request token that cannot be read counts as none: the
// oidc check then says what the job lacks.
func (m *ReleasePreflight) connect(ctx context.Context, r *release.Request) error {
	r.Checks.OIDC.RequestURL = m.OIDCRequestURL
	if m.OIDCRequestToken != nil {
		if token, err := m.OIDCRequestToken.Plaintext(ctx); err == nil {
			r.Checks.OIDC.RequestToken = token
		}
	}
	if m.Token != nil {
		token, err := m.Token.Plaintext(ctx)
		if err != nil {
			return fmt.Errorf("read GitHub token: %w", err)
		}
		r.GitHub.Token = token
	}
	r.GitHub.APIURL, r.GitHub.UploadURL = m.APIURL, m.UploadURL
	if m.APIService == nil {
		return nil
	}
	if _, err := m.APIService.Start(ctx); err != nil {
		return fmt.Errorf("start --api-service: %w", err)
	}
	endpoint, err := m.APIService.Endpoint(ctx, dagger.ServiceEndpointOpts{Scheme: "http"})
	if err != nil {
		return fmt.Errorf("find --api-service endpoint: %w", err)
	}
	// Traffic to --api-service is plain http by design and never leaves the engine's network (a
	// service container, or the engine's tunnel to a host endpoint); any other URL must be
	// https, or http to loopback.
	r.GitHub.AllowInsecureHTTP = true
	r.GitHub.APIURL, r.GitHub.UploadURL, err = githubapi.Through(endpoint, m.APIURL, m.UploadURL)
	return err
}

// run connects r and runs command through door; a failure is the function's error.
func (m *ReleasePreflight) run(ctx context.Context, command string, r release.Request, door func(context.Context, release.Request) (report.Report, error)) (report.Report, error) {
	if err := m.connect(ctx, &r); err != nil {
		return report.Report{}, m.fail(r.Finish(report.Report{Command: command, Repo: r.Repo, Tag: r.Publish.Tag}, err))
	}
	files := m.actionsRun(ctx, &r)
	defer files.remove()
	rep, err := door(ctx, r)
	if err != nil {
		return rep, m.fail(rep)
	}
	return rep, nil
}

// fail is the error a function returns for rep, a finished report of a failure: the report
// rendered for a human as Dagger shows an error (after its own "Error: "; the fix once, in the
// list), plus the workflow commands with --github-actions.
func (m *ReleasePreflight) fail(rep report.Report) error {
	msg := strings.TrimRight(rep.Failure(), "\n")
	if m.GitHubActions {
		msg += "\n" + strings.Join(rep.WorkflowCommands(), "\n")
	}
	return errors.New(msg)
}

// probeArgs are the arguments of probe and probe-report.
type probeArgs struct {
	tag                         string
	assets                      *dagger.Directory
	commit, target              string
	replaceAssets, attestations bool
	latest, expectedRunTime     string
}

// probe runs the probe and the checks of a, and returns the finished report of a pass; a
// failure is the function's error.
func (m *ReleasePreflight) probe(ctx context.Context, a probeArgs) (report.Report, error) {
	r := m.request()
	r.Publish = publish.Options{Tag: a.tag, Target: a.target, ReplaceAssets: a.replaceAssets}
	r.Checks = checks.Options{Commit: a.commit, Attestations: a.attestations}
	r.Latest, r.ExpectedRunTime = a.latest, a.expectedRunTime
	return m.run(ctx, "probe", r, func(ctx context.Context, r release.Request) (report.Report, error) {
		return release.Probe(ctx, r, export(a.assets))
	})
}

// releaseArgs are the arguments of release and release-report.
type releaseArgs struct {
	tag                         string
	source                      *dagger.Directory
	platforms, packages         []string
	name, ldflags, goVersion    string
	builder                     *dagger.Container
	commit, sourceDateEpoch     string
	draft                       bool
	prerelease, notes           string
	generateNotes               bool
	target                      string
	replaceAssets, attestations bool
	latest, expectedRunTime     string
}

// release builds and publishes per a, behind the probe and the checks, and returns the
// finished report of a success; a failure is the function's error.
func (p *Preflight) release(ctx context.Context, a releaseArgs) (report.Report, error) {
	r := p.Module.request()
	r.Build = build.Options{Platforms: strings.Join(a.platforms, ","), Packages: a.packages, Name: a.name, LDFlags: a.ldflags,
		Commit: a.commit, SourceDateEpoch: a.sourceDateEpoch}
	r.Publish = publish.Options{Tag: a.tag, Draft: a.draft, Notes: a.notes, GenerateNotes: a.generateNotes, Target: a.target, ReplaceAssets: a.replaceAssets}
	r.Checks = checks.Options{Attestations: a.attestations}
	r.Prerelease, r.Latest, r.ExpectedRunTime = a.prerelease, a.latest, a.expectedRunTime
	b := buildArgs{source: a.source, builder: a.builder, goVersion: a.goVersion}
	return p.Module.run(ctx, "release", r, func(ctx context.Context, r release.Request) (report.Report, error) {
		remote, err := remote(ctx, a.source)
		if err != nil {
			return r.Finish(report.Report{Command: "release", Repo: r.Repo, Tag: a.tag}, err), err
		}
		r.Build.Remote = remote
		return release.Release(ctx, r, b.releaseBuilder())
	})
}

// publishArgs are the arguments of publish and publish-report.
type publishArgs struct {
	assets                  *dagger.Directory
	tag                     string
	draft                   bool
	prerelease, notes       string
	generateNotes           bool
	target                  string
	replaceAssets           bool
	commit                  string
	attestations            bool
	latest, expectedRunTime string
}

// publish publishes a.assets per a, behind the probe and the checks, and returns the finished
// report of a success; a failure is the function's error.
func (p *Preflight) publish(ctx context.Context, a publishArgs) (report.Report, error) {
	r := p.Module.request()
	r.Publish = publish.Options{Tag: a.tag, Draft: a.draft, Notes: a.notes, GenerateNotes: a.generateNotes, Target: a.target, ReplaceAssets: a.replaceAssets}
	r.Checks = checks.Options{Commit: a.commit, Attestations: a.attestations}
	r.Prerelease, r.Latest, r.ExpectedRunTime = a.prerelease, a.latest, a.expectedRunTime
	return p.Module.run(ctx, "publish", r, func(ctx context.Context, r release.Request) (report.Report, error) {
		return release.Publish(ctx, r, export(a.assets))
	})
}

// actionsRun sets the GitHub Actions run of r from the module's arguments, when --github-actions says
// the call is in one: the workflows and the event payload, exported only if a read-only token
// asks why (see audit.Diagnose), at /workspace and /event.json of r.RunFiles.
func (m *ReleasePreflight) actionsRun(ctx context.Context, r *release.Request) *exported {
	files := &exported{}
	if !m.GitHubActions || m.Workflows == nil {
		return files
	}
	r.Run = audit.Env{Actions: true, Repository: m.Repo, WorkflowRef: m.WorkflowRef, Job: m.Job, Workspace: "/workspace",
		EventName: m.EventName, Actor: m.Actor}
	if m.Event != nil {
		r.Run.EventPath = "/event.json"
	}
	files.export = func() (string, error) {
		dir, err := os.MkdirTemp("", "release-preflight-run-")
		if err != nil {
			return "", err
		}
		if _, err := m.Workflows.Filter(dagger.DirectoryFilterOpts{Include: []string{audit.Dir}}).Export(ctx, filepath.Join(dir, "workspace")); err != nil {
			return dir, err
		}
		if m.Event != nil {
			if _, err := m.Event.Export(ctx, filepath.Join(dir, "event.json")); err != nil {
				return dir, err
			}
		}
		return dir, nil
	}
	r.RunFiles = files
	return files
}

// exported is a file system exported from the engine on its first use.
type exported struct {
	once   sync.Once
	export func() (string, error)
	dir    string
	err    error
}

func (e *exported) Open(name string) (fs.File, error) {
	e.once.Do(func() { e.dir, e.err = e.export() })
	if e.err != nil {
		return nil, e.err
	}
	return os.DirFS(e.dir).Open(name)
}

// remove removes what was exported.
func (e *exported) remove() {
	if e.dir != "" {
		os.RemoveAll(e.dir)
	}
}
