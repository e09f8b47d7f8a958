package executor

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// scanOf reads a whole table sequentially.
func scanOf(table string) *planner.Read {
	return &planner.Read{Path: planner.Scan, Table: table, Segments: 1}
}

// valuesTable is a table T (id N) whose items hold v = vals[i] (nil: no v).
func valuesTable(vals ...types.AttributeValue) *fakeDB {
	f := newFake()
	var items []Item
	for i, v := range vals {
		it := Item{"id": numV(fmt.Sprint(i))}
		if v != nil {
			it["v"] = v
		}
		items = append(items, it)
	}
	f.addTable("T", "id", "", items...)
	return f
}

func TestFilterAndProject(t *testing.T) {
	f := readTables()
	// SELECT *, upper(name) AS up, nothing AS gone FROM Users
	// WHERE name LIKE 'user %' AND id <> 'u2' AND id < 'u5'
	cond := xBin("AND", xBin("AND", &parser.LikeExpr{X: xPath("name"), Pattern: xStr("user %")},
		xBin("<>", xPath("id"), xStr("u2"))), xBin("<", xPath("id"), xStr("u5")))
	rows, err := collectRows(t, seqExecutor(f), &planner.Project{
		Items: []planner.ProjectItem{{Star: true}, {Name: "up", Expr: xCall("upper", xPath("name"))},
			{Name: "gone", Expr: xPath("nothing")}, {Name: "id", Expr: xBin("||", xPath("id"), xStr("!"))}},
		Input: &planner.Filter{Cond: cond, Input: scanOf("Users")}})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), `
		{id=S:u1!,name=S:user 1,up=S:USER 1}
		{id=S:u3!,name=S:user 3,up=S:USER 3}
		{id=S:u4!,name=S:user 4,up=S:USER 4}`)
}

func TestFilterError(t *testing.T) {
	f := readTables()
	_, err := collectRows(t, seqExecutor(f), &planner.Filter{Cond: xBin(">", xBin("+", xPath("name"), xNum("1")), xNum("0")),
		Input: scanOf("Users")})
	wantCodeOf(t, err, sqlerr.DatatypeMismatch)
}

func TestSortOrdersAcrossTypes(t *testing.T) {
	f := valuesTable(
		strV("b"), numV("10"), nil, &types.AttributeValueMemberBOOL{Value: true}, mapV("k", numV("1")),
		numV("9.5"), &types.AttributeValueMemberNULL{Value: true}, binV(1), strV("a"),
		&types.AttributeValueMemberBOOL{Value: false}, listV(), numV("-1e3"), strV("B"))
	sorted := func(desc bool) string {
		rows, err := collectRows(t, seqExecutor(f), &planner.Project{
			Items: []planner.ProjectItem{{Name: "v", Expr: xPath("v")}},
			Input: &planner.Sort{Keys: []planner.SortKey{{Expr: xPath("v"), Desc: desc}}, Input: scanOf("T")}})
		if err != nil {
			t.Fatal(err)
		}
		return itemsText(rows)
	}
	sameLines(t, "ascending", sorted(false), `
		{}
		{v=NULL}
		{v=BOOL:false}
		{v=BOOL:true}
		{v=N:-1e3}
		{v=N:9.5}
		{v=N:10}
		{v=S:B}
		{v=S:a}
		{v=S:b}
		{v=B:01}
		{v=L:[]}
		{v=M:{k=N:1}}`)
	sameLines(t, "descending", sorted(true), `
		{v=M:{k=N:1}}
		{v=L:[]}
		{v=B:01}
		{v=S:b}
		{v=S:a}
		{v=S:B}
		{v=N:10}
		{v=N:9.5}
		{v=N:-1e3}
		{v=BOOL:true}
		{v=BOOL:false}
		{v=NULL}
		{}`)
}

