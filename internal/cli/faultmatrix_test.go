package cli

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

// A route of a publish run: an endpoint, and how many of its requests come first.
type route struct {
	name     string
	endpoint string
	skip     int
	probe    bool // a request of the probe's
	cleanup  bool // the probe's clean-up: its failure is a warning, never the run's
	shared   bool // the run sends later requests to the endpoint too, which a fault "every time" strikes as well
	gap      bool // a rename that ends a swap's gap: when GitHub fails it and the rename back, the asset is missing until the next run
}

// The requests a first publish of three files makes, in order. Releases are listed four times:
// by the probe (its leftovers), by the checks, and twice by the publish (before and after it
// creates the draft).
var publishRoutes = []route{
	{name: "probe: create the draft", endpoint: "create-a-release", probe: true},
	{name: "probe: delete it", endpoint: "delete-a-release", probe: true, cleanup: true},
	{name: "probe: look for leftovers", endpoint: "list-releases", probe: true, cleanup: true, shared: true},
	{name: "checks: list the releases", endpoint: "list-releases", skip: 1},
	{name: "find the release", endpoint: "list-releases", skip: 2},
	{name: "create the draft", endpoint: "create-a-release", skip: 1},
	{name: "find it again", endpoint: "list-releases", skip: 3},
	{name: "upload a file", endpoint: "upload-a-release-asset"},
	{name: "verify", endpoint: "list-release-assets"},
	{name: "upload SHA256SUMS", endpoint: "upload-a-release-asset", skip: 3},
	{name: "publish", endpoint: "update-a-release"},
	{name: "read it back", endpoint: "get-a-release"},
}

// The requests of a publish --replace-assets into a published release whose a.tar.gz differs,
// in order: the swap of a.tar.gz, then the swap of SHA256SUMS, then the read-back.
var replaceRoutes = []route{
	{name: "compare the assets", endpoint: "list-release-assets"},
	{name: "upload the replacement", endpoint: "upload-a-release-asset"},
	{name: "rename the old asset aside", endpoint: "update-a-release-asset"},
	{name: "rename the replacement in", endpoint: "update-a-release-asset", skip: 1, gap: true},
	{name: "delete the old asset", endpoint: "delete-a-release-asset"},
	{name: "verify", endpoint: "list-release-assets", skip: 1},
	{name: "upload SHA256SUMS", endpoint: "upload-a-release-asset", skip: 1},
	{name: "rename the old SHA256SUMS aside", endpoint: "update-a-release-asset", skip: 2},
	{name: "rename the new SHA256SUMS in", endpoint: "update-a-release-asset", skip: 3, gap: true},
	{name: "delete the old SHA256SUMS", endpoint: "delete-a-release-asset", skip: 1},
	{name: "read it back", endpoint: "get-a-release"},
}

// A fault, and whether one run survives it.
type matrixFault struct {
	name    string
	fault   emulator.Fault
	survive bool // the retries absorb it: the run succeeds
	class   string
}

var matrixFaults = []matrixFault{
	{name: "502 once", fault: emulator.Fault{Status: http.StatusBadGateway}, survive: true},
	{name: "502 every time", fault: emulator.Fault{Status: http.StatusBadGateway, Times: -1}, class: "server-error"},
	{name: "429 with Retry-After", fault: emulator.Fault{Status429: true, RetryAfter: 1}, survive: true},
	{name: "429 without Retry-After", fault: emulator.Fault{Status429: true}, class: "rate-limited"},
	{name: "403 secondary limit with Retry-After", fault: emulator.Fault{SecondaryRateLimit: true, RetryAfter: 2}, survive: true},
	{name: "dropped", fault: emulator.Fault{Drop: true}, survive: true},
	{name: "dropped every time", fault: emulator.Fault{Drop: true, Times: -1}, class: "network-error"},
	{name: "dropped after the work", fault: emulator.Fault{Drop: true, AfterWork: true}, survive: true},
	{name: "cut mid-body", fault: emulator.Fault{TruncateBody: true}, survive: true},
	{name: "stalled past the deadline", fault: emulator.Fault{StallBody: true}, survive: true},
}

