package emulator_test

import (
	"context"
	"fmt"
	"log"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// A GITHUB_TOKEN left read-only by the workflow-permissions setting cannot
// create a release; one with contents: write creates a draft without a tag.
func Example() {
	srv := emulator.NewServer(emulator.Options{})
	defer srv.Close()
	srv.AddRepo("acme/widgets")
	srv.AddToken("read-only-token", emulator.ModeClamped)
	srv.AddToken("write-token", emulator.ModeWrite)

	api, upload := srv.APIURL(), srv.UploadURL()
	client := func(token string) *github.Client {
		gh, err := github.NewClient(github.WithHTTPClient(srv.Client()), github.WithURLs(&api, &upload), github.WithAuthToken(token))
		if err != nil {
			panic(err)
		}
		return gh
	}
	draft := github.CreateReleaseRequest{TagName: "v1.0.0", Draft: new(true)}
	ctx := context.Background()

	_, resp, err := client("read-only-token").Repositories.CreateRelease(ctx, "acme", "widgets", draft)
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Accepted-GitHub-Permissions"), err != nil)

	rel, _, err := client("write-token").Repositories.CreateRelease(ctx, "acme", "widgets", draft)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rel.GetDraft(), len(srv.Tags("acme/widgets")))

	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path, r.Status, r.Mode)
	}
	// Output:
	// 403 contents=write true
	// true 0
	// POST /repos/acme/widgets/releases 403 clamped
	// POST /repos/acme/widgets/releases 201 write
}

// A ruleset's ref_name patterns match full ref names, and "*" stops at "/".
func ExampleMatchRef() {
	fmt.Println(emulator.MatchRef("refs/tags/v*", "refs/tags/v1.2.3"))
	fmt.Println(emulator.MatchRef("refs/tags/v*", "refs/tags/v1/rc"))
	fmt.Println(emulator.MatchRef("refs/tags/**/*", "refs/tags/team/v1"))
	fmt.Println(emulator.MatchRef("v*", "refs/tags/v1"))
	// Output:
	// true
	// false
	// true
	// false
}
