package emulator

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// stamp marshals a time the way GitHub does: "2006-01-02T15:04:05Z".
type stamp time.Time

func (t stamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05Z") + `"`), nil
}

type wireUser struct {
	Login     string `json:"login"`
	ID        int64  `json:"id"`
	NodeID    string `json:"node_id"`
	URL       string `json:"url"`
	HTMLURL   string `json:"html_url"`
	Type      string `json:"type"`
	SiteAdmin bool   `json:"site_admin"`
	userLinks
}

type wireAsset struct {
	URL                string   `json:"url"`
	BrowserDownloadURL string   `json:"browser_download_url"`
	ID                 int64    `json:"id"`
	NodeID             string   `json:"node_id"`
	Name               string   `json:"name"`
	Label              string   `json:"label"`
	State              string   `json:"state"`
	ContentType        string   `json:"content_type"`
	Size               int64    `json:"size"`
	Digest             *string  `json:"digest"`
	DownloadCount      int      `json:"download_count"`
	CreatedAt          stamp    `json:"created_at"`
	UpdatedAt          stamp    `json:"updated_at"`
	Uploader           wireUser `json:"uploader"`
}

type wireRelease struct {
	URL             string      `json:"url"`
	HTMLURL         string      `json:"html_url"`
	AssetsURL       string      `json:"assets_url"`
	UploadURL       string      `json:"upload_url"`
	TarballURL      *string     `json:"tarball_url"`
	ZipballURL      *string     `json:"zipball_url"`
	ID              int64       `json:"id"`
	NodeID          string      `json:"node_id"`
	TagName         string      `json:"tag_name"`
	TargetCommitish string      `json:"target_commitish"`
	Name            string      `json:"name"`
	Body            string      `json:"body"`
	Draft           bool        `json:"draft"`
	Prerelease      bool        `json:"prerelease"`
	Immutable       bool        `json:"immutable"`
	CreatedAt       stamp       `json:"created_at"`
	PublishedAt     *stamp      `json:"published_at"`
	Author          wireUser    `json:"author"`
	Assets          []wireAsset `json:"assets"`
}

type wireRepoOwner struct {
	Login     string `json:"login"`
	ID        int64  `json:"id"`
	NodeID    string `json:"node_id"`
	Type      string `json:"type"`
	URL       string `json:"url"`
	HTMLURL   string `json:"html_url"`
	SiteAdmin bool   `json:"site_admin"`
	userLinks
}

type wirePermissions struct {
	Admin    bool `json:"admin"`
	Maintain bool `json:"maintain"`
	Push     bool `json:"push"`
	Triage   bool `json:"triage"`
	Pull     bool `json:"pull"`
}

type wireRepo struct {
	ID            int64            `json:"id"`
	NodeID        string           `json:"node_id"`
	Name          string           `json:"name"`
	FullName      string           `json:"full_name"`
	Private       bool             `json:"private"`
	Visibility    string           `json:"visibility"`
	Owner         wireRepoOwner    `json:"owner"`
	HTMLURL       string           `json:"html_url"`
	URL           string           `json:"url"`
	ReleasesURL   string           `json:"releases_url"`
	DefaultBranch string           `json:"default_branch"`
	Archived      bool             `json:"archived"`
	Disabled      bool             `json:"disabled"`
	Permissions   *wirePermissions `json:"permissions,omitempty"`
	// Organization is the owner again when it is an organization; absent for a user's.
	Organization *wireRepoOwner `json:"organization,omitempty"`
	// CustomProperties are the organization's custom properties of the repository: none set.
	CustomProperties *struct{} `json:"custom_properties,omitempty"`
	repoDetails
}

type wireRefObject struct {
	SHA  string `json:"sha"`
	Type string `json:"type"`
	URL  string `json:"url"`
}

type wireRef struct {
	Ref    string        `json:"ref"`
	NodeID string        `json:"node_id"`
	URL    string        `json:"url"`
	Object wireRefObject `json:"object"`
}

type wireTagCommit struct {
	SHA string `json:"sha"`
	URL string `json:"url"`
}

type wireTag struct {
	Name       string        `json:"name"`
	Commit     wireTagCommit `json:"commit"`
	ZipballURL string        `json:"zipball_url"`
	TarballURL string        `json:"tarball_url"`
	NodeID     string        `json:"node_id"`
}

type wireRate struct {
	Limit     int    `json:"limit"`
	Used      int    `json:"used"`
	Remaining int    `json:"remaining"`
	Reset     int64  `json:"reset"`
	Resource  string `json:"resource,omitempty"`
}

type wireRateLimit struct {
	Resources map[string]wireRate `json:"resources"`
	Rate      wireRate            `json:"rate"`
}

// wireError is GitHub's error body. API answers carry documentation_url and
// status (a string, "403"); the upload host answers with request_id.
type wireError struct {
	Message          string           `json:"message"`
	Errors           []wireFieldError `json:"errors,omitempty"`
	DocumentationURL string           `json:"documentation_url,omitempty"`
	Status           string           `json:"status,omitempty"`
	RequestID        string           `json:"request_id,omitempty"`
}

type wireFieldError struct {
	Resource string `json:"resource"`
	Code     string `json:"code"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message,omitempty"`
}

func nodeID(prefix string, id int64) string {
	return prefix + "_" + base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%012d", id)))
}

