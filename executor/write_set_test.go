package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// fastBackoff makes batch retries immediate for the test's duration.
func fastBackoff(t *testing.T) {
	saved := batchBackoff
	batchBackoff = backoff{base: 1, max: 1}
	t.Cleanup(func() { batchBackoff = saved })
}

// mapRow is the MapExpr {'id': 'idN', 'v': N}.
func mapRow(id string, v int) parser.Expr {
	return &parser.MapExpr{Entries: []parser.MapEntry{
		{Key: "id", Value: &parser.Literal{Kind: parser.LitString, Text: id}},
		{Key: "v", Value: &parser.Literal{Kind: parser.LitNumber, Text: fmt.Sprint(v)}},
	}}
}

func mapRows(n int) []parser.Expr {
	rows := make([]parser.Expr, n)
	for i := range rows {
		rows[i] = mapRow(fmt.Sprintf("id%03d", i), i)
	}
	return rows
}

// batchLog renders the BatchWriteItem calls of api: the first and last key
// of each call and its size.
func batchLog(api *scriptedAPI) []string {
	var out []string
	for _, c := range api.calls {
		in := c.In.(*dynamodb.BatchWriteItemInput)
		reqs := in.RequestItems["T"]
		first := reqs[0].PutRequest.Item["id"].(*types.AttributeValueMemberS).Value
		last := reqs[len(reqs)-1].PutRequest.Item["id"].(*types.AttributeValueMemberS).Value
		out = append(out, fmt.Sprintf("%s %d items %s…%s", c.Op, len(reqs), first, last))
	}
	return out
}

func TestUpsertManyRetriesUnprocessedItems(t *testing.T) {
	fastBackoff(t)
	calls := 0
	api := &scriptedAPI{}
	api.respond = func(op string, in any) (any, error) {
		calls++
		reqs := in.(*dynamodb.BatchWriteItemInput).RequestItems["T"]
		// The first call leaves its last 10 items unprocessed, the retry
		// of those leaves 4 more.
		var left []types.WriteRequest
		switch calls {
		case 1:
			left = reqs[len(reqs)-10:]
		case 2:
			left = reqs[len(reqs)-4:]
		}
		out := &dynamodb.BatchWriteItemOutput{}
		if left != nil {
			out.UnprocessedItems = map[string][]types.WriteRequest{"T": left}
		}
		return out, nil
	}
	e := New(api, Options{Concurrency: 1})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Upsert: true, Items: mapRows(60)}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "INSERT 0 60" || res.RowsAffected != 60 {
		t.Errorf("tag %q, %d rows affected; want INSERT 0 60", res.Tag, res.RowsAffected)
	}
	want := []string{
		"BatchWriteItem 25 items id000…id024",
		"BatchWriteItem 10 items id015…id024",
		"BatchWriteItem 4 items id021…id024",
		"BatchWriteItem 25 items id025…id049",
		"BatchWriteItem 10 items id050…id059",
	}
	if got := batchLog(api); !slices.Equal(got, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestUpsertManyConcurrentWritesEachItemOnce(t *testing.T) {
	fastBackoff(t)
	api := &scriptedAPI{}
	n := 0
	api.respond = func(op string, in any) (any, error) {
		api.mu.Lock()
		n++
		odd := n%2 == 1
		api.mu.Unlock()
		reqs := in.(*dynamodb.BatchWriteItemInput).RequestItems["T"]
		out := &dynamodb.BatchWriteItemOutput{}
		if odd && len(reqs) > 1 { // every other call processes half
			out.UnprocessedItems = map[string][]types.WriteRequest{"T": reqs[len(reqs)/2:]}
		}
		return out, nil
	}
	e := New(api, Options{Concurrency: 8})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Upsert: true, Items: mapRows(1000)}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsAffected != 1000 {
		t.Errorf("%d rows affected, want 1000", res.RowsAffected)
	}
	// Items processed = sent minus returned unprocessed: count per key.
	processed := map[string]int{}
	for _, c := range api.calls {
		reqs := c.In.(*dynamodb.BatchWriteItemInput).RequestItems["T"]
		if len(reqs) > batchWriteLimit {
			t.Fatalf("a call carried %d items", len(reqs))
		}
		for _, r := range reqs {
			processed[r.PutRequest.Item["id"].(*types.AttributeValueMemberS).Value]++
		}
	}
	if len(processed) != 1000 {
		t.Errorf("%d distinct items sent, want 1000", len(processed))
	}
}

func TestUpsertManyKeepsTheLastRowOfAKey(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{Concurrency: 1})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Upsert: true,
		Items: []parser.Expr{mapRow("a", 1), mapRow("b", 2), mapRow("a", 3)}}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "INSERT 0 3" {
		t.Errorf("tag %q", res.Tag)
	}
	reqs := api.calls[0].In.(*dynamodb.BatchWriteItemInput).RequestItems["T"]
	if len(reqs) != 2 || reqs[0].PutRequest.Item["v"].(*types.AttributeValueMemberN).Value != "3" {
		t.Errorf("batch %s, want a with v=3 then b", jsonText(reqs))
	}
}

