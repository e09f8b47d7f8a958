package executor

import (
	"context"
	"errors"
	"maps"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// A set-based UPDATE whose values read the item (SET n = n + 1) pins the
// attributes it writes (planner.WriteEach.Pin): each UpdateItem also
// requires them to hold the values the read returned. UpdateItem has no
// idempotency token, so the SDK's retry of a call DynamoDB applied but
// whose answer was lost would otherwise apply it a second time whenever
// the WHERE still holds. With the pins the retry fails its condition, and
// the stored item tells what happened:
//
//   - the item is gone: skipped;
//   - the pinned values are those read: the WHERE itself no longer holds,
//     skipped;
//   - the pinned values changed and the call was retried: the first attempt
//     was applied, the item counts as updated and is not written again;
//   - the pinned values changed and the call was not retried: another
//     writer changed the item since the read; the update is sent again
//     with the values now stored (at most maxPinRetries times, then the
//     item is skipped), so that concurrent increments are not lost.
//
// A retried call whose first attempt never reached DynamoDB, while another
// writer changed the pinned values in between, is counted as updated too:
// the two cases look the same from here — unless the statement marks its
// items (write_mark.go): then an item without the mark was not updated by
// it, whatever the retries, and is sent again with the values now stored.

// maxPinRetries is how many times an update whose pinned values another
// writer changed is sent again before the item is skipped.
const maxPinRetries = 5

// pinPrefix starts the placeholders of the pins. The planner's names are
// #n0, #n1, ... and its values :v0, :v1, ..., the partition value of a read
// :pk, so #pin0 and :pin0 collide with none of them.
const pinPrefix = "pin"

// pinnedUpdate updates one item of a set-based UPDATE with pinned
// attributes. row holds the item's key and the pinned attributes the read
// returned. It records each call and settles the write budget of each
// (the first call's units were reserved by the caller). It returns the
// item the update returned (RETURNING) and nil when the item counts as
// updated, the ConditionalCheckFailedException when it is skipped, or
// another error. An item counted as updated because a retried first
// attempt was applied returns the item as it is stored now, whatever the
// RETURNING clause asked for: the applied attempt's answer is lost.
func (e *Executor) pinnedUpdate(ctx context.Context, env *env, w *setWrite, row Item) (Item, error) {
	n, ws := w.n, w.ws
	key := keyOf(n.KeyAttrs, row)
	pins := pinnedValues(n.Pin, row)
	for try := 0; ; try++ {
		if try > 0 {
			if err := ws.budget.reserve(ctx, 1); err != nil {
				return nil, err
			}
		}
		env.recordCall()
		in := pinnedInput(w, key, pins)
		var attempts attemptCounter
		out, err := e.api.UpdateItem(ctx, in, attempts.option)
		if err == nil {
			env.recordCapacity(out.ConsumedCapacity)
			ws.budget.settle(1, capacityOf(out.ConsumedCapacity))
			return out.Attributes, nil
		}
		if !isErrorCode(err, "ConditionalCheckFailedException") {
			return nil, err
		}
		ws.budget.settle(1, 1)
		failed := err
		var ccf *types.ConditionalCheckFailedException
		var current Item
		if errors.As(err, &ccf) {
			current = ccf.Item
		}
		if current == nil {
			// The item is gone, or the backend does not return it with a
			// failed condition: read it.
			if current, err = e.currentItem(ctx, env, w.table, key); err != nil {
				return nil, err
			}
			if current == nil {
				return nil, failed
			}
		}
		now := pinnedValues(n.Pin, current)
		switch {
		case w.mark != "" && markedBy(current, w.mark):
			// An earlier run of the statement (or this call's own first
			// attempt) updated it.
			return current, nil
		case samePins(pins, now):
			// The WHERE no longer holds.
			return nil, failed
		case w.mark == "" && attempts.retried():
			// This call's own first attempt changed them.
			return current, nil
		case try == maxPinRetries:
			return nil, failed
		}
		pins = now
	}
}

// pinnedValues returns the values of the pinned attributes attrs in item,
// nil for an absent one.
func pinnedValues(attrs []string, item Item) []types.AttributeValue {
	vals := make([]types.AttributeValue, len(attrs))
	for i, a := range attrs {
		vals[i] = item[a]
	}
	return vals
}

// samePins reports whether two sets of pinned values are equal, as
// DynamoDB's = compares them (numbers by value, sets as sets).
func samePins(a, b []types.AttributeValue) bool {
	for i := range a {
		if !value.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// pinnedInput is the UpdateItem of one item of w with the pins vals: the
// statement's condition AND #pinN = :pinN for each pinned attribute that
// has a value, AND attribute_not_exists(#pinN) for one that has none. The
// failed condition returns the stored item (ALL_OLD).
func pinnedInput(w *setWrite, key Item, vals []types.AttributeValue) *dynamodb.UpdateItemInput {
	n := w.n
	names := make(map[string]string, len(w.names)+len(n.Pin))
	maps.Copy(names, w.names)
	values := make(map[string]types.AttributeValue, len(w.vals)+len(n.Pin))
	maps.Copy(values, w.vals)
	cond := n.Update.Condition
	for i, a := range n.Pin {
		name := "#" + pinPrefix + strconv.Itoa(i)
		names[name] = a
		var c string
		if vals[i] == nil {
			c = "attribute_not_exists(" + name + ")"
		} else {
			v := ":" + pinPrefix + strconv.Itoa(i)
			values[v] = vals[i]
			c = name + " = " + v
		}
		if cond == "" {
			cond = c
		} else {
			cond += " AND " + c
		}
	}
	update := n.Update.Update
	if w.mark != "" {
		update, cond = markUpdate(w.mark, update, cond, names, values)
	}
	if len(values) == 0 {
		values = nil
	}
	return &dynamodb.UpdateItemInput{
		TableName:                           aws.String(w.table),
		Key:                                 key,
		UpdateExpression:                    optString(update),
		ConditionExpression:                 aws.String(cond),
		ExpressionAttributeNames:            names,
		ExpressionAttributeValues:           values,
		ReturnValues:                        returnValues(n.Update.Returning),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		ReturnConsumedCapacity:              types.ReturnConsumedCapacityTotal,
	}
}
