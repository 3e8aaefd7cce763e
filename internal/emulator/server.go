package emulator

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configures a Server. The zero value emulates github.com with the
// API and uploads on one host.
type Options struct {
	// APIPrefix is the path under which the REST API is served. Default "/"
	// (github.com); GitHub Enterprise Server uses "/api/v3/".
	APIPrefix string
	// UploadPrefix is the path under which release assets are uploaded.
	// Default "/": POST {APIPrefix}repos/{o}/{r}/releases/{id}/assets is the
	// upload. GitHub Enterprise Server uses "/api/uploads/".
	UploadPrefix string
	// Now is the server's clock, used for created_at, published_at and the
	// rate-limit reset. Default time.Now.
	Now func() time.Time
}

// Release is a snapshot of a release held by the Server. It is also the
// input of SeedRelease.
type Release struct {
	ID              int64
	TagName         string
	TargetCommitish string // default: the repository's default branch, "main"
	Name            string
	Body            string
	Draft           bool
	Prerelease      bool
	CreatedAt       time.Time
	PublishedAt     time.Time // zero for drafts
	// Immutable is set on a release published while the repository has immutable releases on
	// (SetImmutableReleases); its assets and tag can then never change. SeedRelease keeps it on
	// published releases only.
	Immutable bool
	Assets    []Asset
}

