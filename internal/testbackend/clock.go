package testbackend

import (
	"context"
	"sync"
	"time"
)

// FakeClock is a clock whose Sleep advances it at once and adds the time
// to Slept, for pacing code (the executor's write budget) tested without
// waiting: the waits it asked for are summed instead of slept. It
// satisfies executor.Clock. The zero value starts at the Unix epoch.
type FakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
	naps  int
}

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		c.now = time.Unix(0, 0)
	}
	return c.now
}

// Sleep advances the clock by d and returns ctx's error, if any.
func (c *FakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		c.now = time.Unix(0, 0)
	}
	c.now = c.now.Add(d)
	c.slept += d
	c.naps++
	return nil
}

// Slept returns the time slept so far and the number of sleeps.
func (c *FakeClock) Slept() (time.Duration, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept, c.naps
}

// Reset forgets the time slept so far.
func (c *FakeClock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept, c.naps = 0, 0
}
