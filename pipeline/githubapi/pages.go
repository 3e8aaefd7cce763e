package githubapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Pagination limits of ListAll.
const (
	// PerPage is the page size ListAll asks for: the largest GitHub serves.
	PerPage = 100
	// DefaultMaxPages is how many pages ListAll reads at most unless Config.MaxPages says
	// otherwise: 10,000 items at PerPage.
	DefaultMaxPages = 100
)

// ListFunc lists one page of items: gh's list call with opts, such as
// gh.Repositories.ListReleases(ctx, owner, name, opts).
type ListFunc[T any] func(ctx context.Context, gh *github.Client, opts *github.ListOptions) ([]T, *github.Response, error)

// ListAll returns the items of every page of a list, following the Link header's next page.
// Each page is one [Client.Do] call named op, so a failure retries that page only. It reads at
// most the client's page cap ([Config.MaxPages], default [DefaultMaxPages]) and fails, naming
// the cap, rather than follow a next page forever; a next page that does not move forward
// fails at once. Failures are classified *outcome.Error values. The response is the last page's.
func ListAll[T any](ctx context.Context, c *Client, op string, repo Repo, list ListFunc[T]) ([]T, *github.Response, error) {
	var (
		all  []T
		last *github.Response
	)
	for page, read := 1, 0; ; read++ {
		if read == c.maxPages {
			pages := "pages"
			if read == 1 {
				pages = "page"
			}
			return nil, last, c.pageError(op, repo, fmt.Sprintf("stopped after %d %s of %d, the most it reads, and there are more", read, pages, PerPage),
				"Delete releases that are no longer needed (old probe drafts go with sweep), or report it if the repository has fewer: then the server's Link header never ends.")
		}
		next := 0
		err := c.Do(ctx, op, repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
			items, resp, err := list(ctx, gh, &github.ListOptions{Page: page, PerPage: PerPage})
			last = resp
			if err != nil {
				return resp, err
			}
			all = append(all, items...)
			next = resp.NextPage
			return resp, nil
		})
		switch {
		case err != nil:
			return nil, last, err
		case next == 0:
			return all, last, nil
		case next <= page:
			return nil, last, c.pageError(op, repo, fmt.Sprintf("page %d links to page %d as the next one", page, next),
				"Re-run; if it happens again, report it: the server's Link header goes in circles.")
		}
		page = next
	}
}

// ListPath is the ListFunc of the list endpoint at path (relative to the API root, with or
// without a query), each page decoded into []T: for list options go-github's calls cannot
// send, such as the rulesets' targets.
func ListPath[T any](path string) ListFunc[T] {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return func(ctx context.Context, gh *github.Client, opts *github.ListOptions) ([]T, *github.Response, error) {
		req, err := gh.NewRequest(ctx, http.MethodGet, fmt.Sprintf("%s%sper_page=%d&page=%d", path, sep, opts.PerPage, opts.Page), nil)
		if err != nil {
			return nil, nil, err
		}
		var items []T
		resp, err := gh.Do(req, &items)
		return items, resp, err
	}
}

// pageError is the failure of a list that does not end.
func (c *Client) pageError(op string, repo Repo, problem, fix string) error {
	e := &outcome.Error{Class: outcome.Unexpected, Op: op, Message: problem, Remediation: fix}
	if repo != (Repo{}) {
		e.Repo = repo.String()
	}
	return c.finish(e, 0)
}
