package checksums

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/testkit"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func sumOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		files      map[string]string
		wantListed bool
	}{
		{"no checksum file", map[string]string{"x.tar.gz": "x", "y.zip": "y", ".hidden": "h"}, false},
		{"SHA256SUMS", map[string]string{"x.tar.gz": "x", "SHA256SUMS": sumOf("x") + "  x.tar.gz\n"}, true},
		{"checksums.txt", map[string]string{"x.tar.gz": "x", "checksums.txt": sumOf("x") + "  x.tar.gz\n"}, true},
		{"goreleaser checksums", map[string]string{"x.tar.gz": "x", "tool_1.0.0_checksums.txt": sumOf("x") + "  x.tar.gz\n"}, true},
		{".sha256 files", map[string]string{"x.tar.gz": "x", "x.tar.gz.sha256": sumOf("x")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := testkit.WriteFiles(t, tt.files)
			require.NoError(t, os.Mkdir(filepath.Join(dir, "subdir"), 0o755))
			sums, listed, err := Verify(dir)
			require.NoError(t, err)
			assert.Equal(t, tt.wantListed, listed)
			want := map[string]string{}
			for name, content := range tt.files {
				want[name] = sumOf(content)
			}
			assert.Equal(t, want, sums, "the sum of every regular file, the checksum files included, and no directory")
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, entries, len(tt.files)+1, "nothing is written")
		})
	}

	t.Run("empty directory", func(t *testing.T) {
		t.Parallel()
		_, _, err := Verify(t.TempDir())
		assert.Equal(t, outcome.InvalidInput, outcome.ClassOf(err))
		assert.ErrorContains(t, err, "Put the release files at the top level")
	})
	t.Run("missing directory", func(t *testing.T) {
		t.Parallel()
		_, _, err := Verify(filepath.Join(t.TempDir(), "nope"))
		assert.Equal(t, outcome.InvalidInput, outcome.ClassOf(err))
		assert.ErrorContains(t, err, "cannot list the assets")
	})
}

func TestFormat(t *testing.T) {
	t.Parallel()
	content, err := Format([]Sum{{Name: "b.zip", SHA256: sumOf("b")}, {Name: "A.tar.gz", SHA256: sumOf("a")}})
	require.NoError(t, err)
	assert.Equal(t, sumOf("a")+"  A.tar.gz\n"+sumOf("b")+"  b.zip\n", string(content))
}

// A checksum file that came with the assets must match them: it is input, checked before
// anything is sent.
func TestVerifyVerifies(t *testing.T) {
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
		{"missing file", map[string]string{"SHA256SUMS": sumOf("1") + "  gone.zip\n"}, "SHA256SUMS lists gone.zip, which is missing"},
		{"tampered file", map[string]string{"a.zip": "tampered", "SHA256SUMS": sumOf("1") + "  a.zip\n"},
			"a.zip: SHA256SUMS says " + sumOf("1") + ", the file has " + sumOf("tampered")},
		{"wrong sum in NAME.sha256", map[string]string{"a.zip": "1", "a.zip.sha256": sumOf("2")}, "a.zip: a.zip.sha256 says " + sumOf("2")},
		{"lone sum in SHA256SUMS", map[string]string{"a": "1", "SHA256SUMS": sumOf("1") + "\n"}, "SHA256SUMS: line 1 of the checksum file is not `<sha256>  <name>`"},
		{"one space", map[string]string{"a": "1", "SHA256SUMS": sumOf("1") + " a\n"}, "line 1 of the checksum file is not"},
		{"not hex", map[string]string{"a": "1", "SHA256SUMS": strings.Repeat("z", 64) + "  a\n"}, "does not start with a SHA-256"},
		{"path in name", map[string]string{"SHA256SUMS": sumOf("1") + "  ../etc/passwd\n"}, "which is not a file name of the directory"},
		{"empty file", map[string]string{"SHA256SUMS": "\n"}, "the checksum file lists no checksums"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, listed, err := Verify(testkit.WriteFiles(t, tt.files))
			assert.True(t, listed)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Equal(t, outcome.InvalidInput, outcome.ClassOf(err))
		})
	}
}

func TestIsFile(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"SHA256SUMS": true, "sha256sums.txt": true, "checksums.txt": true, "tool_1.0.0_checksums.txt": true,
		"hello.tar.gz.sha256": true, "HELLO.SHA256": true,
		"hello.tar.gz": false, "SHA512SUMS": false, "checksums.txt.sig": false, "README.md": false,
	} {
		assert.Equal(t, want, IsFile(name), name)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sumOf("a")+"  a.tar.gz\n"+sumOf("b")+" *b.zip\r\n"), "")
	f.Add([]byte(sumOf("a")), "a.zip")
	f.Add([]byte("\n\n"), "")
	f.Add([]byte(sumOf("a")+"  ../x\n"), "")
	f.Fuzz(func(t *testing.T, data []byte, bare string) {
		sums, err := parse(data, bare)
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
			require.NoError(t, checkName(s.name))
			b.WriteString(s.sum + "  " + s.name + "\n")
		}
		again, err := parse([]byte(b.String()), "")
		require.NoError(t, err, "what we parse, we can write back")
		assert.Equal(t, sums, again)
	})
}
