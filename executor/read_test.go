package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// readTables is a fake with two tables:
//
//	Users  (id S)          u1 … u5, each with a name
//	Orders (cust S, n N)   c1: n 1…5, c2: n 1…4; status 'open' or 'done',
//	                       and a total; index ByStatus (status, n), keys only
func readTables() *fakeDB {
	f := newFake()
	var users []Item
	for i := 1; i <= 5; i++ {
		users = append(users, Item{"id": strV(fmt.Sprintf("u%d", i)), "name": strV(fmt.Sprintf("user %d", i))})
	}
	f.addTable("Users", "id", "", users...)
	var orders []Item
	for _, c := range []struct {
		cust string
		n    int
	}{{"c1", 5}, {"c2", 4}} {
		for i := 1; i <= c.n; i++ {
			status := "open"
			if i%2 == 0 {
				status = "done"
			}
			orders = append(orders, Item{"cust": strV(c.cust), "n": numV(fmt.Sprint(i)),
				"status": strV(status), "total": numV(fmt.Sprintf("%d.50", 10*i))})
		}
	}
	t := f.addTable("Orders", "cust", "n", orders...)
	t.indexes["ByStatus"] = fakeIndex{pk: "status", sk: "n", keysOnly: true}
	return f
}

// collectRows runs node and reads all its rows.
func collectRows(t *testing.T, e *Executor, node planner.Node, params ...types.AttributeValue) ([]Item, error) {
	t.Helper()
	return collectRowsCtx(context.Background(), t, e, node, params...)
}

func collectRowsCtx(ctx context.Context, t *testing.T, e *Executor, node planner.Node, params ...types.AttributeValue) ([]Item, error) {
	t.Helper()
	res, err := e.Run(ctx, &planner.Plan{Root: node}, params)
	if err != nil {
		return nil, err
	}
	defer res.Rows.Close()
	var rows []Item
	for {
		row, err := res.Rows.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
}

// itemsText renders rows one per line.
func itemsText(rows []Item) string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = fakeKeyText(r)
	}
	return strings.Join(lines, "\n")
}

// sortedItemsText renders rows in sorted order, for reads whose order is
// not defined.
func sortedItemsText(rows []Item) string {
	lines := strings.Split(itemsText(rows), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func sameLines(t *testing.T, what, got, want string) {
	t.Helper()
	got, want = strings.TrimSpace(got), strings.TrimSpace(unindent(want))
	if got != want {
		t.Errorf("%s:\n got:\n%s\nwant:\n%s", what, got, want)
	}
}

// unindent removes the tabs that indent a raw string literal in a test.
func unindent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t")
	}
	return strings.Join(lines, "\n")
}

func sameCallLog(t *testing.T, f *fakeDB, want string) {
	t.Helper()
	sameLines(t, "call log", strings.Join(f.takeLog(), "\n"), want)
}

func sameCallSet(t *testing.T, f *fakeDB, want string) {
	t.Helper()
	got := f.takeLog()
	slices.Sort(got)
	w := strings.Split(strings.TrimSpace(unindent(want)), "\n")
	slices.Sort(w)
	sameLines(t, "call log (sorted)", strings.Join(got, "\n"), strings.Join(w, "\n"))
}

func wantCodeOf(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil || sqlerr.Code(err) != code {
		t.Fatalf("error = %v (SQLSTATE %s), want SQLSTATE %s", err, sqlerr.Code(err), code)
	}
}

func seqExecutor(f *fakeDB) *Executor { return New(f, Options{Concurrency: 1}) }

func TestScanPagesUntilNoLastEvaluatedKey(t *testing.T) {
	f := readTables()
	f.pageSize = 2
	rows, err := collectRows(t, seqExecutor(f), &planner.Read{Path: planner.Scan, Table: "Users", Segments: 1,
		Projection: "#n0", Names: map[string]string{"#n0": "id"}})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), `
		{id=S:u1}
		{id=S:u2}
		{id=S:u3}
		{id=S:u4}
		{id=S:u5}`)
	sameCallLog(t, f, `
		Scan Users proj=#n0 limit=0 start=-
		Scan Users proj=#n0 limit=0 start={id=S:u2}
		Scan Users proj=#n0 limit=0 start={id=S:u4}`)
}

