package report

import (
	"fmt"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/audit"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// humanFindings renders the audit's findings: status, where, the job and the message, then the
// fix, whose block is printed as it is to be pasted, at its own indentation.
func (r Report) humanFindings(b *strings.Builder) {
	if len(r.Findings) == 0 {
		return
	}
	b.WriteString("findings:\n")
	for _, f := range r.Findings {
		fmt.Fprintf(b, "  %-4s %s (job %s): %s\n", oneLine(f.Status), where(f.File, f.Line), oneLine(f.Job), oneLine(f.Message))
		prose, block := splitFix(f.Fix)
		if prose != "" {
			fmt.Fprintf(b, "    fix: %s\n", prose)
		}
		if block != "" {
			b.WriteString(block + "\n")
		}
	}
}

// markdownFindings renders the findings as a table, then the fix of each that has one, its
// block in a YAML code block.
func (r Report) markdownFindings(b *strings.Builder) {
	if len(r.Findings) == 0 {
		return
	}
	b.WriteString("\n| Status | Where | Job | Finding |\n| --- | --- | --- | --- |\n")
	for _, f := range r.Findings {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", checkBadge(f.Status), mdCode(where(f.File, f.Line)), mdCode(f.Job), mdCell(f.Message))
	}
	for _, f := range r.Findings {
		prose, block := splitFix(f.Fix)
		if prose == "" && block == "" {
			continue
		}
		fmt.Fprintf(b, "\n**Fix for %s (%s)**: %s\n", mdCode(where(f.File, f.Line)), mdCode(f.Job), mdText(prose))
		if block != "" {
			fence := strings.Repeat("`", max(3, longestRun(block, '`')+1))
			fmt.Fprintf(b, "\n%syaml\n%s\n%s\n", fence, strings.ReplaceAll(block, "\r", ""), fence)
		}
	}
}

// findingCommands are the annotations of the findings that warn or fail, each on its file and
// line, with its fix.
func (r Report) findingCommands() []string {
	var cmds []string
	for _, f := range r.Findings {
		name := map[string]string{audit.StatusWarn: "warning", audit.StatusFail: "error"}[f.Status]
		if name == "" {
			continue
		}
		msg := oneLine(f.Message)
		if f.Fix != "" {
			msg += "\n" + f.Fix
		}
		cmds = append(cmds, commandAt(name, f.File, f.Line, "release-preflight audit of job "+oneLine(f.Job), msg))
	}
	return cmds
}

// humanDiagnosis renders why the token was read-only: the cause, where, and the fix as steps.
func (r Report) humanDiagnosis(b *strings.Builder) {
	d := r.Diagnosis
	if d == nil {
		return
	}
	fmt.Fprintf(b, "why the token is read-only: %s", oneLine(d.Cause))
	if d.File != "" {
		fmt.Fprintf(b, " (%s)", where(d.File, d.Line))
	}
	b.WriteByte('\n')
	for _, s := range outcome.Sentences(d.Fix) {
		fmt.Fprintf(b, "  %s\n", s)
	}
}

// markdownDiagnosis renders the diagnosis as a paragraph and a list.
func (r Report) markdownDiagnosis(b *strings.Builder) {
	d := r.Diagnosis
	if d == nil {
		return
	}
	fmt.Fprintf(b, "\n**Why the token is read-only**: %s", mdCode(d.Cause))
	if d.File != "" {
		fmt.Fprintf(b, " at %s", mdCode(where(d.File, d.Line)))
	}
	b.WriteString("\n\n")
	for _, s := range outcome.Sentences(d.Fix) {
		fmt.Fprintf(b, "- %s\n", mdText(s))
	}
}

// diagnosisCommands is the annotation of the diagnosis, on the workflow's line that decides.
func (r Report) diagnosisCommands() []string {
	d := r.Diagnosis
	if d == nil {
		return nil
	}
	name := "notice"
	if r.failed() {
		name = "error"
	}
	return []string{commandAt(name, d.File, d.Line, "release-preflight diagnosis ("+oneLine(d.Cause)+")", d.Fix)}
}

// where is "file:line", or the file alone when the line is unknown.
func where(file string, line int) string {
	if line <= 0 {
		return oneLine(file)
	}
	return fmt.Sprintf("%s:%d", oneLine(file), line)
}

// splitFix splits a finding's fix into its first line, the prose, and the block after it.
func splitFix(fix string) (prose, block string) {
	prose, block, _ = strings.Cut(strings.ReplaceAll(fix, "\r", ""), "\n")
	return oneLine(prose), strings.TrimRight(block, "\n")
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
