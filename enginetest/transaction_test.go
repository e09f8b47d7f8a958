package enginetest

import (
	"context"
	"testing"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// TestCommitSameTokenAppliesOnce sends one transaction incrementing a
// counter twice with the same ClientRequestToken, as a retried COMMIT does:
// DynamoDB applies it once. A new token applies it again.
func TestCommitSameTokenAppliesOnce(t *testing.T) {
	b := testbackend.Get(t, "dynamodb-local")
	b.Require(t, testbackend.Capabilities{Transactions: true})
	client := testbackend.Client(t, b)
	sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
	ctx := context.Background()
	table := testbackend.TableName(t, "txtoken")
	run(t, sess, `CREATE TABLE "`+table+`" (pk TEXT, PRIMARY KEY (pk))`)
	defer run(t, sess, `DROP TABLE "`+table+`"`)
	run(t, sess, `INSERT INTO "`+table+`" VALUE {'pk': 'c', 'n': 0}`)

	stmt, err := parser.ParseOne(`UPDATE "` + table + `" SET n = n + 1 WHERE pk = 'c'`)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := sess.Plan(ctx, stmt)
	if err != nil {
		t.Fatal(err)
	}
	e := executor.New(client, executor.Options{})
	a, err := e.PrepareTx(plan, nil, parser.Format(stmt))
	if err != nil {
		t.Fatal(err)
	}
	counter := func() string {
		t.Helper()
		lines := tableLines(t, sess, table)
		if len(lines) != 1 {
			t.Fatalf("table holds %q", lines)
		}
		return lines[0]
	}
	for range 2 {
		if _, err := e.CommitWrites(ctx, []*executor.TxAction{a}, "token-once"); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := counter(), `{"n":{"N":"1"},"pk":{"S":"c"}}`; got != want {
		t.Fatalf("after two commits with one token: %s, want %s", got, want)
	}
	if _, err := e.CommitWrites(ctx, []*executor.TxAction{a}, "token-twice"); err != nil {
		t.Fatal(err)
	}
	if got, want := counter(), `{"n":{"N":"2"},"pk":{"S":"c"}}`; got != want {
		t.Fatalf("after a commit with another token: %s, want %s", got, want)
	}
}
