package enginetest

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
)

// knownDifferences lists statements whose expected result is computed
// another way than by DynamoDB Local's ExecuteStatement, with the reason.
// Each is a deliberate extension of the dialect (listed in the README) or a
// DynamoDB Local defect.
var knownDifferences = map[string]string{
	`SELECT * FROM "Users" WHERE "userId" = 'u001' ORDER BY "email"`:            "ddbsql extension: ORDER BY any expression (DynamoDB requires a key attribute)",
	`SELECT * FROM "Orders" WHERE "customerId" = 'u001' ORDER BY "totalAmount"`: "ddbsql extension: ORDER BY any expression (DynamoDB requires a key attribute)",
}

// TestConformance runs testdata/conformance/select.sql through DynamoDB
// Local's ExecuteStatement and through ddbsql and compares the results.
func TestConformance(t *testing.T) {
	b := testbackend.Get(t, "dynamodb-local")
	b.Require(t, testbackend.Capabilities{PartiQL: true})
	sess := sampleSession(t, b)
	client := testbackend.Client(t, b)
	ctx := context.Background()

	stmts := corpus(t, "../testdata/conformance/select.sql")
	for _, stmt := range stmts {
		t.Run(stmt, func(t *testing.T) {
			ordered := strings.Contains(strings.ToUpper(stmt), "ORDER BY")
			want, wantErr := executeStatement(ctx, client, stmt)
			got, gotErr := ddbsqlRows(ctx, t, sess, stmt)
			if reason, ok := knownDifferences[stmt]; ok {
				if gotErr != nil {
					t.Fatalf("%s: ddbsql failed: %v", reason, gotErr)
				}
				t.Logf("known difference (%s); DynamoDB Local: rows=%d err=%v; ddbsql: rows=%d", reason, len(want), wantErr, len(got))
				return
			}
			switch {
			case wantErr != nil && gotErr != nil:
				t.Logf("both fail: DynamoDB: %v; ddbsql: %v", wantErr, gotErr)
				return
			case wantErr != nil:
				t.Fatalf("DynamoDB fails (%v) but ddbsql returns %d rows", wantErr, len(got))
			case gotErr != nil:
				t.Fatalf("ddbsql fails (%v) but DynamoDB returns %d rows", gotErr, len(want))
			}
			if !ordered {
				sort.Strings(want)
				sort.Strings(got)
			}
			if strings.Join(want, "\n") != strings.Join(got, "\n") {
				t.Fatalf("results differ\nDynamoDB (%d rows):\n%s\nddbsql (%d rows):\n%s",
					len(want), strings.Join(want, "\n"), len(got), strings.Join(got, "\n"))
			}
		})
	}
	if len(stmts) < 40 {
		t.Fatalf("the corpus has only %d statements", len(stmts))
	}
}

// corpus reads a file of statements, one per line; blank lines and --
// comments are skipped.
func corpus(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var stmts []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "--") {
			stmts = append(stmts, line)
		}
	}
	return stmts
}

// executeStatement runs stmt with ExecuteStatement, following NextToken.
func executeStatement(ctx context.Context, api *dynamodb.Client, stmt string) ([]string, error) {
	var lines []string
	var token *string
	for {
		out, err := api.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(stmt), NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, it := range out.Items {
			lines = append(lines, itemLine(it))
		}
		if out.NextToken == nil {
			return lines, nil
		}
		token = out.NextToken
	}
}

func itemLine(it map[string]types.AttributeValue) string {
	js, err := format.MarshalItemJSON(canonical(it), nil)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(js)
}

// ddbsqlRows runs stmt through ddbsql (scans allowed, as in PartiQL).
func ddbsqlRows(ctx context.Context, t *testing.T, sess *session.Session, stmt string) ([]string, error) {
	t.Helper()
	st, err := parser.ParseOne(stmt)
	if err != nil {
		return nil, err
	}
	res, err := sess.Run(ctx, st, nil)
	if err != nil {
		return nil, err
	}
	if res.Rows == nil {
		t.Fatalf("%s returned no rows", stmt)
	}
	return Rows(res, nil)
}
