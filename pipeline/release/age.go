package release

import (
	"fmt"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/githubapi"
)

// ParseAge reads sweep's --older-than: a positive Go duration such as 1h or 30m.
func ParseAge(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, &githubapi.Error{
			Class:   githubapi.ClassInvalidInput,
			Op:      "check --older-than",
			Message: fmt.Sprintf("%q is not a positive duration: pass one such as 1h or 30m", s),
		}
	}
	return d, nil
}
