// Package publish turns a directory of built files into a GitHub release as a transaction: it
// never leaves a published release with a missing, partial or wrong asset, whatever the
// network, the server or a sibling job does, and running the same command again after any
// failure finishes the same release.
//
// # Lifecycle
//
// [Prepare] runs before any request: the options, the tag (a tag name, not a git ref), the
// notes, and every file at the top of Options.AssetsDir (a name GitHub keeps as is, not empty,
// under 2 GiB, at most 1000 assets). A checksum file that came with the files must match them:
// each file is then read once, for its SHA-256, before any request. When there is none, the
// files are not read before [Publish], which hashes them in the background while they upload
// (a 1 GiB file's hash costs no wall time), and a SHA256SUMS is made from those sums (and
// written beside the files). A build's artifacts, passed as Options.Known, keep the sums
// computed while they were written. Whatever compares a file with what GitHub holds waits for
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
//     others, with a warning. Every file the draft does not already hold intact (by digest) is
//     uploaded, with bounded concurrency (Options.Concurrency, default 4), streaming each file
//     from disk; past 80 uploads they are paced to GitHub's 80 content-creating requests a
//     minute. An asset with a file's name that is unfinished ("starter") or holds other bytes
//     is deleted first, but only after a fresh read shows the release is still a draft. A 422
//     already_exists from an upload means a sibling uploaded the same name meanwhile: fine
//     when its digest is the file's, a Conflict otherwise.
//  4. Verify: list the assets; each file must be there, "uploaded", with its size and digest.
//     When the release is to be published, no other asset may be unfinished either.
//  5. SHA256SUMS, when it is among the files (or, publishing a draft as it stands, on the
//     release), is rewritten from GitHub's digests of every other asset, so it covers the
//     files of every job that added to the release (the matrix pattern below).
//  6. Unless Options.Draft, read the release again and publish it (PATCH draft=false), which is
//     when GitHub creates the tag. A lost answer is resolved by reading the release back. A
//     release a sibling published meanwhile goes to step 2.
//
// An error before the last step leaves the draft and says so: "re-run the same command to
// resume (draft release ID N kept)".
//
// # The matrix pattern
//
// Jobs that each build part of a release publish into one draft: each runs Publish with Draft
// and its own files, and the last job runs it with no AssetsDir, which publishes the draft as
// it stands once every asset is verified and SHA256SUMS covers them all.
//
// # Replacing the assets of a published release
//
// With Options.ReplaceAssets, a published release keeps its tag, name and notes. A file it
// lacks is uploaded; one that differs is uploaded under a temporary name
// ("preflight-swap.NAME"), verified, and swapped in: the old asset deleted, the new one
// renamed. GitHub has no atomic replace; this way no moment shows the asset missing, and a
// swap left half done is finished by the next run.
//
// # Digests
//
// GitHub has computed a SHA-256 "digest" for every asset since June 2025 (go-github's
// ReleaseAsset.Digest). Without digests (older assets, a server that does not send them) only
// sizes can be compared: a resumed draft's assets are uploaded again, and a published release
// cannot be shown to hold these files.
package publish
