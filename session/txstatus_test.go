package session

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestTxStatusAndFailedTransaction(t *testing.T) {
	s := New(newFake(), Config{})
	var notices []string
	s.OnNotice = func(m string) { notices = append(notices, m) }
	step := func(sql string, wantStatus byte, wantTag, wantCode string) {
		t.Helper()
		_, tag, err := runSQL(t, s, sql)
		if code := sqlerr.Code(err); code != wantCode && !(wantCode == "" && err == nil) {
			t.Errorf("%s: error %v, want SQLSTATE %q", sql, err, wantCode)
		}
		if err == nil && tag != wantTag {
			t.Errorf("%s: tag %q, want %q", sql, tag, wantTag)
		}
		if got := s.TxStatus(); got != wantStatus {
			t.Errorf("after %s: TxStatus %c, want %c", sql, got, wantStatus)
		}
	}
	step("SHOW server_version", 'I', "SHOW", "")
	step("BEGIN", 'T', "BEGIN", "")
	step("BEGIN", 'T', "BEGIN", "")
	step("INSERT INTO t VALUE {'pk': 'a'}", 'T', "INSERT (pending)", "")
	step("SET extra_float_digits = 9", 'E', "", sqlerr.InvalidParameter)
	step("SHOW server_version", 'E', "", "25P02")
	step("SELECT 1", 'E', "", "25P02")
	step("COMMIT", 'I', "ROLLBACK", "")
	step("COMMIT", 'I', "COMMIT", "")
	step("START TRANSACTION", 'T', "BEGIN", "")
	step("SELECT * FROM nosuch WHERE pk = 'a'", 'E', "", sqlerr.UndefinedTable)
	step("ABORT", 'I', "ROLLBACK", "")
	step("BEGIN", 'T', "BEGIN", "")
	step("END", 'I', "COMMIT", "")
	want := []string{"there is already a transaction in progress", "there is no transaction in progress"}
	if !reflect.DeepEqual(notices, want) {
		t.Errorf("notices %q, want %q", notices, want)
	}

	// A failed transaction refuses planning too; a syntax error reported by
	// the front end fails it.
	step("BEGIN", 'T', "BEGIN", "")
	s.FailTransaction()
	stmt, _ := parser.ParseOne("SELECT 1")
	if _, err := s.Plan(context.Background(), stmt); sqlerr.Code(err) != "25P02" {
		t.Errorf("Plan in a failed transaction: %v", err)
	}
	step("ROLLBACK", 'I', "ROLLBACK", "")
}

