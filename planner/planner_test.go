package planner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// TestPlans runs the golden files in testdata/planner: each case is a SQL
// statement and the plan it gets, as EXPLAIN shows it. Rewrite the
// expectations with: go test ./planner -rewrite
//
// Commands: "plan" (text), "plan-json", and "plan policy=deny segments=4
// consistent" to set options.
func TestPlans(t *testing.T) {
	cat, err := catalog.LoadFixture("../testdata/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	datadriven.Walk(t, "../testdata/planner", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			opts := planner.Options{ScanPolicy: planner.ScanWarn}
			for _, arg := range d.CmdArgs {
				switch arg.Key {
				case "policy":
					opts.ScanPolicy = planner.ScanPolicy(arg.Vals[0])
				case "segments":
					fmt.Sscan(arg.Vals[0], &opts.Segments)
				case "consistent":
					opts.ConsistentRead = true
				case "pagesize":
					fmt.Sscan(arg.Vals[0], &opts.PageSize)
				}
			}
			stmt, err := parser.ParseOne(d.Input)
			if err != nil {
				return "parse error: " + err.Error() + "\n"
			}
			plan, err := planner.New(cat, opts).Plan(context.Background(), stmt)
			if err != nil {
				e := sqlerr.As(err)
				out := fmt.Sprintf("error %s: %s\n", e.Code, e.Error())
				if e.Hint != "" {
					out += "hint: " + e.Hint + "\n"
				}
				return out
			}
			var b strings.Builder
			for _, w := range plan.Warnings {
				b.WriteString("warning: " + w + "\n")
			}
			if plan.Columns != nil {
				b.WriteString("columns: " + strings.Join(plan.Columns, ", ") + "\n")
			}
			if plan.NumParams > 0 {
				fmt.Fprintf(&b, "params: %d\n", plan.NumParams)
			}
			switch d.Cmd {
			case "plan":
				b.WriteString(plan.Root.Describe().Text())
			case "plan-json":
				js, err := json.MarshalIndent(plan.Root.Describe(), "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				b.Write(js)
				b.WriteString("\n")
			default:
				t.Fatalf("unknown command %q", d.Cmd)
			}
			return b.String()
		})
	})
}
