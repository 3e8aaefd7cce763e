package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func TestRenderings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		report   Report
		human    string
		markdown string
		commands []string
	}{
		{
			name:   "ok",
			report: okReport(),
			human: `ok: GitHub write permission confirmed in octo/hello: draft release created and deleted
  outcome:              ok
  class:                ok
  repo:                 octo/hello
  probe tag:            preflight-permcheck-run42-attempt1
  requests:             2 in 812 ms
`,
			markdown: "### ✅ release-preflight probe passed\n\n" +
				"GitHub write permission confirmed in octo/hello: draft release created and deleted\n\n" +
				"| Field | Value |\n| --- | --- |\n" +
				"| Outcome | ok |\n" +
				"| Class | `ok` |\n" +
				"| Repo | `octo/hello` |\n" +
				"| Probe tag | `preflight-permcheck-run42-attempt1` |\n" +
				"| Requests | 2 in 812 ms |\n",
			commands: []string{
				"::notice title=release-preflight probe passed::GitHub write permission confirmed in octo/hello: draft release created and deleted",
			},
		},
		{
			name:   "clamped",
			report: clampedReport(),
			human: "error: " + clampedMessage + `
  outcome:              failed
  class:                clamped
  repo:                 octo/hello
  probe tag:            preflight-permcheck-run42-attempt1
  required permissions: contents=write
  request id:           C0DE:1F:2A:3B
  requests:             1 in 304 ms
how to fix:
  1. Set Settings → Actions → General → Workflow permissions → Read and write permissions.
  2. If that choice is greyed out, the organization forces read-only: change Organization Settings → Actions → General → Workflow permissions.
  3. ` + "`permissions: contents: write`" + ` on the job grants it to that job alone.
`,
			markdown: "### ❌ release-preflight probe failed (clamped)\n\n" +
				clampedMessage + "\n\n" +
				"| Field | Value |\n| --- | --- |\n" +
				"| Outcome | failed |\n" +
				"| Class | `clamped` |\n" +
				"| Repo | `octo/hello` |\n" +
				"| Probe tag | `preflight-permcheck-run42-attempt1` |\n" +
				"| Required permissions | `contents=write` |\n" +
				"| Request id | `C0DE:1F:2A:3B` |\n" +
				"| Requests | 1 in 304 ms |\n" +
				"\n**How to fix**\n\n" +
				"- Set Settings → Actions → General → Workflow permissions → Read and write permissions.\n" +
				"- If that choice is greyed out, the organization forces read-only: change Organization Settings → Actions → General → Workflow permissions.\n" +
				"- `permissions: contents: write` on the job grants it to that job alone.\n",
			commands: []string{
				"::error title=release-preflight probe failed (clamped)::" + clampedMessage +
					"%0ASet Settings → Actions → General → Workflow permissions → Read and write permissions." +
					"%0AIf that choice is greyed out, the organization forces read-only: change Organization Settings → Actions → General → Workflow permissions." +
					"%0A`permissions: contents: write` on the job grants it to that job alone.",
			},
		},
		{
			name:   "rate-limited with warnings",
			report: rateLimitedReport(),
			human: "error: " + rateLimitedMessage + `
  outcome:              failed
  class:                rate-limited
  repo:                 octo/hello
  probe tag:            preflight-permcheck-run42-attempt2
  requests:             3 in 1250 ms
how to fix:
  1. Wait until 2026-05-01T12:30:00Z, then re-run the job.
  2. Or use a GitHub App token, which has its own quota.
warning: ` + leftoverWarning + `
warning: retried 2 times after 502 Bad Gateway, then hit the rate limit
`,
			markdown: "### ❌ release-preflight probe failed (rate-limited)\n\n" +
				rateLimitedMessage + "\n\n" +
				"| Field | Value |\n| --- | --- |\n" +
				"| Outcome | failed |\n" +
				"| Class | `rate-limited` |\n" +
				"| Repo | `octo/hello` |\n" +
				"| Probe tag | `preflight-permcheck-run42-attempt2` |\n" +
				"| Requests | 3 in 1250 ms |\n" +
				"\n**How to fix**\n\n" +
				"- Wait until 2026-05-01T12:30:00Z, then re-run the job.\n" +
				"- Or use a GitHub App token, which has its own quota.\n" +
				"\n**Warnings**\n\n" +
				"- ⚠️ " + leftoverWarning + "\n" +
				"- ⚠️ retried 2 times after 502 Bad Gateway, then hit the rate limit\n",
			commands: []string{
				"::error title=release-preflight probe failed (rate-limited)::" + rateLimitedMessage +
					"%0AWait until 2026-05-01T12:30:00Z, then re-run the job.%0AOr use a GitHub App token, which has its own quota.",
				"::warning title=release-preflight probe::" + leftoverWarning,
				"::warning title=release-preflight probe::retried 2 times after 502 Bad Gateway,%0Athen hit the rate limit",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.human, tt.report.Human())
			assert.Equal(t, tt.markdown, tt.report.Markdown())
			assert.Equal(t, tt.commands, tt.report.WorkflowCommands())
		})
	}
}

