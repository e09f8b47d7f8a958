package executor

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// Each write statement sends one call for one item, and nothing here retries
// it: only the SDK retryer repeats a call, after throttling or a transient
// network error. A call repeated after its first attempt took effect unseen
// is the one way a write can apply twice (an UPDATE adding to a counter) or
// report a conflict with itself (an INSERT then finds its own item).

// putItem runs INSERT (PutItem guarded by attribute_not_exists on the key)
// and UPSERT (a plain PutItem).
func (e *Executor) putItem(ctx context.Context, env *env, n *planner.PutItem) (*Result, error) {
	v, err := env.value(n.Item)
	if err != nil {
		return nil, err
	}
	m, ok := v.(*types.AttributeValueMemberM)
	if !ok {
		return nil, sqlerr.New(sqlerr.InvalidParameter, "INSERT needs a map value, got %s", attributeTypeName(v)).
			WithHint("write the item as {'attr': value, ...}")
	}
	return e.sendPut(ctx, env, n, m.Value)
}

// sendPut writes item, evaluated from n.Item.
func (e *Executor) sendPut(ctx context.Context, env *env, n *planner.PutItem, item Item) (*Result, error) {
	env.recordCall()
	out, err := e.api.PutItem(ctx, putInput(n, item))
	if err != nil {
		if isErrorCode(err, "ConditionalCheckFailedException") {
			if e.ownEarlierPut(ctx, env, n, item) {
				return &Result{Tag: "INSERT 0 1", RowsAffected: 1}, nil
			}
			return nil, duplicateKey(n, item, err)
		}
		return nil, mapTableError(err, n.Table)
	}
	env.recordCapacity(out.ConsumedCapacity)
	return &Result{Tag: "INSERT 0 1", RowsAffected: 1}, nil
}

// ownEarlierPut reports whether the item an INSERT found existing is its
// own from an interrupted earlier run of the statement
// (WriteCheckpoints.Repeat): the stored item equals item.
func (e *Executor) ownEarlierPut(ctx context.Context, env *env, n *planner.PutItem, item Item) bool {
	if !repeating(ctx) {
		return false
	}
	same, err := e.storedAs(ctx, env, n.Table, n.KeyAttrs, item, nil)
	return err == nil && same
}

