package githubapi_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func TestParseRepo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    githubapi.Repo
		wantErr string
	}{
		{in: "octocat/hello-world", want: githubapi.Repo{Owner: "octocat", Name: "hello-world"}},
		{in: "Octo-Org/repo.name_2", want: githubapi.Repo{Owner: "Octo-Org", Name: "repo.name_2"}},
		{in: "octocat_acme/.github", want: githubapi.Repo{Owner: "octocat_acme", Name: ".github"}},
		{in: strings.Repeat("a", 39) + "/" + strings.Repeat("b", 100), want: githubapi.Repo{Owner: strings.Repeat("a", 39), Name: strings.Repeat("b", 100)}},
		{in: "", wantErr: `"" is not in OWNER/NAME form`},
		{in: "octocat", wantErr: `"octocat" is not in OWNER/NAME form`},
		{in: "a/b/c", wantErr: "is not in OWNER/NAME form"},
		{in: "https://github.com/octocat/hello", wantErr: "is not in OWNER/NAME form"},
		{in: "/hello", wantErr: "invalid owner: it is empty"},
		{in: "octocat/", wantErr: "invalid repository name: it is empty"},
		{in: "-octo/hello", wantErr: "starts with a hyphen"},
		{in: "oc to/hello", wantErr: "only letters, digits, hyphens and underscores"},
		{in: strings.Repeat("a", 40) + "/x", wantErr: "longer than 39 characters"},
		{in: "octo/" + strings.Repeat("b", 101), wantErr: "longer than 100 characters"},
		{in: "octo/..", wantErr: `"." and ".." are reserved`},
		{in: "octo/hello world", wantErr: "only letters, digits, '.', '-' and '_'"},
		{in: "octo/hello\n", wantErr: "only letters, digits"},
		{in: "ghp_abcdefghijklmnopqrstuvwxyz0123456789", wantErr: `"ghp_[REDACTED]" is not in OWNER/NAME form`},
		{in: "octo/github_pat_11AAAAAAA0123456789_abcdefghijkl x", wantErr: `"octo/github_pat_[REDACTED] x" has an invalid repository name`},
		{in: strings.Repeat("x", 300), wantErr: `"` + strings.Repeat("x", outcome.MaxQuoted) + `"… is not in OWNER/NAME form`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := githubapi.ParseRepo(tt.in)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				assert.Equal(t, tt.in, got.String())
				assert.NoError(t, got.Validate())
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.True(t, strings.HasPrefix(err.Error(), "parse repository: "), err.Error())
			assert.True(t, strings.HasSuffix(err.Error(), "in GitHub Actions use ${{ github.repository }}"), err.Error())
			ge, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, outcome.InvalidInput, ge.Class)
			assert.NotRegexp(t, `(ghp|github_pat)_[^\[]`, err.Error(), "no token is echoed")
		})
	}
}

func FuzzParseRepo(f *testing.F) {
	for _, s := range []string{"octocat/hello-world", "a/b", "", "/", "a//b", "-a/b", "a/..", "ghp_x/y", "ü/ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := githubapi.ParseRepo(s)
		if err != nil {
			ge, ok := outcome.As(err)
			require.True(t, ok)
			require.Equal(t, outcome.InvalidInput, ge.Class)
			require.Equal(t, githubapi.Repo{}, r)
			return
		}
		require.Equal(t, s, r.String(), "a parsed repository prints as given")
		again, err := githubapi.ParseRepo(r.String())
		require.NoError(t, err)
		require.Equal(t, r, again)
		require.NotContains(t, r.Owner+r.Name, "/")
	})
}
