package executor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// transactIDs lists the ids a TransactWriteItems call puts.
func transactIDs(in any) []string {
	var ids []string
	for _, it := range in.(*dynamodb.TransactWriteItemsInput).TransactItems {
		ids = append(ids, it.Put.Item["id"].(*types.AttributeValueMemberS).Value)
	}
	return ids
}

// canceled is the TransactionCanceledException of a group whose puts
// failed with codes (by index; the others "None").
func canceled(n int, codes map[int]string, items map[int]Item) error {
	reasons := make([]types.CancellationReason, n)
	for i := range reasons {
		reasons[i].Code = aws.String("None")
		if c, ok := codes[i]; ok {
			reasons[i].Code = aws.String(c)
			reasons[i].Item = items[i]
		}
	}
	return &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
}

func TestInsertManyGroupsConditionalPutsInTransactions(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{Concurrency: 3})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Items: mapRows(250), Batch: 100}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "INSERT 0 250" {
		t.Errorf("tag %q", res.Tag)
	}
	var sizes []int
	seen := map[string]bool{}
	for _, c := range api.calls {
		if c.Op != "TransactWriteItems" {
			t.Fatalf("a %s call", c.Op)
		}
		in := c.In.(*dynamodb.TransactWriteItemsInput)
		sizes = append(sizes, len(in.TransactItems))
		for _, it := range in.TransactItems {
			if p := it.Put; p == nil || aws.ToString(p.ConditionExpression) != "attribute_not_exists(#k0)" ||
				p.ExpressionAttributeNames["#k0"] != "id" || aws.ToString(p.TableName) != "T" ||
				p.ReturnValuesOnConditionCheckFailure != types.ReturnValuesOnConditionCheckFailureAllOld {
				t.Fatalf("put %s, want a put guarded by attribute_not_exists(id)", jsonText(it))
			}
		}
		for _, id := range transactIDs(in) {
			if seen[id] {
				t.Errorf("%s put twice", id)
			}
			seen[id] = true
		}
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{50, 100, 100}) || len(seen) != 250 {
		t.Errorf("transactions of %v items, %d ids; want 100, 100 and 50, 250 ids", sizes, len(seen))
	}
}

func TestInsertManyTransactionDuplicateKey(t *testing.T) {
	api := &scriptedAPI{respond: func(op string, in any) (any, error) {
		ids := transactIDs(in)
		if slices.Contains(ids, "id012") {
			return nil, canceled(len(ids), map[int]string{slices.Index(ids, "id012"): "ConditionalCheckFailed"}, nil)
		}
		return nil, nil
	}}
	e := New(api, Options{Concurrency: 1})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Items: mapRows(30), Batch: 10}
	_, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	se := wantState(t, err, sqlerr.UniqueViolation, `duplicate key: an item with key {id='id012'} already exists in "T"`)
	// The first group was written; the second, holding the duplicate,
	// was not (a transaction is all or nothing); the third not sent.
	if !strings.Contains(se.Detail, "10 items were written before the statement stopped") {
		t.Errorf("detail %q", se.Detail)
	}
	if got := api.ops(); len(got) != 2 {
		t.Errorf("calls %v, want two transactions", got)
	}
}

func TestInsertManyTransactionRetriesConflicts(t *testing.T) {
	fastBackoff(t)
	conflicts := 0
	api := &scriptedAPI{respond: func(op string, in any) (any, error) {
		ids := transactIDs(in)
		if ids[0] == "id000" && conflicts < 2 {
			conflicts++
			return nil, canceled(len(ids), map[int]string{3: "TransactionConflict"}, nil)
		}
		return nil, nil
	}}
	e := New(api, Options{Concurrency: 1})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Items: mapRows(20), Batch: 10}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsAffected != 20 || len(api.calls) != 4 {
		t.Errorf("%d written in %d calls; want 20 in 4 (the first group three times)", res.RowsAffected, len(api.calls))
	}
}

func TestInsertManyTransactionRetriedAfterAppliedAttempt(t *testing.T) {
	// Resuming an interrupted run: the group finds two of its items
	// already written, identical; one differs.
	stored := map[int]Item{2: {"id": strV("id002"), "v": numV("2")}, 5: {"id": strV("id005"), "v": numV("5")}}
	first := true
	api := &scriptedAPI{respond: func(op string, in any) (any, error) {
		ids := transactIDs(in)
		if first {
			first = false
			return nil, canceled(len(ids), map[int]string{2: "ConditionalCheckFailed", 5: "ConditionalCheckFailed"}, stored)
		}
		if slices.Contains(ids, "id002") || slices.Contains(ids, "id005") {
			return nil, fmt.Errorf("the items found written were sent again: %v", ids)
		}
		return nil, nil
	}}
	e := New(api, Options{Concurrency: 1})
	ins := &inserting{n: &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Batch: 10},
		ws: &writeStats{}, resuming: true}
	var group []claimedItem
	for i := range 8 {
		group = append(group, claimedItem{item: Item{"id": strV(fmt.Sprintf("id%03d", i)), "v": numV(fmt.Sprint(i))}})
	}
	env := e.newEnv(nil)
	if err := e.putGroup(context.Background(), env, ins, group); err != nil {
		t.Fatal(err)
	}
	if w := ins.ws.written.Load(); w != 8 || len(api.calls) != 2 || len(transactIDs(api.calls[1].In)) != 6 {
		t.Errorf("written %d in %d calls; want 8, the second call with the 6 items not found", w, len(api.calls))
	}

	// Not resuming and not retried, an existing item is a duplicate even
	// when identical.
	first = true
	api.calls = nil
	ins = &inserting{n: ins.n, ws: &writeStats{}}
	err := e.putGroup(context.Background(), env, ins, group)
	wantState(t, err, sqlerr.UniqueViolation, `duplicate key: an item with key {id='id002'} already exists in "T"`)

	// Resuming, an existing item that differs is a duplicate.
	stored[5] = Item{"id": strV("id005"), "v": numV("55")}
	first = true
	api.calls = nil
	ins = &inserting{n: ins.n, ws: &writeStats{}, resuming: true}
	err = e.putGroup(context.Background(), env, ins, group)
	wantState(t, err, sqlerr.UniqueViolation, `duplicate key: an item with key {id='id005'} already exists in "T"`)
}

