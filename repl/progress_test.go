package repl

import (
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/executor"
)

// A set-based write reports its counts as the progress message; the line
// shows it in place of the read counters and clears it at the end.
func TestProgressLineShowsWriteCounts(t *testing.T) {
	var b strings.Builder
	l := NewProgressLine(&b)
	l.Update(executor.Progress{Message: "12,345 items matched, 12,000 updated, 3 skipped, 1,234 items/s, 45.0 capacity units, 10.0s", Scanned: 99})
	l.Clear()
	got := b.String()
	if !strings.Contains(got, "\r\033[K12,345 items matched, 12,000 updated, 3 skipped") || strings.Contains(got, "99 items scanned") {
		t.Errorf("progress output %q", got)
	}
	if !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("the line was not cleared: %q", got)
	}
}
