package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/audit"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Outcomes a [Report] can have.
const (
	OutcomeOK     = "ok"
	OutcomeFailed = "failed"
)

// MaxStepSummaryBytes is the most a step may write to $GITHUB_STEP_SUMMARY:
// past it GitHub drops the whole summary ("upload aborted, supports content up
// to a size of 1024k").
const MaxStepSummaryBytes = 1 << 20

// Report is the outcome of one release-preflight command. The JSON field names
// are a public contract: scripts parse them.
type Report struct {
	Outcome             string   `json:"outcome"` // OutcomeOK or OutcomeFailed
	Class               string   `json:"class"`   // an outcome.Class, e.g. "clamped"
	Repo                string   `json:"repo"`
	ProbeTag            string   `json:"probe_tag"`
	Requests            int      `json:"requests"`
	ElapsedMS           int64    `json:"elapsed_ms"`
	RequiredPermissions string   `json:"required_permissions"` // X-Accepted-GitHub-Permissions, e.g. "contents=write"
	Remediation         string   `json:"remediation"`          // the fix, one or more sentences
	Warnings            []string `json:"warnings"`             // rendered as [] when empty, never null
	Message             string   `json:"message"`              // the human first line

	// RequestID is GitHub's X-GitHub-Request-Id of the failing request, for support tickets.
	RequestID string `json:"request_id,omitempty"`
	// Output is the failure's multi-line detail, such as the compiler's last lines.
	Output string `json:"output,omitempty"`

	// Pipeline fields, set by the commands that use them.
	Command    string   `json:"command,omitempty"` // "probe", "release", "publish", "build", "sweep", "demo"
	Tag        string   `json:"tag,omitempty"`
	ReleaseURL string   `json:"release_url,omitempty"`
	Assets     []Asset  `json:"assets,omitempty"`
	Swept      []string `json:"swept,omitempty"`
	// DryRun says that Swept lists what a sweep would have deleted: it deleted nothing.
	DryRun bool `json:"dry_run,omitempty"`
	// BuildMS is the part of ElapsedMS the build took (release and build); the rest is the
	// requests' and the checks'.
	BuildMS int64 `json:"build_ms,omitempty"`

	// Checks are the preflight checks run after the probe passed, every one listed with its
	// status; absent when none ran (the probe failed, or the command has none).
	Checks []Check `json:"checks,omitempty"`

	// Findings are what the audit found of the workflows' jobs that need GITHUB_TOKEN
	// permissions; absent when there are none.
	Findings []audit.Finding `json:"findings,omitempty"`
	// Diagnosis is why a job's GITHUB_TOKEN could not write, read from the run's workflow;
	// absent when there is none.
	Diagnosis *audit.Diagnosis `json:"diagnosis,omitempty"`
}

// Asset is one file attached to a release.
type Asset struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
}

// FromError records the result of a step in r. A nil err marks r as passed (class "ok", with a
// default message when r.Message is empty). A failure takes its class from [outcome.ClassOf] and,
// from the *outcome.Error in its chain, the remediation, required permissions, request id and
// output, replacing whatever an earlier step that passed had put there. The message is err's
// text, which by contract ends in the fix.
func FromError(r *Report, err error) {
	if err == nil {
		r.Outcome = OutcomeOK
		r.Class = string(outcome.OK)
		if r.Message == "" {
			r.Message = r.defaultMessage()
		}
		return
	}
	r.Outcome = OutcomeFailed
	r.Class = string(outcome.ClassOf(err))
	r.Message = oneLine(err.Error())
	r.Remediation, r.RequiredPermissions, r.RequestID, r.Output = "", "", "", ""
	if e, ok := outcome.As(err); ok {
		r.Remediation = remediation(e)
		r.RequiredPermissions = e.RequiredPermissions
		r.RequestID = e.RequestID
		r.Output = e.Output
		if r.Repo == "" {
			r.Repo = e.Repo
		}
	}
}

