package pgwire

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// prepared is a parsed and planned statement: a named or unnamed
// statement of the extended protocol, or one statement of a simple Query.
type prepared struct {
	// query is the statement's text; positions of its errors are offsets
	// into it.
	query string
	// stmt is nil for an empty query.
	stmt parser.Statement
	// plan is nil for transaction control (BEGIN, COMMIT, ROLLBACK), which
	// the session runs without a plan. It is made once, at Parse, and made
	// again before an Execute only when planned no longer matches.
	plan    *planner.Plan
	planned planKey
	// paramOIDs are the parameter types, inferred once at Parse.
	paramOIDs []uint32
	// cols are the result columns, decided once (by Describe or the first
	// Bind) so that every portal of the statement sends rows shaped as the
	// client was told.
	cols      []Column
	described bool
	// uniform caches, by format code, the shape of results whose columns
	// all use that format: what nearly every driver binds, so that a Bind
	// and Describe of a prepared statement build nothing.
	uniform [2]*resultShape
}

// resultShape is how a portal's rows go out: each column's format and the
// RowDescription that says so (nil for a statement without rows). It is
// shared by the portals of a statement and never modified.
type resultShape struct {
	formats []int16
	desc    *pgproto3.RowDescription
}

// plannerSettings are the settings plans depend on.
var plannerSettings = [...]string{session.SettingScanPolicy, session.SettingSegments, session.SettingConsistentRead,
	session.SettingAllowFullTableWrite, session.SettingPageSize}

// planKey is what a plan was made under: the planner's settings and the
// connection's schema epoch. A prepared statement whose key differs when
// it executes (after SET segments, CREATE INDEX, ANALYZE, ...) is planned
// again, so that it runs as the same statement sent now would.
type planKey struct {
	settings [len(plannerSettings)]string
	schema   uint64
}

// planKey returns the key of a plan made now.
func (c *conn) planKey() planKey {
	k := planKey{schema: c.schemaEpoch}
	for i, name := range plannerSettings {
		// A session without the setting plans the same either way.
		k.settings[i], _ = c.sess.Get(name)
	}
	return k
}

// portal is a bound statement: its parameters, result formats and, once
// executed, the rows still to send.
type portal struct {
	prep    *prepared
	params  []types.AttributeValue
	formats []int16 // one per column
	// desc is the RowDescription of Describe P (nil: NoData).
	desc *pgproto3.RowDescription
	// describe sends RowDescription before the rows, as a simple Query
	// does (the extended protocol describes with Describe instead).
	describe bool

	res   *executor.Result
	rows  executor.RowIter
	ctx   context.Context
	stop  context.CancelCauseFunc
	count int64
	done  bool
}

// close stops the portal's statement and its row stream.
func (p *portal) close() {
	if p.rows != nil {
		p.rows.Close()
		p.rows = nil
	}
	if p.stop != nil {
		p.stop(context.Canceled)
	}
}

