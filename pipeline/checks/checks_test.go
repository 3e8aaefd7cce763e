package checks_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/pipeline/checks"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

const (
	fullRepo   = "octo-org/hello"
	tokWrite   = "ghs_writeTOKENforTheChecksPackageTests"
	tokClassic = "ghp_classicTOKENforTheChecksPackageTests"
	commitA    = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	commitB    = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

var repo = githubapi.Repo{Owner: "octo-org", Name: "hello"}

type env struct {
	*emulatortest.Env
	srv *emulator.Server
	clk *emulatortest.Clock
}

// setup starts the emulator of a test, its traffic validated against GitHub's description.
func setup(t testing.TB, opts ...emulatortest.Option) env {
	t.Helper()
	e := emulatortest.Setup(t, append([]emulatortest.Option{
		emulatortest.WithRepo(fullRepo), emulatortest.WithToken(tokWrite),
		emulatortest.WithExtraToken(tokClassic, emulator.ModeClassicRepo),
		emulatortest.WithClockStart(time.Date(2026, 5, 6, 7, 0, 0, 0, time.UTC)),
	}, opts...)...)
	return env{Env: e, srv: e.Server, clk: e.Clock}
}

func (e env) client(t testing.TB, token string) *githubapi.Client {
	t.Helper()
	return e.ClientFor(t, token)
}

// statuses maps each check to its status.
func statuses(res *checks.Result) map[string]string {
	out := map[string]string{}
	for _, c := range res.Checks {
		out[c.Name] = c.Status
	}
	return out
}

func find(t testing.TB, res *checks.Result, name string) report.Check {
	t.Helper()
	for _, c := range res.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %s", name)
	return report.Check{}
}

// files are n small planned files.
func files(n int) []checks.File {
	out := make([]checks.File, n)
	for i := range out {
		out[i] = checks.File{Name: fmt.Sprintf("hello_%04d.tar.gz", i), Size: 1024}
	}
	return out
}

// built is a release asset and the file that holds its bytes (its SHA-256 known), or, with
// other, one that holds other bytes.
func built(name, content string, other bool) (emulator.Asset, checks.File) {
	held := content
	if other {
		held += " (rebuilt)"
	}
	sum := sha256.Sum256([]byte(held))
	return emulator.Asset{Name: name, Content: []byte(content)}, checks.File{Name: name, Size: int64(len(held)), SHA256: hex.EncodeToString(sum[:])}
}

// onlyReads asserts the emulator saw no request but GETs.
func onlyReads(t testing.TB, srv *emulator.Server) {
	t.Helper()
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method, "checks only read: %s %s", r.Method, r.Path)
	}
}

func baseInput() checks.Input {
	return checks.Input{Repo: repo, Tag: "v1.2.0", Options: checks.Options{Commit: commitA}, Files: files(3)}
}

func TestEveryCheckPasses(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.1.0"})
	e.srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "main", Target: "branch", Include: []string{"~DEFAULT_BRANCH"}, Rules: []string{"deletion"}})
	e.srv.SetTokenExpiry(tokWrite, e.clk.Now().Add(48*time.Hour))
	in := baseInput()
	in.Attestations = true
	in.OIDC = checks.OIDC{RequestURL: "https://token.actions.example/x", RequestToken: "oidc-secret"}
	e.srv.AddRepoWith(fullRepo, emulator.RepoOptions{Visibility: "public"})

	res, err := checks.Run(t.Context(), e.client(t, tokWrite), in)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"release": "ok", "tag": "ok", "tag-rulesets": "ok", "immutable-releases": "ok", "asset-budget": "ok",
		"rate-budget": "ok", "latest": "ok", "oidc": "ok", "attestations": "ok", "token-expiry": "ok",
	}, statuses(res))
	assert.Equal(t, checks.Names(), names(res), "every check, in order")
	assert.Equal(t, "true", res.MakeLatest)
	assert.Zero(t, res.UploadInterval)
	assert.Contains(t, find(t, res, "release").Message, "no release for v1.2.0 yet")
	assert.Contains(t, find(t, res, "latest").Message, "higher than the latest release v1.1.0")
	assert.Contains(t, find(t, res, "rate-budget").Message, "publishing needs about 9 requests of the ", "the rate limit is read while the other reads run")
	assert.Contains(t, find(t, res, "token-expiry").Message, "the token expires at 2026-05-08 07:00:00 UTC (in 48h0m0s)")
	// releases, immutable setting, tag ref, tag rulesets, latest, rate limit, repository.
	assert.Len(t, e.srv.Requests(), 7)
	onlyReads(t, e.srv)
	for _, c := range res.Checks {
		assert.NotContains(t, c.Message+c.Fix, "oidc-secret")
	}
}

