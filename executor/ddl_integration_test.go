package executor

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestMain(m *testing.M) { testbackend.Main(m) }

// backendRun runs one plan node with parameters against a backend.
type backendRun struct {
	t *testing.T
	e *Executor
}

func (r backendRun) run(root planner.Node, params ...types.AttributeValue) (*Result, error) {
	r.t.Helper()
	return r.e.Run(context.Background(), &planner.Plan{Root: root, NumParams: len(params)}, params)
}

// must runs root and fails the test on error.
func (r backendRun) must(root planner.Node, params ...types.AttributeValue) *Result {
	r.t.Helper()
	res, err := r.run(root, params...)
	if err != nil {
		r.t.Fatalf("%s: %v", root.Describe().Node, err)
	}
	return res
}

// rowsText renders rows as "name=value" lists, one row per line, with the
// columns in the given order.
func rowsText(t *testing.T, res *Result, columns ...string) string {
	t.Helper()
	var lines []string
	for _, row := range readAllRows(t, res.Rows) {
		var cells []string
		for _, c := range columns {
			switch v := row[c].(type) {
			case *types.AttributeValueMemberS:
				cells = append(cells, c+"="+v.Value)
			case *types.AttributeValueMemberN:
				cells = append(cells, c+"="+v.Value)
			case nil:
			default:
				cells = append(cells, c+"=?")
			}
		}
		lines = append(lines, strings.Join(cells, " "))
	}
	return strings.Join(lines, "\n")
}

func param(i int) parser.Expr { return &parser.Param{Index: i} }

