package githubapi

import (
	"context"

	"github.com/google/go-github/v93/github"
)

// GetRepository reads the repository: its visibility, owner and the token's permissions on it.
func (c *Client) GetRepository(ctx context.Context, repo Repo) (*github.Repository, *github.Response, error) {
	return call(ctx, c, "get repository", repo, func(ctx context.Context, gh *github.Client) (*github.Repository, *github.Response, error) {
		return gh.Repositories.Get(ctx, repo.Owner, repo.Name)
	})
}

// ImmutableReleases reads whether immutable releases are on. GitHub answers 404 when they are
// off, and also when the token may not read the setting (it takes administration: read).
func (c *Client) ImmutableReleases(ctx context.Context, repo Repo) (*github.RepoImmutableReleasesStatus, *github.Response, error) {
	return call(ctx, c, "check immutable releases", repo, func(ctx context.Context, gh *github.Client) (*github.RepoImmutableReleasesStatus, *github.Response, error) {
		return gh.Repositories.AreImmutableReleasesEnabled(ctx, repo.Owner, repo.Name)
	})
}
