package emulator

import (
	"net/url"
	"strings"
)

// repoDetails are the fields of GitHub's full-repository schema that the
// emulator has no state for: URL templates, counters and settings, with the
// values of a new private repository without issues, pages or forks.
type repoDetails struct {
	ArchiveURL       string    `json:"archive_url"`
	AssigneesURL     string    `json:"assignees_url"`
	BlobsURL         string    `json:"blobs_url"`
	BranchesURL      string    `json:"branches_url"`
	CollaboratorsURL string    `json:"collaborators_url"`
	CommentsURL      string    `json:"comments_url"`
	CommitsURL       string    `json:"commits_url"`
	CompareURL       string    `json:"compare_url"`
	ContentsURL      string    `json:"contents_url"`
	ContributorsURL  string    `json:"contributors_url"`
	DeploymentsURL   string    `json:"deployments_url"`
	DownloadsURL     string    `json:"downloads_url"`
	EventsURL        string    `json:"events_url"`
	ForksURL         string    `json:"forks_url"`
	GitCommitsURL    string    `json:"git_commits_url"`
	GitRefsURL       string    `json:"git_refs_url"`
	GitTagsURL       string    `json:"git_tags_url"`
	HooksURL         string    `json:"hooks_url"`
	IssueCommentURL  string    `json:"issue_comment_url"`
	IssueEventsURL   string    `json:"issue_events_url"`
	IssuesURL        string    `json:"issues_url"`
	KeysURL          string    `json:"keys_url"`
	LabelsURL        string    `json:"labels_url"`
	LanguagesURL     string    `json:"languages_url"`
	MergesURL        string    `json:"merges_url"`
	MilestonesURL    string    `json:"milestones_url"`
	NotificationsURL string    `json:"notifications_url"`
	PullsURL         string    `json:"pulls_url"`
	StargazersURL    string    `json:"stargazers_url"`
	StatusesURL      string    `json:"statuses_url"`
	SubscribersURL   string    `json:"subscribers_url"`
	SubscriptionURL  string    `json:"subscription_url"`
	TagsURL          string    `json:"tags_url"`
	TeamsURL         string    `json:"teams_url"`
	TreesURL         string    `json:"trees_url"`
	CloneURL         string    `json:"clone_url"`
	GitURL           string    `json:"git_url"`
	SSHURL           string    `json:"ssh_url"`
	SvnURL           string    `json:"svn_url"`
	MirrorURL        *string   `json:"mirror_url"`
	Homepage         *string   `json:"homepage"`
	Description      *string   `json:"description"`
	Language         *string   `json:"language"`
	License          *struct{} `json:"license"` // null: no license file

	Fork             bool     `json:"fork"`
	IsTemplate       bool     `json:"is_template"`
	HasIssues        bool     `json:"has_issues"`
	HasProjects      bool     `json:"has_projects"`
	HasWiki          bool     `json:"has_wiki"`
	HasPages         bool     `json:"has_pages"`
	HasDownloads     bool     `json:"has_downloads"`
	HasDiscussions   bool     `json:"has_discussions"`
	AllowForking     bool     `json:"allow_forking"`
	WebCommitSignoff bool     `json:"web_commit_signoff_required"`
	Topics           []string `json:"topics"`
	Forks            int      `json:"forks"`
	ForksCount       int      `json:"forks_count"`
	OpenIssues       int      `json:"open_issues"`
	OpenIssuesCount  int      `json:"open_issues_count"`
	Size             int      `json:"size"`
	StargazersCount  int      `json:"stargazers_count"`
	Watchers         int      `json:"watchers"`
	WatchersCount    int      `json:"watchers_count"`
	NetworkCount     int      `json:"network_count"`
	SubscribersCount int      `json:"subscribers_count"`
	CreatedAt        stamp    `json:"created_at"`
	UpdatedAt        stamp    `json:"updated_at"`
	PushedAt         stamp    `json:"pushed_at"`
}

// completeRepo fills what full-repository requires beyond the fields
// wireRepo sets: the details and the owner's simple-user fields.
func (s *Server) completeRepo(w *wireRepo, r *repo) {
	a := s.repoAPIURL(r)
	host := strings.TrimPrefix(strings.TrimPrefix(s.URL(), "http://"), "https://")
	path := url.PathEscape(r.owner) + "/" + url.PathEscape(r.name)
	w.repoDetails = repoDetails{
		ArchiveURL:       a + "/{archive_format}{/ref}",
		AssigneesURL:     a + "/assignees{/user}",
		BlobsURL:         a + "/git/blobs{/sha}",
		BranchesURL:      a + "/branches{/branch}",
		CollaboratorsURL: a + "/collaborators{/collaborator}",
		CommentsURL:      a + "/comments{/number}",
		CommitsURL:       a + "/commits{/sha}",
		CompareURL:       a + "/compare/{base}...{head}",
		ContentsURL:      a + "/contents/{+path}",
		ContributorsURL:  a + "/contributors",
		DeploymentsURL:   a + "/deployments",
		DownloadsURL:     a + "/downloads",
		EventsURL:        a + "/events",
		ForksURL:         a + "/forks",
		GitCommitsURL:    a + "/git/commits{/sha}",
		GitRefsURL:       a + "/git/refs{/sha}",
		GitTagsURL:       a + "/git/tags{/sha}",
		HooksURL:         a + "/hooks",
		IssueCommentURL:  a + "/issues/comments{/number}",
		IssueEventsURL:   a + "/issues/events{/number}",
		IssuesURL:        a + "/issues{/number}",
		KeysURL:          a + "/keys{/key_id}",
		LabelsURL:        a + "/labels{/name}",
		LanguagesURL:     a + "/languages",
		MergesURL:        a + "/merges",
		MilestonesURL:    a + "/milestones{/number}",
		NotificationsURL: a + "/notifications{?since,all,participating}",
		PullsURL:         a + "/pulls{/number}",
		StargazersURL:    a + "/stargazers",
		StatusesURL:      a + "/statuses/{sha}",
		SubscribersURL:   a + "/subscribers",
		SubscriptionURL:  a + "/subscription",
		TagsURL:          a + "/tags",
		TeamsURL:         a + "/teams",
		TreesURL:         a + "/git/trees{/sha}",
		CloneURL:         s.repoHTMLURL(r) + ".git",
		GitURL:           "git://" + host + "/" + path + ".git",
		SSHURL:           "git@" + host + ":" + path + ".git",
		SvnURL:           s.repoHTMLURL(r),
		HasIssues:        true,
		HasProjects:      true,
		HasWiki:          true,
		HasDownloads:     true,
		Topics:           []string{},
		CreatedAt:        stamp(r.created),
		UpdatedAt:        stamp(r.created),
		PushedAt:         stamp(r.created),
	}
	w.Owner.HTMLURL = s.URL() + "/" + url.PathEscape(w.Owner.Login)
	w.Owner.userLinks = s.userLinks(w.Owner.Login, w.Owner.ID)
}
