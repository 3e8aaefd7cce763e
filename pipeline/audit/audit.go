package audit

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Statuses of a [Finding]: the same words as a preflight check's.
const (
	StatusOK   = "ok"   // the job's own block grants everything it needs
	StatusWarn = "warn" // it may work, but what decides is outside the job's block
	StatusFail = "fail" // the job's token lacks a permission it needs: the step will fail
)

// Sources of a job's permissions, as a [Finding] names them.
const (
	SourceJob      = "job"      // the job's own permissions: block
	SourceWorkflow = "workflow" // the workflow's top-level block, which the job inherits
	SourceDefault  = "default"  // no block: the repository's (or organization's) default decides
	SourceCaller   = "caller"   // a reusable workflow's job without a block: the calling job's grant
)

// Finding is what the audit says about one job that needs permissions of its GITHUB_TOKEN. The
// JSON field names are part of the report's public contract.
type Finding struct {
	File     string   `json:"file"`     // the workflow, from the repository's root
	Line     int      `json:"line"`     // the line that decides: the block, the job, or the trigger
	Job      string   `json:"job"`      // the job's id
	Status   string   `json:"status"`   // StatusOK, StatusWarn or StatusFail
	Needs    []string `json:"needs"`    // what its steps need, as "contents: write"
	Declared []string `json:"declared"` // the deciding block as written ("read-all", "contents: read"); [] for {} or none
	Source   string   `json:"source"`   // SourceJob, SourceWorkflow, SourceDefault or SourceCaller
	Message  string   `json:"message"`  // what was found, naming the steps and lines
	Fix      string   `json:"fix"`      // where to change what, then the block to paste; "" when nothing needs to change

	lacks   []string // the needs the job certainly lacks, for the failure's message
	edit    *edit    // the fix as an edit of File; nil when the fix is elsewhere or none
	jobLine int      // where the job starts: a job's findings are listed together
}

// Result is what [Audit] found.
type Result struct {
	Workflows int       // workflow files read
	Findings  []Finding // by file, then in the order of the jobs
}

// Summary is the result in one line.
func (r Result) Summary() string {
	jobs := map[string]bool{}
	count := map[string]int{}
	for _, f := range r.Findings {
		jobs[f.File+"\x00"+f.Job] = true
		count[f.Status]++
	}
	if r.Workflows == 0 {
		return "found no workflow file (*.yml, *.yaml) in " + Dir
	}
	head := fmt.Sprintf("audited %s", plural(r.Workflows, "workflow file", "workflow files"))
	if len(jobs) == 0 {
		return head + ": no job publishes with its GITHUB_TOKEN"
	}
	return fmt.Sprintf("%s: %s %s GITHUB_TOKEN permissions; %d failing, %d warning",
		head, plural(len(jobs), "job", "jobs"), map[bool]string{true: "needs", false: "need"}[len(jobs) == 1], count[StatusFail], count[StatusWarn])
}

// Audit reads the workflows in fsys's .github/workflows (fsys is the repository's root) and
// returns a finding for every job whose steps need permissions of the job's GITHUB_TOKEN. The
// error is a [outcome.PermissionsMissing] *outcome.Error when a finding fails (the result is
// complete then too), an [outcome.InvalidInput] one naming the file and line when a workflow
// does not parse or there is no .github/workflows, and any other when a file cannot be read.
func Audit(fsys fs.FS) (Result, error) {
	ws, err := readWorkflows(fsys)
	if err != nil {
		return Result{}, err
	}
	a := newAuditor(ws)
	res := Result{Workflows: len(ws)}
	for _, w := range ws {
		for _, j := range w.jobs {
			res.Findings = append(res.Findings, a.findings(w, j)...)
		}
	}
	slices.SortStableFunc(res.Findings, func(x, y Finding) int {
		return cmp.Or(strings.Compare(x.File, y.File), x.jobLine-y.jobLine)
	})
	return res, res.err()
}