func TestQueryPagesWithPageSize(t *testing.T) {
	f := readTables()
	read := func(cust string, desc bool) *planner.Read {
		return &planner.Read{Path: planner.Query, Table: "Orders", PartitionKey: "cust",
			PartitionValues: []parser.Expr{xStr(cust)}, KeyCondition: "#n0 = :pk",
			Names: map[string]string{"#n0": "cust", "#n1": "n"}, Projection: "#n1",
			PageSize: 2, Descending: desc}
	}
	rows, err := collectRows(t, seqExecutor(f), read("c1", false))
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), "{n=N:1}\n{n=N:2}\n{n=N:3}\n{n=N:4}\n{n=N:5}")
	sameCallLog(t, f, `
		Query Orders key=#n0 = :pk pk=S:c1 proj=#n1 limit=2 start=-
		Query Orders key=#n0 = :pk pk=S:c1 proj=#n1 limit=2 start={cust=S:c1,n=N:2}
		Query Orders key=#n0 = :pk pk=S:c1 proj=#n1 limit=2 start={cust=S:c1,n=N:4}`)

	// c2 has 4 items: the second page ends at the limit, so DynamoDB
	// returns a LastEvaluatedKey and the third page is empty.
	rows, err = collectRows(t, seqExecutor(f), read("c2", true))
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), "{n=N:4}\n{n=N:3}\n{n=N:2}\n{n=N:1}")
	sameCallLog(t, f, `
		Query Orders key=#n0 = :pk pk=S:c2 proj=#n1 desc limit=2 start=-
		Query Orders key=#n0 = :pk pk=S:c2 proj=#n1 desc limit=2 start={cust=S:c2,n=N:3}
		Query Orders key=#n0 = :pk pk=S:c2 proj=#n1 desc limit=2 start={cust=S:c2,n=N:1}`)
}

func TestQueryWithSortKeyConditionAndFilter(t *testing.T) {
	f := readTables()
	f.filters["#n2 = :v1"] = func(it Item) bool { return it["status"].(*types.AttributeValueMemberS).Value == "open" }
	rows, err := collectRows(t, seqExecutor(f), &planner.Read{Path: planner.Query, Table: "Orders", PartitionKey: "cust",
		PartitionValues: []parser.Expr{xParam(0)}, KeyCondition: "#n0 = :pk AND #n1 >= :v0", Filter: "#n2 = :v1",
		Names:  map[string]string{"#n0": "cust", "#n1": "n", "#n2": "status"},
		Values: map[string]parser.Expr{":v0": xNum("2"), ":v1": xStr("open")}, ConsistentRead: true}, strV("c1"))
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), `
		{cust=S:c1,n=N:3,status=S:open,total=N:30.50}
		{cust=S:c1,n=N:5,status=S:open,total=N:50.50}`)
	sameCallLog(t, f, `Query Orders key=#n0 = :pk AND #n1 >= :v0 pk=S:c1 filter=#n2 = :v1 consistent limit=0 start=-`)
}

