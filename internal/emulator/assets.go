package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"
)

// maxAssets is how many assets GitHub keeps per release.
const maxAssets = 1000

// digestOf is the digest GitHub gives an uploaded asset: "sha256:" and the
// hex SHA-256 of its content.
func digestOf(content []byte) string {
	sum := sha256.Sum256(content)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// digest is the asset's digest as served: null unless the asset is uploaded
// and has one.
func (a *asset) digest() *string {
	if a.State != "uploaded" || a.Digest == "" {
		return nil
	}
	d := a.Digest
	return &d
}

// uploadProblems are the reasons GitHub refuses a new asset called name on
// rel: a name another asset has, in any state, and a release that already has
// maxAssets assets.
func (rel *release) uploadProblems(name string) []wireFieldError {
	var errs []wireFieldError
	if rel.assetNamed(name) != nil {
		errs = append(errs, wireFieldError{Resource: "ReleaseAsset", Code: "already_exists", Field: "name"})
	}
	if len(rel.assets) >= maxAssets {
		errs = append(errs, wireFieldError{Resource: "ReleaseAsset", Code: "custom", Field: "file_count",
			Message: fmt.Sprintf("file_count limited to %d assets per release", maxAssets)})
	}
	return errs
}

// assetNamed returns rel's asset called name, if any.
func (rel *release) assetNamed(name string) *asset {
	for _, a := range rel.assets {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// updateAsset serves PATCH …/releases/assets/{id}: name (renamed like an
// upload's) and label change; state is validated as the string the schema
// asks for and otherwise ignored — an asset's state is the upload's.
func (c *call) updateAsset(raw []byte) reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, deny := c.gateLocked()
	if deny != nil {
		return *deny
	}
	doc := endpoints[epUpdateAsset].doc
	rel, a := rp.assetByID(c.rt.id)
	if a == nil {
		return c.apiError(http.StatusNotFound, "Not Found", doc)
	}
	b, bad := c.decodeBody(raw, updateAssetBody, doc)
	if bad != nil {
		return *bad
	}
	name := a.Name
	if n := b.str("name"); n != nil {
		name = sanitizeAssetName(*n)
		if name == "" {
			return c.validationFailed(doc, wireFieldError{Resource: "ReleaseAsset", Code: "invalid", Field: "name"})
		}
		if other := rel.assetNamed(name); other != nil && other != a {
			return c.validationFailed(doc, wireFieldError{Resource: "ReleaseAsset", Code: "already_exists", Field: "name"})
		}
	}
	a.Name = name
	if l := b.str("label"); l != nil {
		a.Label = *l
	}
	a.UpdatedAt = s.now().UTC().Truncate(time.Second)
	return reply{status: http.StatusOK, body: s.wireAsset(rp, rel, a, c.mode)}
}
