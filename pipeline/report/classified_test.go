package report

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// From the 403 GitHub (here the emulator) sends a clamped GITHUB_TOKEN, through githubapi's
// classification, to what the user reads: every rendering leads with the
// Workflow permissions setting and the permission the token lacks.
func TestFromClassifiedClampedError(t *testing.T) {
	t.Parallel()
	env := emulatortest.Setup(t, emulatortest.WithRepo("octo/hello"), emulatortest.WithMode(emulator.ModeClamped))
	srv, client, repo := env.Server, env.Client, env.Repo
	classified := client.Do(t.Context(), "create draft release", repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		_, resp, err := gh.Repositories.CreateRelease(ctx, repo.Owner, repo.Name, github.CreateReleaseRequest{TagName: "t", Draft: new(true)})
		return resp, err
	})
	require.Equal(t, outcome.Clamped, outcome.ClassOf(classified))
	requestID := srv.Requests()[0].RequestID

	r := Report{ProbeTag: "preflight-permcheck-run42-attempt1", Requests: 1}
	FromError(&r, classified)

	assert.Equal(t, OutcomeFailed, r.Outcome)
	assert.Equal(t, "clamped", r.Class)
	assert.Equal(t, "octo/hello", r.Repo)
	assert.Equal(t, "contents=write", r.RequiredPermissions)
	assert.Equal(t, requestID, r.RequestID)

	human := r.Human()
	first, _, _ := strings.Cut(human, "\n")
	for name, got := range map[string]string{
		"human first line": first,
		"error command":    r.WorkflowCommands()[0],
		"markdown":         r.Markdown(),
	} {
		assert.Contains(t, got, "Workflow permissions", name)
		assert.Contains(t, got, "contents=write", name)
	}
	assert.Equal(t, 1, strings.Count(r.WorkflowCommands()[0], `select "Read and write permissions"`),
		"the annotation states each step once")
	assert.Contains(t, human, "request id:           "+requestID)
	assert.Contains(t, human, "permissions: contents: write", "job-level alternative in the steps")
}
