package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

// A hundred probes at once against one repository, half with a clamped token and half with a
// write token, twenty of those on one workflow run (one probe tag, so their drafts collide):
// every write probe passes, every clamped one is told after its one request, and nothing is
// left behind: no release, no tag, no leftover-draft warning.
func TestHundredProbesAtOnce(t *testing.T) {
	t.Parallel()
	srv := newServer(t, emulator.Options{})
	const probes = 100
	results := make([]result, probes)
	var wg sync.WaitGroup
	for i := range probes {
		token, runID := tokWrite, fmt.Sprint(1000+i)
		if i%2 == 1 {
			token = tokClamped
		}
		if i < 40 && i%2 == 0 {
			runID = "42" // 20 write probes share a probe tag
		}
		wg.Go(func() {
			results[i] = run(t, srv, ghEnv(token), "probe", "--json", "--repo", repo, "--api-url", srv.APIURL(), "--run-id", runID, "--run-attempt", "1")
		})
	}
	wg.Wait()

	for i, res := range results {
		obj := decodeOne(t, res.stdout)
		if i%2 == 1 {
			assert.Equal(t, 3, res.code, "probe %d, clamped", i)
			assert.Equal(t, "clamped", str(t, obj, "class"), "probe %d", i)
			assert.Contains(t, str(t, obj, "message"), "Settings → Actions → General → Workflow permissions", "probe %d", i)
			continue
		}
		require.Equal(t, 0, res.code, "probe %d, write: %s", i, res.stdout)
		var warnings []string
		require.NoError(t, json.Unmarshal(obj["warnings"], &warnings))
		assert.Empty(t, warnings, "probe %d: no leftover draft to warn about", i)
	}
	assert.Empty(t, srv.Releases(repo), "every probe draft was deleted")
	assert.Empty(t, srv.Tags(repo), "no probe created a tag")
	clamped := 0
	for _, r := range srv.Requests() {
		if r.Mode == emulator.ModeClamped {
			clamped++
			assert.Equal(t, http.MethodPost, r.Method)
			assert.Equal(t, http.StatusForbidden, r.Status)
		}
	}
	assert.Equal(t, probes/2, clamped, "one request per clamped probe")
}
