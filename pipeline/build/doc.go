// Package build turns a Go project into release archives without Dagger: one [Run] that both
// adapters use. The CLI calls it directly; the Dagger module runs the CLI's `build` inside its
// builder container, so the two write byte-identical archives for the same source.
//
// [Run] works in this order:
//
//  1. [Options.Validate] validates the input without building anything: platforms, packages,
//     names, version, commit, SOURCE_DATE_EPOCH and the output directory. The resulting
//     [Plan] names every file the build will write.
//  2. [ResolveStamp] reads the version from the tag and the build date from SOURCE_DATE_EPOCH
//     or the HEAD commit, never the clock; git is not run when both the commit and the date
//     are given.
//  3. Each target builds (`go build`, at most Options.Parallelism targets at a time) and is
//     archived as soon as its binaries exist: NAME_VERSION_OS_ARCH.tar.gz (.zip for windows)
//     with sorted entries and fixed modes, owners and times, so the same binaries always give
//     the same bytes. The first failure stops the others.
//  4. [WriteChecksums] writes SHA256SUMS from the sums computed while archiving, in the format
//     `sha256sum -c` reads.
//
// Binaries are built with CGO_ENABLED=0, -trimpath and -buildvcs=false, and stamped like
// GoReleaser's default:
//
//	-s -w -X main.version=1.2.3 -X main.commit=<sha> -X main.date=<RFC 3339 UTC>
//
// so the same source and stamp give the same bytes on any machine with the same Go version.
//
// Errors are *outcome.Error values: InvalidInput, naming the input at fault, for the caller's
// input, and BuildFailed, with the compiler's last lines as Output, for a failed compile.
package build
