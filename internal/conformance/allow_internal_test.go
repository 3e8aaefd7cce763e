package conformance

import (
	"net/http"
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
	_, ok := allowed("repos/get-release", 404, nil, nil)
	assert.True(t, ok)
	_, ok = allowed("repos/get-release", 409, nil, nil)
	assert.False(t, ok)
	_, ok = allowed("repos/no-such-operation", 401, nil, nil)
	assert.False(t, ok)

	// A 403 on checking immutable releases is a rate limit or SSO, never a missing permission.
	const op = "repos/check-immutable-releases"
	_, ok = allowed(op, 403, http.Header{}, []byte(`{"message":"Resource not accessible by integration"}`))
	assert.False(t, ok)
	_, ok = allowed(op, 403, http.Header{"X-Ratelimit-Remaining": {"0"}}, []byte(`{"message":"API rate limit exceeded"}`))
	assert.True(t, ok)
	_, ok = allowed(op, 403, http.Header{"X-Github-Sso": {"required; url=https://github.com/orgs/acme/sso"}}, nil)
	assert.True(t, ok)
	_, ok = allowed(op, 429, http.Header{}, []byte(`{"message":"You have exceeded a secondary rate limit."}`))
	assert.True(t, ok)
}