// pathEscape escapes each segment of a path that may contain "/".
func pathEscape(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func (s *Server) repoAPIURL(r *repo) string {
	return s.APIURL() + "repos/" + url.PathEscape(r.owner) + "/" + url.PathEscape(r.name)
}

func (s *Server) repoHTMLURL(r *repo) string {
	return s.URL() + "/" + url.PathEscape(r.owner) + "/" + url.PathEscape(r.name)
}

// refName is the tag a release's URLs use: its tag, or untagged-… for a draft.
func (rel *release) refName() string {
	if rel.Draft {
		return untaggedName(rel.ID)
	}
	return rel.TagName
}

func (s *Server) wireUserFor(m Mode) wireUser {
	if m.integration() {
		return wireUser{
			Login: "github-actions[bot]", ID: 41898282, NodeID: "MDM6Qm90NDE4OTgyODI=",
			URL: s.APIURL() + "users/github-actions%5Bbot%5D", HTMLURL: s.URL() + "/apps/github-actions",
			Type: "Bot", userLinks: s.userLinks("github-actions[bot]", 41898282),
		}
	}
	return wireUser{
		Login: "octocat", ID: 583231, NodeID: "MDQ6VXNlcjU4MzIzMQ==",
		URL: s.APIURL() + "users/octocat", HTMLURL: s.URL() + "/octocat", Type: "User",
		userLinks: s.userLinks("octocat", 583231),
	}
}

func (s *Server) wireAsset(r *repo, rel *release, a *asset, m Mode) wireAsset {
	return wireAsset{
		URL: s.repoAPIURL(r) + "/releases/assets/" + fmt.Sprint(a.ID),
		BrowserDownloadURL: s.repoHTMLURL(r) + "/releases/download/" +
			pathEscape(rel.refName()) + "/" + url.PathEscape(a.Name),
		ID:          a.ID,
		NodeID:      nodeID("RA", a.ID),
		Name:        a.Name,
		Label:       a.Label,
		State:       a.State,
		ContentType: a.ContentType,
		Size:        a.Size,
		Digest:      a.digest(),
		CreatedAt:   stamp(a.CreatedAt),
		UpdatedAt:   stamp(a.UpdatedAt),
		Uploader:    s.wireUserFor(m),
	}
}

func (s *Server) wireRelease(r *repo, rel *release, m Mode) wireRelease {
	base := s.repoAPIURL(r) + "/releases/" + fmt.Sprint(rel.ID)
	w := wireRelease{
		URL:             base,
		HTMLURL:         s.repoHTMLURL(r) + "/releases/tag/" + pathEscape(rel.refName()),
		AssetsURL:       base + "/assets",
		UploadURL:       s.UploadURL() + "repos/" + url.PathEscape(r.owner) + "/" + url.PathEscape(r.name) + "/releases/" + fmt.Sprint(rel.ID) + "/assets{?name,label}",
		ID:              rel.ID,
		NodeID:          nodeID("RE", rel.ID),
		TagName:         rel.TagName,
		TargetCommitish: rel.TargetCommitish,
		Name:            rel.Name,
		Body:            rel.Body,
		Draft:           rel.Draft,
		Prerelease:      rel.Prerelease,
		Immutable:       rel.Immutable,
		CreatedAt:       stamp(rel.CreatedAt),
		Author:          s.wireUserFor(m),
		Assets:          make([]wireAsset, 0, len(rel.assets)),
	}
	if !rel.Draft {
		pub := stamp(rel.PublishedAt)
		w.PublishedAt = &pub
		tar := s.repoAPIURL(r) + "/tarball/" + pathEscape(rel.TagName)
		zip := s.repoAPIURL(r) + "/zipball/" + pathEscape(rel.TagName)
		w.TarballURL, w.ZipballURL = &tar, &zip
	}
	for _, a := range rel.assets {
		w.Assets = append(w.Assets, s.wireAsset(r, rel, a, m))
	}
	return w
}

// wireRepo is GET /repos/{o}/{r} for a token of mode m, with admin access or not. The caller
// holds s.mu.
func (s *Server) wireRepo(r *repo, m Mode, admin bool) wireRepo {
	w := wireRepo{
		ID:            r.id,
		NodeID:        nodeID("R", r.id),
		Name:          r.name,
		FullName:      r.fullName(),
		Private:       r.policy.visibility() != "public",
		Visibility:    r.policy.visibility(),
		Owner:         wireRepoOwner{Login: r.owner, ID: r.id + 1, NodeID: nodeID("O", r.id+1), Type: r.policy.ownerType(), URL: s.APIURL() + "users/" + url.PathEscape(r.owner)},
		HTMLURL:       s.repoHTMLURL(r),
		URL:           s.repoAPIURL(r),
		ReleasesURL:   s.repoAPIURL(r) + "/releases{/id}",
		DefaultBranch: r.branch,
	}
	s.completeRepo(&w, r)
	if w.Owner.Type == "Organization" {
		org := w.Owner
		w.Organization = &org
		w.CustomProperties = &struct{}{}
	}
	if !m.integration() && m != ModeAnonymous {
		// A user's token sees the user's permissions; an installation token (a GITHUB_TOKEN)
		// gets none (semantic-release/github#182), nor does a request without a token.
		push := m.canWrite() || admin
		w.Permissions = &wirePermissions{Admin: admin, Maintain: admin, Push: push, Triage: push, Pull: true}
	}
	return w
}
