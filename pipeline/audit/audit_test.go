package audit

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// repo is a repository whose .github/workflows holds files (name → content).
func repo(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[Dir+"/"+name] = &fstest.MapFile{Data: []byte(content)}
	}
	return fsys
}

// want is what a test expects of one finding; empty fields are not checked.
type want struct {
	job, status, source string
	line                int
	needs, declared     []string
	message             []string // substrings
	fix                 []string // substrings
}

func (w want) check(t *testing.T, f Finding) {
	t.Helper()
	assert.Equal(t, w.job, f.Job, "job")
	assert.Equal(t, w.status, f.Status, "status of %s: %s", f.Job, f.Message)
	if w.source != "" {
		assert.Equal(t, w.source, f.Source, "source of %s", f.Job)
	}
	if w.line != 0 {
		assert.Equal(t, w.line, f.Line, "line of %s", f.Job)
	}
	if w.needs != nil {
		assert.Equal(t, w.needs, f.Needs, "needs of %s", f.Job)
	}
	if w.declared != nil {
		assert.Equal(t, w.declared, f.Declared, "declared of %s", f.Job)
	}
	for _, m := range w.message {
		assert.Contains(t, f.Message, m, "message of %s", f.Job)
	}
	for _, m := range w.fix {
		assert.Contains(t, f.Fix, m, "fix of %s", f.Job)
	}
	if f.Status == StatusOK {
		assert.Empty(t, f.Fix, "an ok finding has nothing to fix")
	} else {
		assert.NotEmpty(t, f.Fix, "a finding that warns or fails says what to change")
	}
}

