package moduleapi

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// daggerCalls are the `dagger call` commands in text (a README, a workflow): continuation
// lines joined, comments dropped, cut at the first pipe or redirection, each split into its
// words after "dagger call".
func daggerCalls(text string) [][]string {
	text = strings.ReplaceAll(text, "\\\n", " ")
	var calls [][]string
	for _, line := range strings.Split(text, "\n") {
		_, rest, ok := strings.Cut(line, "dagger call ")
		if !ok {
			continue
		}
		words := shellWords(rest)
		if len(words) > 0 {
			calls = append(calls, words)
		}
	}
	return calls
}

// shellWords splits s as a shell would, well enough for the commands of the docs: quotes kept
// whole, $(…) kept whole, ending at a comment, a pipe, a redirection or a backquote.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord, quote, paren := false, rune(0), 0
	flush := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
			cur.WriteRune(r)
		case paren > 0:
			if r == '(' {
				paren++
			} else if r == ')' {
				paren--
			}
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
			cur.WriteRune(r)
		case r == '(' && strings.HasSuffix(cur.String(), "$"):
			paren++
			cur.WriteRune(r)
		case r == ' ' || r == '\t':
			flush()
		case (r == '#' && !inWord) || r == '|' || r == '>' || r == '`' || r == ';' || r == '&':
			flush()
			return words
		default:
			inWord = true
			cur.WriteRune(r)
		}
	}
	flush()
	return words
}

// coreTypes are Dagger's own types a function may return: a call may go on with their
// functions (export, entries, …), which are not the module's to check.
var coreTypes = map[string]bool{"*dagger.Directory": true, "*dagger.Container": true, "*dagger.File": true}

// checkCall checks one `dagger call` command against m: the module's arguments before the
// first function, then each function with its arguments, every one existing, every required
// argument given, and a function only after one that returns an object. It returns what is
// wrong, "" when nothing is.
func checkCall(m *module, words []string) string {
	fn := m.ctor
	if fn == nil {
		fn = &function{name: "the module"} // no constructor: no module arguments
	}
	obj := m.objects[m.main]
	given := map[string]bool{}
	required := func() string {
		for _, p := range fn.params {
			if !p.isContext() && !p.optional() && !given[p.name] {
				return fmt.Sprintf("%s lacks its required --%s", cliName(fn.name), cliName(p.name))
			}
		}
		return ""
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "-m" || w == "--mod" || w == "-o" || w == "--output" || w == "--progress":
			i++ // dagger's own, with a value
		case w == "-q" || w == "-v" || w == "--json":
		case strings.HasPrefix(w, "--"):
			name, _, hasValue := strings.Cut(strings.TrimPrefix(w, "--"), "=")
			p := fn.param(name)
			if p == nil {
				return fmt.Sprintf("%s takes no --%s", cliName(fn.name), name)
			}
			given[p.name] = true
			if p.typ != "bool" && !hasValue {
				i++
			}
		case strings.HasPrefix(w, "$") || strings.HasPrefix(w, `"`):
			return fmt.Sprintf("%q is not a function of %s", w, obj.name)
		default:
			if problem := required(); problem != "" {
				return problem
			}
			if obj == nil {
				return fmt.Sprintf("%s returns %s, which has no function %s", cliName(fn.name), fn.result, w)
			}
			next := obj.function(w)
			if next == nil {
				return fmt.Sprintf("%s has no function %s", obj.name, w)
			}
			fn, obj, given = next, m.objectOf(next.result), map[string]bool{}
			if coreTypes[fn.result] {
				return required()
			}
		}
	}
	return required()
}

