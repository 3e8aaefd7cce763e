package build

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ChecksumsFile is the name WriteChecksums writes.
const ChecksumsFile = "SHA256SUMS"

// IsChecksumFile reports whether a file name is a checksum file a release
// might already carry: SHA256SUMS, checksums.txt (GoReleaser's
// NAME_VERSION_checksums.txt too) or NAME.sha256, in any letter case.
func IsChecksumFile(name string) bool {
	lower := strings.ToLower(name)
	return lower == "sha256sums" || lower == "sha256sums.txt" ||
		strings.HasSuffix(lower, "checksums.txt") || strings.HasSuffix(lower, ".sha256")
}

// WriteChecksums writes dir/SHA256SUMS for the named files in dir, in the
// format of `sha256sum` ("<hex>  <name>\n"), sorted by name, and returns its
// path. Names are base names of regular files in dir.
func WriteChecksums(dir string, names []string) (string, error) {
	if len(names) == 0 {
		return "", invalidf("no files to checksum in %s: put the release files there first", dir)
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	var buf bytes.Buffer
	for i, name := range sorted {
		if err := checkAssetName(name); err != nil {
			return "", err
		}
		if name == ChecksumsFile {
			return "", invalidf("%s cannot list itself: leave it out of the names", ChecksumsFile)
		}
		if i > 0 && name == sorted[i-1] {
			return "", invalidf("%s is listed twice: list each file once", name)
		}
		sum, err := hashFile(filepath.Join(dir, name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&buf, "%s  %s\n", sum, name)
	}
	a, err := writeAtomic(dir, ChecksumsFile, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
	if err != nil {
		return "", err
	}
	return a.Path, nil
}

// EnsureChecksums writes SHA256SUMS over every regular file at the top of
// dir unless dir already holds a checksum file (see [IsChecksumFile]). It
// reports whether it wrote one. For directories of assets built elsewhere.
func EnsureChecksums(dir string) (created bool, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("list release files: %w: pass an existing directory", err)
	}
	var names []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if IsChecksumFile(e.Name()) {
			return false, nil
		}
		names = append(names, e.Name())
	}
	if len(names) == 0 {
		return false, invalidf("no files in %s: put the release files at its top level", dir)
	}
	if _, err := WriteChecksums(dir, names); err != nil {
		return false, err
	}
	return true, nil
}

// VerifyChecksums checks every file listed by the checksum files in dir
// (see [IsChecksumFile]) against its SHA-256, and fails when dir has no
// checksum file, a listed file is missing, or a sum differs.
func VerifyChecksums(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list release files: %w: pass an existing directory", err)
	}
	var problems []string
	found := false
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsChecksumFile(e.Name()) {
			continue
		}
		found = true
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return fmt.Errorf("read checksum file: %w", err)
		}
		bare := ""
		if strings.EqualFold(filepath.Ext(e.Name()), ".sha256") {
			bare = e.Name()[:len(e.Name())-len(".sha256")]
		}
		sums, err := parseChecksums(data, bare)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
		for _, s := range sums {
			got, err := hashFile(filepath.Join(dir, s.name))
			switch {
			case errors.Is(err, os.ErrNotExist):
				problems = append(problems, fmt.Sprintf("%s lists %s, which is missing", e.Name(), s.name))
			case err != nil:
				return err
			case got != s.sum:
				problems = append(problems, fmt.Sprintf("%s: %s says %s, file has %s", s.name, e.Name(), s.sum, got))
			}
		}
	}
	if !found {
		return invalidf("no checksum file in %s: write one with WriteChecksums or `sha256sum * > %s`", dir, ChecksumsFile)
	}
	if len(problems) > 0 {
		return fmt.Errorf("checksums do not match in %s: %s: rebuild the files or regenerate the checksum file", dir, strings.Join(problems, "; "))
	}
	return nil
}

// checksum is one line of a checksum file.
type checksum struct {
	sum  string // lowercase hex SHA-256
	name string
}

// parseChecksums reads `sha256sum` output: "<hex>  <name>" or "<hex> *<name>"
// per line. A lone "<hex>" is the sum of bare: for NAME.sha256, NAME; for
// other files "", which rejects such lines.
func parseChecksums(data []byte, bare string) ([]checksum, error) {
	var sums []checksum
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		sum, name := line, bare
		if len(line) <= 64 && bare == "" {
			return nil, invalidf("line %d is not `<sha256>  <name>`: regenerate the file with sha256sum", n)
		}
		if len(line) > 64 {
			sum, name = line[:64], line[64:]
			if len(name) < 2 || name[0] != ' ' || (name[1] != ' ' && name[1] != '*') {
				return nil, invalidf("line %d is not `<sha256>  <name>`: regenerate the file with sha256sum", n)
			}
			name = name[2:]
		}
		if len(sum) != 64 || !isHex(sum) {
			return nil, invalidf("line %d does not start with a SHA-256 in hex: regenerate the file with sha256sum", n)
		}
		if err := checkAssetName(name); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		sums = append(sums, checksum{sum: strings.ToLower(sum), name: name})
	}
	if err := sc.Err(); err != nil {
		return nil, invalidf("read checksums: %w: regenerate the file with sha256sum", err)
	}
	if len(sums) == 0 {
		return nil, invalidf("no checksums in the file: regenerate it with sha256sum")
	}
	return sums, nil
}

// checkAssetName accepts base names a checksum line can hold unescaped.
func checkAssetName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\n\r\x00") {
		return invalidf("%q is not a file name in the directory: use base names only", name)
	}
	return nil
}

// hashFile returns the hex SHA-256 of a regular file.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("checksum %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("checksum %s: %w", filepath.Base(path), err)
	}
	if !info.Mode().IsRegular() {
		return "", invalidf("checksum %s: not a regular file: list regular files only", filepath.Base(path))
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("checksum %s: %w", filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
