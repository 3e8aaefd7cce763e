// Command release-preflight is the plain-Go twin of the release-preflight Dagger module: it checks
// that a GitHub token can publish a release before anything is built, then builds and publishes.
//
//	release-preflight probe   --repo OWNER/NAME [--api-url URL] [--upload-url URL] [--run-id ID] [--run-attempt N] [--json]
//	release-preflight release --repo OWNER/NAME --tag v1.2.3 [--source DIR] [--platforms LIST] [--out DIR]
//	release-preflight publish --repo OWNER/NAME --tag v1.2.3 --assets DIR
//	release-preflight build   --out DIR [--source DIR] [--version v1.2.3]
//	release-preflight sweep   --repo OWNER/NAME [--older-than 1h]
//	release-preflight demo
//
// The token comes from GITHUB_TOKEN, else GH_TOKEN (--token-env NAME picks another variable),
// never from a flag. Exit status: 0 verified; 2 bad usage or input (nothing sent); 3 a permission
// problem; 4 transient after retries (rate limit, 5xx, network); 1 anything else. The command
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
