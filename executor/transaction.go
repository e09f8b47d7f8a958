package executor

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// A transaction collects its writes and sends them at COMMIT as one
// TransactWriteItems. Each write is prepared when it is given, with its
// parameters bound and the session's functions answered as they are at
// that moment, so that its errors surface at the statement; COMMIT only
// sends. Reads do not pass through here: inside a transaction they run at
// once, like any other statement (see the session package).

// MaxTransactionActions is the most actions one TransactWriteItems call
// may hold.
const MaxTransactionActions = 100

// TxAction is one prepared write of a transaction: a Put, Update, Delete
// or ConditionCheck of TransactWriteItems.
type TxAction struct {
	// Label names the statement in errors (its SQL text).
	Label string
	// Tag is the command tag shown when the statement is collected.
	Tag string
	// Target names the item the statement acts on (table and key):
	// DynamoDB refuses a transaction acting on one item twice.
	Target string

	write types.TransactWriteItem
	// put is set for INSERT (not UPSERT): a failed condition is a
	// duplicate key.
	put      *planner.PutItem
	putItem  Item
	keyAttrs []string
	// check is set for a condition check (EXISTS), notExists for NOT
	// EXISTS.
	check, notExists bool
}

// PrepareTx prepares plan, with params bound, as one action of a
// transaction. Only writes of one item by its full primary key and EXISTS
// condition checks can be part of a transaction; other plans are refused
// with 0A000: a multi-row INSERT or a set-based UPDATE or DELETE (many
// writes decided by a read, not one item of TransactWriteItems), DDL, COPY
// FROM and EXPLAIN ANALYZE of a write, none of which TransactWriteItems
// can hold.
func (e *Executor) PrepareTx(p *planner.Plan, params []types.AttributeValue, label string) (*TxAction, error) {
	if len(params) < p.NumParams {
		return nil, sqlerr.New(sqlerr.InvalidParameter,
			"statement has %d parameters but %d values were given", p.NumParams, len(params))
	}
	env := e.newEnv(params)
	a := &TxAction{Label: label}
	switch n := p.Root.(type) {
	case *planner.PutItem:
		v, err := env.value(n.Item)
		if err != nil {
			return nil, err
		}
		m, ok := v.(*types.AttributeValueMemberM)
		if !ok {
			return nil, sqlerr.New(sqlerr.InvalidParameter, "INSERT needs a map value, got %s", attributeTypeName(v)).
				WithHint("write the item as {'attr': value, ...}")
		}
		in := putInput(n, m.Value)
		a.Tag = "INSERT (pending)"
		a.write.Put = &types.Put{
			TableName:                in.TableName,
			Item:                     in.Item,
			ConditionExpression:      in.ConditionExpression,
			ExpressionAttributeNames: in.ExpressionAttributeNames,
		}
		a.keyAttrs = n.KeyAttrs
		if !n.Upsert {
			a.put, a.putItem = n, m.Value
		} else {
			a.Tag = "UPSERT (pending)"
		}
	case *planner.UpdateItem:
		if n.Returning != parser.ReturnNothing {
			return nil, txRefused("UPDATE ... RETURNING", "TransactWriteItems returns no items")
		}
		key, values, err := envKeyValues(env, n.Key, n.Values)
		if err != nil {
			return nil, err
		}
		in := updateInput(n, key, values)
		a.Tag = "UPDATE (pending)"
		a.write.Update = &types.Update{
			TableName:                 in.TableName,
			Key:                       in.Key,
			UpdateExpression:          in.UpdateExpression,
			ConditionExpression:       in.ConditionExpression,
			ExpressionAttributeNames:  in.ExpressionAttributeNames,
			ExpressionAttributeValues: in.ExpressionAttributeValues,
		}
	case *planner.DeleteItem:
		if n.Returning != parser.ReturnNothing {
			return nil, txRefused("DELETE ... RETURNING", "TransactWriteItems returns no items")
		}
		key, values, err := envKeyValues(env, n.Key, n.Values)
		if err != nil {
			return nil, err
		}
		in := deleteInput(n, key, values)
		a.Tag = "DELETE (pending)"
		a.write.Delete = &types.Delete{
			TableName:                 in.TableName,
			Key:                       in.Key,
			ConditionExpression:       in.ConditionExpression,
			ExpressionAttributeNames:  in.ExpressionAttributeNames,
			ExpressionAttributeValues: in.ExpressionAttributeValues,
		}
	case *planner.ConditionCheck:
		key, values, err := envKeyValues(env, n.Key, n.Values)
		if err != nil {
			return nil, err
		}
		a.Tag, a.check, a.notExists = "EXISTS (pending)", true, n.Not
		if n.Not {
			a.Tag = "NOT EXISTS (pending)"
		}
		a.write.ConditionCheck = &types.ConditionCheck{
			TableName:                 aws.String(n.Table),
			Key:                       key,
			ConditionExpression:       aws.String(n.Condition),
			ExpressionAttributeNames:  n.Names,
			ExpressionAttributeValues: values,
		}
		if len(values) == 0 {
			a.write.ConditionCheck.ExpressionAttributeValues = nil
		}
	case *planner.PutItems:
		return nil, txRefused("a multi-row INSERT",
			"write each row with its own INSERT, or run it after COMMIT, on its own")
	case *planner.WriteEach:
		return nil, txRefused("UPDATE or DELETE without the full primary key in WHERE",
			"in a transaction, name one item by its full primary key (partition key and sort key) with =; a set-based write runs on its own, after COMMIT")
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s cannot run inside a transaction", p.Tag).
			WithHint("a transaction collects INSERT, UPSERT, UPDATE and DELETE by full primary key and EXISTS(...) checks, and runs reads at once; COMMIT or ROLLBACK first")
	}
	a.Target = txTarget(a)
	return a, nil
}

