package emulator

import (
	"fmt"
	"net/url"
)

// userLinks are the fields of GitHub's simple-user schema besides login, id,
// node_id, url, html_url, type and site_admin: all required.
type userLinks struct {
	AvatarURL         string `json:"avatar_url"`
	GravatarID        string `json:"gravatar_id"`
	FollowersURL      string `json:"followers_url"`
	FollowingURL      string `json:"following_url"`
	GistsURL          string `json:"gists_url"`
	StarredURL        string `json:"starred_url"`
	SubscriptionsURL  string `json:"subscriptions_url"`
	OrganizationsURL  string `json:"organizations_url"`
	ReposURL          string `json:"repos_url"`
	EventsURL         string `json:"events_url"`
	ReceivedEventsURL string `json:"received_events_url"`
	UserViewType      string `json:"user_view_type"`
}

// userLinks returns the links GitHub gives the account login with id. The
// avatar is on the server's own host, as on GitHub Enterprise Server.
func (s *Server) userLinks(login string, id int64) userLinks {
	u := s.APIURL() + "users/" + url.PathEscape(login)
	return userLinks{
		AvatarURL:         fmt.Sprintf("%s/avatars/u/%d?v=4", s.URL(), id),
		FollowersURL:      u + "/followers",
		FollowingURL:      u + "/following{/other_user}",
		GistsURL:          u + "/gists{/gist_id}",
		StarredURL:        u + "/starred{/owner}{/repo}",
		SubscriptionsURL:  u + "/subscriptions",
		OrganizationsURL:  u + "/orgs",
		ReposURL:          u + "/repos",
		EventsURL:         u + "/events{/privacy}",
		ReceivedEventsURL: u + "/received_events",
		UserViewType:      "public",
	}
}
