package moduleapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"
)

// root is the repository's root: the module's source.
const root = "../.."

// module is a Dagger module's API as its Go source declares it.
type module struct {
	main    string             // the main object's Go name
	pkgDoc  string             // the package doc: the module's description
	objects map[string]*object // by Go name
	ctor    *function          // New
}

// object is a Go struct type the module exposes.
type object struct {
	name   string
	doc    string
	pos    token.Position
	fields []field
	funcs  []*function
}

// field is an exported field of an object.
type field struct {
	name, doc string
	typ       string
	private   bool
	pos       token.Position
}

// function is a function of an object, or the constructor.
type function struct {
	name    string // Go name
	doc     string // the doc comment's text, pragmas included
	pos     token.Position
	params  []param
	result  string // the Go type of its first result
	pragmas map[string]string
}

// param is an argument of a function.
type param struct {
	name, typ string
	doc       string            // the whole comment, pragmas included
	prose     []string          // its lines that are not pragmas
	pragmas   map[string]string // +name=value (value "" for a bare +name)
	pos       token.Position
}

// optional reports whether a call may leave p out.
func (p param) optional() bool {
	for _, k := range []string{"optional", "default", "defaultPath"} {
		if _, ok := p.pragmas[k]; ok {
			return true
		}
	}
	return false
}

// cliName is how `dagger call` spells a Go name: kebab case, acronyms kept whole (apiURL is
// api-url, ProbeReport probe-report).
func cliName(goName string) string {
	r := []rune(strings.ReplaceAll(goName, "_", ""))
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 {
			prevLower := unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1])
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if prevLower || (unicode.IsUpper(r[i-1]) && nextLower) {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// function returns the function of o that `dagger call` names name, or nil.
func (o *object) function(name string) *function {
	for _, f := range o.funcs {
		if cliName(f.name) == name {
			return f
		}
	}
	for _, fl := range o.fields {
		if !fl.private && cliName(fl.name) == name {
			return &function{name: fl.name, result: fl.typ}
		}
	}
	return nil
}

// param returns the argument of f that `dagger call` spells --name, or nil.
func (f *function) param(name string) *param {
	for i, p := range f.params {
		if cliName(p.name) == name {
			return &f.params[i]
		}
	}
	return nil
}

// pragmaLine matches a pragma line of a doc comment: +name or +name=value.
var pragmaLine = regexp.MustCompile(`^\+([A-Za-z]+)(?:=(.*))?$`)

// splitDoc splits a doc comment's text into its prose lines (trailing blank lines dropped) and
// its pragmas.
func splitDoc(text string) ([]string, map[string]string) {
	pragmas := map[string]string{}
	var prose []string
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if m := pragmaLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			pragmas[m[1]] = m[2]
			continue
		}
		prose = append(prose, line)
	}
	for len(prose) > 0 && strings.TrimSpace(prose[len(prose)-1]) == "" {
		prose = prose[:len(prose)-1]
	}
	return prose, pragmas
}

// loadModule parses the module whose source is in dir (its non-test, non-generated Go files)
// with main as its main object.
func loadModule(t *testing.T, dir, main string) *module {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	m := &module{main: main, objects: map[string]*object{}}
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == "dagger.gen.go" {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
		if f.Doc != nil {
			m.pkgDoc += f.Doc.Text()
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || !ts.Name.IsExported() {
					continue
				}
				doc := gd.Doc
				if ts.Doc != nil {
					doc = ts.Doc
				}
				o := &object{name: ts.Name.Name, doc: doc.Text(), pos: fset.Position(ts.Pos())}
				for _, fl := range st.Fields.List {
					for _, n := range fl.Names {
						if !n.IsExported() {
							continue
						}
						text := fl.Doc.Text()
						_, pragmas := splitDoc(text)
						_, private := pragmas["private"]
						o.fields = append(o.fields, field{name: n.Name, doc: text, typ: types(fl.Type), private: private, pos: fset.Position(n.Pos())})
					}
				}
				m.objects[o.name] = o
			}
		}
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || !fd.Name.IsExported() {
				continue
			}
			fn := parseFunction(fset, f, fd)
			switch {
			case fd.Recv == nil && fd.Name.Name == "New":
				m.ctor = fn
			case fd.Recv != nil:
				recv := strings.TrimPrefix(types(fd.Recv.List[0].Type), "*")
				if o, ok := m.objects[recv]; ok {
					o.funcs = append(o.funcs, fn)
				}
			}
		}
	}
	require.Contains(t, m.objects, main, "the main object %s", main)
	return m
}

// parseFunction reads fd's doc, arguments (each with the comment above it) and result.
func parseFunction(fset *token.FileSet, f *ast.File, fd *ast.FuncDecl) *function {
	fn := &function{name: fd.Name.Name, doc: fd.Doc.Text(), pos: fset.Position(fd.Pos())}
	_, fn.pragmas = splitDoc(fn.doc)
	if fd.Type.Results != nil && len(fd.Type.Results.List) > 0 {
		fn.result = types(fd.Type.Results.List[0].Type)
	}
	prev := fd.Type.Params.Opening
	for _, pf := range fd.Type.Params.List {
		var doc *ast.CommentGroup
		for _, cg := range f.Comments {
			if cg.Pos() > prev && cg.End() < pf.Pos() {
				doc = cg
			}
		}
		prev = pf.End()
		text := ""
		if doc != nil {
			text = doc.Text()
		}
		prose, pragmas := splitDoc(text)
		for _, n := range pf.Names {
			fn.params = append(fn.params, param{name: n.Name, typ: types(pf.Type), doc: text, prose: prose, pragmas: pragmas, pos: fset.Position(n.Pos())})
		}
	}
	return fn
}

// types renders a type expression as Go source.
func types(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return "*" + types(e.X)
	case *ast.SelectorExpr:
		return types(e.X) + "." + e.Sel.Name
	case *ast.ArrayType:
		return "[]" + types(e.Elt)
	default:
		return "?"
	}
}

// isContext reports whether p is the context argument, which Dagger does not expose.
func (p param) isContext() bool { return p.typ == "context.Context" }

// bindingName is the name of o in the Go bindings of a module that depends on m: the main
// object's own, the others' prefixed by it (Preflight is ReleasePreflightPreflight).
func (m *module) bindingName(o *object) string {
	if o.name == m.main {
		return o.name
	}
	return m.main + o.name
}

// objectOf is the module object a function's result is, or nil for a scalar or a core type.
func (m *module) objectOf(result string) *object {
	return m.objects[strings.TrimLeft(result, "[]*")]
}

// sortedObjects lists the objects by name.
func (m *module) sortedObjects() []*object {
	var out []*object
	for _, o := range m.objects {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b *object) int { return strings.Compare(a.name, b.name) })
	return out
}
