package outcome_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

func TestClassExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		class     outcome.Class
		exit      int
		transient bool
		policy    bool
	}{
		{outcome.OK, 0, false, false},
		{outcome.InvalidInput, 2, false, false},
		{outcome.Clamped, 3, false, false},
		{outcome.PATPermission, 3, false, false},
		{outcome.SSORequired, 3, false, false},
		{outcome.BadCredentials, 3, false, false},
		{outcome.NoAccess, 3, false, false},
		{outcome.RateLimited, 4, true, false},
		{outcome.ServerError, 4, true, false},
		{outcome.NetworkError, 4, true, false},
		{outcome.ReleaseImmutable, 3, false, true},
		{outcome.TagProtected, 3, false, true},
		{outcome.AssetLimit, 3, false, true},
		{outcome.OIDCMissing, 3, false, true},
		{outcome.AttestationsUnavailable, 3, false, true},
		{outcome.Conflict, 1, false, false},
		{outcome.TagConflict, 1, false, false},
		{outcome.BuildFailed, 1, false, false},
		{outcome.Unexpected, 1, false, false},
		{outcome.Class("something-new"), 1, false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.class), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.exit, tt.class.ExitCode())
			assert.Equal(t, tt.transient, tt.class.Transient())
			assert.Equal(t, tt.policy, tt.class.Policy())
			assert.Equal(t, tt.exit == 3 && !tt.policy, tt.class.Permission())
			assert.False(t, tt.class.Policy() && tt.class.Permission(), "a class is a policy or a permission problem, not both")
		})
	}
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *outcome.Error
		want string
	}{
		{
			name: "GitHub refusal with permissions and a fix of two sentences",
			err: &outcome.Error{Class: outcome.Clamped, Op: "create draft release", Repo: "o/r", Status: 403,
				Message: "Resource not accessible by integration", RequiredPermissions: "contents=write",
				Remediation: "Flip the toggle. Then re-run."},
			want: "create draft release in o/r: 403 Resource not accessible by integration (token needs contents=write): Flip the toggle",
		},
		{
			name: "permissions are named only when the token is the problem",
			err: &outcome.Error{Class: outcome.ServerError, Op: "upload x", Status: 502, RequiredPermissions: "contents=write",
				Remediation: "Re-run later."},
			want: "upload x: 502 Bad Gateway: Re-run later",
		},
		{
			name: "retries are counted",
			err:  &outcome.Error{Class: outcome.NetworkError, Op: "list releases", Message: "connection reset", Attempts: 4},
			want: "list releases: connection reset (after 4 attempts)",
		},
		{
			name: "the adapter's way to pass the input follows the fix",
			err: &outcome.Error{Class: outcome.InvalidInput, Op: "check the tag", Message: `tag "a b" contains spaces`,
				Remediation: "Pass a tag such as v1.2.3.", Input: "tag", How: "--tag"},
			want: `check the tag: tag "a b" contains spaces: Pass a tag such as v1.2.3 (--tag)`,
		},
		{
			name: "no message falls back to the wrapped error",
			err:  &outcome.Error{Op: "read release files", Err: errors.New("permission denied")},
			want: "read release files: permission denied",
		},
		{
			name: "compiler output stays out of the one-line text",
			err: &outcome.Error{Class: outcome.BuildFailed, Op: "go build of hello for linux/amd64", Message: "exit status 1",
				Output: "./main.go:3: undefined: x", Remediation: "Fix the errors in the output and build again."},
			want: "go build of hello for linux/amd64: exit status 1: Fix the errors in the output and build again",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}
}

func TestClassOf(t *testing.T) {
	t.Parallel()
	own := &outcome.Error{Class: outcome.Conflict}
	assert.Equal(t, outcome.OK, outcome.ClassOf(nil))
	assert.Equal(t, outcome.Conflict, outcome.ClassOf(fmt.Errorf("publish: %w", own)))
	assert.Equal(t, outcome.NetworkError, outcome.ClassOf(fmt.Errorf("x: %w", context.DeadlineExceeded)))
	assert.Equal(t, outcome.Unexpected, outcome.ClassOf(context.Canceled))
	assert.Equal(t, outcome.Unexpected, outcome.ClassOf(errors.New("disk full")))
}

func TestExplain(t *testing.T) {
	t.Parallel()
	flags := func(input string) string { return map[string]string{"tag": "--tag"}[input] }
	err := fmt.Errorf("release: %w", outcome.Invalid("check the tag", "tag", "no tag was given", "Pass a tag such as v1.2.3."))
	explained := outcome.Explain(err, flags)
	assert.Equal(t, "release: check the tag: no tag was given: Pass a tag such as v1.2.3 (--tag)", explained.Error())
	e, ok := outcome.As(explained)
	require.True(t, ok, "the chain still holds the *outcome.Error")
	assert.Equal(t, "--tag", e.How)

	unknown := outcome.Invalid("check", "other", "bad", "Fix it.")
	outcome.Explain(unknown, flags)
	assert.Equal(t, "check: bad: Fix it", unknown.Error(), "an input the adapter does not know is left alone")

	plain := errors.New("plain")
	assert.Same(t, plain, outcome.Explain(plain, flags))
}

func TestSentences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{in: "", want: nil},
		{in: "One. Two.", want: []string{"One.", "Two."}},
		{in: "Use e.g. this. `cmd` runs it.", want: []string{"Use e.g. this.", "`cmd` runs it."}},
		{in: "- first\n* second. Third", want: []string{"first", "second.", "Third"}},
		{in: "Open https://github.com/orgs/o/sso. Then retry.", want: []string{"Open https://github.com/orgs/o/sso.", "Then retry."}},
		{in: "- first\n* second\n\n  third line. Fourth.", want: []string{"first", "second", "third line.", "Fourth."}},
		{in: "version 1.2. then lower", want: []string{"version 1.2. then lower"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, outcome.Sentences(tt.in))
		})
	}
	assert.Equal(t, "One", outcome.FirstSentence("One. Two."))
	assert.Equal(t, "", outcome.FirstSentence(" "))
}
