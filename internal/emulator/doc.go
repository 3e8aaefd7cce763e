// Package emulator is an in-process emulator of the slice of the GitHub REST
// API that release-preflight uses: releases, release assets, tags, the
// repository and the rate-limit status. Tests drive it through
// github.com/google/go-github, and the demo runs it at run time, so it imports
// nothing but the standard library.
//
// # What it reproduces
//
// Answers have GitHub's JSON shapes (go-github's types decode them), errors
// carry GitHub's body — message, documentation_url, status as a string
// ("403"), and for 422 an errors array such as
// [{"resource":"Release","code":"already_exists","field":"tag_name"}] — and
// every JSON response has Content-Type "application/json; charset=utf-8",
// X-GitHub-Request-Id and the X-RateLimit-Limit, -Remaining, -Used, -Reset and
// -Resource headers (GET /rate_limit is not charged, as on GitHub). Each
// token has an hourly budget — 1,000 requests for ModeWrite and ModeClamped
// (a GITHUB_TOKEN), 5,000 for personal tokens, 60 unauthenticated — and once
// it is spent gets the primary rate-limit answer until the window resets.
//
// Tokens are sent as "Authorization: Bearer T" or "token T". Each registered
// token has a Mode that decides the answers, headers included:
//
//	ModeWrite          everything succeeds (GITHUB_TOKEN with contents: write)
//	ModeClamped        reads succeed; writes 403 "Resource not accessible by integration"
//	ModePATNoContents  reads succeed; writes 403 "Resource not accessible by personal access token"
//	ModeClassicNoRepo  404 on the (private) repository; X-OAuth-Scopes: read:org
//	ModeSSORequired    403 with X-GitHub-SSO: required; url=https://github.com/orgs/ORG/sso?…
//	ModeClassicRepo    everything succeeds; X-OAuth-Scopes: repo
//
// An unknown token gets 401 "Bad credentials". Fine-grained modes get
// X-Accepted-GitHub-Permissions (e.g. contents=write) on every
// repository-scoped answer, 403s included; classic tokens get X-OAuth-Scopes
// and X-Accepted-OAuth-Scopes instead.
//
// Release semantics follow GitHub: creating a draft creates no tag; creating
// a published release, or publishing a draft with PATCH {"draft": false},
// creates the tag and sets published_at; a draft's html_url is
// …/releases/tag/untagged-<hash> and its published_at is null; drafts are
// listed, and fetched by id, only for tokens with push access, and never by
// GET …/releases/tags/{tag}; creating a release whose tag_name another
// release (draft or not) already uses answers 422 already_exists. Deleting a
// release keeps its tag. Lists paginate with per_page (default 30, max 100)
// and page, with a Link header.
//
// Asset uploads go to UploadURL (with both prefixes "/", the POST to
// …/releases/{id}/assets on the API host is the upload). They need a
// Content-Type (400 "Invalid Content-Type" without one; 422 for a form
// content type), a Content-Length (400 for a chunked body) and a name (400),
// which is renamed like GitHub does ("my file.zip" becomes "my.file.zip").
// A duplicate name answers 422 already_exists. Success is 201 with state
// "uploaded", size and browser_download_url, which the server also serves.
//
// # Faults
//
// Inject queues a Fault: N answers with a status (e.g. 502 with an HTML or
// JSON body), a dropped connection, latency that honours the request context,
// a primary rate limit (X-RateLimit-Remaining: 0 and X-RateLimit-Reset), a
// secondary rate limit (optionally with Retry-After), either one as 429, or an
// upload that leaves a "starter" asset behind and then fails.
//
// # Inspecting the end state
//
// Releases, Tags and Requests return snapshots for assertions. The request
// log records method, path, query, status, token mode and fault — never the
// token. SeedRelease and AddTag set up pre-existing state, such as a published
// release or a stale draft whose created_at lies in the past; Options.Now
// makes the clock injectable.
//
// # What a preflight checks
//
// AddRuleset and AddOrgRuleset add rulesets, served by GET …/rulesets (summaries only, with
// targets and includes_parents) and GET …/rulesets/{id} (conditions, rules and
// current_user_can_bypass for the token's mode; bypass_actors is never shown). Publishing a
// release whose tag does not exist yet, when an active tag ruleset with a creation rule covers
// the tag (File.fnmatch patterns with FNM_PATHNAME, ~ALL, exclusions) and the token cannot
// bypass it, answers 422 with GitHub's pre_receive error and leaves the draft; evaluate mode
// only reports. SetImmutableReleases turns on immutable releases (GET …/immutable-releases,
// which needs SetAdmin, answers 200 or 404): releases published from then on carry immutable:
// true, refuse asset uploads and deletes with 422, and burn their tag when deleted.
// AddRepoWith sets a repository's visibility and owner type, AddTagAt and AddAnnotatedTag
// create tags at given commits (GET …/git/tags/{sha} dereferences an annotated one),
// SetTokenExpiry adds GitHub-Authentication-Token-Expiration to a token's answers and
// SetRateUsed spends its rate limit.
//
// # Not emulated
//
// Only the endpoints above exist; anything else answers 404. Repositories are
// private unless AddRepoWith says otherwise, and have one branch, main.
// target_commitish is not checked against real commits. Release notes generation, discussions and make_latest are
// accepted but ignored.
package emulator
