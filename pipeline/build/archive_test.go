package build

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeBinaries writes a stand-in binary for every job under a new
// directory, with the given permissions and modification time, so tests
// can check those never reach the archives.
func fakeBinaries(t testing.TB, plan Plan, perm os.FileMode, mtime time.Time) string {
	t.Helper()
	dir := t.TempDir()
	for _, j := range plan.Jobs {
		p := filepath.Join(dir, filepath.FromSlash(j.OutPath))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, bytes.Repeat([]byte("binary for "+j.Target.String()+"\n"), 1000), perm))
		require.NoError(t, os.Chtimes(p, mtime, mtime))
	}
	return dir
}

// docs writes README.md and LICENSE into a new directory and returns their paths.
func docs(t testing.TB, mtime time.Time) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for name, content := range map[string]string{"README.md": "# hello\n", "LICENSE": "MIT\n"} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		require.NoError(t, os.Chtimes(p, mtime, mtime))
		paths = append(paths, p)
	}
	return paths
}

// archiveAll archives every target of plan, as Run does.
func archiveAll(t testing.TB, plan Plan, bin, out string, docs []string, date time.Time) ([]Artifact, error) {
	t.Helper()
	var arts []Artifact
	for _, target := range plan.Targets {
		a, err := archive(plan, target, bin, out, docs, date)
		if err != nil {
			return nil, err
		}
		arts = append(arts, a)
	}
	return arts, nil
}

func testPlan(t testing.TB, platforms string) Plan {
	t.Helper()
	plan, err := Options{Name: "hello", Version: "v1.2.3", Platforms: platforms}.Plan()
	require.NoError(t, err)
	return plan
}

func TestArchiveDeterministic(t *testing.T) {
	t.Parallel()
	plan := testPlan(t, "")

	// Same content, different permissions, times, directories and file order.
	binA := fakeBinaries(t, plan, 0o700, time.Now())
	binB := fakeBinaries(t, plan, 0o755, time.Unix(1, 0))
	docsA := docs(t, time.Now())
	docsB := docs(t, time.Unix(2, 0))
	docsB[0], docsB[1] = docsB[1], docsB[0]

	outA, outB := t.TempDir(), t.TempDir()
	artsA, err := archiveAll(t, plan, binA, outA, docsA, testStamp.Date)
	require.NoError(t, err)
	artsB, err := archiveAll(t, plan, binB, outB, docsB, testStamp.Date)
	require.NoError(t, err)

	require.Len(t, artsA, 6)
	require.Len(t, artsB, 6)
	for i, a := range artsA {
		b := artsB[i]
		assert.Equal(t, plan.Archives()[i], a.Name)
		assert.Equal(t, filepath.Join(outA, a.Name), a.Path)
		assert.Equal(t, a.Name, b.Name)
		assert.Equal(t, a.SHA256, b.SHA256, a.Name)
		assert.Equal(t, a.Size, b.Size, a.Name)

		data := readAll(t, a.Path)
		assert.Equal(t, data, readAll(t, b.Path), "%s differs between runs", a.Name)
		sum := sha256.Sum256(data)
		assert.Equal(t, hex.EncodeToString(sum[:]), a.SHA256, "the sum is computed while writing")
		assert.Equal(t, int64(len(data)), a.Size)
	}
	entries, err := os.ReadDir(outA)
	require.NoError(t, err)
	assert.Len(t, entries, 6, "no temporary files left behind")
}

