package pgwire

import (
	"context"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/parser"
)

// simpleQuery answers a Query message: every statement of the string in
// order, each with its rows (in text format) and CommandComplete. As in
// PostgreSQL the whole string is parsed first, so a syntax error anywhere
// runs nothing; a failing statement skips the rest. An empty string gets
// EmptyQueryResponse.
func (c *conn) simpleQuery(ctx context.Context, q string) {
	// A simple query replaces the unnamed portal.
	c.closePortal("")
	chunks := parser.Split(q)
	if len(chunks) == 0 {
		c.send(&pgproto3.EmptyQueryResponse{})
		return
	}
	stmts := make([]parser.Statement, len(chunks))
	for i, ch := range chunks {
		st, err := parser.ParseOne(ch.Text)
		if err != nil {
			c.sess.FailTransaction()
			c.sendError(err, q, ch.Pos.Offset)
			return
		}
		stmts[i] = st
	}
	defer c.endImplicitTransaction()
	for i, st := range stmts {
		base := chunks[i].Pos.Offset
		prep, err := c.planStatement(ctx, chunks[i].Text, st, nil)
		if err != nil {
			c.sendError(err, q, base)
			return
		}
		p := &portal{prep: prep, describe: true}
		err = c.execute(ctx, p, 0)
		p.close()
		if err != nil {
			c.sendError(err, q, base)
			return
		}
		if c.broken {
			return
		}
	}
}

// endImplicitTransaction closes every portal when no transaction is open:
// as in PostgreSQL, portals live until the end of their transaction, which
// outside BEGIN ... COMMIT is the end of the Query or of the Sync.
func (c *conn) endImplicitTransaction() {
	if !c.sess.InTransaction() {
		c.closePortals()
	}
}

// closePortal closes the portal called name, if any.
func (c *conn) closePortal(name string) {
	if p := c.portals[name]; p != nil {
		p.close()
		delete(c.portals, name)
	}
}

// closePortals closes every portal.
func (c *conn) closePortals() {
	for name, p := range c.portals {
		p.close()
		delete(c.portals, name)
	}
}