// Asset is a snapshot of a release asset held by the Server.
type Asset struct {
	ID          int64
	Name        string
	Label       string
	ContentType string
	State       string // "uploaded", or "starter" for an upload that never finished
	Size        int64
	Content     []byte
	// Digest is "sha256:" and the hex SHA-256 of the content, which GitHub
	// computes when an upload completes; "" is served as null, as for an
	// asset that is not uploaded or was uploaded before GitHub kept digests.
	Digest    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Request is one entry of the request log. It never holds the token.
type Request struct {
	Method string
	Path   string // as received, including the API or upload prefix
	Query  string // raw query, e.g. "name=a.tar.gz&label="
	// Endpoint is the anchor of the endpoint's documentation URL, as Fault.Endpoint names it
	// ("update-a-release"); "" for a path that is no endpoint. A browser download is logged as
	// "get-a-release-asset" and an archive download like the redirect to it.
	Endpoint string
	Status   int    // 0 when the connection was dropped or the client went away
	Mode     Mode   // how the token was classified
	Fault    string // the injected fault that shaped the answer, "" if none
	// RequestID is the X-GitHub-Request-Id the answer carried.
	RequestID string
}

// Server is an in-process GitHub REST API emulator on a loopback
// httptest.Server. It is safe for concurrent use.
type Server struct {
	srv          *httptest.Server
	apiPrefix    string
	uploadPrefix string
	router       *router
	now          func() time.Time
	closing      chan struct{}
	closeOnce    sync.Once

	mu       sync.Mutex
	repos    map[string]*repo // key: lower-case "owner/name"
	tokens   map[string]Mode
	faults   []*activeFault
	requests []Request
	rates    map[string]*rateWindow // key: token, or "" for unauthenticated
	nextID   int64
	reqSeq   uint64
	policy   serverPolicy // organization rulesets and per-token state (policy.go)
	// archiveGrants are the tokens of the archive download links handed out (archive.go).
	archiveGrants map[string]archiveGrant
}

type repo struct {
	id       int64
	owner    string
	name     string
	branch   string
	created  time.Time
	releases []*release        // creation order
	tags     map[string]string // tag name -> commit SHA
	policy   repoPolicy        // settings, rulesets and annotated tags (policy.go)
	latest   int64             // the release made latest by make_latest; 0: by created_at (legacy)
}

type release struct {
	Release
	assets []*asset
}

type asset struct {
	Asset
}

const defaultBranch = "main"

// NewServer starts an emulator on 127.0.0.1. Close it when done.
func NewServer(opts Options) *Server {
	s := &Server{
		apiPrefix:    normalizePrefix(opts.APIPrefix),
		uploadPrefix: normalizePrefix(opts.UploadPrefix),
		now:          opts.Now,
		closing:      make(chan struct{}),
		repos:        map[string]*repo{},
		tokens:       map[string]Mode{},
		rates:        map[string]*rateWindow{},
		nextID:       1000,
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.router = newRouter(s.apiPrefix, s.uploadPrefix)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func normalizePrefix(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// Close shuts the server down, cutting short any injected latency.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.srv.Close()
}

// URL is the server root without a trailing slash, e.g.
// "http://127.0.0.1:41234". It plays the part of https://github.com: html_url
// and browser_download_url point here.
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the REST API base URL with a trailing slash (URL + APIPrefix), ready
// for github.Client.BaseURL.
func (s *Server) APIURL() string { return s.srv.URL + s.apiPrefix }

// UploadURL is the upload base URL with a trailing slash (URL + UploadPrefix),
// ready for github.Client.UploadURL.
func (s *Server) UploadURL() string { return s.srv.URL + s.uploadPrefix }

// Client returns an HTTP client configured for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// AddRepo creates the private repository fullName ("owner/name") with default
// branch main. Adding an existing repository does nothing. It panics if
// fullName is not of the form owner/name.
func (s *Server) AddRepo(fullName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addRepoLocked(fullName)
}

func (s *Server) addRepoLocked(fullName string) *repo {
	owner, name, ok := strings.Cut(fullName, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		panic(fmt.Sprintf("emulator: repository %q is not of the form owner/name", fullName))
	}
	key := strings.ToLower(fullName)
	if r, ok := s.repos[key]; ok {
		return r
	}
	r := &repo{id: s.newID(), owner: owner, name: name, branch: defaultBranch, tags: map[string]string{},
		created: s.now().UTC().Truncate(time.Second)}
	s.repos[key] = r
	return r
}

func (s *Server) repoLocked(owner, name string) *repo {
	return s.repos[strings.ToLower(owner+"/"+name)]
}

// AddToken registers token with a mode. Requests with a token never
// registered get 401 Bad credentials. Registering a token again changes its
// mode.
func (s *Server) AddToken(token string, mode Mode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = mode
}

// AddTag creates a git tag in repo (added if missing) pointing at the default
// branch, as a `git push` of a tag would, without a release.
func (s *Server) AddTag(repo, tag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.addRepoLocked(repo)
	if _, ok := r.tags[tag]; !ok {
		r.tags[tag] = commitSHA(r, r.branch)
	}
}

// Inject queues a fault. Faults are matched in the order injected; the first
// matching fault with firings left shapes the answer. It panics if f.Endpoint names no
// endpoint the server serves, since such a fault would never fire.
func (s *Server) Inject(f Fault) {
	if f.Endpoint != "" && !knownEndpoint(f.Endpoint) {
		panic(fmt.Sprintf("emulator: Fault.Endpoint %q is no endpoint's documentation anchor; the server serves %s",
			f.Endpoint, strings.Join(endpointNames(), ", ")))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	left := f.Times
	if left == 0 {
		left = 1
	}
	s.faults = append(s.faults, &activeFault{Fault: f, left: left})
}

// ClearFaults removes every fault still queued.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Releases returns a snapshot of repo's releases, drafts included, in creation
// order, each with its assets (including "starter" ones).
func (s *Server) Releases(repo string) []Release {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(repo)]
	if r == nil {
		return nil
	}
	out := make([]Release, 0, len(r.releases))
	for _, rel := range r.releases {
		out = append(out, rel.snapshot())
	}
	return out
}

// Tags returns repo's git tags, sorted. Only published releases (and AddTag)
// create tags.
func (s *Server) Tags(repo string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(repo)]
	if r == nil {
		return nil
	}
	out := make([]string, 0, len(r.tags))
	for t := range r.tags {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Requests returns a copy of the request log in completion order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// SeedRelease stores r in repo (added if missing) as pre-existing state and
// returns it as stored. Zero fields get defaults: ID a fresh id, CreatedAt now,
// PublishedAt CreatedAt for a published release, TargetCommitish "main", asset
// State "uploaded", Size len(Content), and Digest that of Content for an
// uploaded asset whose Content is all of it (len(Content) == Size; an asset
// seeded with a Size but no Content keeps a null digest, like one uploaded
// before GitHub kept digests). A published release creates its tag.
// Several drafts may share a tag, with each other and with one published
// release, as on GitHub. It panics if r is published and another published
// release already uses r.TagName.
func (s *Server) SeedRelease(repo string, r Release) Release {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.addRepoLocked(repo)
	if r.TagName == "" {
		panic("emulator: SeedRelease needs a TagName")
	}
	if !r.Draft && rp.publishedByTag(r.TagName) != nil {
		panic(fmt.Sprintf("emulator: a published release with tag %q already exists in %s", r.TagName, repo))
	}
	now := s.now().UTC().Truncate(time.Second)
	rel := &release{Release: r}
	rel.Assets = nil
	if rel.ID == 0 {
		rel.ID = s.newID()
	}
	if rel.CreatedAt.IsZero() {
		rel.CreatedAt = now
	}
	if rel.TargetCommitish == "" {
		rel.TargetCommitish = rp.branch
	}
	if rel.Draft {
		rel.PublishedAt = time.Time{}
		rel.Immutable = false // only publishing makes a release immutable
	} else {
		if rel.PublishedAt.IsZero() {
			rel.PublishedAt = rel.CreatedAt
		}
		if _, ok := rp.tags[rel.TagName]; !ok {
			rp.tags[rel.TagName] = commitSHA(rp, rel.TargetCommitish)
		}
	}
	for _, a := range r.Assets {
		na := &asset{Asset: a}
		na.Content = slices.Clone(a.Content)
		if na.ID == 0 {
			na.ID = s.newID()
		}
		if na.State == "" {
			na.State = "uploaded"
		}
		if na.Size == 0 {
			na.Size = int64(len(na.Content))
		}
		if na.Digest == "" && na.State == "uploaded" && int64(len(na.Content)) == na.Size {
			na.Digest = digestOf(na.Content)
		}
		if na.ContentType == "" {
			na.ContentType = "application/octet-stream"
		}
		if na.CreatedAt.IsZero() {
			na.CreatedAt = rel.CreatedAt
		}
		if na.UpdatedAt.IsZero() {
			na.UpdatedAt = na.CreatedAt
		}
		rel.assets = append(rel.assets, na)
	}
	rp.releases = append(rp.releases, rel)
	return rel.snapshot()
}

func (s *Server) newID() int64 {
	s.nextID++
	return s.nextID
}

func (rel *release) snapshot() Release {
	out := rel.Release
	out.Assets = make([]Asset, 0, len(rel.assets))
	for _, a := range rel.assets {
		sa := a.Asset
		sa.Content = slices.Clone(a.Content)
		out.Assets = append(out.Assets, sa)
	}
	return out
}

// publishedByTag returns the published release with tag, if any: GitHub
// keeps one per tag, beside any number of drafts.
func (r *repo) publishedByTag(tag string) *release {
	for _, rel := range r.releases {
		if rel.TagName == tag && !rel.Draft {
			return rel
		}
	}
	return nil
}

func (r *repo) releaseByID(id int64) *release {
	for _, rel := range r.releases {
		if rel.ID == id {
			return rel
		}
	}
	return nil
}

func (r *repo) assetByID(id int64) (*release, *asset) {
	for _, rel := range r.releases {
		for _, a := range rel.assets {
			if a.ID == id {
				return rel, a
			}
		}
	}
	return nil, nil
}

func (r *repo) fullName() string { return r.owner + "/" + r.name }

// commitSHA resolves a commitish to a stable fake commit SHA: a full hex SHA
// is kept, anything else hashes to one.
func commitSHA(r *repo, commitish string) string {
	if len(commitish) == 40 && isHex(commitish) {
		return strings.ToLower(commitish)
	}
	sum := sha1.Sum([]byte(strings.ToLower(r.fullName()) + "@" + commitish))
	return hex.EncodeToString(sum[:])
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// untaggedName is the placeholder GitHub uses in a draft's URLs:
// "untagged-" and 20 hex digits.
func untaggedName(id int64) string {
	sum := sha1.Sum([]byte(fmt.Sprintf("release-%d", id)))
	return "untagged-" + hex.EncodeToString(sum[:])[:20]
}