// err is the failure of a result with failing findings, nil otherwise.
func (r Result) err() error {
	var failed []Finding
	for _, f := range r.Findings {
		if f.Status == StatusFail {
			failed = append(failed, f)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	f := failed[0]
	msg := fmt.Sprintf("%s:%d: job %s lacks %s", f.File, f.Line, f.Job, strings.Join(f.lacks, ", "))
	if more := len(failed) - 1; more > 0 {
		msg += fmt.Sprintf(" (and %d more failing)", more)
	}
	return &outcome.Error{Class: outcome.PermissionsMissing, Op: "audit the workflows' permissions", Message: msg,
		Remediation: "Give each failing job the `permissions:` block its finding shows. " +
			"A job's block replaces the workflow's and sets every scope it does not name to none, so it names every scope the job needs."}
}

// auditor holds every workflow of the repository, for the jobs that call another.
type auditor struct {
	byFile  map[string]*workflow
	callers map[string][]string // a reusable workflow's callers: "job `release` of .github/workflows/x.yml"
}

func newAuditor(ws []*workflow) *auditor {
	a := &auditor{byFile: map[string]*workflow{}, callers: map[string][]string{}}
	for _, w := range ws {
		a.byFile[w.file] = w
	}
	for _, w := range ws {
		for _, j := range w.jobs {
			if j.calls != "" {
				a.callers[j.calls] = append(a.callers[j.calls], fmt.Sprintf("job `%s` of %s", j.id, w.file))
			}
		}
	}
	return a
}

// needs is everything job j needs: its steps', or, for a job that calls a reusable workflow of
// the repository, what the called jobs need and ask for (GitHub refuses to start a called
// workflow whose jobs ask for more than the caller grants).
func (a *auditor) needs(j *job, seen map[*job]bool) []requirement {
	if j.calls == "" {
		return j.needs
	}
	called := a.byFile[j.calls]
	if called == nil || seen[j] {
		return nil
	}
	seen[j] = true
	var out []requirement
	for _, k := range called.jobs {
		for _, r := range a.needs(k, seen) {
			r.by = "in " + called.file + ", " + r.by
			out = append(out, r)
		}
		if b, _ := called.grant(k); b != nil {
			for _, g := range b.grants() {
				out = append(out, requirement{
					need: need{scope: g.scope, level: g.level, why: fmt.Sprintf("job `%s` of %s asks for it", k.id, called.file)},
					by:   fmt.Sprintf("job `%s` of %s asks for it at line %d", k.id, called.file, b.line),
				})
			}
		}
	}
	return out
}

// scopeNeed is what a job needs of one scope, over all its steps.
type scopeNeed struct {
	scope    string
	level    access
	optional bool     // every step that needs it can do without
	oidc     bool     // no default grants it, and another token does not replace it
	whys     []string // distinct
	by       []string // distinct
}

func (n scopeNeed) String() string { return n.scope + ": " + n.level.String() }

// merge folds requirements by scope, in scope order.
func merge(reqs []requirement) []scopeNeed {
	var out []scopeNeed
	for _, r := range reqs {
		i := slices.IndexFunc(out, func(n scopeNeed) bool { return n.scope == r.scope })
		if i < 0 {
			out = append(out, scopeNeed{scope: r.scope, optional: true})
			i = len(out) - 1
		}
		n := &out[i]
		n.level = max(n.level, r.level)
		n.optional = n.optional && r.optional
		n.oidc = n.oidc || r.oidc
		if !slices.Contains(n.whys, r.why) {
			n.whys = append(n.whys, r.why)
		}
		if !slices.Contains(n.by, r.by) {
			n.by = append(n.by, r.by)
		}
	}
	slices.SortFunc(out, func(a, b scopeNeed) int { return scopeOrder(a.scope, b.scope) })
	return out
}

// findings are the findings of job j of workflow w: none when it needs nothing of its token;
// else one about its permissions, and one more when it runs on pull_request.
func (a *auditor) findings(w *workflow, j *job) []Finding {
	needs := merge(a.needs(j, map[*job]bool{}))
	if len(needs) == 0 {
		return nil
	}
	b, source := w.grant(j)
	f := Finding{File: w.file, Job: j.id, Source: source, Needs: names(needs), Declared: []string{}, jobLine: j.line}
	if b != nil {
		f.Line, f.Declared = b.line, b.declared()
	} else {
		f.Line = j.line
	}
	var missing, optional []scopeNeed
	for _, n := range needs {
		if b == nil || b.level(n.scope) >= n.level {
			continue
		}
		if n.optional {
			optional = append(optional, n)
		} else {
			missing = append(missing, n)
		}
	}
	ref := fmt.Sprintf("job `%s`", j.id)
	switch source {
	case SourceJob, SourceWorkflow:
		where := fmt.Sprintf("its `permissions:` block at line %d", b.line)
		if source == SourceWorkflow {
			where = fmt.Sprintf("the workflow's `permissions:` block at line %d, which it inherits,", b.line)
		}
		switch {
		case len(missing) > 0:
			f.Status, f.lacks = StatusFail, names(missing)
			f.Message = fmt.Sprintf("%s lacks %s: %s does not grant %s, and a block sets every scope it does not name to none (%s)",
				ref, list(missing), where, them(missing), because(missing))
		case len(optional) > 0:
			f.Status = StatusWarn
			f.Message = fmt.Sprintf("%s lacks %s, which is asked for too (%s); missing it only warns for now: %s does not grant %s",
				ref, list(optional), because(optional), where, them(optional))
		case source == SourceWorkflow:
			f.Status = StatusWarn
			f.Message = fmt.Sprintf("%s gets %s only from the workflow's `permissions:` block at line %d: a block added to the job (say for id-token: write) would replace it entirely and drop %s",
				ref, list(needs), b.line, them(needs))
		default:
			f.Status = StatusOK
			f.Message = fmt.Sprintf("%s gets %s from its own `permissions:` block at line %d", ref, list(needs), b.line)
		}
		if f.Status != StatusOK {
			f.Fix, f.edit = fixBlock(w, j, b, source, needs)
		}
	case SourceDefault:
		f.Status = StatusWarn
		f.Message = fmt.Sprintf("%s needs %s (%s), and neither the job nor the workflow has a `permissions:` block: "+
			"the Workflow permissions setting of the repository (or its organization) decides, and a read-only default clamps the job; declare it",
			ref, list(needs), because(needs))
		var oidc []scopeNeed
		for _, n := range needs {
			if n.oidc {
				oidc = append(oidc, n)
			}
		}
		if len(oidc) > 0 {
			f.Status, f.lacks = StatusFail, names(oidc)
			f.Message = fmt.Sprintf("%s needs %s (%s), which no default grants: neither the job nor the workflow has a `permissions:` block",
				ref, list(oidc), because(oidc))
		}
		f.Fix, f.edit = fixBlock(w, j, nil, source, needs)
	case SourceCaller:
		callers := a.callers[w.file]
		if len(callers) > 0 {
			f.Status = StatusOK
			f.Message = fmt.Sprintf("%s declares no permissions and gets what its caller grants, at most: %s, checked at %s",
				ref, list(needs), strings.Join(callers, ", "))
		} else {
			f.Status = StatusWarn
			f.Message = fmt.Sprintf("%s declares no permissions: a reusable workflow's job gets what the calling job grants, at most, and no job of this repository calls it; the caller must grant %s (%s)",
				ref, list(needs), because(needs))
			f.Fix, _ = fixBlock(w, j, nil, source, needs)
		}
	}
	out := []Finding{f}
	if w.pullRequest > 0 && !j.guarded && source != SourceCaller {
		out = append(out, Finding{
			File: w.file, Line: w.pullRequest, Job: j.id, Status: StatusWarn, Needs: f.Needs, Declared: f.Declared, Source: source, jobLine: j.line,
			Message: fmt.Sprintf("%s runs on pull_request (line %d) and needs %s: the run for a pull request from a fork gets a read-only GITHUB_TOKEN whatever is declared",
				ref, w.pullRequest, list(needs)),
			Fix: "Publish from a push of a tag or from workflow_dispatch, or keep the job off pull requests: " +
				"`if: github.event_name != 'pull_request'` (or, to keep it for pull requests from this repository, " +
				"`if: github.event.pull_request.head.repo.full_name == github.repository`).",
		})
	}
	return out
}

// names are the needs as "contents: write".
func names(needs []scopeNeed) []string {
	out := make([]string, len(needs))
	for i, n := range needs {
		out[i] = n.String()
	}
	return out
}

// list is the needs for a message: "contents: write and id-token: write".
func list(needs []scopeNeed) string {
	s := names(needs)
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// them is "it" or "them".
func them(needs []scopeNeed) string {
	if len(needs) == 1 {
		return "it"
	}
	return "them"
}

// because lists what needs the scopes.
func because(needs []scopeNeed) string {
	var by []string
	for _, n := range needs {
		for _, b := range n.by {
			if !slices.Contains(by, b) {
				by = append(by, b)
			}
		}
	}
	return strings.Join(by, "; ")
}

// plural is "1 job" or "2 jobs".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