func TestInsertManyFallsBackToPutItem(t *testing.T) {
	// dynalite has no transactions: every later group goes item by item.
	api := &scriptedAPI{respond: func(op string, in any) (any, error) {
		if op == "TransactWriteItems" {
			return nil, &smithy.GenericAPIError{Code: "UnknownOperationException", Message: "UnknownError"}
		}
		return nil, nil
	}}
	e := New(api, Options{Concurrency: 1})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Items: mapRows(25), Batch: 10}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ops := api.ops()
	if res.RowsAffected != 25 || ops[0] != "TransactWriteItems" || len(ops) != 26 ||
		slices.Contains(ops[1:], "TransactWriteItems") {
		t.Errorf("%d written with calls %v; want one TransactWriteItems, then 25 PutItems", res.RowsAffected, ops)
	}

	// A group DynamoDB refuses as a whole (an item over 400 KB) is put
	// item by item, so that the error names the item.
	api = &scriptedAPI{respond: func(op string, in any) (any, error) {
		switch {
		case op == "TransactWriteItems":
			return nil, &smithy.GenericAPIError{Code: "ValidationException", Message: "Item size has exceeded the maximum allowed size"}
		case in.(*dynamodb.PutItemInput).Item["id"].(*types.AttributeValueMemberS).Value == "id004":
			return nil, &smithy.GenericAPIError{Code: "ValidationException", Message: "Item size has exceeded the maximum allowed size"}
		}
		return nil, nil
	}}
	e = New(api, Options{Concurrency: 1})
	_, err = e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	var se *sqlerr.Error
	if !errors.As(err, &se) || !strings.Contains(se.Error(), "Item size has exceeded") || !strings.Contains(se.Detail, "4 items were written") {
		t.Errorf("error %v; want the item's size error after 4 items were written", err)
	}
}

func TestInsertGroupsSplitAtARepeatedKey(t *testing.T) {
	// An INSERT ... SELECT yielding one key twice: the second goes to the
	// next group, whose put then fails as a duplicate, as one put per item
	// would.
	f := &transactFakeDB{putFakeDB: &putFakeDB{&writeFakeDB{fakeDB: newFake()}}}
	f.addTable("Src", "n", "", Item{"n": numV("1"), "id": strV("a")}, Item{"n": numV("2"), "id": strV("b")},
		Item{"n": numV("3"), "id": strV("a")})
	f.addTable("T", "id", "")
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Batch: 10,
		Input: &planner.Read{Path: planner.Scan, Table: "Src"}}
	e := New(f, Options{Concurrency: 1})
	_, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	wantState(t, err, sqlerr.UniqueViolation, `duplicate key: an item with key {id='a'} already exists in "T"`)
	if n := len(f.tables["T"].items); n != 2 {
		t.Errorf("%d items in T, want a and b", n)
	}
}

// transactFakeDB adds TransactWriteItems of conditional puts to the put
// fake: all or nothing, a put failing when its key exists.
type transactFakeDB struct {
	*putFakeDB
}

func (f *transactFakeDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if err := f.begin(ctx, fmt.Sprintf("TransactWriteItems %d puts", len(in.TransactItems))); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	codes := map[int]string{}
	seen := map[string]bool{}
	for i, it := range in.TransactItems {
		t, err := f.table(it.Put.TableName)
		if err != nil {
			return nil, err
		}
		k := fakeKeyText(Item{"id": it.Put.Item["id"]})
		if seen[k] {
			return nil, &smithy.GenericAPIError{Code: "ValidationException", Message: "Transaction request cannot include multiple operations on one item"}
		}
		seen[k] = true
		if t.find(it.Put.Item) != nil {
			codes[i] = "ConditionalCheckFailed"
		}
	}
	if len(codes) > 0 {
		return nil, canceled(len(in.TransactItems), codes, nil)
	}
	for _, it := range in.TransactItems {
		t, _ := f.table(it.Put.TableName)
		t.items = append(t.items, it.Put.Item)
	}
	return &dynamodb.TransactWriteItemsOutput{}, nil
}

func TestInsertGroupsStayWithinTheWriteBudget(t *testing.T) {
	// At 20 units/s a group holds at most 10 transactional puts (2 units
	// each), so that the writes are paced instead of bursting.
	api := &scriptedAPI{}
	e := New(api, Options{Concurrency: 1, Clock: &testbackend.FakeClock{}, Session: budgetSession{rate: "20"}})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Items: mapRows(35), Batch: 100}
	if _, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, c := range api.calls {
		sizes = append(sizes, len(transactIDs(c.In)))
	}
	if !slices.Equal(sizes, []int{10, 10, 10, 5}) {
		t.Errorf("groups of %v items, want 10, 10, 10 and 5", sizes)
	}
}
