package emulator

import (
	"context"
	"sync"
	"time"
)

// Sleeps stands in for a retry policy's Sleep (githubapi.RetryPolicy.Sleep): it records every wait
// and returns at once with the context's error, so a test sees the backoff a client asked for
// without waiting for it. Safe for concurrent use; the zero value is ready.
type Sleeps struct {
	// OnSleep, when set, runs on every wait before it returns (e.g. to cancel the context).
	OnSleep func(time.Duration)

	mu    sync.Mutex
	waits []time.Duration
}

// Sleep records d, runs OnSleep (if set) and returns ctx.Err() without waiting. It records the
// wait even when ctx is already done, and OnSleep runs after the wait is recorded, so a hook
// that cancels ctx makes this very call return the cancellation.
func (s *Sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	if s.OnSleep != nil {
		s.OnSleep(d) // outside the lock: the hook may call Waits
	}
	return ctx.Err()
}

// Waits returns a copy of the waits recorded so far, in order; nil if there were none.
func (s *Sleeps) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}
