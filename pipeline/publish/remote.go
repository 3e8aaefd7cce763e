package publish

import (
	"context"
	"io"
	"strings"

	"github.com/google/go-github/v93/github"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/progress"
)

// remote sends the requests of one publish through the client's surface, naming each for its
// error messages.
type remote struct {
	c    *githubapi.Client
	repo githubapi.Repo
	tag  string
}

// releases lists every release of the repository, drafts included.
func (r remote) releases(ctx context.Context) ([]*github.RepositoryRelease, error) {
	rels, _, err := r.c.ListReleases(ctx, r.repo)
	return rels, err
}

// release reads one release; found is false when it no longer exists.
func (r remote) release(ctx context.Context, id int64) (rel *github.RepositoryRelease, found bool, err error) {
	rel, _, err = r.c.GetRelease(ctx, "read release "+r.tag, r.repo, id)
	if githubapi.IsNotFound(err) {
		return nil, false, nil
	}
	return rel, err == nil, err
}

func (r remote) create(ctx context.Context, req github.CreateReleaseRequest) (*github.RepositoryRelease, error) {
	rel, _, err := r.c.CreateRelease(ctx, "create draft release "+r.tag, r.repo, req)
	return rel, err
}

func (r remote) update(ctx context.Context, op string, id int64, req github.UpdateReleaseRequest) (*github.RepositoryRelease, error) {
	rel, _, err := r.c.UpdateRelease(ctx, op, r.repo, id, req)
	return rel, err
}

// generateNotes asks GitHub for the notes of the release of the tag, created at target ("":
// the default branch), as it writes them for generate_release_notes.
func (r remote) generateNotes(ctx context.Context, target string) (string, error) {
	n, _, err := r.c.GenerateReleaseNotes(ctx, "generate the notes of release "+r.tag, r.repo, r.tag, target)
	if err != nil {
		return "", err
	}
	return n.Body, nil
}

func (r remote) deleteRelease(ctx context.Context, id int64) error {
	_, err := r.c.DeleteRelease(ctx, "delete duplicate draft of "+r.tag, r.repo, id)
	return err
}

// assets lists every asset of a release, whatever its state.
func (r remote) assets(ctx context.Context, releaseID int64) ([]*github.ReleaseAsset, error) {
	as, _, err := r.c.ListAssets(ctx, "list assets of release "+r.tag, r.repo, releaseID)
	return as, err
}

// deleteAsset deletes an asset. One that is already gone answers 404, returned as is: only the
// next listing tells whether it is really gone.
func (r remote) deleteAsset(ctx context.Context, a *github.ReleaseAsset) error {
	_, err := r.c.DeleteAsset(ctx, "delete asset "+a.GetName(), r.repo, a.GetID())
	return err
}

// asset reads an asset afresh; found is false when it is gone.
func (r remote) asset(ctx context.Context, id int64) (a *github.ReleaseAsset, found bool, err error) {
	a, _, err = r.c.GetAsset(ctx, "read asset", r.repo, id)
	if githubapi.IsNotFound(err) {
		return nil, false, nil
	}
	return a, err == nil, err
}

// renameAsset gives an asset a new name.
func (r remote) renameAsset(ctx context.Context, a *github.ReleaseAsset, name string) (*github.ReleaseAsset, error) {
	out, _, err := r.c.RenameAsset(ctx, "rename asset "+a.GetName()+" to "+name, r.repo, a.GetID(), name)
	return out, err
}

// upload uploads the file at path as the asset name, streaming it from disk; every attempt
// reopens the file, so memory does not grow with its size. Before an attempt after a failed
// one, clear is called to remove what the failure may have left. The bytes sent count as
// step's progress (nil: none).
func (r remote) upload(ctx context.Context, releaseID int64, name string, f File, clear func(context.Context) error, step *progress.Step) (*github.ReleaseAsset, error) {
	a, _, err := r.c.UploadAsset(ctx, r.repo, releaseID, githubapi.Upload{
		Name: name, Size: f.Size, BeforeRetry: clear,
		Open: func() (io.ReadCloser, error) {
			body, err := openListed(f)
			if err != nil {
				return nil, err
			}
			return step.Counting(body), nil
		},
	})
	return a, err
}

// uploadBytes uploads content, held in memory, as the asset name; clear runs before a retry,
// as for upload.
func (r remote) uploadBytes(ctx context.Context, releaseID int64, name string, content []byte, clear func(context.Context) error) (*github.ReleaseAsset, error) {
	a, _, err := r.c.UploadAsset(ctx, r.repo, releaseID, githubapi.Upload{
		Name: name, Size: int64(len(content)), MediaType: "text/plain; charset=utf-8", BeforeRetry: clear,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(string(content))), nil },
	})
	return a, err
}

// sha256Of returns the asset's SHA-256 in hex, when GitHub gave one: its digest is
// "sha256:<hex>", computed when the upload finished; none for assets uploaded before GitHub
// had digests (June 2025), and on servers that do not send it.
func sha256Of(a *github.ReleaseAsset) (string, bool) {
	sum, ok := strings.CutPrefix(a.GetDigest(), "sha256:")
	return strings.ToLower(sum), ok && len(sum) == 64
}

// holds reports whether a is a complete upload of f: uploaded, f's size and, when GitHub gave a
// digest, f's SHA-256. digested reports whether the content was compared.
func holds(a *github.ReleaseAsset, f File) (same, digested bool) {
	if a.GetState() != githubapi.AssetUploaded || sizeOf(a) != f.Size {
		return false, false
	}
	sum, ok := sha256Of(a)
	if !ok {
		return true, false
	}
	return sum == f.SHA256, true
}

// sizeOf is the asset's size in bytes.
func sizeOf(a *github.ReleaseAsset) int64 { return int64(a.GetSize()) }
