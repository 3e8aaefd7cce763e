// Package probe checks, before anything is built, that a token can publish
// GitHub releases.
//
// A release workflow can build for half an hour and then fail at "create
// GitHub release" with 403 "Resource not accessible by integration", because
// Settings → Actions → General → Workflow permissions was switched to
// read-only. Run asks GitHub the real question instead of reading settings
// it may not be allowed to see: it creates a draft release under a throwaway
// tag (see Tag) and deletes it at once. Drafts create no git tag, so nothing
// is left behind, and the whole check costs two requests and about a second.
//
// The outcome is a report.Report; on failure the error is a classified
// *outcome.Error whose Class gives the exit code and whose Remediation
// names the setting or permission to change.
//
// The probe owns its leftovers: [Sweep] deletes the drafts a probe leaves behind when its
// clean-up failed — releases that are drafts, whose tag starts with [TagPrefix], and that
// were created more than SweepOptions.OlderThan ago. It never deletes anything else.
package probe
