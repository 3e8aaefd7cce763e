package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/release-preflight/release-preflight/internal/dagger"
	"github.com/release-preflight/release-preflight/pipeline/demo"
)

// runDemo runs the demo on source, built in containers.
func runDemo(ctx context.Context, source *dagger.Directory) (string, error) {
	local, err := os.MkdirTemp(".", "demo-")
	if err != nil {
		return "", err
	}
	if _, err := source.Export(ctx, local); err != nil {
		return "", err
	}
	var out strings.Builder
	_, err = demo.Run(ctx, demo.Options{
		Out:      &out,
		Source:   local,
		Executor: containerExecutor{ctr: goContainer(nil, "1.26", source)},
	})
	if err != nil {
		return "", fmt.Errorf("%s\n%w", out.String(), err)
	}
	return out.String(), nil
}
