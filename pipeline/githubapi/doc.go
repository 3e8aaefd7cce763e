// Package githubapi builds the GitHub REST client used by release-preflight
// and turns every failure into a classified *outcome.Error that says what to change.
//
// Three things live here and nowhere else:
//
//   - Client construction (NewClient): API and upload URLs for github.com and
//     GitHub Enterprise Server, default timeouts, and a request counter so
//     reports can say exactly how many requests a command made.
//   - The retry policy (Client.Do): 5xx responses and network errors are
//     retried with exponential backoff and full jitter up to
//     RetryPolicy.MaxAttempts; primary and secondary rate limits are waited
//     out only while the wait is at most RetryPolicy.MaxRateLimitWait, and fail
//     fast otherwise, saying when the limit resets. Every attempt runs on a
//     fresh *github.Client, because go-github remembers rate-limit state and
//     would otherwise refuse requests locally until the reset. Context
//     cancellation is never retried.
//   - Classification: each failure gets an outcome.Class (which maps to an
//     exit code) and a Remediation naming the setting, permission or input to
//     change. A 403 "Resource not accessible by integration" is outcome.Clamped
//     and names Settings → Actions → General → Workflow permissions; the
//     permissions GitHub asks for in X-Accepted-GitHub-Permissions are always
//     carried along.
//
// The token given in Config is sent only to the configured API and upload
// hosts and never appears in an error string: Client.Do redacts it from every
// error it returns.
package githubapi
