package release

// Adapter is a way in: the command line or the Dagger module. Errors name the input they are
// about ("tag"); the adapter decides how a user passes it ("--tag").
type Adapter int

// The adapters.
const (
	CLI    Adapter = iota // cmd/release-preflight: flags and environment variables
	Dagger                // the Dagger module: arguments of the module and of its functions
)

// An Input is one input the core can name in an error, with how each adapter takes it. A way
// left empty says in Why why that adapter takes no such input.
type Input struct {
	Name   string // as errors name it (outcome.Error's Input, a check's Input)
	CLI    string // how the command line takes it
	Dagger string // how the Dagger module takes it
	Why    string // why CLI or Dagger is empty
}

// module is how the Dagger module takes one of its own arguments: before the function.
func module(name string) string {
	return "--" + name + " of the module: dagger call --" + name + " … FUNCTION"
}

// Inputs lists every input the core can name, with its flag and its Dagger argument. A test
// holds it to every input name the pipeline packages use.
var Inputs = []Input{
	{Name: "repo", CLI: "--repo, default $GITHUB_REPOSITORY", Dagger: module("repo")},
	{Name: "token", CLI: "$GITHUB_TOKEN or $GH_TOKEN, or --token-env NAME", Dagger: module("token")},
	{Name: "api-url", CLI: "--api-url, default $GITHUB_API_URL", Dagger: module("api-url")},
	{Name: "upload-url", CLI: "--upload-url", Dagger: module("upload-url")},
	{Name: "api-service", Dagger: module("api-service"),
		Why: "a Dagger service; the command line reaches a double by --api-url"},
	{Name: "run-id", CLI: "--run-id, default $GITHUB_RUN_ID", Dagger: module("run-id")},
	{Name: "run-attempt", CLI: "--run-attempt, default $GITHUB_RUN_ATTEMPT", Dagger: module("run-attempt")},
	{Name: "oidc", CLI: "$ACTIONS_ID_TOKEN_REQUEST_URL and $ACTIONS_ID_TOKEN_REQUEST_TOKEN, which GitHub Actions sets for such a job",
		Dagger: `--oidc-request-url and --oidc-request-token of the module: dagger call --oidc-request-url "$ACTIONS_ID_TOKEN_REQUEST_URL" --oidc-request-token env:ACTIONS_ID_TOKEN_REQUEST_TOKEN … FUNCTION`},
	{Name: "ca-certificates",
		CLI:    "$SSL_CERT_FILE (a PEM file of CA certificates) or $SSL_CERT_DIR (a directory of them), which the command reads at start, besides the system's",
		Dagger: "the engine's CA directory, ~/.config/dagger/ca-certificates, whose certificates Dagger installs in the engine and its containers (https://docs.dagger.io/configuration/custom-ca)"},
	{Name: "timeout", CLI: "--timeout",
		Why: "a Dagger call is bounded by its caller, such as the CI job's timeout-minutes"},

	{Name: "tag", CLI: "--tag", Dagger: "--tag"},
	{Name: "assets", CLI: "--assets", Dagger: "--assets"},
	{Name: "commit", CLI: "--commit", Dagger: "--commit"},
	{Name: "target", CLI: "--target", Dagger: "--target"},
	{Name: "prerelease", CLI: "--prerelease", Dagger: "--prerelease"},
	{Name: "notes", CLI: "--notes or --notes-file", Dagger: "--notes"},
	{Name: "notes-file", CLI: "--notes-file",
		Why: "the module takes the notes themselves, --notes; read a file into it with --notes \"$(cat FILE)\""},
	{Name: "replace-assets", CLI: "--replace-assets", Dagger: "--replace-assets"},
	{Name: "concurrency", CLI: "--concurrency",
		Why: "the module uploads at the default concurrency"},
	{Name: "latest", CLI: "--latest", Dagger: "--latest"},
	{Name: "expected-run-time", CLI: "--expected-run-time", Dagger: "--expected-run-time"},

	{Name: "source", CLI: "--source", Dagger: "--source"},
	{Name: "out", CLI: "--out",
		Why: "the module returns the built directory; export it with `export --path DIR`"},
	{Name: "version", CLI: "--version", Dagger: "--version"},
	{Name: "platforms", CLI: "--platforms", Dagger: "--platforms"},
	{Name: "packages", CLI: "--packages", Dagger: "--packages"},
	{Name: "name", CLI: "--name", Dagger: "--name"},
	{Name: "ldflags", CLI: "--ldflags", Dagger: "--ldflags"},
	{Name: "source-date-epoch", CLI: "--source-date-epoch, default $SOURCE_DATE_EPOCH", Dagger: "--source-date-epoch"},

	{Name: "older-than", CLI: "--older-than", Dagger: "--older-than"},
}

// renamed are, per command, the inputs it takes under another input's name: release stamps its
// tag as the build's version, so a version that cannot be one is its --tag's fault.
var renamed = map[string]map[string]string{
	"release": {"version": "tag"},
}

// how is how a maps input names to its ways of passing them, for the errors of command: "" for
// an input it does not take (the error then names none).
func (a Adapter) how(command string) func(input string) string {
	return func(input string) string {
		if to, ok := renamed[command][input]; ok {
			input = to
		}
		for _, in := range Inputs {
			if in.Name != input {
				continue
			}
			if a == Dagger {
				return in.Dagger
			}
			return in.CLI
		}
		return ""
	}
}
