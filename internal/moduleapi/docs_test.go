package moduleapi

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Widths of what `dagger call --help` prints as written: a description's lines (cobra prints a
// function's description verbatim) fit an 80-column terminal; a summary stays short.
const (
	maxDescriptionLine = 78
	maxSummary         = 80
)

// sentenceInside finds the end of a sentence that another one follows.
var sentenceInside = regexp.MustCompile(`[.!?]["')]? +["'(]?[A-Z]`)

// wholeSentence says what is wrong with s as one whole sentence ("" when nothing is).
func wholeSentence(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "is empty"
	case !strings.HasSuffix(s, "."):
		return "does not end in a period: it is cut, or not a sentence"
	case sentenceInside.MatchString(strings.TrimSuffix(s, ".")):
		return "holds more than one sentence"
	}
	return ""
}

// checkDoc checks the doc comment of a function or an object named name: its first line is one
// whole short sentence that starts with the name (the summary `dagger functions` shows), a
// blank line follows it when more is said, and every line of the description fits a terminal.
func checkDoc(t *testing.T, what, name, doc string) {
	t.Helper()
	prose, _ := splitDoc(doc)
	if !assert.NotEmpty(t, prose, "%s has no doc comment", what) {
		return
	}
	first := prose[0]
	if problem := wholeSentence(first); problem != "" {
		t.Errorf("%s: the first line of its doc, the summary Dagger shows, %s: %q", what, problem, first)
	}
	assert.True(t, strings.HasPrefix(first, name+" "), "%s: the doc starts with its name: %q", what, first)
	assert.LessOrEqual(t, len([]rune(first)), maxSummary, "%s: a short summary: %q", what, first)
	if len(prose) > 1 {
		assert.Empty(t, strings.TrimSpace(prose[1]), "%s: a blank line between the summary and the description", what)
	}
	for _, line := range prose[1:] {
		assert.LessOrEqual(t, len([]rune(line)), maxDescriptionLine, "%s: a line of the description is wider than a terminal: %q", what, line)
	}
}

// checkParam checks the doc of an argument: prose on one line (the help wraps it, and keeps any
// line break of it), a whole text ending in a period, and a list's default said in words.
func checkParam(t *testing.T, what string, p param) {
	t.Helper()
	if !assert.Len(t, p.prose, 1, "%s: the prose of its doc is one line (--help wraps it, but keeps its line breaks): %q", what, p.prose) {
		return
	}
	line := strings.TrimSpace(p.prose[0])
	assert.True(t, strings.HasSuffix(line, "."), "%s: the doc ends in a period: %q", what, line)
	if _, ok := p.pragmas["default"]; ok && strings.HasPrefix(p.typ, "[]") {
		assert.Contains(t, line, "default", "%s: a list's default is said in the doc", what)
	}
}

// Everything Dagger shows of the module has a doc that reads well there.
func TestDocs(t *testing.T) {
	t.Parallel()
	m := loadModule(t, root, "ReleasePreflight")
	t.Run("module", func(t *testing.T) {
		checkDoc(t, "the module's package doc", "Release Preflight", m.pkgDoc)
	})
	t.Run("New", func(t *testing.T) {
		require.NotNil(t, m.ctor, "the module has a constructor")
		checkDoc(t, "New", "New", m.ctor.doc)
		for _, p := range m.ctor.params {
			checkParam(t, "New's argument "+p.name, p)
		}
	})
	for _, o := range m.sortedObjects() {
		t.Run(o.name, func(t *testing.T) {
			checkDoc(t, "type "+o.name, o.name, o.doc)
			for _, f := range o.fields {
				if f.private {
					continue
				}
				prose, _ := splitDoc(f.doc)
				if assert.Len(t, prose, 1, "%s.%s: its doc, the summary of the function that reads it, is one line", o.name, f.name) {
					if problem := wholeSentence(prose[0]); problem != "" {
						t.Errorf("%s.%s: its doc %s: %q", o.name, f.name, problem, prose[0])
					}
				}
			}
			for _, fn := range o.funcs {
				what := fmt.Sprintf("%s.%s", o.name, fn.name)
				checkDoc(t, what, fn.name, fn.doc)
				for _, p := range fn.params {
					if !p.isContext() {
						checkParam(t, what+"'s argument "+p.name, p)
					}
				}
			}
		})
	}
}

// A function that prints a report for a person and its twin that returns the report as an
// object take the same arguments, documented alike, and are cached alike.
func TestReportTwins(t *testing.T) {
	t.Parallel()
	m := loadModule(t, root, "ReleasePreflight")
	twins := 0
	for _, o := range m.sortedObjects() {
		for _, fn := range o.funcs {
			twin := o.function(cliName(fn.name) + "-report")
			if twin == nil {
				continue
			}
			twins++
			assert.Equal(t, "string", fn.result, "%s.%s prints the report", o.name, fn.name)
			assert.NotNil(t, m.objectOf(twin.result), "%s.%s returns an object", o.name, twin.name)
			assert.Equal(t, fn.pragmas["cache"], twin.pragmas["cache"], "%s.%s and its twin are cached alike", o.name, fn.name)
			require.Len(t, twin.params, len(fn.params), "%s.%s and %s", o.name, fn.name, twin.name)
			for i, p := range fn.params {
				q := twin.params[i]
				assert.Equal(t, [3]string{p.name, p.typ, p.doc}, [3]string{q.name, q.typ, q.doc},
					"%s.%s and %s: argument %d", o.name, fn.name, twin.name, i)
			}
		}
	}
	assert.Equal(t, 4, twins, "probe, release, publish and audit have their -report twins")
}
