package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
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
}

// prepareAssets checks the files of dir and returns them, sorted by name, with their sizes and
// SHA-256 sums. Files in known (a build's artifacts, SHA256SUMS among them) keep the sums they
// came with; otherwise SHA256SUMS is written when dir has no checksum file (or the one it has
// is verified), reading every file once. Nothing is written when a file is unfit to upload.
func prepareAssets(dir string, known []build.Artifact) ([]File, []string, error) {
	files, warnings, err := ScanDir(dir)
	if err != nil {
		return nil, warnings, err
	}
	sums := make(map[string]string, len(files))
	for _, a := range known {
		sums[a.Name] = a.SHA256
	}
	if !allKnown(files, known) {
		if sums, _, err = build.EnsureChecksums(dir); err != nil {
			return nil, warnings, err
		}
		if files, warnings, err = ScanDir(dir); err != nil {
			return nil, warnings, err
		}
	}
	for i := range files {
		files[i].SHA256 = sums[files[i].Name]
	}
	return files, warnings, nil
}

// allKnown reports whether every file is in known with its size.
func allKnown(files []File, known []build.Artifact) bool {
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
// 2 GiB, at most 1000 files. Skipped entries (directories, links) become warnings; unfit files
// become one InvalidInput error naming all of them.
func ScanDir(dir string) ([]File, []string, error) {
	entries, err := os.ReadDir(dir)
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
			problems = append(problems, fmt.Sprintf("%s is %s (GitHub takes assets under 2 GiB)", name, build.Size(info.Size())))
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