// The clamped case is the reason this tool exists: every rendering must lead
// with the setting to flip and the permission it grants.
func TestClampedLeadsWithTheFix(t *testing.T) {
	t.Parallel()
	r := clampedReport()
	renderings := map[string]string{
		"human first line": firstLine(r.Human()),
		"markdown":         r.Markdown(),
		"error command":    r.WorkflowCommands()[0],
	}
	for name, got := range renderings {
		assert.Contains(t, got, "Workflow permissions", name)
		assert.Contains(t, got, "contents=write", name)
	}
	assert.Contains(t, r.Markdown(), "`permissions: contents: write`", "job-level alternative")
}

func TestPipelineFields(t *testing.T) {
	t.Parallel()
	r := Report{
		Outcome:    OutcomeOK,
		Class:      "ok",
		Repo:       "octo/hello",
		Command:    "release",
		Tag:        "v1.2.3",
		ReleaseURL: "https://github.com/octo/hello/releases/tag/v1.2.3",
		Assets: []Asset{
			{Name: "hello_linux_amd64.tar.gz", Size: 1024, SHA256: "ab12"},
			{Name: "SHA256SUMS", Size: 90},
		},
		Swept: []string{"preflight-permcheck-run1-attempt1 (id 7)"},
	}
	assert.Equal(t, `ok: release succeeded in octo/hello
  outcome:              ok
  class:                ok
  repo:                 octo/hello
  tag:                  v1.2.3
  release:              https://github.com/octo/hello/releases/tag/v1.2.3
assets:
  hello_linux_amd64.tar.gz  1024 bytes  sha256:ab12
  SHA256SUMS  90 bytes
deleted:
  preflight-permcheck-run1-attempt1 (id 7)
`, r.Human())

	md := r.Markdown()
	assert.True(t, strings.HasPrefix(md, "### ✅ release-preflight release passed\n"), md)
	assert.Contains(t, md, "| Release | https://github.com/octo/hello/releases/tag/v1.2.3 |\n")
	assert.Contains(t, md, "| `hello_linux_amd64.tar.gz` | 1024 | `ab12` |\n")
	assert.Contains(t, md, "| `SHA256SUMS` | 90 |  |\n")
	assert.Contains(t, md, "**Deleted**\n\n- preflight-permcheck-run1-attempt1 (id 7)\n")
	assert.Equal(t, []string{"::notice title=release-preflight release passed::release succeeded in octo/hello"}, r.WorkflowCommands())
}

func TestMarkdownKeepsUntrustedTextInline(t *testing.T) {
	t.Parallel()
	r := Report{
		Outcome: OutcomeFailed,
		Class:   "unexpected",
		Repo:    "octo/he|lo",
		Message: "boom <script>alert(1)</script>\n### not a heading",
	}
	md := r.Markdown()
	assert.Contains(t, md, "boom &lt;script>alert(1)&lt;/script> ### not a heading\n")
	assert.Contains(t, md, "| Repo | `octo/he\\|lo` |\n")
	assert.NotContains(t, md, "<script>")
}

