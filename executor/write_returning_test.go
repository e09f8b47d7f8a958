package executor

import (
	"context"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// returningFakeDB answers the writes of writeFakeDB with the item they
// return, as DynamoDB does for ReturnValues, and logs ReturnValues.
type returningFakeDB struct {
	*writeFakeDB
}

func (r *returningFakeDB) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	out, err := r.writeFakeDB.UpdateItem(ctx, in, opts...)
	r.note("ReturnValues=" + string(in.ReturnValues))
	if err != nil {
		return nil, err
	}
	if in.ReturnValues == types.ReturnValueAllNew {
		out.Attributes = Item{"cust": in.Key["cust"], "n": in.Key["n"], "flag": avBool(true)}
	}
	return out, nil
}

func (r *returningFakeDB) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	out, err := r.writeFakeDB.DeleteItem(ctx, in, opts...)
	r.note("ReturnValues=" + string(in.ReturnValues))
	if err != nil {
		return nil, err
	}
	if in.ReturnValues == types.ReturnValueAllOld {
		out.Attributes = Item{"cust": in.Key["cust"], "n": in.Key["n"], "status": &types.AttributeValueMemberS{Value: "old"}}
	}
	return out, nil
}

// note appends a line to the call log.
func (r *returningFakeDB) note(line string) {
	r.mu.Lock()
	r.log = append(r.log, line)
	r.mu.Unlock()
}

func avBool(b bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: b} }

// drain reads every row of res, each as its key text.
func drain(t *testing.T, res *Result) ([]string, error) {
	t.Helper()
	defer res.Rows.Close()
	var keys []string
	for {
		it, err := res.Rows.Next()
		if err == io.EOF {
			return keys, nil
		}
		if err != nil {
			return keys, err
		}
		keys = append(keys, fakeKeyText(Item{"cust": it["cust"], "n": it["n"]})+" "+fakeKeyText(it))
	}
}

// TestUpdateEachReturning streams the item each update returns (ALL_NEW);
// an item whose condition fails is skipped and returns nothing; the counts
// and notices are complete once the rows are.
func TestUpdateEachReturning(t *testing.T) {
	f := &returningFakeDB{&writeFakeDB{fakeDB: readTables(), failKeys: map[string]bool{"{cust=S:c1,n=N:3}": true}}}
	e := New(f, Options{Concurrency: 1})
	node := &planner.WriteEach{Input: ordersKeysRead(""), KeyAttrs: []string{"cust", "n"},
		Update: &planner.UpdateItem{Table: "Orders", Update: "SET #u0 = :u0", Condition: "attribute_exists(#c0)",
			Names:     map[string]string{"#u0": "flag", "#c0": "cust"},
			Values:    map[string]parser.Expr{":u0": &parser.Literal{Kind: parser.LitBool, Text: "true"}},
			Returning: parser.ReturnAllNew}}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node, Tag: "UPDATE"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows == nil || res.Tag != "UPDATE" {
		t.Fatalf("result %+v, want rows tagged UPDATE", res)
	}
	rows, err := drain(t, res)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"{cust=S:c1,n=N:1} {cust=S:c1,flag=BOOL:true,n=N:1}",
		"{cust=S:c1,n=N:2} {cust=S:c1,flag=BOOL:true,n=N:2}",
		"{cust=S:c1,n=N:4} {cust=S:c1,flag=BOOL:true,n=N:4}",
		"{cust=S:c1,n=N:5} {cust=S:c1,flag=BOOL:true,n=N:5}",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if res.RowsAffected != 4 || res.Matched != 5 || res.Skipped != 1 || len(res.Notices) != 1 {
		t.Errorf("after the rows: affected %d, matched %d, skipped %d, notices %q; want 4, 5, 1 and a notice",
			res.RowsAffected, res.Matched, res.Skipped, res.Notices)
	}
	log := f.takeLog()
	if n := countPrefix(log, "ReturnValues=ALL_NEW"); n != 5 {
		t.Errorf("%d updates asked for ALL_NEW, want 5:\n%s", n, strings.Join(log, "\n"))
	}
}

// TestDeleteEachReturningConcurrent deletes on four workers: every deleted
// item is returned once (ALL_OLD), in the order the deletes complete.
func TestDeleteEachReturningConcurrent(t *testing.T) {
	f := &returningFakeDB{&writeFakeDB{fakeDB: readTables()}}
	e := New(f, Options{Concurrency: 4})
	node := &planner.WriteEach{Input: ordersKeysRead(""), KeyAttrs: []string{"cust", "n"},
		Delete: &planner.DeleteItem{Table: "Orders", Condition: "attribute_exists(#c0)", Names: map[string]string{"#c0": "cust"},
			Returning: parser.ReturnAllOld}}
	res, err := e.Run(context.Background(), &planner.Plan{Root: node, Tag: "DELETE"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := drain(t, res)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(rows)
	if len(rows) != 5 || !strings.HasSuffix(rows[0], "status=S:old}") {
		t.Errorf("rows %q, want the 5 old items", rows)
	}
	if res.RowsAffected != 5 {
		t.Errorf("affected %d, want 5", res.RowsAffected)
	}
}

// TestSetWriteReturningErrorAndClose: a failing write ends the rows with
// the error and the count written; closing the rows early stops the
// writes and waits for those in flight.
func TestSetWriteReturningErrorAndClose(t *testing.T) {
	f := &returningFakeDB{&writeFakeDB{fakeDB: readTables()}}
	node := &planner.WriteEach{Input: ordersKeysRead(""), KeyAttrs: []string{"cust", "n"},
		Delete: &planner.DeleteItem{Table: "Orders", Condition: "attribute_exists(#c0)", Names: map[string]string{"#c0": "cust"},
			Returning: parser.ReturnAllOld}}
	f.fail[f.calls+3] = apiError("ValidationException", "bad")
	e := New(f, Options{Concurrency: 1})
	res, err := e.Run(context.Background(), &planner.Plan{Root: node, Tag: "DELETE"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := drain(t, res)
	se := wantState(t, err, sqlerr.InvalidParameter, "")
	if len(rows) != 2 || !strings.Contains(se.Detail, "2 items were deleted before the statement stopped") {
		t.Errorf("rows %q, detail %q; want 2 rows and 2 deleted", rows, se.Detail)
	}
	f.takeLog()

	res, err = e.Run(context.Background(), &planner.Plan{Root: node, Tag: "DELETE"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := res.Rows.Next(); err != nil {
		t.Fatal(err)
	}
	if err := res.Rows.Close(); err != nil {
		t.Fatal(err)
	}
	// One row read, one waiting in the channel, one write blocked handing
	// its row over when the rows were closed: no further item is written.
	if deletes := countPrefix(f.takeLog(), "DeleteItem"); deletes < 1 || deletes > 3 {
		t.Errorf("%d deletes after reading one row and closing, want 1 to 3", deletes)
	}
	if _, err := res.Rows.Next(); err != io.EOF {
		t.Errorf("Next after Close: %v, want io.EOF", err)
	}
}

func countPrefix(lines []string, prefix string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}
