package build

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/sample"
	"github.com/release-preflight/release-preflight/internal/testkit"
)

const testSHA = "0123456789abcdef0123456789abcdef01234567"

// testStamp is a fixed stamp: v1.2.3 at 2023-11-14T22:13:20Z.
var testStamp = Stamp{Version: "1.2.3", Commit: testSHA, Date: time.Unix(1700000000, 0).UTC()}

// fakeGo is testkit.FakeGo: a stand-in for the go command that does not compile.
func fakeGo(t testing.TB) (string, func() []string) {
	t.Helper()
	return testkit.FakeGo(t)
}

// hello writes the sample hello project into a new directory outside any git repository.
func hello(t testing.TB) string {
	t.Helper()
	dir, err := sample.WriteHello(t.TempDir(), GoVersion)
	require.NoError(t, err)
	return dir
}

// writeFiles is testkit.WriteFiles.
var writeFiles = testkit.WriteFiles

func readAll(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// listDir returns name → content of the regular files in dir.
func listDir(t testing.TB, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	files := map[string]string{}
	for _, e := range entries {
		require.True(t, e.Type().IsRegular(), "%s: unexpected non-file %s", dir, e.Name())
		files[e.Name()] = string(readAll(t, filepath.Join(dir, e.Name())))
	}
	return files
}
