package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
