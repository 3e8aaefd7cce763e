package audit

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
)

// requirement is a need of a job and what needs it.
type requirement struct {
	need
	by string // "step `Publish` at line 52 runs `gh release create`"
}

// stepNeeds is what st needs from its job's token. env is the environment the step inherits
// from its workflow and job (names in lower case); the step's own env is added to it.
func stepNeeds(st step, inherited map[string]string) []requirement {
	env := merged(inherited, st.env)
	if st.uses == "" {
		return scriptNeeds(st, st.run, env, "runs ")
	}
	name, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(st.uses)), "@")
	for _, r := range actionRules {
		if name != r.uses {
			continue
		}
		if r.runs != nil {
			return scriptNeeds(st, r.runs(st.with), env, "uses "+r.uses+" to run ")
		}
		if r.publishes != nil && !r.publishes(st.with) {
			return nil
		}
		return requirements(r.needs, ownToken(st.with, r.tokenInputs, env, r.tokenEnv), stepRef(st)+" uses "+r.uses)
	}
	return nil
}

// scriptNeeds is what the commands of a shell script need; verb says how the step runs it.
func scriptNeeds(st step, script string, env map[string]string, verb string) []requirement {
	var out []requirement
	for _, words := range commands(script) {
		tool, args := program(words)
		if tool == "" {
			continue
		}
		if tool == "dagger" {
			var ok bool
			if args, ok = daggerFunction(args, env); !ok {
				continue
			}
		}
		for _, r := range commandRules {
			if r.tool != tool || !hasPrefix(args, r.words) {
				continue
			}
			needs := r.needs
			if flag(args, "--attestations") {
				needs = append(slices.Clone(needs), r.attestations...)
			}
			by := fmt.Sprintf("%s %s`%s %s`", stepRef(st), verb, tool, strings.Join(r.words, " "))
			out = append(out, requirements(needs, commandToken(tool, args, env), by)...)
		}
	}
	return out
}

// requirements are needs, less those another token provides.
func requirements(needs []need, ownToken bool, by string) []requirement {
	var out []requirement
	for _, n := range needs {
		if ownToken && !n.oidc {
			continue
		}
		out = append(out, requirement{need: n, by: by})
	}
	return out
}

// stepRef names a step for a message: its name and line.
func stepRef(st step) string {
	if name := oneLine(st.name); name != "" {
		return fmt.Sprintf("step `%s` at line %d", name, st.line)
	}
	return fmt.Sprintf("the step at line %d", st.line)
}

// ownToken says whether a step authenticates with another token than the job's: the first of
// its token inputs, then of the environment variables its tool reads, that is set decides.
// When none is set the step uses github.token.
func ownToken(with map[string]string, inputs []string, env map[string]string, vars []string) bool {
	for _, in := range inputs {
		if v := with[in]; strings.TrimSpace(v) != "" {
			return otherToken(v)
		}
	}
	for _, name := range vars {
		if v := env[strings.ToLower(name)]; strings.TrimSpace(v) != "" {
			return otherToken(v)
		}
	}
	return false
}

// otherToken says whether value, given as a token, is not (or not always) the job's
// GITHUB_TOKEN: it names neither secrets.GITHUB_TOKEN nor github.token.
func otherToken(value string) bool {
	v := strings.ToLower(strings.Join(strings.Fields(value), ""))
	for _, job := range []string{"secrets.github_token", "github.token", "secrets['github_token']", `secrets["github_token"]`, "github['token']", `github["token"]`} {
		if strings.Contains(v, job) {
			return false
		}
	}
	return true
}

// commandToken says whether a command authenticates with another token than the job's: this
// project's --token-env NAME and the module's --token env:NAME name the variable; gh and the CLI
// otherwise read theirs.
func commandToken(tool string, args []string, env map[string]string) bool {
	vars := tokenEnv[tool]
	switch tool {
	case cliName:
		if name := flagValue(args, "--token-env"); name != "" {
			vars = []string{name}
		}
	case "dagger":
		v := flagValue(args, "--token")
		if v == "" {
			return false
		}
		name, ok := strings.CutPrefix(v, "env:")
		if !ok {
			return true // file:, cmd:, a vault: a token the job did not hand over
		}
		vars = []string{name}
	}
	return ownToken(nil, nil, env, vars)
}

// program is the tool a command runs (gh, dagger, release-preflight; "" for any other) and its
// arguments. Leading variable assignments and wrappers (sudo, env, if, …) are skipped; this
// project's CLI is found wherever it stands, as in go run …/cmd/release-preflight@v1 probe.
func program(words []string) (string, []string) {
	for len(words) > 0 && (isAssignment(words[0]) || slices.Contains(wrappers, words[0])) {
		words = words[1:]
	}
	if len(words) == 0 {
		return "", nil
	}
	switch path.Base(words[0]) {
	case "gh":
		return "gh", words[1:]
	case "dagger":
		return "dagger", words[1:]
	}
	for i, w := range words {
		name, _, _ := strings.Cut(path.Base(w), "@")
		if name == cliName {
			return cliName, words[i+1:]
		}
	}
	return "", nil
}