func TestDDLAndWritesAgainstBackends(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		client := testbackend.Client(t, b)
		var changed []string
		r := backendRun{t, New(client, Options{OnSchemaChange: func(table string) { changed = append(changed, table) }})}
		table := testbackend.TableName(t, "ddlOrders")

		// CREATE TABLE, provisioned, with a GSI taking the table's capacity
		// and an LSI.
		stmt := &parser.CreateTable{
			Name: table,
			Columns: []parser.ColumnDef{
				{Name: "customerId", Type: parser.KeyString},
				{Name: "orderDate", Type: parser.KeyNumber},
				{Name: "status", Type: parser.KeyString},
				{Name: "total", Type: parser.KeyNumber},
			},
			PartitionKey: "customerId",
			SortKey:      "orderDate",
			Indexes: []parser.IndexDef{
				{Name: "byStatus", PartitionKey: "status", SortKey: "orderDate", Projection: parser.ProjectInclude,
					Include: []string{"total", "note"}},
				{Name: "byTotal", Local: true, PartitionKey: "customerId", SortKey: "total", Projection: parser.ProjectKeysOnly},
			},
			Billing: &parser.Billing{Provisioned: &parser.Throughput{Read: 5, Write: 4}},
		}
		if res := r.must(&planner.CreateTable{Stmt: stmt}); res.Tag != "CREATE TABLE" {
			t.Errorf("tag %q", res.Tag)
		}
		t.Cleanup(func() {
			client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(table)})
		})
		if len(changed) != 1 || changed[0] != table {
			t.Errorf("schema changes %v", changed)
		}

		// Creating it again fails, unless IF NOT EXISTS.
		_, err := r.run(&planner.CreateTable{Stmt: stmt})
		wantState(t, err, sqlerr.DuplicateTable, `table "`+table+`" already exists`)
		again := *stmt
		again.IfNotExists = true
		r.must(&planner.CreateTable{Stmt: &again})

		// DESCRIBE.
		res := r.must(&planner.DescribeTable{Table: table})
		got := rowsText(t, res, "name", "type", "partition_key", "sort_key", "projection", "status", "items", "billing")
		want := strings.Join([]string{
			"name=" + table + " type=TABLE partition_key=customerId (S) sort_key=orderDate (N) status=ACTIVE items=0 billing=PROVISIONED (5 RCU, 4 WCU)",
			"name=byStatus type=GSI partition_key=status (S) sort_key=orderDate (N) projection=INCLUDE (total, note) status=ACTIVE items=0 billing=PROVISIONED (5 RCU, 4 WCU)",
			"name=byTotal type=LSI partition_key=customerId (S) sort_key=total (N) projection=KEYS_ONLY status=ACTIVE items=0",
		}, "\n")
		if got != want {
			t.Errorf("DESCRIBE:\n%s\nwant:\n%s", got, want)
		}

		// SHOW TABLES with LIKE.
		prefix := table[:len(table)-3]
		for _, pattern := range []string{table, prefix + "%", prefix + "___", strings.Replace(table, "ddl", "_dl", 1)} {
			res := r.must(&planner.ShowTables{Like: pattern})
			if got := rowsText(t, res, "name"); got != "name="+table {
				t.Errorf("SHOW TABLES LIKE %q: %q", pattern, got)
			}
		}
		if got := rowsText(t, r.must(&planner.ShowTables{Like: prefix + "__"}), "name"); got != "" {
			t.Errorf("SHOW TABLES LIKE %q matched %q", prefix+"__", got)
		}

		// CREATE INDEX and DROP INDEX; dynalite accepts UpdateTable but
		// ignores index changes.
		createIndex := &planner.CreateIndex{Stmt: &parser.CreateIndex{
			Table: table,
			Index: parser.IndexDef{Name: "byRegion", PartitionKey: "region", SortKey: "total", Projection: parser.ProjectKeysOnly},
		}}
		if b.Name == testbackend.Dynalite {
			_, err := r.run(createIndex)
			wantState(t, err, sqlerr.FeatureNotSupported, "")
			_, err = r.run(&planner.DropIndex{Stmt: &parser.DropIndex{Name: "byStatus", Table: table}})
			wantState(t, err, sqlerr.FeatureNotSupported, "")
		} else {
			testIndexChanges(t, r, table, createIndex)
		}
		_, err = r.run(&planner.DropIndex{Stmt: &parser.DropIndex{Name: "byTotal", Table: table}})
		wantState(t, err, sqlerr.FeatureNotSupported, `"byTotal" is a local secondary index, which lives as long as its table`)

		// INSERT, and INSERT of the same key.
		item := &types.AttributeValueMemberM{Value: Item{
			"customerId": avS("c1"), "orderDate": avN("20240105"), "status": avS("open"), "total": avN("12.50"),
		}}
		insert := &planner.PutItem{Table: table, Item: param(0), KeyAttrs: []string{"customerId", "orderDate"}}
		if res := r.must(insert, item); res.Tag != "INSERT 0 1" || res.RowsAffected != 1 {
			t.Errorf("INSERT: %+v", res)
		}
		_, err = r.run(insert, item)
		wantState(t, err, sqlerr.UniqueViolation,
			`duplicate key: an item with key {customerId='c1', orderDate=20240105} already exists in "`+table+`"`)
		upsert := *insert
		upsert.Upsert = true
		r.must(&upsert, item)

		// An item without its sort key is DynamoDB's ValidationException.
		_, err = r.run(insert, &types.AttributeValueMemberM{Value: Item{"customerId": avS("c2")}})
		wantState(t, err, sqlerr.InvalidParameter, "")
		_, err = r.run(insert, avS("not a map"))
		wantState(t, err, sqlerr.InvalidParameter, "INSERT needs a map value, got a string (S)")

		// UPDATE with a condition that is false, then true.
		key := planner.Key{{Attr: "customerId", Value: param(0)}, {Attr: "orderDate", Value: param(1)}}
		update := &planner.UpdateItem{
			Table:     table,
			Key:       key,
			Update:    "SET #s = :new",
			Condition: "attribute_exists(#k0) AND #s = :old",
			Names:     map[string]string{"#s": "status", "#k0": "customerId"},
			Values:    map[string]parser.Expr{":new": param(2), ":old": param(3)},
			Returning: parser.ReturnAllNew,
		}
		_, err = r.run(update, avS("c1"), avN("20240105"), avS("shipped"), avS("closed"))
		wantState(t, err, sqlerr.CheckViolation,
			"UPDATE did not apply: no item with key {customerId='c1', orderDate=20240105} matches the condition")
		res = r.must(update, avS("c1"), avN("20240105"), avS("shipped"), avS("open"))
		if got := rowsText(t, res, "customerId", "status", "total"); got != "customerId=c1 status=shipped total=12.5" && got != "customerId=c1 status=shipped total=12.50" {
			t.Errorf("UPDATE RETURNING ALL NEW: %q", got)
		}
		// A missing item fails the key's existence condition.
		_, err = r.run(update, avS("nobody"), avN("1"), avS("shipped"), avS("open"))
		wantState(t, err, sqlerr.CheckViolation, "")

		// DELETE: a false condition, then a delete, then a missing item.
		del := &planner.DeleteItem{
			Table:     table,
			Key:       key,
			Condition: "#s = :s",
			Names:     map[string]string{"#s": "status"},
			Values:    map[string]parser.Expr{":s": param(2)},
		}
		_, err = r.run(del, avS("c1"), avN("20240105"), avS("open"))
		wantState(t, err, sqlerr.CheckViolation,
			"DELETE did not apply: no item with key {customerId='c1', orderDate=20240105} matches the condition")
		plain := &planner.DeleteItem{Table: table, Key: key, Returning: parser.ReturnAllOld}
		res = r.must(plain, avS("c1"), avN("20240105"))
		if got := rowsText(t, res, "customerId", "status"); got != "customerId=c1 status=shipped" || res.Tag != "DELETE" {
			t.Errorf("DELETE RETURNING: %q, tag %q", got, res.Tag)
		}
		plain.Returning = parser.ReturnNothing
		if res := r.must(plain, avS("c1"), avN("20240105")); res.Tag != "DELETE 0" || res.RowsAffected != 0 {
			t.Errorf("DELETE of a missing item: %+v", res)
		}
		r.must(insert, item)
		if res := r.must(plain, avS("c1"), avN("20240105")); res.Tag != "DELETE 1" || res.RowsAffected != 1 {
			t.Errorf("DELETE: %+v", res)
		}

		// DROP TABLE, then the table is unknown everywhere.
		if res := r.must(&planner.DropTable{Stmt: &parser.DropTable{Name: table}}); res.Tag != "DROP TABLE" {
			t.Errorf("tag %q", res.Tag)
		}
		if got := rowsText(t, r.must(&planner.ShowTables{Like: table}), "name"); got != "" {
			t.Errorf("SHOW TABLES after DROP TABLE: %q", got)
		}
		unknown := `table "` + table + `" does not exist`
		_, err = r.run(&planner.DescribeTable{Table: table})
		wantState(t, err, sqlerr.UndefinedTable, unknown)
		_, err = r.run(insert, item)
		wantState(t, err, sqlerr.UndefinedTable, unknown)
		_, err = r.run(plain, avS("c1"), avN("1"))
		wantState(t, err, sqlerr.UndefinedTable, unknown)
		_, err = r.run(&planner.DropTable{Stmt: &parser.DropTable{Name: table}})
		wantState(t, err, sqlerr.UndefinedTable, unknown)
		r.must(&planner.DropTable{Stmt: &parser.DropTable{Name: table, IfExists: true}})
		_, err = r.run(&planner.CreateIndex{Stmt: &parser.CreateIndex{Table: table,
			Index: parser.IndexDef{Name: "x", PartitionKey: "y"}}})
		wantState(t, err, sqlerr.UndefinedTable, unknown)
	})
}