func TestFromError(t *testing.T) {
	t.Parallel()
	clamped := &outcome.Error{
		Class:               outcome.Clamped,
		Op:                  "create draft release",
		Repo:                "octo/hello",
		Status:              403,
		Message:             "Resource not accessible by integration",
		RequiredPermissions: "contents=write",
		RequestID:           "C0DE:1F",
		Remediation:         clampedRemediation,
	}
	tests := []struct {
		name  string
		start Report
		err   error
		want  Report
	}{
		{
			name:  "nil error passes with a default message",
			start: Report{Repo: "octo/hello", ProbeTag: "preflight-permcheck-run1-attempt1", Requests: 2},
			want: Report{
				Outcome: OutcomeOK, Class: "ok", Repo: "octo/hello", ProbeTag: "preflight-permcheck-run1-attempt1", Requests: 2,
				Message: "GitHub write permission confirmed in octo/hello: draft release created and deleted",
			},
		},
		{
			name:  "nil error keeps the caller's message",
			start: Report{Command: "publish", Message: "published v1.2.3"},
			want:  Report{Outcome: OutcomeOK, Class: "ok", Command: "publish", Message: "published v1.2.3"},
		},
		{
			name:  "githubapi error fills class, fix, permissions and request id",
			start: Report{ProbeTag: "preflight-permcheck-run1-attempt1"},
			err:   clamped,
			want: Report{
				Outcome: OutcomeFailed, Class: "clamped", Repo: "octo/hello", ProbeTag: "preflight-permcheck-run1-attempt1",
				RequiredPermissions: "contents=write", Remediation: clampedRemediation, RequestID: "C0DE:1F",
				Message: clamped.Error(),
			},
		},
		{
			name:  "wrapped githubapi error keeps the outer context",
			start: Report{Repo: "octo/other"},
			err:   fmt.Errorf("probe: %w", clamped),
			want: Report{
				Outcome: OutcomeFailed, Class: "clamped", Repo: "octo/other",
				RequiredPermissions: "contents=write", Remediation: clampedRemediation, RequestID: "C0DE:1F",
				Message: "probe: " + clamped.Error(),
			},
		},
		{
			name: "generic error is unexpected",
			err:  errors.New("read assets dir: permission denied:\ncheck the mount"),
			want: Report{Outcome: OutcomeFailed, Class: "unexpected", Message: "read assets dir: permission denied: check the mount"},
		},
		{
			name:  "the class comes from the error, never from the caller",
			start: Report{Class: string(outcome.Conflict)},
			err: &outcome.Error{Class: outcome.BuildFailed, Op: "go build ./cmd/hello", Message: "exit status 1",
				Remediation: "Fix the compile error in the output.", Output: "./main.go:1: oops"},
			want: Report{Outcome: OutcomeFailed, Class: "build-failed", Message: "go build ./cmd/hello: exit status 1: Fix the compile error in the output",
				Remediation: "Fix the compile error in the output.", Output: "./main.go:1: oops"},
		},
		{
			name:  "generic error overrides a stale ok",
			start: Report{Outcome: OutcomeOK, Class: "ok", Message: "GitHub write permission confirmed"},
			err:   errors.New("publish: boom"),
			want:  Report{Outcome: OutcomeFailed, Class: "unexpected", Message: "publish: boom"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.start
			FromError(&got, tt.err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	contractFields := []string{
		"outcome", "class", "repo", "probe_tag", "requests", "elapsed_ms",
		"required_permissions", "remediation", "warnings", "message",
	}
	tests := []struct {
		name         string
		report       Report
		extraFields  []string
		wantWarnings []any
	}{
		{name: "zero report", report: Report{}, wantWarnings: []any{}},
		{name: "ok", report: okReport(), wantWarnings: []any{}},
		{name: "clamped", report: clampedReport(), extraFields: []string{"request_id"}, wantWarnings: []any{}},
		{
			name:         "rate-limited with warnings",
			report:       rateLimitedReport(),
			wantWarnings: []any{leftoverWarning, "retried 2 times after 502 Bad Gateway,\nthen hit the rate limit"},
		},
		{
			name: "pipeline fields",
			report: Report{
				Command: "release", Tag: "v1.2.3", ReleaseURL: "https://example.test/r",
				Assets: []Asset{{Name: "a.tgz", Size: 3, SHA256: "ff"}}, Swept: []string{"x (id 1)"},
				Warnings: []string{},
			},
			extraFields:  []string{"command", "tag", "release_url", "assets", "swept"},
			wantWarnings: []any{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := tt.report.JSON()
			require.NoError(t, err)
			require.True(t, strings.HasSuffix(string(b), "}\n"), "newline-terminated object: %q", b)
			assert.Equal(t, 1, strings.Count(string(b), "\n"), "one line")
			assert.NotContains(t, string(b), `"warnings":null`)

			var fields map[string]any
			require.NoError(t, json.Unmarshal(b, &fields))
			want := append(append([]string{}, contractFields...), tt.extraFields...)
			assert.ElementsMatch(t, want, keys(fields))
			assert.Equal(t, tt.wantWarnings, fields["warnings"])

			var back Report
			require.NoError(t, json.Unmarshal(b, &back))
			if tt.report.Warnings == nil {
				tt.report.Warnings = []string{}
			}
			assert.Equal(t, tt.report, back, "round trip")
		})
	}
}

func TestJSONKeepsArrowsAndAngles(t *testing.T) {
	t.Parallel()
	b, err := Report{Remediation: "Settings → Actions <org> & more"}.JSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"remediation":"Settings → Actions <org> & more"`)
}

func TestEscape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, data, property string
	}{
		{in: "", data: "", property: ""},
		{in: "plain text", data: "plain text", property: "plain text"},
		{in: "100%", data: "100%25", property: "100%25"},
		{in: "a\nb", data: "a%0Ab", property: "a%0Ab"},
		{in: "a\r\nb", data: "a%0D%0Ab", property: "a%0D%0Ab"},
		{in: "key: value", data: "key: value", property: "key%3A value"},
		{in: "a,b", data: "a,b", property: "a%2Cb"},
		{in: "::error::x", data: "::error::x", property: "%3A%3Aerror%3A%3Ax"},
		{in: "%0A literal", data: "%250A literal", property: "%250A literal"},
		{in: "%3A,:", data: "%253A,:", property: "%253A%2C%3A"},
		{in: "Settings → Actions", data: "Settings → Actions", property: "Settings → Actions"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.data, EscapeData(tt.in))
			assert.Equal(t, tt.property, EscapeProperty(tt.in))
			assert.Equal(t, tt.in, unescape(EscapeData(tt.in), false))
			assert.Equal(t, tt.in, unescape(EscapeProperty(tt.in), true))
		})
	}
}

// A message cannot smuggle in a command of its own: the runner reads one
// command per line, and every command is one line that parses back to the
// title and message that went in.
func TestWorkflowCommandsResistInjection(t *testing.T) {
	t.Parallel()
	r := Report{
		Outcome:  OutcomeFailed,
		Class:    "un,ex:pected",
		Command:  "probe",
		Message:  "boom",
		Warnings: []string{"first\n::error::injected\r\n::add-mask::x", "100% done, key: value"},
	}
	cmds := r.WorkflowCommands()
	require.Len(t, cmds, 3)
	for _, c := range cmds {
		assert.NotContains(t, c, "\n")
		assert.NotContains(t, c, "\r")
	}
	name, title, msg := parseCommand(t, cmds[0])
	assert.Equal(t, "error", name)
	assert.Equal(t, "release-preflight probe failed (un,ex:pected)", title)
	assert.Equal(t, "boom", msg)
	for i, w := range r.Warnings {
		name, title, msg := parseCommand(t, cmds[i+1])
		assert.Equal(t, "warning", name)
		assert.Equal(t, "release-preflight probe", title)
		assert.Equal(t, w, msg)
	}
}

func TestAppendStepSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		existing *string // nil: no file yet
		md       string
		want     string
		wantErr  string
	}{
		{name: "creates the file", md: "### ✅ ok\n", want: "### ✅ ok\n"},
		{name: "adds a final newline", md: "### ✅ ok", want: "### ✅ ok\n"},
		{name: "separates from earlier steps", existing: new("## Build\n"), md: "### ❌ failed\n", want: "## Build\n\n### ❌ failed\n"},
		{name: "empty existing file", existing: new(""), md: "x\n", want: "x\n"},
		{
			name: "refuses to pass GitHub's limit", existing: new(strings.Repeat("a", MaxStepSummaryBytes-4)), md: "too much\n",
			want: strings.Repeat("a", MaxStepSummaryBytes-4), wantErr: "past GitHub's limit of 1048576 bytes per step",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "step_summary")
			if tt.existing != nil {
				require.NoError(t, os.WriteFile(path, []byte(*tt.existing), 0o644))
			}
			err := AppendStepSummary(path, tt.md)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
			} else {
				require.NoError(t, err)
			}
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestAppendStepSummaryErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{name: "empty path", path: "", wantErr: "pass the value of GITHUB_STEP_SUMMARY"},
		{name: "missing directory", path: filepath.Join(t.TempDir(), "no", "such", "dir", "summary"), wantErr: "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := AppendStepSummary(tt.path, "x")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.True(t, strings.HasPrefix(err.Error(), "append step summary: "), err.Error())
		})
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a\nb", "%", "%0A", "%%0A%", ":,", "\r\n::error::x", "→ %3A %2C %25", "%2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		data, property := EscapeData(s), EscapeProperty(s)
		if got := unescape(data, false); got != s {
			t.Fatalf("data round trip: %q -> %q -> %q", s, data, got)
		}
		if got := unescape(property, true); got != s {
			t.Fatalf("property round trip: %q -> %q -> %q", s, property, got)
		}
		if strings.ContainsAny(data, "\r\n") || strings.ContainsAny(property, "\r\n") {
			t.Fatalf("raw line break in %q / %q", data, property)
		}
		if strings.ContainsAny(property, ":,") {
			t.Fatalf("raw property separator in %q", property)
		}
		for _, c := range (Report{Outcome: OutcomeFailed, Class: s, Message: s, Remediation: s, Warnings: []string{s}}).WorkflowCommands() {
			if strings.ContainsAny(c, "\r\n") {
				t.Fatalf("raw line break in command %q", c)
			}
		}
	})
}

// unescape decodes a workflow-command value the way the Actions runner does.
// It decodes left to right, so it is the exact inverse of the escapers.
func unescape(s string, property bool) string {
	codes := map[string]string{"%25": "%", "%0D": "\r", "%0A": "\n"}
	if property {
		codes["%3A"] = ":"
		codes["%2C"] = ","
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+3 <= len(s) {
			if dec, ok := codes[s[i:i+3]]; ok {
				b.WriteString(dec)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseCommand splits "::name title=T::message" as the runner does: the
// command ends at the first "::" after the leading one, properties are
// comma-separated key=value pairs.
func parseCommand(t *testing.T, line string) (name, title, message string) {
	t.Helper()
	require.True(t, strings.HasPrefix(line, "::"), line)
	header, data, ok := strings.Cut(line[2:], "::")
	require.True(t, ok, line)
	name, props, _ := strings.Cut(header, " ")
	for _, p := range strings.Split(props, ",") {
		if k, v, ok := strings.Cut(p, "="); ok && k == "title" {
			title = unescape(v, true)
		}
	}
	return name, title, unescape(data, false)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func keys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestDefaultMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		report Report
		want   string
	}{
		{name: "zero report is not a success", report: Report{}, want: "error: probe failed\n"},
		{name: "failure without message", report: Report{Outcome: OutcomeFailed, Class: "conflict", Repo: "o/r", Command: "publish"},
			want: "error: publish failed in o/r (conflict)\n"},
		{name: "probe passed", report: Report{Outcome: OutcomeOK, Repo: "o/r"},
			want: "ok: GitHub write permission confirmed in o/r: draft release created and deleted\n"},
		{name: "sweep passed", report: Report{Outcome: OutcomeOK, Command: "sweep"}, want: "ok: sweep succeeded\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.report.Human()
			assert.Equal(t, tt.want, firstLine(got)+"\n")
		})
	}
}

// A build failure's output is shown as it came, in every rendering, and cannot escape its block.
func TestOutputRendering(t *testing.T) {
	t.Parallel()
	r := Report{Command: "build"}
	FromError(&r, &outcome.Error{Class: outcome.BuildFailed, Op: "go build of hello for linux/amd64", Message: "exit status 1",
		Output: "./main.go:3:15: undefined: oops\n<script>alert(1)</script>\n```", Remediation: "Fix the errors in the output and build again."})
	human := r.Human()
	assert.Contains(t, human, "output:\n  ./main.go:3:15: undefined: oops\n  <script>alert(1)</script>\n")
	first, _, _ := strings.Cut(human, "\n")
	assert.Equal(t, "error: go build of hello for linux/amd64: exit status 1: Fix the errors in the output and build again", first)
	md := r.Markdown()
	assert.Contains(t, md, "**Output**\n\n    ./main.go:3:15: undefined: oops\n    <script>alert(1)</script>\n    ```\n",
		"an indented code block, where neither HTML nor a fence is interpreted")
	b, err := r.JSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"output":"./main.go:3:15: undefined: oops\n<script>alert(1)</script>\n`+"```"+`"`)
}

// An adapter's way to pass the input reaches a report the pipeline made, and nothing else of
// it changes: the probe's required permissions stay.
func TestExplain(t *testing.T) {
	t.Parallel()
	err := outcome.Invalid("make probe tag", "run-id", `GITHUB_RUN_ID "x" is not a positive number`, "Pass GITHUB_RUN_ID as GitHub Actions sets it.")
	r := Report{Command: "probe", RequiredPermissions: "contents=write"}
	FromError(&r, err)
	r.RequiredPermissions = "contents=write" // as the probe sets it
	before := r
	r.Explain(err, func(input string) string { return map[string]string{"run-id": "--run-id"}[input] })
	assert.Equal(t, `make probe tag: GITHUB_RUN_ID "x" is not a positive number: Pass GITHUB_RUN_ID as GitHub Actions sets it (--run-id)`, r.Message)
	assert.Equal(t, "Pass GITHUB_RUN_ID as GitHub Actions sets it. Pass it with --run-id.", r.Remediation)
	r.Message, r.Remediation = before.Message, before.Remediation
	assert.Equal(t, before, r, "nothing else changes")

	plain := Report{Message: "m"}
	plain.Explain(errors.New("m"), func(string) string { return "--x" })
	assert.Equal(t, Report{Message: "m"}, plain)
}

func TestRecordAndDecode(t *testing.T) {
	t.Parallel()
	how := func(input string) string { return map[string]string{"tag": "--tag"}[input] }
	fresh := Report{Command: "publish"}
	fresh.Record(outcome.Invalid("check the tag", "tag", "no tag was given", "Pass a tag."), how)
	assert.Equal(t, "invalid-input", fresh.Class)
	assert.Equal(t, "check the tag: no tag was given: Pass a tag (--tag)", fresh.Message)

	passed := Report{Command: "probe"}
	passed.Record(nil, how)
	assert.Equal(t, OutcomeOK, passed.Outcome)

	b, err := fresh.JSON()
	require.NoError(t, err)
	back, err := Decode(b)
	require.NoError(t, err)
	fresh.Warnings = []string{}
	assert.Equal(t, fresh, back)
	_, err = Decode([]byte("{"))
	assert.ErrorContains(t, err, "decode report")
}

func TestRedact(t *testing.T) {
	t.Parallel()
	const token = "ghs_REPORTtoken0123456789abcdefXYZ"
	rest := strings.TrimPrefix(token, "ghs_")
	leaky := func(s string) string { return s + " " + token + " " + rest + " ghp_otherTOKEN0123456789" }
	rep := Report{
		Outcome: OutcomeFailed, Class: "unexpected", Repo: leaky("octo/hello"), ProbeTag: leaky("tag"),
		RequiredPermissions: leaky("contents=write"), Remediation: leaky("Fix it."), Message: leaky("message"),
		RequestID: leaky("id"), Output: leaky("output"), Command: "probe", Tag: leaky("v1"), ReleaseURL: leaky("https://x"),
		Warnings: []string{leaky("warning")}, Swept: []string{leaky("swept")},
		Assets: []Asset{{Name: leaky("asset"), Size: 1, SHA256: leaky("sum")}},
	}
	original := rep.Warnings[0]

	red := rep.Redact(token)

	js, err := red.JSON()
	require.NoError(t, err)
	for _, out := range []string{string(js), red.Human(), red.Markdown(), strings.Join(red.WorkflowCommands(), "\n")} {
		assert.NotContains(t, out, rest, "the token, with or without its prefix")
		assert.NotContains(t, out, "ghp_otherTOKEN", "any token-shaped value")
		assert.Contains(t, out, "[REDACTED]")
	}
	assert.Equal(t, "octo/hello [REDACTED] [REDACTED] ghp_[REDACTED]", red.Repo)
	assert.Equal(t, original, rep.Warnings[0], "the report redacted is a copy")
	assert.Equal(t, Report{Warnings: []string{}}, Report{Warnings: []string{}}.Redact(token), "empty stays empty")
}

// The text of a function's error (Dagger prints "Error: " before it) has no prefix of its own
// and states each step of the fix once: the first line says what happened, the list how to fix
// it.
func TestFailureStatesTheFixOnce(t *testing.T) {
	t.Parallel()
	clamped := &outcome.Error{Class: outcome.Clamped, Op: "create draft release", Repo: "octo/hello", Status: 403,
		Message: "Resource not accessible by integration", RequiredPermissions: "contents=write",
		Remediation: `Give the workflow's GITHUB_TOKEN write access: select "Read and write permissions". Then re-run the job.`}
	badTag := outcome.Invalid("check the tag", "tag", `tag "v1 2" has a space`, "Pass a tag such as v1.2.3.")
	wrapped := fmt.Errorf("publish: %w", &outcome.Error{Class: outcome.ServerError, Op: "upload a.zip", Status: 502,
		Remediation: "Re-run the same command."})
	noFix := &outcome.Error{Class: outcome.Unexpected, Op: "decode", Message: "odd answer"}
	tests := []struct {
		name  string
		err   error
		first string
		steps []string
	}{
		{name: "a classified refusal", err: clamped,
			first: "create draft release in octo/hello: 403 Resource not accessible by integration (token needs contents=write)",
			steps: []string{`  1. Give the workflow's GITHUB_TOKEN write access: select "Read and write permissions".`, "  2. Then re-run the job."}},
		{name: "an input, with how to pass it", err: badTag,
			first: `check the tag: tag "v1 2" has a space`,
			steps: []string{"  1. Pass a tag such as v1.2.3.", "  2. Pass it with --tag."}},
		{name: "a wrapped error", err: wrapped, first: "publish: upload a.zip: 502 Bad Gateway",
			steps: []string{"  1. Re-run the same command."}},
		{name: "no fix to move", err: noFix, first: "decode: odd answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r Report
			r.Record(tt.err, func(input string) string {
				if input == "tag" {
					return "--tag"
				}
				return ""
			})

			text := r.Failure()

			first, rest, _ := strings.Cut(text, "\n")
			assert.Equal(t, tt.first, first)
			assert.False(t, strings.HasPrefix(strings.ToLower(text), "error"), "Dagger adds its own prefix")
			for _, step := range tt.steps {
				assert.Contains(t, rest, "how to fix:\n")
				assert.Equal(t, 1, strings.Count(text, strings.TrimSpace(step[5:])), "stated once: %s", step)
				assert.Contains(t, rest, step+"\n")
			}
			assert.Equal(t, strings.TrimPrefix(r.Human(), "error: "+r.headline()), strings.TrimPrefix(text, first),
				"only the first line differs from Human")
		})
	}
}

// A dry run's list says what would be deleted, not what was; a build's time is not the
// requests'.
func TestSweptAndBuildTime(t *testing.T) {
	t.Parallel()
	swept := Report{Outcome: OutcomeOK, Command: "sweep", Repo: "octo/hello", DryRun: true, Requests: 1, ElapsedMS: 20,
		Message: "would delete 1 leftover probe draft in octo/hello", Swept: []string{"preflight-permcheck-run1-attempt1 (id 7)"}}
	assert.Contains(t, swept.Human(), "\nwould delete:\n  preflight-permcheck-run1-attempt1 (id 7)\n")
	assert.NotContains(t, swept.Human(), "deleted:")
	assert.Contains(t, swept.Markdown(), "**Would delete**\n\n- preflight-permcheck-run1-attempt1 (id 7)\n")

	released := Report{Outcome: OutcomeOK, Command: "release", Requests: 20, ElapsedMS: 148173, BuildMS: 147863}
	assert.Contains(t, released.Human(), "  requests:             20 in 310 ms\n  build:                147.9 s\n")
	built := Report{Outcome: OutcomeOK, Command: "build", ElapsedMS: 1500, BuildMS: 1500}
	assert.NotContains(t, built.Human(), "requests:", "a build sends none")
	assert.Contains(t, built.Human(), "  build:                1.5 s\n")
	b, err := released.JSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"elapsed_ms":148173`)
	assert.Contains(t, string(b), `"build_ms":147863`)
}
