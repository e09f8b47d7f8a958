package enginetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

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

// callLog records the DynamoDB calls a session makes, with whether each
// read asked for strong consistency.
type callLog struct {
	executor.DynamoDB
	mu    sync.Mutex
	calls []string
}

func (c *callLog) add(op string, consistent *bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if consistent != nil {
		op += fmt.Sprintf(" consistent=%t", *consistent)
	}
	c.calls = append(c.calls, op)
}

func (c *callLog) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = nil
	return out
}

func (c *callLog) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.add("GetItem", in.ConsistentRead)
	return c.DynamoDB.GetItem(ctx, in, o...)
}

func (c *callLog) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.add("Query "+aws.ToString(in.IndexName), in.ConsistentRead)
	return c.DynamoDB.Query(ctx, in, o...)
}

func (c *callLog) Scan(ctx context.Context, in *dynamodb.ScanInput, o ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	c.add("Scan", in.ConsistentRead)
	return c.DynamoDB.Scan(ctx, in, o...)
}

func (c *callLog) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.add("TransactWriteItems", nil)
	return c.DynamoDB.TransactWriteItems(ctx, in, o...)
}

// TestReadTransactionEveryBackend runs a read-only transaction as a
// PostgreSQL driver may send it, with statements prepared before BEGIN and
// executed inside with parameters, on every backend, dynalite included:
// each SELECT returns its rows when executed, reads the table and a local
// index strongly consistently and a global index eventually (as DynamoDB
// requires), and COMMIT calls nothing.
func TestReadTransactionEveryBackend(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		sampleSession(t, b)
		log := &callLog{DynamoDB: testbackend.Client(t, b)}
		sess := session.New(log, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
		ctx := context.Background()
		prepare := func(sql string) *planner.Plan {
			t.Helper()
			stmt, err := parser.ParseOne(sql)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := sess.Plan(ctx, stmt)
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			return plan
		}
		execute := func(plan *planner.Plan, params ...types.AttributeValue) (string, []string) {
			t.Helper()
			res, err := sess.Execute(ctx, plan, params)
			if err != nil {
				t.Fatalf("%s: %v", plan.Tag, err)
			}
			if res.Rows == nil {
				return res.Tag, nil
			}
			lines, err := Rows(res, res.Columns)
			if err != nil {
				t.Fatalf("%s: %v", plan.Tag, err)
			}
			return res.Tag, lines
		}
		str := func(s string) []types.AttributeValue {
			return []types.AttributeValue{&types.AttributeValueMemberS{Value: s}}
		}
		steps := []struct {
			sql    string
			params []types.AttributeValue
			rows   []string
			calls  []string // nil: a scan, checked below
			plan   *planner.Plan
		}{
			{sql: `SELECT email FROM Users WHERE userId = $1`, params: str("u002"),
				rows: []string{`{"email":{"S":"chloe.larsen2@example.com"}}`}, calls: []string{"GetItem consistent=true"}},
			{sql: `SELECT userId FROM Users WHERE email = $1`, params: str("rosa.chen1@example.com"),
				rows: []string{`{"userId":{"S":"u001"}}`}, calls: []string{"Query EmailIndex"}},
			{sql: `SELECT playerId FROM GameLeaderboards WHERE gameId = $1 AND score > 98000`, params: str("g1"),
				rows: []string{`{"playerId":{"S":"u031"}}`}, calls: []string{"Query ScoreIndex consistent=true"}},
			{sql: `SELECT COUNT(*) AS n FROM Users WHERE status = 'no such status'`,
				rows: []string{`{"n":{"N":"0"}}`}},
		}
		// Prepared before the transaction, as a driver's statement cache
		// does (this also loads the catalog, whose calls are not checked).
		for i := range steps {
			steps[i].plan = prepare(steps[i].sql)
		}
		begin, commit := prepare("BEGIN"), prepare("COMMIT")
		log.take()

		if tag, _ := execute(begin); tag != "BEGIN" {
			t.Fatalf("BEGIN: %s", tag)
		}
		for _, st := range steps {
			tag, rows := execute(st.plan, st.params...)
			if tag != "SELECT" || !slices.Equal(rows, st.rows) {
				t.Errorf("%s in a transaction: %s %q, want SELECT %q", st.sql, tag, rows, st.rows)
			}
			calls := log.take()
			if st.calls == nil {
				// A scan: as many segments as the table's size asks for,
				// each consistent.
				if len(calls) == 0 {
					t.Errorf("%s: no Scan", st.sql)
				}
				for _, c := range calls {
					if c != "Scan consistent=true" {
						t.Errorf("%s: call %s, want consistent Scans", st.sql, c)
					}
				}
				continue
			}
			if !slices.Equal(calls, st.calls) {
				t.Errorf("%s: calls %q, want %q", st.sql, calls, st.calls)
			}
		}
		if tag, _ := execute(commit); tag != "COMMIT" {
			t.Errorf("COMMIT: %s", tag)
		}
		if calls := log.take(); len(calls) != 0 {
			t.Errorf("COMMIT of a read-only transaction called %q", calls)
		}
		if sess.InTransaction() {
			t.Error("transaction still open after COMMIT")
		}
		// Outside the transaction the same prepared statement reads as
		// planned (consistent_read is off): the transaction changed a
		// copy, not the plan.
		execute(steps[0].plan, steps[0].params...)
		if calls, want := log.take(), []string{"GetItem"}; !slices.Equal(calls, want) {
			t.Errorf("after COMMIT: calls %q, want %q", calls, want)
		}
	})
}