func TestDescribeShowsTTL(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		client := testbackend.Client(t, b)
		r := backendRun{t, New(client, Options{})}
		table := testbackend.TableName(t, "ddlSessions")
		r.must(&planner.CreateTable{Stmt: &parser.CreateTable{
			Name:         table,
			Columns:      []parser.ColumnDef{{Name: "id", Type: parser.KeyString}},
			PartitionKey: "id",
		}})
		t.Cleanup(func() {
			client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(table)})
		})
		if b.Caps.TTL {
			_, err := client.UpdateTimeToLive(context.Background(), &dynamodb.UpdateTimeToLiveInput{
				TableName: aws.String(table),
				TimeToLiveSpecification: &types.TimeToLiveSpecification{
					AttributeName: aws.String("expiresAt"), Enabled: aws.Bool(true)},
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		got := rowsText(t, r.must(&planner.DescribeTable{Table: table}), "type", "billing", "ttl", "stream")
		want := "type=TABLE billing=PAY_PER_REQUEST ttl=DISABLED stream=DISABLED"
		if b.Caps.TTL {
			want = "type=TABLE billing=PAY_PER_REQUEST ttl=expiresAt (ENABLED) stream=DISABLED"
		}
		if got != want {
			t.Errorf("DESCRIBE: %q, want %q", got, want)
		}
	})
}

// testIndexChanges adds a GSI to table with createIndex, then drops it.
func testIndexChanges(t *testing.T, r backendRun, table string, createIndex *planner.CreateIndex) {
	t.Helper()
	r.must(createIndex)
	res := r.must(&planner.DescribeTable{Table: table})
	if got := rowsText(t, res, "name", "partition_key", "sort_key", "status", "billing"); !strings.Contains(got,
		"name=byRegion partition_key=region (S) sort_key=total (N) status=ACTIVE billing=PROVISIONED (5 RCU, 4 WCU)") {
		t.Errorf("DESCRIBE after CREATE INDEX:\n%s", got)
	}
	_, err := r.run(&planner.CreateIndex{Stmt: &parser.CreateIndex{Table: table,
		Index: parser.IndexDef{Name: "byRegion", PartitionKey: "region"}}})
	wantState(t, err, sqlerr.DuplicateObject, "")
	r.must(&planner.DropIndex{Stmt: &parser.DropIndex{Name: "byRegion", Table: table}})
	if got := rowsText(t, r.must(&planner.DescribeTable{Table: table}), "name"); strings.Contains(got, "byRegion") {
		t.Errorf("byRegion still there after DROP INDEX:\n%s", got)
	}
	_, err = r.run(&planner.DropIndex{Stmt: &parser.DropIndex{Name: "byRegion", Table: table}})
	wantState(t, err, sqlerr.UndefinedObject, "")
}
