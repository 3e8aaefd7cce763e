// Package moduleapi holds the tests of the Dagger module's API, which package main declares at
// the repository's root. Package main cannot run outside an engine session (its generated
// client panics at init), so these tests read its source with go/parser instead, and hold to it
// what Dagger shows and what calls it:
//
//   - every function, argument, object and field has a doc comment; a function's first line,
//     the summary `dagger functions` shows, is one short whole sentence, and the lines of its
//     description fit a terminal, since `dagger call FUNCTION --help` prints them as written;
//     an argument's prose is one line, since the help wraps it but keeps its line breaks;
//   - a function that prints a report and its twin that returns it as an object (probe and
//     probe-report, …) take the same arguments;
//   - every `dagger call` line of the README and the examples, and every call of the Go
//     examples, names functions and arguments that exist, with the required ones given, and
//     chains a function only after one that returns an object;
//   - the README shows what the first `dagger call` lines print, as the module renders it.
package moduleapi
