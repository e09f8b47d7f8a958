package executor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// checkpointLog collects the checkpoints of a statement, JSON round-tripped
// as a caller storing them would.
type checkpointLog struct {
	mu  sync.Mutex
	cps []Checkpoint
}

func (l *checkpointLog) record(t *testing.T) func(Checkpoint) {
	return func(cp Checkpoint) {
		b, err := json.Marshal(cp)
		if err != nil {
			t.Errorf("marshal checkpoint: %v", err)
			return
		}
		var back Checkpoint
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("unmarshal checkpoint %s: %v", b, err)
			return
		}
		l.mu.Lock()
		l.cps = append(l.cps, back)
		l.mu.Unlock()
	}
}

func (l *checkpointLog) all() []Checkpoint {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.cps)
}

// flagOrdersC1 is UPDATE Orders SET flag = true WHERE cust = 'c1' as a
// WriteEach over a Query of the keys.
func flagOrdersC1() *planner.WriteEach {
	return &planner.WriteEach{Input: ordersKeysRead(""), KeyAttrs: []string{"cust", "n"},
		Update: &planner.UpdateItem{Table: "Orders", Update: "SET #u0 = :u0", Condition: "attribute_exists(#c0)",
			Names:  map[string]string{"#u0": "flag", "#c0": "cust"},
			Values: map[string]parser.Expr{":u0": &parser.Literal{Kind: parser.LitBool, Text: "true"}}}}
}

func updateKeys(log []string) []string {
	var keys []string
	for _, l := range log {
		if strings.HasPrefix(l, "UpdateItem ") {
			keys = append(keys, strings.Fields(l)[2])
		}
	}
	return keys
}