func names(res *checks.Result) []string {
	var out []string
	for _, c := range res.Checks {
		out = append(out, c.Name)
	}
	return out
}

// Each failure, set up in the emulator: its check fails with its class, exit code, message and
// fix, and nothing is written.
func TestFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		setup    func(e env)
		input    func(in *checks.Input)
		token    string
		check    string
		class    outcome.Class
		exit     int
		message  string
		fix      string
		input2   string // the Input the fix is about
		requests int
	}{
		{
			name: "published release",
			setup: func(e env) {
				e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", TargetCommitish: commitA})
			},
			check: "release", class: outcome.Conflict, exit: 1,
			message: "release v1.2.0 is already published (release ID", fix: "Re-run with the option to replace assets", input2: "replace-assets",
			requests: 6,
		},
		{
			name: "published release, a file with other bytes",
			setup: func(e env) {
				a, _ := built("hello_linux_amd64.tar.gz", "v1.2.0 linux", false)
				b, _ := built("hello_darwin_arm64.tar.gz", "v1.2.0 darwin", false)
				e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", TargetCommitish: commitA, Assets: []emulator.Asset{a, b}})
			},
			input: func(in *checks.Input) {
				_, a := built("hello_linux_amd64.tar.gz", "v1.2.0 linux", false)
				_, b := built("hello_darwin_arm64.tar.gz", "v1.2.0 darwin", true)
				_, c := built("hello_windows_amd64.zip", "v1.2.0 windows", false)
				in.Files = []checks.File{a, b, c}
			},
			check: "release", class: outcome.Conflict, exit: 1,
			message: "cannot be shown to be its assets (hello_darwin_arm64.tar.gz differs, hello_windows_amd64.zip is missing), so nothing was built or uploaded",
			fix:     "Re-run with the option to replace assets", input2: "replace-assets", requests: 6,
		},
		{
			name: "published release without digests, a file of the same size",
			setup: func(e env) {
				a, _ := built("hello_linux_amd64.tar.gz", "v1.2.0 linux", false)
				a.Size, a.Content = int64(len(a.Content)), nil // uploaded before GitHub kept digests
				e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", TargetCommitish: commitA, Assets: []emulator.Asset{a}})
			},
			input: func(in *checks.Input) {
				_, a := built("hello_linux_amd64.tar.gz", "v1.2.0 linux", false)
				in.Files = []checks.File{a}
			},
			check: "release", class: outcome.Conflict, exit: 1,
			message: "(hello_linux_amd64.tar.gz cannot be compared: it has the same size, but GitHub has no digest of it)",
			fix:     "Re-run with the option to replace assets", input2: "replace-assets", requests: 6,
		},
		{
			name: "published release, files a build has still to make",
			setup: func(e env) {
				e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", TargetCommitish: commitA, Assets: assets(1)})
			},
			input: func(in *checks.Input) { in.Files = []checks.File{{Name: "extra_0.txt"}} },
			check: "release", class: outcome.Conflict, exit: 1,
			message: "(extra_0.txt is not built yet)", fix: "Re-run with the option to replace assets", input2: "replace-assets", requests: 6,
		},
		{
			name: "published immutable release",
			setup: func(e env) {
				e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", TargetCommitish: commitA, Immutable: true})
			},
			input: func(in *checks.Input) { in.ReplaceAssets = true },
			check: "release", class: outcome.ReleaseImmutable, exit: 3,
			message: "is published and immutable", fix: "Release under a new tag", input2: "tag", requests: 6,
		},
		{
			name:  "tag at another commit",
			setup: func(e env) { e.srv.AddTagAt(fullRepo, "v1.2.0", commitB) },
			check: "tag", class: outcome.TagConflict, exit: 1,
			message: "tag v1.2.0 exists at commit " + commitB + ", but the commit being released is " + commitA,
			fix:     "Release commit " + commitB, input2: "commit", requests: 6,
		},
		{
			name:  "annotated tag at another commit",
			setup: func(e env) { e.srv.AddAnnotatedTag(fullRepo, "v1.2.0", commitB) },
			check: "tag", class: outcome.TagConflict, exit: 1,
			message: "annotated tag v1.2.0 exists at commit " + commitB, fix: "Release commit " + commitB, input2: "commit",
			requests: 7, // the tag object too
		},
		{
			name:  "tag at another commit than the target",
			setup: func(e env) { e.srv.AddTagAt(fullRepo, "v1.2.0", commitB) },
			input: func(in *checks.Input) { in.Commit, in.Target = "", commitA },
			check: "tag", class: outcome.TagConflict, exit: 1,
			message: "but the commit being released is " + commitA, fix: "Release commit", input2: "commit", requests: 6,
		},
		{
			name: "tag ruleset blocks creation",
			setup: func(e env) {
				e.srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "release tags", Include: []string{"refs/tags/v*"}, Rules: []string{"creation"}})
			},
			check: "tag-rulesets", class: outcome.TagProtected, exit: 3,
			message: `ruleset "release tags" (ID`, fix: "/octo-org/hello/rules/", requests: 7,
		},
		{
			name: "organization ruleset blocks creation",
			setup: func(e env) {
				e.srv.AddOrgRuleset("octo-org", emulator.Ruleset{Name: "all tags", Include: []string{"~ALL"}, Rules: []string{"creation", "deletion"}})
				e.srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "off", Enforcement: "disabled", Include: []string{"~ALL"}, Rules: []string{"creation"}})
			},
			check: "tag-rulesets", class: outcome.TagProtected, exit: 3,
			message: "organization octo-org) lets only its bypass list create tags matching refs/tags/v1.2.0", fix: "/organizations/octo-org/settings/rules/",
			requests: 7, // the disabled one is not read
		},
		{
			name: "too many assets with the draft's",
			setup: func(e env) {
				e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", Draft: true, Assets: assets(5)})
			},
			input: func(in *checks.Input) { in.Files = files(996) },
			token: tokClassic,
			check: "asset-budget", class: outcome.AssetLimit, exit: 3,
			message: "the release would hold 1001 assets (996 files and 5 kept from the draft); GitHub allows 1000",
			fix:     "Bundle the files into fewer archives", requests: 6,
		},
		{
			name:  "a file of 2 GiB",
			input: func(in *checks.Input) { in.Files = []checks.File{{Name: "big.iso", Size: 2 << 30}} },
			check: "asset-budget", class: outcome.AssetLimit, exit: 3,
			message: "big.iso is 2.0 GiB; GitHub takes assets under 2 GiB", fix: "Split or shrink", requests: 6,
		},
		{
			name: "names GitHub stores alike",
			input: func(in *checks.Input) {
				in.Files = []checks.File{{Name: "app (1).zip", Size: 1}, {Name: "app.1.zip", Size: 1}, {Name: "ok.zip", Size: 1}}
			},
			check: "asset-budget", class: outcome.AssetLimit, exit: 3,
			message: `"app (1).zip", "app.1.zip" would all be stored as app.1.zip`, fix: "Rename the files", requests: 6,
		},
		{
			name: "rate limit spent until a reset far away",
			// 994 spent: the checks' five reads leave at least one, so that no read is itself refused.
			setup: func(e env) { e.srv.SetRateUsed(tokWrite, 994) },
			check: "rate-budget", class: outcome.RateLimited, exit: 4,
			message: "publishing needs about 9 requests, but only", fix: "Wait until 2026-05-06 08:00:00 UTC, when the rate limit resets", requests: 6,
		},
		{
			name:  "more than the hourly limit",
			input: func(in *checks.Input) { in.Files = files(999); in.Tag = "" },
			check: "rate-budget", class: outcome.RateLimited, exit: 4,
			message: "publishing needs about 1005 requests, more than the 1000 an hour", fix: "Publish fewer files", requests: 3,
		},
		{
			name:  "attestations without an OIDC token",
			input: func(in *checks.Input) { in.Attestations = true; in.OIDC = checks.OIDC{RequestURL: "https://x"} },
			check: "oidc", class: outcome.OIDCMissing, exit: 3,
			message: "the job has no OIDC request token", fix: "`permissions: id-token: write`", input2: "oidc", requests: 7,
		},
		{
			name:  "attestations for a private repository of a user",
			setup: func(e env) { e.srv.AddRepoWith(fullRepo, emulator.RepoOptions{OwnerType: "User"}) },
			input: func(in *checks.Input) {
				in.Attestations = true
				in.OIDC = checks.OIDC{RequestURL: "https://x", RequestToken: "t"}
			},
			check: "attestations", class: outcome.AttestationsUnavailable, exit: 3,
			message: "octo-org/hello is a private repository owned by the user octo-org", fix: "Make the repository public", requests: 7,
		},
		{
			name:  "GitHub fails to answer",
			setup: func(e env) { e.srv.Inject(emulator.Fault{PathContains: "/rulesets", Status: 502, Times: -1}) },
			check: "tag-rulesets", class: outcome.ServerError, exit: 4,
			message: "", fix: "Re-run later", requests: 9, // four attempts
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			if tc.setup != nil {
				tc.setup(e)
			}
			in := baseInput()
			if tc.input != nil {
				tc.input(&in)
			}
			token := tc.token
			if token == "" {
				token = tokWrite
			}
			res, err := checks.Run(t.Context(), e.client(t, token), in)
			require.Error(t, err)
			assert.Equal(t, tc.class, outcome.ClassOf(err))
			assert.Equal(t, tc.exit, outcome.ClassOf(err).ExitCode())
			c := find(t, res, tc.check)
			assert.Equal(t, "fail", c.Status)
			assert.Contains(t, c.Message, tc.message)
			assert.Contains(t, c.Fix, tc.fix)
			assert.Equal(t, tc.input2, c.Input)
			assert.Contains(t, err.Error(), c.Message, "the error is the check's")
			e2, _ := outcome.As(err)
			assert.Equal(t, c.Fix, e2.Remediation)
			assert.Len(t, e.srv.Requests(), tc.requests, "%v", e.srv.Requests())
			onlyReads(t, e.srv)
			for _, other := range res.Checks {
				if other.Name != tc.check && other.Name != "immutable-releases" {
					assert.NotEqual(t, "fail", other.Status, "%s: %s", other.Name, other.Message)
				}
			}
		})
	}
}

