package cli

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
		{name: "command help", args: []string{"probe", "-h"}, code: 0, stderr: "-run-id ID"},
		{name: "unknown flag", args: []string{"probe", "--nope"}, code: 2, stderr: "flag provided but not defined: -nope"},
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

// Every flag the table of inputs names for the command line is one a command defines: an error
// never tells the user to pass a flag that does not exist.
func TestInputFlagsExist(t *testing.T) {
	t.Parallel()
	defined := map[string]bool{}
	for _, command := range []string{"probe", "release", "publish", "build", "sweep", "demo"} {
		res := run(t, nil, env{}, command, "-h")
		require.Equal(t, 0, res.code, command)
		for _, m := range regexp.MustCompile(`(?m)^  -([a-z][a-z-]*)`).FindAllStringSubmatch(res.stderr, -1) {
			defined["--"+m[1]] = true
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
