package githubapi

import (
	"context"

	"github.com/google/go-github/v93/github"
)

// RateLimits reads the token's rate limits (GET /rate_limit, which GitHub does not charge).
func (c *Client) RateLimits(ctx context.Context, repo Repo) (*github.RateLimits, *github.Response, error) {
	return call(ctx, c, "get rate limit", repo, func(ctx context.Context, gh *github.Client) (*github.RateLimits, *github.Response, error) {
		return gh.RateLimit.Get(ctx)
	})
}
