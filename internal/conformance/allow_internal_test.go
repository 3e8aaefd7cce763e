package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every allow-listed operation is one of the description's, so that a typo
// cannot silently allow nothing, and every allowance says why.
func TestAllowListNamesOperations(t *testing.T) {
	t.Parallel()
	s, err := load()
	require.NoError(t, err)
	ops := map[string]bool{}
	for _, p := range s.doc.Paths.InMatchingOrder() {
		for _, op := range s.doc.Paths.Value(p).Operations() {
			ops[op.OperationID] = true
		}
	}
	for op, allowances := range undocumented {
		assert.True(t, ops[op], "%s is no operation of the description", op)
		for _, a := range allowances {
			assert.NotEmpty(t, a.reason, op)
			assert.NotEmpty(t, a.statuses, op)
		}
	}
	_, ok := allowed("repos/get-release", 404)
	assert.True(t, ok)
	_, ok = allowed("repos/get-release", 409)
	assert.False(t, ok)
	_, ok = allowed("repos/no-such-operation", 401)
	assert.False(t, ok)
}
