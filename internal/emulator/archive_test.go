package emulator_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/conformance"
	"github.com/release-preflight/release-preflight/internal/emulator"
)

// get sends GET u with header through s's client without following a redirect.
func get(t *testing.T, s *server, u string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	require.NoError(t, err)
	req.Header = header.Clone()
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, data
}

// archiveEntries lists the names in a tar.gz or zip archive, a tar's pax global header
// ("comment" is the commit) as "pax:" and its comment.
func archiveEntries(t *testing.T, ctype string, data []byte) []string {
	t.Helper()
	var names []string
	if ctype == "application/zip" {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		return names
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names
		}
		require.NoError(t, err)
		if h.Typeflag == tar.TypeXGlobalHeader {
			names = append(names, "pax:"+h.PAXRecords["comment"])
			continue
		}
		names = append(names, h.Name)
	}
}

// The tarball and zipball URLs a release and a tag advertise answer 302 to a download the
// server answers with the archive, as GitHub redirects to codeload; a private repository's
// link works for five minutes.
func TestRepositoryArchives(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.AddRepoWith("acme/public", emulator.RepoOptions{Visibility: "public"})
	rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0"})
	s.AddAnnotatedTag(fullRepo, "v2.0.0", strings.Repeat("ab", 20))
	s.AddTag("acme/public", "v1.0.0")

	var wr struct {
		TarballURL string `json:"tarball_url"`
		ZipballURL string `json:"zipball_url"`
	}
	resp, data := get(t, s, s.APIURL()+"repos/acme/widgets/releases/"+itoa(rel.ID), bearer(tokWrite))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.Unmarshal(data, &wr))
	var tags []struct {
		Name       string `json:"name"`
		ZipballURL string `json:"zipball_url"`
		Commit     struct{ SHA string }
	}
	resp, data = get(t, s, s.APIURL()+"repos/acme/widgets/tags", bearer(tokWrite))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.Unmarshal(data, &tags))
	commit := map[string]string{}
	for _, tg := range tags {
		commit[tg.Name] = tg.Commit.SHA
	}
	var tagZip string
	for _, tg := range tags {
		if tg.Name == "v1.0.0" {
			tagZip = tg.ZipballURL
		}
	}
	mainSHA := refSHA(t, s, "heads/main")

	tests := []struct {
		name      string
		url       string
		header    http.Header
		wantType  string
		wantDir   string // the archive's one directory
		wantToken bool   // the link carries a token
		wantName  string // Content-Disposition's file name
		outside   bool   // a path GitHub's description does not have: unchecked
	}{
		{name: "a release's tarball_url", url: wr.TarballURL, header: bearer(tokWrite), wantType: "application/x-gzip",
			wantDir: "acme-widgets-" + commit["v1.0.0"][:7] + "/", wantToken: true, wantName: "widgets-v1.0.0.tar.gz"},
		{name: "a release's zipball_url", url: wr.ZipballURL, header: bearer(tokClamped), wantType: "application/zip",
			wantDir: "acme-widgets-" + commit["v1.0.0"][:7] + "/", wantToken: true, wantName: "widgets-v1.0.0.zip"},
		{name: "a tag's zipball_url", url: tagZip, header: bearer(tokWrite), wantType: "application/zip",
			wantDir: "acme-widgets-" + commit["v1.0.0"][:7] + "/", wantToken: true, wantName: "widgets-v1.0.0.zip"},
		{name: "an annotated tag, its commit", url: s.APIURL() + "repos/acme/widgets/tarball/v2.0.0", header: bearer(tokWrite),
			wantType: "application/x-gzip", wantDir: "acme-widgets-abababa/", wantToken: true, wantName: "widgets-v2.0.0.tar.gz"},
		// GitHub documents that the ref may be left out; its description does not.
		{name: "no ref: the default branch", url: s.APIURL() + "repos/acme/widgets/tarball", header: bearer(tokWrite),
			wantType: "application/x-gzip", wantDir: "acme-widgets-" + mainSHA[:7] + "/", wantToken: true, wantName: "widgets-main.tar.gz", outside: true},
		{name: "a public repository without a token", url: s.APIURL() + "repos/acme/public/tarball/refs/tags/v1.0.0", header: http.Header{},
			wantType: "application/x-gzip", wantDir: "acme-public-", wantName: "public-v1.0.0.tar.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := s
			if tt.outside {
				s = s.unchecked()
			}
			resp, body := get(t, s, tt.url, tt.header)
			require.Equal(t, http.StatusFound, resp.StatusCode, "%s", body)
			loc := resp.Header.Get("Location")
			require.True(t, strings.HasPrefix(loc, s.URL()+"/_codeload/"), loc)
			assert.Equal(t, tt.wantToken, strings.Contains(loc, "?token="), loc)

			resp, body = get(t, s, loc, http.Header{})
			require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
			assert.Equal(t, tt.wantType, resp.Header.Get("Content-Type"))
			assert.Equal(t, "attachment; filename="+tt.wantName, resp.Header.Get("Content-Disposition"))
			entries := archiveEntries(t, tt.wantType, body)
			require.NotEmpty(t, entries)
			assert.True(t, strings.HasPrefix(entries[len(entries)-1], tt.wantDir), "%v", entries)
			if tt.wantType == "application/x-gzip" {
				assert.True(t, strings.HasPrefix(entries[0], "pax:"), "git archive's global header: %v", entries)
			}
		})
	}

	t.Run("a private repository's link expires after five minutes", func(t *testing.T) {
		resp, _ := get(t, s, wr.TarballURL, bearer(tokWrite))
		loc := resp.Header.Get("Location")
		s.clock.Advance(5*time.Minute - time.Second)
		resp, _ = get(t, s, loc, http.Header{})
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		s.clock.Advance(time.Second)
		resp, body := get(t, s, loc, http.Header{})
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Equal(t, "404: Not Found", string(body))
		resp, _ = get(t, s, strings.Split(loc, "?")[0], http.Header{})
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "no token")
	})

	t.Run("a ref that does not exist", func(t *testing.T) {
		resp, body := get(t, s, s.APIURL()+"repos/acme/widgets/zipball/v9.9.9", bearer(tokWrite))
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Contains(t, string(body), `"documentation_url":"https://docs.github.com/rest/repos/contents#download-a-repository-archive-zip"`)
	})

	t.Run("a private repository without access", func(t *testing.T) {
		resp, _ := get(t, s, wr.TarballURL, bearer(tokClassic))
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		resp, _ = get(t, s, wr.TarballURL, http.Header{})
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})

	t.Run("a client that follows the redirect gets the archive", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, wr.ZipballURL, nil)
		require.NoError(t, err)
		req.Header = bearer(tokWrite)
		resp, err := s.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "application/zip", resp.Header.Get("Content-Type"))
	})
}

