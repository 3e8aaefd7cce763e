package audit

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	workspace = "/home/runner/work/hello/hello"
	eventPath = "/home/runner/work/_temp/_github_workflow/event.json"
)

// runner is the runner's file system as Diagnose sees it (os.DirFS("/")): the checkout with
// its workflows (name → content), and the event payload.
func runner(workflows map[string]string, event string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, content := range workflows {
		fsys[workspace[1:]+"/"+Dir+"/"+name] = &fstest.MapFile{Data: []byte(content)}
	}
	if event != "" {
		fsys[eventPath[1:]] = &fstest.MapFile{Data: []byte(event)}
	}
	return fsys
}

// actionsEnv is the environment of job in release.yml, run for event by actor, as GitHub
// Actions sets it.
func actionsEnv(job, event, actor string) map[string]string {
	return map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_REPOSITORY":   "octo/hello",
		"GITHUB_WORKFLOW_REF": "octo/hello/.github/workflows/release.yml@refs/tags/v1",
		"GITHUB_JOB":          job,
		"GITHUB_WORKSPACE":    workspace,
		"GITHUB_EVENT_NAME":   event,
		"GITHUB_EVENT_PATH":   eventPath,
		"GITHUB_ACTOR":        actor,
	}
}

const (
	forkEvent     = `{"pull_request":{"head":{"repo":{"full_name":"mallory/hello","fork":true}}},"repository":{"full_name":"octo/hello"}}`
	sameRepoEvent = `{"pull_request":{"head":{"repo":{"full_name":"octo/hello","fork":true}}},"repository":{"full_name":"octo/hello"}}`
	pushEvent     = `{"ref":"refs/tags/v1","repository":{"full_name":"octo/hello"}}`
)

// Diagnose names the one cause that applies, in GitHub's order, down to the file and line.
func TestDiagnose(t *testing.T) {
	t.Parallel()
	release := `on:
  pull_request:
  push:
    tags: ["v*"]
permissions:
  contents: read
jobs:
  own-block:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - run: release-preflight probe
  inherits:
    runs-on: ubuntu-latest
    steps:
      - run: release-preflight probe
  declares-write:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: release-preflight probe
  calls:
    permissions:
      contents: read
    uses: ./.github/workflows/called.yml
  calls-default:
    uses: ./.github/workflows/called.yml
`
	called := `on: workflow_call
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: release-preflight probe
`
	noBlock := `on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: release-preflight probe
`
	tests := []struct {
		name      string
		env       map[string]string
		workflows map[string]string
		event     string
		want      *Diagnosis
		fix       []string
	}{
		{name: "the job's block lacks contents: write", env: actionsEnv("own-block", "push", "octo"), workflows: map[string]string{"release.yml": release}, event: pushEvent,
			want: &Diagnosis{Cause: CauseJobPermissions, File: ".github/workflows/release.yml", Line: 10},
			fix:  []string{"Job `own-block` declares its own `permissions:` block at .github/workflows/release.yml:10 without contents: write", "Add `contents: write"}},
		{name: "the workflow's block it inherits lacks it", env: actionsEnv("inherits", "push", "octo"), workflows: map[string]string{"release.yml": release}, event: pushEvent,
			want: &Diagnosis{Cause: CauseWorkflowPermissions, File: ".github/workflows/release.yml", Line: 5},
			fix:  []string{"inherits the workflow's `permissions:` block at .github/workflows/release.yml:5", "right under `inherits:` at line 14"}},
		{name: "nothing declared: the repository default", env: actionsEnv("release", "push", "octo"), workflows: map[string]string{"release.yml": noBlock}, event: pushEvent,
			want: &Diagnosis{Cause: CauseRepositoryDefault, File: ".github/workflows/release.yml", Line: 3},
			fix:  []string{"the default of the repository (or its organization) decides", "Settings → Actions → General → Workflow permissions", `"Read and write permissions"`, "at .github/workflows/release.yml:3"}},
		{name: "a fork's pull request", env: actionsEnv("declares-write", "pull_request", "mallory"), workflows: map[string]string{"release.yml": release}, event: forkEvent,
			want: &Diagnosis{Cause: CauseForkPullRequest, File: ".github/workflows/release.yml", Line: 2},
			fix:  []string{"read-only GITHUB_TOKEN whatever the workflow declares", "head.repo.full_name == github.repository"}},
		{name: "a fork's pull request, the workflow not checked out", env: actionsEnv("declares-write", "pull_request_review", "mallory"), event: forkEvent,
			want: &Diagnosis{Cause: CauseForkPullRequest}},
		{name: "a pull request from a branch of a repository that is itself a fork", env: actionsEnv("declares-write", "pull_request", "octo"),
			workflows: map[string]string{"release.yml": release}, event: sameRepoEvent,
			want: &Diagnosis{Cause: CauseNotTheWorkflow, File: ".github/workflows/release.yml", Line: 20}},
		{name: "Dependabot, nothing declared", env: actionsEnv("release", "push", "dependabot[bot]"), workflows: map[string]string{"release.yml": noBlock}, event: pushEvent,
			want: &Diagnosis{Cause: CauseDependabot, File: ".github/workflows/release.yml", Line: 3},
			fix:  []string{"Dependabot triggered this run", "if: github.actor != 'dependabot[bot]'", "on job `release` (.github/workflows/release.yml:3)"}},
		{name: "Dependabot, the workflow not checked out", env: actionsEnv("release", "pull_request", "dependabot[bot]"), event: sameRepoEvent,
			want: &Diagnosis{Cause: CauseDependabot}},
		{name: "Dependabot, a block without contents: write", env: actionsEnv("own-block", "push", "dependabot[bot]"), workflows: map[string]string{"release.yml": release}, event: pushEvent,
			want: &Diagnosis{Cause: CauseJobPermissions, File: ".github/workflows/release.yml", Line: 10}},
		{name: "contents: write declared: not the workflow", env: actionsEnv("declares-write", "push", "octo"), workflows: map[string]string{"release.yml": release}, event: pushEvent,
			want: &Diagnosis{Cause: CauseNotTheWorkflow, File: ".github/workflows/release.yml", Line: 20},
			fix:  []string{"is granted contents: write (its `permissions:` block at .github/workflows/release.yml:20)", "organization or enterprise", "GitHub App", "Contents"}},
		{name: "a called job: its caller grants no contents: write", env: actionsEnv("publish", "push", "octo"),
			workflows: map[string]string{"release.yml": release, "called.yml": called}, event: pushEvent,
			want: &Diagnosis{Cause: CauseCallerPermissions, File: ".github/workflows/release.yml", Line: 25},
			fix:  []string{"runs in the reusable workflow .github/workflows/called.yml", "the job that calls it, `calls`", "can only keep or lower"}},
		{name: "not in GitHub Actions", env: map[string]string{"GITHUB_JOB": "own-block"}, workflows: map[string]string{"release.yml": release}},
		{name: "the workflow is not checked out", env: actionsEnv("own-block", "push", "octo"), event: pushEvent},
		{name: "no such job", env: actionsEnv("gone", "push", "octo"), workflows: map[string]string{"release.yml": release}, event: pushEvent},
		{name: "the workflow does not parse", env: actionsEnv("own-block", "push", "octo"), workflows: map[string]string{"release.yml": "jobs: ["}, event: pushEvent},
		{name: "no workflow ref", env: map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_JOB": "own-block", "GITHUB_WORKSPACE": workspace},
			workflows: map[string]string{"release.yml": release}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := EnvFrom(func(name string) string { return tc.env[name] })
			got := Diagnose(env, runner(tc.workflows, tc.event))
			if tc.want == nil {
				assert.Nil(t, got)
				return
			}
			require.NotNil(t, got)
			assert.Equal(t, tc.want.Cause, got.Cause)
			assert.Equal(t, tc.want.File, got.File)
			assert.Equal(t, tc.want.Line, got.Line)
			assert.NotEmpty(t, got.Fix)
			for _, s := range tc.fix {
				assert.Contains(t, got.Fix, s)
			}
		})
	}
}