// The `dagger call` lines of the README and of the example workflows name functions and
// arguments the module has, give the required ones, and chain a function only after one that
// returns an object; those of the examples module's README, that module's.
func TestDaggerCallLines(t *testing.T) {
	t.Parallel()
	ours := loadModule(t, root, "ReleasePreflight")
	examples := loadModule(t, filepath.Join(root, "examples/go"), "Examples")
	workflows, err := filepath.Glob(filepath.Join(root, "examples/github-actions/*.yml"))
	require.NoError(t, err)
	files := append([]string{"README.md", "examples/go/README.md"}, relative(t, workflows)...)
	seen := 0
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(root, name))
		require.NoError(t, err)
		for _, words := range daggerCalls(string(b)) {
			if slices.ContainsFunc(words, func(w string) bool { return w == "FUNCTION" || w == "..." || w == "…" || strings.HasPrefix(w, "[") }) {
				continue // a synopsis, not a command
			}
			m := ours
			if strings.HasPrefix(words[0], "release-preflight-") {
				m = examples // the examples module's own functions
			}
			seen++
			if problem := checkCall(m, words); problem != "" {
				t.Errorf("%s: dagger call %s: %s", name, strings.Join(words, " "), problem)
			}
		}
	}
	assert.Greater(t, seen, 20, "the scan finds the commands")
}

// The checker finds what is wrong with a call, so that the test above can fail.
func TestCheckCall(t *testing.T) {
	t.Parallel()
	m := loadModule(t, root, "ReleasePreflight")
	tests := []struct {
		call, problem string
	}{
		{call: `--repo o/n --token env:GITHUB_TOKEN probe --tag v1 --commit "$(git rev-parse HEAD)"`},
		{call: `--repo o/n --token env:T probe-report --tag v1 checks name`},
		{call: `build --source . --platforms linux/amd64 export --path dist`},
		{call: `--repo o/n probe markdown`, problem: "probe returns string, which has no function markdown"},
		{call: `--repo o/n probe --version v1`, problem: "probe takes no --version"},
		{call: `--repo o/n preflight release --source .`, problem: "release lacks its required --tag"},
		{call: `--repo o/n prob`, problem: "ReleasePreflight has no function prob"},
		{call: `--github-actions audit-report --source . markdown`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.problem, checkCall(m, shellWords(tt.call)), tt.call)
	}
}

// The Go examples (examples/go and the README's Go block) call functions the module has, with
// the option types and fields its bindings have, and the required arguments in order.
func TestGoCalls(t *testing.T) {
	t.Parallel()
	m := loadModule(t, root, "ReleasePreflight")
	src, err := os.ReadFile(filepath.Join(root, "examples/go/main.go"))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(readme), "\n## Compose it from your own Dagger module\n")
	require.True(t, ok)
	_, block, ok = strings.Cut(block, "```go\n")
	require.True(t, ok)
	block, _, _ = strings.Cut(block, "```")
	sources := map[string]string{
		"examples/go/main.go": string(src),
		"README.md":           "package readme\n\nfunc _() {\n" + block + "\n}\n",
	}
	for name, src := range sources {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, 0)
		require.NoError(t, err, name)
		calls := 0
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.CompositeLit); ok {
				if problem := checkOpts(m, lit); problem != "" {
					t.Errorf("%s:%d: %s", name, fset.Position(lit.Pos()).Line, problem)
				}
			}
			call, ok := n.(*ast.CallExpr)
			if !ok || !isChainEnd(f, call) {
				return true
			}
			if chain := chainOf(call); len(chain) > 0 && chain[0].name == "ReleasePreflight" {
				calls++
				if problem := checkChain(m, chain); problem != "" {
					t.Errorf("%s:%d: %s", name, fset.Position(call.Pos()).Line, problem)
				}
			}
			return true
		})
		assert.Positive(t, calls, "%s calls the module", name)
	}
}

// link is one call of a chain: dag.ReleasePreflight(opts).Probe(ctx, opts)…
type link struct {
	name string
	args []ast.Expr
}

// chainOf unrolls call into its links, from dag.X(…) on; nil when it does not start at dag.
func chainOf(call *ast.CallExpr) []link {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if id, ok := sel.X.(*ast.Ident); ok && id.Name == "dag" {
		return []link{{sel.Sel.Name, call.Args}}
	}
	inner, ok := sel.X.(*ast.CallExpr)
	if !ok {
		return nil
	}
	head := chainOf(inner)
	if head == nil {
		return nil
	}
	return append(head, link{sel.Sel.Name, call.Args})
}

// isChainEnd reports whether call is not itself the receiver of a further call.
func isChainEnd(f *ast.File, call *ast.CallExpr) bool {
	end := true
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.X == call {
			end = false
		}
		return end
	})
	return end
}

