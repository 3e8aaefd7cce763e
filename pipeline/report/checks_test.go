package report

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// checkedReport is a failed release whose checks found a published release and warned about
// immutable releases.
func checkedReport() Report {
	return Report{
		Outcome: OutcomeFailed, Class: "conflict", Repo: "octo/hello", Command: "release", Tag: "v1.2.3",
		Message: "check the release of v1.2.3 in octo/hello: release v1.2.3 is already published: Pick another tag",
		Checks: []Check{
			{Name: "release", Status: CheckFail, Message: "release v1.2.3 is already published", Fix: "Pick another tag."},
			{Name: "immutable-releases", Status: CheckWarn, Message: "immutable releases are on: publishing is final"},
			{Name: "tag-rulesets", Status: CheckFail, Message: `ruleset "tags" blocks creating refs/tags/v1.2.3`, Fix: "Add a bypass | or exclude it."},
			{Name: "token-expiry", Status: CheckSkipped, Message: "GitHub sent no expiry for this token"},
			{Name: "rate-budget", Status: CheckOK, Message: "990 of 1000 requests left"},
		},
	}
}

func TestChecksRendering(t *testing.T) {
	t.Parallel()
	r := checkedReport()

	assert.Contains(t, r.Human(), "checks:\n"+
		"  fail    release               release v1.2.3 is already published: Pick another tag.\n"+
		"  warn    immutable-releases    immutable releases are on: publishing is final\n"+
		"  fail    tag-rulesets          ruleset \"tags\" blocks creating refs/tags/v1.2.3: Add a bypass | or exclude it.\n"+
		"  skipped token-expiry          GitHub sent no expiry for this token\n"+
		"  ok      rate-budget           990 of 1000 requests left\n")

	md := r.Markdown()
	assert.Contains(t, md, "| Check | Status | Message | Fix |\n| --- | --- | --- | --- |\n")
	assert.Contains(t, md, "| `release` | ❌ fail | release v1.2.3 is already published | Pick another tag. |\n")
	assert.Contains(t, md, "| `tag-rulesets` | ❌ fail | ruleset \"tags\" blocks creating refs/tags/v1.2.3 | Add a bypass \\| or exclude it. |\n")
	assert.Contains(t, md, "| `token-expiry` | ⏭️ skipped | GitHub sent no expiry for this token |  |\n")

	cmds := r.WorkflowCommands()
	require.Len(t, cmds, 3, "the report's own failure, then the warning and the other failure: %q", cmds)
	assert.Contains(t, cmds[0], "::error title=release-preflight release failed (conflict)::")
	assert.Equal(t, "::warning title=release-preflight check immutable-releases::immutable releases are on: publishing is final", cmds[1])
	assert.Equal(t, `::error title=release-preflight check tag-rulesets failed::ruleset "tags" blocks creating refs/tags/v1.2.3: Add a bypass | or exclude it.`, cmds[2])
}

func TestChecksJSON(t *testing.T) {
	t.Parallel()
	r := checkedReport()
	r.Checks[0].Input = "tag"
	b, err := r.JSON()
	require.NoError(t, err)
	var obj struct {
		Checks []map[string]string `json:"checks"`
	}
	require.NoError(t, json.Unmarshal(b, &obj))
	require.Len(t, obj.Checks, 5)
	assert.Equal(t, map[string]string{"name": "release", "status": "fail", "message": "release v1.2.3 is already published", "fix": "Pick another tag."},
		obj.Checks[0], "exactly these fields; the input is the adapter's business")
	assert.Equal(t, "", obj.Checks[3]["fix"], "an empty fix is still there")

	none, err := Report{Outcome: OutcomeOK}.JSON()
	require.NoError(t, err)
	assert.NotContains(t, string(none), `"checks"`, "no checks ran, none listed")
}

func TestRecordExplainsChecks(t *testing.T) {
	t.Parallel()
	how := func(input string) string { return map[string]string{"commit": "--commit"}[input] }
	r := Report{Outcome: OutcomeOK, Class: "ok", Checks: []Check{
		{Name: "tag", Status: CheckSkipped, Message: "tag v1 exists at abc", Fix: "Pass the commit being released.", Input: "commit"},
		{Name: "other", Status: CheckSkipped, Message: "m", Fix: "Do it.", Input: "unknown"},
	}}
	r.Record(nil, how)
	assert.Equal(t, "Pass the commit being released. Pass it with --commit.", r.Checks[0].Fix)
	assert.Equal(t, "Do it.", r.Checks[1].Fix, "an input the adapter does not take is left alone")
	r.Record(outcome.Invalid("x", "commit", "p", "f"), how)
	assert.Equal(t, "Pass the commit being released. Pass it with --commit.", r.Checks[0].Fix, "explained once")
}