func assets(n int) []emulator.Asset {
	out := make([]emulator.Asset, n)
	for i := range out {
		out[i] = emulator.Asset{Name: fmt.Sprintf("extra_%d.txt", i), Content: []byte("x")}
	}
	return out
}

// Warnings and notes: the run goes on, and the report says what it found.
func TestWarningsAndNotes(t *testing.T) {
	t.Parallel()
	pre := true
	tests := []struct {
		name       string
		setup      func(e env)
		input      func(in *checks.Input)
		token      string
		check      string
		status     string
		message    string
		makeLatest string
		interval   time.Duration
		offScript  bool // the emulator answers what GitHub's description does not document
	}{
		{name: "draft is resumed", setup: func(e env) {
			e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", Draft: true, Assets: assets(2)})
		}, check: "release", status: "ok", message: "with 2 assets, will be resumed"},
		{name: "published release with these files", setup: func(e env) {
			a, _ := built("hello_linux_amd64.tar.gz", "v1.2.0 linux", false)
			sums := emulator.Asset{Name: "SHA256SUMS", Content: []byte("listing other jobs' files too\n")}
			e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", TargetCommitish: commitA, Assets: []emulator.Asset{a, sums}})
		}, input: func(in *checks.Input) {
			_, a := built("hello_linux_amd64.tar.gz", "v1.2.0 linux", false)
			in.Files = []checks.File{a, {Name: "SHA256SUMS", Size: 90, SHA256: strings.Repeat("0", 64)}}
		}, check: "release", status: "ok", message: "release v1.2.0 is already published (release ID 1002) with these files: publishing has nothing to do"},
		{name: "published release with replace", setup: func(e env) {
			e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", TargetCommitish: commitA})
		},
			input: func(in *checks.Input) { in.ReplaceAssets = true }, check: "release", status: "ok", message: "its assets named like the files will be replaced"},
		{name: "kept draft assets count", setup: func(e env) {
			e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", Draft: true, Assets: assets(2)})
		}, check: "asset-budget", status: "ok", message: "5 assets of GitHub's 1000 per release (3 files and 2 kept from the draft)"},
		{name: "tag at the commit", setup: func(e env) { e.srv.AddAnnotatedTag(fullRepo, "v1.2.0", commitA) },
			input: func(in *checks.Input) { in.Commit = commitA[:12] }, check: "tag", status: "ok", message: "annotated tag v1.2.0 exists at commit " + commitA + ", the commit being released"},
		{name: "tag without a commit to compare", setup: func(e env) { e.srv.AddTagAt(fullRepo, "v1.2.0", commitB) },
			input: func(in *checks.Input) { in.Commit = "" }, check: "tag", status: "skipped", message: "no commit was given to compare it with"},
		{name: "commit that is no SHA", setup: func(e env) { e.srv.AddTagAt(fullRepo, "v1.2.0", commitB) },
			input: func(in *checks.Input) { in.Commit = "release-build" }, check: "tag", status: "skipped", message: `"release-build" is not a commit SHA`},
		{name: "new tag from the target", input: func(in *checks.Input) { in.Target = "release/1.x" }, check: "tag", status: "ok",
			message: "tag v1.2.0 does not exist yet: publishing creates it at release/1.x"},
		{name: "ruleset in evaluate mode", setup: func(e env) {
			e.srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "trial", Enforcement: "evaluate", Include: []string{"~ALL"}, Rules: []string{"creation"}})
		}, check: "tag-rulesets", status: "warn", message: `ruleset "trial"`},
		{name: "ruleset the token bypasses", token: tokClassic, setup: func(e env) {
			e.srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "tags", Include: []string{"~ALL"}, Rules: []string{"creation"}, Bypass: []emulator.Mode{emulator.ModeClassicRepo}})
		}, check: "tag-rulesets", status: "ok", message: "this token can bypass"},
		{name: "ruleset on an existing tag", setup: func(e env) {
			e.srv.AddTagAt(fullRepo, "v1.2.0", commitA)
			e.srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "tags", Include: []string{"refs/tags/v*"}, Rules: []string{"creation", "update", "deletion"}})
		}, check: "tag-rulesets", status: "ok", message: "the tag exists and publishing creates no ref"},
		{name: "ruleset excluding the tag", setup: func(e env) {
			e.srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "tags", Include: []string{"~ALL"}, Exclude: []string{"refs/tags/v1.*"}, Rules: []string{"creation"}})
		}, check: "tag-rulesets", status: "ok", message: "no active tag ruleset covers refs/tags/v1.2.0 (1 tag rulesets read)"},
		{name: "ruleset on a draft left for a human", input: func(in *checks.Input) { in.Draft = true }, setup: func(e env) {
			e.srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "tags", Include: []string{"~ALL"}, Rules: []string{"creation"}})
		}, check: "tag-rulesets", status: "warn", message: "whoever publishes the draft must be able to bypass it"},
		{name: "immutable releases on", token: tokClassic, setup: func(e env) {
			e.srv.SetAdmin(tokClassic, true)
			e.srv.SetImmutableReleases(fullRepo, true)
		}, check: "immutable-releases", status: "warn", message: "immutable releases are on in octo-org/hello: once published"},
		{name: "immutable releases off", token: tokClassic, setup: func(e env) { e.srv.SetAdmin(tokClassic, true) },
			check: "immutable-releases", status: "ok", message: "GitHub answered 404 for the setting: immutable releases are off"},
		{name: "an immutable release without admin access", setup: func(e env) {
			e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Immutable: true})
		}, check: "immutable-releases", status: "warn", message: "release v1.0.0 of octo-org/hello is immutable"},
		{name: "immutable unknown without admin access", check: "immutable-releases", status: "ok",
			message: "no published release of octo-org/hello is immutable, and GitHub answered 404 for the setting: immutable releases are off (or this token may not read the setting)"},
		{name: "immutable setting refused", setup: func(e env) {
			e.srv.Inject(emulator.Fault{Endpoint: "check-if-immutable-releases-are-enabled-for-a-repository", Status: http.StatusForbidden,
				Body: `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest","status":"403"}`})
		}, check: "immutable-releases", status: "ok", offScript: true, // a 403 GitHub documents nowhere for it, but may send
			message: "no published release of octo-org/hello is immutable; whether the setting is on takes admin access to read"},
		{name: "lower than the latest", setup: func(e env) { e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v2.0.0"}) },
			check: "latest", status: "ok", message: "v1.2.0 is lower than the latest release v2.0.0: it is published with make_latest false", makeLatest: "false"},
		{name: "latest as asked", setup: func(e env) { e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v2.0.0"}) },
			input: func(in *checks.Input) { in.Latest = "true" }, check: "latest", status: "ok", message: "as asked", makeLatest: "true"},
		{name: "pre-release", input: func(in *checks.Input) { in.Tag = "v1.2.0-rc.1" }, check: "latest", status: "ok", message: "a pre-release"},
		{name: "pre-release by choice", input: func(in *checks.Input) { in.Prerelease = &pre }, check: "latest", status: "ok", message: "a pre-release"},
		{name: "not semver", setup: func(e env) { e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "2024-01"}) },
			check: "latest", status: "skipped", message: "are not both semantic versions"},
		{name: "short wait for the rate limit", setup: func(e env) {
			e.srv.SetRateUsed(tokWrite, 994)
			e.clk.Advance(time.Hour - 30*time.Second)
		}, check: "rate-budget", status: "warn", message: "enough once the rate limit resets in 30s"},
		{name: "many uploads are paced", token: tokClassic, input: func(in *checks.Input) { in.Files = files(200) },
			check: "rate-budget", status: "ok", message: "its 200 uploads are paced one every 750ms", interval: 750 * time.Millisecond},
		{name: "more uploads than writes an hour", token: tokClassic, input: func(in *checks.Input) { in.Files = files(600) },
			check: "rate-budget", status: "warn", message: "paced one every 7.2s to stay under GitHub's secondary limit of 500 an hour, about 1h12m0s", interval: 7200 * time.Millisecond},
		{name: "organization's private repository", input: func(in *checks.Input) {
			in.Attestations = true
			in.OIDC = checks.OIDC{RequestURL: "https://x", RequestToken: "t"}
		}, check: "attestations", status: "warn", message: "a private repository of the organization octo-org: attestations need GitHub Enterprise Cloud"},
		{name: "attestations not asked for", check: "attestations", status: "skipped", message: "attestations were not asked for"},
		{name: "token expires during the run", setup: func(e env) { e.srv.SetTokenExpiry(tokWrite, e.clk.Now().Add(20*time.Minute)) },
			check: "token-expiry", status: "warn", message: "the token expires at 2026-05-06 07:20:00 UTC (in 20m0s), before the run is expected to end (in 1h0m0s)"},
		{name: "token expiry past a shorter run", setup: func(e env) { e.srv.SetTokenExpiry(tokWrite, e.clk.Now().Add(20*time.Minute)) },
			input: func(in *checks.Input) { in.RunTime = 10 * time.Minute }, check: "token-expiry", status: "ok", message: "after the run is expected to end (in 10m0s)"},
		{name: "no expiry header", check: "token-expiry", status: "skipped", message: "GitHub sent no expiry for this token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []emulatortest.Option
			if tc.offScript {
				opts = append(opts, emulatortest.WithoutConformance())
			}
			e := setup(t, opts...)
			if tc.setup != nil {
				tc.setup(e)
			}
			in := baseInput()
			if tc.input != nil {
				tc.input(&in)
			}
			token := tc.token
			if token == "" {
				token = tokWrite
			}
			res, err := checks.Run(t.Context(), e.client(t, token), in)
			require.NoError(t, err)
			c := find(t, res, tc.check)
			assert.Equal(t, tc.status, c.Status, c.Message)
			assert.Contains(t, c.Message, tc.message)
			if tc.check == "latest" {
				assert.Equal(t, tc.makeLatest, res.MakeLatest)
			}
			assert.Equal(t, tc.interval, res.UploadInterval)
			onlyReads(t, e.srv)
		})
	}
}

