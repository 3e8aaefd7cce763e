package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/audit"
)

// auditedReport is a failed audit: one job lacks contents: write, one warns, one is fine.
func auditedReport() Report {
	return Report{
		Outcome: OutcomeFailed, Class: "permissions-missing", Command: "audit",
		Message:     "audit the workflows' permissions: .github/workflows/release.yml:9: job release lacks contents: write: Give each failing job the `permissions:` block its finding shows",
		Remediation: "Give each failing job the `permissions:` block its finding shows.",
		Findings: []audit.Finding{
			{File: ".github/workflows/release.yml", Line: 9, Job: "release", Status: audit.StatusFail, Source: audit.SourceJob,
				Needs: []string{"contents: write"}, Declared: []string{"id-token: write"},
				Message: "job `release` lacks contents: write: its `permissions:` block at line 9 does not grant it",
				Fix:     "Replace the job's `permissions:` block (lines 9-10) with:\n    permissions:\n      contents: write  # create the release and upload its assets"},
			{File: ".github/workflows/release.yml", Line: 1, Job: "release", Status: audit.StatusWarn, Source: audit.SourceJob,
				Needs: []string{"contents: write"}, Declared: []string{"id-token: write"},
				Message: "job `release` needs contents: write and runs on pull_request | forks", Fix: "Publish from a push of a tag."},
			{File: ".github/workflows/probe.yml", Line: 30, Job: "probe", Status: audit.StatusOK, Source: audit.SourceJob,
				Needs: []string{"contents: write"}, Declared: []string{"contents: write"}, Message: "job `probe` gets contents: write from its own block"},
		},
	}
}

func TestFindingsRendering(t *testing.T) {
	t.Parallel()
	r := auditedReport()

	assert.Contains(t, r.Human(), "findings:\n"+
		"  fail .github/workflows/release.yml:9 (job release): job `release` lacks contents: write: its `permissions:` block at line 9 does not grant it\n"+
		"    fix: Replace the job's `permissions:` block (lines 9-10) with:\n"+
		"    permissions:\n"+
		"      contents: write  # create the release and upload its assets\n"+
		"  warn .github/workflows/release.yml:1 (job release): job `release` needs contents: write and runs on pull_request | forks\n"+
		"    fix: Publish from a push of a tag.\n"+
		"  ok   .github/workflows/probe.yml:30 (job probe): job `probe` gets contents: write from its own block\n")

	md := r.Markdown()
	assert.Contains(t, md, "### ❌ release-preflight audit failed (permissions-missing)")
	assert.Contains(t, md, "| Status | Where | Job | Finding |\n| --- | --- | --- | --- |\n"+
		"| ❌ fail | `.github/workflows/release.yml:9` | `release` | job `release` lacks contents: write: its `permissions:` block at line 9 does not grant it |\n"+
		"| ⚠️ warn | `.github/workflows/release.yml:1` | `release` | job `release` needs contents: write and runs on pull_request \\| forks |\n"+
		"| ✅ ok | `.github/workflows/probe.yml:30` | `probe` | job `probe` gets contents: write from its own block |\n")
	assert.Contains(t, md, "**Fix for `.github/workflows/release.yml:9` (`release`)**: Replace the job's `permissions:` block (lines 9-10) with:\n\n"+
		"```yaml\n    permissions:\n      contents: write  # create the release and upload its assets\n```\n")
	assert.NotContains(t, md, "Fix for `.github/workflows/probe.yml:30`", "an ok finding has no fix")

	cmds := r.WorkflowCommands()
	require.Len(t, cmds, 3, "the report's failure, then the failing and the warning finding: %q", cmds)
	assert.True(t, strings.HasPrefix(cmds[0], "::error title=release-preflight audit failed (permissions-missing)::"), cmds[0])
	assert.Equal(t, "::error file=.github/workflows/release.yml,line=9,title=release-preflight audit of job release::"+
		"job `release` lacks contents: write: its `permissions:` block at line 9 does not grant it%0A"+
		"Replace the job's `permissions:` block (lines 9-10) with:%0A    permissions:%0A      contents: write  # create the release and upload its assets", cmds[1])
	assert.True(t, strings.HasPrefix(cmds[2], "::warning file=.github/workflows/release.yml,line=1,title=release-preflight audit of job release::"), cmds[2])
}

func TestFindingsJSON(t *testing.T) {
	t.Parallel()
	b, err := auditedReport().JSON()
	require.NoError(t, err)
	var obj struct {
		Outcome  string           `json:"outcome"`
		Class    string           `json:"class"`
		Findings []map[string]any `json:"findings"`
	}
	require.NoError(t, json.Unmarshal(b, &obj))
	assert.Equal(t, "failed", obj.Outcome)
	assert.Equal(t, "permissions-missing", obj.Class)
	require.Len(t, obj.Findings, 3)
	assert.Equal(t, map[string]any{
		"file": ".github/workflows/release.yml", "line": float64(9), "job": "release", "status": "fail",
		"needs": []any{"contents: write"}, "declared": []any{"id-token: write"}, "source": "job",
		"message": "job `release` lacks contents: write: its `permissions:` block at line 9 does not grant it",
		"fix":     "Replace the job's `permissions:` block (lines 9-10) with:\n    permissions:\n      contents: write  # create the release and upload its assets",
	}, obj.Findings[0], "exactly these fields")

	none, err := Report{Outcome: OutcomeOK}.JSON()
	require.NoError(t, err)
	assert.NotContains(t, string(none), `"findings"`)
	assert.NotContains(t, string(none), `"diagnosis"`)

	decoded, err := Decode(b)
	require.NoError(t, err)
	assert.Equal(t, auditedReport().Findings[0].Fix, decoded.Findings[0].Fix, "a report decodes with its findings")
}

