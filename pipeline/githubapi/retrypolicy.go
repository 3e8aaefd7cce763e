package githubapi

import (
	"context"
	"math/rand/v2"
	"time"
)

// RetryPolicy says what Client.Do retries and how long it waits.
type RetryPolicy struct {
	// MaxAttempts bounds the attempts for transient failures (5xx and network
	// errors) and, separately, the retries after rate limits. Default 4.
	MaxAttempts int
	// BaseDelay is the first backoff step; attempt n waits a uniformly random
	// time in [0, BaseDelay·2^(n-1)), capped at MaxBackoff. Default 500ms.
	BaseDelay time.Duration
	// MaxRateLimitWait bounds the rate-limit waits of one Do call, added up: a
	// wait that would take the total past it fails at once as RateLimited,
	// saying when to retry. Only a limit that says when to retry (Retry-After,
	// or X-RateLimit-Reset with X-RateLimit-Remaining: 0) is ever waited out;
	// one that does not fails at once, saying to wait a minute as GitHub
	// advises. Default 60s; negative means never wait.
	MaxRateLimitWait time.Duration
	// Sleep waits d or until ctx is done. Default: a timer honouring ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used for rate-limit resets. Default time.Now.
	Now func() time.Time
	// Jitter picks the backoff wait in [0, ceiling). Default: uniformly at random (full
	// jitter).
	Jitter func(ceiling time.Duration) time.Duration
}

// Now is the client's clock (RetryPolicy.Now), the one rate-limit resets are read against.
func (c *Client) Now() time.Time { return c.retry.Now() }

// MaxRateLimitWait is the longest rate-limit wait Do sits out (RetryPolicy.MaxRateLimitWait);
// negative means it never waits.
func (c *Client) MaxRateLimitWait() time.Duration { return c.retry.MaxRateLimitWait }

func withDefaults(p RetryPolicy) RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxRateLimitWait == 0 {
		p.MaxRateLimitWait = DefaultMaxRateLimitWait
	}
	if p.Sleep == nil {
		p.Sleep = Sleep
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Jitter == nil {
		p.Jitter = rand.N[time.Duration]
	}
	return p
}

// backoff returns the jittered wait before retry n (1-based): below BaseDelay·2^(n-1), capped
// at MaxBackoff.
func (c *Client) backoff(n int) time.Duration {
	ceiling := min(c.retry.BaseDelay<<min(n-1, 30), MaxBackoff)
	if ceiling <= 0 {
		return 0
	}
	return c.retry.Jitter(ceiling)
}

// Sleep waits d on a timer, or until ctx is done: then it returns ctx's error. It is the
// RetryPolicy's Sleep unless a test gives another.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
