package release_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
)

// Both adapters fill a Request and go through the same door. A token clamped to read-only is
// stopped by the probe, after one request and before anything is read or built; a token that
// can write publishes.
func Example() {
	ctx := context.Background()
	srv := emulator.NewServer(emulator.Options{})
	defer srv.Close()
	srv.AddRepo("octo-org/hello")
	srv.AddToken("clamped-token", emulator.ModeClamped)
	srv.AddToken("write-token", emulator.ModeWrite)
	dist, err := os.MkdirTemp("", "dist-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dist)
	if err := os.WriteFile(filepath.Join(dist, "hello_1.0.0_linux_amd64.tar.gz"), []byte("archive"), 0o644); err != nil {
		panic(err)
	}

	for _, token := range []string{"clamped-token", "write-token"} {
		rep, _ := release.Publish(ctx, release.Request{
			Adapter: release.CLI,
			GitHub:  githubapi.Config{Token: token, APIURL: srv.APIURL(), UploadURL: srv.UploadURL()},
			Repo:    "octo-org/hello",
			Probe:   probe.Options{RunID: "42", RunAttempt: "1"},
			Publish: publish.Options{Tag: "v1.0.0", AssetsDir: dist},
		}, nil)
		fmt.Printf("%s: %s, exit %d, %d assets; tags: %v\n", token, rep.Class, outcome.Class(rep.Class).ExitCode(), len(rep.Assets), srv.Tags("octo-org/hello"))
	}
	// Output:
	// clamped-token: clamped, exit 3, 0 assets; tags: []
	// write-token: ok, exit 0, 2 assets; tags: [v1.0.0]
}
