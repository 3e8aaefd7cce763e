package githubapi

import (
	"net/url"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Through re-points apiURL and uploadURL at endpoint, the address of a service that carries the
// traffic instead (a Dagger service tunnelled to a host-only endpoint, or a GitHub double):
// endpoint's scheme and host replace theirs and their paths are kept, so a GitHub Enterprise
// Server double answers under /api/v3/ and /api/uploads/. An empty apiURL has the path "/"; an
// empty uploadURL is derived from apiURL's path as [Config] derives it.
func Through(endpoint, apiURL, uploadURL string) (api, upload string, err error) {
	ep, err := url.Parse(endpoint)
	if err != nil || ep.Host == "" || (ep.Scheme != "http" && ep.Scheme != "https") {
		return "", "", outcome.Invalid("route through the API service", "api-service",
			"endpoint "+outcome.Quote(endpoint)+" is not an http(s) URL with a host",
			"Pass a service that listens on an HTTP port.")
	}
	apiPath, err := urlPath(apiURL, "api-url")
	if err != nil {
		return "", "", err
	}
	uploadPath, err := urlPath(uploadURL, "upload-url")
	if err != nil {
		return "", "", err
	}
	at := func(path string) *url.URL {
		u := *ep
		u.Path, u.RawPath, u.RawQuery, u.Fragment = path, "", "", ""
		return &u
	}
	if uploadURL == "" {
		return at(apiPath).String(), deriveUploadURL(at(apiPath)).String(), nil
	}
	return at(apiPath).String(), at(uploadPath).String(), nil
}

// urlPath is the path of raw with a trailing slash; "/" for an empty raw.
func urlPath(raw, input string) (string, error) {
	if raw == "" {
		return "/", nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", outcome.Invalid("route through the API service", input,
			input+" "+outcome.Quote(raw)+" is not a URL", "Pass a URL such as https://HOST/api/v3/.")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u.Path, nil
}
