package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Workflows for the audit: one whose job block drops the workflow's contents: write, one that
// grants what it needs, one that does not parse.
const (
	clampedWorkflow = `on:
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
      - run: gh release create "$GITHUB_REF_NAME" dist/*
        env:
          GH_TOKEN: ${{ github.token }}
`
	grantedWorkflow = `on:
  push:
    tags: ["v*"]
permissions: {}
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: gh release create "$GITHUB_REF_NAME" dist/*
`
	brokenWorkflow = "on: push\njobs:\n  release:\n    steps: [\n"
)

// repository is a new directory holding the workflows (name → content) in .github/workflows;
// with nil, a directory without .github/workflows.
func repository(t *testing.T, workflows map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if workflows == nil {
		return dir
	}
	wf := filepath.Join(dir, ".github", "workflows")
	require.NoError(t, os.MkdirAll(wf, 0o755))
	for name, content := range workflows {
		require.NoError(t, os.WriteFile(filepath.Join(wf, name), []byte(content), 0o644))
	}
	return dir
}

// audit exits 0 when every job has what it needs, 3 (permissions-missing) when one lacks it, 2
// (invalid-input) naming the file and line when a workflow does not parse; it needs no token.
func TestAuditExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		workflows map[string]string
		code      int
		out       []string // in the output a user reads (stdout on success, stderr on failure)
	}{
		{name: "granted", workflows: map[string]string{"release.yml": grantedWorkflow}, code: 0,
			out: []string{"ok: audited 1 workflow file: 1 job needs GITHUB_TOKEN permissions; 0 failing, 0 warning", "ok   .github/workflows/release.yml:8 (job release)"}},
		{name: "no job publishes", workflows: map[string]string{"ci.yml": "on: push\njobs:\n  test:\n    runs-on: x\n    steps:\n      - run: go test ./...\n"}, code: 0,
			out: []string{"ok: audited 1 workflow file: no job publishes with its GITHUB_TOKEN"}},
		{name: "a job block drops the workflow's contents: write", workflows: map[string]string{"release.yml": clampedWorkflow, "ok.yml": grantedWorkflow}, code: 3,
			out: []string{"error: audit the workflows' permissions: .github/workflows/release.yml:9: job release lacks contents: write",
				"class:                permissions-missing",
				"fail .github/workflows/release.yml:9 (job release)",
				"    fix: Replace the job's `permissions:` block (lines 9-10) with:\n    permissions:\n      contents: write  # create the release and upload its assets\n      id-token: write\n"}},
		{name: "a workflow that does not parse", workflows: map[string]string{"release.yml": brokenWorkflow}, code: 2,
			out: []string{"error: read the workflows: .github/workflows/release.yml:4: it is not valid YAML", "class:                invalid-input", "Pass it with --source."}},
		{name: "an empty workflows directory", workflows: map[string]string{}, code: 0, out: []string{"ok: found no workflow file (*.yml, *.yaml) in .github/workflows"}},
		{name: "no workflows directory", code: 2, out: []string{"the source has no .github/workflows directory", "Pass it with --source."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := run(t, nil, env{}, "audit", "--source", repository(t, tc.workflows))
			assert.Equal(t, tc.code, res.code)
			out := res.stdout
			if tc.code != 0 {
				out = res.stderr
				assert.Empty(t, res.stdout, "a failure goes to stderr")
			}
			for _, s := range tc.out {
				assert.Contains(t, out, s)
			}
			assert.NotContains(t, res.stdout+res.stderr, "::", "no workflow commands outside GitHub Actions")
		})
	}
}