// Record records err, the outcome of a command, as an adapter finishes it: with how the adapter
// takes the input err is about (see [outcome.Explain]). A report the pipeline returned has
// recorded err already; then only the explanation is added, and its other fields stay as the
// pipeline set them (the probe's required permissions among them). The fixes of the checks
// are explained too, also when err is nil.
func (r *Report) Record(err error, how func(input string) string) {
	r.explainChecks(how)
	switch {
	case r.Outcome == "":
		FromError(r, outcome.Explain(err, how))
	case err != nil:
		r.Explain(err, how)
	}
}

// Err is the failure r reports as an *outcome.Error whose text is r's message, so that a report
// made elsewhere (the CLI's build in the Dagger module's container) fails like the original:
// nil when r passed.
func (r Report) Err() error {
	if !r.failed() {
		return nil
	}
	return &outcome.Error{Class: outcome.Class(r.Class), Text: r.Message, Repo: r.Repo, Remediation: r.Remediation,
		RequiredPermissions: r.RequiredPermissions, RequestID: r.RequestID, Output: r.Output}
}

// Decode reads a report rendered by [Report.JSON].
func Decode(b []byte) (Report, error) {
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("decode report: %w", err)
	}
	return r, nil
}

// Explain updates the message and the fix of r, the report of err, with how the adapter takes
// the input err is about (see [outcome.Explain]); nothing else changes.
func (r *Report) Explain(err error, how func(input string) string) {
	explained := outcome.Explain(err, how)
	e, ok := outcome.As(explained)
	if !ok || e.How == "" {
		return
	}
	r.Message = oneLine(explained.Error())
	r.Remediation = remediation(e)
}

// remediation is the fix of e, with how to pass the input it is about.
func remediation(e *outcome.Error) string {
	if e.How == "" {
		return e.Remediation
	}
	return strings.TrimSpace(e.Remediation + " Pass it with " + e.How + ".")
}

// Redact returns r with every secret (a token, also without its GitHub prefix) and every other
// token-shaped value removed from all of its text; see [outcome.Redact]. It is the one choke
// point between a report and what is printed of it (text, JSON, workflow commands, the job
// summary, a Dagger function's result): it reaches every string field at any depth — the
// checks' messages and fixes, the findings, the diagnosis, the assets, the warnings — by
// reflection, so that a field added later cannot slip past it. The slices and pointers it goes
// through are copied: r's own are left as they are.
func (r Report) Redact(secrets ...string) Report {
	redactStrings(reflect.ValueOf(&r).Elem(), func(s string) string { return outcome.Redact(s, secrets...) })
	return r
}

// redactStrings applies red to every exported string reachable from v, which is settable,
// copying the slices, arrays' elements and pointers on the way. Unexported fields are never
// printed and are left alone.
func redactStrings(v reflect.Value, red func(string) string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(red(v.String()))
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				redactStrings(f, red)
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			redactStrings(v.Index(i), red)
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := range c.Len() {
			redactStrings(c.Index(i), red)
		}
		v.Set(c)
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(v.Elem())
		redactStrings(c.Elem(), red)
		v.Set(c)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			k.Set(it.Key())
			e.Set(it.Value())
			redactStrings(k, red)
			redactStrings(e, red)
			c.SetMapIndex(k, e)
		}
		v.Set(c)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := reflect.New(v.Elem().Type()).Elem()
		e.Set(v.Elem())
		redactStrings(e, red)
		v.Set(e)
	}
}

// Human renders r for a terminal. The first line says what happened and, on
// failure, the one thing to change; the lines after it are the details.
func (r Report) Human() string {
	prefix := "ok: "
	if r.failed() {
		prefix = "error: "
	}
	return r.human(prefix + r.headline())
}

// Failure renders r, the report of a failure, as the text of an error that whoever prints it
// introduces itself (Dagger prints "Error: " before a function's error): as [Report.Human], but
// without the "error: " prefix, and with the fix stated once, in the "how to fix" list, rather
// than also at the end of the first line.
func (r Report) Failure() string {
	return r.human(r.headlineWithoutFix())
}

