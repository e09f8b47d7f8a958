package executor

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// Statements that write several items — multi-row INSERT and UPSERT,
// INSERT ... SELECT, UPDATE and DELETE of whatever a WHERE matches — share
// one shape: the caller's goroutine pulls rows from a source (VALUES, or a
// read) and hands them to at most Options.Concurrency workers, each making
// one call at a time. At the first error no further row is handed out, but
// the calls in flight are let finish, so that the count of items written,
// reported with the error, is exact. DynamoDB has no statement atomicity:
// what was written before the error stays written.

// batchWriteLimit is the most items one BatchWriteItem may carry.
const batchWriteLimit = 25

// cancelGrace is how long the calls in flight when a statement is
// cancelled (Ctrl-C, a statement timeout, a client's CancelRequest) may
// take to finish before they are abandoned too.
var cancelGrace = 10 * time.Second

// runPool calls work on every task next yields (io.EOF ends them) on at most
// workers goroutines, and returns the first error of work, or else the
// error of next. When ctx is cancelled no further task is handed out and
// the tasks under way finish: work runs under a context that ends
// cancelGrace after ctx does, so that a write in flight is answered and
// counted rather than abandoned, applied or not, with the count of items
// written reported short.
func runPool[T any](ctx context.Context, workers int, next func() (T, error), work func(context.Context, T) error) error {
	wctx, abandon := context.WithCancelCause(context.WithoutCancel(ctx))
	defer abandon(nil)
	finished := make(chan struct{})
	defer close(finished)
	grace := cancelGrace
	go func() {
		select {
		case <-ctx.Done():
		case <-finished:
			return
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			abandon(context.Cause(ctx))
		case <-finished:
		}
	}()
	tasks := make(chan T)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		failed   atomic.Bool
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		failed.Store(true)
	}
	for range max(workers, 1) {
		wg.Go(func() {
			for t := range tasks {
				if failed.Load() || ctx.Err() != nil {
					continue // drain: nothing more is sent once a task failed
				}
				if err := work(wctx, t); err != nil {
					fail(err)
				}
			}
		})
	}
	// An error of the source stops handing out tasks but lets those
	// already handed out run, so that every row before a bad one is
	// written; it is reported unless a task failed.
	var srcErr error
	for !failed.Load() {
		t, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			srcErr = err
			break
		}
		select {
		case tasks <- t:
		case <-ctx.Done():
			fail(ctx.Err())
		}
	}
	close(tasks)
	wg.Wait()
	if firstErr == nil {
		return srcErr
	}
	return firstErr
}

// writeProgress adds how far a failed multi-item write got to its error.
// A cancelled statement (57014) says so in its detail: how many items were
// written and skipped, and that the items it had not reached are as they
// were.
func writeProgress(ctx context.Context, err error, table string, ws *writeStats) error {
	e := sqlerr.As(readError(ctx, err, table))
	verb, written, skipped := ws.verb, ws.written.Load(), ws.skipped.Load()
	var what string
	if e.Code == sqlerr.QueryCanceled {
		what = fmt.Sprintf("canceled after %s items %s", groupDigits(written), verb)
		if ws.setBased {
			what += fmt.Sprintf(", %s skipped; the rest of the table is unchanged", groupDigits(skipped))
		} else {
			what += "; the rows after them were not written"
		}
	} else {
		switch written {
		case 0:
			what = fmt.Sprintf("no item was %s before the statement stopped", verb)
		case 1:
			what = fmt.Sprintf("1 item was %s before the statement stopped", verb)
		default:
			what = fmt.Sprintf("%d items were %s before the statement stopped", written, verb)
		}
		if written > 0 {
			what += "; they stay " + verb + " (DynamoDB writes each item on its own)"
		}
	}
	if e.Detail != "" && e.Code != sqlerr.QueryCanceled {
		what = e.Detail + "; " + what
	}
	c := *e
	c.Detail = what
	return &c
}

