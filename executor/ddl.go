package executor

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// createTable runs CREATE TABLE and waits until the table and its indexes
// are ACTIVE. With IF NOT EXISTS an existing table is success (after waiting
// for it to be ACTIVE, should someone else be creating it).
func (e *Executor) createTable(ctx context.Context, n *planner.CreateTable) (*Result, error) {
	s := n.Stmt
	in, err := createTableInput(s)
	if err != nil {
		return nil, err
	}
	if _, err := e.api.CreateTable(ctx, in); err != nil {
		if !isErrorCode(err, "ResourceInUseException") {
			return nil, mapError(err)
		}
		if !s.IfNotExists && !e.earlierCreate(ctx, in) {
			dup := sqlerr.New(sqlerr.DuplicateTable, "table %q already exists", s.Name).
				WithHint("CREATE TABLE IF NOT EXISTS keeps an existing table")
			dup.Detail, dup.Err = "ResourceInUseException", err
			return nil, dup
		}
	}
	if err := e.waitFor(ctx, "table "+s.Name+" to become ACTIVE", e.tableActive(s.Name)); err != nil {
		return nil, err
	}
	e.schemaChanged(s.Name)
	return &Result{Tag: "CREATE TABLE"}, nil
}

// createIndex runs CREATE INDEX: UpdateTable creating a GSI, then waits until
// the index is ACTIVE (DynamoDB backfills it from the table first).
func (e *Executor) createIndex(ctx context.Context, n *planner.CreateIndex) (*Result, error) {
	s := n.Stmt
	if s.Index.Local {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported,
			"local secondary indexes can only be created with their table").
			WithHint("create a global secondary index instead, or recreate the table with the LSI")
	}
	table, err := e.describe(ctx, s.Table)
	if err != nil {
		return nil, err
	}
	if hasIndex(table, s.Index.Name) {
		if !repeating(ctx) {
			return nil, sqlerr.New(sqlerr.DuplicateObject, "index %q already exists on table %q", s.Index.Name, s.Table)
		}
		// An interrupted run of the statement created it: wait for it as
		// that run would have.
	} else if out, err := e.api.UpdateTable(ctx, createIndexInput(s, table)); err != nil {
		return nil, mapTableError(err, s.Table)
	} else if d := out.TableDescription; d != nil && !hasIndex(d, s.Index.Name) {
		// DynamoDB answers with the index CREATING; an endpoint that
		// answers without it ignored the request (dynalite does) and would
		// never make the index ACTIVE.
		return nil, indexChangesUnsupported()
	}
	what := "index " + s.Index.Name + " on " + s.Table + " to become ACTIVE"
	active := func(st types.IndexStatus) bool { return st == types.IndexStatusActive }
	if err := e.waitFor(ctx, what, e.indexStatus(s.Table, s.Index.Name, active)); err != nil {
		return nil, err
	}
	e.schemaChanged(s.Table)
	return &Result{Tag: "CREATE INDEX"}, nil
}

// dropTable runs DROP TABLE and waits until the table is gone.
func (e *Executor) dropTable(ctx context.Context, n *planner.DropTable) (*Result, error) {
	s := n.Stmt
	_, err := e.api.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(s.Name)})
	if err != nil {
		if (s.IfExists || repeating(ctx)) && isErrorCode(err, "ResourceNotFoundException") {
			// Absent: as asked, or dropped by an interrupted run of the
			// statement.
			e.schemaChanged(s.Name)
			return &Result{Tag: "DROP TABLE"}, nil
		}
		return nil, mapTableError(err, s.Name)
	}
	// Forget the table before waiting too: it is unusable from now on.
	e.schemaChanged(s.Name)
	if err := e.waitFor(ctx, "table "+s.Name+" to be deleted", e.tableGone(s.Name)); err != nil {
		return nil, err
	}
	e.schemaChanged(s.Name)
	return &Result{Tag: "DROP TABLE"}, nil
}

