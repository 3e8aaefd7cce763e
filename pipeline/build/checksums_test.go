package build

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeFiles creates dir/name for each entry and returns dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

func sumOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestWriteChecksums(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"b_linux.tar.gz":  "bbb",
		"a_windows.zip":   "aaa",
		"C_darwin.tar.gz": "ccc",
		"unlisted.txt":    "x",
	})
	path, err := WriteChecksums(dir, []string{"b_linux.tar.gz", "a_windows.zip", "C_darwin.tar.gz"})
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "SHA256SUMS"), path)

	want := sumOf("ccc") + "  C_darwin.tar.gz\n" +
		sumOf("aaa") + "  a_windows.zip\n" +
		sumOf("bbb") + "  b_linux.tar.gz\n"
	assert.Equal(t, want, string(readAll(t, path)), "sha256sum format, sorted by name (bytewise)")
	require.NoError(t, VerifyChecksums(dir))

	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "--check", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "sha256sum -c: %s", out)
		assert.Equal(t, 3, strings.Count(string(out), ": OK"))
	}

	require.NoError(t, os.WriteFile(filepath.Join(dir, "a_windows.zip"), []byte("tampered"), 0o644))
	err = VerifyChecksums(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a_windows.zip: SHA256SUMS says "+sumOf("aaa")+", file has "+sumOf("tampered"))
	assert.Contains(t, err.Error(), "regenerate the checksum file")
	assert.NotContains(t, err.Error(), "b_linux")
}

func TestWriteChecksumsErrors(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{"a.zip": "a"})
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	tests := []struct {
		name    string
		names   []string
		wantErr string
	}{
		{"no names", nil, "no files to checksum"},
		{"path", []string{"../a.zip"}, "use base names only"},
		{"newline", []string{"a\n.zip"}, "use base names only"},
		{"twice", []string{"a.zip", "a.zip"}, "a.zip is listed twice"},
		{"itself", []string{"SHA256SUMS"}, "SHA256SUMS cannot list itself"},
		{"missing", []string{"b.zip"}, "checksum b.zip"},
		{"directory", []string{"sub"}, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := WriteChecksums(dir, tt.names)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
	_, err := os.Stat(filepath.Join(dir, "SHA256SUMS"))
	assert.ErrorIs(t, err, os.ErrNotExist, "a failed write leaves no file")
}

func TestEnsureChecksums(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		files       map[string]string
		wantCreated bool
		wantSums    string // SHA256SUMS content when created
	}{
		{"writes over every regular file", map[string]string{"x.tar.gz": "x", "y.zip": "y", ".hidden": "h"}, true,
			sumOf("h") + "  .hidden\n" + sumOf("x") + "  x.tar.gz\n" + sumOf("y") + "  y.zip\n"},
		{"keeps SHA256SUMS", map[string]string{"x.tar.gz": "x", "SHA256SUMS": "mine"}, false, ""},
		{"keeps checksums.txt", map[string]string{"x.tar.gz": "x", "checksums.txt": "mine"}, false, ""},
		{"keeps goreleaser checksums", map[string]string{"x.tar.gz": "x", "tool_1.0.0_checksums.txt": "mine"}, false, ""},
		{"keeps .sha256 files", map[string]string{"x.tar.gz": "x", "x.tar.gz.sha256": "mine"}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeFiles(t, tt.files)
			require.NoError(t, os.Mkdir(filepath.Join(dir, "subdir"), 0o755))
			created, err := EnsureChecksums(dir)
			require.NoError(t, err)
			assert.Equal(t, tt.wantCreated, created)
			data, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
			if !tt.wantCreated {
				if mine, ok := tt.files["SHA256SUMS"]; ok {
					assert.Equal(t, mine, string(data), "an existing SHA256SUMS is left alone")
				} else {
					assert.ErrorIs(t, err, os.ErrNotExist)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantSums, string(data))
			created, err = EnsureChecksums(dir)
			require.NoError(t, err)
			assert.False(t, created, "second call finds the file it wrote")
		})
	}

	t.Run("empty directory", func(t *testing.T) {
		t.Parallel()
		_, err := EnsureChecksums(t.TempDir())
		assert.ErrorIs(t, err, ErrInvalidInput)
		assert.ErrorContains(t, err, "put the release files at its top level")
	})
	t.Run("missing directory", func(t *testing.T) {
		t.Parallel()
		_, err := EnsureChecksums(filepath.Join(t.TempDir(), "nope"))
		assert.ErrorContains(t, err, "pass an existing directory")
	})
}