// The archive answers are held to GitHub's description: the 302s by their operation, the
// downloads by their status.
func TestRepositoryArchivesConform(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0"})
	for _, u := range []string{"repos/acme/widgets/tarball/v1.0.0", "repos/acme/widgets/zipball/refs/tags/v1.0.0", "repos/acme/widgets/zipball/v9"} {
		rawDo(t, s, http.MethodGet, s.APIURL()+u, bearer(tokWrite), nil)
	}
	seen := s.env.Validator.Seen()
	for _, e := range []conformance.Exchange{
		{Operation: "repos/download-tarball-archive", Status: 302},
		{Operation: "repos/download-zipball-archive", Status: 302},
		{Operation: "repos/download-zipball-archive", Status: 404},
		{Operation: "web/download-archive", Status: 200},
	} {
		assert.NotZero(t, seen[e], "%v not validated; seen %v", e, seen)
	}
}

// refSHA is the commit ref ("heads/main") points at.
func refSHA(t *testing.T, s *server, ref string) string {
	t.Helper()
	resp, data := get(t, s, s.APIURL()+"repos/acme/widgets/git/ref/"+ref, bearer(tokWrite))
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
	var r struct{ Object struct{ SHA string } }
	require.NoError(t, json.Unmarshal(data, &r))
	return r.Object.SHA
}
