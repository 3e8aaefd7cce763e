package githubapi

import (
	"context"

	"github.com/google/go-github/v93/github"
)

// GetRef reads a git reference such as "tags/v1.2.3" (each segment escaped): a 404 when there
// is none.
func (c *Client) GetRef(ctx context.Context, op string, repo Repo, ref string) (*github.Reference, *github.Response, error) {
	return call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (*github.Reference, *github.Response, error) {
		return gh.Git.GetRef(ctx, repo.Owner, repo.Name, ref)
	})
}

// GetTag reads the annotated tag object sha, which points at the tagged object.
func (c *Client) GetTag(ctx context.Context, op string, repo Repo, sha string) (*github.Tag, *github.Response, error) {
	return call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (*github.Tag, *github.Response, error) {
		return gh.Git.GetTag(ctx, repo.Owner, repo.Name, sha)
	})
}
