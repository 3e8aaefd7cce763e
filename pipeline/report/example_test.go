package report_test

import (
	"fmt"

	"github.com/release-preflight/release-preflight/pipeline/report"
)

// A probe whose GITHUB_TOKEN was clamped to read-only, rendered for a terminal
// and for the GitHub Actions runner.
func Example() {
	r := report.Report{
		Outcome:             report.OutcomeFailed,
		Class:               "clamped",
		Repo:                "octo/hello",
		ProbeTag:            "preflight-permcheck-run42-attempt1",
		Requests:            1,
		ElapsedMS:           304,
		RequiredPermissions: "contents=write",
		Remediation:         "Set Settings → Actions → General → Workflow permissions → Read and write permissions. Or add `permissions: contents: write` to the job.",
		Message:             "create draft release in octo/hello: 403 Resource not accessible by integration (needs contents=write): set Settings → Actions → General → Workflow permissions to Read and write permissions",
	}
	fmt.Print(r.Human())
	for _, c := range r.WorkflowCommands() {
		fmt.Println(c)
	}
	// Output:
	// error: create draft release in octo/hello: 403 Resource not accessible by integration (needs contents=write): set Settings → Actions → General → Workflow permissions to Read and write permissions
	//   outcome:              failed
	//   class:                clamped
	//   repo:                 octo/hello
	//   probe tag:            preflight-permcheck-run42-attempt1
	//   required permissions: contents=write
	//   requests:             1 in 304 ms
	// how to fix:
	//   1. Set Settings → Actions → General → Workflow permissions → Read and write permissions.
	//   2. Or add `permissions: contents: write` to the job.
	// ::error title=release-preflight probe failed (clamped)::create draft release in octo/hello: 403 Resource not accessible by integration (needs contents=write): set Settings → Actions → General → Workflow permissions to Read and write permissions%0ASet Settings → Actions → General → Workflow permissions → Read and write permissions.%0AOr add `permissions: contents: write` to the job.
}
