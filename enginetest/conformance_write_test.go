package enginetest

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// TestConformanceWrites runs testdata/conformance/write.sql through DynamoDB
// Local's ExecuteStatement on one table and through ddbsql on an identical
// one, comparing outcomes and table contents after every statement.
func TestConformanceWrites(t *testing.T) {
	b := testbackend.Get(t, "dynamodb-local")
	b.Require(t, testbackend.Capabilities{PartiQL: true})
	client := testbackend.Client(t, b)
	sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
	ctx := context.Background()

	ref, ours := testbackend.TableName(t, "cw_ref"), testbackend.TableName(t, "cw_ours")
	for _, name := range []string{ref, ours} {
		run(t, sess, `CREATE TABLE "`+name+`" (pk TEXT, sk NUMERIC, PRIMARY KEY (pk, sk))`)
	}
	stmts := corpus(t, "../testdata/conformance/write.sql")
	for _, line := range stmts {
		_, refErr := client.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{
			Statement: aws.String(strings.ReplaceAll(line, "{T}", ref))})
		oursErr := exec(ctx, sess, strings.ReplaceAll(line, "{T}", ours))
		switch {
		case refErr == nil && oursErr != nil:
			t.Errorf("%s\n  DynamoDB succeeds, ddbsql fails: %v", line, oursErr)
		case refErr != nil && oursErr == nil:
			t.Errorf("%s\n  DynamoDB fails (%v), ddbsql succeeds", line, refErr)
		default:
			t.Logf("%s\n  DynamoDB: %v\n  ddbsql: %v", line, refErr, oursErr)
		}
		want, got := tableLines(t, sess, ref), tableLines(t, sess, ours)
		if strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Fatalf("after %s the tables differ\nDynamoDB:\n%s\nddbsql:\n%s", line, strings.Join(want, "\n"), strings.Join(got, "\n"))
		}
	}
	if len(stmts) < 25 {
		t.Fatalf("the corpus has only %d statements", len(stmts))
	}
}

func exec(ctx context.Context, sess *session.Session, sql string) error {
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		return err
	}
	res, err := sess.Run(ctx, stmt, nil)
	if err != nil {
		return err
	}
	if res.Rows != nil {
		_, err = Rows(res, nil)
	}
	return err
}

func run(t *testing.T, sess *session.Session, sql string) {
	t.Helper()
	if err := exec(context.Background(), sess, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// tableLines reads a whole table, sorted, without the table name.
func tableLines(t *testing.T, sess *session.Session, table string) []string {
	t.Helper()
	stmt, err := parser.ParseOne(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sess.Run(context.Background(), stmt, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := Rows(res, nil)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return lines
}
