package executor

import (
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
)

// explainLines runs EXPLAIN and returns its rows' text.
func explainLines(t *testing.T, e *Executor, ex *planner.Explain) []string {
	t.Helper()
	res, err := e.Run(context.Background(), &planner.Plan{Root: ex}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Columns) != 1 || res.Columns[0] != "QUERY PLAN" || res.Tag != "EXPLAIN" {
		t.Errorf("columns %v, tag %q", res.Columns, res.Tag)
	}
	rows, err := collectIter(res.Rows)
	if err != nil {
		t.Fatal(err)
	}
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = r["QUERY PLAN"].(*types.AttributeValueMemberS).Value
	}
	return lines
}

func collectIter(it RowIter) ([]Item, error) {
	defer it.Close()
	var rows []Item
	for {
		row, err := it.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
}

// limitedScan is SELECT id FROM Users LIMIT 3.
func limitedScan() *planner.Plan {
	return &planner.Plan{Root: &planner.Project{Items: []planner.ProjectItem{{Name: "id", Expr: xPath("id")}},
		Input: &planner.Limit{Count: xNum("3"), Input: &planner.Read{Path: planner.Scan, Table: "Users", Segments: 1, FullScan: true}}}}
}

func TestExplainShowsTheDescription(t *testing.T) {
	f := readTables()
	p := limitedScan()
	got := explainLines(t, seqExecutor(f), &planner.Explain{Plan: p})
	want := strings.Split(strings.TrimSuffix(p.Root.Describe().Text(), "\n"), "\n")
	sameLines(t, "EXPLAIN", strings.Join(got, "\n"), strings.Join(want, "\n"))
	sameCallLog(t, f, "") // nothing ran

	got = explainLines(t, seqExecutor(f), &planner.Explain{Plan: p, JSON: true})
	if len(got) != 1 {
		t.Fatalf("%d JSON rows", len(got))
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(got[0]), &doc); err != nil || doc["node"] != "Project" || !strings.Contains(got[0], "\n  ") {
		t.Errorf("JSON EXPLAIN: %v\n%s", err, got[0])
	}
}

var timings = regexp.MustCompile(`(actual time ms: |Execution time: )[0-9.]+`)

func TestExplainAnalyzeAddsActualFigures(t *testing.T) {
	f := readTables()
	f.pageSize = 2
	p := limitedScan()
	got := explainLines(t, seqExecutor(f), &planner.Explain{Plan: p, Analyze: true})

	want := p.Root.Describe()
	read := &want.Children[0].Children[0]
	read.Props = append(read.Props,
		planner.Prop{Key: "actual calls", Value: 2}, planner.Prop{Key: "actual pages", Value: 2},
		planner.Prop{Key: "actual scanned", Value: 4}, planner.Prop{Key: "actual returned", Value: 4},
		planner.Prop{Key: "actual capacity", Value: 1}, planner.Prop{Key: "actual time ms", Value: 0})
	wantText := want.Text() + "Rows: 3\nExecution time: 0 ms"
	sameLines(t, "EXPLAIN ANALYZE", timings.ReplaceAllString(strings.Join(got, "\n"), "${1}T"),
		timings.ReplaceAllString(wantText, "${1}T"))
	sameCallLog(t, f, `
		Scan Users limit=0 start=-
		Scan Users limit=0 start={id=S:u2}`)
}

func TestExplainAnalyzeJSON(t *testing.T) {
	f := readTables()
	read := &planner.Read{Path: planner.Query, Table: "Orders", Index: "ByStatus",
		PartitionKey: "status", PartitionValues: []parser.Expr{xStr("done")}, KeyCondition: "#n0 = :pk",
		Names: map[string]string{"#n0": "status", "#n1": "cust", "#n2": "n"}, Projection: "#n1, #n2",
		Fetch: &planner.Fetch{KeyAttrs: []string{"cust", "n"}}}
	never := &planner.Read{Path: planner.Scan, Table: "Users", Segments: 1}
	got := explainLines(t, seqExecutor(f), &planner.Explain{Plan: &planner.Plan{Root: read}, Analyze: true, JSON: true})
	var doc struct {
		Plan struct {
			Node     string           `json:"node"`
			Calls    int              `json:"actual calls"`
			Returned int              `json:"actual returned"`
			Children []map[string]any `json:"children"`
		} `json:"plan"`
		Rows int     `json:"rows"`
		Time float64 `json:"execution time ms"`
	}
	if err := json.Unmarshal([]byte(got[0]), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Plan.Node != "Query" || doc.Plan.Calls != 1 || doc.Plan.Returned != 4 || doc.Rows != 4 ||
		len(doc.Plan.Children) != 1 || doc.Plan.Children[0]["actual calls"] != 1.0 || doc.Plan.Children[0]["actual returned"] != 4.0 {
		t.Errorf("EXPLAIN ANALYZE (FORMAT JSON):\n%s", got[0])
	}

	got = explainLines(t, seqExecutor(f), &planner.Explain{Plan: &planner.Plan{Root: &planner.Limit{Count: xNum("0"), Input: never}}, Analyze: true})
	if !strings.Contains(strings.Join(got, "\n"), "actual: never executed") {
		t.Errorf("a read that never ran:\n%s", strings.Join(got, "\n"))
	}
}

// putFake adds PutItem to the read fake.
type putFake struct{ *fakeDB }

func (p putFake) PutItem(ctx context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	if err := p.begin(ctx, "PutItem "+aws.ToString(in.TableName)); err != nil {
		return nil, err
	}
	return &dynamodb.PutItemOutput{ConsumedCapacity: fakeCapacity(in.TableName, 1)}, nil
}

func TestExplainAnalyzeWrite(t *testing.T) {
	f := readTables()
	put := &planner.PutItem{Table: "Users", KeyAttrs: []string{"id"},
		Item: &parser.MapExpr{Entries: []parser.MapEntry{{Key: "id", Value: xStr("u9")}}}}
	got := strings.Join(explainLines(t, New(putFake{f}, Options{}), &planner.Explain{Plan: &planner.Plan{Root: put}, Analyze: true}), "\n")
	for _, want := range []string{"actual calls: 1", "actual capacity: 1", "Rows: 1"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	sameCallLog(t, f, "PutItem Users")
}
