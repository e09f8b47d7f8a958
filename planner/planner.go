package planner

import (
	"context"
	"strings"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// ScanPolicy says what happens when a statement has no usable key condition
// and must read a whole table or index.
type ScanPolicy string

const (
	// ScanAllow runs full scans silently.
	ScanAllow ScanPolicy = "allow"
	// ScanWarn runs full scans and warns, naming the table and the missing
	// key condition (the default).
	ScanWarn ScanPolicy = "warn"
	// ScanDeny refuses full scans with that message.
	ScanDeny ScanPolicy = "deny"
)

// ParseScanPolicy validates a scan_policy setting.
func ParseScanPolicy(s string) (ScanPolicy, error) {
	switch p := ScanPolicy(strings.ToLower(s)); p {
	case ScanAllow, ScanWarn, ScanDeny:
		return p, nil
	}
	return "", sqlerr.New(sqlerr.InvalidParameter, "invalid scan_policy %q: want allow, warn or deny", s)
}

// Options are the session settings that shape plans.
type Options struct {
	ScanPolicy ScanPolicy
	// Segments forces a Scan's TotalSegments; 0 chooses from the table size
	// (one segment per SegmentBytes of data, at most MaxSegments).
	Segments int
	// ConsistentRead asks for strongly consistent reads on the table and
	// LSIs (GSIs do not support them).
	ConsistentRead bool
	// AllowFullTableWrite lets UPDATE and DELETE write every item of a
	// table (a WHERE clause with no condition on the items).
	AllowFullTableWrite bool
	// PageSize is the Limit sent with each Query and Scan call (the items
	// DynamoDB evaluates per page); 0 leaves pages at DynamoDB's 1 MB.
	// Smaller pages make more calls but return the first rows sooner.
	PageSize int
	// InsertBatch is the most items an INSERT of several items puts in one
	// TransactWriteItems (each put keeping its own condition); 0 means
	// DefaultInsertBatch, 1 one PutItem per item. A transactional put
	// costs twice the write units of a PutItem, and saves a round trip
	// per item.
	InsertBatch int
}

// DefaultInsertBatch is the InsertBatch of Options that set none:
// TransactWriteItems' limit of 100 actions.
const DefaultInsertBatch = 100

// insertBatch is the Batch of an INSERT's PutItems node.
func (p *Planner) insertBatch(upsert bool) int {
	switch {
	case upsert:
		return 0
	case p.opts.InsertBatch <= 0:
		return DefaultInsertBatch
	default:
		return min(p.opts.InsertBatch, DefaultInsertBatch)
	}
}

// SegmentBytes is the table size one parallel scan segment covers when the
// planner chooses the segment count.
const SegmentBytes = 128 << 20

// MaxSegments bounds the segments the planner chooses by itself.
const MaxSegments = 32

// Planner turns statements into plans. It reads table metadata through its
// Catalog and never calls DynamoDB otherwise.
type Planner struct {
	cat  catalog.Catalog
	opts Options
}

// New returns a Planner.
func New(cat catalog.Catalog, opts Options) *Planner {
	if opts.ScanPolicy == "" {
		opts.ScanPolicy = ScanWarn
	}
	return &Planner{cat: cat, opts: opts}
}

// Plan plans one statement.
func (p *Planner) Plan(ctx context.Context, stmt parser.Statement) (*Plan, error) {
	return p.plan(ctx, stmt, true)
}

// plan plans stmt; enforce applies scan_policy=deny (EXPLAIN without
// ANALYZE shows a refused plan instead).
func (p *Planner) plan(ctx context.Context, stmt parser.Statement, enforce bool) (*Plan, error) {
	if plan, ok := planSession(stmt); ok {
		return plan, nil
	}
	var (
		plan *Plan
		err  error
	)
	switch s := stmt.(type) {
	case *parser.Select:
		plan, err = p.planSelect(ctx, s)
	case *parser.Insert:
		plan, err = p.planInsert(ctx, s)
	case *parser.Update:
		plan, err = p.planUpdate(ctx, s)
	case *parser.Delete:
		plan, err = p.planDelete(ctx, s)
	case *parser.Explain:
		plan, err = p.planExplain(ctx, s)
	case *parser.CreateTable:
		plan = &Plan{Root: &CreateTable{Stmt: s}, Tag: "CREATE TABLE"}
	case *parser.CreateIndex:
		plan = &Plan{Root: &CreateIndex{Stmt: s}, Tag: "CREATE INDEX"}
	case *parser.DropTable:
		plan = &Plan{Root: &DropTable{Stmt: s}, Tag: "DROP TABLE"}
	case *parser.DropIndex:
		plan = &Plan{Root: &DropIndex{Stmt: s}, Tag: "DROP INDEX"}
	case *parser.ShowTables:
		plan = &Plan{Root: &ShowTables{Like: s.Like}, Tag: "SHOW", Columns: []string{"name"}}
	case *parser.Describe:
		plan = &Plan{Root: &DescribeTable{Table: s.Table}, Tag: "DESCRIBE", Columns: describeColumns}
	case *parser.Copy:
		plan, err = p.planCopy(ctx, s)
	case *parser.Exists:
		plan, err = p.planExists(ctx, s)
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "statement %T is not supported", stmt)
	}
	if err != nil {
		return nil, err
	}
	if _, isExplain := stmt.(*parser.Explain); enforce && !isExplain {
		if err := p.checkScanPolicy(plan); err != nil {
			return nil, atPos(err, stmt.Position())
		}
		if err := p.checkFullTableWrite(plan); err != nil {
			return nil, atPos(err, stmt.Position())
		}
	}
	plan.NumParams = countParams(stmt)
	return plan, nil
}

// describeColumns are the columns of DESCRIBE's rows.
var describeColumns = []string{"name", "type", "partition_key", "sort_key", "projection",
	"status", "items", "bytes", "billing", "ttl", "stream"}

func (p *Planner) planExplain(ctx context.Context, s *parser.Explain) (*Plan, error) {
	// EXPLAIN shows a plan that scan_policy=deny refuses; EXPLAIN ANALYZE
	// would run it, so it is refused too.
	inner, err := p.plan(ctx, s.Stmt, s.Analyze)
	if err != nil {
		return nil, err
	}
	return &Plan{
		Root:     &Explain{Plan: inner, Analyze: s.Analyze, JSON: s.JSON},
		Tag:      "EXPLAIN",
		Columns:  []string{"QUERY PLAN"},
		Warnings: inner.Warnings,
	}, nil
}

// table looks a table up, positioning an unknown-table error at the name.
func (p *Planner) table(ctx context.Context, name string, pos parser.Pos) (*catalog.Table, error) {
	t, err := p.cat.Table(ctx, name)
	if err != nil {
		return nil, atPos(err, pos)
	}
	return t, nil
}

// atPos positions err at pos when it is a sqlerr without a position.
func atPos(err error, pos parser.Pos) error {
	e := sqlerr.As(err)
	if !e.HasPos && pos.Line > 0 {
		e.At(pos.Line, pos.Column, pos.Offset)
	}
	return e
}

// errAt returns a positioned error.
func errAt(pos parser.Pos, code, format string, args ...any) *sqlerr.Error {
	e := sqlerr.New(code, format, args...)
	if pos.Line > 0 {
		e.At(pos.Line, pos.Column, pos.Offset)
	}
	return e
}

// countParams returns one more than the highest parameter index in stmt.
func countParams(stmt parser.Statement) int {
	n := 0
	walkStatement(stmt, func(e parser.Expr) {
		if p, ok := e.(*parser.Param); ok && p.Index+1 > n {
			n = p.Index + 1
		}
	})
	return n
}