// A called job whose own block lacks contents: write is diagnosed in the called workflow; one
// whose caller declares nothing, by the repository default at the caller.
func TestDiagnoseCalledJob(t *testing.T) {
	t.Parallel()
	release := "on: push\njobs:\n  call:\n    uses: ./.github/workflows/called.yml\n"
	called := "on: workflow_call\njobs:\n  publish:\n    runs-on: x\n    permissions:\n      contents: read\n    steps:\n      - run: gh release create v1\n  inherit:\n    runs-on: x\n    steps:\n      - run: gh release create v1\n"
	fsys := runner(map[string]string{"release.yml": release, "called.yml": called}, pushEvent)

	own := Diagnose(EnvFrom(func(name string) string { return actionsEnv("publish", "push", "octo")[name] }), fsys)
	require.NotNil(t, own)
	assert.Equal(t, Diagnosis{Cause: CauseJobPermissions, File: ".github/workflows/called.yml", Line: 5, Fix: own.Fix}, *own)

	inherit := Diagnose(EnvFrom(func(name string) string { return actionsEnv("inherit", "push", "octo")[name] }), fsys)
	require.NotNil(t, inherit)
	assert.Equal(t, Diagnosis{Cause: CauseRepositoryDefault, File: ".github/workflows/release.yml", Line: 3, Fix: inherit.Fix}, *inherit)
	assert.Contains(t, inherit.Fix, "Neither job `call` nor its workflow declares `permissions:`")
}

func TestFSPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/home/runner/work/a/a": "home/runner/work/a/a",
		`D:\a\hello\hello`:      "a/hello/hello",
		"/":                     ".",
		"relative/x":            "relative/x",
		"/a/../../etc":          "etc",
	} {
		assert.Equal(t, want, fsPath(in), in)
	}
}
