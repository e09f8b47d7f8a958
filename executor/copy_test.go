package executor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// TestCopyFromUpsertWritesEveryItemBeforeABadLine imports a jsonl file whose
// line 28 is bad: the 27 items before it are written (one full batch, with
// its unprocessed items retried, and the partial batch read before the bad
// line), and the error names the file, line and attribute and counts them.
func TestCopyFromUpsertWritesEveryItemBeforeABadLine(t *testing.T) {
	fastBackoff(t)
	var lines []string
	for i := range 30 {
		lines = append(lines, fmt.Sprintf(`{"id":"id%03d","v":%d}`, i, i))
	}
	lines[27] = `{"id":"id027","v":"x","n":12e999}`
	file := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	calls := 0
	api := &scriptedAPI{}
	api.respond = func(op string, in any) (any, error) {
		calls++
		out := &dynamodb.BatchWriteItemOutput{}
		if calls == 1 {
			reqs := in.(*dynamodb.BatchWriteItemInput).RequestItems["T"]
			out.UnprocessedItems = map[string][]types.WriteRequest{"T": reqs[20:]}
		}
		return out, nil
	}
	e := New(api, Options{Concurrency: 1})
	read := &planner.ReadFile{File: file, Format: parser.CopyJSONL, KeyAttrs: []string{"id"}}
	node := &planner.CopyFrom{Write: &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Upsert: true, Input: read}}
	_, err := e.Run(context.Background(), &planner.Plan{Root: node, Tag: "COPY"}, nil)
	se := sqlerr.As(err)
	wantMsg := fmt.Sprintf(`file %q, line 28: attribute n: N value "12e999" is outside DynamoDB's range (magnitude 1E-130 to 9.99…E+125)`, file)
	if err == nil || se.Code != sqlerr.InvalidText || se.Message != wantMsg || !strings.HasPrefix(se.Detail, "27 items were written") {
		t.Errorf("got %v (%s, detail %q)\nwant 22P02 %s, 27 items written", err, se.Code, se.Detail, wantMsg)
	}
	want := []string{
		"BatchWriteItem 25 items id000…id024",
		"BatchWriteItem 5 items id020…id024",
		"BatchWriteItem 2 items id025…id026",
	}
	if got := batchLog(api); !slices.Equal(got, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
