package executor

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/value"
)

// pinFakeDB adds to the read fake an UpdateItem that applies
// SET cnt = cnt + 1 to the stored items of table Counters (pk id) and
// evaluates the pins of the condition (#pinN = :pinN,
// attribute_not_exists(#pinN)) and, standing for the rest of the WHERE,
// where. It scripts what goes wrong, by item id:
//
//   - lose: the first call's answer is lost after it was applied, and the
//     SDK retries it (the attempt counter sees two attempts);
//   - bump: another writer adds this much to cnt before each of the next
//     calls on the item (bumpCalls of them, 1 when zero);
//   - drop: another writer deletes the item before the first call;
//   - miss: the first call's first attempt never reached the table, and
//     the SDK retried it.
//
// An update that marks its item (#pinmark, see write_mark.go) requires
// the item not to carry the mark and stamps it; REMOVE #pinmark removes
// it. noAllOld makes a failed condition return
// no item, as dynalite does.
type pinFakeDB struct {
	*fakeDB
	where     func(Item) bool
	lose      map[string]bool
	miss      map[string]bool
	bump      map[string]int
	bumpCalls map[string]int
	drop      map[string]bool
	noAllOld  bool
}

func newPinFake(items ...Item) *pinFakeDB {
	f := newFake()
	f.addTable("Counters", "id", "", items...)
	return &pinFakeDB{fakeDB: f, lose: map[string]bool{}, miss: map[string]bool{}, bump: map[string]int{}, bumpCalls: map[string]int{}, drop: map[string]bool{}}
}

// counter is the item {id, cnt} (cnt absent when negative).
func counter(id string, cnt int) Item {
	it := Item{"id": strV(id)}
	if cnt >= 0 {
		it["cnt"] = numV(strconv.Itoa(cnt))
	}
	return it
}

func (f *pinFakeDB) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	line := "UpdateItem " + aws.ToString(in.TableName) + " key=" + fakeKeyText(in.Key) + " cond=" + aws.ToString(in.ConditionExpression) +
		" pins=" + pinText(in) + " old=" + string(in.ReturnValuesOnConditionCheckFailure)
	if err := f.begin(ctx, line); err != nil {
		return nil, err
	}
	if err := fakeCheck(in.ReturnConsumedCapacity, in.ExpressionAttributeNames, in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t := f.tables["Counters"]
	id := in.Key["id"].(*types.AttributeValueMemberS).Value
	if f.drop[id] {
		delete(f.drop, id)
		t.items = slices.DeleteFunc(t.items, func(it Item) bool { return value.Equal(it["id"], in.Key["id"]) })
	}
	if d := f.bump[id]; d != 0 {
		if it := t.find(in.Key); it != nil {
			it["cnt"] = numV(strconv.Itoa(cntOf(it) + d))
		}
		if f.bumpCalls[id]--; f.bumpCalls[id] <= 0 {
			delete(f.bump, id)
		}
	}
	if aws.ToString(in.UpdateExpression) == "REMOVE "+markName {
		it := t.find(in.Key)
		if _, marked := it[MarkAttribute]; !marked {
			return nil, &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
		}
		delete(it, MarkAttribute)
		return &dynamodb.UpdateItemOutput{ConsumedCapacity: fakeCapacity(in.TableName, 1)}, nil
	}
	attempts := 1
	if f.miss[id] {
		delete(f.miss, id)
		attempts = 2
	}
	if f.lose[id] {
		delete(f.lose, id)
		attempts = 2
		// The first attempt is applied; its answer is lost.
		if it := t.find(in.Key); f.holds(in, it) {
			f.apply(in, it)
		}
	}
	simulateAttempts(opts, attempts)
	it := t.find(in.Key)
	if !f.holds(in, it) {
		ccf := &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
		if it != nil && !f.noAllOld && in.ReturnValuesOnConditionCheckFailure == types.ReturnValuesOnConditionCheckFailureAllOld {
			ccf.Item = cloneItem(it)
		}
		return nil, ccf
	}
	f.apply(in, it)
	out := &dynamodb.UpdateItemOutput{ConsumedCapacity: fakeCapacity(in.TableName, 1)}
	if in.ReturnValues == types.ReturnValueAllNew {
		out.Attributes = cloneItem(it)
	}
	return out, nil
}

