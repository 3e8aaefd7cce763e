package release

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"unicode/utf8"

	"github.com/release-preflight/release-preflight/pipeline/audit"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/checks"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/progress"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/regular"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// Request is everything a command is asked, as an adapter receives it: the steps' options,
// filled in directly where an input needs no reading, and the raw inputs that do, as the user
// typed them. Both adapters fill one and call the same entry point ([Probe], [Publish],
// [Release], [Build], [Sweep]); the entry point reads the raw inputs into the options before any
// request, builds the GitHub client, runs the steps and returns the finished report: explained
// for the adapter (which flag or argument passes the input an error is about) and redacted of
// every secret the request holds.
type Request struct {
	// Adapter is who asks: its flags or arguments are what errors name.
	Adapter Adapter

	// GitHub is how to reach GitHub and as whom; its Token is a secret.
	GitHub githubapi.Config

	// Raw inputs, read by the entry point into the options below; one left "" leaves its
	// option as it is.
	Repo            string // OWNER/NAME, required by every command that talks to GitHub
	Prerelease      string // "true", "false" or "auto", into Publish.Prerelease
	Latest          string // "true", "false" or "auto", into Checks.Latest
	ExpectedRunTime string // a Go duration, into Checks.RunTime
	NotesFile       string // a file of release notes, read into Publish.Notes
	OlderThan       string // a Go duration, into Sweep.OlderThan

	// The steps' options. Their Repo, and what the raw inputs say, are set by the entry point.
	Probe   probe.Options
	Checks  checks.Options
	Publish publish.Options
	Build   build.Options
	Sweep   probe.SweepOptions

	// Run is the GitHub Actions run the command runs in (zero outside Actions), and RunFiles the
	// file system its paths are in (the runner's, os.DirFS("/")): when GitHub refuses the token
	// as read-only, the workflow and the event say which cause applies (see audit.Diagnose).
	Run      audit.Env
	RunFiles fs.FS

	// Progress gets the lines a long step prints (a target built, an asset uploaded); nil
	// discards them.
	Progress io.Writer
	// Secrets are values besides the token that nothing printed may contain (an adapter's other
	// tokens in reach, say).
	Secrets []string
}

// read checks the raw inputs of r for command and reads them into its options, without any
// request: every failure is InvalidInput, naming the input. needsRepo says whether the command
// talks to GitHub.
func (r Request) read(needsRepo bool) (Request, error) {
	if needsRepo {
		repo, err := githubapi.ParseRepo(r.Repo)
		if err != nil {
			return r, err
		}
		r.Probe.Repo, r.Publish.Repo, r.Sweep.Repo = repo, repo, repo
	}
	var err error
	if r.Prerelease != "" {
		if r.Publish.Prerelease, err = publish.ParsePrerelease(r.Prerelease); err != nil {
			return r, err
		}
	}
	if r.Latest != "" {
		if r.Checks.Latest, err = checks.ParseLatest(r.Latest); err != nil {
			return r, err
		}
	}
	if r.ExpectedRunTime != "" {
		if r.Checks.RunTime, err = checks.ParseRunTime(r.ExpectedRunTime); err != nil {
			return r, err
		}
	}
	if r.OlderThan != "" {
		if r.Sweep.OlderThan, err = probe.ParseAge(r.OlderThan); err != nil {
			return r, err
		}
	}
	if r.NotesFile != "" {
		if r.Publish.Notes, err = readNotes(r.NotesFile); err != nil {
			return r, err
		}
	}
	if r.Progress != nil {
		// Every secret removed, as Finish removes them from the report: the progress lines
		// name files and targets, which a user may have named anything.
		secrets := r.secrets()
		out := progress.From(r.Progress).Filtered(func(line string) string { return outcome.Redact(line, secrets...) })
		r.Publish.Progress, r.Build.Progress = out, out
	}
	return r, nil
}

// client builds the GitHub client of r.
func (r Request) client() (*githubapi.Client, error) {
	return githubapi.NewClient(r.GitHub)
}

// secrets are the values nothing printed for r may contain.
func (r Request) secrets() []string {
	return append([]string{r.GitHub.Token, r.Checks.OIDC.RequestToken}, r.Secrets...)
}

// Finish is the report of command for r, as an adapter prints it: err recorded (when the steps
// did not record it already), the input it is about explained for r.Adapter, the client's
// warnings added, and every secret of r removed. The entry points return their reports finished;
// an adapter finishes one itself for a failure before it could call one (a flag it could not
// parse).
func (r Request) Finish(rep report.Report, err error, warnings ...string) report.Report {
	rep.Record(err, r.Adapter.how(rep.Command))
	if outcome.ClassOf(err) == outcome.Clamped {
		r.diagnose(&rep, err)
	}
	rep.Warnings = append(rep.Warnings, warnings...)
	return rep.Redact(r.secrets()...)
}

// maxNotes is GitHub's limit on a release's notes, in characters.
const maxNotes = 125000

// readNotes reads the release notes file at path, refusing one longer than maxNotes without
// reading more of it than a body GitHub could take (so a notes file of /dev/zero is refused, not
// read until the memory runs out). It opens only a regular file, and never blocks in the open:
// a symbolic link, a FIFO (which would wait for a writer forever, deaf to --timeout and to
// signals) or a device is refused before any request.
func readNotes(path string) (string, error) {
	// A character takes at most utf8.UTFMax bytes; one byte more says there is more.
	b, more, err := regular.ReadFile(path, utf8.UTFMax*maxNotes)
	switch {
	case errors.Is(err, regular.ErrNotRegular):
		return "", outcome.Invalid("read the release notes", "notes-file", err.Error(),
			"Pass the notes as a regular Markdown file, not a link, a pipe or a device: copy it first if it is made on the fly.")
	case err != nil:
		return "", outcome.Invalid("read the release notes", "notes-file", err.Error(), "Pass a readable Markdown file.")
	case more || utf8.RuneCount(b) > maxNotes:
		return "", outcome.Invalid("read the release notes", "notes-file",
			fmt.Sprintf("%s holds more than %d characters, GitHub's limit for release notes", outcome.Quote(path), maxNotes),
			"Shorten the notes, or link from them to a longer changelog.")
	}
	return string(b), nil
}

// diagnose says in rep, the report of err (GitHub refused the token as read-only), which cause
// applies, when the run's workflow and event tell: the diagnosis becomes the report's fix, in
// place of the list of every cause. Outside GitHub Actions, or without the workflow file, rep
// stays as it is.
func (r Request) diagnose(rep *report.Report, err error) {
	if r.RunFiles == nil {
		return
	}
	d := audit.Diagnose(r.Run, r.RunFiles)
	e, ok := outcome.As(err)
	if d == nil || !ok {
		return
	}
	e.Remediation = d.Fix
	report.FromError(rep, err)
	rep.Diagnosis = d
}
