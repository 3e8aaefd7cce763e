package githubapi

import (
	"context"
	"net/http"
	"sync"

	"github.com/google/go-github/v93/github"
)

// Attempts records how each attempt of the calls made with a context from [RecordAttempts]
// ended: what a caller of a write that is not idempotent (creating a release) needs to know
// when a retry may have repeated it.
type Attempts struct {
	mu    sync.Mutex
	tries []attempt
}

type attempt struct {
	status int  // 0: no answer
	failed bool // the attempt returned an error
	unsent bool // the request never left: the TLS handshake refused the host's certificate
}

type attemptsKey struct{}

// RecordAttempts returns ctx with a records every attempt [Client.Do] makes under it.
func RecordAttempts(ctx context.Context, a *Attempts) context.Context {
	return context.WithValue(ctx, attemptsKey{}, a)
}

func recordAttempt(ctx context.Context, resp *github.Response, err error) {
	a, ok := ctx.Value(attemptsKey{}).(*Attempts)
	if !ok {
		return
	}
	status := 0
	if resp != nil && resp.Response != nil {
		status = resp.StatusCode
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tries = append(a.tries, attempt{status: status, failed: err != nil, unsent: err != nil && certificateRejected(err)})
}

// Uncertain reports whether a failed attempt may still have taken effect on GitHub: it got no
// answer, a 5xx, or a success whose answer did not arrive whole.
func (a *Attempts) Uncertain() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range a.tries {
		if t.failed && !t.unsent && (t.status == 0 || t.status >= http.StatusInternalServerError || t.status < http.StatusMultipleChoices) {
			return true
		}
	}
	return false
}

// Lost reports whether GitHub answered an attempt with success (2xx) but the answer did not
// arrive whole: the write took effect although the call does not show it.
func (a *Attempts) Lost() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range a.tries {
		if t.failed && t.status >= http.StatusOK && t.status < http.StatusMultipleChoices {
			return true
		}
	}
	return false
}