func TestArchiveTarGz(t *testing.T) {
	t.Parallel()
	plan := testPlan(t, "linux/arm64")
	bin := fakeBinaries(t, plan, 0o700, time.Now())
	art, err := archive(plan, plan.Targets[0], bin, t.TempDir(), docs(t, time.Now()), testStamp.Date)
	require.NoError(t, err)
	assert.Equal(t, "hello_1.2.3_linux_arm64.tar.gz", art.Name)

	f, err := os.Open(art.Path)
	require.NoError(t, err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	require.NoError(t, err)
	assert.Empty(t, gz.Name, "no file name in the gzip header")
	assert.Empty(t, gz.Comment)
	assert.True(t, gz.ModTime.Equal(testStamp.Date), "gzip time %v", gz.ModTime)
	assert.Equal(t, byte(255), gz.OS)

	type file struct {
		name    string
		mode    int64
		content string
	}
	var got []file
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		body, err := io.ReadAll(tr)
		require.NoError(t, err)
		assert.Equal(t, byte(tar.TypeReg), hdr.Typeflag)
		assert.Zero(t, hdr.Uid)
		assert.Zero(t, hdr.Gid)
		assert.Empty(t, hdr.Uname)
		assert.Empty(t, hdr.Gname)
		assert.True(t, hdr.ModTime.Equal(testStamp.Date), "%s time %v", hdr.Name, hdr.ModTime)
		assert.True(t, hdr.AccessTime.IsZero())
		assert.True(t, hdr.ChangeTime.IsZero())
		assert.Empty(t, hdr.PAXRecords)
		got = append(got, file{hdr.Name, hdr.Mode, string(body)})
	}
	binary := string(readAll(t, filepath.Join(bin, "linux_arm64", "hello")))
	assert.Equal(t, []file{
		{"LICENSE", 0o644, "MIT\n"},
		{"README.md", 0o644, "# hello\n"},
		{"hello", 0o755, binary},
	}, got)
}

func TestArchiveZip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		date         time.Time
		wantModified time.Time
	}{
		{"stamp date", testStamp.Date, testStamp.Date},
		{"before 1980 clamps to 1980", time.Unix(0, 0), time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan := testPlan(t, "windows/arm64")
			bin := fakeBinaries(t, plan, 0o700, time.Now())
			art, err := archive(plan, plan.Targets[0], bin, t.TempDir(), docs(t, time.Now()), tt.date)
			require.NoError(t, err)
			assert.Equal(t, "hello_1.2.3_windows_arm64.zip", art.Name)

			zr, err := zip.OpenReader(art.Path)
			require.NoError(t, err)
			defer zr.Close()
			var names []string
			for _, f := range zr.File {
				names = append(names, f.Name)
				assert.Equal(t, zip.Deflate, f.Method)
				assert.True(t, f.Modified.Equal(tt.wantModified), "%s modified %v", f.Name, f.Modified)
				want := os.FileMode(0o644)
				if f.Name == "hello.exe" {
					want = 0o755
				}
				assert.Equal(t, want, f.Mode(), f.Name)
			}
			assert.Equal(t, []string{"LICENSE", "README.md", "hello.exe"}, names)

			rc, err := zr.Open("hello.exe")
			require.NoError(t, err)
			defer rc.Close()
			body, err := io.ReadAll(rc)
			require.NoError(t, err)
			assert.Equal(t, readAll(t, filepath.Join(bin, "windows_arm64", "hello.exe")), body)
		})
	}
}

func TestArchiveErrors(t *testing.T) {
	t.Parallel()
	plan := testPlan(t, "linux/amd64,darwin/arm64")
	darwin := plan.Targets[1]
	bin := fakeBinaries(t, plan, 0o755, time.Now())
	partial := fakeBinaries(t, plan, 0o755, time.Now())
	require.NoError(t, os.Remove(filepath.Join(partial, "darwin_arm64", "hello")))
	clash := filepath.Join(t.TempDir(), "hello")
	require.NoError(t, os.WriteFile(clash, []byte("not the binary"), 0o644))

	tests := []struct {
		name    string
		target  Target
		bin     string
		files   []string
		wantErr string
	}{
		{"missing binary", darwin, partial, nil, "archive darwin/arm64: read hello"},
		{"missing doc file", darwin, bin, []string{filepath.Join(t.TempDir(), "README.md")}, "read README.md"},
		{"doc file is a directory", darwin, bin, []string{t.TempDir()}, "not a regular file"},
		{"doc file shadows the binary", darwin, bin, []string{clash}, "would hold two files named hello"},
		{"target not in the plan", Target{"plan9", "arm"}, bin, nil, "the plan has no job for it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			_, err := archive(plan, tt.target, tt.bin, out, tt.files, testStamp.Date)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			entries, err := os.ReadDir(out)
			require.NoError(t, err)
			assert.Empty(t, entries, "a failed archive leaves nothing behind")
		})
	}
}

func TestDocFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"README.md", "LICENSE", "licence.txt", "CHANGELOG.md", "main.go", "go.mod", "NOTES"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "readme-assets"), 0o755))

	got, err := DocFiles(dir)
	require.NoError(t, err)
	var names []string
	for _, p := range got {
		assert.Equal(t, dir, filepath.Dir(p))
		names = append(names, filepath.Base(p))
	}
	assert.Equal(t, []string{"CHANGELOG.md", "LICENSE", "README.md", "licence.txt"}, names)

	none, err := DocFiles(t.TempDir())
	require.NoError(t, err)
	assert.Empty(t, none)

	_, err = DocFiles(filepath.Join(dir, "missing"))
	assert.ErrorContains(t, err, "cannot list the documentation files")
}

// BenchmarkArchive archives six targets of a 4 MB stand-in binary made of
// this test binary's own machine code, so compression sees realistic data.
func BenchmarkArchive(b *testing.B) {
	exe, err := os.Executable()
	require.NoError(b, err)
	code, err := os.ReadFile(exe)
	require.NoError(b, err)
	code = code[:min(len(code), 4<<20)]

	plan := testPlan(b, "")
	bin := b.TempDir()
	for _, j := range plan.Jobs {
		p := filepath.Join(bin, filepath.FromSlash(j.OutPath))
		require.NoError(b, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(b, os.WriteFile(p, code, 0o755))
	}
	out := b.TempDir()
	b.SetBytes(int64(len(code) * len(plan.Jobs)))
	b.ResetTimer()
	var written int64
	for b.Loop() {
		arts, err := archiveAll(b, plan, bin, out, nil, testStamp.Date)
		if err != nil {
			b.Fatal(err)
		}
		written = 0
		for _, a := range arts {
			written += a.Size
		}
	}
	b.ReportMetric(float64(written)/float64(len(code)*len(plan.Jobs)), "ratio")
}

// goldenBinary is a stand-in for a program, the same bytes on every machine: names, repeated
// instruction-like runs and hashes, so that the compressor's matches, literals and Huffman
// tables all have work.
func goldenBinary() []byte {
	var b bytes.Buffer
	h := sha256.Sum256([]byte("release-preflight"))
	for i := 0; b.Len() < 256<<10; i++ {
		fmt.Fprintf(&b, "main.func%d\x00", i)
		h = sha256.Sum256(h[:])
		b.Write(h[:i%32])
		b.Write(bytes.Repeat([]byte{0x48, 0x89, 0xe5, byte(i)}, i%7))
	}
	return b.Bytes()
}

// The archives of a fixed binary are fixed bytes: the same on every machine and in every
// release of this tool built with the same compressor. A change here changes every archive a
// user rebuilds; update the sums only for a deliberate change of format or compressor (and say
// so in the release notes).
func TestArchiveGolden(t *testing.T) {
	t.Parallel()
	plan := testPlan(t, "linux/amd64,windows/amd64")
	bin := t.TempDir()
	for _, j := range plan.Jobs {
		p := filepath.Join(bin, filepath.FromSlash(j.OutPath))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, goldenBinary(), 0o755))
	}
	readme := filepath.Join(t.TempDir(), "README.md")
	require.NoError(t, os.WriteFile(readme, []byte("# hello\n"), 0o644))

	arts, err := archiveAll(t, plan, bin, t.TempDir(), []string{readme}, testStamp.Date)
	require.NoError(t, err)
	got := map[string]string{}
	for _, a := range arts {
		got[a.Name] = fmt.Sprintf("%s %d", a.SHA256, a.Size)
	}
	assert.Equal(t, map[string]string{
		"hello_1.2.3_linux_amd64.tar.gz": "de563e01df5fbd45e8e435122b92b70df4e2dbeab4a350f7ce0419485850ed00 143182",
		"hello_1.2.3_windows_amd64.zip":  "4b10dd920184ef4ffbe6937e126158bf359bb0e58d32c58b74deb979f94b9199 143243",
	}, got)
}
