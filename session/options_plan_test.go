package session

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// TestStatementOptionPlans runs the golden file testdata/session/options.txt:
// statements with a WITH (...) clause and the plans they get, as EXPLAIN
// shows them, with the options applied as Session.Plan applies them over
// the session's defaults (scan_policy warn). Command "plan"; "plan
// policy=deny" starts from another scan_policy. Rewrite the expectations
// with: go test ./session -run TestStatementOptionPlans -rewrite
func TestStatementOptionPlans(t *testing.T) {
	cat, err := catalog.LoadFixture("../testdata/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	datadriven.RunTest(t, "../testdata/session/options.txt", func(t *testing.T, d *datadriven.TestData) string {
		if d.Cmd != "plan" {
			t.Fatalf("unknown command %q", d.Cmd)
		}
		s := New(nil, Config{})
		for _, arg := range d.CmdArgs {
			if arg.Key == "policy" {
				if err := s.Set(SettingScanPolicy, arg.Vals[0]); err != nil {
					t.Fatal(err)
				}
			}
		}
		stmt, err := parser.ParseOne(d.Input)
		if err != nil {
			return errorText(err)
		}
		opts, settings, err := s.statementOptions(s.opts, parser.StatementOptions(stmt))
		if err != nil {
			return errorText(err)
		}
		plan, err := planner.New(cat, opts).Plan(context.Background(), stmt)
		if err != nil {
			return errorText(err)
		}
		var b strings.Builder
		for _, w := range plan.Warnings {
			b.WriteString("warning: " + w + "\n")
		}
		if len(settings) > 0 {
			var kv []string
			for _, name := range SettingNames() {
				if v, ok := settings[name]; ok {
					kv = append(kv, name+"="+v)
				}
			}
			b.WriteString("settings: " + strings.Join(kv, ", ") + "\n")
		}
		b.WriteString(plan.Root.Describe().Text())
		return b.String()
	})
}

// errorText is an error as the golden files show it: SQLSTATE, message
// with position, and hint.
func errorText(err error) string {
	e := sqlerr.As(err)
	out := fmt.Sprintf("error %s: %s\n", e.Code, e.Error())
	if e.Hint != "" {
		out += "hint: " + e.Hint + "\n"
	}
	return out
}
