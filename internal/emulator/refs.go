package emulator

import (
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"
)

// gitRef is one ref of a repository: its full name ("refs/tags/v1") and the
// commit it points at. Tags are lightweight: they point at commits.
type gitRef struct {
	name, sha string
}

// refsLocked lists the repository's refs, sorted by name as git sorts them:
// the default branch and every tag.
func (r *repo) refsLocked() []gitRef {
	out := []gitRef{{name: "refs/heads/" + r.branch, sha: commitSHA(r, r.branch)}}
	for t, sha := range r.tags {
		out = append(out, gitRef{name: "refs/tags/" + t, sha: sha})
	}
	slices.SortFunc(out, func(a, b gitRef) int { return strings.Compare(a.name, b.name) })
	return out
}

// refs serves GET …/git/ref/{ref}, GET …/git/matching-refs/{ref} and
// DELETE …/git/refs/{ref}, where ref is "heads/<branch>" or "tags/<tag>".
func (c *call) refs() reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, deny := c.gateLocked()
	if deny != nil {
		return *deny
	}
	doc := endpoints[c.rt.ep].doc
	full := "refs/" + c.rt.ref
	all := rp.refsLocked()
	i := slices.IndexFunc(all, func(g gitRef) bool { return g.name == full })
	switch c.rt.ep {
	case epGetRef:
		if i < 0 {
			return c.apiError(http.StatusNotFound, "Not Found", doc)
		}
		return reply{status: http.StatusOK, body: s.wireRef(rp, all[i])}

	case epMatchingRefs:
		var match []gitRef
		for _, g := range all {
			if strings.HasPrefix(g.name, full) {
				match = append(match, g)
			}
		}
		lo, hi := c.paginate(len(match))
		out := make([]wireRef, 0, hi-lo)
		for _, g := range match[lo:hi] {
			out = append(out, s.wireRef(rp, g))
		}
		return reply{status: http.StatusOK, body: out}

	case epDeleteRef:
		switch {
		case full == "refs/heads/"+rp.branch:
			return c.apiError(http.StatusUnprocessableEntity, "Cannot delete the default branch", doc)
		case i < 0:
			return c.apiError(http.StatusUnprocessableEntity, "Reference does not exist", doc)
		}
		tag := strings.TrimPrefix(full, "refs/tags/")
		delete(rp.tags, tag)
		// A published release whose tag is gone goes back to being a draft.
		for _, rel := range rp.releases {
			if rel.TagName == tag && !rel.Draft {
				rel.Draft = true
				rel.PublishedAt = time.Time{}
			}
		}
		return reply{status: http.StatusNoContent}
	}
	return c.apiError(http.StatusNotFound, "Not Found", doc)
}

func (s *Server) wireRef(r *repo, g gitRef) wireRef {
	sum := sha1.Sum([]byte(strings.ToLower(r.fullName()) + ":" + g.name))
	return wireRef{
		Ref:    g.name,
		NodeID: "REF_" + base64.RawURLEncoding.EncodeToString(sum[:12]),
		URL:    s.repoAPIURL(r) + "/git/" + pathEscape(g.name),
		Object: s.refObject(r, g),
	}
}

// refObject is what ref g points at: a tag object for an annotated tag, else
// its commit. The caller holds s.mu.
func (s *Server) refObject(r *repo, g gitRef) wireRefObject {
	if tag, ok := strings.CutPrefix(g.name, "refs/tags/"); ok {
		return s.tagObject(r, tag, g.sha)
	}
	return wireRefObject{SHA: g.sha, Type: "commit", URL: s.repoAPIURL(r) + "/git/commits/" + g.sha}
}
