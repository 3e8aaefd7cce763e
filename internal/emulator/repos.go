package emulator

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// RepoOptions are the settings of a repository that AddRepoWith creates.
type RepoOptions struct {
	// Visibility is "private" (the default), "public" or "internal"; GET /repos/{o}/{r} answers
	// it as visibility and private.
	Visibility string
	// OwnerType is the owner's account type: "Organization" (the default) or "User". GitHub
	// offers artifact attestations for a private repository only to organizations on GitHub
	// Enterprise Cloud, so a private repository owned by a User never has them.
	OwnerType string
}

// AddRepoWith creates the repository fullName ("owner/name") with default branch main and
// opts, or applies opts to it if it exists. It panics if fullName is not of the form owner/name,
// or opts holds a value GitHub does not have.
func (s *Server) AddRepoWith(fullName string, opts RepoOptions) {
	switch opts.Visibility {
	case "", "private", "public", "internal":
	default:
		panic(fmt.Sprintf("emulator: visibility %q is not private, public or internal", opts.Visibility))
	}
	switch opts.OwnerType {
	case "", "Organization", "User":
	default:
		panic(fmt.Sprintf("emulator: owner type %q is not Organization or User", opts.OwnerType))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addRepoLocked(fullName).policy.opts = opts
}

// AddTagAt creates (or moves) the lightweight git tag tag in repo (added if missing) to the
// commit sha, as `git push` of a tag would, without a release.
func (s *Server) AddTagAt(repo, tag, sha string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.addRepoLocked(repo)
	r.tags[tag] = strings.ToLower(sha)
	delete(r.policy.annotated, tag)
}

// AddAnnotatedTag creates (or replaces) the annotated tag tag in repo (added if missing),
// pointing at the commit sha, and returns the SHA of its tag object: GET …/git/ref/tags/{tag}
// answers object type "tag" with that SHA, and GET …/git/tags/{sha} dereferences it to the
// commit.
func (s *Server) AddAnnotatedTag(repo, tag, sha string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.addRepoLocked(repo)
	sha = strings.ToLower(sha)
	r.tags[tag] = sha
	sum := sha1.Sum([]byte("tag " + tag + " " + sha))
	obj := annotatedTag{sha: hex.EncodeToString(sum[:]), tag: tag, commit: sha, date: s.now().UTC().Truncate(time.Second)}
	if r.policy.annotated == nil {
		r.policy.annotated = map[string]annotatedTag{}
	}
	r.policy.annotated[tag] = obj
	return obj.sha
}

// annotatedTag is the tag object of an annotated tag.
type annotatedTag struct {
	sha, tag, commit string
	date             time.Time
}

type wireGitTagObject struct {
	SHA  string `json:"sha"`
	Type string `json:"type"`
	URL  string `json:"url"`
}

type wireTagger struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Date  stamp  `json:"date"`
}

type wireVerification struct {
	Verified   bool    `json:"verified"`
	Reason     string  `json:"reason"`
	Payload    *string `json:"payload"`
	Signature  *string `json:"signature"`
	VerifiedAt *string `json:"verified_at"`
}

type wireGitTag struct {
	NodeID       string           `json:"node_id"`
	SHA          string           `json:"sha"`
	URL          string           `json:"url"`
	Tag          string           `json:"tag"`
	Message      string           `json:"message"`
	Tagger       wireTagger       `json:"tagger"`
	Object       wireGitTagObject `json:"object"`
	Verification wireVerification `json:"verification"`
}

// tagObject is the object a tag's ref points at: its tag object when it is annotated, else the
// commit sha. The caller holds s.mu.
func (s *Server) tagObject(rp *repo, tag, sha string) wireRefObject {
	if a, ok := rp.policy.annotated[tag]; ok {
		return wireRefObject{SHA: a.sha, Type: "tag", URL: s.repoAPIURL(rp) + "/git/tags/" + a.sha}
	}
	return wireRefObject{SHA: sha, Type: "commit", URL: s.repoAPIURL(rp) + "/git/commits/" + sha}
}

// gitTagLocked serves GET …/git/tags/{tag_sha}.
func (c *call) gitTagLocked(rp *repo) reply {
	for _, a := range rp.policy.annotated {
		if a.sha != strings.ToLower(c.rt.sha) {
			continue
		}
		base := c.s.repoAPIURL(rp) + "/git"
		return reply{status: http.StatusOK, body: wireGitTag{
			NodeID:       nodeID("TAG", int64(len(a.sha))),
			SHA:          a.sha,
			URL:          base + "/tags/" + a.sha,
			Tag:          a.tag,
			Message:      "Release " + a.tag + "\n",
			Tagger:       wireTagger{Name: "Monalisa Octocat", Email: "octocat@github.com", Date: stamp(a.date)},
			Object:       wireGitTagObject{SHA: a.commit, Type: "commit", URL: base + "/commits/" + a.commit},
			Verification: wireVerification{Reason: "unsigned"},
		}}
	}
	return c.apiError(http.StatusNotFound, "Not Found", endpoints[epGitTag].doc)
}
