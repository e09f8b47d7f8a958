package executor

import (
	"context"
	"errors"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// An INSERT of several items needs a condition on every put (the key must
// not exist), which BatchWriteItem cannot carry. TransactWriteItems can: up
// to 100 puts, each with its own condition, in one call. The executor
// groups the items in transactions of PutItems.Batch puts and sends several
// at once, which saves a round trip and a request's signing and parsing per
// item; a transactional put costs twice the write units of a PutItem.
//
// A transaction is written whole or not at all. When DynamoDB cancels one,
// its reasons say, put by put, why:
//
//   - ConditionalCheckFailed: the key exists. It is the statement's own
//     earlier write when the statement resumes an interrupted run, or when
//     the SDK retried the call after an attempt that was applied but whose
//     answer was lost, and the stored item (returned with the reason)
//     equals the one inserted — the put counts as written and leaves the
//     group; otherwise the statement fails with a duplicate key (23505), the
//     group unwritten.
//   - TransactionConflict, throttling: the group is sent again after a
//     backoff.
//   - anything else (an item too large, ...): the group's items are put one
//     by one, so that each gets its own error.
//
// A retried call carries the same ClientRequestToken (the SDK fills it in
// once per call), so DynamoDB answers a retry of an applied transaction
// with success instead of applying it again.
//
// A backend without transactions (dynalite answers UnknownOperation) gets
// one PutItem per item from then on.

// transactWriteBytes bounds the items of one TransactWriteItems: DynamoDB
// refuses a transaction over 4 MB; the margin leaves room for the request's
// names and conditions.
const transactWriteBytes = 4_000_000

// putTransact runs an INSERT of several items in TransactWriteItems calls
// of at most n.Batch conditional puts, several at once.
func (e *Executor) putTransact(ctx context.Context, env *env, ins *inserting, src RowIter) error {
	n := ins.n
	batch := n.Batch
	if b := ins.ws.budget; b != nil {
		// A transactional put costs two units: under a write_capacity
		// budget a group holds at most a second's worth, so that the
		// writes stay paced instead of going in bursts.
		batch = max(1, min(batch, int(b.capacity()/2)))
	}
	// held is an item read but left for the next group: its key is in the
	// group already (a put per key per transaction), or the group is full
	// by size. pending is an error of the source, returned after the group
	// read before it, so that every item before a bad one is written.
	var held *claimedItem
	var pending error
	next := func() ([]claimedItem, error) {
		if pending != nil {
			return nil, pending
		}
		var group []claimedItem
		keys := make(map[string]bool, batch)
		size := 0
		for len(group) < batch {
			var c claimedItem
			if held != nil {
				c, held = *held, nil
			} else {
				var err error
				c, err = ins.claimNext(src)
				if err == io.EOF {
					break
				}
				if err != nil {
					if len(group) == 0 {
						return nil, err
					}
					pending = err
					break
				}
			}
			h, _ := itemKeyHash(n, c.item)
			sz := value.ItemSize(c.item)
			if keys[h] || (len(group) > 0 && size+sz > transactWriteBytes) {
				held = &c
				break
			}
			keys[h] = true
			size += sz
			group = append(group, c)
		}
		if len(group) == 0 {
			return nil, io.EOF
		}
		return group, nil
	}
	return runPool(ctx, e.opts.Concurrency, next, func(ctx context.Context, group []claimedItem) error {
		return e.putGroup(ctx, env, ins, group)
	})
}

// putGroup writes one group of an INSERT's items in a TransactWriteItems,
// sending it again after a conflict or throttling and dropping the puts
// found to be the statement's own earlier writes, until every item is
// written; see the comment at the top of the file.
func (e *Executor) putGroup(ctx context.Context, env *env, ins *inserting, group []claimedItem) error {
	n, ws := ins.n, ins.ws
	cond, names := keyAbsentCondition(n.KeyAttrs)
	// applied is set once a call for the group may have been applied
	// unanswered (the SDK retried it): from then on, an identical item
	// found may be the group's own.
	applied := false
	for retry := 0; len(group) > 0; {
		if len(group) == 1 || e.noTransactWrites.Load() {
			return e.putOneByOne(ctx, env, ins, group)
		}
		if retry > 0 {
			if err := sleep(ctx, batchBackoff.delay(retry)); err != nil {
				return err
			}
		}
		reserved := 2 * float64(len(group))
		if err := ws.budget.reserve(ctx, reserved); err != nil {
			return err
		}
		puts := make([]types.TransactWriteItem, len(group))
		for i, c := range group {
			puts[i] = types.TransactWriteItem{Put: &types.Put{
				TableName:                           aws.String(n.Table),
				Item:                                c.item,
				ConditionExpression:                 cond,
				ExpressionAttributeNames:            names,
				ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
			}}
		}
		env.recordCall()
		var attempts attemptCounter
		out, err := e.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
			TransactItems:          puts,
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		}, attempts.option)
		applied = applied || attempts.retried()
		var canceled *types.TransactionCanceledException
		switch {
		case err == nil:
			consumed := env.recordCapacities(out.ConsumedCapacity)
			ws.budget.settle(reserved, consumed)
			for _, c := range group {
				ins.tr.finish(c.page, 1, 0)
			}
			ws.written.Add(int64(len(group)))
			env.stats.progress()
			return nil
		case errors.As(err, &canceled):
			// A canceled transaction writes nothing; what it consumed is
			// not reported, so count a unit per put.
			ws.budget.settle(reserved, float64(len(group)))
			reasons := canceled.CancellationReasons
			if len(reasons) != len(group) {
				return e.putOneByOne(ctx, env, ins, group)
			}
			var rest []claimedItem
			again := false
			for i, r := range reasons {
				switch aws.ToString(r.Code) {
				case "", "None":
					rest = append(rest, group[i])
				case "ConditionalCheckFailed":
					if err := e.checkOwnWrite(ctx, env, ins, group[i].item, r.Item, applied, err); err != nil {
						return err
					}
					ws.written.Add(1)
					ins.tr.finish(group[i].page, 1, 0)
				case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded":
					rest = append(rest, group[i])
					again = true
				default:
					// ValidationError, ItemCollectionSizeLimitExceeded ...:
					// each item's own put gives each its own error.
					return e.putOneByOne(ctx, env, ins, group)
				}
			}
			if again {
				retry++
			} else {
				retry = 0
			}
			group = rest
		case isErrorCode(err, "UnknownOperationException"):
			ws.budget.refund(reserved)
			e.noTransactWrites.Store(true)
			return e.putOneByOne(ctx, env, ins, group)
		case isErrorCode(err, "ValidationException"):
			// A request DynamoDB refuses as a whole (over 4 MB, an item
			// over 400 KB ...): each item's own put tells which.
			ws.budget.refund(reserved)
			return e.putOneByOne(ctx, env, ins, group)
		case isErrorCode(err, "TransactionInProgressException"):
			ws.budget.refund(reserved)
			retry++
		default:
			return mapTableError(err, n.Table)
		}
	}
	return nil
}

// putOneByOne puts a group's items with one PutItem each, in order.
func (e *Executor) putOneByOne(ctx context.Context, env *env, ins *inserting, group []claimedItem) error {
	for _, c := range group {
		if err := e.putOne(ctx, env, ins, c); err != nil {
			return err
		}
	}
	return nil
}
