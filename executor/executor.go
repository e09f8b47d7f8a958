package executor

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// Item is one row: attribute name → value. An absent key is a missing
// attribute, distinct from a NULL value.
type Item = map[string]types.AttributeValue

// DynamoDB is the part of the DynamoDB API the executor calls.
// *dynamodb.Client implements it; tests use a recording fake.
type DynamoDB interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	Scan(context.Context, *dynamodb.ScanInput, ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	CreateTable(context.Context, *dynamodb.CreateTableInput, ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	UpdateTable(context.Context, *dynamodb.UpdateTableInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateTableOutput, error)
	DeleteTable(context.Context, *dynamodb.DeleteTableInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteTableOutput, error)
	DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	DescribeTimeToLive(context.Context, *dynamodb.DescribeTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error)
	ListTables(context.Context, *dynamodb.ListTablesInput, ...func(*dynamodb.Options)) (*dynamodb.ListTablesOutput, error)
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// RowIter streams rows. Next returns io.EOF after the last row. Close stops
// every in-flight call and page of the statement; it is safe to call twice.
type RowIter interface {
	Next() (Item, error)
	Close() error
}

// Progress reports how far a long statement has got, for progress lines.
type Progress struct {
	Message  string // set by DDL waits ("waiting for table Users to become ACTIVE")
	Calls    int64
	Pages    int64
	Scanned  int64
	Returned int64
	Capacity float64
}

// Options tune an Executor.
type Options struct {
	// Concurrency bounds the calls one statement has in flight (parallel scan
	// segments, IN queries, BatchGetItem chunks; the writes of a multi-item
	// INSERT, UPSERT, UPDATE or DELETE). Default 8.
	Concurrency int
	// OnProgress, when set, is called from time to time during long reads
	// and DDL waits (at most a few times a second).
	OnProgress func(Progress)
	// OnSchemaChange, when set, is called with a table's name after DDL
	// changed it, so a catalog cache can forget it.
	OnSchemaChange func(table string)
	// Session answers the functions that report on the session
	// (current_setting, current_user, ...); nil gives PostgreSQL's
	// defaults.
	Session SessionInfo
	// Clock paces the writes of a statement under a write_capacity budget;
	// nil is the real clock. A test gives a clock whose Sleep only counts,
	// to check the pacing against a real backend's reported capacity
	// without waiting.
	Clock Clock
}

// Clock is the time as the write budget sees it.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, whichever comes first, and
	// returns ctx's error in the second case.
	Sleep(ctx context.Context, d time.Duration) error
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time                                   { return time.Now() }
func (realClock) Sleep(ctx context.Context, d time.Duration) error { return sleep(ctx, d) }

// Executor runs plans against DynamoDB.
type Executor struct {
	api  DynamoDB
	opts Options
	// noTransactWrites is set once the backend answered TransactWriteItems
	// with UnknownOperationException (dynalite): INSERT of several items
	// then puts them one by one.
	noTransactWrites atomic.Bool
}

// New returns an Executor calling api.
func New(api DynamoDB, opts Options) *Executor {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	return &Executor{api: api, opts: opts}
}

// Result is the outcome of running a statement.
type Result struct {
	// Columns and KeyColumns describe Rows (see planner.Plan).
	Columns    []string
	KeyColumns []string
	// Rows is non-nil for statements that return rows (SELECT, EXPLAIN,
	// SHOW, DESCRIBE, writes with RETURNING). The caller must Close it.
	Rows RowIter
	// Tag is the command tag (PostgreSQL style) for statements without
	// rows: "INSERT 0 1", "UPDATE 1", "DELETE 0", "CREATE TABLE", ...; for
	// statements with rows it is the verb ("SELECT") and the front end adds
	// the count.
	Tag string
	// RowsAffected counts items written.
	RowsAffected int64
	// Matched and Skipped are set by set-based UPDATE and DELETE: the items
	// the WHERE clause matched when read, and those left alone because their
	// conditional write failed (the item changed in between).
	// RowsAffected = Matched - Skipped.
	Matched, Skipped int64
	// Notices are messages for the user after the statement ran (for
	// example how many items a set-based write skipped).
	Notices []string
	// Copy is set by COPY ... TO STDOUT: the front end writes Rows in this
	// format instead of its own, without a pager, a row limit or a tag, so
	// that the output is the file COPY ... TO 'file' would have written.
	Copy *CopyOutput

	stats *stats
}

// Totals reports what the statement's DynamoDB calls have done so far:
// calls, pages, items scanned and returned, and consumed capacity units
// (as DynamoDB reports them; 0 where a backend reports none). Read it after
// Rows is exhausted for the statement's final figures.
func (r *Result) Totals() Progress {
	if r.stats == nil {
		return Progress{}
	}
	return r.stats.totals()
}

// Run executes p with params bound to its parameters (params[i] is
// parameter i). Run returns once the statement has started; rows stream
// through Result.Rows.
func (e *Executor) Run(ctx context.Context, p *planner.Plan, params []types.AttributeValue) (*Result, error) {
	if len(params) < p.NumParams {
		return nil, sqlerr.New(sqlerr.InvalidParameter,
			"statement has %d parameters but %d values were given", p.NumParams, len(params))
	}
	env := e.newEnv(params)
	env.ctx = ctx
	if len(p.Settings) > 0 {
		env.session = statementSettings{SessionInfo: env.sessionInfo(), values: p.Settings}
	}
	res, err := e.run(ctx, env, p)
	if res != nil {
		res.stats = env.stats
	}
	return res, err
}

// newEnv returns the environment of one execution: params bound, fresh
// statistics, and the session answering current_user, current_setting()
// and the like. Every execution builds its env here, so that a
// transaction's writes, prepared before they run, evaluate as a statement
// run at once does.
func (e *Executor) newEnv(params []types.AttributeValue) *env {
	return &env{params: params, stats: newStats(), session: e.opts.Session, wallClock: e.opts.Clock}
}

// statementSettings is the session as one statement sees it: the values
// its WITH (...) clause gives settings (planner.Plan.Settings) come before
// the session's, for current_setting and for the run-time settings the
// executor reads (write_capacity), while the session itself is left as it
// was.
type statementSettings struct {
	SessionInfo
	values map[string]string
}

// Get returns the statement's value of a setting, else the session's.
func (s statementSettings) Get(name string) (string, error) {
	if v, ok := s.values[strings.ToLower(name)]; ok {
		return v, nil
	}
	return s.SessionInfo.Get(name)
}

// run dispatches on the plan's root: statements here, row-producing nodes
// through open.
func (e *Executor) run(ctx context.Context, env *env, p *planner.Plan) (*Result, error) {
	switch n := p.Root.(type) {
	case *planner.PutItem:
		return e.putItem(ctx, env, n)
	case *planner.UpdateItem:
		return e.updateItem(ctx, env, n)
	case *planner.DeleteItem:
		return e.deleteItem(ctx, env, n)
	case *planner.PutItems:
		return e.putItems(ctx, env, n)
	case *planner.WriteEach:
		return e.writeEach(ctx, env, n)
	case *planner.CreateTable:
		return e.createTable(ctx, n)
	case *planner.CreateIndex:
		return e.createIndex(ctx, n)
	case *planner.DropTable:
		return e.dropTable(ctx, n)
	case *planner.DropIndex:
		return e.dropIndex(ctx, n)
	case *planner.ShowTables:
		return e.showTables(ctx, n)
	case *planner.DescribeTable:
		return e.describeTable(ctx, n)
	case *planner.Explain:
		return e.explain(ctx, env, n)
	case *planner.CopyFrom:
		return e.copyFrom(ctx, env, n)
	case *planner.CopyTo:
		return e.copyTo(ctx, env, n)
	case *planner.ConditionCheck:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "EXISTS(...) as a statement is a condition check: it runs inside a transaction").
			WithHint("BEGIN; EXISTS(SELECT ...); the writes it guards; COMMIT")
	}
	rows, err := e.open(ctx, env, p.Root)
	if err != nil {
		return nil, err
	}
	return &Result{Columns: p.Columns, KeyColumns: p.KeyColumns, Rows: rows, Tag: p.Tag}, nil
}

// open returns the rows of a row-producing node. It is the one switch over
// the relational nodes.
func (e *Executor) open(ctx context.Context, env *env, node planner.Node) (RowIter, error) {
	switch n := node.(type) {
	case *planner.Read:
		return e.openRead(ctx, env, n)
	case *planner.Filter:
		return e.openFilter(ctx, env, n)
	case *planner.Project:
		return e.openProject(ctx, env, n)
	case *planner.Sort:
		return e.openSort(ctx, env, n)
	case *planner.Limit:
		return e.openLimit(ctx, env, n)
	case *planner.Distinct:
		return e.openDistinct(ctx, env, n)
	case *planner.Aggregate:
		return e.openAggregate(ctx, env, n)
	case planner.SingleRow, *planner.SingleRow:
		return e.openSingleRow(ctx, env)
	case *planner.ReadFile:
		return e.openReadFile(ctx, n)
	}
	return nil, sqlerr.New(sqlerr.Internal, "executor: unexpected plan node %T", node)
}
