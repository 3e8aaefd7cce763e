package publish

import (
	"fmt"
	"strings"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// ParsePrerelease reads the prerelease input: "auto" (nil: decided by the tag's semver suffix),
// "true" or "false".
func ParsePrerelease(s string) (*bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return nil, nil
	case "true":
		v := true
		return &v, nil
	case "false":
		v := false
		return &v, nil
	}
	return nil, outcome.Invalid("check the prerelease choice", "prerelease", fmt.Sprintf("%q is not true, false or auto", s),
		"Pass true, false or auto.")
}
