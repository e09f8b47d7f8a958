package parser

import (
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// The participle parser allocates for every alternative it tries, about 180
// allocations and 20 µs for even a point lookup, more than the whole
// parse-and-plan budget. fastParse recognises the few statement shapes that
// dominate traffic and builds their AST directly:
//
//	SELECT * | path, ... FROM t[.index] [WHERE cond AND ...]
//	       [ORDER BY path [ASC|DESC], ...] [LIMIT n] [OFFSET n]
//	DELETE FROM t WHERE cond AND ...
//	INSERT INTO t VALUE {'k': scalar, ...} | INSERT INTO t VALUE ?
//
// where a cond is `path op scalar` with a comparison operator, `path
// BETWEEN scalar AND scalar`, `path IN (scalar, ...)` or a call such as
// begins_with(path, scalar), and a scalar is a string, a number, -number, a
// parameter, TRUE, FALSE or NULL. It gives
// up on anything else, errors included, and the grammar then parses the
// text from the start, so the grammar alone defines the language: FuzzParse
// checks that whenever fastParse succeeds the grammar yields the identical
// tree, positions included. Deleting this file changes nothing but speed.

// fastParser is a cursor over the tokens of one statement.
type fastParser struct {
	sc  scanner
	pt  posTracker
	c   converter
	tok lexer.Token // the current token; Type 0 after a lexical problem
}

// fastParse parses sql if it is one statement of a shape it knows.
func fastParse(sql string) (Statement, bool) {
	p := fastParser{sc: scanner{src: sql}, pt: newPosTracker(sql), c: converter{src: sql}}
	p.next()
	var s Statement
	switch {
	case p.isWord("SELECT"):
		s = p.selectStmt()
	case p.isWord("DELETE"):
		s = p.deleteStmt()
	case p.isWord("INSERT"):
		s = p.insertStmt()
	}
	if s == nil {
		return nil, false
	}
	if p.is(tokPunct, ";") {
		p.next()
	}
	if p.tok.Type != lexer.EOF {
		return nil, false
	}
	if p.c.finish(); p.c.err != nil {
		return nil, false
	}
	return s, true
}

// next moves to the next token, classified as the lexer does.
func (p *fastParser) next() {
	t := p.sc.next()
	if t.problem != lexOK {
		p.tok = lexer.Token{}
		return
	}
	text := p.sc.src[t.start:t.end]
	typ := t.typ
	if typ == tokIdent && text[0] != '"' && isReserved(text) {
		typ = tokKeyword
		if strings.EqualFold(text, "AND") || strings.EqualFold(text, "OR") {
			typ = tokOp
		}
	}
	p.tok = lexer.Token{Type: typ, Value: text, Pos: p.pt.at(t.start)}
}

// is reports whether the current token has type typ and text text.
func (p *fastParser) is(typ lexer.TokenType, text string) bool {
	return p.tok.Type == typ && p.tok.Value == text
}

// isWord reports whether the current token is the keyword kw (upper-case),
// reserved or not, in any case.
func (p *fastParser) isWord(kw string) bool {
	return (p.tok.Type == tokKeyword || p.tok.Type == tokIdent || p.tok.Type == tokOp) && strings.EqualFold(p.tok.Value, kw)
}

// name consumes an identifier.
func (p *fastParser) name() (lexer.Token, bool) {
	t := p.tok
	if t.Type != tokIdent {
		return t, false
	}
	p.next()
	return t, true
}

func (p *fastParser) selectStmt() Statement {
	s := &Select{Pos: pos(p.tok.Pos)}
	p.next()
	if p.is(tokOp, "*") {
		s.Items = []SelectItem{{Pos: pos(p.tok.Pos), Star: true}}
		p.next()
	} else {
		for {
			path := p.path()
			if path == nil {
				return nil
			}
			s.Items = append(s.Items, SelectItem{Pos: path.Pos, Expr: path})
			if !p.is(tokPunct, ",") {
				break
			}
			p.next()
		}
	}
	if !p.isWord("FROM") {
		return nil
	}
	p.next()
	table, ok := p.name()
	if !ok {
		return nil
	}
	from := &TableName{Pos: pos(table.Pos), Name: name(table)}
	if p.is(tokPunct, ".") {
		p.next()
		index, ok := p.name()
		if !ok {
			return nil
		}
		from.Index = name(index)
	}
	s.From = from
	if p.isWord("WHERE") {
		p.next()
		if s.Where = p.conjunction(); s.Where == nil {
			return nil
		}
	}
	if p.isWord("ORDER") {
		p.next()
		if !p.isWord("BY") {
			return nil
		}
		p.next()
		for {
			path := p.path()
			if path == nil {
				return nil
			}
			item := OrderItem{Pos: path.Pos, Expr: path}
			if p.isWord("DESC") || p.isWord("ASC") {
				item.Desc = p.isWord("DESC")
				p.next()
			}
			s.OrderBy = append(s.OrderBy, item)
			if !p.is(tokPunct, ",") {
				break
			}
			p.next()
		}
	}
	if s.Limit, ok = p.limitArg("LIMIT"); !ok {
		return nil
	}
	if s.Offset, ok = p.limitArg("OFFSET"); !ok {
		return nil
	}
	return s
}

// limitArg parses an optional LIMIT or OFFSET clause.
func (p *fastParser) limitArg(kw string) (Expr, bool) {
	if !p.isWord(kw) {
		return nil, true
	}
	p.next()
	t := p.tok
	if t.Type != tokNumber && t.Type != tokParam {
		return nil, false
	}
	p.next()
	return p.c.limitArg(t), true
}

func (p *fastParser) deleteStmt() Statement {
	d := &Delete{Pos: pos(p.tok.Pos)}
	p.next()
	if !p.isWord("FROM") {
		return nil
	}
	p.next()
	table, ok := p.name()
	if !ok || !p.isWord("WHERE") {
		return nil
	}
	p.next()
	d.Table = name(table)
	if d.Where = p.conjunction(); d.Where == nil {
		return nil
	}
	return d
}

func (p *fastParser) insertStmt() Statement {
	ins := &Insert{Pos: pos(p.tok.Pos)}
	p.next()
	if !p.isWord("INTO") {
		return nil
	}
	p.next()
	table, ok := p.name()
	if !ok || !p.isWord("VALUE") {
		return nil
	}
	p.next()
	ins.Table = name(table)
	if p.tok.Type == tokParam {
		ins.Value = p.c.param(p.tok)
		p.next()
		return ins
	}
	if !p.is(tokPunct, "{") {
		return nil
	}
	m := &MapExpr{Pos: pos(p.tok.Pos)}
	p.next()
	for !p.is(tokPunct, "}") {
		if len(m.Entries) > 0 {
			if !p.is(tokPunct, ",") {
				return nil
			}
			p.next()
		}
		key := p.tok
		if key.Type != tokString {
			return nil
		}
		p.next()
		if !p.is(tokPunct, ":") {
			return nil
		}
		p.next()
		v := p.scalar()
		if v == nil {
			return nil
		}
		m.Entries = append(m.Entries, MapEntry{Key: unquote(key.Value, '\''), Value: v})
	}
	p.next()
	ins.Value = m
	return ins
}

// conjunction parses cond AND cond ..., grouped to the left as the grammar
// groups them.
func (p *fastParser) conjunction() Expr {
	left := p.condition()
	for left != nil && p.isWord("AND") {
		p.next()
		right := p.condition()
		if right == nil {
			return nil
		}
		left = &BinaryExpr{Pos: left.Position(), Op: "AND", L: left, R: right}
	}
	return left
}

// condition parses a comparison, BETWEEN, IN or call.
func (p *fastParser) condition() Expr {
	head, ok := p.name()
	if !ok {
		return nil
	}
	if p.is(tokPunct, "(") {
		return p.call(head)
	}
	path := p.pathFrom(head)
	switch {
	case path == nil:
		return nil
	case p.isWord("BETWEEN"):
		p.next()
		lo := p.scalar()
		if lo == nil || !p.isWord("AND") {
			return nil
		}
		p.next()
		hi := p.scalar()
		if hi == nil {
			return nil
		}
		return &BetweenExpr{Pos: path.Pos, X: path, Lo: lo, Hi: hi}
	case p.isWord("IN"):
		p.next()
		close := ")"
		if p.is(tokPunct, "[") {
			close = "]"
		} else if !p.is(tokPunct, "(") {
			return nil
		}
		p.next()
		list := p.scalars(close, 1)
		if list == nil {
			return nil
		}
		return &InExpr{Pos: path.Pos, X: path, List: list}
	case p.tok.Type != tokOp || binaryPrec(p.tok.Value) != precCmp:
		return nil
	}
	op := opName(p.tok.Value)
	p.next()
	v := p.scalar()
	if v == nil {
		return nil
	}
	return &BinaryExpr{Pos: path.Pos, Op: op, L: path, R: v}
}

// call parses the arguments of name(...), each a path or a scalar, when
// the call stands alone as a condition.
func (p *fastParser) call(head lexer.Token) Expr {
	f := &FuncCall{Pos: pos(head.Pos), Name: strings.ToLower(name(head))}
	p.next()
	for !p.is(tokPunct, ")") {
		if len(f.Args) > 0 {
			if !p.is(tokPunct, ",") {
				return nil
			}
			p.next()
		}
		var arg Expr
		if p.tok.Type == tokIdent {
			if path := p.path(); path != nil && (p.is(tokPunct, ",") || p.is(tokPunct, ")")) {
				arg = path
			}
		} else {
			arg = p.scalar()
		}
		if arg == nil {
			return nil
		}
		f.Args = append(f.Args, arg)
	}
	p.next()
	switch { // as after a scalar: nothing may extend the call
	case p.tok.Type == lexer.EOF, p.is(tokPunct, ";"), p.isWord("AND"), p.isWord("ORDER"), p.isWord("LIMIT"), p.isWord("OFFSET"):
		return f
	}
	return nil
}

// scalars parses scalar, ... up to and including close; it returns nil
// when there are fewer than min.
func (p *fastParser) scalars(close string, min int) []Expr {
	var list []Expr
	for !p.is(tokPunct, close) {
		if len(list) > 0 {
			if !p.is(tokPunct, ",") {
				return nil
			}
			p.next()
		}
		v := p.scalar()
		if v == nil {
			return nil
		}
		list = append(list, v)
	}
	p.next()
	if len(list) < min {
		return nil
	}
	return list
}

// path parses a document path that is not followed by a call's "(".
func (p *fastParser) path() *Path {
	head, ok := p.name()
	if !ok {
		return nil
	}
	return p.pathFrom(head)
}

// pathFrom parses the steps of a path whose first name is head.
func (p *fastParser) pathFrom(head lexer.Token) *Path {
	steps := []PathStep{{Name: name(head)}}
	for {
		switch {
		case p.is(tokPunct, "."):
			p.next()
			switch p.tok.Type {
			case tokIdent, tokKeyword:
			case tokOp:
				if !p.isWord("AND") && !p.isWord("OR") {
					return nil
				}
			default:
				return nil
			}
			steps = append(steps, PathStep{Name: name(p.tok)})
			p.next()
		case p.is(tokPunct, "["):
			p.next()
			n, err := strconv.Atoi(p.tok.Value)
			if p.tok.Type != tokNumber || err != nil || !isDigits(p.tok.Value) {
				return nil
			}
			p.next()
			if !p.is(tokPunct, "]") {
				return nil
			}
			p.next()
			steps = append(steps, PathStep{Index: n, IsIndex: true})
		case p.is(tokPunct, "("):
			return nil
		case len(steps) == 1 && isBareFunction(head.Value):
			return nil // CURRENT_USER and the like are calls
		default:
			return &Path{Pos: pos(head.Pos), Steps: steps}
		}
	}
}

// scalar parses a literal or parameter that no operator follows.
func (p *fastParser) scalar() Expr {
	var v Expr
	switch t := p.tok; t.Type {
	case tokString, tokNumber:
		v = p.c.literal(t)
	case tokParam:
		v = p.c.param(t)
	case tokKeyword:
		if !p.isWord("TRUE") && !p.isWord("FALSE") && !p.isWord("NULL") {
			return nil
		}
		v = p.c.literal(t)
	case tokOp:
		if t.Value != "-" {
			return nil
		}
		p.next()
		if p.tok.Type != tokNumber {
			return nil
		}
		v = &Literal{Pos: pos(t.Pos), Kind: LitNumber, Text: p.c.negative(t, p.tok)}
	default:
		return nil
	}
	p.next()
	// What follows must end the scalar's list, condition or clause;
	// anything else (an operator, IS, a path step) belongs to a longer
	// expression.
	switch {
	case p.tok.Type == lexer.EOF, p.isWord("AND"), p.isWord("ORDER"), p.isWord("LIMIT"), p.isWord("OFFSET"):
		return v
	case p.tok.Type == tokPunct:
		switch p.tok.Value {
		case ";", ",", "}", ")", "]":
			return v
		}
	}
	return nil
}
