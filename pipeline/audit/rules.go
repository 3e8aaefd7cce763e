package audit

import "strings"

// need is a permission a step needs from its job's GITHUB_TOKEN, and why.
type need struct {
	scope string
	level access
	why   string // the comment of the scope in a fix block
	// optional: missing it is a warning, not a failure (a scope an action only recently
	// started asking for).
	optional bool
	// oidc: needed whatever token the step authenticates with; id-token: write is the job's
	// right to request an OIDC token, not a permission of the GitHub token.
	oidc bool
}

// The needs the rules share.
var (
	createRelease = need{scope: scopeContents, level: writeAccess, why: "create the release and upload its assets"}
	probeDraft    = need{scope: scopeContents, level: writeAccess, why: "create and delete the probe's draft release"}
	oidcToken     = need{scope: scopeIDToken, level: writeAccess, why: "request the OIDC token that signs the attestation", oidc: true}
	attestation   = []need{
		oidcToken,
		{scope: scopeAttestations, level: writeAccess, why: "store the attestation"},
		{scope: scopeArtifactMetadata, level: writeAccess, why: "record the attested artifacts' metadata", optional: true},
	}
	// checkAttestations are the needs --attestations adds to this project's release and publish:
	// the check requests nothing, but the release it guards is attested in the same job.
	checkAttestations = []need{oidcToken, {scope: scopeAttestations, level: writeAccess, why: "store the attestation"}}
	// checkOIDC is what --attestations adds to the probe, which only checks for the OIDC token.
	checkOIDC = need{scope: scopeIDToken, level: writeAccess, why: "request the OIDC token that signs the attestation", oidc: true}
)

// actionRule is what the steps that use one action need.
type actionRule struct {
	uses  string // owner/repo[/path], compared before the @ and case-insensitively
	needs []need
	// tokenInputs and tokenEnv are where the action takes its GitHub token from, in order: its
	// inputs, then the environment variables it reads. When none is set it uses github.token.
	tokenInputs, tokenEnv []string
	// publishes, when set, says from the step's inputs (keys in lower case) whether the step
	// needs anything at all.
	publishes func(with map[string]string) bool
	// runs, when set, is the command line the action runs from its inputs, checked against the
	// command rules instead of needs.
	runs func(with map[string]string) string
}

// actionRules are the actions whose steps need the job's token. A new publishing action is one
// row.
var actionRules = []actionRule{
	{uses: "softprops/action-gh-release", needs: []need{createRelease}, tokenInputs: []string{"token"}},
	{uses: "ncipollo/release-action", needs: []need{createRelease}, tokenInputs: []string{"token"}},
	{uses: "goreleaser/goreleaser-action", needs: []need{createRelease}, tokenEnv: []string{"GITHUB_TOKEN"}, publishes: goreleaserPublishes},
	{uses: "actions/attest-build-provenance", needs: attestation, tokenInputs: []string{"github-token"}},
	{uses: "actions/attest-sbom", needs: attestation, tokenInputs: []string{"github-token"}},
	{uses: "actions/attest", needs: attestation, tokenInputs: []string{"github-token"}},
	{uses: "dagger/dagger-for-github", runs: daggerForGitHub},
}

// commandRule is what one command in a run: script needs.
type commandRule struct {
	tool  string   // the program: gh, release-preflight (this project's CLI) or dagger (its module)
	words []string // the subcommand, or the Dagger function path
	needs []need
	// attestations are added when the command has --attestations.
	attestations []need
}

// commandRules are the commands whose run: steps need the job's token. For dagger, the words are
// the function path of this project's module (dagger call … preflight release).
var commandRules = []commandRule{
	{tool: "gh", words: []string{"release", "create"}, needs: []need{createRelease}},
	{tool: "gh", words: []string{"release", "upload"}, needs: []need{{scope: scopeContents, level: writeAccess, why: "upload the release's assets"}}},
	{tool: "gh", words: []string{"release", "edit"}, needs: []need{{scope: scopeContents, level: writeAccess, why: "edit the release"}}},
	{tool: "gh", words: []string{"release", "delete"}, needs: []need{{scope: scopeContents, level: writeAccess, why: "delete the release"}}},
	{tool: cliName, words: []string{"probe"}, needs: []need{probeDraft}, attestations: []need{checkOIDC}},
	{tool: cliName, words: []string{"release"}, needs: []need{createRelease}, attestations: checkAttestations},
	{tool: cliName, words: []string{"publish"}, needs: []need{createRelease}, attestations: checkAttestations},
	{tool: cliName, words: []string{"sweep"}, needs: []need{{scope: scopeContents, level: writeAccess, why: "delete the probe's leftover draft releases"}}},
	{tool: "dagger", words: []string{"probe"}, needs: []need{probeDraft}, attestations: []need{checkOIDC}},
	{tool: "dagger", words: []string{"probe-report"}, needs: []need{probeDraft}, attestations: []need{checkOIDC}},
	{tool: "dagger", words: []string{"preflight", "release"}, needs: []need{createRelease}, attestations: checkAttestations},
	{tool: "dagger", words: []string{"preflight", "release-report"}, needs: []need{createRelease}, attestations: checkAttestations},
	{tool: "dagger", words: []string{"preflight", "publish"}, needs: []need{createRelease}, attestations: checkAttestations},
	{tool: "dagger", words: []string{"preflight", "publish-report"}, needs: []need{createRelease}, attestations: checkAttestations},
	{tool: "dagger", words: []string{"sweep"}, needs: []need{{scope: scopeContents, level: writeAccess, why: "delete the probe's leftover draft releases"}}},
}

// cliName is this project's CLI, and the name that marks its Dagger module in a module reference.
const cliName = "release-preflight"

// tokenEnv is where each tool reads its GitHub token from, in order, unless a flag says
// otherwise (see commandToken).
var tokenEnv = map[string][]string{
	"gh":    {"GH_TOKEN", "GITHUB_TOKEN"},
	cliName: {"GITHUB_TOKEN", "GH_TOKEN"},
}

// goreleaserPublishes says whether goreleaser-action's args publish: its default command is
// release; a snapshot, a skipped publish or another command publishes nothing.
func goreleaserPublishes(with map[string]string) bool {
	args := strings.Fields(with["args"])
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") && args[0] != "release" {
		return false // build, check, healthcheck, init, …
	}
	for i, a := range args {
		skip, list, _ := strings.Cut(a, "=")
		if skip == "--skip" && list == "" && i+1 < len(args) {
			list = args[i+1]
		}
		if a == "--snapshot" || a == "--skip-publish" || skip == "--skip" && strings.Contains(list, "publish") {
			return false
		}
	}
	return true
}

// daggerForGitHub is the dagger command line a dagger/dagger-for-github step runs: its call
// input, or its verb and args, with its module.
func daggerForGitHub(with map[string]string) string {
	cmd := "dagger"
	if m := with["module"]; m != "" {
		cmd += " -m " + shellQuote(m)
	}
	if call := with["call"]; call != "" {
		return cmd + " call " + call
	}
	verb := with["verb"]
	if verb == "" {
		verb = "call"
	}
	return cmd + " " + verb + " " + with["args"]
}

// shellQuote quotes s as one word.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
