package checks_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/checks"
)

// The package documentation and the README list every check of the registry, in report order:
// a check added, renamed or moved without its docs fails here.
func TestDocsListEveryCheck(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	// The list in the package doc: "//\tNAME   what it does", NAME at the start of its line.
	var inDoc []string
	for _, m := range regexp.MustCompile(`(?m)^//\t([a-z][a-z-]+) {2,}`).FindAllSubmatch(doc, -1) {
		inDoc = append(inDoc, string(m[1]))
	}
	assert.Equal(t, checks.Names(), inDoc, "the list in doc.go")

	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n### Preflight checks\n")
	require.True(t, ok, "README has a Preflight checks section")
	section, _, _ = strings.Cut(section, "\n#")
	var inReadme []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\|").FindAllStringSubmatch(section, -1) {
		inReadme = append(inReadme, m[1])
	}
	assert.Equal(t, checks.Names(), inReadme, "the table in the README's Preflight checks section")
}
