package repl

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ddbsql/ddbsql/executor"
)

// ProgressLine shows one live progress line for long statements (DDL waits,
// big reads) on a terminal, rewriting it in place, and clears it when the
// statement is done. Use it only when the writer is a terminal.
type ProgressLine struct {
	w     io.Writer
	mu    sync.Mutex
	shown bool
	start time.Time
}

// NewProgressLine returns a progress line writing to w.
func NewProgressLine(w io.Writer) *ProgressLine { return &ProgressLine{w: w} }

// Update shows p; it is an executor.Options.OnProgress function.
func (l *ProgressLine) Update(p executor.Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.shown {
		l.start = time.Now()
	}
	text := p.Message
	if text == "" {
		elapsed := time.Since(l.start).Seconds()
		rate := 0.0
		if elapsed > 0 {
			rate = float64(p.Scanned) / elapsed
		}
		text = fmt.Sprintf("%d items scanned, %d returned, %d pages, %.1f capacity units, %.0f items/s, %.1fs",
			p.Scanned, p.Returned, p.Pages, p.Capacity, rate, elapsed)
	}
	fmt.Fprintf(l.w, "\r\033[K%s", text)
	l.shown = true
}

// Clear removes the line, if one is shown.
func (l *ProgressLine) Clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		fmt.Fprint(l.w, "\r\033[K")
		l.shown = false
	}
}