// prepare parses and plans query, one statement at most. given are the
// parameter types the client declared (0: infer).
func (c *conn) prepare(ctx context.Context, query string, given []uint32) (*prepared, error) {
	chunks := parser.Split(query)
	if len(chunks) == 0 {
		return &prepared{query: query, paramOIDs: given}, nil
	}
	if len(chunks) > 1 {
		return nil, sqlerr.New(sqlerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	stmt, err := parser.ParseOne(query)
	if err != nil {
		return nil, err
	}
	return c.planStatement(ctx, query, stmt, given)
}

// planStatement plans stmt and infers its parameter types.
func (c *conn) planStatement(ctx context.Context, query string, stmt parser.Statement, given []uint32) (*prepared, error) {
	p := &prepared{query: query, stmt: stmt}
	if err := serverFileCopy(stmt); err != nil {
		return nil, err
	}
	switch stmt.(type) {
	case *parser.Begin, *parser.Commit, *parser.Rollback:
		p.paramOIDs = given
		return p, nil
	}
	key := c.planKey()
	plan, err := c.sess.Plan(ctx, stmt)
	if err != nil {
		return nil, err
	}
	p.plan, p.planned = plan, key
	oids, err := c.srv.describer.ParamTypes(ctx, c.sess, stmt, plan, given)
	if err != nil {
		return nil, err
	}
	p.paramOIDs = oids
	return p, nil
}

// serverFileCopy refuses COPY to or from a file: over the network the file
// would be the server's, which clients must not read or write (PostgreSQL
// allows it to superusers only). COPY ... TO STDOUT sends the data to the
// client instead.
func serverFileCopy(stmt parser.Statement) error {
	cp, ok := stmt.(*parser.Copy)
	if !ok || cp.File == "" {
		return nil
	}
	pos := cp.Position()
	if cp.From {
		return sqlerr.New(insufficientPrivilege, "COPY FROM a file is not allowed over the network: the file would be the server's").
			WithHint("load files from the client with ddbsql itself (COPY t FROM 'file' in ddbsql -c)").At(pos.Line, pos.Column, pos.Offset)
	}
	return sqlerr.New(insufficientPrivilege, "COPY TO a file is not allowed over the network: the file would be the server's").
		WithHint("use COPY ... TO STDOUT (psql's \\copy does)").At(pos.Line, pos.Column, pos.Offset)
}

// columns returns p's result columns, deciding them on first use.
func (c *conn) columns(ctx context.Context, p *prepared) ([]Column, error) {
	if p.described || p.plan == nil {
		return p.cols, nil
	}
	cols, err := c.srv.describer.Columns(ctx, c.sess, p.stmt, p.plan)
	if err != nil {
		return nil, err
	}
	p.cols, p.described = cols, true
	return cols, nil
}

// shape returns the result shape of a Bind asking for formats rf: none
// (all text), one for every column, or one per column.
func (p *prepared) shape(cols []Column, rf []int16) (*resultShape, error) {
	if len(rf) > 1 && len(rf) != len(cols) {
		return nil, sqlerr.New(protocolViolation, "bind message has %d result formats but query has %d columns", len(rf), len(cols))
	}
	for _, f := range rf {
		if f != textFormat && f != binaryFormat {
			return nil, sqlerr.New(protocolViolation, "unsupported format code: %d", f)
		}
	}
	uniform := len(rf) <= 1
	f := int16(textFormat)
	if len(rf) == 1 {
		f = rf[0]
	}
	if uniform && p.uniform[f] != nil {
		return p.uniform[f], nil
	}
	s := &resultShape{formats: make([]int16, len(cols))}
	for i := range s.formats {
		if uniform {
			s.formats[i] = f
		} else {
			s.formats[i] = rf[i]
		}
	}
	if cols != nil {
		s.desc = rowDescription(cols, s.formats)
	}
	if uniform {
		p.uniform[f] = s
	}
	return s, nil
}

// rowDescription describes cols in the given per-column formats (nil:
// text, as Describe of a statement reports before formats are known).
func rowDescription(cols []Column, formats []int16) *pgproto3.RowDescription {
	fields := make([]pgproto3.FieldDescription, len(cols))
	for i, col := range cols {
		f := pgproto3.FieldDescription{Name: []byte(col.Name), DataTypeOID: col.OID, DataTypeSize: typeSize(col.OID), TypeModifier: -1}
		if i < len(formats) {
			f.Format = formats[i]
		}
		fields[i] = f
	}
	return &pgproto3.RowDescription{Fields: fields}
}

// typeSize is pg_type.typlen: the fixed size of a type, -1 when variable.
func typeSize(oid uint32) int16 {
	switch oid {
	case 16: // bool
		return 1
	case 21: // int2
		return 2
	case 23, 700, 1082: // int4, float4, date
		return 4
	case 20, 701, 1114, 1184: // int8, float8, timestamp, timestamptz
		return 8
	case 2950: // uuid
		return 16
	}
	return -1
}

// execute runs a portal for up to maxRows rows (0: all) and sends what it
// gives: rows and PortalSuspended, or the rest and CommandComplete. The
// portal's statement runs in a context that CancelRequest can cancel.
func (c *conn) execute(ctx context.Context, p *portal, maxRows int64) error {
	if p.prep.stmt == nil {
		c.send(&pgproto3.EmptyQueryResponse{})
		return nil
	}
	if p.done {
		// PostgreSQL answers a finished portal with an empty completion.
		c.send(&pgproto3.CommandComplete{CommandTag: []byte(commandTag(p.res, 0))})
		return nil
	}
	if p.ctx == nil {
		p.ctx, p.stop = context.WithCancelCause(ctx)
	}
	untrack := c.track(p.stop)
	defer untrack()
	if p.res == nil {
		res, err := c.run(executor.WithCopyIn(p.ctx, c.startCopyIn), p.prep, p.params)
		err = c.endCopyIn(err)
		if err != nil {
			p.done = true
			return statementError(p.ctx, err)
		}
		p.res, p.rows = res, res.Rows
	}
	res := p.res
	switch {
	case res.Copy != nil:
		if err := c.copyOut(p); err != nil {
			return statementError(p.ctx, err)
		}
	case p.rows != nil:
		cols, err := c.columns(p.ctx, p.prep)
		if err != nil {
			return err
		}
		if p.describe {
			c.send(rowDescription(cols, p.formats))
			p.describe = false
		}
		suspended, err := c.streamRows(p, cols, maxRows)
		if err != nil {
			return statementError(p.ctx, err)
		}
		if suspended {
			c.send(&pgproto3.PortalSuspended{})
			return nil
		}
		c.send(&pgproto3.CommandComplete{CommandTag: []byte(commandTag(res, p.count))})
	default:
		c.send(&pgproto3.CommandComplete{CommandTag: []byte(commandTag(res, res.RowsAffected))})
	}
	for _, n := range res.Notices {
		c.sendNotice("NOTICE", "00000", n)
	}
	p.done = true
	p.close()
	return nil
}

// run executes a prepared statement in the session, planning it again
// first when what it was planned under has changed.
func (c *conn) run(ctx context.Context, p *prepared, params []types.AttributeValue) (*executor.Result, error) {
	if p.plan == nil {
		return c.sess.Run(ctx, p.stmt, params)
	}
	if key := c.planKey(); key != p.planned {
		plan, err := c.sess.Plan(ctx, p.stmt)
		if err != nil {
			return nil, err
		}
		p.plan, p.planned = plan, key
	}
	res, err := c.sess.Execute(ctx, p.plan, params)
	if err == nil {
		c.ran(p.plan)
	}
	return res, err
}

// ran updates what the connection caches after plan ran: DDL and ANALYZE
// outdate the plans made before them, and ANALYZE [table] also takes the
// table's sample again (every table's without one), so that statements
// prepared from now on see its attributes as they are now.
func (c *conn) ran(plan *planner.Plan) {
	root := plan.Root
	if x, ok := root.(*planner.Explain); ok && x.Analyze {
		root = x.Plan.Root
	}
	switch n := root.(type) {
	case *planner.CreateTable, *planner.CreateIndex, *planner.DropTable, *planner.DropIndex:
		c.schemaEpoch++
	case *planner.Analyze:
		c.schemaEpoch++
		c.srv.describer.Refresh(n.Table)
	}
}

// track makes cancel the target of CancelRequest until untrack is called.
func (c *conn) track(cancel context.CancelCauseFunc) (untrack func()) {
	c.mu.Lock()
	c.stmtCancel = cancel
	c.mu.Unlock()
	if c.killed.Load() {
		cancel(errAdminShutdown)
	}
	return func() {
		c.mu.Lock()
		c.stmtCancel = nil
		c.mu.Unlock()
	}
}

// streamRows sends up to maxRows rows (0: all) of p as DataRows, flushing
// every flushThreshold bytes so that memory stays bounded whatever the
// result's size. It reports whether it stopped at maxRows.
func (c *conn) streamRows(p *portal, cols []Column, maxRows int64) (suspended bool, err error) {
	var vals [][]byte
	for sent := int64(0); maxRows <= 0 || sent < maxRows; sent++ {
		it, err := p.rows.Next()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		vals, err = AppendRow(vals[:0], cols, it, p.formats)
		if err != nil {
			return false, err
		}
		c.be.Send(&pgproto3.DataRow{Values: vals})
		c.pending += 11 + 4*len(vals)
		for _, v := range vals {
			c.pending += len(v)
		}
		p.count++
		if c.pending >= flushThreshold {
			if err := c.flush(); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// countedTags are the command tags that end with the row count.
var countedTags = map[string]bool{"SELECT": true, "UPDATE": true, "DELETE": true, "COPY": true, "FETCH": true, "MOVE": true, "MERGE": true}

// commandTag is the CommandComplete tag of a result: "SELECT n",
// "INSERT 0 n", "UPDATE n", "DELETE n", "COPY n" as PostgreSQL writes
// them, or the result's own tag.
func commandTag(res *executor.Result, n int64) string {
	if res == nil {
		return ""
	}
	tag := res.Tag
	if strings.Contains(tag, " ") {
		return tag
	}
	switch {
	case tag == "INSERT":
		return "INSERT 0 " + strconv.FormatInt(n, 10)
	case countedTags[tag]:
		return tag + " " + strconv.FormatInt(n, 10)
	}
	return tag
}
