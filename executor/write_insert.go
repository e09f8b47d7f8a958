package executor

import (
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// putItems runs a multi-row INSERT or UPSERT, or INSERT ... SELECT.
func (e *Executor) putItems(ctx context.Context, env *env, n *planner.PutItems) (*Result, error) {
	ws := env.stats.startWrite("written", false, e.opts.OnProgress)
	ws.budget = env.writeBudget()
	var src RowIter
	var tr *positionTracker
	if n.Input != nil {
		rows, t, err := e.openWriteInput(ctx, env, n.Input)
		if err != nil {
			return nil, err
		}
		src, tr = rows, t
	} else {
		items := make([]Item, len(n.Items))
		seen := make(map[string]bool, len(items))
		for i, x := range n.Items {
			v, err := env.value(x)
			if err != nil {
				return nil, err
			}
			m, ok := v.(*types.AttributeValueMemberM)
			if !ok {
				return nil, sqlerr.New(sqlerr.InvalidParameter, "INSERT needs a map value, got %s", attributeTypeName(v)).
					WithHint("write the item as {'attr': value, ...}")
			}
			items[i] = m.Value
			if n.Upsert {
				continue
			}
			// Two rows with one key would make the statement conflict with
			// itself halfway: refuse it before anything is written.
			h, err := itemKeyHash(n, m.Value)
			if err != nil {
				return nil, err
			}
			if seen[h] {
				return nil, sqlerr.New(sqlerr.UniqueViolation, "duplicate key: the statement inserts the key %s twice into %q",
					formatKey(n.KeyAttrs, m.Value), n.Table).WithHint("nothing was written")
			}
			seen[h] = true
		}
		src = rowsOf(items...)
	}
	defer src.Close()
	_, before, _, resuming := resumedCounts(ctx)
	resuming = resuming && tr != nil
	if resuming {
		ws.written.Store(before)
	}
	ins := &inserting{n: n, tr: tr, ws: ws, resuming: resuming || repeating(ctx)}
	var err error
	switch {
	case n.Upsert:
		err = e.batchPutAll(ctx, env, ins, src)
	case n.Batch > 1:
		// Groups keep their order on a backend without transactions too:
		// each is then put item by item (putGroup).
		err = e.putTransact(ctx, env, ins, src)
	default:
		err = e.putEach(ctx, env, ins, src)
	}
	if err != nil {
		return nil, writeProgress(ctx, err, n.Table, ws)
	}
	written := ws.written.Load()
	res := &Result{Tag: "INSERT 0 " + strconv.FormatInt(written, 10), RowsAffected: written}
	if resuming {
		res.Notices = append(res.Notices, resumeNotice(before, "written"))
	}
	return res, nil
}

// itemKeyHash returns the canonical encoding of item's key, or an error
// when the item lacks a key attribute.
func itemKeyHash(n *planner.PutItems, item Item) (string, error) {
	key := make(Item, len(n.KeyAttrs))
	for _, a := range n.KeyAttrs {
		v, ok := item[a]
		if !ok {
			return "", sqlerr.New("23502", "INSERT into %q needs the key attribute %q, missing from the item %s",
				n.Table, a, formatKey(n.KeyAttrs, item))
		}
		key[a] = v
	}
	return keyHash(key), nil
}

// claimedItem is an item handed to a write, with the page of the
// positioned read it came from (nil when the write reports no checkpoints).
type claimedItem struct {
	item Item
	page *pageTrack
}

// inserting is an INSERT of several items under way: its node, the
// positions and counts it reports, and whether it repeats an interrupted
// run (resuming: from a checkpoint, or from the start), whose items found
// stored as inserted count as written.
type inserting struct {
	n        *planner.PutItems
	tr       *positionTracker
	ws       *writeStats
	resuming bool
}

// putEach runs INSERT of several items with one PutItem each, guarded by
// attribute_not_exists on the key, several at once.
func (e *Executor) putEach(ctx context.Context, env *env, ins *inserting, src RowIter) error {
	next := func() (claimedItem, error) { return ins.claimNext(src) }
	return runPool(ctx, e.opts.Concurrency, next, func(ctx context.Context, c claimedItem) error {
		return e.putOne(ctx, env, ins, c)
	})
}

// claimNext reads the next item to insert from src, claims its place in
// the read's checkpoints and counts it matched; an item without its key
// attributes is an error (23502).
func (ins *inserting) claimNext(src RowIter) (claimedItem, error) {
	it, err := src.Next()
	if err != nil {
		return claimedItem{}, err
	}
	page := ins.tr.claim()
	if _, err := itemKeyHash(ins.n, it); err != nil {
		return claimedItem{}, err
	}
	ins.ws.matched.Add(1)
	return claimedItem{item: it, page: page}, nil
}

// putOne puts one item of an INSERT with a PutItem guarded by
// attribute_not_exists on the key. When the item exists already, it is
// this statement's own write — and counts as written — if it equals the
// item inserted and the statement resumes an interrupted run or the SDK
// retried the call (after an attempt DynamoDB applied but whose answer was
// lost); anything else is a duplicate key.
func (e *Executor) putOne(ctx context.Context, env *env, ins *inserting, c claimedItem) error {
	n, ws := ins.n, ins.ws
	single := &planner.PutItem{Table: n.Table, KeyAttrs: n.KeyAttrs}
	if err := ws.budget.reserve(ctx, 1); err != nil {
		return err
	}
	env.recordCall()
	in := putInput(single, c.item)
	in.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	var attempts attemptCounter
	out, err := e.api.PutItem(ctx, in, attempts.option)
	switch {
	case err == nil:
		env.recordCapacity(out.ConsumedCapacity)
		ws.budget.settle(1, capacityOf(out.ConsumedCapacity))
	case isErrorCode(err, "ConditionalCheckFailedException"):
		ws.budget.settle(1, 1)
		var ccf *types.ConditionalCheckFailedException
		var found Item
		if errors.As(err, &ccf) {
			found = ccf.Item
		}
		if err := e.checkOwnWrite(ctx, env, ins, c.item, found, attempts.retried(), err); err != nil {
			return err
		}
	default:
		return mapTableError(err, n.Table)
	}
	ws.written.Add(1)
	ins.tr.finish(c.page, 1, 0)
	env.stats.progress()
	return nil
}

// checkOwnWrite decides about an item an INSERT found existing (its
// condition failed): nil when it is the statement's own write — the
// statement resumes an interrupted run, or the call was retried, and the
// stored item equals item — and a duplicate-key error otherwise. found is
// the stored item the failed condition returned (ALL_OLD), nil when the
// backend returns none, in which case the item is read.
func (e *Executor) checkOwnWrite(ctx context.Context, env *env, ins *inserting, item, found Item, retried bool, cause error) error {
	single := &planner.PutItem{Table: ins.n.Table, KeyAttrs: ins.n.KeyAttrs}
	if !(ins.resuming || retried) {
		return duplicateKey(single, item, cause)
	}
	same, err := e.storedAs(ctx, env, ins.n.Table, ins.n.KeyAttrs, item, found)
	if err != nil {
		return mapTableError(err, ins.n.Table)
	}
	if !same {
		return duplicateKey(single, item, cause)
	}
	return nil
}

// storedAs reports whether the item stored under item's key equals item.
// found is the stored item a failed condition returned (ALL_OLD), nil
// when the backend returns none, in which case the item is read.
func (e *Executor) storedAs(ctx context.Context, env *env, table string, keyAttrs []string, item, found Item) (bool, error) {
	if found == nil {
		var err error
		if found, err = e.currentItem(ctx, env, table, keyOf(keyAttrs, item)); err != nil {
			return false, err
		}
	}
	return found != nil && value.Equal(&types.AttributeValueMemberM{Value: found}, &types.AttributeValueMemberM{Value: item}), nil
}

// batchPutAll runs UPSERT of several items through BatchWriteItem.
func (e *Executor) batchPutAll(ctx context.Context, env *env, ins *inserting, src RowIter) error {
	n, tr, ws := ins.n, ins.tr, ins.ws
	// An error of the source is returned after the batch read before it
	// has been sent, so that every item before a bad one is written, as
	// when INSERT writes them one by one.
	var pending error
	next := func() ([]claimedItem, error) {
		if pending != nil {
			return nil, pending
		}
		var batch []claimedItem
		at := map[string]int{}
		for len(batch) < batchWriteLimit {
			c, err := ins.claimNext(src)
			if err == io.EOF {
				break
			}
			if err != nil {
				if len(batch) == 0 {
					return nil, err
				}
				pending = err
				break
			}
			it, page := c.item, c.page
			h, _ := itemKeyHash(n, it)
			// DynamoDB refuses a batch naming one key twice; the later row
			// wins, as it would written one after the other.
			if i, ok := at[h]; ok {
				tr.finish(batch[i].page, 1, 0)
				batch[i] = claimedItem{item: it, page: page}
				ws.written.Add(1)
				continue
			}
			at[h] = len(batch)
			batch = append(batch, claimedItem{item: it, page: page})
		}
		if len(batch) == 0 {
			return nil, io.EOF
		}
		return batch, nil
	}
	return runPool(ctx, e.opts.Concurrency, next, func(ctx context.Context, batch []claimedItem) error {
		reqs := make([]types.WriteRequest, len(batch))
		for i, c := range batch {
			reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: c.item}}
		}
		if err := e.batchWrite(ctx, env, n.Table, reqs, ws); err != nil {
			return err
		}
		for _, c := range batch {
			tr.finish(c.page, 1, 0)
		}
		return nil
	})
}

// batchWrite sends reqs with BatchWriteItem, retrying the items DynamoDB
// leaves unprocessed, after an exponential backoff with jitter, until every
// one is written. Throttled calls are retried by the SDK's retryer.
func (e *Executor) batchWrite(ctx context.Context, env *env, table string, reqs []types.WriteRequest, ws *writeStats) error {
	for retry := 0; len(reqs) > 0; {
		if retry > 0 {
			if err := sleep(ctx, batchBackoff.delay(retry)); err != nil {
				return err
			}
		}
		reserved := float64(len(reqs))
		if err := ws.budget.reserve(ctx, reserved); err != nil {
			return err
		}
		env.recordCall()
		out, err := e.api.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems:           map[string][]types.WriteRequest{table: reqs},
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		})
		if err != nil {
			return mapTableError(err, table)
		}
		consumed := env.recordCapacities(out.ConsumedCapacity)
		ws.budget.settle(reserved, consumed)
		left := out.UnprocessedItems[table]
		ws.written.Add(int64(len(reqs) - len(left)))
		env.stats.progress()
		switch {
		case len(left) == 0:
		case len(left) < len(reqs):
			retry = 1 // progress: back off only a little
		default:
			retry++
		}
		reqs = left
	}
	return nil
}