// headlineWithoutFix is the headline without the first step of the fix that an error's text
// ends with (": <first sentence>", and the way to pass its input in parentheses): "" is never
// returned, and a headline that does not end so is kept whole.
func (r Report) headlineWithoutFix() string {
	h := r.headline()
	fix := outcome.FirstSentence(r.Remediation)
	if fix == "" {
		return h
	}
	i := strings.LastIndex(h, ": "+fix)
	if i <= 0 {
		return h
	}
	rest := h[i+len(": "+fix):]
	if rest != "" && !(strings.HasPrefix(rest, " (") && strings.HasSuffix(rest, ")")) {
		return h
	}
	return h[:i]
}

// human renders r for a terminal under the first line first.
func (r Report) human(first string) string {
	var b strings.Builder
	b.WriteString(first)
	b.WriteByte('\n')

	for _, f := range r.fields() {
		fmt.Fprintf(&b, "  %-21s %s\n", f.label+":", f.value)
	}
	if r.Output != "" {
		b.WriteString("output:\n")
		for _, line := range strings.Split(strings.TrimRight(r.Output, "\n"), "\n") {
			fmt.Fprintf(&b, "  %s\n", line)
		}
	}
	r.humanDiagnosis(&b)
	if steps := outcome.Sentences(r.Remediation); len(steps) > 0 {
		b.WriteString("how to fix:\n")
		for i, s := range steps {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, s)
		}
	}
	r.humanChecks(&b)
	r.humanFindings(&b)
	if len(r.Assets) > 0 {
		b.WriteString("assets:\n")
		for _, a := range r.Assets {
			fmt.Fprintf(&b, "  %s  %d bytes", a.Name, a.Size)
			if a.SHA256 != "" {
				fmt.Fprintf(&b, "  sha256:%s", a.SHA256)
			}
			b.WriteByte('\n')
		}
	}
	if len(r.Swept) > 0 {
		b.WriteString(r.sweptLabel() + ":\n")
		for _, s := range r.Swept {
			fmt.Fprintf(&b, "  %s\n", oneLine(s))
		}
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", oneLine(w))
	}
	return b.String()
}

// JSON renders r as one newline-terminated JSON object. Warnings is [] rather
// than null when there are none, and HTML characters are not escaped.
func (r Report) JSON() ([]byte, error) {
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return buf.Bytes(), nil
}

// Markdown renders r as a GitHub Actions job-summary block: a heading with
// ✅ or ❌, the message, a table of fields, the fix as a list and the
// warnings. Append it to $GITHUB_STEP_SUMMARY with [AppendStepSummary].
func (r Report) Markdown() string {
	var b strings.Builder
	if r.failed() {
		fmt.Fprintf(&b, "### ❌ release-preflight %s failed%s\n\n", r.command(), mdText(r.classSuffix()))
	} else {
		fmt.Fprintf(&b, "### ✅ release-preflight %s passed\n\n", r.command())
	}
	fmt.Fprintf(&b, "%s\n\n", mdText(r.headline()))

	b.WriteString("| Field | Value |\n| --- | --- |\n")
	for _, f := range r.fields() {
		v := mdCell(f.value)
		if f.code {
			v = mdCode(f.value)
		}
		fmt.Fprintf(&b, "| %s | %s |\n", capitalize(f.label), v)
	}

	if r.Output != "" {
		// An indented code block: nothing in it, HTML or fences included, is interpreted.
		b.WriteString("\n**Output**\n\n")
		for _, line := range strings.Split(strings.TrimRight(strings.ReplaceAll(r.Output, "\r", ""), "\n"), "\n") {
			fmt.Fprintf(&b, "    %s\n", line)
		}
	}
	r.markdownDiagnosis(&b)
	if steps := outcome.Sentences(r.Remediation); len(steps) > 0 {
		b.WriteString("\n**How to fix**\n\n")
		for _, s := range steps {
			fmt.Fprintf(&b, "- %s\n", mdText(s))
		}
	}
	r.markdownChecks(&b)
	r.markdownFindings(&b)
	if len(r.Assets) > 0 {
		b.WriteString("\n| Asset | Size | SHA-256 |\n| --- | ---: | --- |\n")
		for _, a := range r.Assets {
			sum := ""
			if a.SHA256 != "" {
				sum = mdCode(a.SHA256)
			}
			fmt.Fprintf(&b, "| %s | %d | %s |\n", mdCode(a.Name), a.Size, sum)
		}
	}
	if len(r.Swept) > 0 {
		b.WriteString("\n**" + capitalize(r.sweptLabel()) + "**\n\n")
		for _, s := range r.Swept {
			fmt.Fprintf(&b, "- %s\n", mdText(s))
		}
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n**Warnings**\n\n")
		for _, w := range r.Warnings {
			fmt.Fprintf(&b, "- ⚠️ %s\n", mdText(w))
		}
	}
	return b.String()
}

