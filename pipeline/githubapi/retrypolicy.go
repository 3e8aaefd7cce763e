package githubapi

import "time"

// Now is the client's clock (RetryPolicy.Now), the one rate-limit resets are read against.
func (c *Client) Now() time.Time { return c.retry.Now() }

// MaxRateLimitWait is the longest rate-limit wait Do sits out (RetryPolicy.MaxRateLimitWait);
// negative means it never waits.
func (c *Client) MaxRateLimitWait() time.Duration { return c.retry.MaxRateLimitWait }
