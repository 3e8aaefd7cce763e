// Package checks predicts, with read-only requests, the failures a release would otherwise meet
// only at its last step, after the build: it runs once the write probe has passed and before
// anything is built or uploaded. [Run] reports every check as ok, warn, fail or skipped; a
// failing check carries an *outcome.Error whose class and fix the release stops with. A check
// that cannot be made — GitHub answers 403 or 404 to this token, or an input it needs is
// missing — is skipped with the reason, never failed and never passed.
//
// The checks, in report order:
//
//	release             the tag's release: published and immutable fails release-immutable;
//	                    published fails conflict unless its assets are to be replaced or it
//	                    holds exactly the files, by digest (a re-run: nothing to do); a draft
//	                    is resumed. Needs the tag.
//	tag                 an existing tag must point at the commit being released (annotated tags
//	                    dereferenced), else tag-conflict. Needs the tag, and the commit to compare.
//	tag-rulesets        an active tag ruleset whose ref_name conditions cover refs/tags/TAG, with a
//	                    creation rule this token cannot bypass, fails tag-protected when the tag is
//	                    new; evaluate mode warns. Needs the tag.
//	immutable-releases  warns that publishing is final when immutable releases are on (the
//	                    setting, readable with admin access, or an immutable published release).
//	asset-budget        at most 1000 assets (the files and what a resumed draft keeps), each under
//	                    2 GiB, no two names GitHub stores alike; else asset-limit. Needs the files.
//	rate-budget         the requests the publish makes against the token's remaining primary
//	                    rate limit: short and the reset beyond the client's rate-limit wait fails
//	                    rate-limited; more than 80 writes are paced (Result.UploadInterval).
//	                    Decided first from the limit the probe's answers showed: when the
//	                    checks' reads and the publish cannot fit, it fails before any of
//	                    them is sent, and every other check is skipped.
//	latest              decides make_latest: a tag lower (semver) than the latest release's is
//	                    published with make_latest false. Needs the tag.
//	oidc                with attestations, the job must be able to request an OIDC token, else
//	                    oidc-missing.
//	attestations        with attestations, a private repository owned by a user fails
//	                    attestations-unavailable.
//	token-expiry        warns when GitHub-Authentication-Token-Expiration falls before the run is
//	                    expected to end.
//
// # Requests
//
// Run sends its requests at the same time, and none waits on the happy path; none at all when
// the rate limit the client's earlier answers showed (the probe's) has fewer left than they and
// the publish need, until a reset further away than the client waits. Every run lists
// the releases (one request per 100; the release, immutable-releases, asset-budget and
// rate-budget checks share it), reads the immutable-releases setting and GET /rate_limit (which
// GitHub does not charge). With a tag it also reads the tag's ref (one more per annotated tag
// object), the tag rulesets (one request, then one per ruleset that is not disabled) and, when
// it decides make_latest, the latest release; with attestations, the repository. So a full run
// for a repository with fewer than 100 releases costs 6 requests plus one per tag ruleset (7
// with attestations); token-expiry reads the answers of the others.
//
// # Adding a check
//
// Each check is one entry of the registry (registry.go) and one file, check_NAME.go, holding
// that entry — its name, the requests it needs for an input, how it decides — and its decide
// method; its tests go in checks_test.go, and a line in the list above and in the README's
// table (a test holds both to the registry). A request no other check makes is one more fetch
// in registry.go and its function in fetch.go; each is sent once per run whichever checks need
// it.
package checks