// A check GitHub will not answer for this token, or whose input is missing, is skipped with the
// reason: never failed, never passed.
func TestSkipped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fault   emulator.Fault
		input   func(in *checks.Input)
		skipped map[string]string // check -> message
	}{
		{name: "no tag", input: func(in *checks.Input) { in.Tag = "" }, skipped: map[string]string{
			"release": "no tag was given", "tag": "no tag was given", "tag-rulesets": "no tag was given", "latest": "no tag was given",
		}},
		{name: "no files", input: func(in *checks.Input) { in.Files = nil }, skipped: map[string]string{
			"asset-budget": "the files to publish are not known yet",
		}},
		{name: "releases hidden", fault: emulator.Fault{PathContains: "/releases", Status: 404, Times: -1}, skipped: map[string]string{
			"release": "GitHub answered 404 to listing the releases", "immutable-releases": "GitHub answered 404 to listing the releases",
		}},
		{name: "rulesets forbidden", fault: emulator.Fault{PathContains: "/rulesets", Status: 403, Times: -1}, skipped: map[string]string{
			"tag-rulesets": "GitHub answered 403 to listing the tag rulesets",
		}},
		{name: "one ruleset hidden", fault: emulator.Fault{PathContains: "/rulesets/", Status: 404, Times: -1}, skipped: map[string]string{
			"tag-rulesets": `the tag rulesets "tags" (ID`,
		}},
		{name: "tag ref forbidden", fault: emulator.Fault{PathContains: "/git/ref/", Status: 403, Times: -1}, skipped: map[string]string{
			"tag": "GitHub answered 403 to reading tag v1.2.0",
		}},
		{name: "no rate limit (GitHub Enterprise Server with rate limiting off)", fault: emulator.Fault{PathContains: "/rate_limit", Status: 404, Times: -1},
			skipped: map[string]string{"rate-budget": "GitHub answered 404 to reading the rate limit"}},
		{name: "repository hidden", fault: emulator.Fault{Method: "GET", PathContains: "/repos/octo-org/hello", Status: 404, Times: -1},
			input: func(in *checks.Input) {
				in.Attestations = true
				in.OIDC = checks.OIDC{RequestURL: "u", RequestToken: "t"}
			},
			skipped: map[string]string{"attestations": "GitHub answered 404 to reading the repository", "release": "GitHub answered 404"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			e.srv.AddRuleset(fullRepo, emulator.Ruleset{Name: "tags", Include: []string{"refs/tags/x*"}, Rules: []string{"creation"}})
			if tc.fault.Status != 0 {
				e.srv.Inject(tc.fault)
			}
			in := baseInput()
			if tc.input != nil {
				tc.input(&in)
			}
			res, err := checks.Run(t.Context(), e.client(t, tokWrite), in)
			require.NoError(t, err, "a check that cannot be made does not fail")
			for name, msg := range tc.skipped {
				c := find(t, res, name)
				assert.Equal(t, "skipped", c.Status, "%s: %s", name, c.Message)
				assert.Contains(t, c.Message, msg, name)
			}
			if tc.name == "no tag" {
				assert.Equal(t, "Pass the tag to run it.", find(t, res, "release").Fix)
				assert.Equal(t, "tag", find(t, res, "release").Input)
				assert.Len(t, e.srv.Requests(), 3, "releases, immutable setting and rate limit only")
			}
			onlyReads(t, e.srv)
		})
	}
}