func TestSortIsStableOverSeveralKeys(t *testing.T) {
	f := readTables()
	// SELECT cust, n FROM Orders ORDER BY status DESC, total / 10 > 2
	rows, err := collectRows(t, seqExecutor(f), &planner.Project{
		Items: []planner.ProjectItem{{Name: "cust", Expr: xPath("cust")}, {Name: "n", Expr: xPath("n")}},
		Input: &planner.Sort{Keys: []planner.SortKey{{Expr: xPath("status"), Desc: true},
			{Expr: xBin(">", xBin("/", xPath("total"), xNum("10")), xNum("2"))}}, Input: scanOf("Orders")}})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), `
		{cust=S:c1,n=N:1}
		{cust=S:c2,n=N:1}
		{cust=S:c1,n=N:3}
		{cust=S:c1,n=N:5}
		{cust=S:c2,n=N:3}
		{cust=S:c1,n=N:2}
		{cust=S:c1,n=N:4}
		{cust=S:c2,n=N:2}
		{cust=S:c2,n=N:4}`)
}

func TestLimitBounds(t *testing.T) {
	f := readTables()
	for _, c := range []struct {
		count, offset parser.Expr
		params        []types.AttributeValue
		code          string
	}{
		{xNum("-1"), nil, nil, sqlerr.InvalidParameter},
		{xNum("1.5"), nil, nil, sqlerr.InvalidParameter},
		{xStr("3"), nil, nil, sqlerr.InvalidParameter},
		{xNum("1"), xNum("-2"), nil, sqlerr.InvalidParameter},
		{xParam(0), nil, []types.AttributeValue{&types.AttributeValueMemberNULL{Value: true}}, sqlerr.InvalidParameter},
		{xNum("1e30"), nil, nil, sqlerr.InvalidParameter},
		{xNum("2.0"), xNum("1e0"), nil, ""},
	} {
		rows, err := collectRows(t, seqExecutor(f), &planner.Limit{Count: c.count, Offset: c.offset, Input: scanOf("Users")}, c.params...)
		if c.code != "" {
			wantCodeOf(t, err, c.code)
			continue
		}
		if err != nil || len(rows) != 2 || fakeKeyText(rows[0]) != "{id=S:u2,name=S:user 2}" {
			t.Errorf("LIMIT 2.0 OFFSET 1e0: %v, %v", itemsText(rows), err)
		}
	}
}

func TestDistinct(t *testing.T) {
	f := valuesTable(numV("1"), numV("1.0"), strV("1"), nil, &types.AttributeValueMemberNULL{Value: true}, nil,
		&types.AttributeValueMemberNS{Value: []string{"1", "2"}}, &types.AttributeValueMemberNS{Value: []string{"2.0", "1"}})
	rows, err := collectRows(t, seqExecutor(f), &planner.Distinct{Input: &planner.Project{
		Items: []planner.ProjectItem{{Name: "v", Expr: xPath("v")}}, Input: scanOf("T")}})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), `
		{v=N:1}
		{v=S:1}
		{}
		{v=NULL}
		{v=NS:[1 2]}`)
}

func TestAggregateByGroup(t *testing.T) {
	f := readTables()
	// SELECT status, count(*), count(total), count(DISTINCT cust), sum(total),
	// avg(total), min(n), max(cust) FROM Orders GROUP BY status
	rows, err := collectRows(t, seqExecutor(f), &planner.Aggregate{
		GroupBy:  []parser.Expr{xPath("status")},
		GroupOut: []string{"\x00group0"},
		Aggs: []planner.AggCall{
			{Func: "count", Star: true, Out: "a0"},
			{Func: "count", Arg: xPath("total"), Out: "a1"},
			{Func: "count", Arg: xPath("cust"), Distinct: true, Out: "a2"},
			{Func: "sum", Arg: xPath("total"), Out: "a3"},
			{Func: "avg", Arg: xPath("total"), Out: "a4"},
			{Func: "min", Arg: xPath("n"), Out: "a5"},
			{Func: "max", Arg: xPath("cust"), Out: "a6"},
		},
		Input: scanOf("Orders")})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), `
		{`+"\x00"+`group0=S:open,a0=N:5,a1=N:5,a2=N:2,a3=N:132.5,a4=N:26.5,a5=N:1,a6=S:c2}
		{`+"\x00"+`group0=S:done,a0=N:4,a1=N:4,a2=N:2,a3=N:122,a4=N:30.5,a5=N:2,a6=S:c2}`)
}

