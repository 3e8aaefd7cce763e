package cli

import (
	"context"
	"os"

	"github.com/release-preflight/release-preflight/pipeline/release"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// audit is `release-preflight audit [--source DIR] [--json]`: it reads the workflows in the
// repository at --source and reports, down to the line, each job whose GITHUB_TOKEN lacks a
// permission its steps need. It needs no token and sends nothing.
func (c *CLI) audit(ctx context.Context, args []string) int {
	cmd := c.newCommand("audit")
	source := cmd.fs.String("source", ".", "the repository, as a `DIR`, whose .github/workflows to audit")
	return cmd.run(ctx, args, func(ctx context.Context, r release.Request) report.Report {
		rep, _ := release.Audit(ctx, r, os.DirFS(*source))
		return rep
	})
}
