package checks

import (
	"strings"
	"time"
)

// headerTokenExpiration is the header GitHub adds to every answer to a token that expires.
const headerTokenExpiration = "GitHub-Authentication-Token-Expiration"

// parseTokenExpiration reads GitHub-Authentication-Token-Expiration, in either form GitHub has
// been seen to send: "2023-01-31 23:00:00 UTC" or "2023-04-26 23:23:18 +0200". Any other zone
// name is refused rather than guessed.
func parseTokenExpiration(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutSuffix(v, " UTC"); ok {
		t, err := time.Parse(time.DateTime, rest)
		return t, err == nil
	}
	t, err := time.Parse(time.DateTime+" -0700", v)
	return t, err == nil
}