// WorkflowCommands renders r as GitHub Actions workflow commands, one per
// line without the trailing newline: "::error title=…::…" (message, required
// permissions and the steps of the fix it does not already state) on failure or "::notice title=…::…" on success,
// then the diagnosis on the workflow's file and line ("::error file=…,line=…,title=…::…"),
// then one "::warning" per check that warns and one "::error" per other check that fails,
// then one "::warning" or "::error" per audit finding that warns or fails, on its file and
// line, then one "::warning title=…::…" per warning. Values are escaped with
// [EscapeProperty] and [EscapeData], so a message can never start a command
// of its own.
func (r Report) WorkflowCommands() []string {
	title := "release-preflight " + r.command()
	var cmds []string
	if r.failed() {
		lines := []string{r.headline()}
		if r.RequiredPermissions != "" && !strings.Contains(r.headline(), r.RequiredPermissions) {
			lines = append(lines, "Required permissions: "+r.RequiredPermissions)
		}
		for _, step := range outcome.Sentences(r.Remediation) {
			// The message often ends with the first step already.
			if !strings.Contains(lines[0], strings.TrimSuffix(step, ".")) {
				lines = append(lines, step)
			}
		}
		cmds = append(cmds, command("error", title+" failed"+r.classSuffix(), strings.Join(lines, "\n")))
	} else {
		cmds = append(cmds, command("notice", title+" passed", r.headline()))
	}
	cmds = append(cmds, r.diagnosisCommands()...)
	cmds = append(cmds, r.checkCommands()...)
	cmds = append(cmds, r.findingCommands()...)
	for _, w := range r.Warnings {
		cmds = append(cmds, command("warning", title, w))
	}
	return cmds
}