// The rules, one case (or more) each: what GitHub grants the job, what its steps need, and what
// the audit says, down to the line.
func TestAudit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  []want
		class outcome.Class // outcome.OK when nothing fails
	}{
		{
			name: "a job block replaces the workflow's",
			files: map[string]string{"release.yml": `on:
  push:
    tags: ["v*"]
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: softprops/action-gh-release@v2
      - name: Attest
        uses: actions/attest-build-provenance@v3
        with:
          subject-path: dist/*
`},
			want: []want{{job: "release", status: StatusFail, source: SourceJob, line: 9,
				needs:    []string{"contents: write", "id-token: write", "attestations: write", "artifact-metadata: write"},
				declared: []string{"id-token: write"},
				message: []string{"lacks contents: write and attestations: write", "its `permissions:` block at line 9",
					"sets every scope it does not name to none", "the step at line 12 uses softprops/action-gh-release", "step `Attest` at line 13 uses actions/attest-build-provenance"},
				fix: []string{"Replace the job's `permissions:` block (lines 9-10) with:\n    permissions:\n      contents: write           # create the release and upload its assets\n"}}},
			class: outcome.PermissionsMissing,
		},
		{
			name: "no block anywhere: the setting decides",
			files: map[string]string{"release.yml": `on: push
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: gh release create "$GITHUB_REF_NAME" dist/*
        env:
          GH_TOKEN: ${{ github.token }}
`},
			want: []want{{job: "publish", status: StatusWarn, source: SourceDefault, line: 3, needs: []string{"contents: write"}, declared: []string{},
				message: []string{"neither the job nor the workflow has a `permissions:` block", "Workflow permissions setting", "the step at line 6 runs `gh release create`"},
				fix:     []string{"right under `publish:` at line 3:\n    permissions:\n      contents: write  # create the release and upload its assets"}}},
		},
		{
			name: "no block and an OIDC token: no default grants it",
			files: map[string]string{"attest.yml": `on: push
jobs:
  attest:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/attest@v2
`},
			want: []want{{job: "attest", status: StatusFail, source: SourceDefault, line: 3,
				message: []string{"needs id-token: write", "which no default grants"},
				fix:     []string{"      contents: read            # check out the repository\n"}}},
			class: outcome.PermissionsMissing,
		},
		{
			name: "inherited from the workflow's block",
			files: map[string]string{"release.yml": `on: push
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: ncipollo/release-action@v1
`},
			want: []want{{job: "release", status: StatusWarn, source: SourceWorkflow, line: 2, declared: []string{"contents: write"},
				message: []string{"only from the workflow's `permissions:` block at line 2", "would replace it entirely"},
				fix:     []string{"right under `release:` at line 5"}}},
		},
		{
			name: "inherited, and the workflow's block lacks it",
			files: map[string]string{"release.yml": `on: push
permissions: read-all
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: goreleaser/goreleaser-action@v6
        with:
          args: release --clean
        env:
          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
`},
			want: []want{{job: "release", status: StatusFail, source: SourceWorkflow, line: 2, declared: []string{"read-all"},
				message: []string{"lacks contents: write", "the workflow's `permissions:` block at line 2, which it inherits,"},
				fix:     []string{"      statuses: read"}}},
			class: outcome.PermissionsMissing,
		},
		{
			name: "steps with their own token need nothing of the job's",
			files: map[string]string{"release.yml": `on: push
permissions: {}
env:
  GH_TOKEN: ${{ secrets.RELEASE_PAT }}
jobs:
  pat:
    runs-on: ubuntu-latest
    steps:
      - uses: softprops/action-gh-release@v2
        with:
          token: ${{ secrets.RELEASE_PAT }}
      - run: gh release upload v1 dist/*
      - uses: goreleaser/goreleaser-action@v6
        env:
          GITHUB_TOKEN: ${{ steps.app.outputs.token }}
      - run: release-preflight probe --token-env APP_TOKEN
        env:
          APP_TOKEN: ${{ steps.app.outputs.token }}
      - run: dagger call -m github.com/release-preflight/release-preflight@v0.1.0 --token env:PAT probe
        env:
          PAT: ${{ secrets.PAT }}
  attest:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/attest-build-provenance@v3
        with:
          github-token: ${{ secrets.ATTEST_PAT }}
  job-token:
    runs-on: ubuntu-latest
    steps:
      - run: gh release upload v1 dist/*
        env:
          GH_TOKEN: ${{ github.token }}
`},
			want: []want{
				{job: "attest", status: StatusFail, source: SourceJob, needs: []string{"id-token: write"},
					message: []string{"lacks id-token: write"}},
				{job: "job-token", status: StatusFail, source: SourceWorkflow, line: 2, needs: []string{"contents: write"}, declared: []string{},
					message: []string{"lacks contents: write", "runs `gh release upload`"}},
			},
			class: outcome.PermissionsMissing,
		},
		{
			name: "gh in run: scripts",
			files: map[string]string{"gh.yml": `on: push
jobs:
  gh:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - name: Read only
        run: |
          gh release view v1
          gh release download v1 --pattern '*.txt'
          echo "gh release create is only text"  # gh release delete in a comment
      - name: Edit
        run: |
          set -e
          if gh release view v1; then gh release edit v1 \
              --draft=false; fi
          notes=$(gh release delete v0 --yes)
`},
			want: []want{{job: "gh", status: StatusFail, source: SourceJob, line: 5, needs: []string{"contents: write"},
				message: []string{"step `Edit` at line 13 runs `gh release edit`", "step `Edit` at line 13 runs `gh release delete`"},
				fix:     []string{"      contents: write  # edit the release; delete the release"}}},
			class: outcome.PermissionsMissing,
		},
		{
			name: "a caller is held to what the called jobs need and ask for",
			files: map[string]string{
				"release.yml": `on:
  push:
    tags: ["v*"]
jobs:
  publish:
    permissions:
      contents: read
    uses: ./.github/workflows/publish.yml
  notes:
    permissions:
      contents: write
      pull-requests: read
    uses: ./.github/workflows/publish.yml
`,
				"publish.yml": `on: workflow_call
jobs:
  upload:
    runs-on: ubuntu-latest
    steps:
      - run: gh release upload "$GITHUB_REF_NAME" dist/*
  comment:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: read
    steps:
      - run: echo hi
`},
			want: []want{
				{job: "upload", status: StatusOK, source: SourceCaller, line: 3,
					message: []string{"gets what its caller grants", "job `publish` of .github/workflows/release.yml"}},
				{job: "publish", status: StatusFail, source: SourceJob, line: 6, needs: []string{"contents: write", "pull-requests: read"},
					message: []string{"lacks contents: write and pull-requests: read", "in .github/workflows/publish.yml, the step at line 6 runs `gh release upload`",
						"job `comment` of .github/workflows/publish.yml asks for it at line 9"},
					fix: []string{"pull-requests: read  # job `comment` of .github/workflows/publish.yml asks for it"}},
				{job: "notes", status: StatusOK, source: SourceJob, line: 10},
			},
			class: outcome.PermissionsMissing,
		},
		{
			name: "a reusable workflow no job of the repository calls",
			files: map[string]string{"publish.yml": `on:
  workflow_call:
jobs:
  upload:
    runs-on: ubuntu-latest
    steps:
      - uses: softprops/action-gh-release@v2
`},
			want: []want{{job: "upload", status: StatusWarn, source: SourceCaller, line: 4,
				message: []string{"no job of this repository calls it", "the caller must grant contents: write"},
				fix:     []string{"`uses: ./.github/workflows/publish.yml`"}}},
		},
		{
			name: "attestations without id-token",
			files: map[string]string{"release.yml": `on: push
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      attestations: write
      artifact-metadata: write
    steps:
      - uses: actions/attest-build-provenance@v3
`},
			want: []want{{job: "release", status: StatusFail, source: SourceJob, line: 5,
				message: []string{"lacks id-token: write"}, fix: []string{"id-token: write           # request the OIDC token that signs the attestation"}}},
			class: outcome.PermissionsMissing,
		},
		{
			name: "artifact-metadata missing only warns",
			files: map[string]string{"release.yml": `on: push
jobs:
  release:
    runs-on: ubuntu-latest
    permissions: {contents: write, id-token: write, attestations: write}
    steps:
      - uses: actions/attest-sbom@v2
`},
			want: []want{{job: "release", status: StatusWarn, source: SourceJob, line: 5,
				message: []string{"lacks artifact-metadata: write, which is asked for too", "only warns"},
				fix:     []string{"Replace the job's `permissions:` block (line 5) with:"}}},
		},
		{
			name: "pull_request: forks get a read-only token",
			files: map[string]string{"release.yml": `on:
  pull_request:
  push:
    tags: ["v*"]
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: go run github.com/release-preflight/release-preflight/cmd/release-preflight@v0.1.0 release --tag "$GITHUB_REF_NAME"
  guarded:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: ./release-preflight publish --tag "$GITHUB_REF_NAME"
  skipped-with-it:
    needs: [guarded]
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: gh release upload "$GITHUB_REF_NAME" extra.txt
  runs-anyway:
    needs: skipped-with-it
    if: always()
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: gh release edit "$GITHUB_REF_NAME" --draft=false
`},
			want: []want{
				{job: "release", status: StatusOK, source: SourceJob, line: 8},
				{job: "release", status: StatusWarn, source: SourceJob, line: 2,
					message: []string{"runs on pull_request (line 2)", "read-only GITHUB_TOKEN whatever is declared"}, fix: []string{"if: github.event_name != 'pull_request'"}},
				{job: "guarded", status: StatusOK, source: SourceJob, line: 15},
				{job: "skipped-with-it", status: StatusOK, source: SourceJob, line: 22},
				{job: "runs-anyway", status: StatusOK, source: SourceJob, line: 30},
				{job: "runs-anyway", status: StatusWarn, source: SourceJob, line: 2, message: []string{"runs on pull_request"}},
			},
		},
		{
			name: "this project's CLI and Dagger module",
			files: map[string]string{"preflight.yml": `on: push
env:
  PREFLIGHT_MODULE: github.com/release-preflight/release-preflight@v0.1.0
jobs:
  probe:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: |
          dagger call -m "$PREFLIGHT_MODULE" --repo "$GITHUB_REPOSITORY" --token env:GITHUB_TOKEN \
              --github-actions \
            probe --tag "$GITHUB_REF_NAME" --attestations
        env:
          GITHUB_TOKEN: ${{ github.token }}
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: dagger/dagger-for-github@v8
        with:
          module: github.com/release-preflight/release-preflight@v0.1.0
          args: --token env:GITHUB_TOKEN preflight release --tag v1 --attestations
  summary:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - run: |
          dagger call -m "$PREFLIGHT_MODULE" --token env:GITHUB_TOKEN \
            preflight publish-report --tag v1 markdown >> "$GITHUB_STEP_SUMMARY"
        env:
          GITHUB_TOKEN: ${{ github.token }}
  other-module:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - run: dagger -m github.com/someone/else call probe && dagger call -m ./ci build
      - run: release-preflight audit && release-preflight build --out dist
      - uses: goreleaser/goreleaser-action@v6
        with:
          args: release --snapshot --clean
`},
			want: []want{
				{job: "probe", status: StatusFail, line: 7, needs: []string{"contents: write", "id-token: write"},
					message: []string{"lacks id-token: write", "runs `dagger probe`"}},
				{job: "release", status: StatusFail, line: 18, needs: []string{"contents: write", "id-token: write", "attestations: write"},
					message: []string{"uses dagger/dagger-for-github to run `dagger preflight release`"}},
				{job: "summary", status: StatusFail, line: 27, needs: []string{"contents: write"},
					message: []string{"runs `dagger preflight publish-report`"}},
			},
			class: outcome.PermissionsMissing,
		},
		{
			name:  "no job publishes",
			files: map[string]string{"ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n", "empty.yaml": "", "notes.txt": "not a workflow"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := Audit(repo(tc.files))
			assert.Equal(t, cmp.Or(tc.class, outcome.OK), outcome.ClassOf(err), "error: %v", err)
			require.Len(t, res.Findings, len(tc.want), "findings: %+v", res.Findings)
			for i, w := range tc.want {
				w.check(t, res.Findings[i])
			}
			if tc.class == outcome.PermissionsMissing {
				assert.ErrorContains(t, err, "audit the workflows' permissions: .github/workflows/")
				assert.ErrorContains(t, err, "Give each failing job the `permissions:` block its finding shows")
			}
		})
	}
}

