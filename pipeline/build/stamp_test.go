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

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

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
			assert.Equal(t, tt.want, tt.stamp.LDFlags())
		})
	}
}

func TestNewStamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		tag       string
		commit    string
		sde       string
		gitHead   string
		want      Stamp
		wantInput string // the input an error names; "" for success
		wantErr   string
	}{
		{name: "source date epoch without git", tag: "v1.2.3", sde: "1700000000",
			want: Stamp{Version: "1.2.3", Commit: "none", Date: time.Unix(1700000000, 0).UTC()}},
		{name: "epoch zero is valid", tag: "1.0.0", sde: "0",
			want: Stamp{Version: "1.0.0", Commit: "none", Date: time.Unix(0, 0).UTC()}},
		{name: "git commit time", tag: "v2.0.0", gitHead: testSHA + " 1600000000\n",
			want: Stamp{Version: "2.0.0", Commit: testSHA, Date: time.Unix(1600000000, 0).UTC()}},
		{name: "source date epoch beats commit time", tag: "v2.0.0", sde: "1700000000", gitHead: testSHA + " 1600000000",
			want: Stamp{Version: "2.0.0", Commit: testSHA, Date: time.Unix(1700000000, 0).UTC()}},
		{name: "commit given beats git's", tag: "v2.0.0", commit: "feedface", gitHead: testSHA + " 1600000000",
			want: Stamp{Version: "2.0.0", Commit: "feedface", Date: time.Unix(1600000000, 0).UTC()}},
		{name: "commit and date without git", tag: "v2.0.0", commit: testSHA, sde: "5",
			want: Stamp{Version: "2.0.0", Commit: testSHA, Date: time.Unix(5, 0).UTC()}},
		{name: "sha256 repository", tag: "v1.0.0", gitHead: strings.Repeat("ab", 32) + " 1",
			want: Stamp{Version: "1.0.0", Commit: strings.Repeat("ab", 32), Date: time.Unix(1, 0).UTC()}},
		{name: "upper-case sha lowered", tag: "v1.0.0", gitHead: strings.ToUpper(testSHA) + " 1",
			want: Stamp{Version: "1.0.0", Commit: testSHA, Date: time.Unix(1, 0).UTC()}},
		{name: "neither date source", tag: "v1.2.3", commit: testSHA, wantInput: "source-date-epoch",
			wantErr: "no build time for v1.2.3: the source has no git metadata here: Pass the build time as Unix seconds"},
		{name: "no tag", sde: "1", wantInput: "version", wantErr: "no version given"},
		{name: "tag with space", tag: "v1 2", sde: "1", wantInput: "version", wantErr: `version "v1 2" cannot go into an archive name`},
		{name: "tag with slash", tag: "release/v1", sde: "1", wantInput: "version", wantErr: "letters, digits and . - _ + only"},
		{name: "bare v", tag: "v", sde: "1", want: Stamp{Version: "v", Commit: "none", Date: time.Unix(1, 0).UTC()}},
		{name: "commit with space", tag: "v1", commit: "a b", sde: "1", wantInput: "commit", wantErr: `commit "a b" cannot go into the linker flags`},
		{name: "epoch not a number", tag: "v1", sde: "yesterday", wantInput: "source-date-epoch", wantErr: `SOURCE_DATE_EPOCH "yesterday" is not a number`},
		{name: "epoch negative", tag: "v1", sde: "-1", wantInput: "source-date-epoch", wantErr: "is not a number of seconds"},
		{name: "epoch fraction", tag: "v1", sde: "1.5", wantInput: "source-date-epoch", wantErr: "is not a number of seconds"},
		{name: "epoch with space", tag: "v1", sde: " 1", wantInput: "source-date-epoch", wantErr: "is not a number of seconds"},
		{name: "epoch overflows int64", tag: "v1", sde: "99999999999999999999", wantInput: "source-date-epoch", wantErr: "is out of range"},
		{name: "epoch after year 9999", tag: "v1", sde: "253402300800", wantInput: "source-date-epoch", wantErr: "is out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := NewStamp(tt.tag, tt.commit, tt.sde, tt.gitHead)
			if tt.wantErr != "" {
				require.Error(t, err)
				e, ok := outcome.As(err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, outcome.InvalidInput, e.Class)
				assert.Equal(t, tt.wantInput, e.Input)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// Output that is not what `git log -1 --format=%H %ct` prints is git failing, not the user.
func TestNewStampGarbledGit(t *testing.T) {
	t.Parallel()
	for _, head := range []string{"fatal: oops", "abc123 1", testSHA + " soon"} {
		_, err := NewStamp("v1", "", "", head)
		require.Error(t, err, head)
		assert.Equal(t, outcome.Unexpected, outcome.ClassOf(err), head)
		assert.Contains(t, err.Error(), "unexpected `git log -1 --format=%H %ct` output", head)
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
	broken, _ := gitRepo(t, commitTime)
	objects, err := filepath.Glob(filepath.Join(broken, ".git", "objects", "??"))
	require.NoError(t, err)
	for _, o := range objects {
		require.NoError(t, os.RemoveAll(o)) // git log now fails: "fatal: bad object HEAD"
	}

	tests := []struct {
		name    string
		dir     string
		commit  string
		sde     string
		want    Stamp
		wantErr string
	}{
		{name: "git commit time and sha", dir: repo,
			want: Stamp{Version: "1.2.3", Commit: sha, Date: time.Unix(commitTime, 0).UTC()}},
		{name: "source date epoch with git", dir: repo, sde: "1700000000",
			want: Stamp{Version: "1.2.3", Commit: sha, Date: time.Unix(1700000000, 0).UTC()}},
		{name: "source date epoch without git", dir: plain, sde: "1700000000",
			want: Stamp{Version: "1.2.3", Commit: "none", Date: time.Unix(1700000000, 0).UTC()}},
		{name: "commit and date given: git is not read", dir: broken, commit: testSHA, sde: "7",
			want: Stamp{Version: "1.2.3", Commit: testSHA, Date: time.Unix(7, 0).UTC()}},
		{name: "a broken checkout is read when a date is missing", dir: broken, commit: testSHA,
			wantErr: "read the HEAD commit: git log: fatal: bad object HEAD"},
		{name: "neither", dir: plain,
			wantErr: "no build time for v1.2.3: the source has no git metadata here"},
		{name: "bad source date epoch", dir: repo, sde: "now", wantErr: `SOURCE_DATE_EPOCH "now"`},
		{name: "missing directory", dir: filepath.Join(plain, "nope"), sde: "1", wantErr: "cannot read the source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ResolveStamp(t.Context(), tt.dir, "v1.2.3", tt.commit, tt.sde)
			if tt.wantErr != "" {
				require.Error(t, err)
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
	_, err := ResolveStamp(ctx, t.TempDir(), "v1", "", "1")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
}
