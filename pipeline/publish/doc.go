// Package publish turns a directory of built files into a GitHub release as a transaction: it
// never leaves a published release with a partial, unfinished or wrong asset, nor without one
// of its assets for longer than the one request a swap takes (see below), whatever the network,
// the server or a sibling job does; it succeeds only when a fresh read shows the release
// published and verified; and running the same command again after any failure finishes the
// same release.
//
// # Lifecycle
//
// [Prepare] runs before any request: the options, the tag (a tag name, not a git ref), the
// notes, and every file at the top of Options.AssetsDir (a name GitHub keeps as is, not empty,
// under 2 GiB, at most 1000 assets). A checksum file that came with the files must match them:
// each file is then read once, for its SHA-256, before any request. When there is none, the
// files are not read before [Publish], which hashes them in the background while they upload,
// on a thread that yields the processor to the upload (a 1 GiB file's hash costs no wall
// time), and a SHA256SUMS is made from those sums (and written beside the files, through a
// temporary file renamed into place). Every file is opened as package regular opens it: a link
// or a FIFO is never followed nor waited on, and a SHA256SUMS there that is not a regular file
// is refused. A build's artifacts, passed as Options.Known, keep the sums computed while they
// were written. Whatever compares a file with what GitHub holds waits for
// its sum; a file that changed meanwhile fails the publish before anything is published.
//
// [Publish] then works in this order, and nothing becomes public before the last step:
//
//  1. Find the release for the tag by listing releases, drafts included (GET
//     /releases/tags/{tag} cannot see drafts), following every page: the published one, else
//     the oldest draft. None: create a draft, which has no tag and is invisible to users, and
//     list again. GitHub allows several drafts with one tag, so jobs that create one at the
//     same moment all pick the oldest, and each deletes the empty draft it created.
//  2. A published release holding exactly these files (names, sizes and GitHub's SHA-256
//     digests) is a success with nothing to do: the re-run after a lost answer, or the sibling
//     job that lost the race. One holding other assets is a Conflict that changes nothing,
//     unless Options.ReplaceAssets (see below).
//  3. A draft gets this run's notes, pre-release flag and target when a resumed draft had
//     others, with a warning; publishing a draft as it stands applies those this run was given
//     (Notes, GenerateNotes, Prerelease, Target). Every file the draft does not already hold
//     intact (by digest) is uploaded, with bounded concurrency (Options.Concurrency, default 4),
//     streaming each file from disk; past 80 uploads they are paced to GitHub's 80
//     content-creating requests a minute. An asset with a file's name that is unfinished
//     ("starter") or holds other bytes is deleted first, but only after a fresh read shows the
//     release is still a draft. A 422 already_exists from an upload means a sibling uploaded the
//     same name meanwhile: fine when its digest is the file's, a Conflict otherwise.
//  4. Verify: list the assets; each file must be there, "uploaded", with its size and digest.
//     When the release is to be published, no other asset may be unfinished either.
//  5. SHA256SUMS, when it is among the files (or, publishing a draft as it stands, on the
//     release), is rewritten from GitHub's digests of every other asset, so it covers the
//     files of every job that added to the release (the matrix pattern below).
//  6. Unless Options.Draft, publish it (PATCH draft=false), which is when GitHub creates the
//     tag, and read it back (GET the release; its assets listed too when its own list lacks
//     one): only a read that shows it published, with every expected asset "uploaded" at its
//     size and digest, is a success. Whatever the update was answered — 200, 404, a lost or cut
//     answer — a read that shows a draft fails, with the update's own class (a tag ruleset, a
//     rate limit) or server-error, and keeps the draft; a read that fails says so, and the next
//     run finds the release as it is.
//
// An error before the last step leaves the draft and says so: "re-run the same command to
// resume (draft release ID N kept)".
//
// # The matrix pattern
//
// Jobs that each build part of a release publish into one draft: each runs Publish with Draft
// and its own files, and the last job runs it with no AssetsDir, which publishes the draft as
// it stands once every asset is verified and SHA256SUMS covers them all, with the notes,
// generated notes, pre-release flag and target it was given. Jobs that create a draft at the
// same moment each delete their own empty duplicate a few requests later, so an empty draft
// with the tag younger than ten minutes draws no warning; an older one, or one holding assets,
// does.
//
// # Replacing the assets of a published release
//
// With Options.ReplaceAssets, a published release keeps its tag, name and notes, and every
// complete asset it holds under a file's name stays there until the one that replaces it is
// complete and verified. GitHub has no atomic rename-over: an asset's name is free only once
// no asset holds it. Each file it lacks or holds otherwise (SHA256SUMS last, made from GitHub's
// digests) goes through this state machine, NAME being its name, OLD the asset the release
// holds, NEW the file's upload:
//
//	state                         the release shows under NAME    next request
//	S0 uploading                  OLD                             upload NEW as preflight-swap.NAME, check its digest
//	S1 NEW verified aside         OLD                             rename OLD to preflight-old.NAME
//	S2 OLD aside                  nothing (the gap)               rename NEW to NAME
//	S3 NEW in place               NEW                             delete preflight-old.NAME
//	S4 done                       NEW
//
// Failures, each after the client's retries:
//
//	in S0 (the upload)            stay in S0: OLD in place; the next run uploads again (a half-
//	                              made preflight-swap.NAME is deleted first)
//	S1 → S2 (renaming OLD aside)  rename OLD back to NAME (harmless if it never moved): S1
//	S2 → S3 (renaming NEW in)     rename OLD back to NAME: S1; a 422 already_exists then means
//	                              NEW holds NAME (a lost answer): S3
//	both renames of S2 fail       stay in S2: NAME is missing until the next run
//	S3 → S4 (the delete)          stay in S3: NEW in place, preflight-old.NAME left over
//
// A missing file is uploaded as preflight-swap.NAME and renamed in, so no unfinished upload
// ever shows under its name. The gap, S2, lasts one request — the rename of NEW — or two when
// that fails and OLD is renamed back; both are sent even after a signal or --timeout (bounded
// by 10 s each), so only a job killed outright (SIGKILL, a lost runner) between them, or GitHub
// failing both, leaves NAME missing. The next run then starts by reading the assets and
// finishing what it finds: preflight-old.NAME with a complete NAME is deleted (S3 → S4);
// without NAME, preflight-swap.NAME holding this run's file is renamed in and the old one
// deleted, and otherwise the old one is renamed back (S2 → S1). Last, the release is read back
// as in step 6.

// # Digests
//
// GitHub has computed a SHA-256 "digest" for every asset since June 2025 (go-github's
// ReleaseAsset.Digest). Without digests (older assets, a server that does not send them) only
// sizes can be compared: a resumed draft's assets are uploaded again, and a published release
// cannot be shown to hold these files.
package publish