// Once the files are known, the budgets are checked again without a request.
func TestWithFiles(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.2.0", Draft: true, Assets: assets(10)})
	in := baseInput()
	in.Files = nil
	res, err := checks.Run(t.Context(), e.client(t, tokWrite), in)
	require.NoError(t, err)
	assert.Equal(t, "skipped", find(t, res, "asset-budget").Status)
	assert.Contains(t, find(t, res, "rate-budget").Message, "and one per file")
	sent := len(e.srv.Requests())

	err = res.WithFiles(files(991), e.clk.Now())
	assert.Equal(t, outcome.AssetLimit, outcome.ClassOf(err))
	assert.Contains(t, find(t, res, "asset-budget").Message, "1001 assets (991 files and 10 kept from the draft)")
	assert.Len(t, e.srv.Requests(), sent, "no request")

	require.NoError(t, res.WithFiles(files(3), e.clk.Now()))
	assert.Equal(t, "ok", find(t, res, "asset-budget").Status)
	assert.Len(t, res.Checks, len(checks.Names()))
}

func TestOptions(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "auto", "AUTO", "true", "false", " false "} {
		_, err := checks.ParseLatest(s)
		assert.NoError(t, err, s)
	}
	_, err := checks.ParseLatest("legacy")
	assert.Equal(t, outcome.InvalidInput, outcome.ClassOf(err))
	assert.ErrorContains(t, err, `"legacy" is not true, false or auto`)

	d, err := checks.ParseRunTime("")
	require.NoError(t, err)
	assert.Equal(t, checks.DefaultRunTime, d)
	d, err = checks.ParseRunTime("45m")
	require.NoError(t, err)
	assert.Equal(t, 45*time.Minute, d)
	for _, bad := range []string{"soon", "-1h", "0s"} {
		_, err := checks.ParseRunTime(bad)
		assert.Equal(t, outcome.InvalidInput, outcome.ClassOf(err), bad)
	}
	assert.Error(t, checks.Options{Latest: "maybe"}.Validate())
	assert.Error(t, checks.Options{RunTime: -time.Second}.Validate())
	assert.NoError(t, checks.Options{}.Validate())
}