func TestQueryInListRunsConcurrently(t *testing.T) {
	f := readTables()
	f.pageSize = 3
	e := New(f, Options{Concurrency: 4})
	rows, err := collectRows(t, e, &planner.Read{Path: planner.Query, Table: "Orders", PartitionKey: "cust",
		PartitionValues: []parser.Expr{xStr("c1"), xStr("c2"), xStr("c3")}, KeyCondition: "#n0 = :pk",
		Names: map[string]string{"#n0": "cust", "#n1": "n"}, Projection: "#n0, #n1"})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", sortedItemsText(rows), `
		{cust=S:c1,n=N:1}
		{cust=S:c1,n=N:2}
		{cust=S:c1,n=N:3}
		{cust=S:c1,n=N:4}
		{cust=S:c1,n=N:5}
		{cust=S:c2,n=N:1}
		{cust=S:c2,n=N:2}
		{cust=S:c2,n=N:3}
		{cust=S:c2,n=N:4}`)
	sameCallSet(t, f, `
		Query Orders key=#n0 = :pk pk=S:c1 proj=#n0, #n1 limit=0 start=-
		Query Orders key=#n0 = :pk pk=S:c1 proj=#n0, #n1 limit=0 start={cust=S:c1,n=N:3}
		Query Orders key=#n0 = :pk pk=S:c2 proj=#n0, #n1 limit=0 start=-
		Query Orders key=#n0 = :pk pk=S:c2 proj=#n0, #n1 limit=0 start={cust=S:c2,n=N:3}
		Query Orders key=#n0 = :pk pk=S:c3 proj=#n0, #n1 limit=0 start=-`)
}

func TestCountSumsEveryPage(t *testing.T) {
	f := readTables()
	f.pageSize = 2
	rows, err := collectRows(t, seqExecutor(f), &planner.Read{Path: planner.Query, Table: "Orders", PartitionKey: "cust",
		PartitionValues: []parser.Expr{xStr("c1"), xStr("c2")}, KeyCondition: "#n0 = :pk",
		Names: map[string]string{"#n0": "cust"}, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), "{count=N:9}")
	sameCallLog(t, f, `
		Query Orders key=#n0 = :pk pk=S:c1 select=COUNT limit=0 start=-
		Query Orders key=#n0 = :pk pk=S:c1 select=COUNT limit=0 start={cust=S:c1,n=N:2}
		Query Orders key=#n0 = :pk pk=S:c1 select=COUNT limit=0 start={cust=S:c1,n=N:4}
		Query Orders key=#n0 = :pk pk=S:c2 select=COUNT limit=0 start=-
		Query Orders key=#n0 = :pk pk=S:c2 select=COUNT limit=0 start={cust=S:c2,n=N:2}`)

	rows, err = collectRows(t, New(f, Options{Concurrency: 3}), &planner.Read{Path: planner.Scan, Table: "Orders", Segments: 3, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), "{count=N:9}")
}

func TestParallelScanReadsEverySegment(t *testing.T) {
	f := readTables()
	e := New(f, Options{Concurrency: 4})
	rows, err := collectRows(t, e, &planner.Read{Path: planner.Scan, Table: "Users", Segments: 4, FullScan: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("rows:\n%s", itemsText(rows))
	}
	sameCallSet(t, f, `
		Scan Users segment=0/4 limit=0 start=-
		Scan Users segment=1/4 limit=0 start=-
		Scan Users segment=2/4 limit=0 start=-
		Scan Users segment=3/4 limit=0 start=-`)
}

func TestGetItem(t *testing.T) {
	f := readTables()
	e := seqExecutor(f)
	get := func(id string) *planner.Read {
		return &planner.Read{Path: planner.GetItem, Table: "Users",
			Keys: []planner.Key{{{Attr: "id", Value: xStr(id)}}}, ConsistentRead: true}
	}
	rows, err := collectRows(t, e, get("u2"))
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), "{id=S:u2,name=S:user 2}")
	rows, err = collectRows(t, e, get("u9"))
	if err != nil || len(rows) != 0 {
		t.Fatalf("missing item: %v, %v", rows, err)
	}
	sameCallLog(t, f, `
		GetItem Users key={id=S:u2} consistent
		GetItem Users key={id=S:u9} consistent`)
}