// writeEach runs a set-based UPDATE or DELETE: each item the input reads
// gets its own conditional write; an item whose condition fails (changed or
// deleted since it was read) is skipped.
func (e *Executor) writeEach(ctx context.Context, env *env, n *planner.WriteEach) (*Result, error) {
	table, verb, tag := "", "", ""
	var names map[string]string
	var vals map[string]types.AttributeValue
	var err error
	if n.Update != nil {
		table, verb, tag = n.Update.Table, "updated", "UPDATE"
		names = n.Update.Names
		vals, err = env.values(n.Update.Values)
	} else {
		table, verb, tag = n.Delete.Table, "deleted", "DELETE"
		names = n.Delete.Names
		vals, err = env.values(n.Delete.Values)
	}
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		names = nil
	}
	onProgress := e.opts.OnProgress
	if env.quiet {
		onProgress = nil
	}
	ws := env.stats.startWrite(verb, true, onProgress)
	ws.budget = env.writeBudget()
	mark := marking(ctx, env, n)
	if wc, _ := writeCheckpointsFrom(ctx); wc.Resume != nil && wc.Resume.Unmarking {
		w := &setWrite{n: n, table: table, verb: verb, tag: tag, ws: ws, resuming: true, writtenBefore: wc.Resume.Written, mark: mark}
		return e.resumeUnmarking(ctx, env, w, wc.Resume)
	}
	rows, tr, err := e.openWriteInput(ctx, env, n.Input)
	if err != nil {
		return nil, err
	}
	matchedBefore, writtenBefore, skippedBefore, resuming := resumedCounts(ctx)
	resuming = resuming && tr != nil
	if resuming {
		ws.matched.Store(matchedBefore)
		ws.written.Store(writtenBefore)
		ws.skipped.Store(skippedBefore)
	}
	w := &setWrite{n: n, table: table, verb: verb, tag: tag, names: names, vals: vals,
		rows: rows, tr: tr, ws: ws, resuming: resuming, writtenBefore: writtenBefore, mark: mark}
	if returning(n) == parser.ReturnNothing {
		defer rows.Close()
		if err := e.runSetWrite(ctx, env, w, nil); err != nil {
			return nil, writeProgress(ctx, err, table, ws)
		}
		if mark != "" {
			if err := e.finishMarked(ctx, env, w); err != nil {
				return nil, unmarkError(ctx, err, table, ws)
			}
		}
		res := &Result{}
		w.finish(res)
		return res, nil
	}
	return e.streamSetWrite(ctx, env, w), nil
}

// setWrite is one set-based UPDATE or DELETE under way: the node, its
// evaluated expression values, the read it writes the items of and the
// counts so far.
type setWrite struct {
	n                *planner.WriteEach
	table, verb, tag string
	names            map[string]string
	vals             map[string]types.AttributeValue
	rows             RowIter
	tr               *positionTracker
	ws               *writeStats
	resuming         bool
	writtenBefore    int64
	// mark, when set, stamps each item updated (see MarkAttribute).
	mark string
}

// returning is the RETURNING clause of a set-based write.
func returning(n *planner.WriteEach) parser.Returning {
	if n.Update != nil {
		return n.Update.Returning
	}
	return n.Delete.Returning
}

// finish fills res with the statement's outcome: the tag (with the count
// of items written unless rows were returned, which front ends count), the
// counts and the notices.
func (w *setWrite) finish(res *Result) {
	modified, matched, skipped := w.ws.written.Load(), w.ws.matched.Load(), w.ws.skipped.Load()
	res.Tag = w.tag + " " + strconv.FormatInt(modified, 10)
	if res.Rows != nil {
		res.Tag = w.tag
	}
	res.RowsAffected, res.Matched, res.Skipped = modified, matched, skipped
	if w.resuming {
		res.Notices = append(res.Notices, resumeNotice(w.writtenBefore, w.verb))
	}
	if skipped > 0 {
		res.Notices = append(res.Notices, fmt.Sprintf(
			"%d of %d matching items were skipped: they changed or disappeared between the read and the write, so the WHERE clause no longer held",
			skipped, matched))
	}
}

