package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// A commandDoc is what the help says of a subcommand.
type commandDoc struct {
	name     string
	synopsis string // the flags after the name, as the usage line shows them
	summary  string // what it does, one sentence
}

// commandDocs are the subcommands in the order --help lists them.
var commandDocs = []commandDoc{
	{"probe", "--repo OWNER/NAME [--tag TAG] [--assets DIR] [--commit SHA] [--target REF] [--replace-assets] [check flags] [probe flags] [GitHub flags] [--json]",
		"Check that the token can publish a release (a draft release created and deleted at once), then run the preflight checks it has the input for."},
	{"release", "--repo OWNER/NAME --tag TAG [--source DIR] [--out DIR] [build flags] [publish flags] [check flags] [probe flags] [GitHub flags] [--json]",
		"Check the input, run the probe and every preflight check, and only then build the Go project and publish its archives as the release for the tag."},
	{"publish", "--repo OWNER/NAME --tag TAG [--assets DIR] [--commit SHA] [publish flags] [check flags] [probe flags] [GitHub flags] [--json]",
		"Check the input, run the probe and the preflight checks, then publish the files of --assets (without it, the draft for the tag as it stands) as the release."},
	{"build", "--out DIR [--source DIR] [--version VERSION] [build flags] [--json]",
		"Cross-compile the Go project for every platform, in parallel, and write its archives and SHA256SUMS to --out; it needs no token."},
	{"sweep", "--repo OWNER/NAME [--older-than DURATION] [--dry-run] [GitHub flags] [--json]",
		"Delete the probe's leftover draft releases older than --older-than; it touches nothing else."},
	{"demo", "[--platforms LIST] [--json]",
		"Run the probe and a release against the built-in GitHub emulator, first with a token clamped to read-only, then with one that can write."},
	{"audit", "[--source DIR] [--json]",
		"Read the workflows in .github/workflows and say, down to the line, which job's GITHUB_TOKEN lacks a permission its steps need."},
}

// flagGroups are the groups of flags the synopses name, with their flags.
var flagGroups = []struct{ name, flags string }{
	{"Build flags", "--platforms LIST, --packages LIST, --name NAME, --ldflags FLAGS, --commit SHA, --source-date-epoch SECONDS"},
	{"Publish flags", "--draft, --prerelease true|false|auto, --notes TEXT, --notes-file FILE, --generate-notes, --target REF, --replace-assets, --concurrency N"},
	{"Check flags", "--attestations, --latest true|false|auto, --expected-run-time DURATION"},
	{"Probe flags", "--run-id ID, --run-attempt N (they name the probe's draft)"},
	{"GitHub flags", "--api-url URL, --upload-url URL, --token-env NAME, --timeout DURATION, --allow-insecure-http"},
}

// synopsisLine is the usage line of d, its name padded so that the lines of all commands
// align, wrapped to helpWidth after indent columns (a bracketed group is never split).
func (d commandDoc) synopsisLine(indent int) string {
	head := fmt.Sprintf("release-preflight %-7s ", d.name)
	return head + wrapTokens(synopsisTokens(d.synopsis), indent+len(head), helpWidth)
}

// synopsisTokens splits a synopsis at the spaces outside brackets.
func synopsisTokens(s string) []string {
	var tokens []string
	depth, start := 0, 0
	for i, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case r == ' ' && depth == 0:
			tokens = append(tokens, s[start:i])
			start = i + 1
		}
	}
	return append(tokens, s[start:])
}

func docOf(name string) commandDoc {
	for _, d := range commandDocs {
		if d.name == name {
			return d
		}
	}
	panic("cli: no commandDoc for " + name)
}

// usage is the text of release-preflight --help.
func usage() string {
	var b strings.Builder
	b.WriteString(wrap("release-preflight checks that a GitHub token can publish a release before anything is built.", 0, helpWidth) + "\n\nUsage:\n")
	for _, d := range commandDocs {
		b.WriteString("  " + d.synopsisLine(2) + "\n")
	}
	b.WriteString("\n")
	for _, g := range flagGroups {
		head := fmt.Sprintf("%-15s", g.name+":")
		b.WriteString(head + wrapTokens(strings.Split(g.flags, ", "), len(head), helpWidth, ",") + "\n")
	}
	for _, para := range strings.Split(strings.TrimSpace(usageProse), "\n\n") {
		b.WriteString("\n" + wrap(para, 0, helpWidth) + "\n")
	}
	return b.String()
}

// helpWidth is the width the help is wrapped to: a terminal's 80 columns.
const helpWidth = 80

// help writes the --help of the command: what it does, its usage line and every flag, each
// with its placeholder and, when the description does not say it already, its default.
func (cmd *command) help(w io.Writer) {
	d := docOf(cmd.name)
	fmt.Fprintf(w, "%s\n\nUsage:\n  %s\n\nFlags:\n", wrap(d.summary, 0, helpWidth), d.synopsisLine(2))
	type row struct{ name, usage string }
	var rows []row
	nameWidth := 0
	cmd.fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if placeholder != "" {
			name += " " + placeholder
		}
		if def := f.DefValue; def != "" && def != "false" && !strings.Contains(usage, "(default") {
			usage += " (default " + strings.ReplaceAll(def, ",", ", ") + ")" // a list wraps
		}
		rows = append(rows, row{name, usage})
		nameWidth = max(nameWidth, len(name))
	})
	nameWidth = min(nameWidth, 30)
	indent := 2 + nameWidth + 2
	for _, r := range rows {
		if len(r.name) > nameWidth {
			fmt.Fprintf(w, "  %s\n%s%s\n", r.name, strings.Repeat(" ", indent), wrap(r.usage, indent, helpWidth))
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", nameWidth, r.name, wrap(r.usage, indent, helpWidth))
	}
	fmt.Fprint(w, "\n"+wrap(`Run "release-preflight --help" for the token, the environment variables and the exit status.`, 0, helpWidth)+"\n")
}

// wrap breaks s at its spaces into lines of at most width columns (a longer word keeps a line
// of its own), every line after the first indented by indent spaces; the first is assumed to
// start at column indent.
func wrap(s string, indent, width int) string {
	return wrapTokens(strings.Fields(s), indent, width)
}

// wrapTokens joins tokens with spaces (each but the last followed by sep) into lines as wrap
// does.
func wrapTokens(tokens []string, indent, width int, sep ...string) string {
	var b strings.Builder
	col := indent
	for i, tok := range tokens {
		if i < len(tokens)-1 {
			tok += strings.Join(sep, "")
		}
		n := len([]rune(tok))
		switch {
		case i == 0:
		case col+1+n > width:
			b.WriteString("\n" + strings.Repeat(" ", indent))
			col = indent
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(tok)
		col += n
	}
	return b.String()
}
