package checksums

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/regular"
)

// FileName is the name WriteChecksums writes.
const FileName = "SHA256SUMS"

// IsFile reports whether a file name is a checksum file a release
// might already carry: SHA256SUMS, checksums.txt (GoReleaser's
// NAME_VERSION_checksums.txt too) or NAME.sha256, in any letter case.
func IsFile(name string) bool {
	lower := strings.ToLower(name)
	return lower == "sha256sums" || lower == "sha256sums.txt" ||
		strings.HasSuffix(lower, "checksums.txt") || strings.HasSuffix(lower, ".sha256")
}

// Sum is one line of a checksum file: a file's name and its SHA-256 in lowercase hex.
type Sum struct {
	Name   string
	SHA256 string
}

// Format is the content of a SHA256SUMS file listing sums by name and SHA-256, in the format of
// `sha256sum` ("<hex>  <name>\n"), sorted by name (bytewise).
func Format(sums []Sum) ([]byte, error) {
	sorted := slices.Clone(sums)
	slices.SortFunc(sorted, func(a, b Sum) int { return strings.Compare(a.Name, b.Name) })
	var buf bytes.Buffer
	for i, s := range sorted {
		switch {
		case checkName(s.Name) != nil:
			return nil, checkName(s.Name)
		case s.Name == FileName:
			return nil, fmt.Errorf("write %s: it cannot list itself", FileName)
		case i > 0 && s.Name == sorted[i-1].Name:
			return nil, fmt.Errorf("write %s: %s is listed twice", FileName, s.Name)
		case len(s.SHA256) != 64 || !isHex(s.SHA256):
			return nil, fmt.Errorf("write %s: %s has no SHA-256", FileName, s.Name)
		}
		fmt.Fprintf(&buf, "%s  %s\n", s.SHA256, s.Name)
	}
	return buf.Bytes(), nil
}

// Verify reads every regular file at the top of dir, a directory of assets built
// elsewhere, once, and returns the SHA-256 of each, the checksum files (see [IsFile])
// included. When dir holds a checksum file, every file it lists must be there with that
// SHA-256; listed reports whether there was one. Nothing is written: [Format] makes the
// SHA256SUMS of a directory without one.
func Verify(dir string) (sums map[string]string, listed bool, err error) {
	entries, err := regular.ReadDir(dir)
	if err != nil {
		return nil, false, invalid("assets", "Pass the directory holding the files to publish.", "cannot list the assets: %v", err)
	}
	sums = make(map[string]string)
	var checksumFiles []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		sum, err := hashFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, false, err
		}
		sums[e.Name()] = sum
		if IsFile(e.Name()) {
			checksumFiles = append(checksumFiles, e.Name())
		}
	}
	if len(sums) == 0 {
		return nil, false, invalid("assets", "Put the release files at the top level of the directory.", "no files in %s", dir)
	}
	if len(checksumFiles) > 0 {
		return sums, true, verify(dir, checksumFiles, sums)
	}
	return sums, false, nil
}

// verify checks the lists of the named checksum files of dir against sums, the
// SHA-256 of every file there.
func verify(dir string, checksumFiles []string, sums map[string]string) error {
	var problems []string
	for _, name := range checksumFiles {
		data, _, err := regular.ReadFile(filepath.Join(dir, name), 0)
		if err != nil {
			return fmt.Errorf("read the checksum file %s: %w", name, err)
		}
		bare := ""
		if strings.EqualFold(filepath.Ext(name), ".sha256") {
			bare = name[:len(name)-len(".sha256")]
		}
		listed, err := parse(data, bare)
		if err != nil {
			if e, ok := outcome.As(err); ok {
				e.Message = name + ": " + e.Message
			}
			return err
		}
		for _, l := range listed {
			got, ok := sums[l.name]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s lists %s, which is missing", name, l.name))
			case got != l.sum:
				problems = append(problems, fmt.Sprintf("%s: %s says %s, the file has %s", l.name, name, l.sum, got))
			}
		}
	}
	if len(problems) > 0 {
		return invalid("assets", "Rebuild the files, or regenerate the checksum file.",
			"the checksums do not match the files in %s: %s", dir, strings.Join(problems, "; "))
	}
	return nil
}

// checksum is one line of a checksum file.
type checksum struct {
	sum  string // lowercase hex SHA-256
	name string
}

// parse reads `sha256sum` output: "<hex>  <name>" or "<hex> *<name>"
// per line. A lone "<hex>" is the sum of bare: for NAME.sha256, NAME; for
// other files "", which rejects such lines.
func parse(data []byte, bare string) ([]checksum, error) {
	var sums []checksum
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		sum, name := line, bare
		if len(line) <= 64 && bare == "" {
			return nil, badChecksumLine(n, "is not `<sha256>  <name>`")
		}
		if len(line) > 64 {
			sum, name = line[:64], line[64:]
			if len(name) < 2 || name[0] != ' ' || (name[1] != ' ' && name[1] != '*') {
				return nil, badChecksumLine(n, "is not `<sha256>  <name>`")
			}
			name = name[2:]
		}
		if len(sum) != 64 || !isHex(sum) {
			return nil, badChecksumLine(n, "does not start with a SHA-256 in hex")
		}
		if err := checkName(name); err != nil {
			return nil, badChecksumLine(n, "names "+outcome.Quote(name)+", which is not a file name of the directory")
		}
		sums = append(sums, checksum{sum: strings.ToLower(sum), name: name})
	}
	if err := sc.Err(); err != nil {
		return nil, badChecksumLine(0, "cannot be read: "+err.Error())
	}
	if len(sums) == 0 {
		return nil, invalid("assets", checksumFix, "the checksum file lists no checksums")
	}
	return sums, nil
}

const checksumFix = "Regenerate the checksum file with sha256sum."

func badChecksumLine(n int, problem string) error {
	if n == 0 {
		return invalid("assets", checksumFix, "the checksum file %s", problem)
	}
	return invalid("assets", checksumFix, "line %d of the checksum file %s", n, problem)
}

// checkName accepts base names a checksum line can hold unescaped.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\n\r\x00") {
		return invalid("assets", "Use base names only.", "%s is not a file name of the directory", outcome.Quote(name))
	}
	return nil
}

// hashFile returns the hex SHA-256 of a regular file, opened as package regular opens it: a file
// that became a link or a FIFO since it was listed fails rather than be followed or block.
func hashFile(path string) (string, error) {
	f, _, err := regular.Open(path)
	if err != nil {
		return "", fmt.Errorf("checksum %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("checksum %s: %w", filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// invalid is the InvalidInput error for input: the problem found, then the fix.
func invalid(input, fix, format string, args ...any) *outcome.Error {
	return outcome.Invalid("check the checksums", input, fmt.Sprintf(format, args...), fix)
}

// isHex reports whether s is lowercase or uppercase hex.
func isHex(s string) bool {
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}