// short deadlines, so that a stall ends in a test's time.
func shortDeadlines(c *CLI) {
	c.timeouts = githubapi.Timeouts{ResponseHeader: 2 * time.Second, Idle: 200 * time.Millisecond}
}

// A scenario the fault matrix strikes: what the repository holds first, the files published
// into it, and the flags.
type scenario struct {
	seed  func(srv *emulator.Server)
	files map[string]string
	args  []string
}

// firstPublish is a first publish of three files.
var firstPublish = scenario{
	files: map[string]string{"tool_1.0.0_linux_amd64.tar.gz": "linux", "tool_1.0.0_darwin_arm64.tar.gz": "darwin", "tool_1.0.0_windows_amd64.zip": "windows"},
}

// replacing is a publish --replace-assets into release v1.0.0, published with a.tar.gz built
// otherwise, b.tar.gz the same, and their SHA256SUMS.
var replacing = scenario{
	seed: func(srv *emulator.Server) {
		old := map[string]string{"a.tar.gz": "a, as first built", "b.tar.gz": "b, the same"}
		var assets []emulator.Asset
		var sums []string
		for _, name := range []string{"a.tar.gz", "b.tar.gz"} {
			assets = append(assets, emulator.Asset{Name: name, Content: []byte(old[name])})
			sums = append(sums, sha256Hex([]byte(old[name]))+"  "+name)
		}
		assets = append(assets, emulator.Asset{Name: "SHA256SUMS", Content: []byte(strings.Join(sums, "\n") + "\n")})
		srv.SeedRelease(repo, emulator.Release{TagName: "v1.0.0", Assets: assets})
	},
	files: map[string]string{"a.tar.gz": "a, rebuilt with a fix", "b.tar.gz": "b, the same"},
	args:  []string{"--replace-assets"},
}

// TestFaultMatrix strikes every request of a first publish with every fault and checks the
// promises: the class and exit code say what happened; the probe never leaves a tag, and a
// probe draft it leaves is named in a warning; no published release lacks an asset or holds a
// short, unfinished or wrong one; there is at most one draft per tag; and the same command run
// again converges.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	strike(t, firstPublish, publishRoutes)
}

// TestReplaceFaultMatrix strikes every request of a publish --replace-assets (the renames of
// its swaps and its read-back among them) with every fault, with the promises of the fault
// matrix, and a reader polling the release all along: it never finds an asset missing but while
// the renames that end a swap's gap are in flight — except when GitHub fails both the rename
// into place and the rename back, every time, which the error then names, and the next run
// mends first.
func TestReplaceFaultMatrix(t *testing.T) {
	t.Parallel()
	strike(t, replacing, replaceRoutes)
}