// checkChain checks a chain of Go calls against m, as the Go bindings spell it: each method
// exists, its required arguments come first (after ctx for a method that returns a value), and
// an option struct is <Object><Function>Opts with fields that are optional arguments.
func checkChain(m *module, chain []link) string {
	fn, obj := m.ctor, m.objects[m.main]
	typeName := "ReleasePreflight"
	if problem := checkArgs(fn, typeName+"Opts", chain[0].args, false); problem != "" {
		return problem
	}
	for _, l := range chain[1:] {
		if obj == nil {
			return fmt.Sprintf("%s returns %s, which has no method %s", fn.name, fn.result, l.name)
		}
		next := obj.function(cliName(l.name))
		if next == nil || next.name != l.name {
			return fmt.Sprintf("%s has no method %s", obj.name, l.name)
		}
		fn = next
		leaf := m.objectOf(fn.result) == nil && !coreTypes[fn.result]
		if problem := checkArgs(fn, typeName+fn.name+"Opts", l.args, leaf); problem != "" {
			return problem
		}
		if o := m.objectOf(fn.result); o != nil {
			obj, typeName = o, m.bindingName(o)
		} else {
			obj = nil
		}
	}
	return ""
}

// checkArgs checks the arguments of a Go call of fn: ctx first when it returns a value (leaf),
// then its required arguments in order, then at most one opts value of type optsType whose
// fields are fn's optional arguments.
func checkArgs(fn *function, optsType string, args []ast.Expr, leaf bool) string {
	if leaf {
		if len(args) == 0 {
			return fn.name + " returns a value: its call takes ctx first"
		}
		args = args[1:]
	}
	var required, optional []param
	for _, p := range fn.params {
		switch {
		case p.isContext():
		case p.optional():
			optional = append(optional, p)
		default:
			required = append(required, p)
		}
	}
	if len(args) < len(required) {
		return fmt.Sprintf("%s takes %d required arguments, got %d", fn.name, len(required), len(args))
	}
	for _, opts := range args[len(required):] {
		lit, ok := opts.(*ast.CompositeLit)
		if !ok {
			continue // a variable: its type is checked where it is made
		}
		sel, ok := lit.Type.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != optsType {
			return fmt.Sprintf("%s's options are dagger.%s", fn.name, optsType)
		}
		for _, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key := kv.Key.(*ast.Ident).Name
			found := false
			for _, p := range optional {
				found = found || strings.EqualFold(key, p.name) && key[:1] == strings.ToUpper(p.name[:1])
			}
			if !found {
				return fmt.Sprintf("dagger.%s has no field %s", optsType, key)
			}
		}
	}
	return ""
}

// checkOpts checks an option struct of the bindings (dagger.<Object><Function>Opts, or the
// constructor's dagger.ReleasePreflightOpts): it belongs to a function, and its fields are
// that function's optional arguments. Other literals pass.
func checkOpts(m *module, lit *ast.CompositeLit) string {
	sel, ok := lit.Type.(*ast.SelectorExpr)
	if !ok || !strings.HasPrefix(sel.Sel.Name, m.main) || !strings.HasSuffix(sel.Sel.Name, "Opts") {
		return ""
	}
	var fn *function
	if sel.Sel.Name == m.main+"Opts" {
		fn = m.ctor
	}
	for _, o := range m.sortedObjects() {
		for _, f := range o.funcs {
			if m.bindingName(o)+f.name+"Opts" == sel.Sel.Name {
				fn = f
			}
		}
	}
	if fn == nil {
		return fmt.Sprintf("dagger.%s is no function's options", sel.Sel.Name)
	}
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key := kv.Key.(*ast.Ident).Name
		if p := fn.param(cliName(key)); p == nil || !p.optional() {
			return fmt.Sprintf("dagger.%s has no field %s: it is not an optional argument of %s", sel.Sel.Name, key, fn.name)
		}
	}
	return ""
}

// relative makes paths relative to root.
func relative(t *testing.T, paths []string) []string {
	t.Helper()
	var out []string
	for _, p := range paths {
		rel, err := filepath.Rel(root, p)
		require.NoError(t, err)
		out = append(out, rel)
	}
	return out
}
