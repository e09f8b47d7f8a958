package session

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestTransactionControl(t *testing.T) {
	s := New(nil, Config{})
	var notices []string
	s.OnNotice = func(m string) { notices = append(notices, m) }
	run := func(sql string) string {
		t.Helper()
		stmt, err := parser.ParseOne(sql)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Run(context.Background(), stmt, nil)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return res.Tag
	}
	var tags []string
	for _, sql := range []string{"COMMIT", "ROLLBACK", "BEGIN", "START TRANSACTION", "COMMIT", "BEGIN WORK", "ROLLBACK"} {
		tags = append(tags, run(sql))
		if sql == "START TRANSACTION" && !s.InTransaction() {
			t.Errorf("no transaction open after %s", sql)
		}
	}
	if s.InTransaction() {
		t.Error("a transaction is open after ROLLBACK")
	}
	if want := []string{"COMMIT", "ROLLBACK", "BEGIN", "BEGIN", "COMMIT", "BEGIN", "ROLLBACK"}; !reflect.DeepEqual(tags, want) {
		t.Errorf("tags %q, want %q", tags, want)
	}
	want := []string{"there is no transaction in progress", "there is no transaction in progress",
		"there is already a transaction in progress"}
	if !reflect.DeepEqual(notices, want) {
		t.Errorf("notices %q, want %q", notices, want)
	}
	a, b := newToken(), newToken()
	if len(a) != 32 || a == b {
		t.Errorf("tokens %q and %q: want two distinct 32-character tokens", a, b)
	}
}

// readFake is fakeDynamo that also scans (one item) and records whether
// each read asked for a strongly consistent answer.
type readFake struct {
	*fakeDynamo
	consistent []string // "GetItem=true", "Scan=false", ... in call order
}

func (f *readFake) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	f.consistent = append(f.consistent, fmt.Sprintf("GetItem=%t", aws.ToBool(in.ConsistentRead)))
	return f.fakeDynamo.GetItem(ctx, in, opts...)
}

func (f *readFake) Scan(_ context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	f.calls["Scan"]++
	f.consistent = append(f.consistent, fmt.Sprintf("Scan=%t", aws.ToBool(in.ConsistentRead)))
	return &dynamodb.ScanOutput{Items: []map[string]types.AttributeValue{
		{"pk": &types.AttributeValueMemberS{Value: "s"}, "n": &types.AttributeValueMemberS{Value: "7"}}}}, nil
}

