// Package report holds the outcome of a release-preflight run and renders it
// for the places a person reads it.
//
// A [Report] is filled by the probe, build and publish steps (or by [FromError]
// when a step fails) and rendered these ways:
//
//   - [Report.Human]: terminal text whose first line says what failed and the one
//     thing to change, followed by the details; [Report.Failure] is the same as the
//     text of an error its printer introduces itself (Dagger's "Error: "), the fix
//     stated once, in its list;
//   - [Report.JSON]: one JSON object for machines (warnings is [] rather than null);
//   - [Report.Markdown]: a block for the GitHub Actions job summary, appended to
//     $GITHUB_STEP_SUMMARY with [AppendStepSummary];
//   - [Report.WorkflowCommands]: ::error, ::warning and ::notice lines that the
//     GitHub Actions runner turns into annotations, escaped with [EscapeData] and
//     [EscapeProperty] exactly as actions/toolkit does.
//
// Besides the probe's result and the preflight checks, a report carries the audit's findings
// about the workflows ([audit.Finding], each on its file and line) and, for a read-only token,
// the diagnosis of why ([audit.Diagnosis]); every rendering shows them.
//
// The package never sees a token: reports are built from classified errors whose
// text has already been made safe to print.
package report
