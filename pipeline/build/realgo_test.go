package build_test

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/sample"
	"github.com/release-preflight/release-preflight/pipeline/build"
)

// TestRunWithTheRealCompiler builds the hello sample with the real go command for this machine
// and for windows/amd64, from two copies at different paths: the only test that compiles, so the
// rest of the suite stays fast. The host binary runs and prints its stamp.
func TestRunWithTheRealCompiler(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not installed")
	}
	host := runtime.GOOS + "/" + runtime.GOARCH
	run := func(parallelism int) (build.Options, build.Result) {
		src, err := sample.WriteHello(t.TempDir(), build.GoVersion)
		require.NoError(t, err)
		o := build.Options{
			Source: src, OutDir: filepath.Join(t.TempDir(), "dist"), Version: "v1.2.3",
			Platforms: host + ",windows/amd64", Commit: "0123456789abcdef0123456789abcdef01234567",
			SourceDateEpoch: "1700000000", Parallelism: parallelism,
		}
		res, err := build.Run(t.Context(), o)
		require.NoError(t, err)
		return o, res
	}
	a, resA := run(2)
	b, resB := run(1)
	require.Equal(t, resA.Artifacts[0].Name, resB.Artifacts[0].Name)
	for i := range resA.Artifacts {
		assert.Equal(t, resA.Artifacts[i].SHA256, resB.Artifacts[i].SHA256, "%s differs between source paths", resA.Artifacts[i].Name)
		assert.NotContains(t, string(readFile(t, resA.Artifacts[i].Path)), a.Source, "-trimpath keeps the source path out")
	}

	// The host archive's binary runs and prints the stamp it was linked with.
	bin := extract(t, resA.Artifacts[0].Path, "hello")
	out, err := exec.CommandContext(t.Context(), bin, "-version").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, "hello 1.2.3 (commit 0123456789abcdef0123456789abcdef01234567, built 2023-11-14T22:13:20Z)\n", string(out))

	zr, err := zip.OpenReader(filepath.Join(b.OutDir, "hello_1.2.3_windows_amd64.zip"))
	require.NoError(t, err)
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"README.md", "hello.exe"}, names)
	exe, err := fs.ReadFile(zr, "hello.exe")
	require.NoError(t, err)
	assert.Equal(t, "MZ", string(exe[:2]), "a PE executable")
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// extract writes the file called name from a .tar.gz or .zip archive into a new directory and
// returns its path.
func extract(t *testing.T, archive, name string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.CommandContext(t.Context(), "tar", "-xzf", archive, "-C", dir, name)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	return filepath.Join(dir, name)
}
