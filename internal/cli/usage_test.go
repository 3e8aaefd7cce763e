package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/release"
)

// Usage mistakes exit 2 before anything is sent; with --json among the arguments the answer is
// still one JSON object, whatever the flag package stopped at.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		json   bool
		stderr string
	}{
		{name: "no command", args: nil, code: 2, stderr: "Usage:"},
		{name: "unknown command", args: []string{"publsh"}, code: 2, stderr: `unknown command "publsh"`},
		{name: "help", args: []string{"--help"}, code: 0},
		{name: "unknown flag", args: []string{"probe", "--nope"}, code: 2, stderr: "flag provided but not defined: --nope"},
		{name: "bad value", args: []string{"publish", "--concurrency", "many"}, code: 2,
			stderr: `invalid value "many" for flag --concurrency: parse error: Run release-preflight publish --help for its flags`},
		{name: "unknown flag before --json", args: []string{"probe", "--nope", "--json"}, code: 2, json: true},
		{name: "bad value with --json", args: []string{"publish", "--json", "--concurrency", "many"}, code: 2, json: true},
		{name: "stray argument", args: []string{"sweep", "octo-org/hello"}, code: 2, stderr: `unexpected argument "octo-org/hello"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := run(t, nil, env{}, tc.args...)
			assert.Equal(t, tc.code, res.code)
			assert.Contains(t, res.stderr, tc.stderr)
			if tc.json {
				obj := decodeOne(t, res.stdout)
				assert.Equal(t, "invalid-input", str(t, obj, "class"))
				assert.Contains(t, str(t, obj, "message"), "parse the command line")
			}
		})
	}
}

// commandNames are the subcommands.
var commandNames = []string{"probe", "release", "publish", "build", "sweep", "demo", "audit"}

// flagsOf are the flags a command's help lists, as "--name".
func flagsOf(t *testing.T, command string) map[string]bool {
	t.Helper()
	res := run(t, nil, env{}, command, "--help")
	require.Equal(t, 0, res.code, command)
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  (--[a-z][a-z-]*)`).FindAllStringSubmatch(res.stdout, -1) {
		flags[m[1]] = true
	}
	require.NotEmpty(t, flags, "%s --help lists its flags", command)
	return flags
}

// A command's -h, -help, --help and `help COMMAND` print the same help, on stdout: what the
// command does, its usage line, and each flag as it is typed (--name), with a placeholder
// that says what to pass, never a Go type name.
func TestCommandHelp(t *testing.T) {
	t.Parallel()
	for _, command := range commandNames {
		t.Run(command, func(t *testing.T) {
			t.Parallel()
			res := run(t, nil, env{"GITHUB_TOKEN": tokWrite}, command, "--help")
			require.Equal(t, 0, res.code)
			assert.Empty(t, res.stderr)
			for _, args := range [][]string{{command, "-h"}, {command, "-help"}, {"help", command}} {
				other := run(t, nil, env{"GITHUB_TOKEN": tokWrite}, args...)
				assert.Equal(t, 0, other.code, args)
				assert.Equal(t, res.stdout, other.stdout, "%v prints what --help prints", args)
			}
			assert.Contains(t, res.stdout, "\nUsage:\n  release-preflight "+command+" ")
			flagLines := regexp.MustCompile(`(?m)^  (-+)([a-z][a-z-]*)( (\S+))?`).FindAllStringSubmatch(res.stdout, -1)
			require.NotEmpty(t, flagLines)
			for _, m := range flagLines {
				assert.Equal(t, "--", m[1], "--%s is shown as it is typed", m[2])
				assert.NotContains(t, []string{"string", "value", "int", "duration", "float", "uint"}, m[4],
					"--%s has a placeholder that says what to pass", m[2])
			}
			for _, line := range strings.Split(res.stdout, "\n") {
				assert.LessOrEqual(t, len([]rune(line)), 80, "fits a terminal: %q", line)
			}
		})
	}
}

