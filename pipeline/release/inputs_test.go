package release_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/release"
)

// inputNamed finds the input names the pipeline packages put in their errors and checks: an
// outcome.Error's Input, outcome.Invalid's and the build's invalid's input, a check skipped for
// want of an input, the GitHub client's invalid configuration.
var inputNamed = []*regexp.Regexp{
	regexp.MustCompile(`Input:\s*"([a-z-]+)"`),
	regexp.MustCompile(`outcome\.Invalid\("[^"]*",\s*"([a-z-]+)"`),
	regexp.MustCompile(`\binvalid\("([a-z-]+)"`),
	regexp.MustCompile(`\binvalidConfig\("([a-z-]+)"`),
	regexp.MustCompile(`\bskipped\("([a-z-]+)"`),
	regexp.MustCompile(`\bpositive\("([a-z-]+)"`),
	regexp.MustCompile(`\bparseRootURL\("([a-z-]+)"`),
	regexp.MustCompile(`\burlPath\([a-zA-Z]+,\s*"([a-z-]+)"`),
	regexp.MustCompile(`Invalid\([^,]+,\s*"([a-z-]+)"`),
	regexp.MustCompile(`\bInput[A-Z][A-Za-z]* = "([a-z-]+)"`),
}

// namedInputs is every input name in the non-test Go files under dir.
func namedInputs(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range inputNamed {
			for _, m := range re.FindAllSubmatch(src, -1) {
				if name := string(m[1]); !slices.Contains(names, name) {
					names = append(names, name)
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	slices.Sort(names)
	return names
}

// Every input the core can name is in the table, with how each adapter takes it or why it does
// not; the table names no input the core never names.
func TestEveryInputHasAWayIn(t *testing.T) {
	t.Parallel()
	named := namedInputs(t, "..")
	require.Contains(t, named, "tag", "the scan finds the inputs")
	var table []string
	for _, in := range release.Inputs {
		table = append(table, in.Name)
		assert.True(t, in.CLI != "" || in.Why != "", "%s: no flag, and no reason why not", in.Name)
		assert.True(t, in.Dagger != "" || in.Why != "", "%s: no Dagger argument, and no reason why not", in.Name)
		assert.False(t, in.CLI == "" && in.Dagger == "", "%s: neither adapter takes it", in.Name)
	}
	slices.Sort(table)
	assert.Equal(t, named, table, "the inputs the pipeline names, and the table of inputs")
}

// Every Dagger argument the table names is one the module declares (main.go), as Dagger spells
// it: the parameter name in kebab case.
func TestDaggerArgumentsExist(t *testing.T) {
	t.Parallel()
	file, err := parser.ParseFile(token.NewFileSet(), "../../main.go", nil, 0)
	require.NoError(t, err)
	declared := map[string]bool{}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || !fn.Name.IsExported() {
			continue
		}
		for _, field := range fn.Type.Params.List {
			for _, name := range field.Names {
				declared["--"+kebab(name.Name)] = true
			}
		}
	}
	require.True(t, declared["--tag"], "main.go declares the functions")
	flag := regexp.MustCompile(`--[a-z][a-z-]*`)
	for _, in := range release.Inputs {
		for _, arg := range flag.FindAllString(in.Dagger, -1) {
			assert.True(t, declared[arg], "%s: the module has no argument %s", in.Name, arg)
		}
	}
}

// kebab is a Go parameter name as Dagger's flag: apiURL → api-url, runID → run-id.
func kebab(name string) string {
	var b strings.Builder
	runes := []rune(name)
	for i, r := range runes {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && unicode.IsLower(runes[i-1])
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1]) && i > 0 && unicode.IsUpper(runes[i-1])
			if prevLower || nextLower {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
