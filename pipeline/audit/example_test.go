package audit_test

import (
	"fmt"
	"testing/fstest"

	"github.com/release-preflight/release-preflight/pipeline/audit"
)

// A release job whose own block, added for id-token: write, drops the workflow's contents: write.
func ExampleAudit() {
	repo := fstest.MapFS{".github/workflows/release.yml": &fstest.MapFile{Data: []byte(`on: push
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: softprops/action-gh-release@v2
`)}}
	res, err := audit.Audit(repo)
	fmt.Println(err)
	for _, f := range res.Findings {
		fmt.Printf("%s %s:%d job %s\n%s\n", f.Status, f.File, f.Line, f.Job, f.Fix)
	}
	// Output:
	// audit the workflows' permissions: .github/workflows/release.yml:7: job release lacks contents: write: Give each failing job the `permissions:` block its finding shows
	// fail .github/workflows/release.yml:7 job release
	// Replace the job's `permissions:` block (lines 7-8) with:
	//     permissions:
	//       contents: write  # create the release and upload its assets
	//       id-token: write
}

// In the probe of a clamped token: why, from the run's environment and the checked-out
// workflow. On a runner, pass audit.EnvFrom(os.Getenv) and os.DirFS("/").
func ExampleDiagnose() {
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_WORKFLOW_REF": "octo/hello/.github/workflows/release.yml@refs/tags/v1",
		"GITHUB_JOB":          "release",
		"GITHUB_WORKSPACE":    "/home/runner/work/hello/hello",
		"GITHUB_EVENT_NAME":   "push",
	}
	runner := fstest.MapFS{"home/runner/work/hello/hello/.github/workflows/release.yml": &fstest.MapFile{Data: []byte(`on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: release-preflight probe
`)}}
	d := audit.Diagnose(audit.EnvFrom(func(name string) string { return env[name] }), runner)
	fmt.Printf("%s at %s:%d\n", d.Cause, d.File, d.Line)
	// Output:
	// repository-default at .github/workflows/release.yml:3
}
