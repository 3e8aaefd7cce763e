package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

// GitHub's limits on release assets.
const (
	maxAssetSize        = 2 << 30 // each file must be under 2 GiB
	maxAssetsPerRelease = 1000
)

// localFile is one file to upload.
type localFile struct {
	Name   string // base name, also the asset name
	Path   string
	Size   int64
	SHA256 string // hex
}

// prepareAssets checks the files of dir, writes SHA256SUMS when dir has no
// checksum file (or verifies the one it has) and returns the files, sorted by
// name, with their sizes and SHA-256 sums. Nothing is written when a file is
// unfit to upload.
func prepareAssets(dir string) ([]localFile, []string, error) {
	if _, warnings, err := scanDir(dir); err != nil {
		return nil, warnings, err
	}
	created, err := build.EnsureChecksums(dir)
	if err != nil {
		// The files passed scanDir, so this is the file system failing.
		return nil, nil, &githubapi.Error{Class: githubapi.ClassUnexpected, Op: "write " + build.ChecksumsFile, Err: err}
	}
	if !created {
		if err := build.VerifyChecksums(dir); err != nil {
			// The checksum file came with the directory: it is input.
			return nil, nil, &githubapi.Error{Class: githubapi.ClassInvalidInput, Op: "verify the checksum file", Err: err}
		}
	}
	files, warnings, err := scanDir(dir)
	if err != nil {
		return nil, warnings, err
	}
	for i := range files {
		if files[i].SHA256, err = hashFile(files[i].Path); err != nil {
			return nil, warnings, &githubapi.Error{Class: githubapi.ClassUnexpected, Op: "read release files", Err: err}
		}
	}
	return files, warnings, nil
}

// scanDir lists the regular files at the top of dir and checks that GitHub
// accepts each as an asset. Skipped entries become warnings; unfit files
// become one ClassInvalidInput error naming all of them.
func scanDir(dir string) ([]localFile, []string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, &githubapi.Error{
			Class: githubapi.ClassInvalidInput, Op: "read assets directory", Err: err,
			Message:     strings.TrimPrefix(err.Error(), "open "),
			Remediation: "Pass the directory holding the files to publish, e.g. --assets dist.",
		}
	}
	var (
		files    []localFile
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
			return nil, warnings, &githubapi.Error{Class: githubapi.ClassUnexpected, Op: "read assets directory", Err: err}
		}
		switch {
		case !keepsName(name):
			problems = append(problems, fmt.Sprintf("%q would be renamed by GitHub (use letters, digits, '.', '-', '_' and '+', not starting or ending with '.')", name))
		case info.Size() == 0:
			problems = append(problems, fmt.Sprintf("%s is empty (GitHub rejects empty assets)", name))
		case info.Size() >= maxAssetSize:
			problems = append(problems, fmt.Sprintf("%s is %s (GitHub takes assets under 2 GiB)", name, humanSize(info.Size())))
		}
		files = append(files, localFile{Name: name, Path: filepath.Join(dir, name), Size: info.Size()})
	}
	switch {
	case len(problems) > 0:
		return nil, warnings, invalidInput("check the release files",
			fmt.Sprintf("%d of the files in %s cannot be uploaded: %s", len(problems), dir, strings.Join(problems, "; ")),
			"Rename, remove or rebuild those files.")
	case len(files) == 0:
		return nil, warnings, invalidInput("check the release files", "no files in "+dir,
			"Build first, or pass the directory holding the files to publish.")
	case len(files) > maxAssetsPerRelease:
		return nil, warnings, invalidInput("check the release files",
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

// hashFile streams path through SHA-256.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// humanSize formats n bytes with binary units: "512 B", "1.5 KiB", "64.0 MiB".
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
