// Package tags is the one place that says what a release tag may be and what it means: a name
// git and GitHub take for refs/tags/<tag>, without characters that are invisible or reorder the
// text and so make it look like another tag ([Problem], [Invisible]); what it may be created at
// ([TargetProblem]: a branch's name or a full commit SHA); and, when it is a semantic version, its
// pre-release part and its precedence ([Semver], [IsPrerelease], [Compare]). The publish decides
// the pre-release flag with it and the preflight checks decide the latest release with it, so
// the two can never disagree about a tag.
//
// Semantic versions are semver.org 2.0.0, with an optional leading "v", read by
// golang.org/x/mod/semver: MAJOR.MINOR.PATCH in full (the "v1" and "v1.2" shorthands that
// x/mod/semver also takes are no release tags), numeric identifiers without leading zeros, a
// pre-release after "-", build metadata after "+" that takes no part in precedence.
package tags