func TestAggregateSkipsMissingAndNull(t *testing.T) {
	vals := []types.AttributeValue{nil, &types.AttributeValueMemberNULL{Value: true}}
	for range 10 {
		vals = append(vals, numV("0.1"))
	}
	f := valuesTable(vals...)
	rows, err := collectRows(t, seqExecutor(f), &planner.Aggregate{
		Aggs: []planner.AggCall{
			{Func: "count", Star: true, Out: "all"},
			{Func: "count", Arg: xPath("v"), Out: "n"},
			{Func: "sum", Arg: xPath("v"), Out: "sum"},
			{Func: "avg", Arg: xPath("v"), Out: "avg"},
			{Func: "sum", Arg: xPath("v"), Distinct: true, Out: "dsum"},
			{Func: "max", Arg: xPath("v"), Out: "max"},
		},
		Input: scanOf("T")})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), `{all=N:12,avg=N:0.1,dsum=N:0.1,max=N:0.1,n=N:10,sum=N:1}`)
}

func TestAggregateOfNothing(t *testing.T) {
	f := valuesTable()
	aggs := []planner.AggCall{
		{Func: "count", Star: true, Out: "c"},
		{Func: "sum", Arg: xPath("v"), Out: "s"},
		{Func: "min", Arg: xPath("v"), Out: "m"},
		{Func: "avg", Arg: xPath("v"), Out: "a"},
	}
	rows, err := collectRows(t, seqExecutor(f), &planner.Aggregate{Aggs: aggs, Input: scanOf("T")})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "no GROUP BY", itemsText(rows), `{a=NULL,c=N:0,m=NULL,s=NULL}`)
	rows, err = collectRows(t, seqExecutor(f), &planner.Aggregate{GroupBy: []parser.Expr{xPath("v")},
		GroupOut: []string{"g"}, Aggs: aggs, Input: scanOf("T")})
	if err != nil || len(rows) != 0 {
		t.Errorf("GROUP BY over no rows: %s, %v", itemsText(rows), err)
	}
}

func TestAggregateGroupsMissingApartFromNull(t *testing.T) {
	f := valuesTable(nil, &types.AttributeValueMemberNULL{Value: true}, nil, numV("1"), numV("1.00"))
	rows, err := collectRows(t, seqExecutor(f), &planner.Aggregate{GroupBy: []parser.Expr{xPath("v")},
		GroupOut: []string{"g"}, Aggs: []planner.AggCall{{Func: "count", Star: true, Out: "c"}}, Input: scanOf("T")})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), `
		{c=N:2}
		{c=N:1,g=NULL}
		{c=N:2,g=N:1}`)
}

func TestAggregateErrors(t *testing.T) {
	f := valuesTable(numV("1"), strV("x"))
	for _, c := range []struct {
		call planner.AggCall
		code string
	}{
		{planner.AggCall{Func: "sum", Arg: xPath("v"), Out: "o"}, sqlerr.DatatypeMismatch},
		{planner.AggCall{Func: "avg", Arg: xPath("v"), Out: "o"}, sqlerr.DatatypeMismatch},
		{planner.AggCall{Func: "min", Arg: xPath("v"), Out: "o"}, sqlerr.DatatypeMismatch},
		{planner.AggCall{Func: "max", Arg: xList(), Out: "o"}, sqlerr.DatatypeMismatch},
		{planner.AggCall{Func: "median", Arg: xPath("v"), Out: "o"}, sqlerr.UndefinedFunction},
		{planner.AggCall{Func: "sum", Star: true, Out: "o"}, sqlerr.UndefinedFunction},
	} {
		_, err := collectRows(t, seqExecutor(f), &planner.Aggregate{Aggs: []planner.AggCall{c.call}, Input: scanOf("T")})
		wantCodeOf(t, err, c.code)
	}
}

func TestSingleRow(t *testing.T) {
	rows, err := collectRows(t, seqExecutor(newFake()), &planner.Project{
		Items: []planner.ProjectItem{{Name: "x", Expr: xBin("*", xNum("6"), xNum("7"))}}, Input: planner.SingleRow{}})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "rows", itemsText(rows), `{x=N:42}`)
}
