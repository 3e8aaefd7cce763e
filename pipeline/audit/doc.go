// Package audit reads a repository's GitHub Actions workflows and says, down to the line, whether
// each job's GITHUB_TOKEN gets the permissions its steps need to publish a release; and, in a run
// whose token turned out read-only, which of GitHub's rules made it so ([Diagnose]).
//
// It needs no token and sends nothing: it reads .github/workflows/*.yml and *.yaml as YAML nodes
// (go.yaml.in/yaml/v3, which keeps every line and column; anchors and aliases resolved) and
// applies GitHub's rules for the GITHUB_TOKEN:
//
//   - A job's permissions come from its own `permissions:` key; without one, from the workflow's
//     top-level key; without either, from the default of the repository (Settings → Actions →
//     General → Workflow permissions), which an organization or enterprise can force to
//     read-only. Only that last case depends on the setting: a declared block wins over it.
//   - A `permissions:` block sets every scope it does not name to none (metadata stays read), and
//     a job's block replaces the workflow's entirely: a release job that adds `id-token: write`
//     at job level silently loses the workflow's `contents: write`. `read-all` grants read on
//     every scope, `write-all` write on every scope, `{}` nothing.
//   - No default grants `id-token: write`: a job that requests an OIDC token must declare it.
//   - A reusable workflow called from a job (`uses: ./.github/workflows/x.yml`) can only keep or
//     lower what that job grants; its jobs without a block get the caller's grant, and GitHub
//     refuses to start one whose jobs ask for more than the caller grants. The calling job is
//     therefore held to everything the called jobs need and declare.
//   - A run for a pull request from a fork gets a read-only token whatever is declared. A run
//     Dependabot triggers gets a read-only token by default, which a `permissions:` block raises.
//
// What a step needs is one row of a table (rules.go): an action by its `uses:` (release actions
// need `contents: write`; attestation actions `id-token: write` and `attestations: write`, and
// `artifact-metadata: write`, whose absence is only a warning), or a command in a `run:` script
// (`gh release create|upload|edit|delete`, this project's CLI and Dagger module, which also run
// in a dagger/dagger-for-github step). A step that authenticates with another token (its `token`
// or `github-token` input, or the GH_TOKEN or GITHUB_TOKEN it reads, set from anything but
// `secrets.GITHUB_TOKEN` or `github.token`) needs nothing from the job's token, except
// `id-token: write`, which is about requesting an OIDC token, not about the GitHub token.
//
// [Audit] returns one [Finding] per job that needs something: fail when its block lacks a scope
// it needs (with the block to paste, commented), warn when the repository default decides, when
// the job only inherits the workflow's block, or when it runs on pull_request; ok otherwise. A
// workflow that does not parse is invalid input, naming the file and line.
//
// What it cannot see: remote reusable workflows (owner/repo/.github/workflows/x.yml@ref), what
// a composite or third-party action not in the table does with the token, the repository's
// actual setting, organization policies and GitHub App permissions. The probe, which really
// creates a draft release, is what proves a token can publish; the audit catches a bad block
// before a tag is pushed.
package audit