func TestGetItemUnknownTable(t *testing.T) {
	f := readTables()
	_, err := collectRows(t, seqExecutor(f), &planner.Read{Path: planner.GetItem, Table: "Nope",
		Keys: []planner.Key{{{Attr: "id", Value: xStr("x")}}}})
	wantCodeOf(t, err, sqlerr.UndefinedTable)
}

func TestBatchGetItemDedupesKeys(t *testing.T) {
	f := readTables()
	f.addTable("Nums", "k", "", Item{"k": numV("1")}, Item{"k": numV("2")})
	rows, err := collectRows(t, seqExecutor(f), &planner.Read{Path: planner.BatchGetItem, Table: "Nums",
		Keys: []planner.Key{{{Attr: "k", Value: xNum("1")}}, {{Attr: "k", Value: xNum("2")}},
			{{Attr: "k", Value: xNum("1.0")}}, {{Attr: "k", Value: xNum("3")}}},
		Projection: "#n0", Names: map[string]string{"#n0": "k"}})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", sortedItemsText(rows), "{k=N:1}\n{k=N:2}")
	sameCallLog(t, f, `BatchGetItem Nums keys={k=N:1} {k=N:2} {k=N:3} proj=#n0`)
}

// instantBackoff makes BatchGetItem retries immediate for the test.
func instantBackoff(t *testing.T) {
	old := batchBackoff
	batchBackoff = backoff{base: time.Microsecond, max: time.Microsecond}
	t.Cleanup(func() { batchBackoff = old })
}

