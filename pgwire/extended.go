package pgwire

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// extended handles Parse, Bind, Describe, Execute and Close. A failure
// sends ErrorResponse and discards every message up to the next Sync.
func (c *conn) extended(ctx context.Context, msg pgproto3.FrontendMessage) {
	var err error
	src, base := "", 0
	switch m := msg.(type) {
	case *pgproto3.Parse:
		src = m.Query
		err = c.parse(ctx, m)
	case *pgproto3.Bind:
		err = c.bind(ctx, m)
	case *pgproto3.Describe:
		err = c.describe(ctx, m)
	case *pgproto3.Execute:
		var p *portal
		if p = c.portals[m.Portal]; p == nil {
			err = sqlerr.New(undefinedCursor, "portal %q does not exist", m.Portal)
			break
		}
		src = p.prep.query
		if err = c.execute(ctx, p, int64(m.MaxRows)); err != nil {
			c.closePortal(m.Portal)
		}
	case *pgproto3.Close:
		if m.ObjectType == 'S' {
			delete(c.statements, m.Name)
		} else {
			c.closePortal(m.Name)
		}
		c.send(&pgproto3.CloseComplete{})
	}
	if err != nil {
		c.sendError(err, src, base)
		c.skipTillSync = true
	}
}

// sync ends an extended-protocol batch: the implicit transaction ends
// (closing its portals) and ReadyForQuery is sent.
func (c *conn) sync() {
	c.endImplicitTransaction()
	c.sendReady()
}

func (c *conn) parse(ctx context.Context, m *pgproto3.Parse) error {
	if m.Name != "" {
		if _, dup := c.statements[m.Name]; dup {
			return sqlerr.New(duplicatePreparedSt, "prepared statement %q already exists", m.Name)
		}
	}
	given := append([]uint32(nil), m.ParameterOIDs...)
	untrack := c.trackContext(&ctx)
	defer untrack()
	p, err := c.prepare(ctx, m.Query, given)
	if err != nil {
		c.sess.FailTransaction()
		return statementError(ctx, err)
	}
	if c.statements == nil {
		c.statements = map[string]*prepared{}
	}
	c.statements[m.Name] = p
	c.send(&pgproto3.ParseComplete{})
	return nil
}

// deallocate drops the prepared statement called name, every one when
// name is "": the session calls it for DEALLOCATE, DEALLOCATE ALL and
// DISCARD ALL | PLANS. Portals already bound keep their statement until
// they close, as in PostgreSQL.
func (c *conn) deallocate(name string) error {
	if name == "" {
		clear(c.statements)
		return nil
	}
	if _, ok := c.statements[name]; !ok {
		return sqlerr.New(invalidPreparedStmt, "prepared statement %q does not exist", name)
	}
	delete(c.statements, name)
	return nil
}

// trackContext replaces *ctx with a context CancelRequest can cancel, for
// the planning and sampling that Parse and Describe may do.
func (c *conn) trackContext(ctx *context.Context) (untrack func()) {
	child, cancel := context.WithCancelCause(*ctx)
	*ctx = child
	done := c.track(cancel)
	return func() {
		done()
		cancel(context.Canceled)
	}
}

func (c *conn) bind(ctx context.Context, m *pgproto3.Bind) error {
	prep := c.statements[m.PreparedStatement]
	if prep == nil {
		return sqlerr.New(invalidPreparedStmt, "prepared statement %q does not exist", m.PreparedStatement)
	}
	if m.DestinationPortal != "" {
		if _, dup := c.portals[m.DestinationPortal]; dup {
			return sqlerr.New("42P03", "cursor %q already exists", m.DestinationPortal)
		}
	}
	if len(m.Parameters) != len(prep.paramOIDs) {
		return sqlerr.New(protocolViolation, "bind message supplies %d parameters, but prepared statement %q requires %d",
			len(m.Parameters), m.PreparedStatement, len(prep.paramOIDs))
	}
	pf := m.ParameterFormatCodes
	if len(pf) > 1 && len(pf) != len(m.Parameters) {
		return sqlerr.New(protocolViolation, "bind message has %d parameter formats but %d parameters", len(pf), len(m.Parameters))
	}
	params := make([]types.AttributeValue, len(m.Parameters))
	for i, data := range m.Parameters {
		f := int16(0)
		switch len(pf) {
		case 0:
		case 1:
			f = pf[0]
		default:
			f = pf[i]
		}
		if f != 0 && f != 1 {
			return sqlerr.New(protocolViolation, "unsupported format code: %d", f)
		}
		v, err := DecodeParam(prep.paramOIDs[i], f, data)
		if err != nil {
			e := sqlerr.As(err)
			if e.Detail == "" {
				c := *e
				c.Detail = "parameter $" + strconv.Itoa(i+1)
				e = &c
			}
			return e
		}
		params[i] = v
	}
	cols := prep.cols
	if !prep.described && prep.plan != nil {
		// The first Bind of a statement never described decides its
		// columns, which may sample a table.
		untrack := c.trackContext(&ctx)
		var err error
		cols, err = c.columns(ctx, prep)
		untrack()
		if err != nil {
			return statementError(ctx, err)
		}
	}
	shape, err := prep.shape(cols, m.ResultFormatCodes)
	if err != nil {
		return err
	}
	c.closePortal(m.DestinationPortal)
	if c.portals == nil {
		c.portals = map[string]*portal{}
	}
	c.portals[m.DestinationPortal] = &portal{prep: prep, params: params, formats: shape.formats, desc: shape.desc}
	c.send(&pgproto3.BindComplete{})
	return nil
}

func (c *conn) describe(ctx context.Context, m *pgproto3.Describe) error {
	if m.ObjectType == 'S' {
		prep := c.statements[m.Name]
		if prep == nil {
			return sqlerr.New(invalidPreparedStmt, "prepared statement %q does not exist", m.Name)
		}
		untrack := c.trackContext(&ctx)
		defer untrack()
		cols, err := c.columns(ctx, prep)
		if err != nil {
			return statementError(ctx, err)
		}
		c.send(&pgproto3.ParameterDescription{ParameterOIDs: prep.paramOIDs})
		c.sendColumns(cols, nil)
		return nil
	}
	p := c.portals[m.Name]
	if p == nil {
		return sqlerr.New(undefinedCursor, "portal %q does not exist", m.Name)
	}
	// Bind decided the portal's columns and formats.
	if p.desc == nil {
		c.send(&pgproto3.NoData{})
		return nil
	}
	c.send(p.desc)
	return nil
}

// sendColumns sends RowDescription, or NoData for a statement without rows.
func (c *conn) sendColumns(cols []Column, formats []int16) {
	if cols == nil {
		c.send(&pgproto3.NoData{})
		return
	}
	c.send(rowDescription(cols, formats))
}
