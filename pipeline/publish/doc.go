// Package publish turns a directory of built files into a GitHub release,
// atomically as far as GitHub allows and idempotently: running the same
// command again after any failure finishes the same release.
//
// # Lifecycle
//
// [Publish] works in this order, and nothing becomes public before the last
// step:
//
//  1. Local checks, before any request: the options, the tag, and every file
//     at the top of Options.AssetsDir (non-empty, under GitHub's 2 GiB limit,
//     a name GitHub keeps as is). SHA256SUMS is written when the directory has
//     no checksum file (build.EnsureChecksums); an existing one must match
//     the files (build.VerifyChecksums).
//  2. Find the release for the tag by listing releases, drafts included
//     (GET /releases/tags/{tag} cannot see drafts), following every page.
//     A published release stops here with a ClassConflict error unless
//     Options.ReplaceAssets is set. No release: create one as a draft, so it
//     has no tag and is invisible to users. Creating is made idempotent: a
//     retry first looks for a draft its lost predecessor may have created.
//  3. List the draft's assets. Every asset left by an earlier try with the
//     name of a file being uploaded is deleted and uploaded again, whatever
//     its state ("starter" included); other assets that never finished
//     uploading are deleted; other complete assets are kept, with a warning.
//  4. Upload with bounded concurrency (Options.Concurrency, default 4),
//     streaming each file from disk: every attempt reopens the file, so
//     memory does not grow with the asset size. Before retrying an attempt
//     that failed, any asset with the same name is deleted, because a failed
//     upload can leave a half-made asset that would make the retry fail with
//     422 already_exists.
//  5. List the assets again and check that each file is there, in state
//     "uploaded", with the local size.
//  6. Publish with PATCH draft=false, which creates the tag. Options.Draft
//     stops before this step and leaves the draft for a human.
//
// An error before step 6 leaves the draft in place, and its message ends in
// "re-run the same command to resume (draft release ID N kept)".
//
// # Why assets are never skipped on resume
//
// A resumed draft could skip assets that already look complete (same name,
// state "uploaded", same size). Publish does not: same size is not same
// content, and a rebuilt file of equal size kept next to a fresh SHA256SUMS
// would publish checksums that do not verify. GitHub's asset "digest" would
// make the check exact, but go-github v62 does not decode it. Resuming
// therefore uploads every file again; it costs bandwidth, never correctness.
//
// # Replacing the assets of a published release
//
// With Options.ReplaceAssets, a published release keeps its tag, name and
// notes; its same-named assets are deleted and uploaded again, one at a time
// per worker, so each is missing for the length of its upload. GitHub has no
// atomic replace.
//
// # Sweep
//
// [Sweep] deletes the drafts the permission probe leaves behind when its
// clean-up failed: releases that are drafts, whose tag starts with
// "preflight-permcheck-", and that were created more than
// SweepOptions.OlderThan ago. It never deletes anything else, so it cannot
// race a probe that is running right now or touch a real release.
package publish