// diagnosedReport is a clamped probe with the diagnosis of why.
func diagnosedReport() Report {
	return Report{
		Outcome: OutcomeFailed, Class: "clamped", Repo: "octo/hello", Command: "probe",
		Message: "create draft release in octo/hello: 403 Resource not accessible by integration",
		Diagnosis: &audit.Diagnosis{Cause: audit.CauseJobPermissions, File: ".github/workflows/release.yml", Line: 10,
			Fix: "Job `release` declares its own `permissions:` block at .github/workflows/release.yml:10 without contents: write. Add `contents: write` to that block."},
	}
}

func TestDiagnosisRendering(t *testing.T) {
	t.Parallel()
	r := diagnosedReport()

	assert.Contains(t, r.Human(), "why the token is read-only: job-permissions (.github/workflows/release.yml:10)\n"+
		"  Job `release` declares its own `permissions:` block at .github/workflows/release.yml:10 without contents: write.\n"+
		"  Add `contents: write` to that block.\n")
	assert.Contains(t, r.Markdown(), "**Why the token is read-only**: `job-permissions` at `.github/workflows/release.yml:10`\n\n"+
		"- Job `release` declares its own `permissions:` block at .github/workflows/release.yml:10 without contents: write.\n"+
		"- Add `contents: write` to that block.\n")
	cmds := r.WorkflowCommands()
	require.Len(t, cmds, 2)
	assert.Equal(t, "::error file=.github/workflows/release.yml,line=10,title=release-preflight diagnosis (job-permissions)::"+
		"Job `release` declares its own `permissions:` block at .github/workflows/release.yml:10 without contents: write. Add `contents: write` to that block.", cmds[1])

	b, err := r.JSON()
	require.NoError(t, err)
	var obj map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &obj))
	assert.JSONEq(t, `{"cause":"job-permissions","file":".github/workflows/release.yml","line":10,"fix":"Job `+"`release`"+` declares its own `+"`permissions:`"+` block at .github/workflows/release.yml:10 without contents: write. Add `+"`contents: write`"+` to that block."}`, string(obj["diagnosis"]))

	fork := Report{Outcome: OutcomeFailed, Class: "clamped", Diagnosis: &audit.Diagnosis{Cause: audit.CauseForkPullRequest, Fix: "Fork."}}
	assert.Equal(t, "::error title=release-preflight diagnosis (fork-pull-request)::Fork.", fork.WorkflowCommands()[1],
		"a diagnosis without a file is an annotation of the run")
}

// A finding's text cannot start a workflow command of its own, nor break its properties.
func TestFindingCommandsResistInjection(t *testing.T) {
	t.Parallel()
	r := Report{Outcome: OutcomeOK, Command: "audit", Findings: []audit.Finding{{
		File: ".github/workflows/a,b:c.yml", Line: 3, Job: "x\n::error::injected", Status: audit.StatusWarn,
		Message: "m\r\n::add-mask::x", Fix: "f\n::stop-commands::y",
	}}}
	cmds := r.WorkflowCommands()
	require.Len(t, cmds, 2)
	for _, c := range cmds {
		assert.NotContains(t, c, "\n")
		assert.NotContains(t, c, "\r")
	}
	assert.True(t, strings.HasPrefix(cmds[1], "::warning file=.github/workflows/a%2Cb%3Ac.yml,line=3,title=release-preflight audit of job x %3A%3Aerror%3A%3Ainjected::"), cmds[1])
}

func TestRedactFindings(t *testing.T) {
	t.Parallel()
	const token = "ghs_FINDINGtoken0123456789abcdefXYZ"
	r := auditedReport()
	r.Findings[0].Message += " " + token
	r.Findings[0].Needs = []string{token}
	r.Findings[1].Fix = token
	r.Diagnosis = &audit.Diagnosis{Cause: "c", File: token, Fix: token}
	original := r.Findings[0].Message

	red := r.Redact(token)

	js, err := red.JSON()
	require.NoError(t, err)
	for _, out := range []string{string(js), red.Human(), red.Markdown(), strings.Join(red.WorkflowCommands(), "\n")} {
		assert.NotContains(t, out, strings.TrimPrefix(token, "ghs_"))
	}
	assert.Equal(t, original, r.Findings[0].Message, "the report redacted is a copy")
	assert.Equal(t, token, r.Diagnosis.Fix, "the diagnosis too")
}