// The README's list of commands is the help's, and every flag a usage line or a group of flags
// names is one that each command it applies to takes.
func TestUsageLinesAgree(t *testing.T) {
	t.Parallel()
	help := run(t, nil, env{}, "--help").stdout
	usageBlock, _, _ := strings.Cut(strings.SplitN(help, "Usage:\n", 2)[1], "\n\n")
	var want []string
	for _, line := range strings.Split(usageBlock, "\n") {
		want = append(want, strings.TrimPrefix(line, "  "))
	}
	readme := readmeSection(t, "### CLI")
	block, ok := strings.CutPrefix(readme, "\n```text\n")
	require.True(t, ok, "the CLI section starts with the usage lines")
	block, _, _ = strings.Cut(block, "\n```")
	assert.Equal(t, want, strings.Split(block, "\n"), "the README shows the usage lines of --help")
	mainGo, err := os.ReadFile("../../cmd/release-preflight/main.go")
	require.NoError(t, err)
	var inDoc []string
	for _, m := range regexp.MustCompile(`(?m)^//\t(.*)$`).FindAllStringSubmatch(string(mainGo), -1) {
		inDoc = append(inDoc, m[1])
	}
	assert.Equal(t, want, inDoc, "the command's package doc shows the usage lines of --help")

	groups := map[string][]string{}
	for _, g := range flagGroups {
		groups[strings.ToLower(strings.TrimSuffix(g.name, " flags"))] = regexp.MustCompile(`--[a-z][a-z-]*`).FindAllString(g.flags, -1)
	}
	for _, d := range commandDocs {
		flags := flagsOf(t, d.name)
		named := regexp.MustCompile(`--[a-z][a-z-]*`).FindAllString(d.synopsis, -1)
		for _, m := range regexp.MustCompile(`\[([a-zA-Z]+) flags\]`).FindAllStringSubmatch(d.synopsis, -1) {
			group, ok := groups[strings.ToLower(m[1])]
			require.True(t, ok, "%s: no group of %s flags", d.name, m[1])
			named = append(named, group...)
		}
		for _, f := range named {
			assert.True(t, flags[f], "%s's usage names %s, which it does not take", d.name, f)
		}
	}
}

// An error names the flag of the command that was run: never one the command does not take
// (release stamps its --tag as the version, so a tag that cannot be a version is --tag's
// fault, not a --version it has not got).
func TestErrorsNameTheCommandsFlags(t *testing.T) {
	t.Parallel()
	bad := map[string][][]string{
		"release": {{"--tag", "v1.0.0/x"}, {"--tag", "refs/tags/v1"}, {"--tag", ""}, {"--platforms", "plan9/z80"},
			{"--source-date-epoch", "yesterday"}, {"--prerelease", "maybe"}, {"--latest", "sometimes"}, {"--expected-run-time", "long"},
			{"--notes-file", "/nonexistent/notes.md"}, {"--timeout", "0s"}, {"--run-id", "x"}, {"--api-url", "ftp://example.com/"},
			{"--source", "/nonexistent/source"}, {"--name", "a b"}},
		"publish": {{"--tag", "v 1"}, {"--assets", "/nonexistent/assets"}, {"--concurrency", "-1"}, {"--notes-file", "/nonexistent/notes.md"},
			{"--upload-url", "https://uploads.example.com/?x=1"}, {"--run-attempt", "first"}},
		"probe": {{"--tag", "refs/tags/v1"}, {"--assets", "/nonexistent/assets"}, {"--latest", "sometimes"}, {"--repo", "octo-org/"}},
		"build": {{"--version", "v1 2"}, {"--platforms", "plan9/z80"}, {"--source-date-epoch", "yesterday"}, {"--out", ""}},
		"sweep": {{"--older-than", "soon"}, {"--older-than", "-1h"}},
		"audit": {{"--source", "/nonexistent/source"}},
	}
	for command, cases := range bad {
		t.Run(command, func(t *testing.T) {
			t.Parallel()
			flags := flagsOf(t, command)
			for _, args := range cases {
				srv := newServer(t, emulator.Options{})
				base := map[string][]string{
					"release": {"--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0", "--source", helloSource(t), "--platforms", "linux/amd64"},
					"publish": {"--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0"},
					"probe":   {"--repo", repo, "--api-url", srv.APIURL()},
					"build":   {"--out", t.TempDir() + "/dist", "--source", helloSource(t), "--source-date-epoch", sourceDateEpoch},
					"sweep":   {"--repo", repo, "--api-url", srv.APIURL()},
					"audit":   nil,
				}[command]

				res := run(t, srv, env{"GITHUB_TOKEN": tokWrite, "SOURCE_DATE_EPOCH": sourceDateEpoch}, append(append([]string{command}, base...), args...)...)

				assert.NotEqual(t, 0, res.code, "%s %v fails", command, args)
				// A command quoted in backquotes (`git log -1 --format=%ct`) is not ours.
				text := regexp.MustCompile("`[^`]*`").ReplaceAllString(res.stderr, "")
				named := regexp.MustCompile(`--[a-z][a-z-]*`).FindAllString(text, -1)
				assert.NotEmpty(t, named, "%s %v: the error names the flag to fix:\n%s", command, args, res.stderr)
				for _, f := range named {
					assert.True(t, flags[f], "%s %v: the error names %s, which %s does not take:\n%s", command, args, f, command, res.stderr)
				}
			}
		})
	}
}

// Every flag the table of inputs names for the command line is one a command defines: an error
// never tells the user to pass a flag that does not exist.
func TestInputFlagsExist(t *testing.T) {
	t.Parallel()
	defined := map[string]bool{}
	for _, command := range commandNames {
		for f := range flagsOf(t, command) {
			defined[f] = true
		}
	}
	require.True(t, defined["--tag"], "the help lists the flags")
	flag := regexp.MustCompile(`--[a-z][a-z-]*`)
	for _, in := range release.Inputs {
		for _, f := range flag.FindAllString(in.CLI, -1) {
			assert.True(t, defined[f], "%s: no command has the flag %s", in.Name, f)
		}
	}
}
