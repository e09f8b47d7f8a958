package planner_test

import (
	"context"
	"testing"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
)

// BenchmarkParsePlanPointLookup measures text → plan for a point lookup,
// the work done per statement before DynamoDB is called.
func BenchmarkParsePlanPointLookup(b *testing.B) {
	cat, err := catalog.LoadFixture("../testdata/catalog.json")
	if err != nil {
		b.Fatal(err)
	}
	p := planner.New(cat, planner.Options{})
	ctx := context.Background()
	const sql = `SELECT * FROM "Users" WHERE "userId" = 'u001'`
	b.ReportAllocs()
	for b.Loop() {
		stmt, err := parser.ParseOne(sql)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := p.Plan(ctx, stmt)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := plan.Root.(*planner.Read); !ok {
			b.Fatalf("plan root %T", plan.Root)
		}
	}
}

// BenchmarkPlanPointLookup measures planning alone (a prepared statement's
// parse is done once).
func BenchmarkPlanPointLookup(b *testing.B) {
	cat, err := catalog.LoadFixture("../testdata/catalog.json")
	if err != nil {
		b.Fatal(err)
	}
	p := planner.New(cat, planner.Options{})
	ctx := context.Background()
	stmt, err := parser.ParseOne(`SELECT * FROM "Users" WHERE "userId" = 'u001'`)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Plan(ctx, stmt); err != nil {
			b.Fatal(err)
		}
	}
}
