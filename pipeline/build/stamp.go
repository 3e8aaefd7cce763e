package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Stamp is what a build writes into main.version, main.commit and main.date.
type Stamp struct {
	Version string    // version without the leading v, e.g. "1.2.3"
	Commit  string    // full commit SHA, or "none" outside a git checkout
	Date    time.Time // build date: SOURCE_DATE_EPOCH or the commit time, never the clock
}

// noCommit is main.commit when the source is not a git checkout (GoReleaser's default).
const noCommit = "none"

// maxSourceDateEpoch is 9999-12-31T23:59:59Z, the last instant RFC 3339 can write.
const maxSourceDateEpoch = 253402300799

// LDFlags returns GoReleaser's default linker flags for s:
//
//	-s -w -X main.version=1.2.3 -X main.commit=<sha> -X main.date=2023-11-14T22:13:20Z
//
// The version loses a leading "v" and the date is written in UTC; an empty
// commit is written as "none".
func LDFlags(s Stamp) string {
	commit := s.Commit
	if commit == "" {
		commit = noCommit
	}
	return fmt.Sprintf("-s -w -X main.version=%s -X main.commit=%s -X main.date=%s",
		trimV(s.Version), commit, s.Date.UTC().Format(time.RFC3339))
}

// ResolveStamp reads the stamp for a build of srcDir at tag: the version is
// the tag without its leading v; the date is SOURCE_DATE_EPOCH when env
// returns one, else the time of the HEAD commit; the commit is HEAD's SHA,
// or "none" when git or a repository is missing. HEAD is read with
// `git -C srcDir log -1 --format=%H %ct`. The clock is never used: without
// SOURCE_DATE_EPOCH and git the error says to set one. env defaults to
// [os.Getenv]. Input errors match [ErrInvalidInput].
func ResolveStamp(ctx context.Context, srcDir, tag string, env func(string) string) (Stamp, error) {
	if env == nil {
		env = os.Getenv
	}
	info, err := os.Stat(srcDir)
	if err != nil {
		return Stamp{}, invalidf("read source directory: %w: pass an existing directory", err)
	}
	if !info.IsDir() {
		return Stamp{}, invalidf("source %s is not a directory: pass the directory holding go.mod", srcDir)
	}
	head, err := gitHead(ctx, srcDir)
	if err != nil {
		return Stamp{}, err
	}
	return NewStamp(tag, env("SOURCE_DATE_EPOCH"), head)
}

// gitHead returns the output of `git log -1 --format=%H %ct` in dir, or ""
// when git is not installed or dir is not in a repository with commits.
func gitHead(ctx context.Context, dir string) (string, error) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		// No git means no commit metadata, not a failure.
		return "", nil
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, gitBin, "-C", dir, "log", "-1", "--format=%H %ct")
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANGUAGE=C", "GIT_OPTIONAL_LOCKS=0")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return "", fmt.Errorf("read HEAD commit in %s: %w", dir, ctxErr)
		}
		msg := strings.TrimSpace(stderr.String())
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && (strings.Contains(msg, "not a git repository") ||
			strings.Contains(msg, "does not have any commits")) {
			return "", nil
		}
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("read HEAD commit in %s: git log: %s: fix the git error, or build from a copy without .git and set SOURCE_DATE_EPOCH", dir, msg)
	}
	return strings.TrimSpace(stdout.String()), nil
}

// NewStamp builds a stamp from a tag, a SOURCE_DATE_EPOCH value ("" when
// unset) and the output of `git log -1 --format=%H %ct` ("" without git).
// It is [ResolveStamp] without the I/O, for adapters that run git elsewhere
// (in a container, say). Errors match [ErrInvalidInput].
func NewStamp(tag, sourceDateEpoch, gitHead string) (Stamp, error) {
	version, err := versionFromTag(tag)
	if err != nil {
		return Stamp{}, err
	}
	s := Stamp{Version: version, Commit: noCommit}
	if gitHead != "" {
		commit, when, err := parseGitHead(gitHead)
		if err != nil {
			return Stamp{}, err
		}
		s.Commit, s.Date = commit, when
	}
	if sourceDateEpoch != "" {
		if s.Date, err = parseSourceDateEpoch(sourceDateEpoch); err != nil {
			return Stamp{}, err
		}
	}
	if s.Date.IsZero() {
		return Stamp{}, invalidf("no build date for %s: set SOURCE_DATE_EPOCH or build from a git checkout", tag)
	}
	return s, nil
}

// versionFromTag drops a leading "v" and checks the rest can go into an
// archive name and an -X flag.
func versionFromTag(tag string) (string, error) {
	if tag == "" {
		return "", invalidf("no tag given: pass the release tag, e.g. v1.2.3")
	}
	version := trimV(tag)
	if !validToken(version) {
		return "", invalidf("tag %q cannot be a version: use letters, digits and . - _ + only, e.g. v1.2.3", tag)
	}
	return version, nil
}

// trimV drops the "v" of "v1.2.3" but keeps words such as "velvet".
func trimV(s string) string {
	if len(s) > 1 && s[0] == 'v' && s[1] >= '0' && s[1] <= '9' {
		return s[1:]
	}
	return s
}

// validToken reports whether s is non-empty and made of characters that are
// safe in file names and unquoted -X linker flags.
func validToken(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '.' || r == '-' || r == '_' || r == '+':
		default:
			return false
		}
	}
	return true
}

// parseSourceDateEpoch parses SOURCE_DATE_EPOCH as the reproducible-builds
// specification defines it: decimal digits, seconds since the Unix epoch.
func parseSourceDateEpoch(v string) (time.Time, error) {
	for _, r := range v {
		if r < '0' || r > '9' {
			return time.Time{}, invalidf("SOURCE_DATE_EPOCH=%q is not a number of seconds: set it to a Unix time such as $(git log -1 --format=%%ct)", v)
		}
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil || sec > maxSourceDateEpoch {
		return time.Time{}, invalidf("SOURCE_DATE_EPOCH=%q is out of range: set it to a Unix time such as $(git log -1 --format=%%ct)", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// parseGitHead parses "<sha> <unix seconds>".
func parseGitHead(out string) (string, time.Time, error) {
	fields := strings.Fields(out)
	if len(fields) != 2 || !isHex(fields[0]) || (len(fields[0]) != 40 && len(fields[0]) != 64) {
		return "", time.Time{}, invalidf("unexpected `git log -1 --format=%%H %%ct` output %q: pass the output of that command, or \"\" outside git", out)
	}
	sec, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil || sec < 0 || sec > maxSourceDateEpoch {
		return "", time.Time{}, invalidf("unexpected commit time %q in git output: pass the output of `git log -1 --format=%%H %%ct`", fields[1])
	}
	return strings.ToLower(fields[0]), time.Unix(sec, 0).UTC(), nil
}

func isHex(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') && (r < 'A' || r > 'F') {
			return false
		}
	}
	return s != ""
}