func TestBatchGetItemChunksAndRetriesUnprocessedKeys(t *testing.T) {
	instantBackoff(t)
	f := newFake()
	var items []Item
	var keys []planner.Key
	for i := range 250 {
		id := strV(fmt.Sprintf("k%03d", i))
		items = append(items, Item{"id": id})
		keys = append(keys, planner.Key{{Attr: "id", Value: xStr(fmt.Sprintf("k%03d", i))}})
	}
	f.addTable("T", "id", "", items...)
	f.unprocessed[0] = 30 // the first call leaves k070…k099
	f.unprocessed[1] = 30 // its retry processes nothing
	f.unprocessed[3] = 1  // the second chunk leaves k199
	rows, err := collectRows(t, seqExecutor(f), &planner.Read{Path: planner.BatchGetItem, Table: "T", Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 250 {
		t.Fatalf("%d rows", len(rows))
	}
	sameCallLog(t, f, `
		BatchGetItem T keys=100 keys {id=S:k000} … {id=S:k099}
		BatchGetItem T keys=30 keys {id=S:k070} … {id=S:k099}
		BatchGetItem T keys=30 keys {id=S:k070} … {id=S:k099}
		BatchGetItem T keys=100 keys {id=S:k100} … {id=S:k199}
		BatchGetItem T keys={id=S:k199}
		BatchGetItem T keys=50 keys {id=S:k200} … {id=S:k249}`)

	// Concurrently, the same calls are made in some order.
	f.batchCalls = 0
	f.unprocessed = map[int]int{0: 10}
	rows, err = collectRows(t, New(f, Options{Concurrency: 3}), &planner.Read{Path: planner.BatchGetItem, Table: "T", Keys: keys})
	if err != nil || len(rows) != 250 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if log := f.takeLog(); len(log) != 4 {
		t.Errorf("log:\n%s", strings.Join(log, "\n"))
	}
}

func TestBatchGetItemBackoffHonoursCancel(t *testing.T) {
	old := batchBackoff
	batchBackoff = backoff{base: time.Hour, max: time.Hour}
	t.Cleanup(func() { batchBackoff = old })
	f := readTables()
	f.unprocessed[0] = 1
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := collectRowsCtx(ctx, t, seqExecutor(f), &planner.Read{Path: planner.BatchGetItem, Table: "Users",
		Keys: []planner.Key{{{Attr: "id", Value: xStr("u1")}}}})
	wantCodeOf(t, err, sqlerr.QueryCanceled)
	if time.Since(start) > 10*time.Second {
		t.Error("the backoff ignored the cancellation")
	}
}

func TestFetchCompletesIndexReads(t *testing.T) {
	instantBackoff(t)
	f := readTables()
	// The item c1/3 is deleted between the index read and the fetch.
	f.onCall = func(n int) {
		if n == 1 {
			t := f.tables["Orders"]
			t.items = slices.DeleteFunc(t.items, func(it Item) bool {
				return fakeKeyText(Item{"cust": it["cust"], "n": it["n"]}) == "{cust=S:c1,n=N:3}"
			})
		}
	}
	f.unprocessed[0] = 1
	rows, err := collectRows(t, seqExecutor(f), &planner.Read{Path: planner.Query, Table: "Orders", Index: "ByStatus",
		PartitionKey: "status", PartitionValues: []parser.Expr{xStr("open")}, KeyCondition: "#n0 = :pk",
		Names: map[string]string{"#n0": "status", "#n1": "cust", "#n2": "n"}, Projection: "#n1, #n2",
		Fetch: &planner.Fetch{KeyAttrs: []string{"cust", "n"}, Projection: "#n0, #n1",
			Names: map[string]string{"#n0": "total", "#n1": "n"}}})
	if err != nil {
		t.Fatal(err)
	}
	// In the index's order (by n), without the cust attribute the fetch
	// added to its projection to match items with keys.
	sameLines(t, "rows", itemsText(rows), `
		{n=N:1,total=N:10.50}
		{n=N:1,total=N:10.50}
		{n=N:3,total=N:30.50}
		{n=N:5,total=N:50.50}`)
	sameCallLog(t, f, `
		Query Orders index=ByStatus key=#n0 = :pk pk=S:open proj=#n1, #n2 limit=0 start=-
		BatchGetItem Orders keys=5 keys {cust=S:c1,n=N:1} … {cust=S:c1,n=N:5} proj=#n0, #n1, #fetchkey0
		BatchGetItem Orders keys={cust=S:c1,n=N:5} proj=#n0, #n1, #fetchkey0`)
}

func TestLimitStopsPaging(t *testing.T) {
	f := readTables()
	f.pageSize = 2
	rows, err := collectRows(t, seqExecutor(f), &planner.Limit{Count: xNum("3"),
		Input: &planner.Read{Path: planner.Scan, Table: "Users", Segments: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("rows:\n%s", itemsText(rows))
	}
	sameCallLog(t, f, `
		Scan Users limit=0 start=-
		Scan Users limit=0 start={id=S:u2}`)

	// LIMIT 0 makes no call at all; OFFSET skips rows.
	rows, err = collectRows(t, seqExecutor(f), &planner.Limit{Count: xNum("0"),
		Input: &planner.Read{Path: planner.Scan, Table: "Users", Segments: 1}})
	if err != nil || len(rows) != 0 {
		t.Fatalf("LIMIT 0: %v, %v", rows, err)
	}
	sameCallLog(t, f, "")
	rows, err = collectRows(t, seqExecutor(f), &planner.Limit{Count: xParam(0), Offset: xNum("3"),
		Input: &planner.Read{Path: planner.Scan, Table: "Users", Segments: 1, Projection: "#n0",
			Names: map[string]string{"#n0": "id"}}}, numV("1"))
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), "{id=S:u4}")
}

func TestEmptyPagesWithLastEvaluatedKeyContinue(t *testing.T) {
	f := readTables()
	f.pageSize = 2
	f.filters["#n0 = :v0"] = func(it Item) bool { return it["id"].(*types.AttributeValueMemberS).Value == "u5" }
	rows, err := collectRows(t, seqExecutor(f), &planner.Read{Path: planner.Scan, Table: "Users", Segments: 1,
		Filter: "#n0 = :v0", Names: map[string]string{"#n0": "id"}, Values: map[string]parser.Expr{":v0": xStr("u5")}})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), "{id=S:u5,name=S:user 5}")
	sameCallLog(t, f, `
		Scan Users filter=#n0 = :v0 limit=0 start=-
		Scan Users filter=#n0 = :v0 limit=0 start={id=S:u2}
		Scan Users filter=#n0 = :v0 limit=0 start={id=S:u4}`)
}

