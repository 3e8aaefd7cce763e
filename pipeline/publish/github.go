package publish

import (
	"context"
	"net/http"

	"github.com/google/go-github/v62/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

// perPage is the page size for lists: GitHub's maximum, to need few requests.
const perPage = 100

// allPages calls fetch for every page of a list and returns all items and the
// last response. It is meant to run inside one githubapi.Client.Do attempt,
// so that a failure retries the whole list.
func allPages[T any](fetch func(*github.ListOptions) ([]T, *github.Response, error)) ([]T, *github.Response, error) {
	opt := &github.ListOptions{PerPage: perPage}
	var all []T
	for {
		items, resp, err := fetch(opt)
		if err != nil {
			return nil, resp, err
		}
		all = append(all, items...)
		if resp.NextPage == 0 {
			return all, resp, nil
		}
		opt.Page = resp.NextPage
	}
}

// listReleases lists every release of repo, drafts included (GitHub shows
// drafts to tokens with push access only).
func listReleases(ctx context.Context, gh *github.Client, repo githubapi.Repo) ([]*github.RepositoryRelease, *github.Response, error) {
	return allPages(func(opt *github.ListOptions) ([]*github.RepositoryRelease, *github.Response, error) {
		return gh.Repositories.ListReleases(ctx, repo.Owner, repo.Name, opt)
	})
}

// listAssets lists every asset of a release, whatever its state.
func listAssets(ctx context.Context, gh *github.Client, repo githubapi.Repo, releaseID int64) ([]*github.ReleaseAsset, *github.Response, error) {
	return allPages(func(opt *github.ListOptions) ([]*github.ReleaseAsset, *github.Response, error) {
		return gh.Repositories.ListReleaseAssets(ctx, repo.Owner, repo.Name, releaseID, opt)
	})
}

// deleteAsset deletes an asset; one that is already gone counts as deleted.
func deleteAsset(ctx context.Context, gh *github.Client, repo githubapi.Repo, id int64) (*github.Response, error) {
	resp, err := gh.Repositories.DeleteReleaseAsset(ctx, repo.Owner, repo.Name, id)
	if err != nil && isNotFound(resp) {
		return resp, nil
	}
	return resp, err
}

// deleteNamed deletes every asset of the release called name, in any state.
func deleteNamed(ctx context.Context, gh *github.Client, repo githubapi.Repo, releaseID int64, name string) (*github.Response, error) {
	assets, resp, err := listAssets(ctx, gh, repo, releaseID)
	if err != nil {
		return resp, err
	}
	for _, a := range assets {
		if a.GetName() != name {
			continue
		}
		if resp, err = deleteAsset(ctx, gh, repo, a.GetID()); err != nil {
			return resp, err
		}
	}
	return resp, nil
}

func isNotFound(resp *github.Response) bool {
	return resp != nil && resp.StatusCode == http.StatusNotFound
}

// pickRelease returns the release for tag among rels: the published one if
// there is one, else the oldest draft. GitHub can hold several drafts with
// the same tag name; the drafts not picked are returned as others.
func pickRelease(rels []*github.RepositoryRelease, tag string) (picked *github.RepositoryRelease, others []*github.RepositoryRelease) {
	var drafts []*github.RepositoryRelease
	for _, r := range rels {
		if r.GetTagName() != tag {
			continue
		}
		if !r.GetDraft() {
			if picked == nil {
				picked = r
			}
			continue
		}
		drafts = append(drafts, r)
	}
	if picked == nil {
		for _, d := range drafts {
			if picked == nil || d.GetID() < picked.GetID() {
				picked = d
			}
		}
	}
	for _, d := range drafts {
		if d != picked {
			others = append(others, d)
		}
	}
	return picked, others
}
