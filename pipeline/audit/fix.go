package audit

import (
	"fmt"
	"slices"
	"strings"
)

// edit is a fix as a change of a file: lines from to to (1-based, inclusive) are replaced by
// text; to = from-1 inserts text before line from.
type edit struct {
	from, to int
	text     string
}

// fixEntry is one scope of a fix block.
type fixEntry struct {
	scope string
	level access
	whys  []string
}

// fixBlock is the fix of job j, whose permissions come from b (nil: none is declared) by way of
// source, and who needs needs: where to put what, and the block to paste, each needed scope
// commented with why. A block replaces what the job had, so it keeps every scope b granted.
func fixBlock(w *workflow, j *job, b *block, source string, needs []scopeNeed) (string, *edit) {
	var entries []fixEntry
	if b != nil {
		for _, g := range b.grants() {
			entries = append(entries, fixEntry{scope: g.scope, level: g.level})
		}
	}
	for _, n := range needs {
		i := slices.IndexFunc(entries, func(e fixEntry) bool { return e.scope == n.scope })
		if i < 0 {
			entries = append(entries, fixEntry{scope: n.scope})
			i = len(entries) - 1
		}
		entries[i].level = max(entries[i].level, n.level)
		entries[i].whys = append(entries[i].whys, n.whys...)
	}
	if b == nil && !slices.ContainsFunc(entries, func(e fixEntry) bool { return e.scope == scopeContents }) {
		// A block sets what it does not name to none: keep the read the restricted default gives.
		entries = append(entries, fixEntry{scope: scopeContents, level: readAccess, whys: []string{"check out the repository"}})
	}
	slices.SortFunc(entries, func(x, y fixEntry) int { return scopeOrder(x.scope, y.scope) })

	indent := j.keyCol - 1 // a new block goes among the job's keys
	switch {
	case source == SourceJob:
		indent = b.col - 1
	case source == SourceCaller || j.keyCol == 0:
		indent = 4
	}
	text := renderBlock(indent, entries)
	switch source {
	case SourceJob:
		lines := fmt.Sprintf("line %d", b.line)
		if b.end > b.line {
			lines = fmt.Sprintf("lines %d-%d", b.line, b.end)
		}
		return fmt.Sprintf("Replace the job's `permissions:` block (%s) with:\n%s", lines, text), &edit{from: b.line, to: b.end, text: text}
	case SourceCaller:
		return fmt.Sprintf("Grant it in the job that calls this workflow (`uses: ./%s`):\n%s", w.file, text), nil
	}
	var at *edit
	if j.keyCol > 0 {
		at = &edit{from: j.line + 1, to: j.line, text: text}
	}
	if source == SourceWorkflow {
		return fmt.Sprintf("Give job `%s` its own block, right under `%s:` at line %d (it replaces the workflow's block for this job, so it keeps what that block grants):\n%s",
			j.id, j.id, j.line, text), at
	}
	return fmt.Sprintf("Declare the job's permissions, right under `%s:` at line %d:\n%s", j.id, j.line, text), at
}

// renderBlock writes a permissions: key indented by indent spaces, its scopes two more, each
// commented with why it is there; the comments line up.
func renderBlock(indent int, entries []fixEntry) string {
	pad := strings.Repeat(" ", indent)
	width := 0
	for _, e := range entries {
		width = max(width, len(e.scope)+2+len(e.level.String()))
	}
	var b strings.Builder
	b.WriteString(pad + "permissions:")
	for _, e := range entries {
		line := e.scope + ": " + e.level.String()
		b.WriteString("\n" + pad + "  " + line)
		if whys := distinct(e.whys); len(whys) > 0 {
			b.WriteString(strings.Repeat(" ", width-len(line)+2) + "# " + strings.Join(whys, "; "))
		}
	}
	return b.String()
}

// distinct is ss without repeats, in order.
func distinct(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
