package executor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// A set-based write (UPDATE or DELETE ... WHERE, INSERT or UPSERT ...
// SELECT) over a Query or Scan can report checkpoints while it runs and be
// resumed from one after the process died. A checkpoint holds, for each
// stream of the read (a scan segment, or the Query of one partition value),
// the ExclusiveStartKey after which nothing has been read: every item read
// before it has been written, skipped, or dropped by the WHERE. Workers
// finish items out of order, so positions advance a page at a time, when
// the page and every page of its stream before it are finished. Resuming
// restarts each stream at its position and skips finished streams; the
// items read after the last checkpoint and before the process died are read
// and written again, which is why a resumed write must be safe to repeat
// for them (see WriteCheckpoints).

// Checkpoint is how far a set-based write has got. It is JSON-serialisable
// (keys in DynamoDB's AttributeValue JSON) so that a caller can store it and
// hand it back to resume the statement in another process.
type Checkpoint struct {
	// Table is the table read; Path "scan" or "query". A resume checks both
	// against the plan.
	Table string `json:"table"`
	Path  string `json:"path"`
	// Streams holds one position per scan segment or Query partition
	// value, in the plan's order.
	Streams []StreamPosition `json:"streams"`
	// Matched, Written and Skipped count the items before the positions:
	// those the write was given, those it wrote and those whose
	// conditional write failed.
	Matched int64 `json:"matched"`
	Written int64 `json:"written"`
	Skipped int64 `json:"skipped"`
	// Unmarking is set once a marking UPDATE (WriteCheckpoints.Mark) has
	// updated every item: resumed, it only removes its marks.
	Unmarking bool `json:"unmarking,omitempty"`
}

// StreamPosition is the position of one stream: Done once its last page is
// finished, otherwise the key to restart after (nil: from the start).
type StreamPosition struct {
	Done  bool
	Start Item
}

type streamPositionJSON struct {
	Done  bool            `json:"done,omitempty"`
	Start json.RawMessage `json:"start,omitempty"`
}