// AppendStepSummary appends md to the job-summary file at path (the value of
// $GITHUB_STEP_SUMMARY), creating it if needed and separating it from earlier
// content by a blank line. It refuses to grow the file past
// [MaxStepSummaryBytes], since GitHub would then drop the whole summary.
func AppendStepSummary(path, md string) error {
	if path == "" {
		return errors.New("append step summary: empty path: pass the value of GITHUB_STEP_SUMMARY, which GitHub Actions sets for every step")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("append step summary: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		return errors.Join(fmt.Errorf("append step summary: %w", err), f.Close())
	}
	if !strings.HasSuffix(md, "\n") {
		md += "\n"
	}
	if info.Size() > 0 {
		md = "\n" + md
	}
	if total := info.Size() + int64(len(md)); total > MaxStepSummaryBytes {
		return errors.Join(fmt.Errorf("append step summary: %s would grow to %d bytes, past GitHub's limit of %d bytes per step: write less, or write the rest in another step",
			path, total, MaxStepSummaryBytes), f.Close())
	}
	if _, err := f.WriteString(md); err != nil {
		return errors.Join(fmt.Errorf("append step summary: %w", err), f.Close())
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("append step summary: %w", err)
	}
	return nil
}

// EscapeData escapes the message of a workflow command as actions/toolkit
// does: % → %25, \r → %0D, \n → %0A.
func EscapeData(s string) string {
	return dataEscaper.Replace(s)
}

// EscapeProperty escapes a property value of a workflow command as
// actions/toolkit does: like [EscapeData], plus : → %3A and , → %2C.
func EscapeProperty(s string) string {
	return propertyEscaper.Replace(s)
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// command formats "::name title=<title>::<message>"; an empty title is left out.
func command(name, title, message string) string {
	return commandAt(name, "", 0, title, message)
}

// commandAt formats "::name file=<file>,line=<line>,title=<title>::<message>", an annotation of
// a line of a file of the repository; an empty file, a line of 0 and an empty title are left
// out.
func commandAt(name, file string, line int, title, message string) string {
	var props []string
	if file != "" {
		props = append(props, "file="+EscapeProperty(file))
		if line > 0 {
			props = append(props, "line="+strconv.Itoa(line))
		}
	}
	if title != "" {
		props = append(props, "title="+EscapeProperty(title))
	}
	head := "::" + name
	if len(props) > 0 {
		head += " " + strings.Join(props, ",")
	}
	return head + "::" + EscapeData(message)
}

type field struct {
	label, value string
	code         bool // render as inline code in Markdown
}

// fields lists the details worth showing, skipping empty ones.
func (r Report) fields() []field {
	var fs []field
	add := func(label, value string, code bool) {
		if value != "" {
			fs = append(fs, field{label: label, value: oneLine(value), code: code})
		}
	}
	add("outcome", r.Outcome, false)
	add("class", r.Class, true)
	add("repo", r.Repo, true)
	add("probe tag", r.ProbeTag, true)
	add("required permissions", r.RequiredPermissions, true)
	add("request id", r.RequestID, true)
	add("tag", r.Tag, true)
	add("release", r.ReleaseURL, false)
	// The build's time is not the requests': a release that built for two minutes did not wait
	// two minutes on GitHub.
	if requestMS := r.ElapsedMS - r.BuildMS; r.Requests > 0 || requestMS > 0 {
		add("requests", strconv.Itoa(r.Requests)+" in "+strconv.FormatInt(max(requestMS, 0), 10)+" ms", false)
	}
	if r.BuildMS > 0 {
		add("build", strconv.FormatFloat(float64(r.BuildMS)/1000, 'f', 1, 64)+" s", false)
	}
	return fs
}

func (r Report) failed() bool { return r.Outcome != OutcomeOK }

// sweptLabel heads the list of Swept.
func (r Report) sweptLabel() string {
	if r.DryRun {
		return "would delete"
	}
	return "deleted"
}

func (r Report) command() string {
	if r.Command == "" {
		return "probe"
	}
	return oneLine(r.Command)
}

// classSuffix is " (class)", or "" when no class is set.
func (r Report) classSuffix() string {
	if r.Class == "" {
		return ""
	}
	return " (" + oneLine(r.Class) + ")"
}

// headline is the one-line message, derived when Message is empty.
func (r Report) headline() string {
	if r.Message != "" {
		return oneLine(r.Message)
	}
	return r.defaultMessage()
}

func (r Report) defaultMessage() string {
	repo := ""
	if r.Repo != "" {
		repo = " in " + oneLine(r.Repo)
	}
	switch {
	case r.failed():
		return r.command() + " failed" + repo + r.classSuffix()
	case r.command() == "probe":
		return "GitHub write permission confirmed" + repo + ": draft release created and deleted"
	default:
		return r.command() + " succeeded" + repo
	}
}

// capitalize upper-cases the first letter of an ASCII label.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// oneLine folds line breaks into spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " ")
}

// mdText makes s safe as inline Markdown text in a job summary: one line, and
// no raw HTML. Backticks are kept so remediation can show code.
func mdText(s string) string {
	return strings.ReplaceAll(oneLine(s), "<", "&lt;")
}

// mdCell is mdText for a table cell, where | would end the cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(s), "|", `\|`)
}

// mdCode renders s as inline code when it has no backtick, else as a cell.
func mdCode(s string) string {
	if s == "" || strings.Contains(s, "`") {
		return mdCell(s)
	}
	return "`" + strings.ReplaceAll(oneLine(s), "|", `\|`) + "`"
}

// Size formats n bytes with binary units: "512 B", "1.5 KiB", "64.0 MiB".
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