// TestReadsInTransactionRunAtOnce checks the rule PostgreSQL drivers rely
// on: inside BEGIN ... COMMIT a SELECT of any shape returns its rows when
// it runs (strongly consistent), writes are collected for COMMIT, the two
// mix, and a transaction that only read sends nothing at COMMIT.
func TestReadsInTransactionRunAtOnce(t *testing.T) {
	f := &readFake{fakeDynamo: newFake()}
	s := New(f, Config{})
	var notices []string
	s.OnNotice = func(m string) { notices = append(notices, m) }
	step := func(sql, wantTag string, wantRows ...string) {
		t.Helper()
		rows, tag, err := runSQL(t, s, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if tag != wantTag || !reflect.DeepEqual(rows, wantRows) {
			t.Errorf("%s: tag %q rows %q, want %q %q", sql, tag, rows, wantTag, wantRows)
		}
	}

	// Outside a transaction reads follow consistent_read (off).
	step("SELECT n FROM t WHERE pk = 'a'", "SELECT", "42")

	// A read-only transaction: each SELECT's rows at once, COMMIT sends
	// nothing.
	step("BEGIN", "BEGIN")
	step("SELECT n FROM t WHERE pk = 'a'", "SELECT", "42")
	step("SELECT pk, n FROM t", "SELECT", "s|7")
	before := maps.Clone(f.calls)
	step("COMMIT", "COMMIT")
	if !reflect.DeepEqual(f.calls, before) {
		t.Errorf("COMMIT of a read-only transaction called DynamoDB: %v, before %v", f.calls, before)
	}
	if s.InTransaction() {
		t.Error("a transaction is open after COMMIT")
	}

	// Reads and writes mix: the writes wait for COMMIT, the reads do not.
	step("BEGIN", "BEGIN")
	step("INSERT INTO t VALUE {'pk': 'b', 'n': '1'}", "INSERT (pending)")
	step("SELECT n FROM t WHERE pk = 'b'", "SELECT", "42")
	if rows, _, err := runSQL(t, s, "EXPLAIN ANALYZE SELECT n FROM t WHERE pk = 'c'"); err != nil ||
		!slices.Contains(rows, "    consistent read: true") || !slices.Contains(rows, "    actual calls: 1") {
		t.Errorf("EXPLAIN ANALYZE in a transaction: %q %v", rows, err)
	}
	step("UPDATE t SET n = '2' WHERE pk = 'c'", "UPDATE (pending)")
	if f.calls["PutItem"]+f.calls["UpdateItem"]+f.calls["TransactWriteItems"] != 0 {
		t.Errorf("writes ran before COMMIT: %v", f.calls)
	}
	step("COMMIT", "COMMIT")
	if f.calls["TransactWriteItems"] != 1 {
		t.Errorf("COMMIT made %d TransactWriteItems calls, want 1", f.calls["TransactWriteItems"])
	}

	want := []string{"GetItem=false", "GetItem=true", "Scan=true", "GetItem=true", "GetItem=true"}
	if !reflect.DeepEqual(f.consistent, want) {
		t.Errorf("reads %q, want %q", f.consistent, want)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "scan") {
		t.Errorf("notices %q, want the full-scan warning", notices)
	}
}

// TestTransactionRefusals checks what a transaction cannot hold: a
// set-based write or DDL fails it (25P02 until it ends, COMMIT rolls
// back), and it holds at most MaxTransactionActions writes.
func TestTransactionRefusals(t *testing.T) {
	f := &readFake{fakeDynamo: newFake()}
	s := New(f, Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow, AllowFullTableWrite: true}})
	for _, sql := range []string{
		"UPDATE t SET n = '0' WHERE n = '1'",
		"DELETE FROM t WHERE n = '1'",
		"INSERT INTO t (pk) VALUES ('x'), ('y')",
		"CREATE TABLE u (pk TEXT, PRIMARY KEY (pk))",
		"EXPLAIN ANALYZE DELETE FROM t WHERE pk = 'a'",
	} {
		if _, _, err := runSQL(t, s, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := runSQL(t, s, sql); sqlerr.Code(err) != sqlerr.FeatureNotSupported {
			t.Errorf("%s in a transaction: %v, want 0A000", sql, err)
		}
		if _, _, err := runSQL(t, s, "SELECT n FROM t WHERE pk = 'a'"); sqlerr.Code(err) != "25P02" {
			t.Errorf("SELECT after %s: %v, want 25P02", sql, err)
		}
		if _, tag, err := runSQL(t, s, "COMMIT"); err != nil || tag != "ROLLBACK" {
			t.Errorf("COMMIT after %s: %q %v, want ROLLBACK", sql, tag, err)
		}
	}
	if n := f.calls["Scan"] + f.calls["PutItem"] + f.calls["TransactWriteItems"]; n != 0 {
		t.Errorf("refused statements called DynamoDB: %v", f.calls)
	}

	if _, _, err := runSQL(t, s, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	for i := range executor.MaxTransactionActions {
		if _, _, err := runSQL(t, s, fmt.Sprintf("DELETE FROM t WHERE pk = 'k%d'", i)); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			// Reads in between are not counted.
			if _, _, err := runSQL(t, s, "SELECT n FROM t WHERE pk = 'a'"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, _, err := runSQL(t, s, "DELETE FROM t WHERE pk = 'one-more'"); sqlerr.Code(err) != sqlerr.ProgramLimitExceeded {
		t.Errorf("write %d: %v, want 54000", executor.MaxTransactionActions+1, err)
	}
	if _, _, err := runSQL(t, s, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
}

// TestPreparedReadInTransaction checks a statement planned before BEGIN:
// executed inside the transaction it reads consistently, and the plan,
// which a front end keeps for later executions, is left as it was.
func TestPreparedReadInTransaction(t *testing.T) {
	f := &readFake{fakeDynamo: newFake()}
	s := New(f, Config{})
	ctx := context.Background()
	stmt, err := parser.ParseOne("SELECT n FROM t WHERE pk = $1")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(ctx, stmt)
	if err != nil {
		t.Fatal(err)
	}
	exec := func() {
		t.Helper()
		res, err := s.Execute(ctx, plan, []types.AttributeValue{&types.AttributeValueMemberS{Value: "a"}})
		if err != nil {
			t.Fatal(err)
		}
		if rows, err := readRows(res); err != nil || !reflect.DeepEqual(rows, []string{"42"}) {
			t.Errorf("rows %q %v", rows, err)
		}
	}
	exec()
	if _, _, err := runSQL(t, s, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	exec()
	if _, _, err := runSQL(t, s, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	exec()
	if want := []string{"GetItem=false", "GetItem=true", "GetItem=false"}; !reflect.DeepEqual(f.consistent, want) {
		t.Errorf("reads %q, want %q", f.consistent, want)
	}
}