// Every fix block parses and, pasted where the fix says, leaves nothing to fail or warn about
// in the job's permissions: the job then has its own block that grants what it needs.
func TestFixesSatisfyTheAudit(t *testing.T) {
	t.Parallel()
	workflows := map[string]string{
		"replace.yml":  "on: push\npermissions:\n  contents: write\njobs:\n  release:\n    runs-on: x\n    permissions:\n      id-token: write # OIDC\n      packages: write\n    steps:\n      - uses: softprops/action-gh-release@v2\n      - uses: actions/attest-build-provenance@v3\n",
		"flow.yml":     "on: push\njobs:\n  release:\n    runs-on: x\n    permissions: { contents: read }\n    steps:\n      - run: gh release create v1\n",
		"inherit.yml":  "on: push\npermissions:\n  contents: read\n  issues: write\njobs:\n  release:\n    runs-on: x\n    steps:\n      - uses: ncipollo/release-action@v1\n",
		"readall.yml":  "on: push\npermissions: read-all\njobs:\n  release:\n    runs-on: x\n    steps:\n      - run: release-preflight publish --attestations\n",
		"default.yml":  "on: push\njobs:\n  release:\n    runs-on: x\n    steps:\n      - uses: actions/attest@v2\n      - run: gh release upload v1 x\n",
		"caller.yml":   "on: push\njobs:\n  call:\n    permissions: {}\n    uses: ./.github/workflows/called.yml\n",
		"called.yml":   "on: workflow_call\njobs:\n  up:\n    runs-on: x\n    permissions:\n      contents: write\n    steps:\n      - run: gh release upload v1 x\n",
		"indented.yml": "on: push\njobs:\n    release:\n        runs-on: x\n        steps:\n            - run: gh release create v1\n",
		"flowjob.yml":  "on: push\njobs:\n  release: {runs-on: x, steps: [{run: gh release create v1}]}\n",
	}
	res, err := Audit(repo(workflows))
	require.Error(t, err)
	fixed := 0
	for _, f := range res.Findings {
		if f.Status == StatusOK || f.edit == nil {
			continue
		}
		t.Run(f.File+"/"+f.Job, func(t *testing.T) {
			name := filepath.Base(f.File)
			block := f.Fix[strings.Index(f.Fix, "\n")+1:]
			assert.Equal(t, f.edit.text, block, "the fix shows exactly the block it pastes")
			lines := strings.Split(workflows[name], "\n")
			lines = slices.Concat(lines[:f.edit.from-1], strings.Split(f.edit.text, "\n"), lines[f.edit.to:])
			files := map[string]string{}
			for k, v := range workflows {
				files[k] = v
			}
			files[name] = strings.Join(lines, "\n")
			again, err := Audit(repo(files))
			require.NotEqual(t, outcome.InvalidInput, outcome.ClassOf(err), "the fixed workflow parses: %v", err)
			seen := 0
			for _, g := range again.Findings {
				if g.File == f.File && g.Job == f.Job {
					assert.Equal(t, StatusOK, g.Status, "after pasting the fix:\n%s\n%s", files[name], g.Message)
					assert.Equal(t, SourceJob, g.Source)
					seen++
				}
			}
			assert.Equal(t, 1, seen, "the job is still audited:\n%s", files[name])
		})
		fixed++
	}
	assert.Equal(t, 7, fixed, "every workflow but the called one has a fix to paste")
}

