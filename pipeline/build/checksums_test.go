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

func sumOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func artifacts(files map[string]string) []Artifact {
	var arts []Artifact
	for name, content := range files {
		arts = append(arts, Artifact{Name: name, SHA256: sumOf(content), Size: int64(len(content))})
	}
	return arts
}

func TestWriteChecksums(t *testing.T) {
	t.Parallel()
	files := map[string]string{"b_linux.tar.gz": "bbb", "a_windows.zip": "aaa", "C_darwin.tar.gz": "ccc"}
	dir := writeFiles(t, files)
	a, err := WriteChecksums(dir, artifacts(files))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "SHA256SUMS"), a.Path)
	assert.Equal(t, "SHA256SUMS", a.Name)

	want := sumOf("ccc") + "  C_darwin.tar.gz\n" +
		sumOf("aaa") + "  a_windows.zip\n" +
		sumOf("bbb") + "  b_linux.tar.gz\n"
	assert.Equal(t, want, string(readAll(t, a.Path)), "sha256sum format, sorted by name (bytewise)")
	assert.Equal(t, sumOf(want), a.SHA256)
	assert.EqualValues(t, len(want), a.Size)

	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "--check", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "sha256sum -c: %s", out)
		assert.Equal(t, 3, strings.Count(string(out), ": OK"))
	}
}

// The sums given are written as they are: the files are not read again.
func TestWriteChecksumsTrustsTheSumsItIsGiven(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() // the files are not even there
	a, err := WriteChecksums(dir, artifacts(map[string]string{"x.zip": "x"}))
	require.NoError(t, err)
	assert.Equal(t, sumOf("x")+"  x.zip\n", string(readAll(t, a.Path)))
}

func TestWriteChecksumsErrors(t *testing.T) {
	t.Parallel()
	good := Artifact{Name: "a.zip", SHA256: sumOf("a")}
	tests := []struct {
		name    string
		arts    []Artifact
		wantErr string
	}{
		{"nothing", nil, "no files to checksum"},
		{"path", []Artifact{{Name: "../a.zip", SHA256: sumOf("a")}}, "Use base names only"},
		{"newline", []Artifact{{Name: "a\n.zip", SHA256: sumOf("a")}}, "Use base names only"},
		{"twice", []Artifact{good, good}, "a.zip is listed twice"},
		{"itself", []Artifact{{Name: "SHA256SUMS", SHA256: sumOf("a")}}, "SHA256SUMS: it cannot list itself"},
		{"no sum", []Artifact{{Name: "b.zip"}}, "b.zip has no SHA-256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			_, err := WriteChecksums(dir, tt.arts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			_, err = os.Stat(filepath.Join(dir, "SHA256SUMS"))
			assert.ErrorIs(t, err, os.ErrNotExist, "a failed write leaves no file")
		})
	}
}
