package build

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
)

// Artifact is one file written for the release.
type Artifact struct {
	Name   string // base name, e.g. "hello_1.2.3_linux_amd64.tar.gz"
	Path   string // where it was written
	Size   int64
	SHA256 string // lowercase hex
}

// Fixed archive metadata: only the content and the stamp date vary.
const (
	binaryMode = 0o755
	fileMode   = 0o644
)

// The earliest and latest times a zip (MS-DOS) timestamp can hold.
var (
	minZipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	maxZipTime = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
)

// docPrefixes are the file names DocFiles picks, compared case-insensitively.
var docPrefixes = []string{"readme", "license", "licence", "changelog"}

// DocFiles returns the README, LICENSE (or LICENCE) and CHANGELOG files at
// the top of srcDir, sorted, for [Package] to include. Only regular files
// count; none is not an error.
func DocFiles(srcDir string) ([]string, error) {
	entries, err := os.ReadDir(srcDir)
	if err != nil {
		return nil, invalid("source", "Pass the directory that holds the module's go.mod.", "cannot list the documentation files: %v", err)
	}
	var files []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsDocFile(e.Name()) {
			continue
		}
		files = append(files, filepath.Join(srcDir, e.Name()))
	}
	return files, nil
}

// IsDocFile reports whether a top-level file name is one DocFiles picks: README, LICENSE (or
// LICENCE) or CHANGELOG, with any suffix, in any letter case.
func IsDocFile(name string) bool {
	lower := strings.ToLower(name)
	return slices.ContainsFunc(docPrefixes, func(p string) bool { return strings.HasPrefix(lower, p) })
}

// entry is one file in an archive.
type entry struct {
	name string // name inside the archive
	path string // file on disk
	mode int64
	size int64
}

// archive writes the archive of target t into outDir from the binaries under binDir:
// NAME_VERSION_OS_ARCH.tar.gz, or .zip for windows, holding the target's binaries and the docs
// (see [DocFiles]) at the top level. Archives are deterministic: entries sorted by name, mode
// 0755 for binaries and 0644 for the rest, owner 0:0 without names, every time set to date, no
// gzip file name. The same binaries and files always give the same bytes.
func archive(plan Plan, t Target, binDir, outDir string, docs []string, date time.Time) (Artifact, error) {
	jobs := plan.JobsFor(t)
	if len(jobs) == 0 {
		return Artifact{}, fmt.Errorf("archive %s: the plan has no job for it", t)
	}
	entries := make([]entry, 0, len(jobs)+len(docs))
	for _, job := range jobs {
		e, err := fileEntry(filepath.Join(binDir, filepath.FromSlash(job.OutPath)), job.BinaryName, binaryMode)
		if err != nil {
			return Artifact{}, fmt.Errorf("archive %s: %w", t, err)
		}
		entries = append(entries, e)
	}
	for _, d := range docs {
		e, err := fileEntry(d, filepath.Base(d), fileMode)
		if err != nil {
			return Artifact{}, err
		}
		entries = append(entries, e)
	}
	name := jobs[0].ArchiveName
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	for j := 1; j < len(entries); j++ {
		if entries[j].name == entries[j-1].name {
			return Artifact{}, invalid("packages", "Rename the binary or the documentation file.",
				"archive %s would hold two files named %s", name, entries[j].name)
		}
	}
	write := writeTarGz
	if strings.HasSuffix(name, ".zip") {
		write = writeZip
	}
	mtime := date.UTC().Truncate(time.Second)
	return writeAtomic(outDir, name, func(w io.Writer) error { return write(w, entries, mtime) })
}

// fileEntry describes a regular file to archive.
func fileEntry(path, name string, mode int64) (entry, error) {
	info, err := os.Stat(path)
	if err != nil {
		return entry{}, fmt.Errorf("read %s: %w: build the binaries first, or drop the file from the list", name, err)
	}
	if !info.Mode().IsRegular() {
		return entry{}, fmt.Errorf("archive %s: not a regular file", path)
	}
	return entry{name: name, path: path, mode: mode, size: info.Size()}, nil
}

// writeAtomic writes outDir/name through a temporary file, so a failure
// never leaves a partial archive under the final name, and hashes it.
func writeAtomic(outDir, name string, write func(io.Writer) error) (Artifact, error) {
	tmp, err := os.CreateTemp(outDir, "."+name+".*.tmp")
	if err != nil {
		return Artifact{}, fmt.Errorf("write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	h := sha256.New()
	// The compressors write a few hundred bytes at a time: buffered, the file gets one write
	// (a system call) per 64 KiB instead.
	buf := bufio.NewWriterSize(io.MultiWriter(tmp, h), 64<<10)
	cw := &countingWriter{w: buf}
	err = write(cw)
	if err == nil {
		err = buf.Flush()
	}
	if err != nil {
		tmp.Close()
		return Artifact{}, fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Chmod(fileMode); err != nil {
		tmp.Close()
		return Artifact{}, fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return Artifact{}, fmt.Errorf("write %s: %w", name, err)
	}
	path := filepath.Join(outDir, name)
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Artifact{}, fmt.Errorf("write %s: %w", name, err)
	}
	return Artifact{Name: name, Path: path, Size: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// compressionLevel is the deflate level of every archive, with klauspost/compress's deflate:
// the cheapest level whose output stays within 2% of what the standard library's level 5 made
// before (bench/deflate on fzf's six binaries: +1.3% in size for half the CPU time; its level 5
// is +2.3%). On a runner whose cores the builds already fill, compression is what the build
// costs beyond go build itself. The bytes depend on the compressor's version too: upgrading
// klauspost/compress may change every archive, which TestArchiveGolden shows.
const compressionLevel = 6

func writeTarGz(w io.Writer, entries []entry, mtime time.Time) error {
	gz, err := gzip.NewWriterLevel(w, compressionLevel)
	if err != nil {
		return err
	}
	gz.Header = gzip.Header{ModTime: mtime, OS: 255} // no name, fixed time, OS "unknown"
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     e.name,
			Size:     e.size,
			Mode:     e.mode,
			ModTime:  mtime,
			Format:   tar.FormatPAX,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if err := copyFile(tw, e); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, entries []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, compressionLevel)
	})
	modified := mtime
	if modified.Before(minZipTime) {
		modified = minZipTime
	} else if modified.After(maxZipTime) {
		modified = maxZipTime
	}
	for _, e := range entries {
		hdr := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: modified}
		hdr.SetMode(os.FileMode(e.mode))
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if err := copyFile(fw, e); err != nil {
			return err
		}
	}
	return zw.Close()
}

// copyFile copies e's content, failing if the file changed size since it was listed.
func copyFile(w io.Writer, e entry) error {
	f, err := os.Open(e.path)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(w, io.LimitReader(f, e.size+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", e.path, err)
	}
	if n != e.size {
		return fmt.Errorf("%s changed size while being archived: build again before packaging", e.path)
	}
	return nil
}
