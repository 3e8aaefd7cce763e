package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// Workflows of the diagnosis tests: each makes the job's token read-only for one reason.
const (
	jobBlockWithoutContents = `name: release
on:
  push:
    tags: ["v*"]
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - run: release-preflight probe
`
	inheritedWithoutContents = `name: release
on:
  push:
    tags: ["v*"]
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: release-preflight probe
`
	nothingDeclared = `name: release
on:
  push:
    tags: ["v*"]
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: release-preflight probe
`
	contentsWrite = `name: release
on:
  push:
    tags: ["v*"]
  pull_request:
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: release-preflight probe
`
	callerWithoutContents = `name: release
on:
  push:
    tags: ["v*"]
jobs:
  call:
    permissions:
      contents: read
    uses: ./.github/workflows/publish.yml
`
	calledPublish = `name: publish
on:
  workflow_call:
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: release-preflight probe
`
)

// A clamped probe in GitHub Actions says which cause applies, read from the workflow and the
// event, still after exactly one request: the diagnosis is the report's fix, and outside
// Actions, or without the workflow file, the message lists every cause as before.
func TestClampDiagnosis(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		workflows map[string]string // .github/workflows/NAME → content
		event     string            // GITHUB_EVENT_NAME
		payload   string            // the event's JSON
		actor     string
		job       string
		actions   bool
		cause     string // "" for no diagnosis
		line      int
		says      string // in the message, the diagnosed cause
	}{
		{name: "the job's block replaces the workflow's", workflows: map[string]string{"release.yml": jobBlockWithoutContents},
			event: "push", job: "release", actions: true, cause: "job-permissions", line: 10,
			says: "Job `release` declares its own `permissions:` block at .github/workflows/release.yml:10 without contents: write"},
		{name: "the inherited workflow block lacks contents", workflows: map[string]string{"release.yml": inheritedWithoutContents},
			event: "push", job: "release", actions: true, cause: "workflow-permissions", line: 5,
			says: "inherits the workflow's `permissions:` block at .github/workflows/release.yml:5"},
		{name: "nothing declared: the repository's default", workflows: map[string]string{"release.yml": nothingDeclared},
			event: "push", job: "release", actions: true, cause: "repository-default", line: 6,
			says: "Neither job `release` nor its workflow declares `permissions:`"},
		{name: "the caller of a reusable workflow", workflows: map[string]string{"release.yml": callerWithoutContents, "publish.yml": calledPublish},
			event: "push", job: "publish", actions: true, cause: "caller-permissions", line: 7,
			says: "Job `publish` runs in the reusable workflow .github/workflows/publish.yml, and the job that calls it, `call`, grants no contents: write"},
		{name: "a fork's pull request", workflows: map[string]string{"release.yml": contentsWrite}, event: "pull_request",
			payload: `{"repository":{"full_name":"octo-org/hello"},"pull_request":{"head":{"repo":{"full_name":"someone/hello","fork":true}}}}`,
			job:     "release", actions: true, cause: "fork-pull-request", line: 5, says: "This run is for a pull request from a fork"},
		{name: "Dependabot", workflows: map[string]string{"release.yml": nothingDeclared}, event: "push", actor: "dependabot[bot]",
			job: "release", actions: true, cause: "dependabot", line: 6, says: "Dependabot triggered this run"},
		{name: "contents: write declared", workflows: map[string]string{"release.yml": contentsWrite}, event: "push",
			job: "release", actions: true, cause: "not-the-workflow", line: 9, says: "the workflow is not what keeps the token read-only"},
		{name: "outside GitHub Actions", workflows: map[string]string{"release.yml": jobBlockWithoutContents}, event: "push", job: "release"},
		{name: "the workflow not checked out", event: "push", job: "release", actions: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, emulator.Options{})
			workspace := t.TempDir()
			for name, content := range tc.workflows {
				path := filepath.Join(workspace, ".github", "workflows", name)
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
			}
			eventPath := filepath.Join(t.TempDir(), "event.json")
			require.NoError(t, os.WriteFile(eventPath, []byte(tc.payload+"\n"), 0o644))
			e := env{"GITHUB_TOKEN": tokClamped, "GITHUB_REPOSITORY": repo, "GITHUB_WORKFLOW_REF": repo + "/.github/workflows/release.yml@refs/tags/v1.0.0",
				"GITHUB_JOB": tc.job, "GITHUB_WORKSPACE": workspace, "GITHUB_EVENT_NAME": tc.event, "GITHUB_EVENT_PATH": eventPath, "GITHUB_ACTOR": tc.actor}
			if tc.payload == "" {
				e["GITHUB_EVENT_PATH"] = ""
			}
			if tc.actions {
				e["GITHUB_ACTIONS"] = "true"
			}
			res := run(t, srv, e, "probe", "--api-url", srv.APIURL(), "--json")
			assert.Equal(t, 3, res.code)
			require.Len(t, srv.Requests(), 1, "still decided after exactly one request")
			obj := decodeOne(t, res.stdout)
			assert.Equal(t, "clamped", str(t, obj, "class"))
			assert.EqualValues(t, 1, num(t, obj, "requests"))
			if tc.cause == "" {
				assert.NotContains(t, obj, "diagnosis")
				assert.Contains(t, str(t, obj, "message"), toggle, "every cause is listed, as before")
				return
			}
			require.Contains(t, obj, "diagnosis")
			var d struct {
				Cause, File, Fix string
				Line             int
			}
			require.NoError(t, json.Unmarshal(obj["diagnosis"], &d))
			assert.Equal(t, tc.cause, d.Cause)
			assert.Equal(t, tc.line, d.Line)
			if tc.workflows["release.yml"] != "" && tc.cause != "caller-permissions" {
				assert.Equal(t, ".github/workflows/release.yml", d.File)
			}
			assert.Contains(t, str(t, obj, "message"), tc.says, "the message names the cause")
			assert.Equal(t, d.Fix, str(t, obj, "remediation"), "the diagnosis is the fix")
			if tc.actions {
				assert.True(t, strings.Contains(res.stderr, "::error") || strings.Contains(res.stdout, "::error"), "an annotation in Actions")
			}
		})
	}
}
