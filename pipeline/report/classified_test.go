package report

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

// From the 403 GitHub sends a clamped GITHUB_TOKEN, through githubapi's
// classification, to what the user reads: every rendering leads with the
// Workflow permissions setting and the permission the token lacks.
func TestFromClassifiedClampedError(t *testing.T) {
	t.Parallel()
	hr := &http.Response{
		StatusCode: http.StatusForbidden,
		Header: http.Header{
			"X-Accepted-Github-Permissions": {"contents=write"},
			"X-Github-Request-Id":           {"C0DE:1F:2A:3B"},
		},
		Request: &http.Request{Method: http.MethodPost},
	}
	ghErr := &github.ErrorResponse{Response: hr, Message: "Resource not accessible by integration"}
	repo, err := githubapi.ParseRepo("octo/hello")
	require.NoError(t, err)
	classified := githubapi.Classify("create draft release", repo, &github.Response{Response: hr}, ghErr)
	require.NotNil(t, classified)
	require.Equal(t, githubapi.ClassClamped, classified.Class)

	r := Report{ProbeTag: "preflight-permcheck-run42-attempt1", Requests: 1}
	FromError(&r, classified)

	assert.Equal(t, OutcomeFailed, r.Outcome)
	assert.Equal(t, "clamped", r.Class)
	assert.Equal(t, "octo/hello", r.Repo)
	assert.Equal(t, "contents=write", r.RequiredPermissions)
	assert.Equal(t, "C0DE:1F:2A:3B", r.RequestID)

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
	assert.Contains(t, human, "request id:           C0DE:1F:2A:3B")
	assert.Contains(t, human, "permissions: contents: write", "job-level alternative in the steps")
}
