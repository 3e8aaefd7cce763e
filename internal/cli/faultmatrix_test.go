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
	cleanup  bool // the probe's delete: its failure is a warning, never the run's
}

// The requests a first publish of three files makes, in order.
var publishRoutes = []route{
	{name: "probe: create the draft", endpoint: "create-a-release", probe: true},
	{name: "probe: delete it", endpoint: "delete-a-release", probe: true, cleanup: true},
	{name: "find the release", endpoint: "list-releases"},
	{name: "create the draft", endpoint: "create-a-release", skip: 1},
	{name: "find it again", endpoint: "list-releases", skip: 1},
	{name: "upload a file", endpoint: "upload-a-release-asset"},
	{name: "verify", endpoint: "list-release-assets"},
	{name: "upload SHA256SUMS", endpoint: "upload-a-release-asset", skip: 3},
	{name: "publish", endpoint: "update-a-release"},
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

// TestFaultMatrix strikes every request of a publish with every fault and checks the promises:
// the class and exit code say what happened; the probe never leaves a tag, and a probe draft it
// leaves is named in a warning; no published release lacks an asset or holds a short, unfinished
// or wrong one; there is at most one draft per tag; and the same command run again converges.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	var (
		mu   sync.Mutex
		rows []string
	)
	t.Cleanup(func() {
		var b strings.Builder
		fmt.Fprintf(&b, "%-26s %-38s %4s %-14s %8s\n", "request", "fault", "exit", "class", "requests")
		for _, r := range rows {
			b.WriteString(r + "\n")
		}
		t.Log("fault matrix:\n" + b.String())
	})
	files := map[string]string{"tool_1.0.0_linux_amd64.tar.gz": "linux", "tool_1.0.0_darwin_arm64.tar.gz": "darwin", "tool_1.0.0_windows_amd64.zip": "windows"}
	for _, rt := range publishRoutes {
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
				fault := mf.fault
				fault.Endpoint, fault.Skip = rt.endpoint, rt.skip
				srv.Inject(fault)
				dir := writeFiles(t, files)
				args := []string{"publish", "--json", "--repo", repo, "--api-url", srv.APIURL(), "--tag", "v1.0.0",
					"--assets", dir, "--concurrency", "1", "--run-id", "77"}

				res := runWith(t, srv, ghEnv(tokWrite), shortDeadlines, args...)

				obj := decodeOne(t, res.stdout)
				class := str(t, obj, "class")
				mu.Lock()
				rows = append(rows, fmt.Sprintf("%-26s %-38s %4d %-14s %8d", rt.name, mf.name, res.code, class, num(t, obj, "requests")))
				mu.Unlock()
				switch {
				case mf.survive || rt.cleanup:
					assert.Equal(t, 0, res.code, "the run survives: %s", str(t, obj, "message"))
				default:
					assert.Equal(t, mf.class, class)
					assert.Equal(t, 4, res.code, "transient after retries")
					assert.Regexp(t, `re-run|Re-run|Wait`, str(t, obj, "message"), "it says what to do")
				}
				named := res.stdout + res.stderr
				assertInvariants(t, srv, named)

				srv.ClearFaults()
				again := runWith(t, srv, ghEnv(tokWrite), shortDeadlines, args...)
				require.Equal(t, 0, again.code, "the same command again converges")
				assertInvariants(t, srv, named+again.stdout+again.stderr)
				var published int
				for _, rel := range srv.Releases(repo) {
					if rel.TagName == "v1.0.0" && !rel.Draft {
						published++
						got := assetContents(t, rel)
						assertChecksums(t, got)
						delete(got, "SHA256SUMS")
						want := map[string][]byte{}
						for k, v := range files {
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
// draft left behind is named in the output of a run (said); every published release is whole;
// at most one draft per tag.
func assertInvariants(t *testing.T, srv *emulator.Server, said string) {
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
			for _, a := range rel.Assets {
				assert.Equal(t, "uploaded", a.State, "published %s holds %s in state %s", rel.TagName, a.Name, a.State)
				assert.EqualValues(t, len(a.Content), a.Size, "published %s holds a short %s", rel.TagName, a.Name)
				assert.NotEmpty(t, a.Digest, a.Name)
			}
		}
	}
	for tag, n := range drafts {
		assert.LessOrEqual(t, n, 1, "drafts of %s", tag)
	}
}
