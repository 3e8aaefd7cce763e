package emulator

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The repository archives: GET …/tarball/{ref} and …/zipball/{ref} on the API answer 302 to
// the download, which the server serves on its web host under /_codeload/ (codeload.github.com
// on github.com; GitHub Enterprise Server serves /_codeload/ on its own host).
const (
	epTarball endpoint = iota + 200
	epZipball
	epCodeloadTar
	epCodeloadZip
)

// archiveLinkLife is how long the download link of a private repository's archive works:
// "these links are temporary and expire after five minutes", GitHub's description says.
const archiveLinkLife = 5 * time.Minute

func init() {
	tarInfo := endpointInfo{perm: "contents=read", doc: docsRoot + "/repos/contents#download-a-repository-archive-tar"}
	zipInfo := endpointInfo{perm: "contents=read", doc: docsRoot + "/repos/contents#download-a-repository-archive-zip"}
	endpoints[epTarball], endpoints[epCodeloadTar] = tarInfo, tarInfo
	endpoints[epZipball], endpoints[epCodeloadZip] = zipInfo, zipInfo
}

// archiveGrant is the token a download link of a private repository's archive carries.
type archiveGrant struct {
	repo    string // lower-case owner/name
	expires time.Time
}

// resolveLocked returns the commit ref names in rp as git would resolve it for an archive: ""
// is the default branch; "refs/…" is taken as it is; otherwise refs/{ref}, refs/tags/{ref}
// and refs/heads/{ref} are tried in that order, and last a full commit SHA of a branch or tag.
func (rp *repo) resolveLocked(ref string) (string, bool) {
	if ref == "" {
		ref = "refs/heads/" + rp.branch
	}
	refs := rp.refsLocked()
	candidates := []string{ref}
	if !strings.HasPrefix(ref, "refs/") {
		candidates = []string{"refs/" + ref, "refs/tags/" + ref, "refs/heads/" + ref}
	}
	for _, c := range candidates {
		for _, g := range refs {
			if g.name == c {
				return g.sha, true
			}
		}
	}
	if len(ref) == 40 && isHex(ref) {
		for _, g := range refs {
			if g.sha == strings.ToLower(ref) {
				return g.sha, true
			}
		}
	}
	return "", false
}

// archiveRedirect serves GET …/tarball/{ref} and …/zipball/{ref}: 302 to the download, whose
// URL carries a token that expires after archiveLinkLife unless the repository is public.
func (c *call) archiveRedirect() reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, deny := c.gateLocked()
	if deny != nil {
		return *deny
	}
	if _, ok := rp.resolveLocked(c.rt.ref); !ok {
		return c.apiError(http.StatusNotFound, "Not Found", endpoints[c.rt.ep].doc)
	}
	format := "legacy.tar.gz"
	if c.rt.ep == epZipball {
		format = "legacy.zip"
	}
	ref := c.rt.ref
	if ref == "" {
		ref = rp.branch
	}
	loc := s.URL() + "/_codeload/" + url.PathEscape(rp.owner) + "/" + url.PathEscape(rp.name) + "/" + format + "/" + pathEscape(ref)
	if rp.policy.visibility() != "public" {
		sum := sha1.Sum([]byte(c.reqID + "\x00" + rp.fullName()))
		token := "A" + strings.ToUpper(hex.EncodeToString(sum[:12]))
		if s.archiveGrants == nil {
			s.archiveGrants = map[string]archiveGrant{}
		}
		s.archiveGrants[token] = archiveGrant{repo: strings.ToLower(rp.fullName()), expires: s.now().Add(archiveLinkLife)}
		loc += "?token=" + token
	}
	c.w.Header().Set("Location", loc)
	return reply{status: http.StatusFound}
}

// codeload serves the download an archive link points at: the archive of the commit ref names,
// holding the one directory {owner}-{repo}-{sha7}/ (the emulator keeps no files). It needs no
// authentication but, for a repository that is not public, the link's unexpired token; anything
// else answers codeload's plain-text 404.
func (c *call) codeload() reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	notFound := reply{status: http.StatusNotFound, raw: []byte("404: Not Found"), ctype: "text/plain; charset=utf-8"}
	rp := s.repoLocked(c.rt.owner, c.rt.name)
	if rp == nil {
		return notFound
	}
	if rp.policy.visibility() != "public" {
		g, ok := s.archiveGrants[c.r.URL.Query().Get("token")]
		if !ok || g.repo != strings.ToLower(rp.fullName()) || !s.now().Before(g.expires) {
			return notFound
		}
	}
	sha, ok := rp.resolveLocked(c.rt.ref)
	if !ok {
		return notFound
	}
	dir := rp.owner + "-" + rp.name + "-" + sha[:7] + "/"
	short := strings.TrimPrefix(strings.TrimPrefix(c.rt.ref, "refs/tags/"), "refs/heads/")
	name := rp.name + "-" + strings.ReplaceAll(short, "/", "-")
	var (
		data  []byte
		ctype string
		err   error
	)
	if c.rt.ep == epCodeloadZip {
		data, err = zipArchive(dir, rp.created)
		ctype, name = "application/zip", name+".zip"
	} else {
		data, err = tarArchive(dir, sha, rp.created)
		ctype, name = "application/x-gzip", name+".tar.gz"
	}
	if err != nil {
		panic(fmt.Sprintf("emulator: build archive: %v", err))
	}
	c.w.Header().Set("Content-Disposition", "attachment; filename="+name)
	return reply{status: http.StatusOK, raw: data, ctype: ctype}
}

// tarArchive is a gzipped tar holding dir, with the pax global header in which git archive
// records the commit.
func tarArchive(dir, sha string, mod time.Time) ([]byte, error) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	hdrs := []*tar.Header{
		{Typeflag: tar.TypeXGlobalHeader, PAXRecords: map[string]string{"comment": sha}},
		{Typeflag: tar.TypeDir, Name: dir, Mode: 0o775, ModTime: mod, Format: tar.FormatPAX},
	}
	for _, h := range hdrs {
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// zipArchive is a zip holding dir.
func zipArchive(dir string, mod time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if _, err := zw.CreateHeader(&zip.FileHeader{Name: dir, Modified: mod}); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
