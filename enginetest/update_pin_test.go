package enginetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// TestUpdatePinConcurrentIncrements runs two sessions' UPDATE ... SET n =
// n + 1 WHERE n >= 0 over the same 500 items at the same time. Each write
// pins n to the value its statement read, so a write that meets an item
// the other statement incremented since the read fails its condition; it
// is then sent again pinned to the value now stored. No increment is lost
// and none is applied twice: every item ends at n = 2, and each statement
// reports all 500 items updated, none skipped.
func TestUpdatePinConcurrentIncrements(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		const items = 500
		// Two sessions, each through a proxy of its own that only counts
		// the calls.
		runs := []*faultRun{newFaultRun(t, b, nil), newFaultRun(t, b, nil)}
		table, _ := runs[0].source(items)

		results := make([]*executor.Result, len(runs))
		errs := make([]error, len(runs))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, r := range runs {
			wg.Go(func() {
				<-start
				results[i], errs[i] = r.exec(`UPDATE "` + table + `" SET n = n + 1 WHERE n >= 0`)
			})
		}
		close(start)
		wg.Wait()
		for i, res := range results {
			if errs[i] != nil {
				t.Fatalf("session %d: %v", i+1, errs[i])
			}
			if res.Tag != fmt.Sprintf("UPDATE %d", items) || res.Matched != items || res.Skipped != 0 {
				t.Errorf("session %d: %s, matched %d, skipped %d; want UPDATE %d, matched %d, skipped 0",
					i+1, res.Tag, res.Matched, res.Skipped, items, items)
			}
		}
		if counts := runs[0].numbers(table); len(counts) != 1 || counts["2"] != items {
			t.Errorf("items by n %v, want all %d at n = 2", counts, items)
		}
		// Each write the other statement got in first between the read and
		// the write costs one more UpdateItem: how many shows how much the
		// two statements overlapped.
		calls := 0
		for _, r := range runs {
			r.proxy.mu.Lock()
			calls += r.proxy.calls["UpdateItem"]
			r.proxy.mu.Unlock()
		}
		t.Logf("%d UpdateItem calls for %d increments", calls, 2*items)
	})
}
