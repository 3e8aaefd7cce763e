package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/build"
)

// runDemo runs the CLI's demo in a golang container, where it builds the embedded sample.
func runDemo(ctx context.Context) (string, error) {
	ctr := withGoCaches(dag.Container().From("golang:" + build.GoVersion))
	platform, err := ctr.Platform(ctx)
	if err != nil {
		return "", err
	}
	out, err := ctr.WithFile(cliPath, cliBinary(platform)).WithExec([]string{cliPath, "demo"}).Stdout(ctx)
	var execErr *dagger.ExecError
	if errors.As(err, &execErr) {
		return "", fmt.Errorf("%s\n%s", execErr.Stdout, execErr.Stderr)
	}
	return out, err
}
