package executor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/value"
)

// readBackendTable creates a table (cust S, n N) with a keys-only index
// ByStatus (status, n) holding the items of readTables, plus c3/1, which has
// no status and no total but a price written 1.50 and a name with a
// character outside the BMP.
func readBackendTable(t *testing.T, client *dynamodb.Client) string {
	t.Helper()
	ctx := context.Background()
	table := testbackend.TableName(t, "readOrders")
	_, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("cust"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("n"), AttributeType: types.ScalarAttributeTypeN},
			{AttributeName: aws.String("status"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("cust"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("n"), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName: aws.String("ByStatus"),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String("status"), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String("n"), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := dynamodb.NewTableExistsWaiter(client).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, time.Minute); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	})
	items := readTables().tables["Orders"].items
	items = append(items, Item{"cust": strV("c3"), "n": numV("1"), "price": numV("1.50"), "name": strV("a😀")})
	for _, it := range items {
		if _, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: it}); err != nil {
			t.Fatal(err)
		}
	}
	return table
}

func TestReadsAgainstBackends(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		client := testbackend.Client(t, b)
		table := readBackendTable(t, client)
		e := New(client, Options{Concurrency: 4})
		keysOf := func(rows []Item) string {
			var ks []string
			for _, r := range rows {
				ks = append(ks, fakeValueText(r["cust"])+"/"+fakeValueText(r["n"]))
			}
			return strings.Join(ks, " ")
		}
		run := func(node planner.Node) []Item {
			t.Helper()
			rows, err := collectRows(t, e, node)
			if err != nil {
				t.Fatalf("%s: %v", node.Describe().Node, err)
			}
			return rows
		}

		// Numbers come back in the canonical form value.NormalizeNumber
		// gives them.
		rows := run(&planner.Read{Path: planner.GetItem, Table: table,
			Keys: []planner.Key{{{Attr: "cust", Value: xStr("c3")}, {Attr: "n", Value: xNum("1.0")}}}})
		if len(rows) != 1 {
			t.Fatalf("GetItem: %d rows", len(rows))
		}
		want, _ := value.NormalizeNumber("1.50")
		if got := rows[0]["price"].(*types.AttributeValueMemberN).Value; got != want {
			t.Errorf("%s returns 1.50 as %s, NormalizeNumber as %s", b.Name, got, want)
		}

		// A Query paged 2 items at a time, backwards, with a sort key
		// condition.
		rows = run(&planner.Read{Path: planner.Query, Table: table, PartitionKey: "cust",
			PartitionValues: []parser.Expr{xStr("c1")}, KeyCondition: "#n0 = :pk AND #n1 >= :v0",
			Names: map[string]string{"#n0": "cust", "#n1": "n"}, Values: map[string]parser.Expr{":v0": xNum("2")},
			PageSize: 2, Descending: true})
		sameLines(t, "Query", keysOf(rows), "S:c1/N:5 S:c1/N:4 S:c1/N:3 S:c1/N:2")

		// An IN list of partition values, queried concurrently.
		rows = run(&planner.Read{Path: planner.Query, Table: table, PartitionKey: "cust",
			PartitionValues: []parser.Expr{xStr("c2"), xStr("c3"), xStr("c9")}, KeyCondition: "#n0 = :pk",
			Names: map[string]string{"#n0": "cust"}})
		if len(rows) != 5 {
			t.Errorf("Query IN: %s", keysOf(rows))
		}

		// BatchGetItem over 150 keys, with duplicates (1 and 1.0).
		var keys []planner.Key
		for i := range 150 {
			keys = append(keys, planner.Key{{Attr: "cust", Value: xStr(fmt.Sprintf("c%d", i%3+1))},
				{Attr: "n", Value: xNum(fmt.Sprintf("%d.0", i/3%6))}})
		}
		rows = run(&planner.Read{Path: planner.BatchGetItem, Table: table, Keys: keys,
			Projection: "#n0, #n1", Names: map[string]string{"#n0": "cust", "#n1": "n"}})
		if len(rows) != 10 {
			t.Errorf("BatchGetItem: %d rows: %s", len(rows), keysOf(rows))
		}

		// The keys-only index completed from the table, in index order.
		rows = run(&planner.Read{Path: planner.Query, Table: table, Index: "ByStatus",
			PartitionKey: "status", PartitionValues: []parser.Expr{xStr("open")}, KeyCondition: "#n0 = :pk",
			Names: map[string]string{"#n0": "status", "#n1": "cust", "#n2": "n"}, Projection: "#n1, #n2",
			Fetch: &planner.Fetch{KeyAttrs: []string{"cust", "n"}, Projection: "#n0, #n1",
				Names: map[string]string{"#n0": "total", "#n1": "n"}}})
		var fetched []string
		for _, r := range rows {
			if _, ok := r["cust"]; ok {
				t.Errorf("fetched row keeps the added key attribute: %s", fakeKeyText(r))
			}
			fetched = append(fetched, fakeValueText(r["n"])+"="+fakeValueText(r["total"]))
		}
		sameLines(t, "fetch", strings.Join(fetched, " "), "N:1=N:10.5 N:1=N:10.5 N:3=N:30.5 N:3=N:30.5 N:5=N:50.5")

		// Counts, and a parallel scan with 1-item pages.
		rows = run(&planner.Read{Path: planner.Scan, Table: table, Segments: 3, Count: true})
		sameLines(t, "count", itemsText(rows), "{count=N:10}")
		rows = run(&planner.Read{Path: planner.Scan, Table: table, Segments: 4, PageSize: 1})
		if len(rows) != 10 {
			t.Errorf("parallel scan: %d rows", len(rows))
		}
	})
}

