// Package checksums reads and writes the checksum files of a release: SHA256SUMS in the format of
// `sha256sum` ([Format]), and the files a directory of assets built elsewhere may already carry
// (SHA256SUMS, GoReleaser's checksums.txt, NAME.sha256: [IsFile]), each verified against the
// files it lists before anything is sent ([Verify]). The build writes its SHA256SUMS with it and
// the publish makes the release's from GitHub's digests with it, so publishing the files of any
// build needs no builder.
package checksums
