package executor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// fastPolls makes DDL waits poll without delay for the test.
func fastPolls(t *testing.T) {
	first, most, timeout := ddlPollFirst, ddlPollMax, ddlTimeout
	ddlPollFirst, ddlPollMax = time.Millisecond, time.Millisecond
	t.Cleanup(func() { ddlPollFirst, ddlPollMax, ddlTimeout = first, most, timeout })
}

// ordersStmt is a provisioned table with a GSI without capacity of its own,
// a GSI with its own, and an LSI.
func ordersStmt() *parser.CreateTable {
	return &parser.CreateTable{
		Name: "Orders",
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
			{Name: "byTotal", PartitionKey: "total", Projection: parser.ProjectKeysOnly,
				Throughput: &parser.Throughput{Read: 2, Write: 1}},
			{Name: "byCustomerTotal", Local: true, SortKey: "total"},
		},
		Billing: &parser.Billing{Provisioned: &parser.Throughput{Read: 5, Write: 4}},
	}
}

func attrDef(name string, t types.ScalarAttributeType) types.AttributeDefinition {
	return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: t}
}

func capacity(r, w int64) *types.ProvisionedThroughput {
	return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(r), WriteCapacityUnits: aws.Int64(w)}
}

func TestCreateTableInput(t *testing.T) {
	in, err := createTableInput(ordersStmt())
	if err != nil {
		t.Fatal(err)
	}
	sameInput(t, in, &dynamodb.CreateTableInput{
		TableName: aws.String("Orders"),
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("customerId", types.ScalarAttributeTypeS),
			attrDef("orderDate", types.ScalarAttributeTypeN),
			attrDef("status", types.ScalarAttributeTypeS),
			attrDef("total", types.ScalarAttributeTypeN),
		},
		KeySchema:             keySchema("customerId", "orderDate"),
		BillingMode:           types.BillingModeProvisioned,
		ProvisionedThroughput: capacity(5, 4),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{
				IndexName: aws.String("byStatus"),
				KeySchema: keySchema("status", "orderDate"),
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeInclude,
					NonKeyAttributes: []string{"total", "note"}},
				ProvisionedThroughput: capacity(5, 4),
			},
			{
				IndexName:             aws.String("byTotal"),
				KeySchema:             keySchema("total", ""),
				Projection:            &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
				ProvisionedThroughput: capacity(2, 1),
			},
		},
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{{
			IndexName:  aws.String("byCustomerTotal"),
			KeySchema:  keySchema("customerId", "total"),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
	})
}