// TestFilterAgreesWithDynamoDB evaluates each condition twice, once pushed
// into a FilterExpression and once by a Filter node, and expects the same
// items: the executor's semantics are DynamoDB's.
func TestFilterAgreesWithDynamoDB(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		client := testbackend.Client(t, b)
		table := readBackendTable(t, client)
		e := New(client, Options{Concurrency: 1})
		status, total, name, price := xPath("status"), xPath("total"), xPath("name"), xPath("price")
		cases := []struct {
			filter string
			values map[string]parser.Expr
			cond   parser.Expr
		}{
			{"#status <> :v0", map[string]parser.Expr{":v0": xStr("open")}, xBin("<>", status, xStr("open"))},
			{"NOT (#status = :v0)", map[string]parser.Expr{":v0": xStr("open")}, xNot(xBin("=", status, xStr("open")))},
			{"#total < :v0", map[string]parser.Expr{":v0": xNum("30")}, xBin("<", total, xNum("30"))},
			{"NOT (#total < :v0)", map[string]parser.Expr{":v0": xNum("30")}, xNot(xBin("<", total, xNum("30")))},
			{"#total = :v0", map[string]parser.Expr{":v0": xNum("10.50")}, xBin("=", total, xNum("10.50"))},
			{"#price = :v0", map[string]parser.Expr{":v0": xNum("1.5")}, xBin("=", price, xNum("1.5"))},
			{"#status > :v0", map[string]parser.Expr{":v0": xNum("1")}, xBin(">", status, xNum("1"))},
			{"#total BETWEEN :v0 AND :v1", map[string]parser.Expr{":v0": xNum("20"), ":v1": xNum("40.5")},
				&parser.BetweenExpr{X: total, Lo: xNum("20"), Hi: xNum("40.5")}},
			{"NOT (#total BETWEEN :v0 AND :v1)", map[string]parser.Expr{":v0": xNum("20"), ":v1": xNum("40.5")},
				&parser.BetweenExpr{X: total, Lo: xNum("20"), Hi: xNum("40.5"), Not: true}},
			{"#status IN (:v0, :v1)", map[string]parser.Expr{":v0": xStr("done"), ":v1": xNum("1")},
				&parser.InExpr{X: status, List: []parser.Expr{xStr("done"), xNum("1")}}},
			{"NOT (#status IN (:v0))", map[string]parser.Expr{":v0": xStr("done")},
				&parser.InExpr{X: status, List: []parser.Expr{xStr("done")}, Not: true}},
			{"size(#name) = :v0", map[string]parser.Expr{":v0": xNum("3")}, xBin("=", xCall("size", name), xNum("3"))},
			{"size(#total) > :v0", map[string]parser.Expr{":v0": xNum("0")}, xBin(">", xCall("size", total), xNum("0"))},
			{"contains(#status, :v0)", map[string]parser.Expr{":v0": xStr("pe")}, xCall("contains", status, xStr("pe"))},
			{"begins_with(#status, :v0)", map[string]parser.Expr{":v0": xStr("d")}, xCall("begins_with", status, xStr("d"))},
			{"attribute_type(#total, :v0)", map[string]parser.Expr{":v0": xStr("N")}, xCall("attribute_type", total, xStr("N"))},
			{"attribute_not_exists(#status)", nil, xCall("attribute_not_exists", status)},
			{"#status = :v0 OR #price > :v1", map[string]parser.Expr{":v0": xStr("done"), ":v1": xNum("1")},
				xBin("OR", xBin("=", status, xStr("done")), xBin(">", price, xNum("1")))},
		}
		names := map[string]string{"#status": "status", "#total": "total", "#name": "name", "#price": "price"}
		ids := func(rows []Item) string {
			var ks []string
			for _, r := range rows {
				ks = append(ks, fakeValueText(r["cust"])+"/"+fakeValueText(r["n"]))
			}
			slices.Sort(ks)
			return strings.Join(ks, " ")
		}
		for _, c := range cases {
			used := map[string]string{}
			for ph, n := range names {
				if strings.Contains(c.filter, ph) {
					used[ph] = n
				}
			}
			pushed, err := collectRows(t, e, &planner.Read{Path: planner.Scan, Table: table, Segments: 1,
				Filter: c.filter, Names: used, Values: c.values})
			if err != nil {
				t.Errorf("%s: %v", c.filter, err)
				continue
			}
			local, err := collectRows(t, e, &planner.Filter{Cond: c.cond, Input: &planner.Read{Path: planner.Scan, Table: table, Segments: 1}})
			if err != nil {
				t.Errorf("%s evaluated here: %v", c.filter, err)
				continue
			}
			if ids(pushed) != ids(local) {
				t.Errorf("%s\n DynamoDB: %s\n executor: %s", c.filter, ids(pushed), ids(local))
			}
		}
	})
}
