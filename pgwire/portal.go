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
	// the session runs without a plan.
	plan      *planner.Plan
	paramOIDs []uint32
	// cols are the result columns, decided once (by Describe or the first
	// Bind) so that every portal of the statement sends rows shaped as the
	// client was told.
	cols      []Column
	described bool
}

// portal is a bound statement: its parameters, result formats and, once
// executed, the rows still to send.
type portal struct {
	prep    *prepared
	params  []types.AttributeValue
	formats []int16 // one per column
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
	plan, err := c.sess.Plan(ctx, stmt)
	if err != nil {
		return nil, err
	}
	p.plan = plan
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
		res, err := c.run(p.ctx, p.prep, p.params)
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

// run executes a prepared statement in the session.
func (c *conn) run(ctx context.Context, p *prepared, params []types.AttributeValue) (*executor.Result, error) {
	if p.plan == nil {
		return c.sess.Run(ctx, p.stmt, params)
	}
	return c.sess.Execute(ctx, p.plan, params)
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