// txTarget renders the table and key of the item an action acts on.
func txTarget(a *TxAction) string {
	var table *string
	var key Item
	switch w := a.write; {
	case w.Put != nil:
		table, key = w.Put.TableName, Item{}
		for _, k := range a.keyAttrs {
			key[k] = w.Put.Item[k]
		}
	case w.Update != nil:
		table, key = w.Update.TableName, w.Update.Key
	case w.Delete != nil:
		table, key = w.Delete.TableName, w.Delete.Key
	case w.ConditionCheck != nil:
		table, key = w.ConditionCheck.TableName, w.ConditionCheck.Key
	}
	attrs := make([]string, 0, len(key))
	for k := range key {
		attrs = append(attrs, k)
	}
	sort.Strings(attrs)
	return fmt.Sprintf("%s in %q", formatKey(attrs, key), aws.ToString(table))
}

// envKeyValues evaluates a write's key and expression values.
func envKeyValues(env *env, k planner.Key, v map[string]parser.Expr) (key, values Item, err error) {
	if key, err = env.key(k); err != nil {
		return nil, nil, err
	}
	if values, err = env.values(v); err != nil {
		return nil, nil, err
	}
	return key, values, nil
}

// txRefused is the error for a statement a transaction cannot hold.
func txRefused(what, hint string) *sqlerr.Error {
	return sqlerr.New(sqlerr.FeatureNotSupported, "%s cannot be part of a transaction", what).WithHint("%s", hint)
}

// CommitWrites sends the writes of a transaction as one TransactWriteItems
// with token as its ClientRequestToken: the SDK retries the call with the
// same token, and DynamoDB applies a token's transaction once (for 10
// minutes), so neither the retryer nor a COMMIT repeated by the caller with
// the same token writes twice. A canceled transaction is reported for the
// first statement whose action failed.
func (e *Executor) CommitWrites(ctx context.Context, actions []*TxAction, token string) (*Result, error) {
	if len(actions) > MaxTransactionActions {
		return nil, tooManyActions(len(actions))
	}
	items := make([]types.TransactWriteItem, len(actions))
	for i, a := range actions {
		items[i] = a.write
	}
	in := &dynamodb.TransactWriteItemsInput{
		TransactItems:          items,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	if token != "" {
		in.ClientRequestToken = aws.String(token)
	}
	env := e.newEnv(nil)
	env.recordCall()
	out, err := e.api.TransactWriteItems(ctx, in)
	if err != nil {
		return nil, txError(err, actions)
	}
	env.recordCapacities(out.ConsumedCapacity)
	return &Result{Tag: "COMMIT", RowsAffected: int64(len(actions)), stats: env.stats}, nil
}

func tooManyActions(n int) *sqlerr.Error {
	return sqlerr.New(sqlerr.ProgramLimitExceeded, "a transaction holds at most %d pending statements, this one has %d",
		MaxTransactionActions, n).
		WithHint("split the work into several transactions")
}

// txError maps the error of a transaction call. A TransactionCanceledException
// lists one reason per action, in order: the first action that failed names
// its statement, numbered among the pending ones (the reads of the
// transaction, run at once, are not counted).
func txError(err error, actions []*TxAction) error {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return mapError(err)
	}
	for i, r := range tce.CancellationReasons {
		code := aws.ToString(r.Code)
		if code == "" || code == "None" || i >= len(actions) {
			continue
		}
		a := actions[i]
		var e *sqlerr.Error
		switch code {
		case "ConditionalCheckFailed":
			switch {
			case a.put != nil:
				e = duplicateKey(a.put, a.putItem, err)
				e.Message = fmt.Sprintf("pending statement %d: %s", i+1, e.Message)
			case a.notExists:
				e = sqlerr.New(sqlerr.CheckViolation, "pending statement %d: NOT EXISTS found an item matching the condition", i+1)
			case a.check:
				e = sqlerr.New(sqlerr.CheckViolation, "pending statement %d: EXISTS found no item matching the condition", i+1)
			default:
				e = sqlerr.New(sqlerr.CheckViolation, "pending statement %d did not apply: its item does not match the condition", i+1)
			}
		case "TransactionConflict":
			e = sqlerr.New(sqlerr.SerializationFailure, "pending statement %d conflicts with another transaction on the same item", i+1).
				WithHint("retry the transaction")
		case "ValidationError":
			e = sqlerr.New(sqlerr.InvalidParameter, "pending statement %d was rejected: %s", i+1, aws.ToString(r.Message))
		case "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded":
			e = sqlerr.New(sqlerr.InsufficientResource, "pending statement %d was throttled", i+1).
				WithHint("retry the transaction later")
		default:
			e = sqlerr.New(sqlerr.SerializationFailure, "pending statement %d failed: %s %s", i+1, code, aws.ToString(r.Message))
		}
		e.Message = "transaction canceled, nothing applied: " + e.Message
		e.Detail = fmt.Sprintf("TransactionCanceledException: %s; pending statement %d: %s", code, i+1, a.Label)
		e.Err = err
		return e
	}
	return mapError(err)
}
