package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Whatever reaches the output, a token in the environment does not: not whole, not without its
// prefix, and no other token-shaped value either, in text, JSON, workflow commands or the job
// summary. A flag's parse error echoes its value, so it is the way to get text past the core.
func TestOutputIsRedacted(t *testing.T) {
	t.Parallel()
	rest := strings.TrimPrefix(tokWrite, "ghs_")
	tests := []struct {
		name string
		env  env
		args []string
	}{
		{name: "the token without its prefix", env: ghEnv(tokWrite), args: []string{"publish", "--concurrency", rest}},
		{name: "the token without its prefix, as JSON", env: ghEnv(tokWrite), args: []string{"publish", "--json", "--concurrency", rest}},
		{name: "a token read with --token-env", env: env{"MY_TOKEN": tokWrite}, args: []string{"sweep", "--token-env", "MY_TOKEN", "--repo", repo, "--older-than", rest}},
		{name: "another token-shaped value", env: ghEnv(tokClamped), args: []string{"publish", "--concurrency", tokPAT}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			summary := filepath.Join(t.TempDir(), "summary.md")
			tt.env["GITHUB_ACTIONS"] = "true"
			tt.env["GITHUB_STEP_SUMMARY"] = summary

			res := run(t, nil, tt.env, tt.args...)

			assert.Equal(t, 2, res.code)
			md, err := os.ReadFile(summary)
			require.NoError(t, err)
			out := res.stdout + res.stderr + string(md)
			assert.Contains(t, out, "[REDACTED]")
			assertNoToken(t, out)
			for _, tok := range allTokens {
				assert.NotContains(t, out, tok[strings.Index(tok, "_")+1:], "a token without its prefix leaked")
			}
		})
	}
}
