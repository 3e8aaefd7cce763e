package publish

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// release is a GitHub release as the REST API describes it. It is decoded here rather than by
// go-github v62, which knows neither `immutable` nor the assets' `digest`.
type release struct {
	ID              int64     `json:"id"`
	TagName         string    `json:"tag_name"`
	Name            string    `json:"name"`
	Body            string    `json:"body"`
	Draft           bool      `json:"draft"`
	Prerelease      bool      `json:"prerelease"`
	Immutable       bool      `json:"immutable"`
	TargetCommitish string    `json:"target_commitish"`
	HTMLURL         string    `json:"html_url"`
	CreatedAt       time.Time `json:"created_at"`
}

// asset is a release asset. Digest is "sha256:<hex>", computed by GitHub when the upload
// finished; nil for assets uploaded before GitHub had digests (June 2025), and on servers that
// do not send it.
type asset struct {
	ID     int64   `json:"id"`
	Name   string  `json:"name"`
	State  string  `json:"state"`
	Size   int64   `json:"size"`
	Digest *string `json:"digest"`
}

// stateUploaded is the state of a complete asset. An upload that failed upstream leaves one in
// another state ("starter", in GitHub's words).
const stateUploaded = "uploaded"

// sha256 returns the asset's SHA-256 in hex, when GitHub gave one.
func (a asset) sha256() (string, bool) {
	if a.Digest == nil {
		return "", false
	}
	sum, ok := strings.CutPrefix(*a.Digest, "sha256:")
	return strings.ToLower(sum), ok && len(sum) == 64
}

// holds reports whether a is a complete upload of f: uploaded, f's size and, when GitHub gave a
// digest, f's SHA-256. digested reports whether the content was compared.
func (a asset) holds(f File) (same, digested bool) {
	if a.State != stateUploaded || a.Size != f.Size {
		return false, false
	}
	sum, ok := a.sha256()
	if !ok {
		return true, false
	}
	return sum == f.SHA256, true
}

// releaseFields are the fields Publish sets when it creates or updates a release.
type releaseFields struct {
	TagName              string  `json:"tag_name,omitempty"`
	TargetCommitish      *string `json:"target_commitish,omitempty"`
	Name                 *string `json:"name,omitempty"`
	Body                 *string `json:"body,omitempty"`
	Draft                *bool   `json:"draft,omitempty"`
	Prerelease           *bool   `json:"prerelease,omitempty"`
	GenerateReleaseNotes *bool   `json:"generate_release_notes,omitempty"`
	MakeLatest           *string `json:"make_latest,omitempty"`
}

// remote sends the requests of one publish, through the client's retries and classification.
type remote struct {
	c    *githubapi.Client
	repo githubapi.Repo
	tag  string
}

func (r remote) path(format string, args ...any) string {
	return fmt.Sprintf("repos/%s/%s/", url.PathEscape(r.repo.Owner), url.PathEscape(r.repo.Name)) + fmt.Sprintf(format, args...)
}

// do sends one JSON request and decodes the answer into out (when not nil).
func (r remote) do(ctx context.Context, op, method, path string, body, out any) error {
	return r.c.Do(ctx, op, r.repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		req, err := gh.NewRequest(method, path, body)
		if err != nil {
			return nil, err
		}
		return gh.Do(ctx, req, out)
	})
}

// list decodes every page of a list endpoint, a page per attempt of the client, at most the
// client's page cap.
func list[T any](ctx context.Context, r remote, op, path string) ([]T, error) {
	return githubapi.ListAll(ctx, r.c, op, r.repo, githubapi.ListPath[T](path))
}

// releases lists every release of the repository, drafts included (GitHub shows drafts to
// tokens with push access only).
func (r remote) releases(ctx context.Context) ([]release, error) {
	return list[release](ctx, r, "list releases", r.path("releases"))
}

// release reads one release; found is false when it no longer exists.
func (r remote) release(ctx context.Context, id int64) (rel release, found bool, err error) {
	err = r.do(ctx, "read release "+r.tag, http.MethodGet, r.path("releases/%d", id), nil, &rel)
	if githubapi.IsNotFound(err) {
		return rel, false, nil
	}
	return rel, err == nil, err
}

func (r remote) create(ctx context.Context, f releaseFields) (release, error) {
	var rel release
	err := r.do(ctx, "create draft release "+r.tag, http.MethodPost, r.path("releases"), f, &rel)
	return rel, err
}

func (r remote) update(ctx context.Context, op string, id int64, f releaseFields) (release, error) {
	var rel release
	err := r.do(ctx, op, http.MethodPatch, r.path("releases/%d", id), f, &rel)
	return rel, err
}

func (r remote) deleteRelease(ctx context.Context, id int64) error {
	return r.do(ctx, "delete duplicate draft of "+r.tag, http.MethodDelete, r.path("releases/%d", id), nil, nil)
}

// assets lists every asset of a release, whatever its state.
func (r remote) assets(ctx context.Context, releaseID int64) ([]asset, error) {
	return list[asset](ctx, r, "list assets of release "+r.tag, r.path("releases/%d/assets", releaseID))
}

// deleteAsset deletes an asset. One that is already gone answers 404, returned as is: only the
// next listing tells whether it is really gone.
func (r remote) deleteAsset(ctx context.Context, a asset) error {
	return r.do(ctx, "delete asset "+a.Name, http.MethodDelete, r.path("releases/assets/%d", a.ID), nil, nil)
}

// renameAsset gives an asset a new name.
func (r remote) renameAsset(ctx context.Context, a asset, name string) (asset, error) {
	var out asset
	err := r.do(ctx, "rename asset "+a.Name+" to "+name, http.MethodPatch, r.path("releases/assets/%d", a.ID),
		map[string]string{"name": name}, &out)
	return out, err
}

// upload uploads the file at path as the asset name, streaming it from disk; every attempt
// reopens the file, so memory does not grow with its size. Before an attempt after a failed
// one, clear is called to remove what the failure may have left (a half-made asset would make
// the retry fail with 422 already_exists).
func (r remote) upload(ctx context.Context, releaseID int64, name, path string, clear func(context.Context) error) (asset, error) {
	var out asset
	attempt := 0
	err := r.c.Do(ctx, "upload "+name, r.repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		attempt++
		if attempt > 1 {
			if err := clear(ctx); err != nil {
				return nil, err
			}
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, &outcome.Error{Class: outcome.Unexpected, Op: "read " + name, Err: err,
				Remediation: "Check that the file is still there and readable, then re-run."}
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			return nil, err
		}
		req, err := gh.NewUploadRequest(r.path("releases/%d/assets?name=%s", releaseID, url.QueryEscape(name)),
			f, info.Size(), mime.TypeByExtension(filepath.Ext(name)))
		if err != nil {
			return nil, err
		}
		return gh.Do(ctx, req, &out)
	})
	return out, err
}

// uploadBytes uploads content, held in memory, as the asset name.
func (r remote) uploadBytes(ctx context.Context, releaseID int64, name string, content []byte) (asset, error) {
	var out asset
	err := r.c.Do(ctx, "upload "+name, r.repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		req, err := gh.NewUploadRequest(r.path("releases/%d/assets?name=%s", releaseID, url.QueryEscape(name)),
			strings.NewReader(string(content)), int64(len(content)), "text/plain; charset=utf-8")
		if err != nil {
			return nil, err
		}
		return gh.Do(ctx, req, &out)
	})
	return out, err
}