// The example workflows pass the audit as shipped.
func TestExampleWorkflows(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "examples", "github-actions")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	fsys := fstest.MapFS{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		fsys[Dir+"/"+e.Name()] = &fstest.MapFile{Data: b}
	}
	res, err := Audit(fsys)
	require.NoError(t, err)
	require.NotEmpty(t, res.Findings)
	for _, f := range res.Findings {
		assert.Equal(t, StatusOK, f.Status, "%s:%d %s: %s", f.File, f.Line, f.Job, f.Message)
	}
}

// A workflow GitHub would refuse is invalid input naming the file and the line.
func TestAuditInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		message string
	}{
		{name: "bad YAML", fsys: repo(map[string]string{"ok.yml": "on: push\n", "bad.yml": "on: push\njobs:\n  a:\n    steps: [\n"}),
			message: ".github/workflows/bad.yml:4: it is not valid YAML: did not find expected node content"},
		{name: "tab indentation", fsys: repo(map[string]string{"bad.yml": "on: push\njobs:\n\ta: 1\n"}), message: ".github/workflows/bad.yml:3: it is not valid YAML"},
		{name: "a level that is none of read, write, none", fsys: repo(map[string]string{"bad.yml": "on: push\njobs:\n  a:\n    permissions:\n      contents: wrte\n"}),
			message: `.github/workflows/bad.yml:5: permission "contents": "wrte" is not read, write or none`},
		{name: "a shorthand that is neither read-all nor write-all", fsys: repo(map[string]string{"bad.yml": "on: push\npermissions: write\njobs: {}\n"}),
			message: `.github/workflows/bad.yml:2: permissions: "write" is not read-all, write-all or a mapping of scopes`},
		{name: "not a mapping", fsys: repo(map[string]string{"bad.yaml": "- on: push\n"}), message: ".github/workflows/bad.yaml:1: it is not a mapping"},
		{name: "no workflows directory", fsys: fstest.MapFS{"README.md": &fstest.MapFile{}}, message: "the source has no .github/workflows directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := Audit(tc.fsys)
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "an *outcome.Error: %v", err)
			assert.Equal(t, outcome.InvalidInput, e.Class)
			assert.Equal(t, "source", e.Input, "the fix is about the source")
			assert.Contains(t, err.Error(), tc.message)
			assert.NotEmpty(t, e.Remediation)
			assert.Empty(t, res.Findings)
		})
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		res  Result
		want string
	}{
		{Result{}, "found no workflow file (*.yml, *.yaml) in .github/workflows"},
		{Result{Workflows: 1}, "audited 1 workflow file: no job publishes with its GITHUB_TOKEN"},
		{Result{Workflows: 2, Findings: []Finding{{File: "a", Job: "x", Status: StatusOK}}}, "audited 2 workflow files: 1 job needs GITHUB_TOKEN permissions; 0 failing, 0 warning"},
		{Result{Workflows: 2, Findings: []Finding{{File: "a", Job: "x", Status: StatusFail}, {File: "a", Job: "x", Status: StatusWarn}, {File: "b", Job: "x", Status: StatusWarn}}},
			"audited 2 workflow files: 2 jobs need GITHUB_TOKEN permissions; 1 failing, 2 warning"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.res.Summary())
	}
}

