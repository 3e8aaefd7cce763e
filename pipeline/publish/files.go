package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/checksums"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/regular"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// GitHub's limits on release assets.
const (
	maxAssetSize        = 2 << 30 // each file must be under 2 GiB
	maxAssetsPerRelease = 1000
)

// File is one file to upload.
type File struct {
	Name   string // base name, also the asset name
	Path   string
	Size   int64
	SHA256 string // hex

	content []byte // a SHA256SUMS to write into the directory before it is uploaded
}

// prepareAssets checks the files of dir and returns them, sorted by name, with their sizes;
// files in known (a build's artifacts, SHA256SUMS among them) keep the sums they came with.
// When dir holds a checksum file, every file is read once for its SHA-256 and must match it.
// Otherwise the files are not read here: their sums are computed while they upload, and sums
// is the SHA256SUMS to add, its size known, its content made from them then. Nothing is
// written.
func prepareAssets(dir string, known []File) (files []File, sums *File, warnings []string, err error) {
	if files, warnings, err = ScanDir(dir); err != nil {
		return nil, nil, warnings, err
	}
	if allKnown(files, known) {
		digests := make(map[string]string, len(known))
		for _, a := range known {
			digests[a.Name] = a.SHA256
		}
		for i := range files {
			files[i].SHA256 = digests[files[i].Name]
		}
		return files, nil, warnings, nil
	}
	if slices.ContainsFunc(files, func(f File) bool { return checksums.IsFile(f.Name) }) {
		digests, _, err := checksums.Verify(dir)
		if err != nil {
			return nil, nil, warnings, err
		}
		for i := range files {
			files[i].SHA256 = digests[files[i].Name]
		}
		return files, nil, warnings, nil
	}
	if len(files) >= maxAssetsPerRelease {
		return nil, nil, warnings, outcome.Invalid("check the release files", "assets",
			fmt.Sprintf("%s holds %d files, and with the SHA256SUMS added they are more than the %d assets GitHub allows per release", dir, len(files), maxAssetsPerRelease),
			"Bundle the files into fewer archives.")
	}
	size := int64(0)
	for _, f := range files {
		size += int64(sha256.Size*2 + len("  ") + len(f.Name) + len("\n"))
	}
	return files, &File{Name: checksums.FileName, Path: filepath.Join(dir, checksums.FileName), Size: size}, warnings, nil
}

// allKnown reports whether every file is in known with its size.
func allKnown(files []File, known []File) bool {
	size := make(map[string]int64, len(known))
	for _, a := range known {
		size[a.Name] = a.Size
	}
	for _, f := range files {
		if s, ok := size[f.Name]; !ok || s != f.Size {
			return false
		}
	}
	return len(known) > 0
}

// ScanDir lists the regular files at the top of dir, sorted by name and without their sums,
// and checks that GitHub accepts each as an asset: a name it keeps as it is, not empty, under
// 2 GiB, at most 1000 files. Skipped entries (directories, links, special files) become
// warnings: they are never opened. A SHA256SUMS that is not a regular file is refused, since
// the publish may write one there. Unfit files become one InvalidInput error naming all of
// them. dir itself is opened without blocking (a FIFO there fails at once).
func ScanDir(dir string) ([]File, []string, error) {
	entries, err := regular.ReadDir(dir)
	if err != nil {
		return nil, nil, &outcome.Error{
			Class: outcome.InvalidInput, Op: "read assets directory", Err: err,
			Message:     strings.TrimPrefix(err.Error(), "open "),
			Input:       "assets",
			Remediation: "Pass the directory holding the files to publish.",
		}
	}
	var (
		files    []File
		warnings []string
		problems []string
	)
	for _, e := range entries {
		name := e.Name()
		switch {
		case name == checksums.FileName && !e.Type().IsRegular():
			problems = append(problems, fmt.Sprintf("%s is %s, and a publish writes %s there when the directory has no checksum file: "+
				"replace it with the file itself, or remove it", name, regular.Kind(e.Type()), name))
			continue
		case e.IsDir():
			warnings = append(warnings, fmt.Sprintf("skipped directory %s in %s: only files at its top level are uploaded", name, dir))
			continue
		case !e.Type().IsRegular():
			warnings = append(warnings, fmt.Sprintf("skipped %s in %s: symlinks and special files are not uploaded", name, dir))
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, warnings, &outcome.Error{Class: outcome.Unexpected, Op: "read assets directory", Err: err}
		}
		switch {
		case !keepsName(name):
			problems = append(problems, fmt.Sprintf("%q would be renamed by GitHub (use letters, digits, '.', '-', '_' and '+', not starting or ending with '.')", name))
		case info.Size() == 0:
			problems = append(problems, fmt.Sprintf("%s is empty (GitHub rejects empty assets)", name))
		case info.Size() >= maxAssetSize:
			problems = append(problems, fmt.Sprintf("%s is %s (GitHub takes assets under 2 GiB)", name, report.Size(info.Size())))
		}
		files = append(files, File{Name: name, Path: filepath.Join(dir, name), Size: info.Size()})
	}
	switch {
	case len(problems) > 0:
		return nil, warnings, outcome.Invalid("check the release files", "assets",
			fmt.Sprintf("%d of the files in %s cannot be uploaded: %s", len(problems), dir, strings.Join(problems, "; ")),
			"Rename, remove or rebuild those files.")
	case len(files) == 0:
		return nil, warnings, outcome.Invalid("check the release files", "assets", "no files in "+dir,
			"Build first, or pass the directory holding the files to publish.")
	case len(files) > maxAssetsPerRelease:
		return nil, warnings, outcome.Invalid("check the release files", "assets",
			fmt.Sprintf("%s holds %d files; GitHub allows %d assets per release", dir, len(files), maxAssetsPerRelease),
			"Bundle the files into fewer archives.")
	}
	return files, warnings, nil
}

// keepsName reports whether GitHub stores an asset under name unchanged: it
// turns characters other than letters, digits, '-', '_', '.' and '+' into
// '.', collapses runs of '.', prefixes a leading '.' with "default" and drops
// trailing ones. A renamed asset could not be found again by its file name.
func keepsName(name string) bool {
	if name == "" || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
		return false
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.+", r)
		if !ok {
			return false
		}
	}
	return true
}

// readFile reads a small regular file whole (a checksum file).
func readFile(path string) ([]byte, error) {
	b, _, err := regular.ReadFile(path, 0)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return b, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// openListed opens f for reading, as the regular file of the size it had when it was listed: a
// file that went away, changed size or was replaced by something else meanwhile (a link, a
// FIFO: never followed, never waited on) fails, as invalid input, rather than be sent.
func openListed(f File) (*os.File, error) {
	in, info, err := regular.Open(f.Path)
	if err != nil {
		return nil, changedFile(f, err)
	}
	if info.Size() != f.Size {
		in.Close()
		return nil, changedFile(f, fmt.Errorf("it has %d bytes, not the %d it had", info.Size(), f.Size))
	}
	return in, nil
}
