package emulator_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

func TestSleeps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		waits     []time.Duration
		cancel    bool // cancel the context before the first wait
		hook      bool // set OnSleep, which cancels the context
		wantErrs  []error
		wantHooks []time.Duration
	}{
		{
			name:     "no waits",
			waits:    nil,
			wantErrs: nil,
		},
		{
			name:     "records in order and returns nil",
			waits:    []time.Duration{3 * time.Second, time.Millisecond, 0, time.Minute},
			wantErrs: []error{nil, nil, nil, nil},
		},
		{
			name:     "cancelled context: returns its error and still records",
			waits:    []time.Duration{time.Second, 2 * time.Second},
			cancel:   true,
			wantErrs: []error{context.Canceled, context.Canceled},
		},
		{
			name:      "OnSleep runs on every wait before it returns",
			waits:     []time.Duration{time.Second, 2 * time.Second},
			hook:      true,
			wantErrs:  []error{context.Canceled, context.Canceled},
			wantHooks: []time.Duration{time.Second, 2 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			t.Cleanup(cancel)
			if tt.cancel {
				cancel()
			}
			var s emulator.Sleeps
			var hooked []time.Duration
			if tt.hook {
				s.OnSleep = func(d time.Duration) {
					hooked = append(hooked, d)
					assert.Equal(t, hooked, s.Waits(), "the wait is recorded before OnSleep runs")
					cancel()
				}
			}

			var errs []error
			for _, d := range tt.waits {
				errs = append(errs, s.Sleep(ctx, d))
			}

			assert.Equal(t, tt.wantErrs, errs)
			assert.Equal(t, tt.waits, s.Waits())
			assert.Equal(t, tt.wantHooks, hooked)
		})
	}
}

func TestSleepsWaitsIsACopy(t *testing.T) {
	t.Parallel()
	var s emulator.Sleeps
	require.NoError(t, s.Sleep(t.Context(), time.Second))

	got := s.Waits()
	got[0] = time.Hour
	require.NoError(t, s.Sleep(t.Context(), 2*time.Second))

	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, s.Waits())
}

func TestSleepsConcurrent(t *testing.T) {
	t.Parallel()
	var s emulator.Sleeps
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_ = s.Sleep(t.Context(), time.Millisecond)
			_ = s.Waits()
		})
	}
	wg.Wait()
	assert.Len(t, s.Waits(), 50)
}
