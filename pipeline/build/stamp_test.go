package build

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSHA = "0123456789abcdef0123456789abcdef01234567"

func TestLDFlags(t *testing.T) {
	t.Parallel()
	date := time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)
	tests := []struct {
		name  string
		stamp Stamp
		want  string
	}{
		{"goreleaser default", Stamp{Version: "1.2.3", Commit: testSHA, Date: date},
			"-s -w -X main.version=1.2.3 -X main.commit=" + testSHA + " -X main.date=2023-11-14T22:13:20Z"},
		{"leading v dropped", Stamp{Version: "v1.2.3-rc.1", Commit: "abc", Date: date},
			"-s -w -X main.version=1.2.3-rc.1 -X main.commit=abc -X main.date=2023-11-14T22:13:20Z"},
		{"word starting with v kept", Stamp{Version: "velvet", Commit: "abc", Date: date},
			"-s -w -X main.version=velvet -X main.commit=abc -X main.date=2023-11-14T22:13:20Z"},
		{"empty commit is none", Stamp{Version: "1.0.0", Date: date},
			"-s -w -X main.version=1.0.0 -X main.commit=none -X main.date=2023-11-14T22:13:20Z"},
		{"date written in UTC", Stamp{Version: "1.0.0", Commit: "abc", Date: date.In(time.FixedZone("CET", 3600))},
			"-s -w -X main.version=1.0.0 -X main.commit=abc -X main.date=2023-11-14T22:13:20Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, LDFlags(tt.stamp))
		})
	}
}

func TestNewStamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tag     string
		sde     string
		gitHead string
		want    Stamp
		wantErr string // "" for success
	}{
		{name: "source date epoch without git", tag: "v1.2.3", sde: "1700000000",
			want: Stamp{Version: "1.2.3", Commit: "none", Date: time.Unix(1700000000, 0).UTC()}},
		{name: "epoch zero is valid", tag: "1.0.0", sde: "0",
			want: Stamp{Version: "1.0.0", Commit: "none", Date: time.Unix(0, 0).UTC()}},
		{name: "git commit time", tag: "v2.0.0", gitHead: testSHA + " 1600000000\n",
			want: Stamp{Version: "2.0.0", Commit: testSHA, Date: time.Unix(1600000000, 0).UTC()}},
		{name: "source date epoch beats commit time", tag: "v2.0.0", sde: "1700000000", gitHead: testSHA + " 1600000000",
			want: Stamp{Version: "2.0.0", Commit: testSHA, Date: time.Unix(1700000000, 0).UTC()}},
		{name: "sha256 repository", tag: "v1.0.0", gitHead: strings.Repeat("ab", 32) + " 1",
			want: Stamp{Version: "1.0.0", Commit: strings.Repeat("ab", 32), Date: time.Unix(1, 0).UTC()}},
		{name: "upper-case sha lowered", tag: "v1.0.0", gitHead: strings.ToUpper(testSHA) + " 1",
			want: Stamp{Version: "1.0.0", Commit: testSHA, Date: time.Unix(1, 0).UTC()}},
		{name: "neither date source", tag: "v1.2.3", wantErr: "set SOURCE_DATE_EPOCH or build from a git checkout"},
		{name: "no tag", sde: "1", wantErr: "no tag given"},
		{name: "tag with space", tag: "v1 2", sde: "1", wantErr: `tag "v1 2" cannot be a version`},
		{name: "tag with slash", tag: "release/v1", sde: "1", wantErr: "use letters, digits and . - _ + only"},
		{name: "bare v", tag: "v", sde: "1", want: Stamp{Version: "v", Commit: "none", Date: time.Unix(1, 0).UTC()}},
		{name: "epoch not a number", tag: "v1", sde: "yesterday", wantErr: `SOURCE_DATE_EPOCH="yesterday" is not a number`},
		{name: "epoch negative", tag: "v1", sde: "-1", wantErr: "is not a number of seconds"},
		{name: "epoch fraction", tag: "v1", sde: "1.5", wantErr: "is not a number of seconds"},
		{name: "epoch with space", tag: "v1", sde: " 1", wantErr: "is not a number of seconds"},
		{name: "epoch overflows int64", tag: "v1", sde: "99999999999999999999", wantErr: "is out of range"},
		{name: "epoch after year 9999", tag: "v1", sde: "253402300800", wantErr: "is out of range"},
		{name: "garbled git output", tag: "v1", gitHead: "fatal: oops", wantErr: "unexpected `git log -1 --format=%H %ct` output"},
		{name: "short sha", tag: "v1", gitHead: "abc123 1", wantErr: "unexpected `git log"},
		{name: "bad commit time", tag: "v1", gitHead: testSHA + " soon", wantErr: `unexpected commit time "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := NewStamp(tt.tag, tt.sde, tt.gitHead)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidInput)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// gitRepo makes a repository in a new directory with one commit at the given
// Unix time, isolated from the user's git configuration, and returns the
// directory and the commit SHA.
func gitRepo(t *testing.T, commitTime int64) (string, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	date := time.Unix(commitTime, 0).UTC().Format(time.RFC3339)
	env := append(os.Environ(),
		"GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_COMMITTER_DATE="+date,
	)
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "main.go"},
		{"commit", "-q", "-m", "first"},
	} {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	cmd := exec.Command("git", "-C", dir, "rev-parse", "HEAD")
	cmd.Env = env
	out, err := cmd.Output()
	require.NoError(t, err)
	return dir, strings.TrimSpace(string(out))
}

func TestResolveStamp(t *testing.T) {
	t.Parallel()
	const commitTime = 1600000000
	repo, sha := gitRepo(t, commitTime)
	plain := t.TempDir() // a temporary directory is not inside a repository

	tests := []struct {
		name    string
		dir     string
		tag     string
		sde     string
		want    Stamp
		wantErr string
	}{
		{name: "git commit time and sha", dir: repo, tag: "v1.2.3",
			want: Stamp{Version: "1.2.3", Commit: sha, Date: time.Unix(commitTime, 0).UTC()}},
		{name: "source date epoch with git", dir: repo, tag: "v1.2.3", sde: "1700000000",
			want: Stamp{Version: "1.2.3", Commit: sha, Date: time.Unix(1700000000, 0).UTC()}},
		{name: "source date epoch without git", dir: plain, tag: "v0.1.0", sde: "1700000000",
			want: Stamp{Version: "0.1.0", Commit: "none", Date: time.Unix(1700000000, 0).UTC()}},
		{name: "neither", dir: plain, tag: "v0.1.0",
			wantErr: "no build date for v0.1.0: set SOURCE_DATE_EPOCH or build from a git checkout"},
		{name: "bad source date epoch", dir: repo, tag: "v1", sde: "now", wantErr: `SOURCE_DATE_EPOCH="now"`},
		{name: "missing directory", dir: filepath.Join(plain, "nope"), tag: "v1", sde: "1", wantErr: "pass an existing directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := func(k string) string {
				if k == "SOURCE_DATE_EPOCH" {
					return tt.sde
				}
				return ""
			}
			got, err := ResolveStamp(t.Context(), tt.dir, tt.tag, env)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidInput)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestResolveStampCanceled(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := ResolveStamp(ctx, t.TempDir(), "v1", func(string) string { return "1" })
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
}
