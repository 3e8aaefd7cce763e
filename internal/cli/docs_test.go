package cli

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// readmeSection is the text of the README under heading (a whole line, such as
// "### Exit status"), up to the next heading of any level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n"+heading+"\n")
	require.True(t, ok, "the README has a section %q", heading)
	section, _, _ = strings.Cut(section, "\n#")
	return section
}

// The README's tables of exit statuses and failure classes hold every class, under its exit
// code: a class added without its documentation fails here.
func TestReadmeDocumentsEveryClass(t *testing.T) {
	t.Parallel()
	classes := readmeSection(t, "### Failure classes")
	exits := readmeSection(t, "### Exit status")
	rowOf := map[int]string{}
	for _, m := range regexp.MustCompile(`(?m)^\| (\d) \| (.*) \|$`).FindAllStringSubmatch(exits, -1) {
		code, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		rowOf[code] = m[2]
	}
	require.Len(t, rowOf, 5, "the exit status table has a row per code")
	for _, c := range outcome.Classes {
		assert.Contains(t, classes, "\n| `"+string(c)+"` |", "the failure classes table has a row for %s", c)
		assert.Contains(t, rowOf[c.ExitCode()], "`"+string(c)+"`", "the exit status table names %s under %d", c, c.ExitCode())
	}
}