// apply increments cnt of it and stamps the mark the update carries.
func (f *pinFakeDB) apply(in *dynamodb.UpdateItemInput, it Item) {
	it["cnt"] = numV(strconv.Itoa(cntOf(it) + 1))
	if m, ok := in.ExpressionAttributeValues[markValue]; ok {
		it[MarkAttribute] = m
	}
}

// holds evaluates the condition of in on the stored item it.
func (f *pinFakeDB) holds(in *dynamodb.UpdateItemInput, it Item) bool {
	if it == nil || (f.where != nil && !f.where(it)) {
		return false
	}
	if m, ok := in.ExpressionAttributeValues[markValue]; ok && markedBy(it, m.(*types.AttributeValueMemberS).Value) {
		return false
	}
	for ph, attr := range in.ExpressionAttributeNames {
		if !strings.HasPrefix(ph, "#pin") || ph == markName {
			continue
		}
		want := in.ExpressionAttributeValues[":"+ph[1:]]
		if !value.Equal(it[attr], want) {
			return false
		}
	}
	return true
}

// pinText renders the pinned values of an update: attr=value, - for
// attribute_not_exists.
func pinText(in *dynamodb.UpdateItemInput) string {
	var parts []string
	for ph, attr := range in.ExpressionAttributeNames {
		if strings.HasPrefix(ph, "#pin") && ph != markName {
			parts = append(parts, attr+"="+fakeValueText(in.ExpressionAttributeValues[":"+ph[1:]]))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

func cntOf(it Item) int {
	n, ok := it["cnt"].(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	v, _ := strconv.Atoi(n.Value)
	return v
}

func cloneItem(it Item) Item {
	out := make(Item, len(it))
	for k, v := range it {
		out[k] = v
	}
	return out
}

// simulateAttempts runs the middleware the call's options add through a
// stack whose retry step makes attempts attempts, as the SDK's retryer
// does after a lost answer.
func simulateAttempts(opts []func(*dynamodb.Options), attempts int) {
	var o dynamodb.Options
	for _, fn := range opts {
		fn(&o)
	}
	stack := middleware.NewStack("fake", func() any { return nil })
	_ = stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("Retry",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			for range attempts - 1 {
				_, _, _ = next.HandleFinalize(ctx, in)
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
	for _, fn := range o.APIOptions {
		_ = fn(stack)
	}
	_, _, _ = stack.HandleMiddleware(context.Background(), nil,
		middleware.HandlerFunc(func(context.Context, any) (any, middleware.Metadata, error) {
			return nil, middleware.Metadata{}, nil
		}))
}

// counts returns the stored cnt of each item, id=cnt in id order.
func (f *pinFakeDB) counts() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var parts []string
	for _, it := range f.tables["Counters"].items {
		parts = append(parts, fmt.Sprintf("%s=%d", it["id"].(*types.AttributeValueMemberS).Value, cntOf(it)))
	}
	return strings.Join(parts, " ")
}

// incrementEach is UPDATE Counters SET cnt = cnt + 1 WHERE <items read>,
// pinning cnt: the read returns the keys and cnt.
func incrementEach(ret parser.Returning) *planner.WriteEach {
	return &planner.WriteEach{
		Input: &planner.Read{Path: planner.Scan, Table: "Counters", Segments: 1, Projection: "#n0, #n1",
			Names: map[string]string{"#n0": "id", "#n1": "cnt"}},
		KeyAttrs: []string{"id"},
		Pin:      []string{"cnt"},
		Update: &planner.UpdateItem{Table: "Counters", Update: "SET #n1 = #n1 + :v0", Condition: "attribute_exists(#n0)",
			Names:     map[string]string{"#n0": "id", "#n1": "cnt"},
			Values:    map[string]parser.Expr{":v0": &parser.Literal{Kind: parser.LitNumber, Text: "1"}},
			Returning: ret},
	}
}

// runPinned runs the increment on one worker and checks its tag, counts
// and the calls made after the read.
func runPinned(t *testing.T, f *pinFakeDB, wantTag string, wantSkipped int64, wantCalls []string) *Result {
	t.Helper()
	e := New(f, Options{Concurrency: 1})
	res, err := e.Run(context.Background(), &planner.Plan{Root: incrementEach(parser.ReturnNothing), Tag: "UPDATE"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != wantTag || res.Skipped != wantSkipped {
		t.Errorf("tag %q, skipped %d; want %q, skipped %d", res.Tag, res.Skipped, wantTag, wantSkipped)
	}
	log := f.takeLog()
	if len(log) == 0 || !strings.HasPrefix(log[0], "Scan Counters") {
		t.Fatalf("calls %q, want the read first", log)
	}
	if got := log[1:]; !slices.Equal(got, wantCalls) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantCalls, "\n"))
	}
	return res
}

const pinCond = "attribute_exists(#n0) AND #pin0 = :pin0"

// TestPinnedUpdatePinsTheValuesRead: each update requires the pinned
// attribute to hold the value the read returned, or to be absent when the
// read found none, and asks for the stored item should the condition fail.
func TestPinnedUpdatePinsTheValuesRead(t *testing.T) {
	f := newPinFake(counter("a", 1), counter("b", -1))
	runPinned(t, f, "UPDATE 2", 0, []string{
		"UpdateItem Counters key={id=S:a} cond=" + pinCond + " pins=cnt=N:1 old=ALL_OLD",
		"UpdateItem Counters key={id=S:b} cond=attribute_exists(#n0) AND attribute_not_exists(#pin0) pins=cnt=- old=ALL_OLD",
	})
	if got := f.counts(); got != "a=2 b=1" {
		t.Errorf("stored %s, want a=2 b=1", got)
	}
}

// TestPinnedUpdateRetriedAndApplied: the SDK retried a call whose first
// attempt was applied; the retry fails its condition and the stored item
// (ALL_OLD, or a consistent read on a backend that returns none) shows the
// pinned value changed: the item counts as updated, once, and is not
// written again.
func TestPinnedUpdateRetriedAndApplied(t *testing.T) {
	for _, noAllOld := range []bool{false, true} {
		t.Run(fmt.Sprintf("noAllOld=%v", noAllOld), func(t *testing.T) {
			f := newPinFake(counter("a", 1), counter("b", 5))
			f.lose["a"] = true
			f.noAllOld = noAllOld
			want := []string{"UpdateItem Counters key={id=S:a} cond=" + pinCond + " pins=cnt=N:1 old=ALL_OLD"}
			if noAllOld {
				want = append(want, "GetItem Counters key={id=S:a} consistent")
			}
			want = append(want, "UpdateItem Counters key={id=S:b} cond="+pinCond+" pins=cnt=N:5 old=ALL_OLD")
			res := runPinned(t, f, "UPDATE 2", 0, want)
			if res.Matched != 2 || res.RowsAffected != 2 || res.Notices != nil {
				t.Errorf("matched %d, affected %d, notices %q; want 2, 2, none", res.Matched, res.RowsAffected, res.Notices)
			}
			if got := f.counts(); got != "a=2 b=6" {
				t.Errorf("stored %s, want a=2 b=6: each item incremented once", got)
			}
		})
	}
}

// TestPinnedUpdateWhereNoLongerHolds: a failed condition whose pinned
// values are those read means the WHERE failed: skipped, not sent again.
func TestPinnedUpdateWhereNoLongerHolds(t *testing.T) {
	f := newPinFake(counter("a", 1), counter("b", 5))
	f.where = func(it Item) bool { return it["id"].(*types.AttributeValueMemberS).Value != "a" }
	res := runPinned(t, f, "UPDATE 1", 1, []string{
		"UpdateItem Counters key={id=S:a} cond=" + pinCond + " pins=cnt=N:1 old=ALL_OLD",
		"UpdateItem Counters key={id=S:b} cond=" + pinCond + " pins=cnt=N:5 old=ALL_OLD",
	})
	if len(res.Notices) != 1 || !strings.HasPrefix(res.Notices[0], "1 of 2 matching items were skipped") {
		t.Errorf("notices %q", res.Notices)
	}
	if got := f.counts(); got != "a=1 b=6" {
		t.Errorf("stored %s, want a=1 b=6", got)
	}
}

// TestPinnedUpdateItemGone: an item deleted since the read fails the
// condition with no item to return; the consistent read finds none: skipped.
func TestPinnedUpdateItemGone(t *testing.T) {
	f := newPinFake(counter("a", 1), counter("b", 5))
	f.drop["a"] = true
	runPinned(t, f, "UPDATE 1", 1, []string{
		"UpdateItem Counters key={id=S:a} cond=" + pinCond + " pins=cnt=N:1 old=ALL_OLD",
		"GetItem Counters key={id=S:a} consistent",
		"UpdateItem Counters key={id=S:b} cond=" + pinCond + " pins=cnt=N:5 old=ALL_OLD",
	})
	if got := f.counts(); got != "b=6" {
		t.Errorf("stored %s, want b=6", got)
	}
}

// TestPinnedUpdateConcurrentWriter: another writer changed the pinned
// value between the read and the write of a call that was not retried:
// the update is sent again pinned to the value now stored, and both
// increments count.
func TestPinnedUpdateConcurrentWriter(t *testing.T) {
	for _, noAllOld := range []bool{false, true} {
		t.Run(fmt.Sprintf("noAllOld=%v", noAllOld), func(t *testing.T) {
			f := newPinFake(counter("a", 1), counter("b", 5))
			f.bump["a"] = 10
			f.noAllOld = noAllOld
			want := []string{"UpdateItem Counters key={id=S:a} cond=" + pinCond + " pins=cnt=N:1 old=ALL_OLD"}
			if noAllOld {
				want = append(want, "GetItem Counters key={id=S:a} consistent")
			}
			want = append(want,
				"UpdateItem Counters key={id=S:a} cond="+pinCond+" pins=cnt=N:11 old=ALL_OLD",
				"UpdateItem Counters key={id=S:b} cond="+pinCond+" pins=cnt=N:5 old=ALL_OLD")
			runPinned(t, f, "UPDATE 2", 0, want)
			if got := f.counts(); got != "a=12 b=6" {
				t.Errorf("stored %s, want a=12 (the other writer's 10 and this increment) b=6", got)
			}
		})
	}
}

// TestPinnedUpdateGivesUpAfterRetries: an item another writer keeps
// changing is sent 1 + maxPinRetries times, then skipped.
func TestPinnedUpdateGivesUpAfterRetries(t *testing.T) {
	f := newPinFake(counter("a", 0))
	f.bump["a"], f.bumpCalls["a"] = 1, 100
	var want []string
	for i := range maxPinRetries + 1 {
		want = append(want, fmt.Sprintf("UpdateItem Counters key={id=S:a} cond=%s pins=cnt=N:%d old=ALL_OLD", pinCond, i))
	}
	runPinned(t, f, "UPDATE 0", 1, want)
	if got, want := f.counts(), fmt.Sprintf("a=%d", maxPinRetries+1); got != want {
		t.Errorf("stored %s, want %s: only the other writer's changes", got, want)
	}
}

// TestPinnedUpdateReturning: RETURNING ALL NEW returns what each update
// returned, and for the item whose retried first attempt was applied the
// item as stored now.
func TestPinnedUpdateReturning(t *testing.T) {
	f := newPinFake(counter("a", 1), counter("b", 5))
	f.lose["a"] = true
	e := New(f, Options{Concurrency: 1})
	res, err := e.Run(context.Background(), &planner.Plan{Root: incrementEach(parser.ReturnAllNew), Tag: "UPDATE"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for {
		it, err := res.Rows.Next()
		if err != nil {
			break
		}
		rows = append(rows, fakeKeyText(it))
	}
	res.Rows.Close()
	want := []string{"{cnt=N:2,id=S:a}", "{cnt=N:6,id=S:b}"}
	if !slices.Equal(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
	if res.RowsAffected != 2 || res.Skipped != 0 {
		t.Errorf("affected %d, skipped %d; want 2, 0", res.RowsAffected, res.Skipped)
	}
}

// TestUnpinnedUpdateUnchanged: an UPDATE without pins sends the
// statement's condition alone and asks for no item on a failed condition.
func TestUnpinnedUpdateUnchanged(t *testing.T) {
	f := &writeFakeDB{fakeDB: readTables()}
	api := &recordingUpdates{writeFakeDB: f}
	e := New(api, Options{Concurrency: 1})
	node := &planner.WriteEach{Input: ordersKeysRead(""), KeyAttrs: []string{"cust", "n"},
		Update: &planner.UpdateItem{Table: "Orders", Update: "SET #u0 = :u0", Condition: "attribute_exists(#c0)",
			Names:  map[string]string{"#u0": "flag", "#c0": "cust"},
			Values: map[string]parser.Expr{":u0": &parser.Literal{Kind: parser.LitBool, Text: "true"}}}}
	if _, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil); err != nil {
		t.Fatal(err)
	}
	if len(api.inputs) != 5 {
		t.Fatalf("%d updates, want 5", len(api.inputs))
	}
	for _, in := range api.inputs {
		if in.ReturnValuesOnConditionCheckFailure != "" || aws.ToString(in.ConditionExpression) != "attribute_exists(#c0)" ||
			len(in.ExpressionAttributeNames) != 2 || len(in.Key) != 2 {
			t.Errorf("update %s, want the statement's condition and names only", jsonText(in))
		}
	}
}

// recordingUpdates keeps the input of each UpdateItem.
type recordingUpdates struct {
	*writeFakeDB
	inputs []*dynamodb.UpdateItemInput
}

func (r *recordingUpdates) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	r.mu.Lock()
	r.inputs = append(r.inputs, in)
	r.mu.Unlock()
	return r.writeFakeDB.UpdateItem(ctx, in, opts...)
}

// TestMarkedPinnedUpdate runs the increment as a migration does, with a
// mark: an item an earlier run updated (it carries the mark) counts as
// updated without a write; a retried call whose first attempt was applied
// finds its own mark; a retried call whose first attempt never arrived,
// while another writer changed the item, finds no mark and is sent again
// (unmarked, that increment would be counted and lost). The marks are
// removed at the end.
func TestMarkedPinnedUpdate(t *testing.T) {
	marked := counter("c", 8)
	marked[MarkAttribute] = strV("m")
	f := newPinFake(counter("a", 1), counter("b", 5), marked)
	f.miss["a"], f.bump["a"] = true, 10
	f.lose["b"] = true
	f.filters["attribute_exists("+markName+")"] = func(it Item) bool { _, ok := it[MarkAttribute]; return ok }
	var updated []Checkpoint
	ctx := WithWriteCheckpoints(context.Background(), WriteCheckpoints{Mark: "m",
		OnUpdated: func(cp Checkpoint) error { updated = append(updated, cp); return nil }})
	e := New(f, Options{Concurrency: 1})
	res, err := e.Run(ctx, &planner.Plan{Root: incrementEach(parser.ReturnNothing), Tag: "UPDATE"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "UPDATE 3" || res.Skipped != 0 {
		t.Errorf("tag %q, skipped %d; want UPDATE 3, none skipped", res.Tag, res.Skipped)
	}
	if got := f.counts(); got != "a=12 b=6 c=8" {
		t.Errorf("stored %s, want a=12 (the other writer's 10 and this increment) b=6 c=8", got)
	}
	if len(updated) != 1 || !updated[0].Unmarking || updated[0].Written != 3 {
		t.Errorf("checkpoints once every item was updated: %+v", updated)
	}
	var removals int
	for _, l := range f.takeLog() {
		if strings.Contains(l, "cond=attribute_exists("+markName+")") {
			removals++
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, it := range f.tables["Counters"].items {
		if _, ok := it[MarkAttribute]; ok {
			t.Errorf("item %v still marked", it)
		}
	}
	if removals != 3 {
		t.Errorf("%d removals of a mark, want 3", removals)
	}
}
