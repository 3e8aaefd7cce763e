// Command release-preflight is the plain-Go twin of the release-preflight Dagger module: it checks
// that a GitHub token can publish a release before anything is built, then builds and publishes.
//
//	release-preflight probe   --repo OWNER/NAME [--tag TAG] [--assets DIR]
//	                          [--commit SHA] [--target REF] [--replace-assets]
//	                          [check flags] [probe flags] [GitHub flags] [--json]
//	release-preflight release --repo OWNER/NAME --tag TAG [--source DIR]
//	                          [--out DIR] [build flags] [publish flags]
//	                          [check flags] [probe flags] [GitHub flags] [--json]
//	release-preflight publish --repo OWNER/NAME --tag TAG [--assets DIR]
//	                          [--commit SHA] [publish flags] [check flags]
//	                          [probe flags] [GitHub flags] [--json]
//	release-preflight build   --out DIR [--source DIR] [--version VERSION]
//	                          [build flags] [--json]
//	release-preflight sweep   --repo OWNER/NAME [--older-than DURATION]
//	                          [--dry-run] [GitHub flags] [--json]
//	release-preflight demo    [--platforms LIST] [--json]
//	release-preflight audit   [--source DIR] [--json]
//
// The token comes from GITHUB_TOKEN, else GH_TOKEN (--token-env NAME picks another variable),
// never from a flag. Exit status: 0 verified; 2 bad usage or input (nothing sent); 3 a permission
// or policy problem; 4 transient after retries (rate limit, 5xx, network); 1 anything else.
// release-preflight --help says more, and COMMAND --help lists a command's flags. The command
// line itself is package internal/cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/release-preflight/release-preflight/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := (&cli.CLI{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}).Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
