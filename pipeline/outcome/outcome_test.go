package outcome_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
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
		{outcome.PermissionsMissing, 3, false, false},
		{outcome.RateLimited, 4, true, false},
		{outcome.ServerError, 4, true, false},
		{outcome.NetworkError, 4, true, false},
		{outcome.UntrustedCertificate, 1, false, false},
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
		{
			name: "a long message is cut",
			err:  &outcome.Error{Class: outcome.Unexpected, Op: "create draft release", Status: 422, Message: strings.Repeat("é", 2000), Remediation: "Re-run."},
			want: "create draft release: 422 " + strings.Repeat("é", outcome.MaxMessage/2) + "…: Re-run",
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

func TestQuote(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", outcome.MaxQuoted+50)
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "octo/hello", want: `"octo/hello"`},
		{name: "control characters are escaped", in: "v1\n2", want: `"v1\n2"`},
		{name: "classic token", in: "ghp_0123456789abcdefABCDEF0123456789abcd", want: `"ghp_[REDACTED]"`},
		{name: "fine-grained token inside other text", in: "octo/github_pat_11ABCDEFG0123456789_abcdefXYZ", want: `"octo/github_pat_[REDACTED]"`},
		{name: "every prefix", in: "gho_a ghu_b ghs_c ghr_d", want: `"gho_[REDACTED] ghu_[REDACTED] ghs_[REDACTED] ghr_[REDACTED]"`},
		{name: "a prefix alone is no token", in: "ghp_", want: `"ghp_"`},
		{name: "long input is cut after the quote", in: long, want: `"` + long[:outcome.MaxQuoted] + `"…`},
		{name: "never inside a character", in: strings.Repeat("é", outcome.MaxQuoted), want: `"` + strings.Repeat("é", outcome.MaxQuoted/2) + `"…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, outcome.Quote(tt.in))
		})
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	const token = "ghs_abcdefghijklmnopqrstuvwxyz0123456789"
	tests := []struct {
		name    string
		in      string
		secrets []string
		want    string
	}{
		{name: "the token", in: "echo " + token + " done", secrets: []string{token}, want: "echo [REDACTED] done"},
		{name: "the token without its prefix", in: "echo abcdefghijklmnopqrstuvwxyz0123456789.", secrets: []string{token}, want: "echo [REDACTED]."},
		{name: "another token-shaped value", in: "was ghp_zzzzzzzzzzzz", secrets: []string{token}, want: "was ghp_[REDACTED]"},
		{name: "a token without a known prefix", in: "Bearer 0123456789abcdef0123", secrets: []string{"0123456789abcdef0123"}, want: "Bearer [REDACTED]"},
		{name: "a short rest is not a form", in: "ghs_abcdef, abcdef", secrets: []string{"ghs_abcdef"}, want: "[REDACTED], abcdef"},
		{name: "a secret too short to be a token leaves the text alone", in: "a clamped token", secrets: []string{"c"}, want: "a clamped token"},
		{name: "empty secrets change nothing", in: "plain text", secrets: []string{"", "  "}, want: "plain text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, outcome.Redact(tt.in, tt.secrets...))
		})
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "abc", outcome.Truncate("abc", 3))
	assert.Equal(t, "ab…", outcome.Truncate("abc", 2))
	assert.Equal(t, "…", outcome.Truncate("é", 1), "never half a character")
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "octo/hello", "ghp_x", "github_pat_" + strings.Repeat("A", 300), "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := outcome.Quote(s)
		require.NotRegexp(t, `(github_pat_|gh[pousr]_)[A-Za-z0-9_]`, q, "a token-shaped value survived")
		require.LessOrEqual(t, len(q), 4*outcome.MaxQuoted+len(`""…`), "quoting is bounded")
	})
}

// Classes lists every class declared in outcome.go but OK, each once: a class added without
// its entry (and so without its row in the README's tables, which a test of the CLI holds to
// Classes) fails here.
func TestClassesListsEachClassOnce(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("outcome.go")
	require.NoError(t, err)
	var declared []string
	for _, m := range regexp.MustCompile(`(?m)^\s+[A-Z][A-Za-z]*\s+Class = "([a-z-]+)"`).FindAllSubmatch(src, -1) {
		if c := string(m[1]); c != string(outcome.OK) {
			declared = append(declared, c)
		}
	}
	require.Contains(t, declared, string(outcome.Unexpected), "the scan finds the classes")
	var listed []string
	for _, c := range outcome.Classes {
		listed = append(listed, string(c))
	}
	assert.ElementsMatch(t, declared, listed)
}
