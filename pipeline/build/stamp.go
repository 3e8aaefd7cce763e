package build

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// Stamp is what a build writes into main.version, main.commit and main.date.
type Stamp struct {
	Version string    // version without the leading v, e.g. "1.2.3"
	Commit  string    // full commit SHA, or "none" outside a git checkout
	Date    time.Time // build date: SOURCE_DATE_EPOCH or the commit time, never the clock
}

// NoCommit is main.commit when the source is not a git checkout (GoReleaser's default).
const NoCommit = "none"

// maxSourceDateEpoch is 9999-12-31T23:59:59Z, the last instant RFC 3339 can write.
const maxSourceDateEpoch = 253402300799

// LDFlags returns GoReleaser's default linker flags for s:
//
//	-s -w -X main.version=1.2.3 -X main.commit=<sha> -X main.date=2023-11-14T22:13:20Z
//
// The version loses a leading "v" and the date is written in UTC; an empty commit is written
// as "none".
func (s Stamp) LDFlags() string {
	return fmt.Sprintf("-s -w -X main.version=%s -X main.commit=%s -X main.date=%s",
		trimV(s.Version), cmp.Or(s.Commit, NoCommit), s.Date.UTC().Format(time.RFC3339))
}

// ResolveStamp works out the stamp of a build of srcDir at version (a tag such as v1.2.3): the
// commit is commit when given, else HEAD's SHA, else "none"; the date is sourceDateEpoch (Unix
// seconds, as SOURCE_DATE_EPOCH) when given, else HEAD's commit time. HEAD is read with `git -C
// srcDir log -1 --format=%H %ct`, and only when commit or date is missing. The clock is never
// used: a source without git metadata needs sourceDateEpoch, and the error says so.
func ResolveStamp(ctx context.Context, srcDir, version, commit, sourceDateEpoch string) (Stamp, error) {
	if err := checkSource(srcDir); err != nil {
		return Stamp{}, err
	}
	head := ""
	if commit == "" || sourceDateEpoch == "" {
		var err error
		if head, err = gitHead(ctx, srcDir); err != nil {
			return Stamp{}, err
		}
	}
	return NewStamp(version, commit, sourceDateEpoch, head)
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
			return "", fmt.Errorf("read the HEAD commit in %s: %w", dir, ctxErr)
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
		return "", &outcome.Error{Class: outcome.Unexpected, Op: "read the HEAD commit", Message: "git log: " + msg,
			Remediation: "Fix the git error, or pass the commit and the source date epoch so that git is not read."}
	}
	return strings.TrimSpace(stdout.String()), nil
}

// NewStamp builds a stamp from a version (a tag such as v1.2.3), a commit ("" to take git's),
// a SOURCE_DATE_EPOCH value ("" to take the commit time) and the output of `git log -1
// --format=%H %ct` ("" without git). It is [ResolveStamp] without the I/O.
func NewStamp(version, commit, sourceDateEpoch, gitHead string) (Stamp, error) {
	v, err := versionFromTag(version)
	if err != nil {
		return Stamp{}, err
	}
	s := Stamp{Version: v, Commit: NoCommit}
	if gitHead != "" {
		if s.Commit, s.Date, err = parseGitHead(gitHead); err != nil {
			return Stamp{}, err
		}
	}
	if commit != "" {
		if !validToken(commit) {
			return Stamp{}, invalid("commit", "Pass the commit's SHA, such as the output of `git rev-parse HEAD`.",
				"commit %s cannot go into the linker flags", outcome.Quote(commit))
		}
		s.Commit = commit
	}
	if sourceDateEpoch != "" {
		if s.Date, err = parseSourceDateEpoch(sourceDateEpoch); err != nil {
			return Stamp{}, err
		}
	}
	if s.Date.IsZero() {
		return Stamp{}, invalid("source-date-epoch",
			"Pass the build time as Unix seconds, such as the output of `git log -1 --format=%ct` run in a checkout, and the commit; the build never uses the clock.",
			"no build time for %s: the source has no git metadata here", version)
	}
	return s, nil
}

// versionFromTag drops a leading "v" and checks the rest can go into an
// archive name and an -X flag.
func versionFromTag(tag string) (string, error) {
	if tag == "" {
		return "", invalid("version", "Pass the version, such as v1.2.3.", "no version given")
	}
	version := trimV(tag)
	if !validToken(version) {
		return "", invalid("version", "Pass a version such as v1.2.3: letters, digits and . - _ + only.",
			"version %s cannot go into an archive name or the linker flags", outcome.Quote(tag))
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

const sourceDateEpochFix = "Pass Unix seconds, such as the output of `git log -1 --format=%ct`."

// parseSourceDateEpoch parses SOURCE_DATE_EPOCH as the reproducible-builds
// specification defines it: decimal digits, seconds since the Unix epoch.
func parseSourceDateEpoch(v string) (time.Time, error) {
	for _, r := range v {
		if r < '0' || r > '9' {
			return time.Time{}, invalid("source-date-epoch", sourceDateEpochFix, "SOURCE_DATE_EPOCH %s is not a number of seconds", outcome.Quote(v))
		}
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil || sec > maxSourceDateEpoch {
		return time.Time{}, invalid("source-date-epoch", sourceDateEpochFix, "SOURCE_DATE_EPOCH %s is out of range", outcome.Quote(v))
	}
	return time.Unix(sec, 0).UTC(), nil
}

// parseGitHead parses "<sha> <unix seconds>".
func parseGitHead(out string) (string, time.Time, error) {
	fields := strings.Fields(out)
	if len(fields) != 2 || !isHex(fields[0]) || (len(fields[0]) != 40 && len(fields[0]) != 64) {
		return "", time.Time{}, gitOutputError(out)
	}
	sec, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil || sec < 0 || sec > maxSourceDateEpoch {
		return "", time.Time{}, gitOutputError(out)
	}
	return strings.ToLower(fields[0]), time.Unix(sec, 0).UTC(), nil
}

func gitOutputError(out string) error {
	return &outcome.Error{Class: outcome.Unexpected, Op: "read the HEAD commit",
		Message:     fmt.Sprintf("unexpected `git log -1 --format=%%H %%ct` output %q", out),
		Remediation: "Check the source's git checkout, or pass the commit and the source date epoch so that git is not read."}
}

func isHex(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') && (r < 'A' || r > 'F') {
			return false
		}
	}
	return s != ""
}
