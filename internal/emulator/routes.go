package emulator

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// route is the endpoint a request is for and the values its path names; ep is epNone when the
// path is no endpoint, which GitHub answers 404.
type route struct {
	ep        endpoint
	owner     string
	name      string
	id        int64  // release, asset or ruleset id
	tag       string // a tag name: release by tag, browser download
	assetName string // browser download
	ref       string // a git ref without "refs/", e.g. "tags/v1.0.0";
	sha       string // a tag object's SHA
}

// A routePattern is an http.ServeMux pattern for one endpoint. Paths are written as GitHub's
// REST description writes them; a wildcard ending in "_id" must be a positive integer.
type routePattern struct {
	pattern string
	ep      endpoint
}

// apiRoutes are the endpoints under Options.APIPrefix. GET patterns serve HEAD too.
//
// ServeMux refuses two patterns that overlap with neither more specific than the other:
// releases/tags/{tag...} and releases/{release_id}/assets both match releases/tags/assets.
// GitHub's router tells them apart because a release_id is a number; here the asset list is
// releases/{release_id}/{rest...} with rest "assets", which the by-tag pattern (and
// releases/assets/{asset_id}) is more specific than.
var apiRoutes = []routePattern{
	{"GET /rate_limit", epRateLimit},
	{"GET /repos/{owner}/{repo}", epGetRepo},
	{"GET /repos/{owner}/{repo}/tags", epListTags},
	{"GET /repos/{owner}/{repo}/tarball", epTarball},
	{"GET /repos/{owner}/{repo}/tarball/{ref...}", epTarball},
	{"GET /repos/{owner}/{repo}/zipball", epZipball},
	{"GET /repos/{owner}/{repo}/zipball/{ref...}", epZipball},
	{"GET /repos/{owner}/{repo}/git/ref/{ref...}", epGetRef},
	{"GET /repos/{owner}/{repo}/git/matching-refs", epMatchingRefs},
	{"GET /repos/{owner}/{repo}/git/matching-refs/{ref...}", epMatchingRefs},
	{"DELETE /repos/{owner}/{repo}/git/refs/{ref...}", epDeleteRef},
	{"GET /repos/{owner}/{repo}/git/tags/{tag_sha}", epGitTag},
	{"GET /repos/{owner}/{repo}/releases", epListReleases},
	{"POST /repos/{owner}/{repo}/releases", epCreateRelease},
	{"POST /repos/{owner}/{repo}/releases/generate-notes", epGenerateNotes},
	{"GET /repos/{owner}/{repo}/releases/latest", epLatestRelease},
	{"GET /repos/{owner}/{repo}/releases/tags/{tag...}", epReleaseByTag},
	{"GET /repos/{owner}/{repo}/releases/{release_id}", epGetRelease},
	{"PATCH /repos/{owner}/{repo}/releases/{release_id}", epUpdateRelease},
	{"DELETE /repos/{owner}/{repo}/releases/{release_id}", epDeleteRelease},
	{"GET /repos/{owner}/{repo}/releases/{release_id}/{rest...}", epListAssets},
	{"GET /repos/{owner}/{repo}/releases/assets/{asset_id}", epGetAsset},
	{"PATCH /repos/{owner}/{repo}/releases/assets/{asset_id}", epUpdateAsset},
	{"DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}", epDeleteAsset},
	{"GET /repos/{owner}/{repo}/rulesets", epRulesets},
	{"GET /repos/{owner}/{repo}/rulesets/{ruleset_id}", epRuleset},
	{"GET /repos/{owner}/{repo}/immutable-releases", epImmutableGet},
	{"PUT /repos/{owner}/{repo}/immutable-releases", epImmutablePut},
	{"DELETE /repos/{owner}/{repo}/immutable-releases", epImmutableDelete},
}

// uploadRoute is the endpoint under Options.UploadPrefix, or under APIPrefix when both are the
// same.
var uploadRoute = routePattern{"POST /repos/{owner}/{repo}/releases/{release_id}/assets", epUpload}

// webRoutes are what github.com (not the API) serves: browser_download_url, and the archives
// the tarball and zipball endpoints redirect to ("_" starts no account name).
var webRoutes = []routePattern{
	{"GET /{owner}/{repo}/releases/download/{path...}", epDownload},
	{"GET /_codeload/{owner}/{repo}/legacy.tar.gz/{ref...}", epCodeloadTar},
	{"GET /_codeload/{owner}/{repo}/legacy.zip/{ref...}", epCodeloadZip},
}

