package probe_test

import (
	"context"
	"fmt"
	"time"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/probe"
)

func ExampleTag() {
	inCI, _ := probe.Tag("9876543210", "2", time.Now(), nil)
	fmt.Println(inCI)
	_, err := probe.Tag("latest", "", time.Now(), nil)
	fmt.Println(err)
	// Output:
	// preflight-permcheck-run9876543210-attempt2
	// make probe tag: GITHUB_RUN_ID "latest" is not a positive number: Pass GITHUB_RUN_ID as GitHub Actions sets it, or nothing outside GitHub Actions
}

// Run against the emulator with a GITHUB_TOKEN clamped to read-only: the
// probe fails after one request and names the setting to change.
func ExampleRun() {
	srv := emulator.NewServer(emulator.Options{})
	defer srv.Close()
	srv.AddRepo("octo/hello")
	srv.AddToken("example-token", emulator.ModeClamped)
	c, err := githubapi.NewClient(githubapi.Config{Token: "example-token", APIURL: srv.APIURL(), HTTPClient: srv.Client()})
	if err != nil {
		fmt.Println(err)
		return
	}

	rep, err := probe.Run(context.Background(), c, probe.Options{
		Repo:  githubapi.Repo{Owner: "octo", Name: "hello"},
		RunID: "1234", RunAttempt: "1",
	})
	e, _ := outcome.As(err)
	fmt.Println(rep.Outcome, rep.Class, e.Class.ExitCode(), rep.Requests, rep.ProbeTag)
	fmt.Println(err)
	// Output:
	// failed clamped 3 1 preflight-permcheck-run1234-attempt1
	// create draft release in octo/hello: 403 Resource not accessible by integration (token needs contents=write): Give the workflow's GITHUB_TOKEN write access: in the repository open Settings → Actions → General → Workflow permissions and select "Read and write permissions"
}