func TestWriteEachCheckpointsAdvanceByPage(t *testing.T) {
	f := &writeFakeDB{fakeDB: readTables()}
	f.pageSize = 2
	e := New(f, Options{Concurrency: 1})
	var log checkpointLog
	ctx := WithWriteCheckpoints(context.Background(), WriteCheckpoints{OnCheckpoint: log.record(t)})
	res, err := e.Run(ctx, &planner.Plan{Root: flagOrdersC1()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "UPDATE 5" {
		t.Errorf("tag %q", res.Tag)
	}
	var got []string
	for _, cp := range log.all() {
		got = append(got, fmt.Sprintf("%s %s done=%v start=%s written=%d", cp.Path, cp.Table, cp.Streams[0].Done, fakeStart(cp.Streams[0].Start), cp.Written))
	}
	want := []string{
		"query Orders done=false start={cust=S:c1,n=N:2} written=2",
		"query Orders done=false start={cust=S:c1,n=N:4} written=4",
		"query Orders done=true start=- written=5",
	}
	if !slices.Equal(got, want) {
		t.Errorf("checkpoints:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWriteEachResumesFromCheckpoint(t *testing.T) {
	f := &writeFakeDB{fakeDB: readTables()}
	f.pageSize = 2
	e := New(f, Options{Concurrency: 1})
	cp := Checkpoint{Table: "Orders", Path: "query", Streams: []StreamPosition{{Start: Item{"cust": strV("c1"), "n": numV("2")}}},
		Matched: 2, Written: 2}
	ctx := WithWriteCheckpoints(context.Background(), WriteCheckpoints{Resume: &cp})
	res, err := e.Run(ctx, &planner.Plan{Root: flagOrdersC1()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "UPDATE 5" || res.Matched != 5 {
		t.Errorf("tag %q matched %d, want UPDATE 5 counting the 2 written before", res.Tag, res.Matched)
	}
	if len(res.Notices) != 1 || !strings.Contains(res.Notices[0], "resumed from a checkpoint: 2 items had been updated") {
		t.Errorf("notices %q", res.Notices)
	}
	log := f.takeLog()
	if !strings.Contains(log[0], "start={cust=S:c1,n=N:2}") {
		t.Errorf("first call %q does not start after the checkpoint", log[0])
	}
	if keys := updateKeys(log); !slices.Equal(keys, []string{"key={cust=S:c1,n=N:3}", "key={cust=S:c1,n=N:4}", "key={cust=S:c1,n=N:5}"}) {
		t.Errorf("updated %q, want the items after the checkpoint", keys)
	}

	// A checkpoint of another statement is refused, not misapplied.
	other := Checkpoint{Table: "Users", Path: "scan", Streams: []StreamPosition{{}}}
	_, err = e.Run(WithWriteCheckpoints(context.Background(), WriteCheckpoints{Resume: &other}), &planner.Plan{Root: flagOrdersC1()}, nil)
	if se := wantState(t, err, "55000", ""); !strings.Contains(se.Message, "cannot resume") {
		t.Errorf("message %q", se.Message)
	}
}

// TestWriteEachKilledAndResumedWritesEveryItem stops a concurrent, parallel
// scan write at an error, resumes it from its last checkpoint, and checks
// that every item was written, and that items written twice lie after that
// checkpoint.
func TestWriteEachKilledAndResumedWritesEveryItem(t *testing.T) {
	f := &writeFakeDB{fakeDB: newFake()}
	var items []Item
	for i := range 60 {
		items = append(items, Item{"id": strV(fmt.Sprintf("k%02d", i))})
	}
	f.addTable("T", "id", "", items...)
	f.pageSize = 4
	node := &planner.WriteEach{KeyAttrs: []string{"id"},
		Input: &planner.Read{Path: planner.Scan, Table: "T", Segments: 3, Projection: "#k", Names: map[string]string{"#k": "id"}},
		Update: &planner.UpdateItem{Table: "T", Update: "SET #u0 = :u0", Condition: "attribute_exists(#k)",
			Names:  map[string]string{"#u0": "flag", "#k": "id"},
			Values: map[string]parser.Expr{":u0": &parser.Literal{Kind: parser.LitBool, Text: "true"}}}}
	f.fail[40] = apiError("InternalServerError", "boom")
	e := New(f, Options{Concurrency: 4})
	var log checkpointLog
	_, err := e.Run(WithWriteCheckpoints(context.Background(), WriteCheckpoints{OnCheckpoint: log.record(t)}), &planner.Plan{Root: node}, nil)
	if err == nil {
		t.Fatal("the first run did not fail")
	}
	first := updateKeys(f.takeLog())
	cps := log.all()
	if len(cps) == 0 {
		t.Fatal("no checkpoint before the failure")
	}
	last := cps[len(cps)-1]
	for i := 1; i < len(cps); i++ {
		if cps[i].Written < cps[i-1].Written {
			t.Errorf("checkpoint %d went back: %d after %d written", i, cps[i].Written, cps[i-1].Written)
		}
	}
	if last.Written > int64(len(first)) {
		t.Errorf("checkpoint counts %d written, only %d writes were sent", last.Written, len(first))
	}

	res, err := e.Run(WithWriteCheckpoints(context.Background(), WriteCheckpoints{Resume: &last}), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	second := updateKeys(f.takeLog())
	seen := map[string]int{}
	for _, k := range append(slices.Clone(first), second...) {
		seen[k]++
	}
	if len(seen) != 60 {
		t.Fatalf("%d distinct items written over both runs, want 60", len(seen))
	}
	twice := 0
	for _, n := range seen {
		if n > 1 {
			twice++
		}
	}
	if int64(len(second)) != 60-last.Written {
		t.Errorf("the resumed run wrote %d items, want the %d after the checkpoint", len(second), 60-last.Written)
	}
	if res.RowsAffected != 60 {
		t.Errorf("resumed statement reports %d items, want 60", res.RowsAffected)
	}
	t.Logf("checkpoint at %d written; %d items written by both runs", last.Written, twice)
}

// putFakeDB adds PutItem to the write fake: it stores items, and a PutItem
// with a condition fails when the key exists.
type putFakeDB struct {
	*writeFakeDB
}

func (p *putFakeDB) PutItem(ctx context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	if err := p.begin(ctx, "PutItem "+aws.ToString(in.TableName)+" "+fakeKeyText(in.Item)+fakeOpt(" cond=", in.ConditionExpression)); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t, err := p.table(in.TableName)
	if err != nil {
		return nil, err
	}
	if old := t.find(in.Item); old != nil {
		if in.ConditionExpression != nil {
			ccf := &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
			if in.ReturnValuesOnConditionCheckFailure == types.ReturnValuesOnConditionCheckFailureAllOld {
				ccf.Item = old
			}
			return nil, ccf
		}
	}
	t.items = append(t.items, in.Item)
	return &dynamodb.PutItemOutput{ConsumedCapacity: fakeCapacity(in.TableName, 1)}, nil
}

func TestInsertSelectResumeCountsIdenticalItemsAsWritten(t *testing.T) {
	f := &putFakeDB{&writeFakeDB{fakeDB: readTables()}}
	f.addTable("Copy", "id", "", Item{"id": strV("u1"), "name": strV("user 1")})
	node := &planner.PutItems{Table: "Copy", KeyAttrs: []string{"id"},
		Input: &planner.Read{Path: planner.Scan, Table: "Users"}}
	e := New(f, Options{Concurrency: 1})

	// Without a resume, the existing u1 is a duplicate.
	_, err := e.Run(WithWriteCheckpoints(context.Background(), WriteCheckpoints{}), &planner.Plan{Root: node}, nil)
	wantState(t, err, sqlerr.UniqueViolation, `duplicate key: an item with key {id='u1'} already exists in "Copy"`)
	f.takeLog()

	// Resuming, u1 equal to the row inserted counts as written.
	f.tables["Copy"].items = []Item{{"id": strV("u1"), "name": strV("user 1")}}
	cp := Checkpoint{Table: "Users", Path: "scan", Streams: []StreamPosition{{}}}
	res, err := e.Run(WithWriteCheckpoints(context.Background(), WriteCheckpoints{Resume: &cp}), &planner.Plan{Root: node}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsAffected != 5 || len(f.tables["Copy"].items) != 5 {
		t.Errorf("affected %d, %d items in Copy; want 5 and 5", res.RowsAffected, len(f.tables["Copy"].items))
	}
	// The failed put returns the existing item (ALL_OLD): no extra read.
	if log := f.takeLog(); slices.ContainsFunc(log, func(l string) bool { return strings.HasPrefix(l, "GetItem") }) {
		t.Errorf("a GetItem to compare the existing item:\n%s", strings.Join(log, "\n"))
	}

	// An existing item that differs is still a duplicate.
	f.tables["Copy"].items = []Item{{"id": strV("u2"), "name": strV("someone else")}}
	_, err = e.Run(WithWriteCheckpoints(context.Background(), WriteCheckpoints{Resume: &cp}), &planner.Plan{Root: node}, nil)
	wantState(t, err, sqlerr.UniqueViolation, `duplicate key: an item with key {id='u2'} already exists in "Copy"`)
}

func TestWriteProgressAndCancel(t *testing.T) {
	saved := progressInterval
	progressInterval = 0
	t.Cleanup(func() { progressInterval = saved })
	f := &writeFakeDB{fakeDB: readTables()}
	var mu sync.Mutex
	var messages []string
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.onCall = func(n int) {
		if n == 3 { // the Query, two updates, then Ctrl-C during the third,
			cancel() // which finishes and is counted; no fourth is sent
		}
	}
	e := New(f, Options{Concurrency: 1, OnProgress: func(p Progress) {
		mu.Lock()
		messages = append(messages, p.Message)
		mu.Unlock()
	}})
	_, err := e.Run(ctx, &planner.Plan{Root: flagOrdersC1()}, nil)
	se := wantState(t, err, sqlerr.QueryCanceled, "")
	if want := "canceled after 3 items updated, 0 skipped; the rest of the table is unchanged"; se.Detail != want {
		t.Errorf("detail %q, want %q", se.Detail, want)
	}
	if keys := updateKeys(f.takeLog()); len(keys) != 3 {
		t.Errorf("%d UpdateItem calls, want 3: %q", len(keys), keys)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.ContainsFunc(messages, func(m string) bool { return strings.Contains(m, " items matched, 2 updated, 0 skipped, ") }) {
		t.Errorf("progress messages %q", messages)
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 12345: "12,345", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}

// budgetSession answers write_capacity.
type budgetSession struct {
	noSession
	rate string
}

func (s budgetSession) Get(name string) (string, error) {
	if name == SettingWriteCapacity {
		return s.rate, nil
	}
	return s.noSession.Get(name)
}

func TestWriteCapacityBudgetPacesWrites(t *testing.T) {
	clock := &testbackend.FakeClock{}
	f, _, node := deleteEachOfTwenty()

	// 20 deletes of 1 unit at 4 units/s, the bucket full (4) at the start:
	// the 16 beyond the first second's worth wait 4 s in all.
	e := New(f, Options{Concurrency: 1, Clock: clock, Session: budgetSession{rate: "4"}})
	if _, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil); err != nil {
		t.Fatal(err)
	}
	if slept, _ := clock.Slept(); slept < 3990*time.Millisecond || slept > 4010*time.Millisecond {
		t.Errorf("waited %v in all, want 4s", slept)
	}

	// 0 is no budget: no wait.
	clock.Reset()
	e = New(f, Options{Concurrency: 1, Clock: clock, Session: budgetSession{rate: "0"}})
	if _, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil); err != nil {
		t.Fatal(err)
	}
	if slept, _ := clock.Slept(); slept != 0 {
		t.Errorf("waited %v without a budget", slept)
	}
}

func TestCapacityBudgetSettlesReportedCapacity(t *testing.T) {
	clock := &testbackend.FakeClock{}
	b := newCapacityBudget(10, clock)
	if err := b.reserve(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	b.settle(1, 25) // a large item: 25 units, 15 more than the bucket held
	start := clock.Now()
	if err := b.reserve(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if waited := clock.Now().Sub(start); waited < 1590*time.Millisecond || waited > 1610*time.Millisecond {
		t.Errorf("waited %v after the overdraft, want 1.6s (15 units owed plus 1 at 10/s)", waited)
	}
	b.tokens = -5
	if err := b.reserve(ctxCanceled(), 1); !errors.Is(err, context.Canceled) {
		t.Errorf("reserve on a cancelled context: %v", err)
	}
}

func ctxCanceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// deleteEachOfTwenty returns a write fake holding table T of 20 items, the
// items, and a set-based DELETE of every one of them.
func deleteEachOfTwenty() (*writeFakeDB, []Item, *planner.WriteEach) {
	f := &writeFakeDB{fakeDB: newFake()}
	var items []Item
	for i := range 20 {
		items = append(items, Item{"id": strV(fmt.Sprintf("k%02d", i))})
	}
	f.addTable("T", "id", "", items...)
	node := &planner.WriteEach{KeyAttrs: []string{"id"},
		Input:  &planner.Read{Path: planner.Scan, Table: "T"},
		Delete: &planner.DeleteItem{Table: "T", Condition: "attribute_exists(#k)", Names: map[string]string{"#k": "id"}}}
	return f, items, node
}