// putInput is the PutItem request writing item for n: guarded by
// attribute_not_exists on the key for INSERT, plain for UPSERT. Single
// writes send it; transactions copy its fields into a Put action.
func putInput(n *planner.PutItem, item Item) *dynamodb.PutItemInput {
	in := &dynamodb.PutItemInput{
		TableName:              aws.String(n.Table),
		Item:                   item,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	if !n.Upsert {
		in.ConditionExpression, in.ExpressionAttributeNames = keyAbsentCondition(n.KeyAttrs)
	}
	return in
}

// duplicateKey is the error of an INSERT whose key exists already.
func duplicateKey(n *planner.PutItem, item Item, cause error) *sqlerr.Error {
	dup := sqlerr.New(sqlerr.UniqueViolation, "duplicate key: an item with key %s already exists in %q",
		formatKey(n.KeyAttrs, item), n.Table).
		WithHint("UPSERT replaces an existing item")
	dup.Detail, dup.Err = "ConditionalCheckFailedException", cause
	return dup
}

// keyAbsentCondition is the ConditionExpression that makes PutItem fail when
// an item with the same key exists. The key attributes go through
// expression attribute names since they may be reserved words.
func keyAbsentCondition(keyAttrs []string) (*string, map[string]string) {
	names := make(map[string]string, len(keyAttrs))
	cond := ""
	for i, attr := range keyAttrs {
		name := "#k" + strconv.Itoa(i)
		names[name] = attr
		if i > 0 {
			cond += " AND "
		}
		cond += "attribute_not_exists(" + name + ")"
	}
	return aws.String(cond), names
}

// updateItem runs UPDATE of one item by its full key. The planner's
// Condition includes the key's existence, so a missing item is a failed
// condition: UPDATE never creates an item.
func (e *Executor) updateItem(ctx context.Context, env *env, n *planner.UpdateItem) (*Result, error) {
	key, values, err := envKeyValues(env, n.Key, n.Values)
	if err != nil {
		return nil, err
	}
	return e.sendUpdate(ctx, env, n, key, values)
}

// sendUpdate updates the item with key, values being n.Values evaluated.
func (e *Executor) sendUpdate(ctx context.Context, env *env, n *planner.UpdateItem, key, values Item) (*Result, error) {
	env.recordCall()
	out, err := e.api.UpdateItem(ctx, updateInput(n, key, values))
	if err != nil {
		return nil, writeError(err, "UPDATE", n.Table, n.Key, key)
	}
	env.recordCapacity(out.ConsumedCapacity)
	if n.Returning == parser.ReturnNothing {
		return &Result{Tag: "UPDATE 1", RowsAffected: 1}, nil
	}
	attrs := out.Attributes
	if attrs == nil {
		attrs = Item{}
	}
	return &Result{Rows: rowsOf(attrs), Tag: "UPDATE", RowsAffected: 1}, nil
}

// updateInput is the UpdateItem request of n for the item with key, values
// being n.Values evaluated. Single writes send it; transactions copy its
// fields into an Update action.
func updateInput(n *planner.UpdateItem, key, values Item) *dynamodb.UpdateItemInput {
	in := &dynamodb.UpdateItemInput{
		TableName:              aws.String(n.Table),
		Key:                    key,
		UpdateExpression:       optString(n.Update),
		ConditionExpression:    optString(n.Condition),
		ReturnValues:           returnValues(n.Returning),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	if len(n.Names) > 0 {
		in.ExpressionAttributeNames = n.Names
	}
	if len(values) > 0 {
		in.ExpressionAttributeValues = values
	}
	return in
}

// deleteItem runs DELETE of one item by its full key. A missing item is
// success with nothing deleted; to tell the two apart the old item is always
// requested (ALL_OLD), and returned as a row only under RETURNING.
func (e *Executor) deleteItem(ctx context.Context, env *env, n *planner.DeleteItem) (*Result, error) {
	key, values, err := envKeyValues(env, n.Key, n.Values)
	if err != nil {
		return nil, err
	}
	return e.sendDelete(ctx, env, n, key, values)
}

// sendDelete deletes the item with key, values being n.Values evaluated.
func (e *Executor) sendDelete(ctx context.Context, env *env, n *planner.DeleteItem, key, values Item) (*Result, error) {
	env.recordCall()
	out, err := e.api.DeleteItem(ctx, deleteInput(n, key, values))
	if err != nil {
		return nil, writeError(err, "DELETE", n.Table, n.Key, key)
	}
	env.recordCapacity(out.ConsumedCapacity)
	var deleted []Item
	if len(out.Attributes) > 0 {
		deleted = append(deleted, out.Attributes)
	}
	affected := int64(len(deleted))
	if n.Returning == parser.ReturnNothing {
		return &Result{Tag: "DELETE " + strconv.FormatInt(affected, 10), RowsAffected: affected}, nil
	}
	return &Result{Rows: rowsOf(deleted...), Tag: "DELETE", RowsAffected: affected}, nil
}

// deleteInput is the DeleteItem request of n for the item with key, values
// being n.Values evaluated. Single writes send it; transactions copy its
// fields into a Delete action.
func deleteInput(n *planner.DeleteItem, key, values Item) *dynamodb.DeleteItemInput {
	in := &dynamodb.DeleteItemInput{
		TableName:              aws.String(n.Table),
		Key:                    key,
		ConditionExpression:    optString(n.Condition),
		ReturnValues:           types.ReturnValueAllOld,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	if len(n.Names) > 0 {
		in.ExpressionAttributeNames = n.Names
	}
	if len(values) > 0 {
		in.ExpressionAttributeValues = values
	}
	return in
}

// writeError maps the error of an UpdateItem or DeleteItem: a failed
// condition names the key, whether the item is missing or the rest of the
// WHERE clause is false.
func writeError(err error, verb, table string, k planner.Key, key Item) error {
	if !isErrorCode(err, "ConditionalCheckFailedException") {
		return mapTableError(err, table)
	}
	attrs := make([]string, len(k))
	for i, part := range k {
		attrs[i] = part.Attr
	}
	e := sqlerr.New(sqlerr.CheckViolation, "%s did not apply: no item with key %s matches the condition",
		verb, formatKey(attrs, key))
	e.Detail, e.Err = "ConditionalCheckFailedException", err
	return e
}

// returnValues maps a RETURNING clause to DynamoDB's ReturnValues.
func returnValues(r parser.Returning) types.ReturnValue {
	switch r {
	case parser.ReturnAllOld:
		return types.ReturnValueAllOld
	case parser.ReturnModifiedOld:
		return types.ReturnValueUpdatedOld
	case parser.ReturnAllNew:
		return types.ReturnValueAllNew
	case parser.ReturnModifiedNew:
		return types.ReturnValueUpdatedNew
	}
	return ""
}

// optString returns nil for "", since DynamoDB rejects empty expressions.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// keyOf returns the attributes attrs of item: its primary key.
func keyOf(attrs []string, item Item) Item {
	key := make(Item, len(attrs))
	for _, a := range attrs {
		key[a] = item[a]
	}
	return key
}

// currentItem reads the item of key as it is stored now, with a strongly
// consistent GetItem; nil when there is none.
func (e *Executor) currentItem(ctx context.Context, env *env, table string, key Item) (Item, error) {
	env.recordCall()
	out, err := e.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:              aws.String(table),
		Key:                    key,
		ConsistentRead:         aws.Bool(true),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return nil, err
	}
	env.recordCapacity(out.ConsumedCapacity)
	return out.Item, nil
}