// --json prints one object with outcome, class and the findings, whatever the exit code.
func TestAuditJSON(t *testing.T) {
	t.Parallel()
	res := run(t, nil, env{}, "audit", "--json", "--source", repository(t, map[string]string{"release.yml": clampedWorkflow}))
	require.Equal(t, 3, res.code)
	obj := decodeOne(t, res.stdout)
	assert.Equal(t, "failed", str(t, obj, "outcome"))
	assert.Equal(t, "permissions-missing", str(t, obj, "class"))
	assert.Equal(t, "audit", str(t, obj, "command"))
	var findings []map[string]any
	require.NoError(t, json.Unmarshal(obj["findings"], &findings))
	require.Len(t, findings, 1)
	f := findings[0]
	assert.ElementsMatch(t, []string{"file", "line", "job", "status", "needs", "declared", "source", "message", "fix"}, keysOf(f))
	assert.Equal(t, ".github/workflows/release.yml", f["file"])
	assert.EqualValues(t, 9, f["line"])
	assert.Equal(t, "release", f["job"])
	assert.Equal(t, "fail", f["status"])
	assert.Equal(t, []any{"contents: write"}, f["needs"])
	assert.Equal(t, []any{"id-token: write"}, f["declared"])
	assert.Equal(t, "job", f["source"])
	assert.Contains(t, f["message"], "lacks contents: write")
	assert.Contains(t, f["fix"], "contents: write  # create the release and upload its assets")

	bad := run(t, nil, env{}, "audit", "--json", "--source", repository(t, map[string]string{"release.yml": brokenWorkflow}))
	require.Equal(t, 2, bad.code)
	obj = decodeOne(t, bad.stdout)
	assert.Equal(t, "invalid-input", str(t, obj, "class"))
	assert.Contains(t, str(t, obj, "message"), ".github/workflows/release.yml:4:")
	_, hasFindings := obj["findings"]
	assert.False(t, hasFindings, "no findings when the workflows cannot be read")
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// In GitHub Actions each finding that warns or fails is an annotation on its file and line,
// and the job summary gets a table of the findings and the block to paste.
func TestAuditInGitHubActions(t *testing.T) {
	t.Parallel()
	for _, asJSON := range []bool{false, true} {
		t.Run(map[bool]string{false: "text", true: "json"}[asJSON], func(t *testing.T) {
			t.Parallel()
			summary := filepath.Join(t.TempDir(), "step_summary.md")
			e := env{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
			args := []string{"audit", "--source", repository(t, map[string]string{"release.yml": clampedWorkflow})}
			if asJSON {
				args = append(args, "--json")
			}

			res := run(t, nil, e, args...)

			require.Equal(t, 3, res.code)
			commands := res.stdout
			if asJSON {
				decodeOne(t, res.stdout)
				commands = res.stderr
			}
			line := commandLine(t, commands, "::error file=.github/workflows/release.yml,line=9,title=release-preflight audit of job release::")
			assert.Contains(t, line, "job `release` lacks contents: write")
			assert.Contains(t, line, "%0A    permissions:%0A      contents: write  # create the release and upload its assets")
			commandLine(t, commands, "::error title=release-preflight audit failed (permissions-missing)::")

			b, err := os.ReadFile(summary)
			require.NoError(t, err)
			md := string(b)
			assert.Contains(t, md, "### ❌ release-preflight audit failed (permissions-missing)")
			assert.Contains(t, md, "| Status | Where | Job | Finding |")
			assert.Contains(t, md, "| ❌ fail | `.github/workflows/release.yml:9` | `release` |")
			assert.Contains(t, md, "```yaml\n    permissions:\n      contents: write  # create the release and upload its assets\n      id-token: write\n```")
		})
	}
}

// --source defaults to the current directory. (Not parallel: it changes the directory.)
func TestAuditSourceDefault(t *testing.T) {
	t.Chdir(repository(t, map[string]string{"release.yml": clampedWorkflow}))
	res := run(t, nil, env{}, "audit")
	assert.Equal(t, 3, res.code)
	assert.Contains(t, res.stderr, ".github/workflows/release.yml:9: job release lacks contents: write")

	help := run(t, nil, env{}, "audit", "-h")
	assert.Equal(t, 0, help.code)
	assert.Contains(t, help.stdout, "--source DIR")
	assert.Contains(t, help.stdout, `(default .)`)
}

// The usage text tells what audit does and how it exits.
func TestAuditUsage(t *testing.T) {
	t.Parallel()
	res := run(t, nil, env{}, "--help")
	require.Equal(t, 0, res.code)
	assert.Contains(t, res.stdout, "release-preflight audit   [--source DIR] [--json]")
	assert.Contains(t, strings.Join(strings.Fields(res.stdout), " "), "It exits 3 (permissions-missing) when a job lacks what it needs, 2 when a workflow does not parse.")
}
