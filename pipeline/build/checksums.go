package build

import (
	"io"

	"github.com/release-preflight/release-preflight/pipeline/checksums"
)

// WriteChecksums writes dir/SHA256SUMS listing arts, files of dir whose sums are already known
// (as [Run] computes them while archiving), and returns it as an artifact. Nothing is read again.
func WriteChecksums(dir string, arts []Artifact) (Artifact, error) {
	if len(arts) == 0 {
		return Artifact{}, invalid("assets", "Put the release files there first.", "no files to checksum in %s", dir)
	}
	sums := make([]checksums.Sum, len(arts))
	for i, a := range arts {
		sums[i] = checksums.Sum{Name: a.Name, SHA256: a.SHA256}
	}
	content, err := checksums.Format(sums)
	if err != nil {
		return Artifact{}, err
	}
	return writeAtomic(dir, checksums.FileName, func(w io.Writer) error {
		_, err := w.Write(content)
		return err
	})
}
