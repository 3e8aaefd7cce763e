package audit

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Causes of a read-only GITHUB_TOKEN, as a [Diagnosis] names them.
const (
	// CauseForkPullRequest: the run is for a pull request from a fork, which gets a read-only
	// token whatever is declared.
	CauseForkPullRequest = "fork-pull-request"
	// CauseDependabot: Dependabot triggered the run, which gets a read-only token unless the job
	// declares more.
	CauseDependabot = "dependabot"
	// CauseJobPermissions: the job's own permissions: block lacks contents: write.
	CauseJobPermissions = "job-permissions"
	// CauseWorkflowPermissions: the job has no block and inherits the workflow's, which lacks it.
	CauseWorkflowPermissions = "workflow-permissions"
	// CauseCallerPermissions: the job is in a reusable workflow, and the job calling it grants no
	// contents: write; a called workflow can only keep or lower what its caller grants.
	CauseCallerPermissions = "caller-permissions"
	// CauseRepositoryDefault: nothing is declared, so the repository's (or organization's)
	// Workflow permissions setting decides, and it is read-only.
	CauseRepositoryDefault = "repository-default"
	// CauseNotTheWorkflow: the job declares contents: write and the usual causes are ruled out:
	// an organization or enterprise policy, or a GitHub App token without Contents: write,
	// remains.
	CauseNotTheWorkflow = "not-the-workflow"
)

// Diagnosis says why a job's GITHUB_TOKEN could not write the repository's contents, and what
// to change. The JSON field names are part of the report's public contract.
type Diagnosis struct {
	Cause string `json:"cause"` // one of the Cause constants
	File  string `json:"file"`  // the workflow to change, from the repository's root; "" when none is
	Line  int    `json:"line"`  // the line that decides; 0 when none does
	Fix   string `json:"fix"`   // the cause and the fix, in sentences
}

// Env is what [Diagnose] reads of a GitHub Actions run: fill it with [EnvFrom].
type Env struct {
	Actions     bool   // GITHUB_ACTIONS is true
	Repository  string // GITHUB_REPOSITORY: owner/name
	WorkflowRef string // GITHUB_WORKFLOW_REF: owner/name/.github/workflows/release.yml@refs/tags/v1
	Job         string // GITHUB_JOB: the job's id
	Workspace   string // GITHUB_WORKSPACE: where the repository is checked out
	EventName   string // GITHUB_EVENT_NAME: push, pull_request, …
	EventPath   string // GITHUB_EVENT_PATH: the event's JSON payload
	Actor       string // GITHUB_ACTOR: who triggered the run; dependabot[bot] for Dependabot
}

// EnvFrom reads the run's Env with getenv, such as os.Getenv.
func EnvFrom(getenv func(string) string) Env {
	return Env{
		Actions:     getenv("GITHUB_ACTIONS") == "true",
		Repository:  getenv("GITHUB_REPOSITORY"),
		WorkflowRef: getenv("GITHUB_WORKFLOW_REF"),
		Job:         getenv("GITHUB_JOB"),
		Workspace:   getenv("GITHUB_WORKSPACE"),
		EventName:   getenv("GITHUB_EVENT_NAME"),
		EventPath:   getenv("GITHUB_EVENT_PATH"),
		Actor:       getenv("GITHUB_ACTOR"),
	}
}

// dependabotEvents are the events whose runs Dependabot triggers with a read-only token.
var dependabotEvents = []string{"pull_request", "pull_request_review", "pull_request_review_comment", "push", "create", "deployment", "deployment_status"}

// pullRequestEvents are the events a fork's pull request runs with a read-only token.
var pullRequestEvents = []string{"pull_request", "pull_request_review", "pull_request_review_comment"}

