package parser

import (
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// converter turns the parse trees of statements into the AST. The first
// error found is kept and later ones ignored, so conversion code never has
// to unwind: it carries on with whatever it has and Parse discards the
// result.
type converter struct {
	src    string // the text being parsed
	err    *sqlerr.Error
	params []*Param // in order of creation
}

// fail records a syntax error at pos unless an error is already recorded.
func (c *converter) fail(pos lexer.Position, format string, args ...any) {
	c.failCode(sqlerr.SyntaxError, pos, format, args...)
}

// failCode records an error with the given SQLSTATE.
func (c *converter) failCode(code string, pos lexer.Position, format string, args ...any) {
	if c.err == nil {
		c.err = sqlerr.New(code, format, args...).At(pos.Line, pos.Column, pos.Offset)
	}
}

// failNear records `syntax error at or near "tok": detail`.
func (c *converter) failNear(tok lexer.Token, detail string) {
	c.fail(tok.Pos, "syntax error at or near %s: %s", nearText(tok.Value), detail)
}

// finish numbers the statement's parameters: `?` in order of appearance,
// `$n` as n-1. Mixing the two styles is an error.
func (c *converter) finish() {
	ps := c.params
	c.params = ps[:0]
	if len(ps) == 0 || c.err != nil {
		return
	}
	sortParams(ps)
	next := 0
	for _, p := range ps {
		if p.Dollar != ps[0].Dollar {
			c.fail(lexer.Position{Offset: p.Pos.Offset, Line: p.Pos.Line, Column: p.Pos.Column},
				"syntax error at or near %s: cannot mix ? and $n parameters in one statement", nearParam(p))
			return
		}
		if !p.Dollar {
			p.Index = next
			next++
		}
	}
}

// sortParams orders parameters by position. Conversion creates them in
// source order already, so this is an insertion sort that does no work.
func sortParams(ps []*Param) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Pos.Offset < ps[j-1].Pos.Offset; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func nearParam(p *Param) string {
	if p.Dollar {
		return nearText("$" + strconv.Itoa(p.Index+1))
	}
	return nearText("?")
}

// param converts a ? or $n token.
func (c *converter) param(tok lexer.Token) *Param {
	p := &Param{Pos: pos(tok.Pos)}
	if tok.Value != "?" {
		n, err := strconv.Atoi(tok.Value[1:])
		if err != nil || n < 1 || n > maxParams {
			c.fail(tok.Pos, "syntax error at or near %s: parameter numbers run from $1 to $%d", nearText(tok.Value), maxParams)
			n = 1
		}
		p.Index, p.Dollar = n-1, true
	}
	c.params = append(c.params, p)
	return p
}

// maxParams is the largest $n accepted: PostgreSQL's protocol limit.
const maxParams = 65535

func pos(p lexer.Position) Pos { return Pos{Offset: p.Offset, Line: p.Line, Column: p.Column} }

// name returns an identifier's text: quotes removed and "" unescaped for a
// quoted identifier, as written otherwise (names are case-sensitive).
func name(tok lexer.Token) string {
	v := tok.Value
	if len(v) < 2 || v[0] != '"' {
		return v
	}
	return unquote(v, '"')
}

// unquote strips the delimiters of a quoted token and undoubles the quote.
func unquote(v string, q byte) string {
	v = v[1 : len(v)-1]
	if strings.IndexByte(v, q) < 0 {
		return v
	}
	qs := string(q)
	return strings.ReplaceAll(v, qs+qs, qs)
}

// statement converts one statement.
func (c *converter) statement(s statement) Statement {
	switch s := s.(type) {
	case *selectStmt:
		out := c.query(s)
		out.Options = c.options(&s.Options)
		return out
	case *insertStmt:
		return c.insert(s)
	case *updateStmt:
		return c.update(s)
	case *deleteStmt:
		return c.delete(s)
	case *createStmt:
		if s.Table != nil {
			return c.createTable(s.Pos, s.Table)
		}
		return c.createIndex(s.Pos, s.Index)
	case *dropStmt:
		if s.Table != nil {
			return &DropTable{Pos: pos(s.Pos), Name: name(s.Table.Name.Name), IfExists: s.Table.IfExists}
		}
		d := &DropIndex{Pos: pos(s.Pos), Name: name(s.Index.Dotted), Table: name(s.Index.First)}
		if s.Index.Table.Type != 0 {
			d.Name, d.Table = name(s.Index.First), name(s.Index.Table)
		}
		return d
	case *explainStmt:
		return c.explain(s)
	case *showStmt:
		return c.showStmt(s)
	case *describeStmt:
		return &Describe{Pos: pos(s.Pos), Table: name(s.Table.Name)}
	case *copyStmt:
		return c.copyStmt(s)
	case *beginStmt:
		b := &Begin{Pos: pos(s.Pos)}
		if s.Modes != nil {
			b.Modes = c.txModes(s.Modes)
		}
		return b
	case *commitStmt:
		return &Commit{Pos: pos(s.Pos)}
	case *rollbackStmt:
		return &Rollback{Pos: pos(s.Pos)}
	case *existsStmt:
		return &Exists{Pos: pos(s.Pos), Not: s.Not, Select: c.selectStmt(&s.Select)}
	case *setStmt:
		return c.setStmt(s)
	case *resetStmt:
		return c.resetStmt(s)
	case *discardStmt:
		return c.discardStmt(s)
	case *deallocateStmt:
		return c.deallocateStmt(s)
	case *analyzeStmt:
		return c.analyzeStmt(s)
	}
	panic("parser: unknown statement production")
}

// selectStmt converts a SELECT inside another statement (COPY (SELECT
// ...), EXISTS(SELECT ...)), which cannot have options of its own.
func (c *converter) selectStmt(s *selectStmt) *Select {
	if s.Options.With.Type != 0 {
		c.failNear(s.Options.With, "WITH (...) sets options of a whole statement and goes at its end")
	}
	return c.query(s)
}

// query converts a SELECT without its WITH options, which belong to the
// statement (see options).
func (c *converter) query(s *selectStmt) *Select {
	out := &Select{Pos: pos(s.Pos), Distinct: s.Distinct}
	out.Items = make([]SelectItem, len(s.Items))
	for i, it := range s.Items {
		item := &out.Items[i]
		item.Pos = pos(it.Pos)
		if it.Star {
			item.Star = true
			continue
		}
		item.Expr = c.expr(&it.Expr)
		if it.Alias.Type != 0 {
			item.Alias = name(it.Alias)
		}
	}
	if s.From.Table.Name.Type != 0 {
		f := &s.From
		t := &TableName{Pos: pos(f.Table.Name.Pos), Name: name(f.Table.Name)}
		if f.Index.Type != 0 {
			t.Index = name(f.Index)
		}
		if f.Alias.Type != 0 {
			t.Alias = name(f.Alias)
		}
		out.From = t
	}
	out.Where = c.optExpr(&s.Where)
	if len(s.GroupBy) > 0 {
		out.GroupBy = c.exprs(s.GroupBy)
	}
	out.Having = c.optExpr(&s.Having)
	if len(s.OrderBy) > 0 {
		out.OrderBy = make([]OrderItem, len(s.OrderBy))
		for i, o := range s.OrderBy {
			x := c.expr(&o.Expr)
			out.OrderBy[i] = OrderItem{Pos: x.Position(), Expr: x, Desc: strings.EqualFold(o.Dir, "DESC")}
		}
	}
	out.Limit = c.limitArg(s.Limit)
	out.Offset = c.limitArg(s.Offset)
	return out
}

// limitArg converts LIMIT's or OFFSET's number or parameter.
func (c *converter) limitArg(tok lexer.Token) Expr {
	switch tok.Type {
	case 0:
		return nil
	case tokParam:
		return c.param(tok)
	}
	return &Literal{Pos: pos(tok.Pos), Kind: LitNumber, Text: tok.Value}
}

func (c *converter) insert(s *insertStmt) *Insert {
	out := &Insert{Pos: pos(s.Verb.Pos), Table: name(s.Table.Name), Upsert: !strings.EqualFold(s.Verb.Value, "INSERT")}
	switch {
	case s.Map != nil:
		out.Value = c.mapLit(s.Map)
	case s.Param.Type != 0:
		out.Value = c.param(s.Param)
	case s.Select != nil:
		// INSERT ... SELECT ... WITH (...): the SELECT's grammar takes the
		// clause, but it is the INSERT's.
		out.Select = c.query(s.Select)
		if s.Select.Options.With.Type != 0 {
			if s.Options.With.Type != 0 {
				c.failNear(s.Options.With, "a statement takes one WITH (...) clause")
			}
			out.Options = c.options(&s.Select.Options)
			return out
		}
	default:
		out.Columns = make([]string, len(s.Columns))
		for i, col := range s.Columns {
			out.Columns[i] = name(lexer.Token{Value: col})
		}
		out.Rows = make([][]Expr, len(s.Rows))
		for i, row := range s.Rows {
			switch {
			case len(row.Exprs) > len(s.Columns):
				c.fail(row.Pos, "INSERT has more expressions than target columns")
			case len(row.Exprs) < len(s.Columns):
				c.fail(row.Pos, "INSERT has more target columns than expressions")
			}
			out.Rows[i] = c.exprs(row.Exprs)
		}
	}
	out.Options = c.options(&s.Options)
	return out
}

// options converts a statement's WITH (name = value, ...) clause (nil when
// absent). Names are case-insensitive and may be given once each.
func (c *converter) options(o *stmtOptions) []StatementOption {
	if o.With.Type == 0 {
		return nil
	}
	out := make([]StatementOption, len(o.List))
	for i, opt := range o.List {
		n := strings.ToLower(name(opt.Name))
		for _, prev := range out[:i] {
			if prev.Name == n {
				c.failNear(opt.Name, "option "+strconv.Quote(n)+" is given more than once")
			}
		}
		out[i] = StatementOption{Pos: pos(opt.Name.Pos), Name: n, Value: c.setValue(&opt.Value)}
	}
	return out
}

func (c *converter) update(s *updateStmt) *Update {
	out := &Update{Pos: pos(s.Pos), Table: name(s.Table.Name)}
	for _, cl := range s.Clauses {
		for _, a := range cl.Set {
			p := c.path(&a.Path)
			out.Actions = append(out.Actions, UpdateAction{Pos: p.Pos, Kind: SetAction, Path: p, Value: c.expr(&a.Value)})
		}
		for _, r := range cl.Remove {
			p := c.path(r)
			out.Actions = append(out.Actions, UpdateAction{Pos: p.Pos, Kind: RemoveAction, Path: p})
		}
	}
	out.Where = c.expr(&s.Where)
	out.Returning = returningOf(s.Returning)
	out.Options = c.options(&s.Options)
	return out
}

// returningOf maps RETURNING's two words to the enum.
func returningOf(r returning) Returning {
	if r.Which == "" {
		return ReturnNothing
	}
	all, old := strings.EqualFold(r.Which, "ALL"), strings.EqualFold(r.Image, "OLD")
	switch {
	case all && old:
		return ReturnAllOld
	case old:
		return ReturnModifiedOld
	case all:
		return ReturnAllNew
	}
	return ReturnModifiedNew
}

func (c *converter) delete(s *deleteStmt) *Delete {
	out := &Delete{Pos: pos(s.Pos), Table: name(s.Table.Name), Where: c.expr(&s.Where)}
	if s.Returning {
		out.Returning = ReturnAllOld
	}
	out.Options = c.options(&s.Options)
	return out
}

func (c *converter) explain(s *explainStmt) *Explain {
	out := &Explain{Pos: pos(s.Pos), Analyze: s.Analyze}
	for _, o := range s.Options {
		if o.Analyze {
			out.Analyze = true
		} else {
			out.JSON = strings.EqualFold(o.Format, "JSON")
		}
	}
	out.Stmt = c.statement(s.Stmt.(statement))
	return out
}
