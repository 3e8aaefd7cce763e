package build

import (
	"fmt"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// opCheck is the operation every input error of a build names.
const opCheck = "check the build input"

// invalid is the InvalidInput error for input: the problem found, then the fix.
func invalid(input, fix, format string, args ...any) *outcome.Error {
	return outcome.Invalid(opCheck, input, fmt.Sprintf(format, args...), fix)
}
