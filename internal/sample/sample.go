// Package sample holds the Go project that `release-preflight demo` releases and the tests
// build: hello, a tiny program whose -version prints the stamp it was linked with. It is
// embedded, so the demo works from any directory, and written out with a go.mod of its own.
package sample

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
)

//go:embed hello/main.go hello/README.md
var files embed.FS

// GoMod is the go.mod WriteHello writes: the project is module example.com/hello. A directory
// with a go.mod cannot be embedded, so the file is written out rather than stored.
func GoMod(goVersion string) string {
	return "module example.com/hello\n\ngo " + goVersion + "\n"
}

// WriteHello writes the hello project (main.go, README.md and go.mod declaring goVersion) into
// dir, which must exist, and returns dir.
func WriteHello(dir, goVersion string) (string, error) {
	for _, name := range []string{"main.go", "README.md"} {
		b, err := files.ReadFile("hello/" + name)
		if err != nil {
			return "", fmt.Errorf("read the embedded hello project: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return "", fmt.Errorf("write the hello project: %w", err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(GoMod(goVersion)), 0o644); err != nil {
		return "", fmt.Errorf("write the hello project: %w", err)
	}
	return dir, nil
}