func TestThrottlingErrorStopsTheRead(t *testing.T) {
	for _, conc := range []int{1, 4} {
		f := readTables()
		f.pageSize = 1
		f.fail[2] = &types.ProvisionedThroughputExceededException{Message: aws.String("Rate exceeded")}
		base := runtime.NumGoroutine()
		_, err := collectRows(t, New(f, Options{Concurrency: conc}), &planner.Read{Path: planner.Scan, Table: "Users", Segments: conc})
		wantCodeOf(t, err, sqlerr.InsufficientResource)
		waitForGoroutines(t, base)
	}
}

// waitForGoroutines fails t unless the number of goroutines falls back to base.
func waitForGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, want %d:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCancelIsQueryCanceled(t *testing.T) {
	f := readTables()
	f.pageSize = 1
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.onCall = func(n int) {
		if n == 2 {
			cancel()
		}
	}
	rows, err := collectRowsCtx(ctx, t, seqExecutor(f), &planner.Read{Path: planner.Scan, Table: "Users", Segments: 1})
	wantCodeOf(t, err, sqlerr.QueryCanceled)
	if len(rows) != 2 {
		t.Errorf("%d rows before the cancel", len(rows))
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error does not wrap context.Canceled: %v", err)
	}
}

func TestCloseStopsEveryWorker(t *testing.T) {
	base := runtime.NumGoroutine()
	f := readTables()
	f.gate = make(chan struct{}) // every call waits until cancelled
	e := New(f, Options{Concurrency: 8})
	res, err := e.Run(context.Background(), &planner.Plan{Root: &planner.Read{Path: planner.Scan, Table: "Users", Segments: 8}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.NumGoroutine() > base {
		t.Errorf("goroutines started before the first Next")
	}
	done := make(chan error)
	go func() {
		_, err := res.Rows.Next()
		done <- err
	}()
	for len(f.takeLogPeek()) < 8 {
		time.Sleep(time.Millisecond)
	}
	res.Rows.Close()
	if err := <-done; err != io.EOF {
		t.Errorf("Next after Close = %v, want io.EOF", err)
	}
	res.Rows.Close() // twice is fine
	waitForGoroutines(t, base)
}

func TestCancelStopsEveryWorker(t *testing.T) {
	base := runtime.NumGoroutine()
	f := readTables()
	f.gate = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	f.onCall = func(n int) {
		if n == 7 {
			cancel()
		}
	}
	_, err := collectRowsCtx(ctx, t, New(f, Options{Concurrency: 8}), &planner.Read{Path: planner.Scan, Table: "Users", Segments: 8})
	wantCodeOf(t, err, sqlerr.QueryCanceled)
	waitForGoroutines(t, base)
}

// takeLogPeek returns the log without emptying it.
func (f *fakeDB) takeLogPeek() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.log)
}

func TestProgressReports(t *testing.T) {
	old := progressInterval
	progressInterval = 0
	t.Cleanup(func() { progressInterval = old })
	f := readTables()
	f.pageSize = 2
	var reports []Progress
	e := New(f, Options{Concurrency: 1, OnProgress: func(p Progress) { reports = append(reports, p) }})
	if _, err := collectRows(t, e, &planner.Read{Path: planner.Scan, Table: "Users", Segments: 1}); err != nil {
		t.Fatal(err)
	}
	if len(reports) == 0 {
		t.Fatal("no progress reported")
	}
	last := reports[len(reports)-1]
	if last.Calls != 3 || last.Pages != 3 || last.Scanned != 5 || last.Returned != 5 || last.Capacity != 1.5 {
		t.Errorf("last report %+v", last)
	}
}