// wrappers are the words a command may start with before its program.
var wrappers = []string{"sudo", "env", "exec", "time", "command", "nohup", "{", "!", "if", "then", "do", "else", "elif", "while", "until"}

// isAssignment says whether w is a shell variable assignment, NAME=value.
func isAssignment(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	if !ok || name == "" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// daggerFunction is the function path and arguments of a dagger call of this project's module:
// the module is named with -m/--mod (or $DAGGER_MODULE) and holds "release-preflight" once the
// workflow's variables are expanded, or is not named (the module in the working directory).
func daggerFunction(args []string, env map[string]string) ([]string, bool) {
	module := cmp.Or(flagValue(args, "-m"), flagValue(args, "--mod"), env["dagger_module"])
	if module != "" && !strings.Contains(strings.ToLower(expand(module, env)), cliName) {
		return nil, false
	}
	call := slices.Index(args, "call")
	if call < 0 {
		return nil, false
	}
	var path []string
	rest := args[call+1:]
	for i := 0; i < len(rest); i++ {
		w := rest[i]
		if strings.HasPrefix(w, "-") {
			if !strings.Contains(w, "=") && !slices.Contains(daggerBoolFlags, w) {
				i++ // the flag's value
			}
			continue
		}
		path = append(path, w)
		if w != "preflight" {
			break
		}
	}
	return append(path, rest...), len(path) > 0
}

// daggerBoolFlags are the flags of dagger call and of this project's module that take no value.
var daggerBoolFlags = []string{"--github-actions", "--json", "--debug", "-d", "--silent", "-s", "--quiet", "-q", "-v", "-vv", "-vvv", "--interactive", "-i", "--no-mod", "-M", "-E", "--no-exit", "--web", "-w"}

// expand replaces $NAME and ${NAME} in s with the workflow's variables (names in lower case).
func expand(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		rest, braced := s[i+1:], s[i+1] == '{'
		if braced {
			rest = rest[1:]
		}
		n := 0
		for n < len(rest) && (rest[n] == '_' || rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= 'A' && rest[n] <= 'Z' || n > 0 && rest[n] >= '0' && rest[n] <= '9') {
			n++
		}
		if n == 0 || braced && (n == len(rest) || rest[n] != '}') {
			b.WriteByte(s[i])
			continue
		}
		b.WriteString(env[strings.ToLower(rest[:n])])
		i += n
		if braced {
			i += 2
		}
	}
	return b.String()
}

// hasPrefix says whether args start with words.
func hasPrefix(args, words []string) bool {
	return len(args) >= len(words) && slices.Equal(args[:len(words)], words)
}

// flag says whether args hold the boolean flag name (also as -name, name=true).
func flag(args []string, name string) bool {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		a = "--" + strings.TrimLeft(a, "-")
		if a == name || a == name+"=true" {
			return true
		}
	}
	return false
}

// flagValue is the value of flag name in args (name VALUE or name=VALUE; -name too for a long
// flag), or "".
func flagValue(args []string, name string) string {
	for i, a := range args {
		if strings.HasPrefix(name, "--") && strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(a) > 2 {
			a = "-" + a // the flag package's -name
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// commands splits a shell script into its simple commands, each as its words with quotes
// removed: a newline, ;, &, |, parentheses and backquotes end a command (so $(…) is one of its
// own), a backslash before a newline continues the line, and # starts a comment.
func commands(script string) [][]string {
	var (
		cmds   [][]string
		cur    []string
		word   strings.Builder
		inWord bool
	)
	endWord := func() {
		if inWord {
			cur = append(cur, word.String())
			word.Reset()
			inWord = false
		}
	}
	endCommand := func() {
		endWord()
		if len(cur) > 0 {
			cmds = append(cmds, cur)
			cur = nil
		}
	}
	s := script
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] != '\n' {
				word.WriteByte(s[i])
				inWord = true
			}
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				end = len(s) - i - 1
			}
			word.WriteString(s[i+1 : i+1+end])
			inWord = true
			i += end + 1
		case c == '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`\n", s[i+1]) >= 0 {
					i++
				}
				word.WriteByte(s[i])
			}
			inWord = true
		case c == '#' && !inWord:
			for i+1 < len(s) && s[i+1] != '\n' {
				i++
			}
		case c == ' ' || c == '\t' || c == '\r':
			endWord()
		case strings.IndexByte("\n;&|()`", c) >= 0:
			endCommand()
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	endCommand()
	return cmds
}

// oneLine folds a value from a workflow into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
