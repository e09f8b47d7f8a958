package session

import (
	"context"
	"reflect"
	"testing"

	"github.com/ddbsql/ddbsql/parser"
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