func TestSettingsInTransactions(t *testing.T) {
	s := New(newFake(), Config{})
	var changes []string
	s.OnSettingChange = func(name, value string) { changes = append(changes, name+"="+value) }
	var notices []string
	s.OnNotice = func(m string) { notices = append(notices, m) }
	run := func(sql string) {
		t.Helper()
		if _, _, err := runSQL(t, s, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	run("BEGIN")
	run("SET application_name = 'in-tx'")
	run("SET extra_float_digits = 2")
	run("ROLLBACK")
	if got := show(t, s, "application_name"); got != "" {
		t.Errorf("ROLLBACK kept application_name %q", got)
	}
	if got := show(t, s, "extra_float_digits"); got != "1" {
		t.Errorf("ROLLBACK kept extra_float_digits %q", got)
	}
	run("BEGIN")
	run("SET LOCAL TimeZone = 'Asia/Tokyo'")
	if got := show(t, s, "TimeZone"); got != "Asia/Tokyo" {
		t.Errorf("SET LOCAL inside the transaction: %q", got)
	}
	run("SET statement_timeout = '3s'")
	run("COMMIT")
	if got := show(t, s, "TimeZone"); got != "UTC" {
		t.Errorf("SET LOCAL outlived COMMIT: %q", got)
	}
	if got := show(t, s, "statement_timeout"); got != "3s" {
		t.Errorf("SET lost at COMMIT: %q", got)
	}
	if want := []string{"application_name=in-tx", "application_name=", "TimeZone=Asia/Tokyo", "TimeZone=UTC"}; !reflect.DeepEqual(changes, want) {
		t.Errorf("OnSettingChange %q, want %q", changes, want)
	}
	run("SET LOCAL TimeZone = 'Asia/Tokyo'")
	run("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
	if want := []string{"SET LOCAL can only be used in transaction blocks", "SET TRANSACTION can only be used in transaction blocks"}; !reflect.DeepEqual(notices, want) {
		t.Errorf("notices %q, want %q", notices, want)
	}

	run("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY")
	if got := show(t, s, "transaction_isolation"); got != "serializable" {
		t.Errorf("transaction_isolation in BEGIN ISOLATION LEVEL SERIALIZABLE: %q", got)
	}
	if got := show(t, s, "transaction_read_only"); got != "on" {
		t.Errorf("transaction_read_only in BEGIN READ ONLY: %q", got)
	}
	_, _, err := runSQL(t, s, "INSERT INTO t VALUE {'pk': 'a'}")
	if e := sqlerr.As(err); e == nil || e.Code != sqlerr.ReadOnlyTransaction || e.Message != "cannot execute INSERT in a read-only transaction" {
		t.Errorf("INSERT in a READ ONLY transaction: %v", err)
	}
	run("ROLLBACK")
	if got := show(t, s, "transaction_isolation"); got != "read committed" {
		t.Errorf("transaction_isolation after the transaction: %q", got)
	}
	run("BEGIN")
	run("INSERT INTO t VALUE {'pk': 'a'}")
	if _, _, err := runSQL(t, s, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"); sqlerr.Code(err) != "25001" {
		t.Errorf("SET TRANSACTION after a statement: %v", err)
	}
	run("ROLLBACK")
	if _, _, err := runSQL(t, s, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runSQL(t, s, "DISCARD ALL"); sqlerr.Code(err) != "25001" {
		t.Errorf("DISCARD ALL in a transaction: %v", err)
	}
	run("ROLLBACK")
}

func TestReadOnlySession(t *testing.T) {
	f := newFake()
	s := New(f, Config{ReadOnly: true})
	if got := show(t, s, "default_transaction_read_only"); got != "on" {
		t.Errorf("default_transaction_read_only of a read-only session: %q", got)
	}
	for sql, verb := range map[string]string{
		"INSERT INTO t VALUE {'pk': 'a'}":              "INSERT",
		"UPSERT INTO t VALUE {'pk': 'a'}":              "UPSERT",
		"UPDATE t SET n = 1 WHERE pk = 'a'":            "UPDATE",
		"DELETE FROM t WHERE pk = 'a'":                 "DELETE",
		"CREATE TABLE u (pk TEXT, PRIMARY KEY (pk))":   "CREATE TABLE",
		"DROP TABLE t":                                 "DROP TABLE",
		"EXPLAIN ANALYZE DELETE FROM t WHERE pk = 'a'": "DELETE",
	} {
		_, _, err := runSQL(t, s, sql)
		if e := sqlerr.As(err); err == nil || e.Code != sqlerr.ReadOnlyTransaction || e.Message != "cannot execute "+verb+" in a read-only transaction" {
			t.Errorf("%s: %v", sql, err)
		}
	}
	if f.calls["PutItem"] != 0 {
		t.Errorf("a read-only session wrote: %v", f.calls)
	}
	if _, _, err := runSQL(t, s, "SELECT n FROM t WHERE pk = 'a'"); err != nil {
		t.Errorf("a read-only session cannot read: %v", err)
	}
	if _, _, err := runSQL(t, s, "SET default_transaction_read_only = off"); sqlerr.Code(err) != sqlerr.ReadOnlyTransaction {
		t.Errorf("turning a read-only session writable: %v", err)
	}

	w := New(newFake(), Config{})
	if _, _, err := runSQL(t, w, "SET default_transaction_read_only = on"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runSQL(t, w, "INSERT INTO t VALUE {'pk': 'a'}"); sqlerr.Code(err) != sqlerr.ReadOnlyTransaction {
		t.Errorf("INSERT with default_transaction_read_only on: %v", err)
	}
	if _, _, err := runSQL(t, w, "BEGIN READ WRITE"); err != nil {
		t.Fatal(err)
	}
	if _, tag, err := runSQL(t, w, "INSERT INTO t VALUE {'pk': 'a'}"); err != nil || tag != "INSERT (pending)" {
		t.Errorf("INSERT in BEGIN READ WRITE: %q %v", tag, err)
	}
}

func TestStatementTimeout(t *testing.T) {
	f := newFake()
	f.slow = true
	s := New(f, Config{})
	if _, _, err := runSQL(t, s, "SET statement_timeout = 20"); err != nil {
		t.Fatal(err)
	}
	_, _, err := runSQL(t, s, "SELECT * FROM t WHERE pk = 'a'")
	if e := sqlerr.As(err); err == nil || e.Code != sqlerr.QueryCanceled || e.Message != "canceling statement due to statement timeout" {
		t.Fatalf("slow GetItem under statement_timeout: %v", err)
	}
	// A cancellation by the caller is not reported as a timeout.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stmt, _ := parser.ParseOne("SELECT * FROM t WHERE pk = 'a'")
	res, err := s.Run(ctx, stmt, nil)
	if err == nil {
		_, err = readRows(res)
	}
	if err == nil || strings.Contains(err.Error(), "statement timeout") {
		t.Errorf("canceled statement: %v", err)
	}
	// Without a timeout the statement runs to completion.
	f.slow = false
	if _, _, err := runSQL(t, s, "RESET statement_timeout"); err != nil {
		t.Fatal(err)
	}
	rows, _, err := runSQL(t, s, "SELECT n::int AS n FROM t WHERE pk = 'a'")
	if err != nil || !reflect.DeepEqual(rows, []string{"42"}) {
		t.Errorf("after RESET: %q %v", rows, err)
	}
}

func TestPlanThenExecuteEveryStatement(t *testing.T) {
	s := New(newFake(), Config{})
	ctx := context.Background()
	plans := map[string]bool{}
	for _, sql := range []string{"BEGIN", "SET LOCAL application_name = 'x'", "SHOW application_name", "INSERT INTO t VALUE {'pk': 'b'}", "COMMIT",
		"SET TIME ZONE 'UTC'", "SHOW ALL", "DISCARD ALL", "DEALLOCATE ALL", "ANALYZE t", "ANALYZE", "RESET ALL"} {
		stmt, err := parser.ParseOne(sql)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := s.Plan(ctx, stmt)
		if err != nil {
			t.Fatalf("Plan(%s): %v", sql, err)
		}
		res, err := s.Execute(ctx, plan, nil)
		if err != nil {
			t.Fatalf("Execute(%s): %v", sql, err)
		}
		if _, err := readRows(res); err != nil {
			t.Fatal(err)
		}
		plans[sql] = true
		if sql == "BEGIN" && s.TxStatus() != 'T' || sql == "COMMIT" && s.TxStatus() != 'I' {
			t.Errorf("after executing %s: TxStatus %c", sql, s.TxStatus())
		}
		if sql == "SHOW ALL" && !reflect.DeepEqual(plan.Columns, []string{"name", "setting", "description"}) {
			t.Errorf("SHOW ALL columns %q", plan.Columns)
		}
	}
	var dropped []string
	s.OnDeallocate = func(name string) error { dropped = append(dropped, name); return nil }
	for _, sql := range []string{"DEALLOCATE PREPARE s1", "DEALLOCATE ALL", "DISCARD PLANS", "DISCARD ALL", "DISCARD TEMP"} {
		if _, _, err := runSQL(t, s, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if want := []string{"s1", "", "", ""}; !reflect.DeepEqual(dropped, want) {
		t.Errorf("OnDeallocate calls %q, want %q", dropped, want)
	}
}