func TestInsertManyPutsEachWithCondition(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{Concurrency: 4})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Items: mapRows(10)}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "INSERT 0 10" || len(api.calls) != 10 {
		t.Fatalf("tag %q after %d calls", res.Tag, len(api.calls))
	}
	for _, c := range api.calls {
		in := c.In.(*dynamodb.PutItemInput)
		if c.Op != "PutItem" || aws.ToString(in.ConditionExpression) != "attribute_not_exists(#k0)" {
			t.Errorf("call %s %s, want a PutItem guarded by attribute_not_exists", c.Op, jsonText(in))
		}
	}
}

func TestInsertManyStopsAtADuplicate(t *testing.T) {
	api := &scriptedAPI{respond: func(op string, in any) (any, error) {
		if in.(*dynamodb.PutItemInput).Item["id"].(*types.AttributeValueMemberS).Value == "id001" {
			return nil, &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
		}
		return nil, nil
	}}
	e := New(api, Options{Concurrency: 1})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Items: mapRows(5)}
	_, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	se := wantState(t, err, sqlerr.UniqueViolation, `duplicate key: an item with key {id='id001'} already exists in "T"`)
	if want := "ConditionalCheckFailedException; 1 item was written before the statement stopped; they stay written (DynamoDB writes each item on its own)"; se.Detail != want {
		t.Errorf("detail %q, want %q", se.Detail, want)
	}
	if got := api.ops(); !slices.Equal(got, []string{"PutItem", "PutItem"}) {
		t.Errorf("calls %v: nothing is sent after the duplicate", got)
	}
}

func TestInsertManyRefusesAKeyTwice(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{})
	node := &planner.PutItems{Table: "T", KeyAttrs: []string{"id"},
		Items: []parser.Expr{mapRow("a", 1), mapRow("b", 2), mapRow("a", 3)}}
	_, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	wantState(t, err, sqlerr.UniqueViolation, `duplicate key: the statement inserts the key {id='a'} twice into "T"`)
	if len(api.calls) != 0 {
		t.Errorf("%d calls made, want none", len(api.calls))
	}
}

// writeFakeDB adds conditional UpdateItem and DeleteItem to the read fake:
// each call is one line of the same log; the condition fails for the keys
// in failKeys (as fakeKeyText renders them), as if the item had changed
// since it was read.
type writeFakeDB struct {
	*fakeDB
	failKeys map[string]bool
}

func (w *writeFakeDB) write(ctx context.Context, op string, table *string, key Item, update, cond *string,
	names map[string]string, values map[string]types.AttributeValue, rcc types.ReturnConsumedCapacity) error {
	line := op + " " + aws.ToString(table) + " key=" + fakeKeyText(key) + fakeOpt(" update=", update) + fakeOpt(" cond=", cond)
	if err := w.begin(ctx, line); err != nil {
		return err
	}
	if err := fakeCheck(rcc, names, values); err != nil {
		return err
	}
	if w.failKeys[fakeKeyText(key)] {
		return &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
	}
	return nil
}

func (w *writeFakeDB) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	err := w.write(ctx, "UpdateItem", in.TableName, in.Key, in.UpdateExpression, in.ConditionExpression,
		in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ReturnConsumedCapacity)
	if err != nil {
		return nil, err
	}
	return &dynamodb.UpdateItemOutput{ConsumedCapacity: fakeCapacity(in.TableName, 1)}, nil
}

func (w *writeFakeDB) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	err := w.write(ctx, "DeleteItem", in.TableName, in.Key, nil, in.ConditionExpression,
		in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ReturnConsumedCapacity)
	if err != nil {
		return nil, err
	}
	return &dynamodb.DeleteItemOutput{ConsumedCapacity: fakeCapacity(in.TableName, 1)}, nil
}

// ordersKeysRead reads the keys of customer c1's orders.
func ordersKeysRead(filter string) *planner.Read {
	r := &planner.Read{Path: planner.Query, Table: "Orders", PartitionKey: "cust",
		PartitionValues: []parser.Expr{&parser.Literal{Kind: parser.LitString, Text: "c1"}},
		KeyCondition:    "#n0 = :pk", Projection: "#n0, #n1", Names: map[string]string{"#n0": "cust", "#n1": "n"}}
	if filter != "" {
		r.Filter = filter
		r.Names["#n2"] = "status"
		r.Values = map[string]parser.Expr{":v0": &parser.Literal{Kind: parser.LitString, Text: "open"}}
	}
	return r
}