// router finds the endpoint of a request with one http.ServeMux per host: the API, the uploads
// and the web. The muxes only identify endpoints: they never answer a client (a path they do
// not route, redirect or answer 405 to is no endpoint), so every answer, 404 included, is
// GitHub's.
type router struct {
	hosts []routeHost // tried in order: the longer prefix first
	web   *http.ServeMux
}

type routeHost struct {
	prefix string
	mux    *http.ServeMux
}

var idWildcard = regexp.MustCompile(`\{([a-z]+_id)\}`)

func newRouter(apiPrefix, uploadPrefix string) *router {
	api, upload := http.NewServeMux(), http.NewServeMux()
	for _, p := range apiRoutes {
		p.register(api)
	}
	rt := &router{web: http.NewServeMux()}
	for _, p := range webRoutes {
		p.register(rt.web)
	}
	if apiPrefix == uploadPrefix {
		uploadRoute.register(api)
		rt.hosts = []routeHost{{apiPrefix, api}}
		return rt
	}
	uploadRoute.register(upload)
	rt.hosts = []routeHost{{apiPrefix, api}, {uploadPrefix, upload}}
	if len(uploadPrefix) > len(apiPrefix) {
		rt.hosts[0], rt.hosts[1] = rt.hosts[1], rt.hosts[0]
	}
	return rt
}

// match returns the route of r: under the first prefix r's path has, or, when that prefix is
// "/" and nothing matches there (or the path has no prefix), on the web host.
func (rt *router) match(r *http.Request) route {
	p := r.URL.EscapedPath()
	for _, h := range rt.hosts {
		rest, ok := strings.CutPrefix(p, h.prefix)
		if !ok {
			continue
		}
		found := lookup(h.mux, r.Method, "/"+rest)
		if found.ep != epNone || h.prefix != "/" {
			return found
		}
		break
	}
	return lookup(rt.web, r.Method, p)
}

// routeSink is the ResponseWriter a lookup passes through the mux: the pattern's handler
// leaves the route in it, and whatever the mux itself would answer is dropped.
type routeSink struct {
	rt     route
	header http.Header
}

func (s *routeSink) Header() http.Header {
	if s.header == nil {
		s.header = http.Header{}
	}
	return s.header
}
func (*routeSink) Write(b []byte) (int, error) { return len(b), nil }
func (*routeSink) WriteHeader(int)             {}

// lookup routes method and escaped, a path relative to its host, through mux.
func lookup(mux *http.ServeMux, method, escaped string) route {
	path, err := url.PathUnescape(escaped)
	if err != nil {
		return route{}
	}
	sink := &routeSink{}
	mux.ServeHTTP(sink, &http.Request{Method: method, URL: &url.URL{Path: path, RawPath: escaped}, Header: http.Header{}})
	return sink.rt
}

// register adds p to mux.
func (p routePattern) register(mux *http.ServeMux) {
	var idKey string
	if m := idWildcard.FindStringSubmatch(p.pattern); m != nil {
		idKey = m[1]
	}
	mux.HandleFunc(p.pattern, func(w http.ResponseWriter, r *http.Request) {
		w.(*routeSink).rt = p.route(r, idKey)
	})
}

// route reads the values of r's path that p names; epNone when one is not what GitHub takes.
func (p routePattern) route(r *http.Request, idKey string) route {
	rt := route{ep: p.ep, owner: r.PathValue("owner"), name: r.PathValue("repo"),
		tag: r.PathValue("tag"), ref: r.PathValue("ref"), sha: r.PathValue("tag_sha")}
	if idKey != "" {
		id, ok := parseID(r.PathValue(idKey))
		if !ok {
			return route{}
		}
		rt.id = id
	}
	switch p.ep {
	case epGetRef, epDeleteRef:
		if rt.ref == "" {
			return route{}
		}
	case epListAssets:
		if r.PathValue("rest") != "assets" {
			return route{}
		}
	case epDownload:
		// /{owner}/{repo}/releases/download/{tag}/{name}, where the tag may hold "/" but the
		// name may not: split the path as sent, so that an escaped "/" stays in its segment.
		segs := strings.Split(r.URL.EscapedPath(), "/")
		n := len(segs)
		if n < 7 {
			return route{}
		}
		tag, err1 := url.PathUnescape(strings.Join(segs[5:n-1], "/"))
		name, err2 := url.PathUnescape(segs[n-1])
		if err1 != nil || err2 != nil || !validTagName(tag) || name == "" {
			return route{}
		}
		rt.tag, rt.assetName = tag, name
	}
	return rt
}
