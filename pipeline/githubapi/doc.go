// Package githubapi builds the GitHub REST client used by release-preflight
// and turns every failure into a classified *outcome.Error that says what to change.
//
// Three things live here and nowhere else:
//
//   - Client construction (NewClient): API and upload URLs for github.com and
//     GitHub Enterprise Server, a request counter so reports can say exactly how
//     many requests a command made, and the per-request deadlines of [Timeouts]:
//     connect 10s, TLS handshake 10s, response headers 30s after the request is
//     written, and an idle timeout of 60s that ends a connection on which no
//     byte moved for that long (a body that stops arriving, an upload the server
//     stops reading). None of them caps a transfer that keeps moving, so a 2 GiB
//     upload can take as long as it needs; the caller's context bounds the whole
//     operation. Each passed deadline is a NetworkError that names it. The
//     connection pool keeps [MaxIdleConnsPerHost] (16) idle connections per
//     host, so concurrent uploads reuse theirs. Response
//     bodies are bounded: [MaxErrorBody] of an error response is read (go-github
//     reads all of it into memory) and a longer successful one than [MaxBody]
//     fails; the message an error carries is cut to outcome.MaxMessage.
//   - The retry policy (Client.Do): 5xx responses and network errors are
//     retried with exponential backoff and full jitter up to
//     RetryPolicy.MaxAttempts (4: backoffs below 0.5s, 1s and 2s). A primary or
//     secondary rate limit that says when to retry (Retry-After, or
//     X-RateLimit-Reset with X-RateLimit-Remaining: 0) is waited out while the
//     rate-limit waits of the call add up to at most
//     RetryPolicy.MaxRateLimitWait (60s); a longer one fails fast, saying when
//     the limit resets. One that does not say (a 429 or secondary limit without
//     Retry-After) is never waited out: it fails at once, saying to wait a
//     minute, which is GitHub's advice, so a one-second probe never sits a
//     minute on a guess. go-github's own rate-limit bookkeeping is off
//     (WithDisableRateLimitCheck): it would refuse requests locally until a
//     reset it once saw, and never sleeps on its own. Context
//     cancellation is never retried, no wait is started that would end after the
//     context's deadline, and a passed deadline is a NetworkError whose Input is
//     [InputTimeout], so that the adapter can name its time-limit flag.
//   - Pagination (ListAll): one page per Do call, following the Link header,
//     at most Config.MaxPages pages (default 100, of 100 items each); a list
//     that goes on, or a next page that goes back, fails naming the cap.
//   - Classification: each failure gets an outcome.Class (which maps to an
//     exit code) and a Remediation naming the setting, permission or input to
//     change. A 403 "Resource not accessible by integration" is outcome.Clamped
//     and names Settings → Actions → General → Workflow permissions; the
//     permissions GitHub asks for in X-Accepted-GitHub-Permissions are always
//     carried along.
//
// The token given in Config is sent only to the scheme and host of the
// configured API and upload URLs, never over plain http except to loopback
// (unless [Config.AllowInsecureHTTP]), and never appears in an error string:
// Client.Do redacts it, with and without its prefix, from every error it
// returns. A redirect is followed only to the same scheme and host with the
// same method (a 307 or 308, or any redirect of a GET), up to 5 times; any other
// fails as unexpected, so a POST is never silently turned into a GET that looks
// like success.
package githubapi