// MarshalJSON writes {"done":true} or {"start":{...DynamoDB JSON key...}}.
func (p StreamPosition) MarshalJSON() ([]byte, error) {
	out := streamPositionJSON{Done: p.Done}
	if !p.Done && p.Start != nil {
		b, err := format.MarshalItemJSON(p.Start, nil)
		if err != nil {
			return nil, err
		}
		out.Start = b
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (p *StreamPosition) UnmarshalJSON(data []byte) error {
	var in streamPositionJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*p = StreamPosition{Done: in.Done}
	if len(in.Start) > 0 && string(in.Start) != "null" {
		key, err := format.UnmarshalItemJSON(in.Start)
		if err != nil {
			return err
		}
		p.Start = key
	}
	return nil
}

// WriteCheckpoints asks a set-based write to report checkpoints, and
// possibly to resume from one. It is given per statement through the
// context (WithWriteCheckpoints), since the same session runs statements
// that have none. Statements whose read cannot be resumed (a sort, a
// LIMIT, DISTINCT, an aggregate, a read of keys by GetItem or
// BatchGetItem, or of an index fetched from the table) run as usual and
// report nothing.
//
// Items read after the last checkpoint may be written twice when a
// statement is resumed. UPSERT writes the same item again. INSERT ...
// SELECT, when resuming, counts an existing item identical to the one it
// inserts as written instead of failing with 23505. UPDATE and DELETE
// re-check the WHERE in each write's condition: an UPDATE whose SET does
// not depend on the old values repeats harmlessly, and one that does
// (SET n = n + 1) is safe to resume when it is given a Mark, or when its
// WHERE is falsified by the update itself (WHERE migrated IS MISSING with
// SET migrated = true), so that an item updated before the process died
// is skipped.
type WriteCheckpoints struct {
	// Resume, when set, restarts the statement from this checkpoint.
	Resume *Checkpoint
	// Repeat says the statement may have written before — an earlier run
	// of it was interrupted, with or without a checkpoint — so that an
	// INSERT (VALUES, SELECT or COPY) counts an existing item identical to
	// the one it inserts as written instead of failing with 23505, and DDL
	// finding its work done (the table it creates, with the same keys and
	// indexes; nothing left to drop) succeeds.
	Repeat bool
	// Mark, when set, makes an UPDATE whose SET reads the item stamp each
	// item it updates with it and skip items already stamped, so that it
	// can be repeated (see MarkAttribute). It must be the same in every
	// run of one statement and differ between statements.
	Mark string
	// OnUpdated is called when a marking UPDATE has updated every item,
	// before it removes its marks, with the checkpoint to resume the
	// removal from; it must have stored it when it returns (an error fails
	// the statement, the marks left in place).
	OnUpdated func(Checkpoint) error
	// OnCheckpoint is called each time the position advances (about once
	// per page read), from the statement's worker goroutines, one call at
	// a time; it should return quickly.
	OnCheckpoint func(Checkpoint)
}

type writeCheckpointsKey struct{}

// WithWriteCheckpoints returns ctx carrying wc for the set-based write run
// with it.
func WithWriteCheckpoints(ctx context.Context, wc WriteCheckpoints) context.Context {
	return context.WithValue(ctx, writeCheckpointsKey{}, wc)
}

// repeating reports whether the statement run under ctx may have run
// before, interrupted (WriteCheckpoints.Repeat): a migration's rerun.
func repeating(ctx context.Context) bool {
	wc, _ := writeCheckpointsFrom(ctx)
	return wc.Repeat
}

func writeCheckpointsFrom(ctx context.Context) (WriteCheckpoints, bool) {
	wc, ok := ctx.Value(writeCheckpointsKey{}).(WriteCheckpoints)
	return wc, ok
}

// openWriteInput opens the rows a set-based write takes. With checkpoints
// asked for and a read that can be positioned, the rows come from a
// positioned read and the returned tracker follows them; otherwise the
// tracker is nil (its methods then do nothing).
func (e *Executor) openWriteInput(ctx context.Context, env *env, input planner.Node) (RowIter, *positionTracker, error) {
	wc, ok := writeCheckpointsFrom(ctx)
	if !ok {
		rows, err := e.open(ctx, env, input)
		return rows, nil, err
	}
	if rf, ok := input.(*planner.ReadFile); ok {
		tr, rows, err := e.openPositionedFile(ctx, env, rf, wc)
		return rows, tr, err
	}
	read := positionedRead(input)
	if read == nil {
		if wc.Resume != nil {
			return nil, nil, sqlerr.New(objectNotInPrerequisiteState,
				"cannot resume this statement from its checkpoint: its read can no longer be resumed").
				WithHint("the statement changed since the checkpoint was taken; restore it")
		}
		rows, err := e.open(ctx, env, input)
		return rows, nil, err
	}
	tr, rows, err := e.openPositioned(ctx, env, read, wc)
	if err != nil {
		return nil, nil, err
	}
	rows = wrapRows(env, input, rows)
	return rows, tr, nil
}

// positionedRead returns the Read under a chain of Filter and Project nodes
// when its items can be followed to a read position: a Query or Scan, not
// counted and not fetched from the table. Filter and Project keep the order
// of their input and pull one row at a time, so the row a write receives
// comes from the item the Read yielded last.
func positionedRead(n planner.Node) *planner.Read {
	for {
		switch x := n.(type) {
		case *planner.Filter:
			n = x.Input
		case *planner.Project:
			n = x.Input
		case *planner.Read:
			if (x.Path == planner.Query || x.Path == planner.Scan) && x.Fetch == nil && !x.Count {
				return x
			}
			return nil
		default:
			return nil
		}
	}
}

// wrapRows rebuilds the Filter and Project nodes above the Read around rows.
func wrapRows(env *env, n planner.Node, rows RowIter) RowIter {
	switch x := n.(type) {
	case *planner.Filter:
		return &filterIter{env: env, n: x, in: wrapRows(env, x.Input, rows)}
	case *planner.Project:
		return &projectIter{env: env, n: x, in: wrapRows(env, x.Input, rows)}
	}
	return rows
}

// checkpointPageSize is the Limit of the Query and Scan calls of a
// positioned read whose plan sets none. Positions advance a page at a
// time, and a 1 MB page of small items holds tens of thousands of them,
// all of which a resumed statement would repeat; smaller pages cost a few
// more calls and no more read capacity.
const checkpointPageSize = 1000

// objectNotInPrerequisiteState is PostgreSQL's 55000: the statement cannot
// run from the state it was asked to resume from.
const objectNotInPrerequisiteState = "55000"

func pathName(p planner.AccessPath) string {
	if p == planner.Query {
		return "query"
	}
	return "scan"
}

// openPositioned starts the positioned read of n, from wc.Resume if set.
func (e *Executor) openPositioned(ctx context.Context, env *env, n *planner.Read, wc WriteCheckpoints) (*positionTracker, RowIter, error) {
	if env.stats.onProgress == nil {
		env.stats.onProgress = e.opts.OnProgress
	}
	rs := env.stats.read(n)
	cp := wc.Resume
	if cp != nil && (cp.Table != n.Table || cp.Path != pathName(n.Path)) {
		return nil, nil, sqlerr.New(objectNotInPrerequisiteState,
			"cannot resume from a checkpoint of a %s of %q: the statement now runs a %s of %q",
			cp.Path, cp.Table, pathName(n.Path), n.Table).
			WithHint("the statement changed since the checkpoint was taken; restore it")
	}
	read := *n
	if read.PageSize == 0 {
		read.PageSize = checkpointPageSize
	}
	var pagers []pager
	var err error
	if n.Path == planner.Query {
		pagers, err = e.queryPagers(env, &read, rs)
	} else {
		if cp != nil && len(cp.Streams) != max(n.Segments, 1) {
			// The segment count follows the table's size, which a write
			// changes: keep the interrupted run's segments, since the
			// positions are positions within them.
			read.Segments = len(cp.Streams)
		}
		pagers, err = e.scanPagers(env, &read, rs)
	}
	if err != nil {
		return nil, nil, err
	}
	if cp != nil && len(cp.Streams) != len(pagers) {
		return nil, nil, sqlerr.New(objectNotInPrerequisiteState,
			"cannot resume from the checkpoint: it has %d read streams, the statement now has %d", len(cp.Streams), len(pagers)).
			WithHint("the statement changed since the checkpoint was taken; restore it")
	}
	tr := &positionTracker{table: n.Table, path: pathName(n.Path), streams: make([]streamTrack, len(pagers)), on: wc.OnCheckpoint}
	var srcs []positionedSource
	for i, p := range pagers {
		if cp != nil {
			pos := cp.Streams[i]
			tr.streams[i].start, tr.streams[i].done = pos.Start, pos.Done
			if pos.Done {
				continue
			}
			setStart(p, pos.Start)
		}
		srcs = append(srcs, positionedSource{stream: i, p: p})
	}
	if cp != nil {
		tr.matched, tr.written, tr.skipped = cp.Matched, cp.Written, cp.Skipped
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	it := &positionedIter{parent: parent, table: n.Table, tr: tr, s: startPositioned(ctx, cancel, srcs, e.opts.Concurrency)}
	tr.iter = it
	return tr, it, nil
}

// setStart makes a Query or Scan pager start after key.
func setStart(p pager, key Item) {
	switch p := p.(type) {
	case *queryPager:
		p.in.ExclusiveStartKey = key
	case *scanPager:
		p.in.ExclusiveStartKey = key
	}
}

// startOf is the position of a Query or Scan pager after its last page.
func startOf(p pager) Item {
	switch p := p.(type) {
	case *queryPager:
		return p.in.ExclusiveStartKey
	case *scanPager:
		return p.in.ExclusiveStartKey
	}
	return nil
}

// positionedSource is one stream of a positioned read.
type positionedSource struct {
	stream int
	p      pager
}

// positionedPage is a page with the stream it came from and the position
// after it.
type positionedPage struct {
	stream int
	items  []Item
	end    Item
	last   bool
}

// pageSource yields the pages of a positioned read, in order within each
// stream: a Query or Scan (positionedStream) or a file (filePages).
type pageSource interface {
	nextPage() (positionedPage, error)
	close()
}

// positionedStream runs the streams of a positioned read on at most
// `workers` goroutines. Pages of one stream reach the consumer in order,
// since one worker reads a stream from start to end.
type positionedStream struct {
	ctx      context.Context
	cancel   context.CancelFunc
	pages    chan positionedPage
	finished chan struct{}

	mu  sync.Mutex
	err error
}

func startPositioned(ctx context.Context, cancel context.CancelFunc, srcs []positionedSource, workers int) *positionedStream {
	workers = max(1, min(workers, len(srcs)))
	s := &positionedStream{ctx: ctx, cancel: cancel, pages: make(chan positionedPage, workers), finished: make(chan struct{})}
	tasks := make(chan positionedSource, len(srcs))
	for _, src := range srcs {
		tasks <- src
	}
	close(tasks)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for src := range tasks {
				for more := true; more; {
					pg, m, err := src.p.next(ctx)
					if err != nil {
						s.fail(err)
						return
					}
					more = m
					select {
					case s.pages <- positionedPage{stream: src.stream, items: pg.items, end: startOf(src.p), last: !more}:
					case <-ctx.Done():
						return
					}
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(s.pages)
		close(s.finished)
	}()
	return s
}

func (s *positionedStream) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
	s.cancel()
}

func (s *positionedStream) nextPage() (positionedPage, error) {
	s.mu.Lock()
	err := s.err
	s.mu.Unlock()
	if err != nil {
		return positionedPage{}, err
	}
	pg, ok := <-s.pages
	if ok {
		return pg, nil
	}
	s.mu.Lock()
	err = s.err
	s.mu.Unlock()
	if err == nil {
		err = s.ctx.Err()
	}
	if err == nil {
		err = io.EOF
	}
	return positionedPage{}, err
}

func (s *positionedStream) close() {
	s.cancel()
	<-s.finished
}

// positionedIter is the RowIter of a positioned read. It remembers the page
// of the item it returned last until the write claims it; an item not
// claimed before the next is pulled was dropped by a Filter and is
// finished then.
type positionedIter struct {
	parent context.Context
	table  string
	tr     *positionTracker
	s      pageSource

	items     []Item
	page      *pageTrack
	unclaimed *pageTrack
	err       error
	closed    bool
}

func (it *positionedIter) Next() (Item, error) {
	if it.unclaimed != nil {
		it.tr.finish(it.unclaimed, 0, 0)
		it.unclaimed = nil
	}
	for len(it.items) == 0 {
		if it.err != nil {
			return nil, it.err
		}
		if it.closed {
			return nil, io.EOF
		}
		pg, err := it.s.nextPage()
		if err == io.EOF {
			it.err = io.EOF
			return nil, io.EOF
		}
		if err != nil {
			it.err = readError(it.parent, err, it.table)
			it.Close()
			return nil, it.err
		}
		it.page = it.tr.register(pg)
		it.items = pg.items
	}
	row := it.items[0]
	it.items[0] = nil
	it.items = it.items[1:]
	it.unclaimed = it.page
	return row, nil
}

func (it *positionedIter) Close() error {
	if !it.closed {
		it.closed = true
		it.s.close()
	}
	return nil
}

// positionTracker follows the items of a positioned read from the read to
// the end of their write, and turns finished pages into checkpoints.
type positionTracker struct {
	table, path string
	on          func(Checkpoint)
	iter        *positionedIter // consumer goroutine only

	mu                        sync.Mutex
	streams                   []streamTrack
	matched, written, skipped int64
}

// streamTrack is one stream's position and its pages not yet finished,
// in read order.
type streamTrack struct {
	start Item
	done  bool
	queue []*pageTrack
}

// pageTrack is one page: the items handed out and not yet finished, the
// position after it, and what its finished items did.
type pageTrack struct {
	stream                    int
	pending                   int
	end                       Item
	last                      bool
	matched, written, skipped int64
}

// register records a page the read received; an empty page (everything
// filtered by DynamoDB) is finished at once.
func (tr *positionTracker) register(pg positionedPage) *pageTrack {
	p := &pageTrack{stream: pg.stream, pending: len(pg.items), end: pg.end, last: pg.last}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	st := &tr.streams[pg.stream]
	st.queue = append(st.queue, p)
	if p.pending == 0 {
		tr.advanceLocked(pg.stream)
	}
	return p
}

// claim returns the page of the item the read yielded last, which the
// write now owns and will finish; nil without a tracker.
func (tr *positionTracker) claim() *pageTrack {
	if tr == nil {
		return nil
	}
	p := tr.iter.unclaimed
	tr.iter.unclaimed = nil
	if p != nil {
		tr.mu.Lock()
		p.matched++
		tr.mu.Unlock()
	}
	return p
}

// finish records that one item of p was written (written), skipped by its
// condition (skipped) or dropped (neither).
func (tr *positionTracker) finish(p *pageTrack, written, skipped int64) {
	if tr == nil || p == nil {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	p.pending--
	p.written += written
	p.skipped += skipped
	if p.pending == 0 {
		tr.advanceLocked(p.stream)
	}
}

// advanceLocked moves a stream's position over its finished leading pages
// and reports the new checkpoint.
func (tr *positionTracker) advanceLocked(stream int) {
	st := &tr.streams[stream]
	moved := false
	for len(st.queue) > 0 && st.queue[0].pending == 0 {
		p := st.queue[0]
		st.queue[0] = nil
		st.queue = st.queue[1:]
		st.start, st.done = p.end, p.last
		tr.matched += p.matched
		tr.written += p.written
		tr.skipped += p.skipped
		moved = true
	}
	if moved && tr.on != nil {
		tr.on(tr.checkpointLocked())
	}
}

func (tr *positionTracker) checkpointLocked() Checkpoint {
	cp := Checkpoint{Table: tr.table, Path: tr.path, Streams: make([]StreamPosition, len(tr.streams)),
		Matched: tr.matched, Written: tr.written, Skipped: tr.skipped}
	for i, st := range tr.streams {
		cp.Streams[i] = StreamPosition{Done: st.done, Start: st.start}
		if st.done {
			cp.Streams[i].Start = nil
		}
	}
	return cp
}

// resumed returns the counts the checkpoint resumed from carried, for the
// statement's totals.
func resumedCounts(ctx context.Context) (matched, written, skipped int64, ok bool) {
	wc, has := writeCheckpointsFrom(ctx)
	if !has || wc.Resume == nil {
		return 0, 0, 0, false
	}
	return wc.Resume.Matched, wc.Resume.Written, wc.Resume.Skipped, true
}

// resumeNotice tells the user the statement continued an interrupted run.
func resumeNotice(written int64, verb string) string {
	return fmt.Sprintf("resumed from a checkpoint: %s items had been %s by the interrupted run (included in the count)", groupDigits(written), verb)
}
