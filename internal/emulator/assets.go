package emulator

import (
	"crypto/sha256"
	"encoding/hex"
)

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
