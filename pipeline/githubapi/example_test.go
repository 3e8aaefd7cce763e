package githubapi_test

import (
	"context"
	"fmt"
	"os"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func ExampleParseRepo() {
	repo, err := githubapi.ParseRepo("octocat/hello-world")
	fmt.Println(repo.Owner, repo.Name, err)

	_, err = githubapi.ParseRepo("hello-world")
	e, _ := outcome.As(err)
	fmt.Println(e.Class, e.Class.ExitCode())
	fmt.Println(err)
	// Output:
	// octocat hello-world <nil>
	// invalid-input 2
	// parse repository: "hello-world" is not in OWNER/NAME form: Pass the repository as OWNER/NAME, for example octocat/hello-world; in GitHub Actions use ${{ github.repository }}
}

// Every call goes through Client.Do, which retries, classifies and redacts.
func ExampleClient_Do() {
	repo, err := githubapi.ParseRepo(os.Getenv("GITHUB_REPOSITORY"))
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := githubapi.NewClient(githubapi.Config{Token: os.Getenv("GITHUB_TOKEN")})
	if err != nil {
		fmt.Println(err)
		return
	}
	var latest *github.RepositoryRelease
	err = c.Do(context.Background(), "get latest release", repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		rel, resp, err := gh.Repositories.GetLatestRelease(ctx, repo.Owner, repo.Name)
		latest = rel
		return resp, err
	})
	if e, ok := outcome.As(err); ok {
		fmt.Println(err)
		os.Exit(e.Class.ExitCode())
	}
	fmt.Println(latest.GetTagName(), "in", c.Requests(), "request(s)")
}