func TestCreateTableInputOnDemand(t *testing.T) {
	in, err := createTableInput(&parser.CreateTable{
		Name:         "Users",
		Columns:      []parser.ColumnDef{{Name: "userId", Type: parser.KeyString}, {Name: "email", Type: parser.KeyString}},
		PartitionKey: "userId",
		Indexes:      []parser.IndexDef{{Name: "byEmail", PartitionKey: "email"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sameInput(t, in, &dynamodb.CreateTableInput{
		TableName: aws.String("Users"),
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("userId", types.ScalarAttributeTypeS),
			attrDef("email", types.ScalarAttributeTypeS),
		},
		KeySchema:   keySchema("userId", ""),
		BillingMode: types.BillingModePayPerRequest,
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String("byEmail"),
			KeySchema:  keySchema("email", ""),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
	})
}

func TestCreateTableKeyWithoutType(t *testing.T) {
	_, err := createTableInput(&parser.CreateTable{Name: "T", PartitionKey: "id"})
	wantState(t, err, sqlerr.UndefinedColumn, `key attribute "id" has no type`)
}

// describeAnswers answers DescribeTable with the tables in turn, the last
// one for every further call.
func describeAnswers(tables ...*types.TableDescription) func(op string, in any) (any, error) {
	i := 0
	return func(op string, in any) (any, error) {
		if op != "DescribeTable" {
			return nil, nil
		}
		t := tables[min(i, len(tables)-1)]
		i++
		if t == nil {
			return nil, &types.ResourceNotFoundException{Message: aws.String("Requested resource not found")}
		}
		return &dynamodb.DescribeTableOutput{Table: t}, nil
	}
}

func TestCreateTableWaitsUntilActive(t *testing.T) {
	fastPolls(t)
	creating := &types.TableDescription{TableName: aws.String("Orders"), TableStatus: types.TableStatusCreating}
	indexCreating := &types.TableDescription{TableName: aws.String("Orders"), TableStatus: types.TableStatusActive,
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndexDescription{{IndexName: aws.String("byStatus"), IndexStatus: types.IndexStatusCreating}}}
	active := &types.TableDescription{TableName: aws.String("Orders"), TableStatus: types.TableStatusActive,
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndexDescription{{IndexName: aws.String("byStatus"), IndexStatus: types.IndexStatusActive}}}
	api := &scriptedAPI{respond: describeAnswers(nil, creating, indexCreating, active)}
	var progress []string
	var changed []string
	e := New(api, Options{
		OnProgress:     func(p Progress) { progress = append(progress, p.Message) },
		OnSchemaChange: func(table string) { changed = append(changed, table) },
	})
	res, err := e.createTable(context.Background(), &planner.CreateTable{Stmt: ordersStmt()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "CREATE TABLE" {
		t.Errorf("tag %q", res.Tag)
	}
	wantOps := "CreateTable DescribeTable DescribeTable DescribeTable DescribeTable"
	if got := strings.Join(api.ops(), " "); got != wantOps {
		t.Errorf("calls %s, want %s", got, wantOps)
	}
	wantProgress := []string{
		"waiting for table Orders to become ACTIVE (status CREATING, 0s)",
		"waiting for table Orders to become ACTIVE (status CREATING, 0s)",
		"waiting for table Orders to become ACTIVE (status index byStatus CREATING, 0s)",
	}
	if strings.Join(progress, "\n") != strings.Join(wantProgress, "\n") {
		t.Errorf("progress:\n%s\nwant:\n%s", strings.Join(progress, "\n"), strings.Join(wantProgress, "\n"))
	}
	if len(changed) != 1 || changed[0] != "Orders" {
		t.Errorf("schema changes %v, want [Orders]", changed)
	}
}

func TestCreateTableThatExists(t *testing.T) {
	fastPolls(t)
	active := &types.TableDescription{TableName: aws.String("Orders"), TableStatus: types.TableStatusActive}
	inUse := func(op string, in any) (any, error) {
		if op == "CreateTable" {
			return nil, &types.ResourceInUseException{Message: aws.String("Table already exists: Orders")}
		}
		return describeAnswers(active)(op, in)
	}
	e := New(&scriptedAPI{respond: inUse}, Options{})
	_, err := e.createTable(context.Background(), &planner.CreateTable{Stmt: ordersStmt()})
	wantState(t, err, sqlerr.DuplicateTable, `table "Orders" already exists`)

	stmt := ordersStmt()
	stmt.IfNotExists = true
	res, err := e.createTable(context.Background(), &planner.CreateTable{Stmt: stmt})
	if err != nil || res.Tag != "CREATE TABLE" {
		t.Errorf("IF NOT EXISTS: %v, %v", res, err)
	}
}

func TestWaitGivesUp(t *testing.T) {
	fastPolls(t)
	ddlTimeout = 5 * time.Millisecond
	creating := &types.TableDescription{TableName: aws.String("T"), TableStatus: types.TableStatusCreating}
	e := New(&scriptedAPI{respond: describeAnswers(creating)}, Options{})
	err := e.waitFor(context.Background(), "table T to become ACTIVE", e.tableActive("T"))
	wantState(t, err, sqlerr.QueryCanceled, "gave up waiting for table T to become ACTIVE after 5ms (status CREATING)")
}

func TestWaitHonoursCancel(t *testing.T) {
	creating := &types.TableDescription{TableName: aws.String("T"), TableStatus: types.TableStatusCreating}
	e := New(&scriptedAPI{respond: describeAnswers(creating)}, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	e.opts.OnProgress = func(Progress) { cancel() }
	err := e.waitFor(ctx, "table T to become ACTIVE", e.tableActive("T"))
	wantState(t, err, sqlerr.QueryCanceled, "canceling statement due to user request")
}

// provisionedOrders is the description of a provisioned table with an LSI.
func provisionedOrders() *types.TableDescription {
	return &types.TableDescription{
		TableName:   aws.String("Orders"),
		TableStatus: types.TableStatusActive,
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("customerId", types.ScalarAttributeTypeS),
			attrDef("orderDate", types.ScalarAttributeTypeN),
		},
		KeySchema: keySchema("customerId", "orderDate"),
		ProvisionedThroughput: &types.ProvisionedThroughputDescription{
			ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(4)},
		LocalSecondaryIndexes: []types.LocalSecondaryIndexDescription{{IndexName: aws.String("byCustomerTotal")}},
	}
}

func TestCreateIndexInput(t *testing.T) {
	stmt := &parser.CreateIndex{
		Table:   "Orders",
		Index:   parser.IndexDef{Name: "byStatus", PartitionKey: "status", SortKey: "orderDate", Projection: parser.ProjectInclude, Include: []string{"total"}},
		Columns: []parser.ColumnDef{{Name: "status", Type: parser.KeyString}},
	}
	in := createIndexInput(stmt, provisionedOrders())
	sameInput(t, in, &dynamodb.UpdateTableInput{
		TableName: aws.String("Orders"),
		// orderDate's type comes from the table.
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("status", types.ScalarAttributeTypeS),
			attrDef("orderDate", types.ScalarAttributeTypeN),
		},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName:             aws.String("byStatus"),
			KeySchema:             keySchema("status", "orderDate"),
			Projection:            &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"total"}},
			ProvisionedThroughput: capacity(5, 4),
		}}},
	})

	// On an on-demand table: no capacity; an undeclared, unknown key is S.
	onDemand := provisionedOrders()
	onDemand.ProvisionedThroughput = &types.ProvisionedThroughputDescription{ReadCapacityUnits: aws.Int64(0), WriteCapacityUnits: aws.Int64(0)}
	onDemand.BillingModeSummary = &types.BillingModeSummary{BillingMode: types.BillingModePayPerRequest}
	in = createIndexInput(&parser.CreateIndex{Table: "Orders", Index: parser.IndexDef{Name: "byRegion", PartitionKey: "region"}}, onDemand)
	sameInput(t, in, &dynamodb.UpdateTableInput{
		TableName:            aws.String("Orders"),
		AttributeDefinitions: []types.AttributeDefinition{attrDef("region", types.ScalarAttributeTypeS)},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName:  aws.String("byRegion"),
			KeySchema:  keySchema("region", ""),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}}},
	})
}

