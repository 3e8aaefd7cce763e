package conformance_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/conformance"
	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/probe"
	"github.com/release-preflight/release-preflight/pipeline/publish"
)

const fullRepo = "acme/widgets"

var repo = githubapi.Repo{Owner: "acme", Name: "widgets"}

// tokens has one token per mode; the unknown one is never registered.
var tokens = map[emulator.Mode]string{
	emulator.ModeWrite:          "ghs_conformanceWrite000000000000000",
	emulator.ModeClamped:        "ghs_conformanceClamped0000000000000",
	emulator.ModePATNoContents:  "github_pat_conformanceNoContents000",
	emulator.ModeClassicNoRepo:  "ghp_conformanceClassicNoRepo0000000",
	emulator.ModeSSORequired:    "ghp_conformanceSSORequired000000000",
	emulator.ModeClassicRepo:    "ghp_conformanceClassicRepo00000000",
	emulator.ModeBadCredentials: "ghp_conformanceNeverRegistered00000",
}

// coverage collects what every case's validator saw, to check at the end
// that the cases exercise what they are meant to.
type coverage struct {
	mu   sync.Mutex
	seen map[conformance.Exchange]int
}

func (c *coverage) add(v *conformance.Validator) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e, n := range v.Seen() {
		c.seen[e] += n
	}
}

// world is an emulator with acme/widgets and every token, and a validating
// release-preflight client for one of them.
type world struct {
	srv    *emulator.Server
	v      *conformance.Validator
	client *githubapi.Client
}

func newWorld(t *testing.T, cov *coverage, mode emulator.Mode, layout []emulatortest.Option) *world {
	t.Helper()
	opts := []emulatortest.Option{emulatortest.WithRepo(fullRepo), emulatortest.WithToken(tokens[mode]), emulatortest.WithMode(mode)}
	for m, tok := range tokens {
		if m != emulator.ModeBadCredentials {
			opts = append(opts, emulatortest.WithExtraToken(tok, m))
		}
	}
	env := emulatortest.Setup(t, append(opts, layout...)...)
	t.Cleanup(func() { cov.add(env.Validator) })
	return &world{srv: env.Server, v: env.Validator, client: env.Client}
}

// do runs one go-github call through the release-preflight client.
func (w *world) do(ctx context.Context, fn func(ctx context.Context, gh *github.Client) (*github.Response, error)) error {
	return w.client.Do(ctx, "call", repo, fn)
}

func assets(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for i, name := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(strings.Repeat(name, 10+i)), 0o644))
	}
	return dir
}

var (
	layouts = map[string][]emulatortest.Option{
		"github.com": nil,
		"GHES":       {emulatortest.WithPrefixes("/api/v3/", "/api/uploads/")},
	}
	files = []string{"widgets_1.0.0_linux_amd64.tar.gz", "widgets_1.0.0_darwin_arm64.tar.gz", "widgets_1.0.0_windows_amd64.zip"}
	// tagTaken is the 422 GitHub answers for a tag a published release holds.
	tagTaken = `{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}],` +
		`"documentation_url":"https://docs.github.com/rest/releases/releases#create-a-release","status":"422"}`
)

