package executor

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// SettingWriteCapacity is the session setting that caps the write capacity
// units per second one statement's writes may consume (0: no cap). A long
// backfill run against a table in provisioned mode would otherwise take
// all of its write capacity and throttle the application's own writes.
const SettingWriteCapacity = "write_capacity"

// capacityBudget is a token bucket of write capacity units: it fills at
// rate units per second up to one second's worth, each write reserves an
// estimate before it is sent (one unit per item, the least a write costs)
// and settles the difference when DynamoDB reports what the write consumed
// (ReturnConsumedCapacity=TOTAL). A write waits while the bucket cannot
// cover its estimate, so a statement consumes rate units per second on
// average; writes in flight at once may overdraw it by their own size,
// which the following writes pay back.
type capacityBudget struct {
	rate float64

	mu     sync.Mutex
	tokens float64
	last   time.Time

	clock Clock
}

// newCapacityBudget returns a budget of rate units per second paced by
// clock, nil for 0.
func newCapacityBudget(rate float64, clock Clock) *capacityBudget {
	if rate <= 0 {
		return nil
	}
	if clock == nil {
		clock = realClock{}
	}
	b := &capacityBudget{rate: rate, clock: clock}
	b.last = b.clock.Now()
	b.tokens = b.capacity()
	return b
}

// capacity is the most the bucket holds: one second of rate, and at least
// one unit so that a budget below 1 still lets single writes through.
func (b *capacityBudget) capacity() float64 { return max(b.rate, 1) }

func (b *capacityBudget) refillLocked() {
	now := b.clock.Now()
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(b.capacity(), b.tokens+d.Seconds()*b.rate)
	}
	b.last = now
}

// reserve waits until the bucket holds units (or is full, for a reservation
// larger than it) and takes them.
func (b *capacityBudget) reserve(ctx context.Context, units float64) error {
	if b == nil {
		return nil
	}
	for {
		b.mu.Lock()
		b.refillLocked()
		need := min(units, b.capacity())
		if b.tokens >= need {
			b.tokens -= units
			b.mu.Unlock()
			return nil
		}
		wait := time.Duration((need - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()
		if err := b.clock.Sleep(ctx, max(wait, time.Millisecond)); err != nil {
			return err
		}
	}
}

// settle corrects a reservation of reserved units by what the write
// actually consumed.
func (b *capacityBudget) settle(reserved, consumed float64) {
	if b == nil || consumed == 0 {
		// A backend that reports no capacity leaves the estimate standing.
		return
	}
	b.mu.Lock()
	b.tokens += reserved - consumed
	b.mu.Unlock()
}

// refund returns a reservation whose write consumed nothing: a call the
// backend refused before writing (an operation it does not know, a
// request invalid as a whole).
func (b *capacityBudget) refund(reserved float64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.tokens += reserved
	b.mu.Unlock()
}

// writeBudget reads the session's write_capacity setting: the budget of
// the statement's writes, nil when unlimited or when the session does not
// know the setting.
func (env *env) writeBudget() *capacityBudget {
	v, err := env.sessionInfo().Get(SettingWriteCapacity)
	if err != nil {
		return nil
	}
	rate, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil
	}
	return newCapacityBudget(rate, env.wallClock)
}
