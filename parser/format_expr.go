package parser

import (
	"strconv"
	"strings"
)

// FormatExpr renders an expression as canonical SQL that parses back to an
// equal AST: keywords upper-case, one space around binary operators,
// parentheses only where precedence needs them, identifiers quoted only
// when they must be (see Format).
func FormatExpr(e Expr) string {
	var p printer
	p.expr(e, 0)
	return p.String()
}

// printer accumulates canonical SQL.
type printer struct {
	strings.Builder
}

// exprPrec is the precedence of e's outermost operator.
func exprPrec(e Expr) int {
	switch e := e.(type) {
	case *BinaryExpr:
		return binaryPrec(e.Op)
	case *UnaryExpr:
		if e.Op == "NOT" {
			return precNot
		}
		return precUnary
	case *BetweenExpr, *InExpr, *LikeExpr, *IsExpr:
		return precCmp
	case *Cast:
		return precCast
	}
	return precAtom
}

// expr writes e, parenthesised if it binds more loosely than min.
func (p *printer) expr(e Expr, min int) {
	if exprPrec(e) < min {
		p.WriteByte('(')
		p.expr(e, 0)
		p.WriteByte(')')
		return
	}
	switch e := e.(type) {
	case nil:
		p.WriteString("NULL")
	case *Literal:
		p.literal(e)
	case *Path:
		p.path(e)
	case *Param:
		if e.Dollar {
			p.WriteByte('$')
			p.WriteString(strconv.Itoa(e.Index + 1))
		} else {
			p.WriteByte('?')
		}
	case *ListExpr:
		p.WriteByte('[')
		p.exprList(e.Elems)
		p.WriteByte(']')
	case *MapExpr:
		p.WriteByte('{')
		for i, en := range e.Entries {
			if i > 0 {
				p.WriteString(", ")
			}
			p.WriteString(quoteString(en.Key))
			p.WriteString(": ")
			p.expr(en.Value, 0)
		}
		p.WriteByte('}')
	case *SetExpr:
		p.WriteString("<<")
		p.exprList(e.Elems)
		p.WriteString(">>")
	case *UnaryExpr:
		p.unary(e)
	case *BinaryExpr:
		prec := binaryPrec(e.Op)
		p.expr(e.L, prec)
		p.WriteByte(' ')
		p.WriteString(e.Op)
		p.WriteByte(' ')
		p.expr(e.R, prec+1)
	case *BetweenExpr:
		p.expr(e.X, precCmp)
		p.not(e.Not)
		p.WriteString(" BETWEEN ")
		p.expr(e.Lo, precConcat)
		p.WriteString(" AND ")
		p.expr(e.Hi, precConcat)
	case *InExpr:
		p.expr(e.X, precCmp)
		p.not(e.Not)
		p.WriteString(" IN (")
		p.exprList(e.List)
		p.WriteByte(')')
	case *LikeExpr:
		p.expr(e.X, precCmp)
		p.not(e.Not)
		p.WriteString(" LIKE ")
		p.expr(e.Pattern, precConcat)
	case *IsExpr:
		p.expr(e.X, precCmp)
		p.WriteString(" IS ")
		if e.Not {
			p.WriteString("NOT ")
		}
		if e.What == IsMissing {
			p.WriteString("MISSING")
		} else {
			p.WriteString("NULL")
		}
	case *FuncCall:
		if e.NoParens {
			p.WriteString(strings.ToUpper(e.Name))
			return
		}
		p.WriteString(funcName(e.Name))
		p.WriteByte('(')
		switch {
		case e.Star:
			p.WriteByte('*')
		case e.Distinct:
			p.WriteString("DISTINCT ")
			fallthrough
		default:
			p.exprList(e.Args)
		}
		p.WriteByte(')')
	case *CaseExpr:
		p.WriteString("CASE")
		if e.Operand != nil {
			p.WriteByte(' ')
			p.expr(e.Operand, 0)
		}
		for _, w := range e.Whens {
			p.WriteString(" WHEN ")
			p.expr(w.Cond, 0)
			p.WriteString(" THEN ")
			p.expr(w.Result, 0)
		}
		if e.Else != nil {
			p.WriteString(" ELSE ")
			p.expr(e.Else, 0)
		}
		p.WriteString(" END")
	case *ExistsExpr:
		p.WriteString("EXISTS(")
		p.selectStmt(e.Select)
		p.WriteByte(')')
	case *Cast:
		p.expr(e.X, precCast)
		p.WriteString("::")
		p.WriteString(e.Type)
		for i, m := range e.Mods {
			if i == 0 {
				p.WriteByte('(')
			} else {
				p.WriteString(", ")
			}
			p.WriteString(strconv.Itoa(m))
		}
		if len(e.Mods) > 0 {
			p.WriteByte(')')
		}
	default:
		p.WriteString("/* unknown expression */")
	}
}

func (p *printer) not(not bool) {
	if not {
		p.WriteString(" NOT")
	}
}

// unary writes a prefix operator. NOT's operand may be anything binding
// at least as tightly as a comparison, or another NOT; - and + take an
// atom. A number under
// - is parenthesised, since -1 would read back as the literal -1.
func (p *printer) unary(e *UnaryExpr) {
	if e.Op == "NOT" {
		p.WriteString("NOT ")
		if inner, ok := e.X.(*UnaryExpr); ok && inner.Op == "NOT" {
			p.unary(inner) // NOT NOT a reads back the same
			return
		}
		p.expr(e.X, precCmp)
		return
	}
	p.WriteString(e.Op)
	if lit, ok := e.X.(*Literal); ok && lit.Kind == LitNumber && e.Op == "-" {
		p.WriteByte('(')
		p.literal(lit)
		p.WriteByte(')')
		return
	}
	p.expr(e.X, precAtom)
}

func (p *printer) literal(l *Literal) {
	switch l.Kind {
	case LitString:
		p.WriteString(quoteString(l.Text))
	case LitNumber:
		p.WriteString(l.Text)
	case LitBool:
		if l.Text == "true" {
			p.WriteString("TRUE")
		} else {
			p.WriteString("FALSE")
		}
	default:
		p.WriteString("NULL")
	}
}

func (p *printer) path(e *Path) {
	for i, s := range e.Steps {
		switch {
		case s.IsIndex:
			p.WriteByte('[')
			p.WriteString(strconv.Itoa(s.Index))
			p.WriteByte(']')
		case i > 0:
			p.WriteByte('.')
			fallthrough
		default:
			p.WriteString(quoteIdent(s.Name))
		}
	}
}

func (p *printer) exprList(list []Expr) {
	for i, e := range list {
		if i > 0 {
			p.WriteString(", ")
		}
		p.expr(e, 0)
	}
}

// quoteIdent returns name as written in SQL: bare when it is a plain
// all-lower-case or all-upper-case identifier and no keyword, else
// double-quoted with " doubled. Mixed case is quoted so that readers used
// to SQL's case folding see that case matters.
func quoteIdent(name string) string {
	if isPlainIdent(name) && !isKeyword(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func isPlainIdent(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
			upper = true
		case !isIdentPart(c):
			return false
		}
	}
	return !(lower && upper)
}

// funcName returns a function's name as written in a call: bare unless it
// needs quotes for its characters or is a reserved word. A contextual
// keyword followed by "(" is always read as a call, so it stays bare.
func funcName(name string) string {
	if isPlainIdent(name) && !isReserved(name) && strings.ToLower(name) == name {
		return name
	}
	return quoteIdent(name)
}

// quoteString returns s as a SQL string literal.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
