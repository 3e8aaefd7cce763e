package report

import (
	"fmt"
	"strings"
)

// Statuses of a [Check].
const (
	// CheckOK: the check was made and found nothing in the way.
	CheckOK = "ok"
	// CheckWarn: worth knowing, but the release goes on.
	CheckWarn = "warn"
	// CheckFail: the release would fail at publish; it stops before anything is built.
	CheckFail = "fail"
	// CheckSkipped: the check could not be made (GitHub refused this token, or an input it needs
	// is missing); its message says why. Never a pass.
	CheckSkipped = "skipped"
)

// Check is the result of one preflight check, as the report lists it. The JSON field names are
// part of the public contract.
type Check struct {
	Name    string `json:"name"`    // e.g. "tag-rulesets"
	Status  string `json:"status"`  // CheckOK, CheckWarn, CheckFail or CheckSkipped
	Message string `json:"message"` // what the check found, or why it was skipped
	Fix     string `json:"fix"`     // what to change; "" when nothing needs to change
	// Input is the input the fix is about (see outcome.Error's Input). [Report.Record] adds how
	// the adapter takes it to Fix, then clears it.
	Input string `json:"-"`
}

// line is the check as one line: its message and, when there is one, its fix.
func (c Check) line() string {
	if c.Fix == "" {
		return oneLine(c.Message)
	}
	return oneLine(strings.TrimSuffix(c.Message, ".") + ": " + c.Fix)
}

// explainChecks adds to the fix of every check about an input how the adapter takes it.
func (r *Report) explainChecks(how func(input string) string) {
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.Input == "" {
			continue
		}
		if h := how(c.Input); h != "" {
			c.Fix = strings.TrimSpace(c.Fix + " Pass it with " + h + ".")
		}
		c.Input = ""
	}
}

// humanChecks renders the checks one per line: status, name, message and fix.
func (r Report) humanChecks(b *strings.Builder) {
	if len(r.Checks) == 0 {
		return
	}
	b.WriteString("checks:\n")
	for _, c := range r.Checks {
		fmt.Fprintf(b, "  %-7s %-21s %s\n", oneLine(c.Status), oneLine(c.Name), c.line())
	}
}

// markdownChecks renders the checks as a table.
func (r Report) markdownChecks(b *strings.Builder) {
	if len(r.Checks) == 0 {
		return
	}
	b.WriteString("\n| Check | Status | Message | Fix |\n| --- | --- | --- | --- |\n")
	for _, c := range r.Checks {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", mdCode(c.Name), checkBadge(c.Status), mdCell(c.Message), mdCell(c.Fix))
	}
}

// checkCommands are the workflow annotations of the checks that warn or fail, except the
// failure the report itself is about, which has its own annotation.
func (r Report) checkCommands() []string {
	var cmds []string
	for _, c := range r.Checks {
		title := "release-preflight check " + c.Name
		switch {
		case c.Status == CheckWarn:
			cmds = append(cmds, command("warning", title, c.line()))
		case c.Status == CheckFail && !(r.failed() && strings.Contains(r.headline(), oneLine(c.Message))):
			cmds = append(cmds, command("error", title+" failed", c.line()))
		}
	}
	return cmds
}

func checkBadge(status string) string {
	switch status {
	case CheckOK:
		return "✅ ok"
	case CheckWarn:
		return "⚠️ warn"
	case CheckFail:
		return "❌ fail"
	case CheckSkipped:
		return "⏭️ skipped"
	}
	return mdCell(status)
}
