package parser

import (
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// Operator precedence, loosest first. Format (format_expr.go) decides where
// parentheses are needed from the same table.
const (
	precOr     = 1 + iota
	precAnd    // AND
	precNot    // prefix NOT
	precCmp    // = <> < <= > >= IS IN BETWEEN LIKE
	precConcat // ||
	precAdd    // + -
	precMul    // * / %
	precUnary  // prefix - +
	precCast   // ::type
	precAtom   // literals, paths, calls, parenthesised expressions
)

// binaryPrec is the precedence of a binary operator as written.
func binaryPrec(op string) int {
	switch op {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		return precCmp
	case "||":
		return precConcat
	case "+", "-":
		return precAdd
	case "*", "/", "%":
		return precMul
	}
	if strings.EqualFold(op, "AND") {
		return precAnd
	}
	return precOr
}

// opName is the AST spelling of a binary operator: keywords upper-case,
// != as <>.
func opName(op string) string {
	switch {
	case op == "!=":
		return "<>"
	case strings.EqualFold(op, "AND"):
		return "AND"
	case strings.EqualFold(op, "OR"):
		return "OR"
	}
	return op
}

// expr converts a flat operand-and-tails expression into a tree.
func (c *converter) expr(e *expr) Expr {
	cl := climber{c: c, tails: e.Tails}
	return cl.climb(e.Head, 0)
}

// optExpr converts an optional expression: nil when it was absent.
func (c *converter) optExpr(e *expr) Expr {
	if e.Head == nil {
		return nil
	}
	return c.expr(e)
}

// arith converts an operand of BETWEEN or LIKE.
func (c *converter) arith(a *arith) Expr {
	cl := climber{c: c, arith: a.Tails, isArith: true}
	return cl.climb(a.Head, 0)
}

// exprs converts a list; an empty list stays nil.
func (c *converter) exprs(list []*expr) []Expr {
	if len(list) == 0 {
		return nil
	}
	out := make([]Expr, len(list))
	for i, e := range list {
		out[i] = c.expr(e)
	}
	return out
}

// climber builds an expression tree from an operand and its tails by
// precedence climbing: climb(x, p) takes x and every following tail that
// binds at least as tightly as p, so left operands group first (a - b - c
// is (a - b) - c) and tighter operators nest deeper.
type climber struct {
	c       *converter
	tails   []*tail      // the tails of an expr
	arith   []*arithTail // or those of an arith
	isArith bool
	i       int
}

func (cl *climber) climb(head primary, minPrec int) Expr {
	lhs := cl.operand(head)
	for {
		p := cl.peek()
		if p == 0 || p < minPrec {
			return lhs
		}
		lhs = cl.apply(lhs, p)
	}
}

// peek returns the precedence of the next tail, 0 at the end.
func (cl *climber) peek() int {
	if cl.isArith {
		if cl.i < len(cl.arith) {
			if cl.arith[cl.i].Cast != nil {
				return precCast
			}
			return binaryPrec(cl.arith[cl.i].Op.Value)
		}
		return 0
	}
	if cl.i >= len(cl.tails) {
		return 0
	}
	t := cl.tails[cl.i]
	switch {
	case t.Op.Type != 0:
		return binaryPrec(t.Op.Value)
	case t.Cast != nil:
		return precCast
	}
	return precCmp
}

// apply consumes the next tail, of precedence p, with lhs as its left side.
func (cl *climber) apply(lhs Expr, p int) Expr {
	at := lhs.Position()
	if cl.isArith {
		t := cl.arith[cl.i]
		cl.i++
		if t.Cast != nil {
			return cl.c.cast(at, lhs, t.Cast)
		}
		return &BinaryExpr{Pos: at, Op: t.Op.Value, L: lhs, R: cl.climb(t.Right, p+1)}
	}
	t := cl.tails[cl.i]
	cl.i++
	switch {
	case t.Cast != nil:
		return cl.c.cast(at, lhs, t.Cast)
	case t.Op.Type != 0:
		return &BinaryExpr{Pos: at, Op: opName(t.Op.Value), L: lhs, R: cl.climb(t.Right, p+1)}
	case t.Is.Type != 0:
		what := IsNull
		if strings.EqualFold(t.IsWhat, "MISSING") {
			what = IsMissing
		}
		return &IsExpr{Pos: at, X: lhs, What: what, Not: t.IsNot}
	case t.Between != nil:
		return &BetweenExpr{Pos: at, X: lhs, Lo: cl.c.arith(t.Between), Hi: cl.c.arith(t.And), Not: t.Not.Type != 0}
	case t.Like != nil:
		return &LikeExpr{Pos: at, X: lhs, Pattern: cl.c.arith(t.Like), Not: t.Not.Type != 0}
	}
	list := t.In.Paren
	if list == nil {
		list = t.In.Square
	}
	return &InExpr{Pos: at, X: lhs, List: cl.c.exprs(list), Not: t.Not.Type != 0}
}

// operand converts an operand, applying its prefix operators. NOT reaches
// over every following tail that binds tighter than NOT (NOT a = b is
// NOT (a = b)); - and + take the operand alone, and - directly before a
// number folds into the literal.
func (cl *climber) operand(p primary) Expr {
	u, ok := p.(*unaryExpr)
	if !ok {
		return cl.c.primary(p)
	}
	at := pos(u.Op.Pos)
	switch {
	case strings.EqualFold(u.Op.Value, "NOT"):
		return &UnaryExpr{Pos: at, Op: "NOT", X: cl.climb(u.Operand, precNot+1)}
	case u.Op.Value == "-":
		if lit, ok := u.Operand.(*literal); ok && lit.Tok.Type == tokNumber {
			return &Literal{Pos: at, Kind: LitNumber, Text: cl.c.negative(u.Op, lit.Tok)}
		}
	}
	return &UnaryExpr{Pos: at, Op: u.Op.Value, X: cl.operand(u.Operand)}
}

// negative returns the text of a negated number: a slice of the source
// when the minus sign touches the number, which is the usual case.
func (c *converter) negative(minus, num lexer.Token) string {
	if num.Pos.Offset == minus.Pos.Offset+1 && num.Pos.Offset+len(num.Value) <= len(c.src) {
		return c.src[minus.Pos.Offset : num.Pos.Offset+len(num.Value)]
	}
	return "-" + num.Value
}

// primary converts an operand without prefix operators.
func (c *converter) primary(p primary) Expr {
	switch p := p.(type) {
	case *identExpr:
		switch {
		case p.Call != nil:
			return c.call(p.Name, strings.ToLower(name(p.Name)), p.Call)
		case p.QualCall != nil:
			return c.qualifiedCall(p)
		case len(p.Steps) == 0 && isBareFunction(p.Name.Value):
			return &FuncCall{Pos: pos(p.Name.Pos), Name: strings.ToLower(p.Name.Value), NoParens: true}
		}
		return c.pathOf(p.Name, p.Steps)
	case *literal:
		return c.literal(p.Tok)
	case *parenExpr:
		return c.expr(&p.Expr)
	case *listLit:
		return &ListExpr{Pos: pos(p.Pos), Elems: c.exprs(p.Elems)}
	case *mapLit:
		return c.mapLit(p)
	case *setLit:
		return &SetExpr{Pos: pos(p.Pos), Elems: c.exprs(p.Elems)}
	case *caseExpr:
		return c.caseOf(p)
	case *existsExpr:
		return &ExistsExpr{Pos: pos(p.Pos), Select: c.selectStmt(&p.Select)}
	case *unaryExpr:
		cl := climber{c: c}
		return cl.operand(p)
	}
	panic("parser: unknown primary production")
}

// literal converts a string, number, parameter, boolean or NULL token.
func (c *converter) literal(tok lexer.Token) Expr {
	at := pos(tok.Pos)
	switch tok.Type {
	case tokString:
		return &Literal{Pos: at, Kind: LitString, Text: unquote(tok.Value, '\'')}
	case tokNumber:
		return &Literal{Pos: at, Kind: LitNumber, Text: tok.Value}
	case tokParam:
		return c.param(tok)
	}
	switch {
	case strings.EqualFold(tok.Value, "TRUE"):
		return &Literal{Pos: at, Kind: LitBool, Text: "true"}
	case strings.EqualFold(tok.Value, "FALSE"):
		return &Literal{Pos: at, Kind: LitBool, Text: "false"}
	}
	return &Literal{Pos: at, Kind: LitNull}
}

// pathOf converts a name and its .name / [index] steps.
func (c *converter) pathOf(head lexer.Token, steps []*pathStep) *Path {
	p := &Path{Pos: pos(head.Pos), Steps: make([]PathStep, 1+len(steps))}
	p.Steps[0].Name = name(head)
	for i, s := range steps {
		st := &p.Steps[i+1]
		if s.Index.Type == 0 {
			st.Name = name(s.Name)
			continue
		}
		n, err := strconv.Atoi(s.Index.Value)
		if err != nil || !isDigits(s.Index.Value) {
			c.failNear(s.Index, "expected a list index: a non-negative integer")
		}
		st.Index, st.IsIndex = n, true
	}
	return p
}

// path converts the target of SET or REMOVE.
func (c *converter) path(r *pathRef) *Path { return c.pathOf(r.Name, r.Steps) }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// call converts name(args), and CAST(x AS type). Names are lower-cased;
// the planner decides which functions exist.
func (c *converter) call(head lexer.Token, fn string, args *callArgs) Expr {
	if args.As != nil {
		if fn != "cast" || head.Value[0] == '"' || len(args.Args) != 1 || args.Distinct {
			c.fail(args.As.Pos, "syntax error at or near \"AS\": only CAST(expression AS type) takes AS")
		}
		x := c.expr(args.Args[0])
		return c.cast(pos(head.Pos), x, args.As)
	}
	return &FuncCall{
		Pos:      pos(head.Pos),
		Name:     fn,
		Args:     c.exprs(args.Args),
		Star:     args.Star,
		Distinct: args.Distinct,
	}
}

// qualifiedCall converts schema.name(args). PostgreSQL's functions live in
// pg_catalog, which is dropped from the name; another schema stays in it
// ("s.f"), for the planner to report.
func (c *converter) qualifiedCall(p *identExpr) Expr {
	if len(p.Steps) != 1 || p.Steps[0].Index.Type != 0 {
		c.fail(p.Name.Pos, "syntax error at or near %s: a function name is name(...) or schema.name(...)", nearText(p.Name.Value))
		return &FuncCall{Pos: pos(p.Name.Pos), Name: strings.ToLower(name(p.Name))}
	}
	schema, fn := strings.ToLower(name(p.Name)), strings.ToLower(name(p.Steps[0].Name))
	if schema != "pg_catalog" {
		fn = schema + "." + fn
	}
	return c.call(p.Name, fn, p.QualCall)
}

// cast converts x::type and CAST(x AS type).
func (c *converter) cast(at Pos, x Expr, t *typeName) *Cast {
	typ, mods := c.castType(t)
	return &Cast{Pos: at, X: x, Type: typ, Mods: mods}
}

func (c *converter) mapLit(m *mapLit) *MapExpr {
	out := &MapExpr{Pos: pos(m.Pos)}
	if len(m.Entries) > 0 {
		out.Entries = make([]MapEntry, len(m.Entries))
		for i, e := range m.Entries {
			out.Entries[i] = MapEntry{Key: unquote(e.Key.Value, '\''), Value: c.expr(&e.Value)}
		}
	}
	return out
}

func (c *converter) caseOf(k *caseExpr) *CaseExpr {
	out := &CaseExpr{Pos: pos(k.Pos), Operand: c.optExpr(&k.Operand)}
	out.Whens = make([]When, len(k.Whens))
	for i, w := range k.Whens {
		out.Whens[i] = When{Cond: c.expr(&w.Cond), Result: c.expr(&w.Result)}
	}
	out.Else = c.optExpr(&k.Else)
	return out
}