// strike runs sc with every fault on every route, and the same command again without faults.
func strike(t *testing.T, sc scenario, routes []route) {
	t.Helper()
	var (
		mu   sync.Mutex
		rows []string
	)
	t.Cleanup(func() {
		var b strings.Builder
		fmt.Fprintf(&b, "%-32s %-38s %4s %-14s %8s\n", "request", "fault", "exit", "class", "requests")
		for _, r := range rows {
			b.WriteString(r + "\n")
		}
		t.Log("fault matrix:\n" + b.String())
	})
	for _, rt := range routes {
		for _, mf := range matrixFaults {
			t.Run(rt.name+"/"+mf.name, func(t *testing.T) {
				t.Parallel()
				var conf []emulatortest.Option
				if mf.fault.Drop || mf.fault.TruncateBody || mf.fault.StallBody {
					// A broken connection is no answer to validate, and the validator reads each
					// answer whole, past the deadlines githubapi sets on a bare transport only.
					conf = append(conf, emulatortest.WithoutConformance())
				}
				srv := newServer(t, emulator.Options{}, conf...)
				if sc.seed != nil {
					sc.seed(srv)
				}
				fault := mf.fault
				fault.Endpoint, fault.Skip = rt.endpoint, rt.skip
				srv.Inject(fault)
				dir := writeFiles(t, sc.files)
				args := append([]string{"publish", "--json", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
					"--assets", dir, "--concurrency", "1", "--run-id", "77"}, sc.args...)
				// GitHub failing both renames of a gap every time is the one failure that leaves an
				// asset missing until the next run.
				gapLeft := rt.gap && mf.fault.Times < 0
				var watch *emulatortest.Watch
				if !gapLeft {
					watch = emulatortest.WatchReleases(srv, repo)
				}

				res := runWith(t, srv, ghEnv(tokWrite), shortDeadlines, args...)

				obj := decodeOne(t, res.stdout)
				class := str(t, obj, "class")
				mu.Lock()
				rows = append(rows, fmt.Sprintf("%-32s %-38s %4d %-14s %8d", rt.name, mf.name, res.code, class, num(t, obj, "requests")))
				mu.Unlock()
				switch {
				case mf.survive || rt.cleanup && !(rt.shared && mf.fault.Times < 0):
					assert.Equal(t, 0, res.code, "the run survives: %s", str(t, obj, "message"))
				default:
					assert.Equal(t, mf.class, class)
					assert.Equal(t, 4, res.code, "transient after retries")
					assert.Regexp(t, `re-run|Re-run|Wait`, str(t, obj, "message"), "it says what to do")
				}
				if gapLeft {
					assert.Contains(t, str(t, obj, "message"), "until the next run", "the error says the asset is missing")
				}
				named := res.stdout + res.stderr
				assertInvariants(t, srv, named, !gapLeft)

				srv.ClearFaults()
				again := runWith(t, srv, ghEnv(tokWrite), shortDeadlines, args...)
				require.Equal(t, 0, again.code, "the same command again converges")
				assertInvariants(t, srv, named+again.stdout+again.stderr, true)
				if watch != nil {
					watch.Check(t)
				}
				var published int
				for _, rel := range srv.Releases(repo) {
					if rel.TagName == "v1.0.0" && !rel.Draft {
						published++
						got := assetContents(t, rel)
						assertChecksums(t, got)
						delete(got, "SHA256SUMS")
						want := map[string][]byte{}
						for k, v := range sc.files {
							want[k] = []byte(v)
						}
						assert.Equal(t, want, got)
					}
				}
				assert.Equal(t, 1, published, "one published release")
			})
		}
	}
}

var probeTag = regexp.MustCompile(`^preflight-permcheck-`)

// assertInvariants checks what must hold whatever happened: no tag from the probe; a probe
// draft left behind is named in the output of a run (said); every published release is whole:
// its assets complete and, when whole is true, none it held before (SHA256SUMS, the files the
// seed or the run gave it) missing; at most one draft per tag.
func assertInvariants(t *testing.T, srv *emulator.Server, said string, whole bool) {
	t.Helper()
	for _, tag := range srv.Tags(repo) {
		assert.False(t, probeTag.MatchString(tag), "the probe created the tag %s", tag)
	}
	drafts := map[string]int{}
	for _, rel := range srv.Releases(repo) {
		switch {
		case probeTag.MatchString(rel.TagName):
			assert.True(t, rel.Draft, "a probe release is only ever a draft")
			assert.Contains(t, said, fmt.Sprintf("draft release %d ", rel.ID), "the leftover probe draft %d is named in a warning", rel.ID)
		case rel.Draft:
			drafts[rel.TagName]++
		default:
			names := map[string]bool{}
			for _, a := range rel.Assets {
				names[a.Name] = true
				if strings.HasPrefix(a.Name, "preflight-") {
					continue // a swap's temporary name, which the next run finishes or removes
				}
				assert.Equal(t, "uploaded", a.State, "published %s holds %s in state %s", rel.TagName, a.Name, a.State)
				assert.EqualValues(t, len(a.Content), a.Size, "published %s holds a short %s", rel.TagName, a.Name)
				assert.NotEmpty(t, a.Digest, a.Name)
			}
			if whole {
				assert.True(t, names["SHA256SUMS"], "published %s lacks SHA256SUMS", rel.TagName)
				for _, name := range []string{"a.tar.gz", "b.tar.gz"} {
					if names["preflight-old."+name] || names["preflight-swap."+name] || names[name] {
						assert.True(t, names[name], "published %s lacks %s", rel.TagName, name)
					}
				}
			}
		}
	}
	for tag, n := range drafts {
		assert.LessOrEqual(t, n, 1, "drafts of %s", tag)
	}
}