// The checks read in parallel: a slow endpoint costs its own latency once, not the sum.
func TestNoWaitOnTheHappyPath(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, err := checks.Run(context.Background(), e.Client, baseInput())
	require.NoError(t, err)
	assert.Empty(t, e.Sleeps.Waits(), "no retry, no wait")
	assert.False(t, strings.Contains(fmt.Sprint(e.srv.Requests()), "fault"))
}

// When the answers the client already got (the probe's) show fewer requests left than the
// checks and the publish need, and the reset is further away than the client waits, the checks
// send nothing: rate-budget fails with the reset time, and every other check is skipped. When
// the reset is within the client's wait, or enough is left, they run as usual.
func TestRateBudgetFromTheProbesAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		used    int           // spent before the probe's one request
		advance time.Duration // how far the clock moves after it
		spent   bool          // nothing more is sent
	}{
		{name: "two left, the reset an hour away", used: 997, spent: true},
		{name: "none left, the reset an hour away", used: 999, spent: true},
		{name: "two left, the reset within the client's wait", used: 997, advance: 59*time.Minute + 30*time.Second},
		{name: "enough left", used: 900},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			e.srv.SetRateUsed(tokWrite, tc.used)
			c := e.client(t, tokWrite)
			// The probe's answer: one request, whose headers show what is left.
			_, _, err := c.ListRecentReleases(t.Context(), repo)
			require.NoError(t, err)
			require.NotNil(t, c.Observed().Rate)
			e.clk.Advance(tc.advance)
			before := len(e.srv.Requests())

			res, err := checks.Run(t.Context(), c, checks.Input{Repo: repo, Tag: "v1.2.0", Options: checks.Options{Commit: commitA}})

			if !tc.spent {
				assert.Greater(t, len(e.srv.Requests()), before, "the checks read")
				assert.NotContains(t, find(t, res, "rate-budget").Message, "the probe's answers show")
				return
			}
			require.Error(t, err)
			assert.Equal(t, outcome.RateLimited, outcome.ClassOf(err))
			assert.Equal(t, 4, outcome.ClassOf(err).ExitCode())
			assert.Equal(t, before, len(e.srv.Requests()), "nothing more was sent")
			rate := find(t, res, "rate-budget")
			assert.Equal(t, report.CheckFail, rate.Status)
			assert.Contains(t, rate.Message, fmt.Sprintf("the probe's answers show %d of the token's 1000 requests left until the rate limit resets at 2026-05-06 08:00:00 UTC (in 1h0m0s)", 1000-tc.used-1))
			assert.Contains(t, rate.Message, "so nothing more was sent")
			assert.Contains(t, rate.Fix, "Wait until 2026-05-06 08:00:00 UTC")
			e2, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, time.Date(2026, 5, 6, 8, 0, 0, 0, time.UTC), e2.RetryAt)
			for _, ch := range res.Checks {
				if ch.Name != "rate-budget" {
					assert.Equal(t, report.CheckSkipped, ch.Status, ch.Name)
					assert.Contains(t, ch.Message, "not checked: the rate limit is spent until 2026-05-06 08:00:00 UTC")
				}
			}
		})
	}
}