// Diagnose says why the GITHUB_TOKEN of the run env describes could not write the repository's
// contents (a probe that GitHub answered 403 "Resource not accessible by integration"): a
// fork's pull request, the job's block, the workflow's block it inherits, the repository's
// default, Dependabot, or, when the job does declare contents: write, none of these. fsys is
// the file system the paths of env are in, the absolute path /a/b being a/b in fsys:
// os.DirFS("/") on the runner. Diagnose is pure: it reads the event payload and the workflow
// file (under $GITHUB_WORKSPACE, so the job must have checked the repository out) and nothing
// else. It returns nil outside GitHub Actions, and when it cannot tell: the workflow file cannot
// be read or parsed, or holds no such job.
func Diagnose(env Env, fsys fs.FS) *Diagnosis {
	if !env.Actions {
		return nil
	}
	file := workflowFile(env.WorkflowRef)
	var w *workflow
	if file != "" {
		if b, err := fs.ReadFile(fsys, fsPath(path.Join(strings.ReplaceAll(env.Workspace, `\`, "/"), file))); err == nil {
			w, _ = parseWorkflow(file, b)
		}
	}
	if fork(env, fsys) {
		d := &Diagnosis{Cause: CauseForkPullRequest, Fix: "This run is for a pull request from a fork, and GitHub gives such a run a read-only GITHUB_TOKEN whatever the workflow declares. " +
			"Publish from a push of a tag or from workflow_dispatch, or keep the job off forks' pull requests: " +
			"`if: github.event.pull_request.head.repo.full_name == github.repository`. " +
			`In a private repository, Settings → Actions → General → "Send write tokens to workflows from pull requests" lets them write.`}
		if w != nil {
			d.File, d.Line = w.file, w.pullRequest
		}
		return d
	}
	dependabot := env.Actor == "dependabot[bot]" && slices.Contains(dependabotEvents, env.EventName)
	if w == nil {
		if dependabot {
			return &Diagnosis{Cause: CauseDependabot, Fix: dependabotFix("the job", "")}
		}
		return nil
	}
	if j := w.job(env.Job); j != nil {
		return diagnoseJob(w, j, dependabot)
	}
	// A job of a reusable workflow of the repository: GITHUB_WORKFLOW_REF names the caller's.
	for _, caller := range w.jobs {
		if caller.calls == "" {
			continue
		}
		b, err := fs.ReadFile(fsys, fsPath(path.Join(strings.ReplaceAll(env.Workspace, `\`, "/"), caller.calls)))
		if err != nil {
			continue
		}
		called, err := parseWorkflow(caller.calls, b)
		if err != nil {
			continue
		}
		j := called.job(env.Job)
		if j == nil {
			continue
		}
		if cb, _ := called.grant(j); cb != nil && cb.level(scopeContents) < writeAccess {
			return diagnoseJob(called, j, dependabot)
		}
		if b, source := w.grant(caller); b != nil && b.level(scopeContents) < writeAccess {
			return &Diagnosis{Cause: CauseCallerPermissions, File: w.file, Line: b.line, Fix: fmt.Sprintf(
				"Job `%s` runs in the reusable workflow %s, and the job that calls it, `%s`, grants no contents: write (%s at %s:%d): "+
					"a called workflow can only keep or lower what its caller grants. "+
					"Give job `%s` a `permissions:` block with `contents: write`, and whatever else the called jobs ask for.",
				j.id, called.file, caller.id, blockRef(source), w.file, b.line, caller.id)}
		}
		return diagnoseJob(w, caller, dependabot)
	}
	return nil
}

// diagnoseJob is the diagnosis of job j of w, whose token could not write contents.
func diagnoseJob(w *workflow, j *job, dependabot bool) *Diagnosis {
	b, source := w.grant(j)
	switch {
	case b != nil && b.level(scopeContents) < writeAccess && source == SourceJob:
		return &Diagnosis{Cause: CauseJobPermissions, File: w.file, Line: b.line, Fix: fmt.Sprintf(
			"Job `%s` declares its own `permissions:` block at %s:%d without contents: write, and a block sets every scope it does not name to none. "+
				"Add `contents: write  # create the release and upload its assets` to that block.", j.id, w.file, b.line)}
	case b != nil && b.level(scopeContents) < writeAccess:
		return &Diagnosis{Cause: CauseWorkflowPermissions, File: w.file, Line: b.line, Fix: fmt.Sprintf(
			"Job `%s` declares no permissions and inherits the workflow's `permissions:` block at %s:%d, which does not grant contents: write. "+
				"Give the job its own block, right under `%s:` at line %d, with `contents: write` and whatever else it needs of the workflow's block (a job's block replaces the workflow's).",
			j.id, w.file, b.line, j.id, j.line)}
	case b == nil && dependabot:
		return &Diagnosis{Cause: CauseDependabot, File: w.file, Line: j.line, Fix: dependabotFix(fmt.Sprintf("job `%s`", j.id), fmt.Sprintf(" (%s:%d)", w.file, j.line))}
	case b == nil:
		return &Diagnosis{Cause: CauseRepositoryDefault, File: w.file, Line: j.line, Fix: fmt.Sprintf(
			"Neither job `%s` nor its workflow declares `permissions:`, so the default of the repository (or its organization) decides, and it is read-only. "+
				"Declare `permissions: contents: write` on the job, right under `%s:` at %s:%d; "+
				`or, for every job without a block, open the repository's Settings → Actions → General → Workflow permissions and select "Read and write permissions" `+
				"(greyed out: the organization's Settings → Actions → General → Workflow permissions forces read-only).",
			j.id, j.id, w.file, j.line)}
	}
	return &Diagnosis{Cause: CauseNotTheWorkflow, File: w.file, Line: b.line, Fix: fmt.Sprintf(
		"Job `%s` is granted contents: write (%s at %s:%d), and this run is not for a fork's pull request: the workflow is not what keeps the token read-only. "+
			"What remains: a policy of the organization or enterprise that keeps tokens read-only, "+
			`or a token that is not this job's GITHUB_TOKEN, such as a GitHub App's without Repository permissions → Contents: "Read and write".`,
		j.id, blockRef(source), w.file, b.line)}
}

// blockRef names the block a job's permissions come from.
func blockRef(source string) string {
	if source == SourceJob {
		return "its `permissions:` block"
	}
	return "the workflow's `permissions:` block"
}

// dependabotFix is the fix of a run Dependabot triggered, for job at where.
func dependabotFix(job, where string) string {
	return "Dependabot triggered this run, and GitHub gives its runs a read-only GITHUB_TOKEN unless the workflow declares more. " +
		"Declare `permissions: contents: write` on " + job + where + ", or keep the job off Dependabot's runs: `if: github.actor != 'dependabot[bot]'`."
}

// workflowFile is the workflow's path from the repository's root, from GITHUB_WORKFLOW_REF
// (owner/name/PATH@REF); "" when it names none.
func workflowFile(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	parts := strings.SplitN(ref, "/", 3)
	if len(parts) < 3 || !strings.HasPrefix(parts[2], ".github/workflows/") {
		return ""
	}
	return path.Clean(parts[2])
}

// fsPath is the absolute path p of the runner (a Windows one too) as a path of an fs.FS rooted
// at /.
func fsPath(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	if len(p) >= 2 && p[1] == ':' { // a Windows drive
		p = p[2:]
	}
	p = path.Clean("/" + p)
	if p == "/" {
		return "."
	}
	return p[1:]
}

// fork says whether the run is for a pull request from a fork: its head repository is not the
// base repository (or, when the payload names neither, is a fork).
func fork(env Env, fsys fs.FS) bool {
	if !slices.Contains(pullRequestEvents, env.EventName) || env.EventPath == "" {
		return false
	}
	b, err := fs.ReadFile(fsys, fsPath(env.EventPath))
	if err != nil {
		return false
	}
	var ev struct {
		PullRequest *struct {
			Head struct {
				Repo *struct {
					FullName string `json:"full_name"`
					Fork     bool   `json:"fork"`
				} `json:"repo"`
			} `json:"head"`
		} `json:"pull_request"`
		Repository struct {
			FullName string `json:"full_name"`
		} `json:"repository"`
	}
	if json.Unmarshal(b, &ev) != nil || ev.PullRequest == nil || ev.PullRequest.Head.Repo == nil {
		return false
	}
	head, base := ev.PullRequest.Head.Repo.FullName, cmp.Or(ev.Repository.FullName, env.Repository)
	if head != "" && base != "" {
		return !strings.EqualFold(head, base)
	}
	return ev.PullRequest.Head.Repo.Fork
}