// runSetWrite writes every item w's read yields, each with its own
// conditional write, on the worker pool. An item whose condition fails
// (changed or deleted since it was read) is skipped. An UPDATE with pinned
// attributes writes each item through pinnedUpdate, which tells a retried
// call that was applied, and a change by another writer, from a failed
// WHERE. emit, when not nil, receives the item each successful write
// returns (RETURNING); it is called from the workers and may block, which
// holds the writes back.
func (e *Executor) runSetWrite(ctx context.Context, env *env, w *setWrite, emit func(context.Context, Item) error) error {
	n, table, ws, tr := w.n, w.table, w.ws, w.tr
	names, vals := w.names, w.vals
	ret := returning(n)
	next := func() (claimedItem, error) {
		it, err := w.rows.Next()
		if err != nil {
			return claimedItem{}, err
		}
		page := tr.claim()
		key := make(Item, len(n.KeyAttrs))
		for _, a := range n.KeyAttrs {
			v, ok := it[a]
			if !ok {
				return claimedItem{}, sqlerr.New(sqlerr.Internal, "executor: the read of %q yielded an item without its key attribute %q", table, a)
			}
			key[a] = v
		}
		if n.Update != nil {
			// The pinned attributes travel with the key (an absent one
			// stays absent): pinnedUpdate splits them off.
			for _, a := range n.Pin {
				if v, ok := it[a]; ok {
					key[a] = v
				}
			}
		}
		ws.matched.Add(1)
		return claimedItem{item: key, page: page}, nil
	}
	// emit waits for the consumer only while the statement runs: the
	// workers' own context outlives a cancellation (runPool).
	stmt := ctx
	return runPool(ctx, e.opts.Concurrency, next, func(ctx context.Context, c claimedItem) error {
		if err := ws.budget.reserve(ctx, 1); err != nil {
			return err
		}
		var err error
		var consumed float64
		var returned Item
		// settled is set when the write settled its budget itself (a
		// pinned UPDATE, which may take several calls).
		var settled bool
		if n.Update != nil && len(n.Pin) > 0 {
			returned, err = e.pinnedUpdate(ctx, env, w, c.item)
			settled = true
		} else if n.Update != nil {
			env.recordCall()
			var out *dynamodb.UpdateItemOutput
			out, err = e.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName:                 aws.String(table),
				Key:                       c.item,
				UpdateExpression:          optString(n.Update.Update),
				ConditionExpression:       optString(n.Update.Condition),
				ExpressionAttributeNames:  names,
				ExpressionAttributeValues: vals,
				ReturnValues:              returnValues(ret),
				ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
			})
			if err == nil {
				env.recordCapacity(out.ConsumedCapacity)
				consumed, returned = capacityOf(out.ConsumedCapacity), out.Attributes
			}
		} else {
			env.recordCall()
			in := &dynamodb.DeleteItemInput{
				TableName:                 aws.String(table),
				Key:                       c.item,
				ConditionExpression:       optString(n.Delete.Condition),
				ExpressionAttributeNames:  names,
				ExpressionAttributeValues: vals,
				ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
			}
			if ret != parser.ReturnNothing {
				in.ReturnValues = types.ReturnValueAllOld
			}
			var out *dynamodb.DeleteItemOutput
			out, err = e.api.DeleteItem(ctx, in)
			if err == nil {
				env.recordCapacity(out.ConsumedCapacity)
				consumed, returned = capacityOf(out.ConsumedCapacity), out.Attributes
			}
		}
		switch {
		case err == nil:
			if !settled {
				ws.budget.settle(1, consumed)
			}
			ws.written.Add(1)
			tr.finish(c.page, 1, 0)
		case isErrorCode(err, "ConditionalCheckFailedException"):
			// A failed condition still consumes a write unit; a skipped
			// item returns nothing.
			if !settled {
				ws.budget.settle(1, 1)
			}
			ws.skipped.Add(1)
			tr.finish(c.page, 0, 1)
			env.stats.progress()
			return nil
		default:
			return mapTableError(err, table)
		}
		env.stats.progress()
		if emit == nil {
			return nil
		}
		if returned == nil {
			// UPDATED_OLD / UPDATED_NEW of a write that changed nothing
			// returns no attributes: still a row, as for one item.
			returned = Item{}
		}
		return emit(stmt, returned)
	})
}

// streamSetWrite runs a set-based write with RETURNING: the writes run in
// the background, on the worker pool, and the item each write returns is a
// row as soon as it completes, so that the rows of a large write stream
// instead of being held. Rows come in the order the writes complete. A
// consumer slower than the writes holds them back (the channel is as deep
// as the pool), so memory stays bounded. The result's counts, tag and
// notices are filled in when the last row has been read; the tag is the
// verb, which front ends complete with the count of rows, the count of
// items written. Close stops handing out items, lets the writes in flight
// finish and waits for them.
func (e *Executor) streamSetWrite(ctx context.Context, env *env, w *setWrite) *Result {
	wctx, cancel := context.WithCancelCause(ctx)
	sr := &setWriteRows{
		out:    make(chan Item, e.opts.Concurrency),
		done:   make(chan struct{}),
		cancel: cancel,
		w:      w,
	}
	sr.res = &Result{Tag: w.tag, Rows: sr}
	go func() {
		defer close(sr.done)
		defer w.rows.Close()
		err := e.runSetWrite(wctx, env, w, func(ctx context.Context, it Item) error {
			select {
			case sr.out <- it:
				return nil
			case <-ctx.Done():
				return context.Cause(ctx)
			}
		})
		if err != nil {
			sr.err = writeProgress(wctx, err, w.table, w.ws)
		}
		close(sr.out)
	}()
	return sr.res
}

// errRowsClosed cancels the writes of a RETURNING whose rows were closed
// before the end.
var errRowsClosed = sqlerr.New(sqlerr.QueryCanceled, "canceling statement: its returned rows were closed")

// setWriteRows are the rows of a set-based write with RETURNING.
type setWriteRows struct {
	out    chan Item
	done   chan struct{}
	cancel context.CancelCauseFunc
	w      *setWrite
	res    *Result
	// err is the writes' error, set before out is closed.
	err      error
	finished bool
}

func (r *setWriteRows) Next() (Item, error) {
	if r.finished {
		return nil, io.EOF
	}
	it, ok := <-r.out
	if ok {
		return it, nil
	}
	<-r.done
	r.finished = true
	if r.err != nil {
		return nil, r.err
	}
	r.w.finish(r.res)
	return nil, io.EOF
}

func (r *setWriteRows) Close() error {
	r.cancel(errRowsClosed)
	// Unblock a worker waiting to hand over a row, then wait for the
	// writes in flight.
	for range r.out {
	}
	<-r.done
	r.finished = true
	return nil
}
