// Package emulator is an in-process emulator of the slice of the GitHub REST
// API that release-preflight uses: releases, release assets, generated
// release notes, tags and git refs, the repository and the rate-limit
// status. Tests drive it through github.com/google/go-github and
// release-preflight's client (package emulatortest starts one for a test, its
// traffic held to GitHub's OpenAPI description), and the demo runs it at run
// time, so it imports nothing but the standard library.
//
// # What it reproduces
//
// Answers have GitHub's JSON shapes, with every field the schemas of GitHub's
// OpenAPI description require (release, release-asset, simple-user,
// full-repository, git-ref, …; the conformance tests check each answer
// against them, and go-github's types decode them), errors
// carry GitHub's body — message, documentation_url, status as a string
// ("403"), and for 422 an errors array such as
// [{"resource":"Release","code":"already_exists","field":"tag_name"}] — and
// every JSON response has Content-Type "application/json; charset=utf-8",
// X-GitHub-Request-Id and the X-RateLimit-Limit, -Remaining, -Used, -Reset and
// -Resource headers (GET /rate_limit is not charged, as on GitHub). HEAD is
// served like GET, with GET's status and headers and no body. Each
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
//	ModeClassicNoRepo  404 on a private repository, reads of a public one; X-OAuth-Scopes: read:org
//	ModeSSORequired    403 with X-GitHub-SSO: required; url=https://github.com/orgs/ORG/sso?…
//	ModeClassicRepo    everything succeeds; X-OAuth-Scopes: repo
//
// An unknown token gets 401 "Bad credentials". A request without a token
// (ModeAnonymous) reads public repositories (AddRepoWith) within the 60
// requests an hour GitHub gives it, drafts hidden, and gets 401 "Requires
// authentication" for their writes; private repositories answer it 404.
// Fine-grained modes get
// X-Accepted-GitHub-Permissions (e.g. contents=write) on every
// repository-scoped answer, 403s included; classic tokens get X-OAuth-Scopes
// and X-Accepted-OAuth-Scopes instead.
//
// Request bodies are validated as GitHub validates them against its schema:
// 400 "Problems parsing JSON" (or "Body should be a JSON object"), and 422
// "Invalid request.\n\n…" naming each missing required property ("\"tag_name\"
// wasn't supplied."), each value of the wrong type, null included ("For
// 'properties/draft', \"yes\" is not a boolean."), and each value outside its
// enum ("For 'properties/make_latest', sometimes is not a member of
// [\"true\", \"false\", \"legacy\"]."); properties the schema does not name
// are ignored. Then the release's own rules answer 422 Validation Failed: a
// tag_name against git's ref-name rules (code invalid) and a body over
// 125000 characters (code custom, "body is too long (maximum is 125000
// characters)").
//
// GET /repos/{o}/{r} answers full-repository with, as GitHub sends them, the
// owning organization (organization, and empty custom_properties) for an
// organization's repository, and the caller's permissions for a user's token
// — none for an installation token (a GITHUB_TOKEN, semantic-release/github#182)
// or a request without a token.
//
// Release semantics follow GitHub: creating a draft creates no tag; creating
// a published release, or publishing a draft with PATCH {"draft": false},
// creates the tag and sets published_at; a draft's html_url is
// …/releases/tag/untagged-<hash> and its published_at is null; drafts are
// listed, and fetched by id, only for tokens with push access, and never by
// GET …/releases/tags/{tag}. Any number of drafts may share a tag_name, with
// each other and with a published release: creating a draft on a tag another
// draft holds answers 201, not 422 (clients must look for duplicates
// themselves, as ncipollo/release-action#8 and GitTools/GitReleaseManager#159
// found); a release that would be published — created with draft false,
// or PATCHed to draft false or to a new tag_name while published — on a tag
// that another published release holds answers 422 already_exists on
// tag_name. Deleting a release keeps its tag. Lists paginate with per_page
// (default 30, max 100) and page, with a Link header.
//
// Asset uploads go to UploadURL (with both prefixes "/", the POST to
// …/releases/{id}/assets on the API host is the upload). They need a
// Content-Type (400 "Invalid Content-Type" without one; 422 for a form
// content type), a Content-Length (400 for a chunked body) and a name (400),
// which is renamed like GitHub does ("my file.zip" becomes "my.file.zip").
// A duplicate name answers 422 already_exists, and an upload to a release
// that has 1000 assets (in any state) 422 Validation Failed with
// {"resource":"ReleaseAsset","code":"custom","field":"file_count","message":
// "file_count limited to 1000 assets per release"}. Success is 201 with state
// "uploaded", size, browser_download_url, which the server also serves, and
// digest "sha256:<hex>" of the bytes; the digest is on every answer that
// carries the asset (list, get, release.assets[]) and null for an asset that
// is not uploaded.
//
// PATCH …/releases/assets/{id} renames (the name sanitized like an upload's;
// another asset's name answers 422 already_exists) and relabels an asset.
// POST …/releases/generate-notes answers {name, body} as GitHub does for a
// repository without pull requests: the tag as the name and a "**Full
// Changelog**:" link comparing with the previous release's tag (or given
// previous_tag_name) or, for a first release, listing the commits; nothing is
// stored. An empty tag_name answers 400 "Missing tag_name parameter" and an
// empty previous_tag_name 400 "Invalid previous_tag parameter", as GitHub
// answers them (reported in goreleaser/goreleaser#6414 and #3662).
// generate_release_notes: true on create fills a release's name (if none is
// given) and appends those notes to the given body.
//
// A release's tarball_url and zipball_url, and a tag's, are served as GitHub
// serves them: GET …/tarball/{ref} and …/zipball/{ref} (ref a tag, a branch,
// a refs/… name or a commit SHA; left out, the default branch) answer 302 to
// {URL}/_codeload/{owner}/{repo}/legacy.tar.gz/{ref} (or legacy.zip), as
// github.com redirects to codeload.github.com and GitHub Enterprise Server to
// its own /_codeload/. For a repository that is not public the link carries a
// token and works for five minutes, as GitHub documents. The download is the
// archive itself — a gzipped tar with git archive's pax header naming the
// commit (application/x-gzip), or a zip (application/zip) — holding the one
// directory {owner}-{repo}-{sha7}/, since the emulator keeps no files; it is
// not charged to the rate limit, and answers a plain-text 404 otherwise.
//
// Refs are the default branch and the tags (object type "commit", or "tag"
// for an annotated tag made with AddAnnotatedTag): GET …/git/ref/{ref} ("tags/v1.0.0", "heads/main"), GET
// …/git/matching-refs/{ref} (every ref whose name starts with refs/{ref},
// possibly none; paginated) and DELETE …/git/refs/{ref}: 204, or 422
// "Reference does not exist" and "Cannot delete the default branch".
// Deleting the tag of a published release makes it a draft again.
//
// # Faults
//
// Inject queues a Fault: N answers with a status (e.g. 502 with an HTML or
// JSON body), a dropped connection, latency that honours the request context,
// a primary rate limit (X-RateLimit-Remaining: 0 and X-RateLimit-Reset), a
// secondary rate limit (optionally with Retry-After), either one as 429, an
// upload that leaves a "starter" asset behind and then fails, or an upload
// stored with a flipped byte. AfterWork faults serve the request first and then
// lose or replace its answer; TruncateBody cuts the answer halfway; StallBody
// sends the headers and then nothing. A fault matches by method, path, and the
// endpoint's documentation anchor ("create-a-release", "update-a-release",
// "get-a-release", "list-release-assets", "update-a-release-asset", …; Inject
// panics on a name no endpoint has), and Skip lets the first matches through.
// A status fault without a body answers GitHub's error body with the
// endpoint's documentation URL, e.g. {"message":"Not Found",
// "documentation_url":"https://docs.github.com/rest/releases/releases#update-a-release",
// "status":"404"}.
//
// # Inspecting the end state
//
// Releases, Tags and Requests return snapshots for assertions. The request
// log records method, path, query, endpoint anchor, status, token mode and
// fault — never the token. SeedRelease and AddTag set up pre-existing state,
// such as a published release or a stale draft whose created_at lies in the
// past; Options.Now makes the clock injectable.
//
// # What a preflight checks
//
// AddRuleset and AddOrgRuleset add rulesets, served by GET …/rulesets (summaries only, with
// targets and includes_parents) and GET …/rulesets/{id} (conditions, rules and
// current_user_can_bypass for the token's mode; bypass_actors is never shown). Publishing a
// release whose tag does not exist yet, when an active tag ruleset with a creation rule covers
// the tag (File.fnmatch patterns with FNM_PATHNAME, ~ALL, exclusions) and the token cannot
// bypass it, answers 422 with GitHub's pre_receive error and leaves the draft; evaluate mode
// only reports. SetImmutableReleases turns on immutable releases: releases published from then
// on carry immutable: true, refuse asset uploads and deletes with 422, and burn their tag when
// deleted. GET …/immutable-releases answers 200 when they are on and 404 when they are off, the
// two answers GitHub documents, and 404 also to a token without admin access (SetAdmin), which a
// GITHUB_TOKEN never has: such a token cannot tell "off" from "not allowed to know". PUT and
// DELETE without admin access answer 403.
// AddRepoWith sets a repository's visibility and owner type, AddTagAt and AddAnnotatedTag
// create tags at given commits (GET …/git/tags/{sha} dereferences an annotated one),
// SetTokenExpiry adds GitHub-Authentication-Token-Expiration to a token's answers and
// SetRateUsed spends its rate limit.
//
// # Not emulated
//
// Only the endpoints above exist; anything else answers 404. GraphQL is not
// served: POST /graphql answers 404, so what clients do through it fails
// against the emulator — gh release list, gh release create --verify-tag and
// gh's lookups of a draft by tag among them. Repositories are
// private unless AddRepoWith says otherwise, and have one branch, main.
// target_commitish is not checked against real commits. Discussions are
// accepted (and validated) but ignored.
//
// Where GitHub's behaviour is not documented, the emulator assumes:
//   - a draft may be created on a tag a published release holds, and
//     publishing a draft whose tag a published release holds answers the
//     same 422 already_exists as creating one;
//   - renaming an asset to a name that sanitizes to nothing answers 422
//     Validation Failed (code invalid, field name); PATCH state is ignored;
//   - the 1000-asset limit counts assets in any state, and a body's length
//     is counted in Unicode characters;
//   - generate-notes with a previous_tag_name that is no tag answers 404
//     (an empty one answers 400, as reported); its tag_name need not exist,
//     target_commitish and configuration_file_path are accepted and ignored;
//   - make_latest (default true for a release being published, as documented)
//     makes GET …/releases/latest answer that release while it stays a
//     published full release; an update that publishes nothing changes the
//     latest only when make_latest is given; legacy, and a latest release
//     deleted or unpublished, fall back to the most recently created;
//   - matching-refs paginates like the other lists (per_page, page, Link),
//     and without a ref (…/git/matching-refs or …/git/matching-refs/) lists
//     every ref, where GitHub's description requires one;
//   - GET …/immutable-releases answers a token without admin access 404, the
//     answer GitHub documents for "off" (it documents nothing else; 403 is
//     its usual answer to a missing permission);
//   - an archive link works without authentication (for a repository that is
//     not public, with its token), and its ref resolves as git resolves it:
//     refs/…, then a tag, then a branch, or a full commit SHA of one (GitHub
//     resolves any commitish, abbreviated SHAs too; others answer 404);
//   - a write without a token to a public repository answers 401 "Requires
//     authentication" (as reported in tarides/dune-release#113 and
//     v2fly/domain-list-community#3714), to a private one 404; a classic token
//     without the repo scope gets 404 for a write to a public repository, as
//     for anything of a private one;
//   - the caller's permissions follow the token's mode: pull always, push and
//     triage with push access (ModeWrite-like modes, not a fine-grained token
//     without contents write), admin and maintain with SetAdmin;
//   - deleting a published release's tag makes the release a draft (as
//     reported by users; not documented);
//   - GET of an asset with Accept: application/octet-stream answers the
//     bytes with 200, one of the two answers GitHub documents (github.com
//     usually redirects with 302 to a signed URL).
package emulator
