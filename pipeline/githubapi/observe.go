package githubapi

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v93/github"
)

// Headers every answer may carry about the token itself.
const (
	headerTokenExpiration = "GitHub-Authentication-Token-Expiration"
	headerRateLimit       = "X-RateLimit-Limit"
	headerRateUsed        = "X-RateLimit-Used"
	headerRateResource    = "X-RateLimit-Resource"
)

// Observed is what GitHub's answers to a client have said about its token so far, whichever
// request carried it: its expiry and its primary rate limit.
type Observed struct {
	// TokenExpiry is the last GitHub-Authentication-Token-Expiration seen, as sent ("" when no
	// answer carried one: a GITHUB_TOKEN, a GitHub App token, or a token that never expires).
	TokenExpiry string
	// Rate is the core primary rate limit as the last answer that carried it showed it; nil
	// before any did.
	Rate *github.Rate
}

// observations records what answers say about the token; shared by a client's copies.
type observations struct {
	mu  sync.Mutex
	obs Observed
}

// record reads the token's headers from an answer.
func (o *observations) record(h http.Header) {
	expiry := strings.TrimSpace(h.Get(headerTokenExpiration))
	rate, ok := rateOf(h)
	if expiry == "" && !ok {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if expiry != "" {
		o.obs.TokenExpiry = expiry
	}
	if ok {
		o.obs.Rate = rate
	}
}

func (o *observations) get() Observed {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.obs
	if out.Rate != nil {
		r := *out.Rate
		out.Rate = &r
	}
	return out
}

// rateOf reads the core primary rate limit from an answer's headers.
func rateOf(h http.Header) (*github.Rate, bool) {
	if res := h.Get(headerRateResource); res != "" && res != "core" {
		return nil, false
	}
	limit, err1 := strconv.Atoi(strings.TrimSpace(h.Get(headerRateLimit)))
	remaining, err2 := strconv.Atoi(strings.TrimSpace(h.Get(headerRateRemaining)))
	reset, ok := parseRateReset(h.Get(headerRateReset))
	if err1 != nil || err2 != nil || !ok || limit < 0 || remaining < 0 {
		return nil, false
	}
	used, _ := strconv.Atoi(strings.TrimSpace(h.Get(headerRateUsed)))
	return &github.Rate{Limit: limit, Remaining: remaining, Used: used, Reset: github.Timestamp{Time: reset}, Resource: "core"}, true
}

// Observed returns what GitHub's answers to this client have said about its token so far.
func (c *Client) Observed() Observed { return c.seen.get() }

// ParseTokenExpiration reads GitHub-Authentication-Token-Expiration, in either form GitHub has
// been seen to send: "2023-01-31 23:00:00 UTC" or "2023-04-26 23:23:18 +0200". Any other zone
// name is refused rather than guessed.
func ParseTokenExpiration(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutSuffix(v, " UTC"); ok {
		t, err := time.Parse(time.DateTime, rest)
		return t, err == nil
	}
	t, err := time.Parse(time.DateTime+" -0700", v)
	return t, err == nil
}
