package githubapi

import (
	"context"

	"github.com/google/go-github/v93/github"
)

// call runs one GitHub operation named op through [Client.Do]: fn is one attempt, run again on
// a retry. It returns what the last attempt returned.
func call[T any](ctx context.Context, c *Client, op string, repo Repo, fn func(ctx context.Context, gh *github.Client) (T, *github.Response, error)) (T, *github.Response, error) {
	var (
		out  T
		last *github.Response
	)
	err := c.Do(ctx, op, repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		v, resp, err := fn(ctx, gh)
		out, last = v, resp
		return resp, err
	})
	return out, last, err
}

// ListReleases lists every release of repo, drafts included (GitHub shows drafts only to tokens
// with push access), following every page up to the client's page cap.
func (c *Client) ListReleases(ctx context.Context, repo Repo) ([]*github.RepositoryRelease, *github.Response, error) {
	return ListAll(ctx, c, "list releases", repo, func(ctx context.Context, gh *github.Client, o *github.ListOptions) ([]*github.RepositoryRelease, *github.Response, error) {
		return gh.Repositories.ListReleases(ctx, repo.Owner, repo.Name, o)
	})
}

// ListRecentReleases lists the newest releases of repo, drafts included: one page of PerPage,
// in the order GitHub lists them (the most recently created first), one request.
func (c *Client) ListRecentReleases(ctx context.Context, repo Repo) ([]*github.RepositoryRelease, *github.Response, error) {
	return call(ctx, c, "list releases", repo, func(ctx context.Context, gh *github.Client) ([]*github.RepositoryRelease, *github.Response, error) {
		return gh.Repositories.ListReleases(ctx, repo.Owner, repo.Name, &github.ListOptions{PerPage: PerPage})
	})
}

// GetRelease reads the release id, drafts included for a token with push access.
func (c *Client) GetRelease(ctx context.Context, op string, repo Repo, id int64) (*github.RepositoryRelease, *github.Response, error) {
	return call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (*github.RepositoryRelease, *github.Response, error) {
		return gh.Repositories.GetRelease(ctx, repo.Owner, repo.Name, id)
	})
}

// LatestRelease reads the repository's latest release: a 404 when it has none.
func (c *Client) LatestRelease(ctx context.Context, repo Repo) (*github.RepositoryRelease, *github.Response, error) {
	return call(ctx, c, "get latest release", repo, func(ctx context.Context, gh *github.Client) (*github.RepositoryRelease, *github.Response, error) {
		return gh.Repositories.GetLatestRelease(ctx, repo.Owner, repo.Name)
	})
}

// CreateRelease creates a release (a draft creates no tag). A retried attempt whose answer was
// lost may have created one already: the caller that must know compares [Client.Requests]
// before and after.
func (c *Client) CreateRelease(ctx context.Context, op string, repo Repo, req github.CreateReleaseRequest) (*github.RepositoryRelease, *github.Response, error) {
	return call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (*github.RepositoryRelease, *github.Response, error) {
		return gh.Repositories.CreateRelease(ctx, repo.Owner, repo.Name, req)
	})
}

// UpdateRelease changes the fields of the release id that req sets; draft false publishes it,
// which creates its tag.
func (c *Client) UpdateRelease(ctx context.Context, op string, repo Repo, id int64, req github.UpdateReleaseRequest) (*github.RepositoryRelease, *github.Response, error) {
	return call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (*github.RepositoryRelease, *github.Response, error) {
		return gh.Repositories.UpdateRelease(ctx, repo.Owner, repo.Name, id, req)
	})
}

// DeleteRelease deletes the release id (its tag stays). A 404 means it is gone, or never was
// visible to this token: see [IsNotFound].
func (c *Client) DeleteRelease(ctx context.Context, op string, repo Repo, id int64) (*github.Response, error) {
	_, resp, err := call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (struct{}, *github.Response, error) {
		resp, err := gh.Repositories.DeleteRelease(ctx, repo.Owner, repo.Name, id)
		return struct{}{}, resp, err
	})
	return resp, err
}

// GenerateReleaseNotes asks GitHub for the notes it would generate for a release of tag (which
// need not exist yet), created at target ("" for the default branch); nothing is stored.
func (c *Client) GenerateReleaseNotes(ctx context.Context, op string, repo Repo, tag, target string) (*github.RepositoryReleaseNotes, *github.Response, error) {
	body := github.GenerateNotesRequest{TagName: tag}
	if target != "" {
		body.TargetCommitish = &target
	}
	return call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (*github.RepositoryReleaseNotes, *github.Response, error) {
		return gh.Repositories.GenerateReleaseNotes(ctx, repo.Owner, repo.Name, body)
	})
}