// Every request release-preflight's code paths send, and every answer the
// emulator gives them, conforms to GitHub's OpenAPI description: the probe in
// every token mode and through faults, publish fresh, resumed, replacing
// assets and as a draft, the sweep, the endpoints added for the publish
// transaction and the rate-limit status.
func TestClientPathsConform(t *testing.T) {
	t.Parallel()
	cov := &coverage{seen: map[conformance.Exchange]int{}}
	ctx := context.Background()

	t.Run("cases", func(t *testing.T) {
		for layout, opts := range layouts {
			for mode := range tokens {
				t.Run(layout+"/probe/"+mode.String(), func(t *testing.T) {
					t.Parallel()
					w := newWorld(t, cov, mode, opts)
					_, err := probe.Run(ctx, w.client, probe.Options{Repo: repo, RunID: "42"})
					if mode == emulator.ModeWrite || mode == emulator.ModeClassicRepo {
						require.NoError(t, err)
					} else {
						require.Error(t, err)
					}
				})
			}

			t.Run(layout+"/probe/tag taken by a stale draft", func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, cov, emulator.ModeWrite, opts)
				w.srv.SeedRelease(fullRepo, emulator.Release{TagName: probe.TagPrefix + "run42-attempt1", Draft: true})
				w.srv.Inject(emulator.Fault{Method: http.MethodPost, Status: http.StatusUnprocessableEntity, Body: tagTaken})
				_, err := probe.Run(ctx, w.client, probe.Options{Repo: repo, RunID: "42"})
				require.NoError(t, err)
			})

			t.Run(layout+"/probe/through 502, a drop and a rate limit", func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, cov, emulator.ModeWrite, opts)
				w.srv.Inject(emulator.Fault{Method: http.MethodPost, Status: http.StatusBadGateway, Body: emulator.HTMLErrorBody})
				w.srv.Inject(emulator.Fault{Method: http.MethodPost, Drop: true})
				w.srv.Inject(emulator.Fault{Method: http.MethodGet, SecondaryRateLimit: true, RetryAfter: 1})
				w.srv.Inject(emulator.Fault{Method: http.MethodDelete, PrimaryRateLimit: true, Status429: true, ResetIn: time.Second})
				_, err := probe.Run(ctx, w.client, probe.Options{Repo: repo, RunID: "42"})
				require.NoError(t, err)
			})

			t.Run(layout+"/publish/fresh", func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, cov, emulator.ModeWrite, opts)
				w.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0"})
				_, err := publishOnce(ctx, w.client, publish.Options{Repo: repo, Tag: "v1.0.0", AssetsDir: assets(t, files...),
					Notes: "Faster widgets.", GenerateNotes: true})
				require.NoError(t, err)
				require.False(t, w.srv.Releases(fullRepo)[1].Draft)
			})

			t.Run(layout+"/publish/draft", func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, cov, emulator.ModeWrite, opts)
				_, err := publishOnce(ctx, w.client, publish.Options{Repo: repo, Tag: "v1.0.0-rc.1", AssetsDir: assets(t, files...), Draft: true})
				require.NoError(t, err)
				require.True(t, w.srv.Releases(fullRepo)[0].Draft)
			})

			t.Run(layout+"/publish/resume", func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, cov, emulator.ModeWrite, opts)
				dir := assets(t, files...)
				done, err := os.ReadFile(filepath.Join(dir, files[0]))
				require.NoError(t, err)
				w.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Draft: true, Assets: []emulator.Asset{
					{Name: files[0], Content: done, ContentType: "application/gzip"},
					{Name: files[1], State: "starter"},
				}})
				w.srv.Inject(emulator.Fault{PathContains: "/assets", Method: http.MethodPost, StarterAsset: true, Status: http.StatusBadGateway})
				_, err = publishOnce(ctx, w.client, publish.Options{Repo: repo, Tag: "v1.0.0", AssetsDir: dir})
				require.NoError(t, err)
				require.False(t, w.srv.Releases(fullRepo)[0].Draft)
			})

			t.Run(layout+"/publish/replace assets", func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, cov, emulator.ModeWrite, opts)
				w.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Assets: []emulator.Asset{{Name: files[0], Content: []byte("old")}}})
				_, err := publishOnce(ctx, w.client, publish.Options{Repo: repo, Tag: "v1.0.0", AssetsDir: assets(t, files...)})
				require.Equal(t, outcome.Conflict, outcome.ClassOf(err), "%v", err)
				_, err = publishOnce(ctx, w.client, publish.Options{Repo: repo, Tag: "v1.0.0", AssetsDir: assets(t, files...), ReplaceAssets: true})
				require.NoError(t, err)
			})

			for _, mode := range []emulator.Mode{emulator.ModeClamped, emulator.ModeClassicNoRepo, emulator.ModeBadCredentials} {
				t.Run(layout+"/publish/"+mode.String(), func(t *testing.T) {
					t.Parallel()
					w := newWorld(t, cov, mode, opts)
					_, err := publishOnce(ctx, w.client, publish.Options{Repo: repo, Tag: "v1.0.0", AssetsDir: assets(t, files...)})
					require.Error(t, err)
				})
			}

			t.Run(layout+"/sweep", func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, cov, emulator.ModeWrite, opts)
				old := time.Now().Add(-3 * time.Hour)
				for i := range 3 {
					w.srv.SeedRelease(fullRepo, emulator.Release{TagName: fmt.Sprintf("%srun%d-attempt1", probe.TagPrefix, i), Draft: true, CreatedAt: old})
				}
				w.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", CreatedAt: old})
				res, err := probe.Sweep(ctx, w.client, probe.SweepOptions{Repo: repo, DryRun: true})
				require.NoError(t, err)
				require.Len(t, res.Deleted, 3)
				res, err = probe.Sweep(ctx, w.client, probe.SweepOptions{Repo: repo})
				require.NoError(t, err)
				require.Len(t, res.Deleted, 3)
			})

			t.Run(layout+"/transaction endpoints and the rate limit", func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, cov, emulator.ModeWrite, opts)
				rel := w.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.0.0", Assets: []emulator.Asset{
					{Name: "a.zip", Content: []byte("a")}, {Name: "b.zip", Content: []byte("b")},
				}})
				w.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.1.0", Draft: true})
				w.srv.SeedRelease(fullRepo, emulator.Release{TagName: "v1.1.0", Draft: true})
				calls := []func(ctx context.Context, gh *github.Client) (*github.Response, error){
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.RateLimit.Get(ctx)
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Repositories.Get(ctx, repo.Owner, repo.Name)
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Repositories.GenerateReleaseNotes(ctx, repo.Owner, repo.Name, github.GenerateNotesRequest{
							TagName: "v1.1.0", PreviousTagName: new("v1.0.0"), TargetCommitish: new("main")})
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Repositories.UpdateReleaseAsset(ctx, repo.Owner, repo.Name, rel.Assets[0].ID,
							github.UpdateReleaseAssetRequest{Name: new("a renamed.zip"), Label: new("A")})
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Git.ListMatchingRefs(ctx, repo.Owner, repo.Name, "tags/v1")
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Git.ListMatchingRefs(ctx, repo.Owner, repo.Name, "tags/v9")
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Git.GetRef(ctx, repo.Owner, repo.Name, "tags/v1.0.0")
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Repositories.ListTags(ctx, repo.Owner, repo.Name, nil)
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						return gh.Git.DeleteRef(ctx, repo.Owner, repo.Name, "tags/v1.0.0")
					},
				}
				for i, call := range calls {
					require.NoError(t, w.do(ctx, call), "call %d", i)
				}
				// The answers GitHub gives when these fail.
				failing := []func(ctx context.Context, gh *github.Client) (*github.Response, error){
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Repositories.UpdateReleaseAsset(ctx, repo.Owner, repo.Name, rel.Assets[0].ID, github.UpdateReleaseAssetRequest{Name: new("b.zip")})
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						return gh.Git.DeleteRef(ctx, repo.Owner, repo.Name, "tags/v1.0.0")
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Git.GetRef(ctx, repo.Owner, repo.Name, "tags/v1.0.0")
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Repositories.GenerateReleaseNotes(ctx, repo.Owner, repo.Name, github.GenerateNotesRequest{
							TagName: "v2.0.0", PreviousTagName: new("v0.1.0")})
						return resp, err
					},
					func(ctx context.Context, gh *github.Client) (*github.Response, error) {
						_, resp, err := gh.Repositories.CreateRelease(ctx, repo.Owner, repo.Name, github.CreateReleaseRequest{
							TagName: "v1.2.0", Body: new(strings.Repeat("x", 125001))})
						return resp, err
					},
				}
				for i, call := range failing {
					require.Error(t, w.do(ctx, call), "failing call %d", i)
				}
				// HEAD, as GitHub answers it.
				resp, err := w.v.Client(w.srv.Client()).Do(headRequest(t, w.srv.APIURL()+"repos/acme/widgets/releases", tokens[emulator.ModeWrite]))
				require.NoError(t, err)
				require.NoError(t, resp.Body.Close())
				require.Equal(t, http.StatusOK, resp.StatusCode)
			})
		}
	})

	// What the cases must have exercised (operationId and status), so that
	// a change that stops sending a request cannot go unnoticed.
	want := []conformance.Exchange{
		{Operation: "rate-limit/get", Status: 200},
		{Operation: "repos/get", Status: 200},
		{Operation: "repos/create-release", Status: 201},
		{Operation: "repos/create-release", Status: 401},
		{Operation: "repos/create-release", Status: 403},
		{Operation: "repos/create-release", Status: 404},
		{Operation: "repos/create-release", Status: 422},
		{Operation: "repos/create-release", Status: 502},
		{Operation: "repos/create-release", Status: 0},
		{Operation: "repos/list-releases", Status: 200},
		{Operation: "repos/list-releases", Status: 403},
		{Operation: "repos/list-releases", Status: 401},
		{Operation: "repos/list-releases", Status: 404},
		{Operation: "repos/update-release", Status: 200},
		{Operation: "repos/delete-release", Status: 204},
		{Operation: "repos/delete-release", Status: 429},
		{Operation: "repos/list-release-assets", Status: 200},
		{Operation: "repos/upload-release-asset", Status: 201},
		{Operation: "repos/upload-release-asset", Status: 502},
		{Operation: "repos/delete-release-asset", Status: 204},
		{Operation: "repos/update-release-asset", Status: 200},
		{Operation: "repos/update-release-asset", Status: 422},
		{Operation: "repos/generate-release-notes", Status: 200},
		{Operation: "repos/generate-release-notes", Status: 404},
		{Operation: "git/get-ref", Status: 200},
		{Operation: "git/get-ref", Status: 404},
		{Operation: "git/list-matching-refs", Status: 200},
		{Operation: "git/delete-ref", Status: 204},
		{Operation: "git/delete-ref", Status: 422},
		{Operation: "repos/list-tags", Status: 200},
	}
	var missing []string
	for _, e := range want {
		if cov.seen[e] == 0 {
			missing = append(missing, fmt.Sprintf("%s %d", e.Operation, e.Status))
		}
	}
	var seen []string
	for e, n := range cov.seen {
		seen = append(seen, fmt.Sprintf("%s %d ×%d", e.Operation, e.Status, n))
	}
	slices.Sort(seen)
	assert.Empty(t, missing, "not exercised; exercised:\n%s", strings.Join(seen, "\n"))
}

func headRequest(t *testing.T, u, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodHead, u, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("User-Agent", "conformance-test")
	return req
}

// publishOnce prepares opts and publishes them, as the release package does.
func publishOnce(ctx context.Context, c *githubapi.Client, opts publish.Options) (publish.Result, error) {
	prep, err := publish.Prepare(opts)
	if err != nil {
		return publish.Result{}, err
	}
	return publish.Publish(ctx, c, prep)
}
