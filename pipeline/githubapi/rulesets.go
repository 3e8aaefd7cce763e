package githubapi

import (
	"context"
	"fmt"
	"net/url"

	"github.com/google/go-github/v93/github"
)

// ListTagRulesets lists the rulesets that target tags and apply to repo, its organization's and
// enterprise's included. The list holds summaries only: [Client.GetRuleset] reads one whole.
// (go-github's GetAllRulesets cannot ask for targets=tag.)
func (c *Client) ListTagRulesets(ctx context.Context, repo Repo) ([]*github.RepositoryRuleset, *github.Response, error) {
	path := fmt.Sprintf("repos/%s/%s/rulesets?targets=tag&includes_parents=true", url.PathEscape(repo.Owner), url.PathEscape(repo.Name))
	return ListAll(ctx, c, "list tag rulesets", repo, ListPath[*github.RepositoryRuleset](path))
}

// GetRuleset reads the ruleset id as it applies to repo, with its conditions, its rules and
// whether this token can bypass it (current_user_can_bypass).
func (c *Client) GetRuleset(ctx context.Context, repo Repo, id int64) (*github.RepositoryRuleset, *github.Response, error) {
	return call(ctx, c, fmt.Sprintf("get ruleset %d", id), repo, func(ctx context.Context, gh *github.Client) (*github.RepositoryRuleset, *github.Response, error) {
		return gh.Repositories.GetRuleset(ctx, repo.Owner, repo.Name, id, true)
	})
}
