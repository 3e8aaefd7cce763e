package githubapi

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/url"
	"path/filepath"

	"github.com/google/go-github/v93/github"
)

// AssetUploaded is the state of a complete release asset. An upload that failed upstream leaves
// one in another state ("starter", in GitHub's words).
const AssetUploaded = "uploaded"

// ListAssets lists every asset of the release id, whatever its state, following every page.
func (c *Client) ListAssets(ctx context.Context, op string, repo Repo, id int64) ([]*github.ReleaseAsset, *github.Response, error) {
	return ListAll(ctx, c, op, repo, func(ctx context.Context, gh *github.Client, o *github.ListOptions) ([]*github.ReleaseAsset, *github.Response, error) {
		return gh.Repositories.ListReleaseAssets(ctx, repo.Owner, repo.Name, id, o)
	})
}

// GetAsset reads the asset id: a 404 when it is gone (see [IsNotFound]).
func (c *Client) GetAsset(ctx context.Context, op string, repo Repo, id int64) (*github.ReleaseAsset, *github.Response, error) {
	return call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (*github.ReleaseAsset, *github.Response, error) {
		return gh.Repositories.GetReleaseAsset(ctx, repo.Owner, repo.Name, id)
	})
}

// DeleteAsset deletes the asset id. One that is already gone answers 404 (see [IsNotFound]):
// only a fresh listing tells whether it really is.
func (c *Client) DeleteAsset(ctx context.Context, op string, repo Repo, id int64) (*github.Response, error) {
	_, resp, err := call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (struct{}, *github.Response, error) {
		resp, err := gh.Repositories.DeleteReleaseAsset(ctx, repo.Owner, repo.Name, id)
		return struct{}{}, resp, err
	})
	return resp, err
}

// RenameAsset gives the asset id a new name. Another asset's name answers 422 already_exists.
func (c *Client) RenameAsset(ctx context.Context, op string, repo Repo, id int64, name string) (*github.ReleaseAsset, *github.Response, error) {
	return call(ctx, c, op, repo, func(ctx context.Context, gh *github.Client) (*github.ReleaseAsset, *github.Response, error) {
		return gh.Repositories.UpdateReleaseAsset(ctx, repo.Owner, repo.Name, id, github.UpdateReleaseAssetRequest{Name: &name})
	})
}

// Upload is the content of one release asset. It is opened anew for every attempt, so that a
// retry sends it whole and memory does not grow with its size.
type Upload struct {
	// Name is the asset's name.
	Name string
	// Size is the content's length in bytes; Open must yield exactly that many.
	Size int64
	// MediaType is the Content-Type; "" derives it from the name's extension, else
	// application/octet-stream.
	MediaType string
	// Open opens the content for one attempt; the upload closes it.
	Open func() (io.ReadCloser, error)
	// BeforeRetry, when not nil, runs before every attempt after the first: it removes what a
	// failed attempt may have left (a half-made asset would make the retry fail with 422
	// already_exists).
	BeforeRetry func(ctx context.Context) error
}

// UploadAsset uploads u as an asset of the release id, to the client's upload URL.
func (c *Client) UploadAsset(ctx context.Context, repo Repo, id int64, u Upload) (*github.ReleaseAsset, *github.Response, error) {
	media := u.MediaType
	if media == "" {
		media = mime.TypeByExtension(filepath.Ext(u.Name))
	}
	if media == "" {
		media = "application/octet-stream"
	}
	path := fmt.Sprintf("repos/%s/%s/releases/%d/assets?name=%s", url.PathEscape(repo.Owner), url.PathEscape(repo.Name), id, url.QueryEscape(u.Name))
	attempt := 0
	return call(ctx, c, "upload "+u.Name, repo, func(ctx context.Context, gh *github.Client) (*github.ReleaseAsset, *github.Response, error) {
		attempt++
		if attempt > 1 && u.BeforeRetry != nil {
			if err := u.BeforeRetry(ctx); err != nil {
				return nil, nil, err
			}
		}
		body, err := u.Open()
		if err != nil {
			return nil, nil, err
		}
		defer body.Close()
		req, err := gh.NewUploadRequest(ctx, path, body, u.Size, media)
		if err != nil {
			return nil, nil, err
		}
		var a *github.ReleaseAsset
		resp, err := gh.Do(req, &a)
		return a, resp, err
	})
}