func TestCreateIndexWaits(t *testing.T) {
	fastPolls(t)
	withIndex := func(status types.IndexStatus) *types.TableDescription {
		t := provisionedOrders()
		t.GlobalSecondaryIndexes = []types.GlobalSecondaryIndexDescription{{IndexName: aws.String("byStatus"), IndexStatus: status}}
		return t
	}
	api := &scriptedAPI{respond: describeAnswers(provisionedOrders(), withIndex(types.IndexStatusCreating), withIndex(types.IndexStatusActive))}
	var progress []string
	e := New(api, Options{OnProgress: func(p Progress) { progress = append(progress, p.Message) }})
	res, err := e.createIndex(context.Background(), &planner.CreateIndex{Stmt: &parser.CreateIndex{
		Table: "Orders", Index: parser.IndexDef{Name: "byStatus", PartitionKey: "status"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "CREATE INDEX" {
		t.Errorf("tag %q", res.Tag)
	}
	if got := strings.Join(api.ops(), " "); got != "DescribeTable UpdateTable DescribeTable DescribeTable" {
		t.Errorf("calls %s", got)
	}
	if len(progress) != 1 || progress[0] != "waiting for index byStatus on Orders to become ACTIVE (status CREATING, 0s)" {
		t.Errorf("progress %q", progress)
	}
}

func TestCreateIndexErrors(t *testing.T) {
	e := New(&scriptedAPI{respond: describeAnswers(provisionedOrders())}, Options{})
	_, err := e.createIndex(context.Background(), &planner.CreateIndex{Stmt: &parser.CreateIndex{
		Table: "Orders", Index: parser.IndexDef{Name: "byCustomerTotal", PartitionKey: "x"}}})
	wantState(t, err, sqlerr.DuplicateObject, `index "byCustomerTotal" already exists on table "Orders"`)

	_, err = e.createIndex(context.Background(), &planner.CreateIndex{Stmt: &parser.CreateIndex{
		Table: "Orders", Index: parser.IndexDef{Name: "x", Local: true, SortKey: "y"}}})
	wantState(t, err, sqlerr.FeatureNotSupported, "")

	e = New(&scriptedAPI{respond: describeAnswers(nil)}, Options{})
	_, err = e.createIndex(context.Background(), &planner.CreateIndex{Stmt: &parser.CreateIndex{
		Table: "Nope", Index: parser.IndexDef{Name: "x", PartitionKey: "y"}}})
	wantState(t, err, sqlerr.UndefinedTable, `table "Nope" does not exist`)
}

func TestIndexChangeIgnoredByEndpoint(t *testing.T) {
	withGSI := provisionedOrders()
	withGSI.GlobalSecondaryIndexes = []types.GlobalSecondaryIndexDescription{{IndexName: aws.String("byStatus"), IndexStatus: types.IndexStatusActive}}
	for _, tc := range []struct {
		name  string
		table *types.TableDescription
		run   func(e *Executor) error
	}{
		{"create", provisionedOrders(), func(e *Executor) error {
			_, err := e.createIndex(context.Background(), &planner.CreateIndex{Stmt: &parser.CreateIndex{
				Table: "Orders", Index: parser.IndexDef{Name: "byStatus", PartitionKey: "status"}}})
			return err
		}},
		{"drop", withGSI, func(e *Executor) error {
			_, err := e.dropIndex(context.Background(), &planner.DropIndex{Stmt: &parser.DropIndex{Name: "byStatus", Table: "Orders"}})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The endpoint answers UpdateTable with the table unchanged.
			api := &scriptedAPI{respond: func(op string, in any) (any, error) {
				if op == "UpdateTable" {
					return &dynamodb.UpdateTableOutput{TableDescription: tc.table}, nil
				}
				return &dynamodb.DescribeTableOutput{Table: tc.table}, nil
			}}
			err := tc.run(New(api, Options{}))
			wantState(t, err, sqlerr.FeatureNotSupported,
				"this DynamoDB endpoint ignored the index change: it cannot add or drop indexes of existing tables")
		})
	}
}

func TestDropTable(t *testing.T) {
	fastPolls(t)
	deleting := &types.TableDescription{TableName: aws.String("T"), TableStatus: types.TableStatusDeleting}
	api := &scriptedAPI{respond: describeAnswers(deleting, nil)}
	var progress, changed []string
	e := New(api, Options{
		OnProgress:     func(p Progress) { progress = append(progress, p.Message) },
		OnSchemaChange: func(table string) { changed = append(changed, table) },
	})
	res, err := e.dropTable(context.Background(), &planner.DropTable{Stmt: &parser.DropTable{Name: "T"}})
	if err != nil || res.Tag != "DROP TABLE" {
		t.Fatalf("%v, %v", res, err)
	}
	if got := strings.Join(api.ops(), " "); got != "DeleteTable DescribeTable DescribeTable" {
		t.Errorf("calls %s", got)
	}
	if len(progress) != 1 || progress[0] != "waiting for table T to be deleted (status DELETING, 0s)" {
		t.Errorf("progress %q", progress)
	}
	if len(changed) == 0 {
		t.Error("OnSchemaChange not called")
	}
}

func TestDropMissingTable(t *testing.T) {
	notFound := func(string, any) (any, error) {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Requested resource not found")}
	}
	e := New(&scriptedAPI{respond: notFound}, Options{})
	_, err := e.dropTable(context.Background(), &planner.DropTable{Stmt: &parser.DropTable{Name: "T"}})
	wantState(t, err, sqlerr.UndefinedTable, `table "T" does not exist`)
	res, err := e.dropTable(context.Background(), &planner.DropTable{Stmt: &parser.DropTable{Name: "T", IfExists: true}})
	if err != nil || res.Tag != "DROP TABLE" {
		t.Errorf("IF EXISTS: %v, %v", res, err)
	}
}

func TestDropIndex(t *testing.T) {
	fastPolls(t)
	withGSI := func(status types.IndexStatus) *types.TableDescription {
		t := provisionedOrders()
		t.GlobalSecondaryIndexes = []types.GlobalSecondaryIndexDescription{{IndexName: aws.String("byStatus"), IndexStatus: status}}
		return t
	}
	api := &scriptedAPI{respond: describeAnswers(withGSI(types.IndexStatusActive), withGSI(types.IndexStatusDeleting), provisionedOrders())}
	e := New(api, Options{})
	res, err := e.dropIndex(context.Background(), &planner.DropIndex{Stmt: &parser.DropIndex{Name: "byStatus", Table: "Orders"}})
	if err != nil || res.Tag != "DROP INDEX" {
		t.Fatalf("%v, %v", res, err)
	}
	sameInput(t, api.calls[1].In, &dynamodb.UpdateTableInput{
		TableName: aws.String("Orders"),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{
			Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("byStatus")},
		}},
	})
	if got := strings.Join(api.ops(), " "); got != "DescribeTable UpdateTable DescribeTable DescribeTable" {
		t.Errorf("calls %s", got)
	}

	_, err = e.dropIndex(context.Background(), &planner.DropIndex{Stmt: &parser.DropIndex{Name: "nope", Table: "Orders"}})
	wantState(t, err, sqlerr.UndefinedObject, `index "nope" does not exist on table "Orders"`)
	_, err = e.dropIndex(context.Background(), &planner.DropIndex{Stmt: &parser.DropIndex{Name: "byCustomerTotal", Table: "Orders"}})
	wantState(t, err, sqlerr.FeatureNotSupported, "")
}

func TestShowTables(t *testing.T) {
	pages := [][]string{{"Orders", "Users", "users_archive"}, {"Users2", "U_x"}}
	api := &scriptedAPI{respond: func(op string, in any) (any, error) {
		start := aws.ToString(in.(*dynamodb.ListTablesInput).ExclusiveStartTableName)
		if start == "" {
			return &dynamodb.ListTablesOutput{TableNames: pages[0], LastEvaluatedTableName: aws.String("users_archive")}, nil
		}
		return &dynamodb.ListTablesOutput{TableNames: pages[1]}, nil
	}}
	e := New(api, Options{})
	for _, tc := range []struct {
		like string
		want string
	}{
		{"", "Orders Users users_archive Users2 U_x"},
		{"Users%", "Users Users2"},
		{"U_er_", "Users"},
		{"%s", "Orders Users"},
		{`U\_%`, "U_x"},
		{"%", "Orders Users users_archive Users2 U_x"},
		{"nothing", ""},
	} {
		api.calls = nil
		res, err := e.showTables(context.Background(), &planner.ShowTables{Like: tc.like})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, row := range readAllRows(t, res.Rows) {
			names = append(names, row["name"].(*types.AttributeValueMemberS).Value)
		}
		if got := strings.Join(names, " "); got != tc.want {
			t.Errorf("LIKE %q: %s, want %s", tc.like, got, tc.want)
		}
		if len(api.calls) != 2 {
			t.Errorf("%d ListTables calls, want 2 (both pages)", len(api.calls))
		}
		if strings.Join(res.Columns, ",") != "name" {
			t.Errorf("columns %v", res.Columns)
		}
	}
}

func TestDescribeRows(t *testing.T) {
	td := &types.TableDescription{
		TableName:   aws.String("Orders"),
		TableStatus: types.TableStatusActive,
		ItemCount:   aws.Int64(42),
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("customerId", types.ScalarAttributeTypeS),
			attrDef("orderDate", types.ScalarAttributeTypeN),
			attrDef("status", types.ScalarAttributeTypeS),
			attrDef("total", types.ScalarAttributeTypeN),
		},
		KeySchema: keySchema("customerId", "orderDate"),
		ProvisionedThroughput: &types.ProvisionedThroughputDescription{
			ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(4)},
		TableSizeBytes:      aws.Int64(1000),
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndexDescription{{
			IndexName:   aws.String("byStatus"),
			KeySchema:   keySchema("status", ""),
			Projection:  &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"customerId", "totalAmount"}},
			IndexStatus: types.IndexStatusActive,
			ProvisionedThroughput: &types.ProvisionedThroughputDescription{
				ReadCapacityUnits: aws.Int64(2), WriteCapacityUnits: aws.Int64(1)},
		}},
		LocalSecondaryIndexes: []types.LocalSecondaryIndexDescription{{
			IndexName:  aws.String("byTotal"),
			KeySchema:  keySchema("customerId", "total"),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}},
	}
	rows := describeRows(td, "expiresAt (ENABLED)")
	want := []map[string]string{
		{"name": "Orders", "type": "TABLE", "partition_key": "customerId (S)", "sort_key": "orderDate (N)",
			"status": "ACTIVE", "items": "42", "bytes": "1000", "billing": "PROVISIONED (5 RCU, 4 WCU)",
			"ttl": "expiresAt (ENABLED)", "stream": "NEW_AND_OLD_IMAGES"},
		{"name": "byStatus", "type": "GSI", "partition_key": "status (S)", "projection": "INCLUDE (customerId, totalAmount)",
			"status": "ACTIVE", "items": "0", "bytes": "0", "billing": "PROVISIONED (2 RCU, 1 WCU)"},
		{"name": "byTotal", "type": "LSI", "partition_key": "customerId (S)", "sort_key": "total (N)", "projection": "KEYS_ONLY",
			"status": "ACTIVE", "items": "0", "bytes": "0"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, row := range rows {
		got := map[string]string{}
		for k, v := range row {
			switch v := v.(type) {
			case *types.AttributeValueMemberS:
				got[k] = v.Value
			case *types.AttributeValueMemberN:
				got[k] = v.Value
			}
		}
		if jsonText(got) != jsonText(want[i]) {
			t.Errorf("row %d:\n got %s\nwant %s", i, jsonText(got), jsonText(want[i]))
		}
		for col := range row {
			if !strings.Contains(" "+strings.Join(describeColumns, " ")+" ", " "+col+" ") {
				t.Errorf("row %d has column %q outside the DESCRIBE columns", i, col)
			}
		}
	}
}

func TestDescribeTableWithoutTTLSupport(t *testing.T) {
	td := &types.TableDescription{TableName: aws.String("T"), TableStatus: types.TableStatusActive,
		KeySchema: keySchema("id", ""), BillingModeSummary: &types.BillingModeSummary{BillingMode: types.BillingModePayPerRequest}}
	api := &scriptedAPI{respond: func(op string, in any) (any, error) {
		if op == "DescribeTimeToLive" {
			return nil, apiError("UnknownOperationException", "")
		}
		return &dynamodb.DescribeTableOutput{Table: td}, nil
	}}
	e := New(api, Options{})
	res, err := e.describeTable(context.Background(), &planner.DescribeTable{Table: "T"})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAllRows(t, res.Rows)
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	if _, ok := rows[0]["ttl"]; ok {
		t.Error("ttl set without TTL support")
	}
	if b := rows[0]["billing"].(*types.AttributeValueMemberS).Value; b != "PAY_PER_REQUEST" {
		t.Errorf("billing %q", b)
	}
}
