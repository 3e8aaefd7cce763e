package moduleapi

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
)

// varying are what differs from run to run in a report, each with what stands for it.
var varying = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`preflight-permcheck-local-\d{8}T\d{6}Z-[0-9a-f]{8}`), "PROBE-TAG"},
	{regexp.MustCompile(`(requests: +\d+) in \d+ ms`), "$1 in N ms"},
	{regexp.MustCompile(`(request id: +)\S+`), "${1}ID"},
	{regexp.MustCompile(`of the \d+ left \(resets at [^)]*\)`), "of the N left (resets at TIME)"},
}

func normalize(s string) string {
	for _, v := range varying {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// textBlock is the README's ```text block whose first line starts with prefix.
func textBlock(t *testing.T, readme, prefix string) string {
	t.Helper()
	i := strings.Index(readme, "```text\n"+prefix)
	require.GreaterOrEqual(t, i, 0, "the README shows a block starting %q", prefix)
	block := readme[i+len("```text\n"):]
	end := strings.Index(block, "```")
	require.Greater(t, end, 0)
	return block[:end]
}

// The README shows what its first `dagger call … probe` line prints, as the module renders it:
// for a token that can publish, the report the function returns; for a clamped one, the error
// Dagger prints after "Error: ". The probe's tag, times, counts and the rate limit's reset vary
// from run to run; the rest is exact.
func TestReadmeShowsWhatDaggerCallPrints(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	const call = "dagger call --repo OWNER/NAME --token env:GITHUB_TOKEN probe --tag v1.2.3\n"
	require.Contains(t, string(readme), call, "the README's first dagger call line")

	srv := emulator.NewServer(emulator.Options{})
	t.Cleanup(srv.Close)
	srv.AddRepo("OWNER/NAME")
	srv.AddToken("ghs_readmeWriteTOKEN000000000000000000", emulator.ModeWrite)
	srv.AddToken("ghs_readmeClampedTOKEN0000000000000000", emulator.ModeClamped)
	probe := func(token string) (string, error) {
		// What the module's Probe does with --repo, --token and --tag: the door, for the
		// Dagger adapter, with the arguments' defaults.
		rep, err := release.Probe(t.Context(), release.Request{Adapter: release.Dagger, Repo: "OWNER/NAME",
			GitHub:  githubapi.Config{Token: token, APIURL: srv.APIURL(), UploadURL: srv.UploadURL()},
			Publish: publish.Options{Tag: "v1.2.3"}, Latest: "auto", ExpectedRunTime: "1h"}, nil)
		if err != nil {
			return "Error: " + rep.Failure(), err
		}
		return rep.Human(), nil
	}

	passed, err := probe("ghs_readmeWriteTOKEN000000000000000000")
	require.NoError(t, err)
	assert.Equal(t, normalize(passed), normalize(textBlock(t, string(readme), "ok: GitHub write permission confirmed in OWNER/NAME")))
	failed, err := probe("ghs_readmeClampedTOKEN0000000000000000")
	require.Error(t, err)
	assert.Equal(t, normalize(failed), normalize(textBlock(t, string(readme), "Error: create draft release in OWNER/NAME")))
}

// The examples pin this project to something that exists: main, or a commit.
func TestExamplesPinWhatExists(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(root, "examples/github-actions/*.yml"))
	require.NoError(t, err)
	pins := 0
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, m := range regexp.MustCompile(`github\.com/release-preflight/release-preflight(?:/cmd/release-preflight)?@(\S+)`).FindAllStringSubmatch(string(b), -1) {
			pins++
			assert.Regexp(t, `^(main|[0-9a-f]{40})$`, m[1], "%s pins release-preflight@%s: no release is tagged; pin main or a commit", name, m[1])
		}
	}
	assert.Positive(t, pins)
}