// commands splits scripts as a shell would, enough to find the programs they run.
func TestCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		script string
		want   [][]string
	}{
		{"gh release create v1", [][]string{{"gh", "release", "create", "v1"}}},
		{"a 'b c' \"d \\\"e\\\"\" f\\ g", [][]string{{"a", "b c", `d "e"`, "f g"}}},
		{"x \\\n  y # z\nw;v&&u||t|s", [][]string{{"x", "y"}, {"w"}, {"v"}, {"u"}, {"t"}, {"s"}}},
		{"n=$(gh release view) `echo`", [][]string{{"n=$"}, {"gh", "release", "view"}, {"echo"}}},
		{"'unterminated", [][]string{{"unterminated"}}},
		{"\"unterminated \\", [][]string{{"unterminated \\"}}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, commands(tc.script), "%q", tc.script)
	}
}

// FuzzAudit feeds the parser any file: the audit never panics, and fails only with an
// *outcome.Error.
func FuzzAudit(f *testing.F) {
	f.Add([]byte("on: push\npermissions: {}\njobs:\n  a:\n    permissions:\n      contents: write\n    steps:\n      - run: gh release create v1\n"))
	f.Add([]byte("on: workflow_call\njobs:\n  a:\n    uses: ./.github/workflows/fuzz.yml\n"))
	f.Add([]byte("x: &a [*a]\n"))
	f.Add([]byte("jobs:\n  a:\n    steps:\n      - uses: dagger/dagger-for-github@v8\n        with: {args: \"'\", module: \"${X\"}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Audit(fstest.MapFS{Dir + "/fuzz.yml": &fstest.MapFile{Data: b}})
		if err != nil {
			_, ok := outcome.As(err)
			assert.True(t, ok, "not an *outcome.Error: %v", err)
			return
		}
		for _, f := range res.Findings {
			assert.Contains(t, []string{StatusOK, StatusWarn, StatusFail}, f.Status)
		}
	})
}
