package executor

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
)

// progressInterval is the shortest time between two progress reports (a
// variable for tests).
var progressInterval = 200 * time.Millisecond

// stats collects what the DynamoDB calls of one statement did: per Read node
// for EXPLAIN ANALYZE, and in total for progress reports. Counters are
// atomic because parallel segments and batches report concurrently.
type stats struct {
	mu    sync.Mutex
	reads map[*planner.Read]*readStats
	// other counts the calls made outside Read nodes (writes).
	other readStats
	// writes counts the items of a multi-item write (nil for other
	// statements).
	writes *writeStats

	onProgress   func(Progress)
	lastProgress atomic.Int64 // UnixNano of the last report
	reporting    sync.Mutex
}

// readStats is what one Read node (or its fetch from the table) did.
type readStats struct {
	calls, pages, scanned, returned atomic.Int64
	capacityBits                    atomic.Uint64 // float64 capacity units
	first, last                     atomic.Int64  // UnixNano of the first call's start, the last call's end

	// fetch counts the BatchGetItem calls completing an index read.
	fetch *readStats
}

func newStats() *stats {
	s := &stats{reads: map[*planner.Read]*readStats{}}
	// The first report comes after progressInterval, so that short
	// statements report nothing.
	s.lastProgress.Store(time.Now().UnixNano())
	return s
}

// read returns the statistics of n, creating them on first use.
func (s *stats) read(n *planner.Read) *readStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs, ok := s.reads[n]
	if !ok {
		rs = &readStats{}
		if n.Fetch != nil {
			rs.fetch = &readStats{}
		}
		s.reads[n] = rs
	}
	return rs
}

// lookupRead returns the statistics of n, nil when it never ran.
func (s *stats) lookupRead(n *planner.Read) *readStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads[n]
}

// recordCall counts a call made by the write side of the executor.
func (env *env) recordCall() {
	env.stats.other.calls.Add(1)
}

// recordCapacity adds the capacity a write consumed.
func (env *env) recordCapacity(cc *types.ConsumedCapacity) {
	if cc != nil && cc.CapacityUnits != nil {
		env.stats.other.addCapacity(*cc.CapacityUnits)
	}
}

// recordCapacities records the capacity of a call that reports it per
// table (BatchWriteItem, TransactWriteItems) and returns the total.
func (env *env) recordCapacities(ccs []types.ConsumedCapacity) float64 {
	var total float64
	for i := range ccs {
		env.recordCapacity(&ccs[i])
		total += capacityOf(&ccs[i])
	}
	return total
}

// callStarted notes the start of a call; it returns the start time for
// callDone.
func (rs *readStats) callStarted() time.Time {
	now := time.Now()
	rs.calls.Add(1)
	rs.first.CompareAndSwap(0, now.UnixNano())
	return now
}

// callDone records a call's answer: one page with scanned and returned
// items and the capacity consumed.
func (rs *readStats) callDone(scanned, returned int64, capacity float64) {
	end := time.Now().UnixNano()
	rs.pages.Add(1)
	rs.scanned.Add(scanned)
	rs.returned.Add(returned)
	rs.addCapacity(capacity)
	for {
		last := rs.last.Load()
		if end <= last || rs.last.CompareAndSwap(last, end) {
			break
		}
	}
}

func (rs *readStats) addCapacity(c float64) {
	if c == 0 {
		return
	}
	for {
		old := rs.capacityBits.Load()
		if rs.capacityBits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+c)) {
			return
		}
	}
}

func (rs *readStats) capacity() float64 {
	return math.Float64frombits(rs.capacityBits.Load())
}

// elapsed is the time from the first call's start to the last call's end.
func (rs *readStats) elapsed() time.Duration {
	first, last := rs.first.Load(), rs.last.Load()
	if first == 0 || last < first {
		return 0
	}
	return time.Duration(last - first)
}

// capacityOf sums the capacity units of a call's ConsumedCapacity.
func capacityOf(ccs ...*types.ConsumedCapacity) float64 {
	var total float64
	for _, cc := range ccs {
		if cc != nil && cc.CapacityUnits != nil {
			total += *cc.CapacityUnits
		}
	}
	return total
}

// totals sums every counter of the statement.
func (s *stats) totals() Progress {
	var p Progress
	add := func(rs *readStats) {
		p.Calls += rs.calls.Load()
		p.Pages += rs.pages.Load()
		p.Scanned += rs.scanned.Load()
		p.Returned += rs.returned.Load()
		p.Capacity += rs.capacity()
	}
	s.mu.Lock()
	for _, rs := range s.reads {
		add(rs)
		if rs.fetch != nil {
			add(rs.fetch)
		}
	}
	s.mu.Unlock()
	add(&s.other)
	if s.writes != nil {
		p.Message = s.writes.message(p.Capacity)
	}
	return p
}

// progress reports the totals to the OnProgress callback, at most once per
// progressInterval and never from two goroutines at once.
func (s *stats) progress() {
	if s.onProgress == nil {
		return
	}
	now := time.Now().UnixNano()
	last := s.lastProgress.Load()
	if now-last < int64(progressInterval) || !s.lastProgress.CompareAndSwap(last, now) {
		return
	}
	if !s.reporting.TryLock() {
		return
	}
	defer s.reporting.Unlock()
	s.onProgress(s.totals())
}

// writeStats counts the items of a multi-item write (multi-row INSERT and
// UPSERT, INSERT ... SELECT, set-based UPDATE and DELETE) for the progress
// line, the error of a statement cut short and the result.
type writeStats struct {
	// verb is what the statement does to an item: written, updated or
	// deleted; setBased is true for UPDATE and DELETE, which report the
	// items matched and skipped.
	verb     string
	setBased bool
	start    time.Time
	// matched counts the items handed to a write, written those written,
	// skipped those whose conditional write failed.
	matched, written, skipped atomic.Int64
	// budget paces the writes (nil: no write_capacity limit).
	budget *capacityBudget
}

// startWrite begins counting the items of a write; it is called before the
// statement's workers start.
func (s *stats) startWrite(verb string, setBased bool, onProgress func(Progress)) *writeStats {
	if s.onProgress == nil {
		s.onProgress = onProgress
	}
	s.writes = &writeStats{verb: verb, setBased: setBased, start: time.Now()}
	return s.writes
}

// message is the progress line of a write: 12,345 items matched,
// 12,340 updated, 5 skipped, 1,234 items/s, 45.0 capacity units, 10.0s.
func (w *writeStats) message(capacity float64) string {
	elapsed := time.Since(w.start).Seconds()
	done := w.written.Load() + w.skipped.Load()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(done) / elapsed
	}
	var b strings.Builder
	if w.setBased {
		fmt.Fprintf(&b, "%s items matched, %s %s, %s skipped", groupDigits(w.matched.Load()), groupDigits(w.written.Load()), w.verb, groupDigits(w.skipped.Load()))
	} else {
		fmt.Fprintf(&b, "%s items %s", groupDigits(w.written.Load()), w.verb)
	}
	fmt.Fprintf(&b, ", %s items/s, %.1f capacity units, %.1fs", groupDigits(int64(rate)), capacity, elapsed)
	return b.String()
}

// groupDigits writes n with a comma every three digits: 12,345.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
