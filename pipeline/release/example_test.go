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

// A token clamped to read-only gets no Gate, so nothing can be built or published with it; a
// token that can write gets one and publishes through it.
func Example() {
	ctx := context.Background()
	srv := emulator.NewServer(emulator.Options{})
	defer srv.Close()
	srv.AddRepo("octo-org/hello")
	srv.AddToken("clamped-token", emulator.ModeClamped)
	srv.AddToken("write-token", emulator.ModeWrite)
	repo, err := githubapi.ParseRepo("octo-org/hello")
	if err != nil {
		panic(err)
	}

	for _, token := range []string{"clamped-token", "write-token"} {
		client, err := githubapi.NewClient(githubapi.Config{Token: token, APIURL: srv.APIURL(), UploadURL: srv.UploadURL()})
		if err != nil {
			panic(err)
		}
		gate, rep, err := release.Open(ctx, client, probe.Options{Repo: repo, RunID: "42", RunAttempt: "1"})
		fmt.Printf("%s: %s after %d request(s), exit %d\n", token, rep.Class, rep.Requests, outcome.Class(rep.Class).ExitCode())
		if err != nil {
			continue
		}
		dist, err := os.MkdirTemp("", "dist-")
		if err != nil {
			panic(err)
		}
		defer os.RemoveAll(dist)
		if err := os.WriteFile(filepath.Join(dist, "hello_1.0.0_linux_amd64.tar.gz"), []byte("archive"), 0o644); err != nil {
			panic(err)
		}
		prep, err := publish.Prepare(publish.Options{Tag: "v1.0.0", AssetsDir: dist})
		if err != nil {
			panic(err)
		}
		rep, err = gate.Publish(ctx, prep)
		if err != nil {
			panic(err)
		}
		fmt.Printf("published %s with %d assets; tags: %v\n", rep.Tag, len(rep.Assets), srv.Tags("octo-org/hello"))
	}
	// Output:
	// clamped-token: clamped after 1 request(s), exit 3
	// write-token: ok after 2 request(s), exit 0
	// published v1.0.0 with 2 assets; tags: [v1.0.0]
}