// dropIndex runs DROP INDEX: UpdateTable deleting a GSI, then waits until the
// index is gone. LSIs live as long as their table.
func (e *Executor) dropIndex(ctx context.Context, n *planner.DropIndex) (*Result, error) {
	s := n.Stmt
	table, err := e.describe(ctx, s.Table)
	if err != nil {
		return nil, err
	}
	if !hasIndex(table, s.Name) {
		if repeating(ctx) {
			// Dropped by an interrupted run of the statement.
			return &Result{Tag: "DROP INDEX"}, nil
		}
		return nil, sqlerr.New(sqlerr.UndefinedObject, "index %q does not exist on table %q", s.Name, s.Table).
			WithHint("DESCRIBE %s lists its indexes", quoteName(s.Table))
	}
	for _, ix := range table.LocalSecondaryIndexes {
		if aws.ToString(ix.IndexName) == s.Name {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported,
				"%q is a local secondary index, which lives as long as its table", s.Name)
		}
	}
	out, err := e.api.UpdateTable(ctx, &dynamodb.UpdateTableInput{
		TableName: aws.String(s.Table),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{
			Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String(s.Name)},
		}},
	})
	if err != nil {
		return nil, mapTableError(err, s.Table)
	}
	// DynamoDB answers with the index DELETING; still ACTIVE means the
	// endpoint ignored the request.
	if d := out.TableDescription; d != nil && gsiStatus(d, s.Name) == types.IndexStatusActive {
		return nil, indexChangesUnsupported()
	}
	// Forget the index before waiting too: it is unusable from now on.
	e.schemaChanged(s.Table)
	what := "index " + s.Name + " on " + s.Table + " to be deleted"
	gone := func(st types.IndexStatus) bool { return st == "" }
	if err := e.waitFor(ctx, what, e.indexStatus(s.Table, s.Name, gone)); err != nil {
		return nil, err
	}
	e.schemaChanged(s.Table)
	return &Result{Tag: "DROP INDEX"}, nil
}

// schemaChanged tells the catalog cache to forget table.
func (e *Executor) schemaChanged(table string) {
	if e.opts.OnSchemaChange != nil {
		e.opts.OnSchemaChange(table)
	}
}

// hasIndex reports whether the table has a GSI or LSI called name.
// earlierCreate reports whether the existing table a CREATE TABLE found is
// the one an interrupted run of the statement created (repeating): the
// same key schema, key types and index names.
func (e *Executor) earlierCreate(ctx context.Context, in *dynamodb.CreateTableInput) bool {
	if !repeating(ctx) {
		return false
	}
	t, err := e.describe(ctx, aws.ToString(in.TableName))
	if err != nil {
		return false
	}
	schema := func(ks []types.KeySchemaElement, defs []types.AttributeDefinition) string {
		var b strings.Builder
		for _, k := range ks {
			b.WriteString(aws.ToString(k.AttributeName) + " " + string(k.KeyType))
			for _, d := range defs {
				if aws.ToString(d.AttributeName) == aws.ToString(k.AttributeName) {
					b.WriteString(" " + string(d.AttributeType))
				}
			}
			b.WriteString("; ")
		}
		return b.String()
	}
	indexes := func(g []string, l []string) string {
		slices.Sort(g)
		slices.Sort(l)
		return strings.Join(g, ",") + "|" + strings.Join(l, ",")
	}
	var wantG, wantL, gotG, gotL []string
	for _, ix := range in.GlobalSecondaryIndexes {
		wantG = append(wantG, aws.ToString(ix.IndexName))
	}
	for _, ix := range in.LocalSecondaryIndexes {
		wantL = append(wantL, aws.ToString(ix.IndexName))
	}
	for _, ix := range t.GlobalSecondaryIndexes {
		gotG = append(gotG, aws.ToString(ix.IndexName))
	}
	for _, ix := range t.LocalSecondaryIndexes {
		gotL = append(gotL, aws.ToString(ix.IndexName))
	}
	return schema(in.KeySchema, in.AttributeDefinitions) == schema(t.KeySchema, t.AttributeDefinitions) &&
		indexes(wantG, wantL) == indexes(gotG, gotL)
}

func hasIndex(t *types.TableDescription, name string) bool {
	for _, ix := range t.GlobalSecondaryIndexes {
		if aws.ToString(ix.IndexName) == name {
			return true
		}
	}
	for _, ix := range t.LocalSecondaryIndexes {
		if aws.ToString(ix.IndexName) == name {
			return true
		}
	}
	return false
}

// gsiStatus returns the status of the table's GSI called name, "" when it
// has none.
func gsiStatus(t *types.TableDescription, name string) types.IndexStatus {
	for _, ix := range t.GlobalSecondaryIndexes {
		if aws.ToString(ix.IndexName) == name {
			return ix.IndexStatus
		}
	}
	return ""
}

// indexChangesUnsupported is the error for an endpoint that accepts
// UpdateTable but ignores its index changes.
func indexChangesUnsupported() error {
	return sqlerr.New(sqlerr.FeatureNotSupported,
		"this DynamoDB endpoint ignored the index change: it cannot add or drop indexes of existing tables").
		WithHint("declare the index in CREATE TABLE, or use DynamoDB or DynamoDB Local")
}
