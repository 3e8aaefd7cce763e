package publish_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/publish"
)

// Publish a directory of built files as release v1.0.0. The GitHub emulator
// stands in for github.com; against GitHub, leave APIURL and UploadURL empty.
func ExamplePublish() {
	srv := emulator.NewServer(emulator.Options{})
	defer srv.Close()
	srv.AddRepo("acme/widgets")
	srv.AddToken("example-token", emulator.ModeWrite)

	client, err := githubapi.NewClient(githubapi.Config{
		Token:     "example-token", // in CI: os.Getenv("GITHUB_TOKEN")
		APIURL:    srv.APIURL(),
		UploadURL: srv.UploadURL(),
	})
	if err != nil {
		log.Fatal(err)
	}

	dist, err := os.MkdirTemp("", "dist")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dist)
	archive := filepath.Join(dist, "widgets_1.0.0_linux_amd64.tar.gz")
	if err := os.WriteFile(archive, make([]byte, 3<<10), 0o644); err != nil {
		log.Fatal(err)
	}

	// Prepare checks and reads the files before anything is sent.
	prep, err := publish.Prepare(publish.Options{
		Repo:        githubapi.Repo{Owner: "acme", Name: "widgets"},
		Tag:         "v1.0.0",
		AssetsDir:   dist,
		Concurrency: 1,         // upload in name order, for a stable output
		Progress:    os.Stdout, // one line per asset
		// A clock that stands still, so the durations print as 0s.
		Now: func() time.Time { return time.Unix(0, 0) },
	})
	if err != nil {
		log.Fatal(err) // the message ends in the fix
	}
	res, err := publish.Publish(context.Background(), client, prep)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("draft=%v assets=%d tag=%v\n", res.Draft, len(res.Assets), srv.Tags("acme/widgets"))
	// Output:
	// uploaded widgets_1.0.0_linux_amd64.tar.gz (3.0 KiB) in 0s
	// uploaded SHA256SUMS (99 B) in 0s
	// draft=false assets=2 tag=[v1.0.0]
}
