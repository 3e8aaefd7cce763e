package emulatortest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// Watch reads a repository's releases over and over, as a reader of a published release
// would while a client changes it, and records every read that finds a published release
// without an asset it showed before (under a name that is not a swap's temporary
// "preflight-…" one), or with an incomplete one under its name.
type Watch struct {
	srv  *emulator.Server
	repo string
	stop chan struct{}
	done sync.WaitGroup

	mu    sync.Mutex
	reads int
	gaps  []gap
	bad   []string
}

// gap is one read that found a published release without name; before is how many requests
// the emulator had logged before the read.
type gap struct {
	tag, name string
	before    int
}

// WatchReleases starts watching repo's releases on srv until Check.
func WatchReleases(srv *emulator.Server, repo string) *Watch {
	w := &Watch{srv: srv, repo: repo, stop: make(chan struct{})}
	seen := map[int64]map[string]bool{} // per release, the names it showed published
	w.done.Go(func() {
		for {
			select {
			case <-w.stop:
				return
			default:
			}
			before := len(srv.Requests())
			for _, rel := range srv.Releases(repo) {
				if rel.Draft {
					continue
				}
				held := map[string]bool{}
				w.mu.Lock()
				for _, a := range rel.Assets {
					if strings.HasPrefix(a.Name, "preflight-") {
						continue
					}
					held[a.Name] = true
					if a.State != "uploaded" || int64(len(a.Content)) != a.Size {
						w.bad = append(w.bad, rel.TagName+"/"+a.Name+" in state "+a.State)
					}
				}
				w.reads++
				for name := range seen[rel.ID] {
					if !held[name] {
						w.gaps = append(w.gaps, gap{tag: rel.TagName, name: name, before: before})
					}
				}
				w.mu.Unlock()
				if seen[rel.ID] == nil {
					seen[rel.ID] = map[string]bool{}
				}
				for name := range held {
					seen[rel.ID][name] = true
				}
			}
			time.Sleep(500 * time.Microsecond)
		}
	})
	return w
}

// Check stops the watch and fails t unless every read that found an asset missing fell within
// a swap's two renames: the request the emulator was serving then (the next one it logged)
// renames an asset ("update-a-release-asset"), and so does the one before or after it — the
// rename that put the old asset aside and the one that put the new one in place (or the old
// one back). A gap that outlasted its renames, or began otherwise — an asset deleted before its
// replacement took its name, a run that stopped in between, a gap between two runs — shows a
// read next to some other request, or after the last. It also fails t when a read saw an
// incomplete asset under its name. It returns the number of reads of a published release, and
// of those that found a gap.
func (w *Watch) Check(t testing.TB) (reads, gaps int) {
	t.Helper()
	close(w.stop)
	w.done.Wait()
	log := w.srv.Requests()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, b := range w.bad {
		t.Errorf("a reader saw an incomplete asset under its name: %s", b)
	}
	rename := func(i int) bool { return i >= 0 && i < len(log) && log[i].Endpoint == "update-a-release-asset" }
	for _, g := range w.gaps {
		switch i := g.before; {
		case i >= len(log):
			t.Errorf("a reader saw %s missing from release %s after the last request", g.name, g.tag)
		case !rename(i) || !rename(i-1) && !rename(i+1):
			t.Errorf("a reader saw %s missing from release %s while the emulator served %s %s (%d), after %s: only the two renames of a swap may be in flight then",
				g.name, g.tag, log[i].Method, log[i].Path, log[i].Status, describe(log, i-1))
		}
	}
	return w.reads, len(w.gaps)
}

// describe names the request i of log, for a message.
func describe(log []emulator.Request, i int) string {
	if i < 0 {
		return "no request"
	}
	return log[i].Method + " " + log[i].Path
}