func TestVerifyChecksums(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string // "" for success
	}{
		{"binary-mode marker and CRLF", map[string]string{"a": "1", "b": "2",
			"checksums.txt": sumOf("1") + " *a\r\n\r\n" + strings.ToUpper(sumOf("2")) + "  b\r\n"}, ""},
		{"lone sum in NAME.sha256", map[string]string{"a.zip": "1", "a.zip.sha256": sumOf("1") + "\n"}, ""},
		{"name in NAME.sha256", map[string]string{"a.zip": "1", "a.zip.sha256": sumOf("1") + "  a.zip\n"}, ""},
		{"unlisted files are not checked", map[string]string{"a": "1", "extra": "?", "SHA256SUMS": sumOf("1") + "  a\n"}, ""},
		{"no checksum file", map[string]string{"a": "1"}, "no checksum file in"},
		{"missing file", map[string]string{"SHA256SUMS": sumOf("1") + "  gone.zip\n"}, "SHA256SUMS lists gone.zip, which is missing"},
		{"wrong sum in NAME.sha256", map[string]string{"a.zip": "1", "a.zip.sha256": sumOf("2")}, "a.zip: a.zip.sha256 says " + sumOf("2")},
		{"lone sum in SHA256SUMS", map[string]string{"a": "1", "SHA256SUMS": sumOf("1") + "\n"}, "SHA256SUMS: line 1 is not `<sha256>  <name>`"},
		{"one space", map[string]string{"a": "1", "SHA256SUMS": sumOf("1") + " a\n"}, "line 1 is not"},
		{"not hex", map[string]string{"a": "1", "SHA256SUMS": strings.Repeat("z", 64) + "  a\n"}, "does not start with a SHA-256"},
		{"path in name", map[string]string{"SHA256SUMS": sumOf("1") + "  ../etc/passwd\n"}, "use base names only"},
		{"empty file", map[string]string{"SHA256SUMS": "\n"}, "no checksums in the file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := VerifyChecksums(writeFiles(t, tt.files))
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestIsChecksumFile(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"SHA256SUMS": true, "sha256sums.txt": true, "checksums.txt": true, "tool_1.0.0_checksums.txt": true,
		"hello.tar.gz.sha256": true, "HELLO.SHA256": true,
		"hello.tar.gz": false, "SHA512SUMS": false, "checksums.txt.sig": false, "README.md": false,
	} {
		assert.Equal(t, want, IsChecksumFile(name), name)
	}
}

func FuzzParseChecksums(f *testing.F) {
	f.Add([]byte(sumOf("a")+"  a.tar.gz\n"+sumOf("b")+" *b.zip\r\n"), "")
	f.Add([]byte(sumOf("a")), "a.zip")
	f.Add([]byte("\n\n"), "")
	f.Add([]byte(sumOf("a")+"  ../x\n"), "")
	f.Fuzz(func(t *testing.T, data []byte, bare string) {
		sums, err := parseChecksums(data, bare)
		if err != nil {
			assert.Nil(t, sums)
			return
		}
		require.NotEmpty(t, sums)
		var b strings.Builder
		for _, s := range sums {
			assert.Len(t, s.sum, 64)
			assert.True(t, isHex(s.sum))
			assert.Equal(t, strings.ToLower(s.sum), s.sum)
			require.NoError(t, checkAssetName(s.name))
			b.WriteString(s.sum + "  " + s.name + "\n")
		}
		again, err := parseChecksums([]byte(b.String()), "")
		require.NoError(t, err, "what we parse, we can write back")
		assert.Equal(t, sums, again)
	})
}
