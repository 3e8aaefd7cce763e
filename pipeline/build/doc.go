// Package build turns a Go project into release archives without Dagger:
// a pure build [Plan], an [Executor] that runs it, deterministic archives and
// a SHA256SUMS file.
//
// The flow is the same for every adapter:
//
//  1. [ResolveStamp] (or [NewStamp]) reads the version from the tag and the
//     build date from SOURCE_DATE_EPOCH or the HEAD commit, never the clock.
//  2. [NewPlan] expands a [Config] into one [Job] per platform and package:
//     the exact `go build` argv, environment, output path and archive name.
//  3. An [Executor] runs the jobs: [LocalExecutor] runs `go build` on this
//     machine in parallel; the Dagger module runs the same argv in a container.
//  4. [Package] writes NAME_VERSION_OS_ARCH.tar.gz (.zip for windows) with
//     sorted entries, fixed modes, owners and times, so the same binaries
//     always give byte-identical archives, and [WriteChecksums] writes
//     SHA256SUMS in the format `sha256sum -c` reads.
//
// Binaries are built with CGO_ENABLED=0, -trimpath and -buildvcs=false, and
// stamped like GoReleaser's default:
//
//	-s -w -X main.version=1.2.3 -X main.commit=<sha> -X main.date=<RFC 3339 UTC>
//
// so the same source and stamp give the same bytes on any machine with the
// same Go version.
//
// Errors caused by the caller's input (platforms, tags, names, stamps) match
// [ErrInvalidInput] with [errors.Is]; a failed compile is a [*BuildError].
package build
