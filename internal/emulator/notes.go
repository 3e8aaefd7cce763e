package emulator

import (
	"net/http"
	"strings"
)

// wireNotes is GitHub's release-notes-content.
type wireNotes struct {
	Name string `json:"name"`
	Body string `json:"body"`
}

// notesLocked generates release notes for tag as GitHub does for a
// repository without pull requests: the name is the tag, the body the "Full
// Changelog" line, comparing with prev (the tag of the latest published
// release other than tag's when prev is "") or, without one, listing the
// commits. The caller holds s.mu.
func (s *Server) notesLocked(r *repo, tag, prev string) wireNotes {
	if prev == "" {
		var latest *release
		for _, rel := range r.releases {
			if rel.Draft || rel.TagName == tag {
				continue
			}
			if latest == nil || rel.CreatedAt.After(latest.CreatedAt) ||
				(rel.CreatedAt.Equal(latest.CreatedAt) && rel.ID > latest.ID) {
				latest = rel
			}
		}
		if latest != nil {
			prev = latest.TagName
		}
	}
	link := s.repoHTMLURL(r) + "/commits/" + pathEscape(tag)
	if prev != "" {
		link = s.repoHTMLURL(r) + "/compare/" + pathEscape(prev) + "..." + pathEscape(tag)
	}
	return wireNotes{Name: tag, Body: "**Full Changelog**: " + link}
}

// generateNotes serves POST …/releases/generate-notes. The notes are not stored. An empty
// tag_name answers 400 "Missing tag_name parameter" and an empty previous_tag_name 400 "Invalid
// previous_tag parameter", as GitHub does (reported in goreleaser/goreleaser#6414 and #3662: a
// first release has no previous tag); a previous_tag_name that is no tag of the repository
// answers 404.
func (c *call) generateNotes(raw []byte) reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, deny := c.gateLocked()
	if deny != nil {
		return *deny
	}
	doc := endpoints[epGenerateNotes].doc
	b, bad := c.decodeBody(raw, generateNotesBody, doc)
	if bad != nil {
		return *bad
	}
	tag := *b.str("tag_name")
	if tag == "" {
		return c.apiError(http.StatusBadRequest, "Missing tag_name parameter", doc)
	}
	if p := b.str("previous_tag_name"); p != nil && *p == "" {
		return c.apiError(http.StatusBadRequest, "Invalid previous_tag parameter", doc)
	}
	if !validTagName(tag) {
		return c.validationFailed(doc, wireFieldError{Resource: "Release", Code: "invalid", Field: "tag_name"})
	}
	var prev string
	if p := b.str("previous_tag_name"); p != nil {
		if _, ok := rp.tags[*p]; !ok {
			return c.apiError(http.StatusNotFound, "Not Found", doc)
		}
		prev = *p
	}
	return reply{status: http.StatusOK, body: s.notesLocked(rp, tag, prev)}
}

// applyNotes fills rel's name and body as generate_release_notes asks: the
// given name wins over the generated one, and a given body comes before the
// generated notes. The caller holds s.mu, before rel joins r.releases.
func (s *Server) applyNotes(r *repo, rel *release) {
	n := s.notesLocked(r, rel.TagName, "")
	if rel.Name == "" {
		rel.Name = n.Name
	}
	if rel.Body == "" {
		rel.Body = n.Body
		return
	}
	rel.Body = strings.Join([]string{rel.Body, n.Body}, "\n\n")
}
