// Package testkit holds helpers that the tests of several packages share. Only tests import it.
package testkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeGoScript stands in for `go build` and `go list`: it writes a small, deterministic "binary" naming the
// platform, package and linker flags, fails like the compiler when the package holds a file
// named BROKEN, writes a package archive when it holds LIBRARY, and logs every call in calls
// next to itself.
const fakeGoScript = `#!/bin/sh
if [ "$1" = list ]; then
	# go list -e -f '{{.ImportPath}} {{.Name}}' PKG...
	shift 4
	for pkg in "$@"; do
		if [ -f "$pkg/LIBRARY" ]; then echo "$pkg library"; else echo "$pkg main"; fi
	done
	exit 0
fi
out=""; pkg=""; ldflags=""
while [ $# -gt 0 ]; do
	case "$1" in
	-o) out="$2"; shift 2 ;;
	-ldflags) ldflags="$2"; shift 2 ;;
	build|-trimpath|-buildvcs=false) shift ;;
	*) pkg="$1"; shift ;;
	esac
done
echo "$GOOS/$GOARCH $pkg" >> "$(dirname "$0")/calls"
if [ -f "$pkg/BROKEN" ]; then
	echo "# example.com/hello" >&2
	echo "$pkg/main.go:3:1: syntax error: unexpected EOF, expected }" >&2
	exit 1
fi
if [ -f "$pkg/LIBRARY" ]; then
	printf '!<arch>\n__.PKGDEF' > "$out"
	exit 0
fi
i=0
while [ $i -lt 200 ]; do
	echo "fake binary for $GOOS/$GOARCH CGO_ENABLED=$CGO_ENABLED of $pkg with $ldflags"
	i=$((i + 1))
done > "$out"
`

// FakeGo writes fakeGoScript into a new directory and returns its path and a function that
// lists the calls made so far ("GOOS/GOARCH pkg").
func FakeGo(t testing.TB) (string, func() []string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "go")
	require.NoError(t, os.WriteFile(path, []byte(fakeGoScript), 0o755))
	return path, func() []string {
		b, err := os.ReadFile(filepath.Join(dir, "calls"))
		if os.IsNotExist(err) {
			return nil
		}
		require.NoError(t, err)
		return strings.Fields(strings.ReplaceAll(string(b), " ", "|"))
	}
}

// WriteFiles writes name → content into a new directory and returns it.
func WriteFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}