func TestUpdateEachSkipsChangedItems(t *testing.T) {
	f := &writeFakeDB{fakeDB: readTables(), failKeys: map[string]bool{"{cust=S:c1,n=N:3}": true}}
	f.filters["#n2 = :v0"] = func(it Item) bool { return it["status"].(*types.AttributeValueMemberS).Value == "open" }
	e := New(f, Options{Concurrency: 1})
	node := &planner.WriteEach{Input: ordersKeysRead("#n2 = :v0"), KeyAttrs: []string{"cust", "n"},
		Update: &planner.UpdateItem{Table: "Orders", Update: "SET #u0 = :u0", Condition: "attribute_exists(#c0) AND #c1 = :c1",
			Names:  map[string]string{"#u0": "flag", "#c0": "cust", "#c1": "status"},
			Values: map[string]parser.Expr{":u0": &parser.Literal{Kind: parser.LitBool, Text: "true"}, ":c1": &parser.Literal{Kind: parser.LitString, Text: "open"}}}}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "UPDATE 2" || res.RowsAffected != 2 || res.Matched != 3 || res.Skipped != 1 {
		t.Errorf("tag %q, affected %d, matched %d, skipped %d; want UPDATE 2, 2, 3, 1", res.Tag, res.RowsAffected, res.Matched, res.Skipped)
	}
	if len(res.Notices) != 1 || !strings.HasPrefix(res.Notices[0], "1 of 3 matching items were skipped") {
		t.Errorf("notices %q", res.Notices)
	}
	got := f.takeLog()
	want := []string{
		"Query Orders key=#n0 = :pk pk=S:c1 filter=#n2 = :v0 proj=#n0, #n1 limit=0 start=-",
		"UpdateItem Orders key={cust=S:c1,n=N:1} update=SET #u0 = :u0 cond=attribute_exists(#c0) AND #c1 = :c1",
		"UpdateItem Orders key={cust=S:c1,n=N:3} update=SET #u0 = :u0 cond=attribute_exists(#c0) AND #c1 = :c1",
		"UpdateItem Orders key={cust=S:c1,n=N:5} update=SET #u0 = :u0 cond=attribute_exists(#c0) AND #c1 = :c1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDeleteEachConcurrentAndStopsAtAnError(t *testing.T) {
	f := &writeFakeDB{fakeDB: readTables()}
	e := New(f, Options{Concurrency: 4})
	node := &planner.WriteEach{Input: ordersKeysRead(""), KeyAttrs: []string{"cust", "n"},
		Delete: &planner.DeleteItem{Table: "Orders", Condition: "attribute_exists(#c0)", Names: map[string]string{"#c0": "cust"}}}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "DELETE 5" || res.Matched != 5 || res.Skipped != 0 || res.Notices != nil {
		t.Errorf("result %+v", res)
	}
	if got := f.takeLog(); len(got) != 6 {
		t.Errorf("%d calls, want a Query and 5 deletes:\n%s", len(got), strings.Join(got, "\n"))
	}

	// A failing write stops the statement: no further item is handed out,
	// and the error says how many were deleted.
	f.fail[f.calls+3] = apiError("ValidationException", "bad")
	e = New(f, Options{Concurrency: 1})
	_, err = e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	se := wantState(t, err, sqlerr.InvalidParameter, "")
	if !strings.Contains(se.Detail, "2 items were deleted before the statement stopped") {
		t.Errorf("detail %q", se.Detail)
	}
	if got := f.takeLog(); len(got) != 4 {
		t.Errorf("%d calls, want a Query, 2 deletes and the failing one:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// TestRunPoolFinishesCallsInFlightOnCancel cancels a pool while two tasks
// are in flight: they finish (their context is not cancelled with the
// statement's), no further task starts, and the pool reports the
// cancellation. A task still running cancelGrace after the cancellation is
// abandoned: its context ends with the statement's cause.
func TestRunPoolFinishesCallsInFlightOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var started, finished atomic.Int64
	inFlight := make(chan struct{}, 2)
	release := make(chan struct{})
	n := 0
	next := func() (int, error) {
		n++
		if n > 100 {
			return 0, io.EOF
		}
		return n, nil
	}
	errc := make(chan error, 1)
	go func() {
		errc <- runPool(ctx, 2, next, func(wctx context.Context, _ int) error {
			started.Add(1)
			inFlight <- struct{}{}
			<-release
			if wctx.Err() != nil {
				return wctx.Err()
			}
			finished.Add(1)
			return nil
		})
	}()
	<-inFlight
	<-inFlight
	cancel()
	close(release)
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("pool error %v, want context.Canceled", err)
	}
	if started.Load() != 2 || finished.Load() != 2 {
		t.Errorf("%d tasks started and %d finished, want 2 and 2", started.Load(), finished.Load())
	}

	saved := cancelGrace
	cancelGrace = 10 * time.Millisecond
	t.Cleanup(func() { cancelGrace = saved })
	ctx, cancelCause := context.WithCancelCause(context.Background())
	stuck := errors.New("stuck")
	n = 0
	var abandoned error
	go func() {
		errc <- runPool(ctx, 1, next, func(wctx context.Context, _ int) error {
			cancelCause(stuck)
			<-wctx.Done()
			abandoned = context.Cause(wctx)
			return abandoned
		})
	}()
	if err := <-errc; !errors.Is(err, context.Canceled) && !errors.Is(err, stuck) {
		t.Errorf("pool error %v after the grace, want the cancellation", err)
	}
	if !errors.Is(abandoned, stuck) {
		t.Errorf("the stuck task's context ended with %v, want the statement's cause", abandoned)
	}
}
