// Package probe checks, before anything is built, that a token can publish
// GitHub releases.
//
// A release workflow can build for half an hour and then fail at "create
// GitHub release" with 403 "Resource not accessible by integration", because
// Settings → Actions → General → Workflow permissions was switched to
// read-only. Run asks GitHub the real question instead of reading settings
// it may not be allowed to see: it creates a draft release under a throwaway
// tag (see Tag) and deletes it at once. Drafts create no git tag, so nothing
// is left behind, and the whole check costs about a second: three requests when
// it passes (the create, the delete, and a look at the newest releases for the
// drafts earlier probes left, which it removes), one when the token cannot write.
//
// The outcome is a report.Report; on failure the error is a classified
// *outcome.Error whose Class gives the exit code and whose Remediation
// names the setting or permission to change.
//
// The probe owns its leftovers: [Run] removes those of its own run attempt (GitHub keeps
// several drafts with one tag, so a killed probe's draft never makes the next create fail) and
// those of any probe older than an hour, among the newest releases; [Sweep] deletes the drafts
// a probe leaves behind when its clean-up failed — releases that are drafts, whose tag starts
// with [TagPrefix], and that were created more than SweepOptions.OlderThan ago. Neither ever
// deletes anything else.
package probe
