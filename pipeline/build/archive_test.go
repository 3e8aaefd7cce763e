package build

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
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

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func TestPackageDeterministic(t *testing.T) {
	t.Parallel()
	plan, err := NewPlan(Config{Name: "hello", Stamp: testStamp})
	require.NoError(t, err)

	// Same content, different permissions, times, directories and file order.
	binA := fakeBinaries(t, plan, 0o700, time.Now())
	binB := fakeBinaries(t, plan, 0o755, time.Unix(1, 0))
	docsA := docs(t, time.Now())
	docsB := docs(t, time.Unix(2, 0))
	docsB[0], docsB[1] = docsB[1], docsB[0]

	outA, outB := t.TempDir(), t.TempDir()
	artsA, err := Package(plan, binA, outA, docsA...)
	require.NoError(t, err)
	artsB, err := Package(plan, binB, outB, docsB...)
	require.NoError(t, err)

	require.Len(t, artsA, 6)
	require.Len(t, artsB, 6)
	for i, a := range artsA {
		b := artsB[i]
		assert.Equal(t, plan.Jobs[i].ArchiveName, a.Name, "artifacts come in plan order")
		assert.Equal(t, filepath.Join(outA, a.Name), a.Path)
		assert.Equal(t, a.Name, b.Name)
		assert.Equal(t, a.SHA256, b.SHA256, a.Name)
		assert.Equal(t, a.Size, b.Size, a.Name)

		data := readAll(t, a.Path)
		assert.Equal(t, data, readAll(t, b.Path), "%s differs between runs", a.Name)
		sum := sha256.Sum256(data)
		assert.Equal(t, hex.EncodeToString(sum[:]), a.SHA256)
		assert.Equal(t, int64(len(data)), a.Size)
	}
	entries, err := os.ReadDir(outA)
	require.NoError(t, err)
	assert.Len(t, entries, 6, "no temporary files left behind")
}

func TestPackageTarGz(t *testing.T) {
	t.Parallel()
	plan, err := NewPlan(Config{Name: "hello", Stamp: testStamp, Targets: []Target{{"linux", "arm64"}}})
	require.NoError(t, err)
	bin := fakeBinaries(t, plan, 0o700, time.Now())
	arts, err := Package(plan, bin, t.TempDir(), docs(t, time.Now())...)
	require.NoError(t, err)
	require.Len(t, arts, 1)
	assert.Equal(t, "hello_1.2.3_linux_arm64.tar.gz", arts[0].Name)

	f, err := os.Open(arts[0].Path)
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

func TestPackageZip(t *testing.T) {
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
			stamp := testStamp
			stamp.Date = tt.date
			plan, err := NewPlan(Config{Name: "hello", Stamp: stamp, Targets: []Target{{"windows", "arm64"}}})
			require.NoError(t, err)
			bin := fakeBinaries(t, plan, 0o700, time.Now())
			arts, err := Package(plan, bin, t.TempDir(), docs(t, time.Now())...)
			require.NoError(t, err)
			require.Len(t, arts, 1)
			assert.Equal(t, "hello_1.2.3_windows_arm64.zip", arts[0].Name)

			zr, err := zip.OpenReader(arts[0].Path)
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

func TestPackageErrors(t *testing.T) {
	t.Parallel()
	plan, err := NewPlan(Config{Name: "hello", Stamp: testStamp, Targets: []Target{{"linux", "amd64"}, {"darwin", "arm64"}}})
	require.NoError(t, err)
	bin := fakeBinaries(t, plan, 0o755, time.Now())
	partial := fakeBinaries(t, plan, 0o755, time.Now())
	require.NoError(t, os.Remove(filepath.Join(partial, "darwin_arm64", "hello")))
	clash := filepath.Join(t.TempDir(), "hello")
	require.NoError(t, os.WriteFile(clash, []byte("not the binary"), 0o644))

	tests := []struct {
		name    string
		plan    Plan
		bin     string
		files   []string
		wantErr string
	}{
		{"missing binary", plan, partial, nil, "package darwin/arm64: read hello"},
		{"missing extra file", plan, bin, []string{filepath.Join(t.TempDir(), "README.md")}, "read README.md"},
		{"extra file is a directory", plan, bin, []string{t.TempDir()}, "is not a regular file"},
		{"extra file shadows the binary", plan, bin, []string{clash}, "would hold two files named hello"},
		{"empty plan", Plan{}, bin, nil, "the plan has no jobs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			arts, err := Package(tt.plan, tt.bin, out, tt.files...)
			require.Error(t, err)
			assert.Nil(t, arts)
			assert.Contains(t, err.Error(), tt.wantErr)
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
	assert.ErrorContains(t, err, "pass an existing source directory")
}

// BenchmarkPackage packages six targets of a 4 MB stand-in binary made of
// this test binary's own machine code, so compression sees realistic data.
func BenchmarkPackage(b *testing.B) {
	exe, err := os.Executable()
	require.NoError(b, err)
	code, err := os.ReadFile(exe)
	require.NoError(b, err)
	code = code[:min(len(code), 4<<20)]

	plan, err := NewPlan(Config{Name: "hello", Stamp: testStamp})
	require.NoError(b, err)
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
		arts, err := Package(plan, bin, out)
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
