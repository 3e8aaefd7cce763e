package cli

import (
	"context"
	"os"

	"github.com/release-preflight/release-preflight/pipeline/audit"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// audit is `release-preflight audit [--source DIR] [--json]`: it reads the workflows in the
// repository at --source and reports, down to the line, each job whose GITHUB_TOKEN lacks a
// permission its steps need. It needs no token and sends nothing.
func (c *CLI) audit(_ context.Context, args []string) int {
	fs, asJSON := c.flagSet("audit")
	source := fs.String("source", ".", "the repository, as a `DIR`, whose .github/workflows to audit")
	rep := report.Report{Command: "audit"}
	if code, done := c.parse(fs, args, rep, asJSON); done {
		return code
	}
	res, err := audit.Audit(os.DirFS(*source))
	rep.Findings, rep.Message = res.Findings, res.Summary()
	return c.finish(rep, err, *asJSON)
}
