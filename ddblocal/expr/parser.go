package expr

import (
	"fmt"
	"strings"
)

// maxExpressionBytes is DynamoDB's limit on the length of one expression.
const maxExpressionBytes = 4096

// syntaxError is how the parser stops at the first token it cannot use.
type syntaxError struct{ err *Error }

// parser is a recursive-descent parser over the tokens of one expression.
type parser struct {
	src   string
	which string // "ConditionExpression", "UpdateExpression", ...: message prefix
	toks  []token
	pos   int
	// update is set for update expressions, where + - and parenthesised
	// operands are allowed and SET, REMOVE, ADD, DELETE are keywords.
	update bool
	// paths are the paths parsed, in source order, for the reserved word
	// check that follows a successful parse.
	paths [][]rawElem
	// redundant is set when parentheses directly enclose parentheses.
	redundant bool
	// betweenAnds counts the ANDs that separate BETWEEN's bounds, which
	// are not operators.
	betweenAnds int
}

func newParser(src, which string) *parser {
	return &parser{src: src, which: which, toks: tokenize(src)}
}

// fail returns the message prefixed as DynamoDB prefixes expression errors.
func (p *parser) fail(format string, args ...any) *Error {
	return &Error{Message: "Invalid " + p.which + ": " + fmt.Sprintf(format, args...)}
}

// parse runs rule, turning a syntax error into its *Error, and then checks
// what DynamoDB checks right after the syntax: redundant parentheses and
// reserved words.
func (p *parser) parse(rule func()) (err error) {
	if p.src == "" {
		return p.fail("The expression can not be empty;")
	}
	if len(p.src) > maxExpressionBytes {
		return p.fail("Expression size has exceeded the maximum allowed size; expression size: %d", len(p.src))
	}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(syntaxError)
			if !ok {
				panic(r)
			}
			err = se.err
		}
	}()
	rule()
	if p.cur().kind != tEOF {
		p.syntaxError()
	}
	if n := p.operators(); n > maxOperators {
		return p.fail("The expression contains too many operators; operator count: %d", maxOperators+1)
	}
	if p.redundant {
		return p.fail("The expression has redundant parentheses;")
	}
	for _, raw := range p.paths {
		for _, e := range raw {
			// A function name is an attribute name, although SIZE is reserved.
			if e.tok.kind == tIdent && reservedWords[strings.ToUpper(e.tok.text)] && !isFunctionName(strings.ToLower(e.tok.text)) {
				return p.fail("Attribute name is a reserved keyword; reserved keyword: %s", e.tok.text)
			}
		}
	}
	return nil
}

func (p *parser) cur() token  { return p.toks[p.pos] }
func (p *parser) peek() token { return p.toks[min(p.pos+1, len(p.toks)-1)] }
func (p *parser) advance()    { p.pos = min(p.pos+1, len(p.toks)-1) }

// syntaxError stops parsing at the current token. DynamoDB quotes the token
// and the source from the start of the token before it to the end of the
// token after it.
func (p *parser) syntaxError() {
	t := p.cur()
	start, end := t.start, len(p.src)
	switch {
	case p.pos > 0:
		start = p.toks[p.pos-1].start
	case t.kind == tEOF:
		start = 0 // a blank expression is quoted whole
	}
	if t.kind != tEOF {
		end = p.toks[p.pos+1].end
	}
	panic(syntaxError{p.fail("Syntax error; token: %q, near: %q", t.display(), p.src[start:end])})
}

// expect consumes the punctuation s or stops with a syntax error.
func (p *parser) expect(s string) {
	if !p.cur().is(s) || p.cur().kind != tPunct {
		p.syntaxError()
	}
	p.advance()
}

// keywords cannot be attribute names, in any kind of expression.
var (
	conditionKeywords = []string{"AND", "OR", "NOT", "BETWEEN", "IN"}
	updateKeywords    = []string{"SET", "REMOVE", "ADD", "DELETE"}
)

func (p *parser) isKeyword(t token) bool {
	if t.kind != tIdent {
		return false
	}
	for _, k := range conditionKeywords {
		if t.is(k) {
			return true
		}
	}
	for _, k := range updateKeywords {
		if t.is(k) {
			return true
		}
	}
	return false
}

// maxOperators is the most operators (AND, OR, NOT, comparisons, BETWEEN,
// IN and function calls) one expression may hold.
const maxOperators = 300

// operators counts the operators of the expression from its tokens.
func (p *parser) operators() int {
	n := 0
	for i, t := range p.toks {
		switch {
		case t.kind == tPunct && isOperatorPunct[t.text]:
			n++
		case t.kind == tIdent && (t.is("AND") || t.is("OR") || t.is("NOT") || t.is("BETWEEN") || t.is("IN")):
			n++
		case t.kind == tIdent && i+1 < len(p.toks) && p.toks[i+1].kind == tPunct && p.toks[i+1].text == "(":
			n++
		}
	}
	return n - p.betweenAnds
}

var isOperatorPunct = map[string]bool{"=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true, "+": true, "-": true}

// isFunctionName reports whether name is one of the expression functions.
func isFunctionName(name string) bool {
	_, a := conditionFunctions[name]
	_, b := operandFunctions[name]
	_, c := updateFunctions[name]
	return a || b || c
}

// ---- conditions ----

func (p *parser) condition() *cond {
	c := p.and()
	for p.cur().is("OR") && p.cur().kind == tIdent {
		p.advance()
		c = &cond{kind: cOr, kids: []*cond{c, p.and()}}
	}
	return c
}

func (p *parser) and() *cond {
	c := p.not()
	for p.cur().is("AND") && p.cur().kind == tIdent {
		p.advance()
		c = &cond{kind: cAnd, kids: []*cond{c, p.not()}}
	}
	return c
}

func (p *parser) not() *cond {
	if p.cur().kind == tIdent && p.cur().is("NOT") {
		p.advance()
		return &cond{kind: cNot, kids: []*cond{p.not()}}
	}
	return p.primary()
}

// primary parses a parenthesised condition, a comparison, BETWEEN, IN or a
// boolean function call.
func (p *parser) primary() *cond {
	if p.cur().kind == tPunct && p.cur().is("(") {
		p.advance()
		inner := p.cur().kind == tPunct && p.cur().is("(")
		innerStart := p.pos
		c := p.condition()
		p.expect(")")
		if inner && p.groupEnd(innerStart) == p.pos-2 {
			p.redundant = true
		}
		return c
	}
	left := p.operand()
	t := p.cur()
	switch {
	case t.kind == tPunct && (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">="):
		p.advance()
		return &cond{kind: cCompare, op: t.text, args: []*operand{left, p.operand()}}
	case t.kind == tIdent && t.is("BETWEEN"):
		p.advance()
		lo := p.operand()
		if !(p.cur().kind == tIdent && p.cur().is("AND")) {
			p.syntaxError()
		}
		p.advance()
		p.betweenAnds++
		return &cond{kind: cBetween, args: []*operand{left, lo, p.operand()}}
	case t.kind == tIdent && t.is("IN"):
		p.advance()
		p.expect("(")
		args := []*operand{left, p.operand()}
		for p.cur().kind == tPunct && p.cur().is(",") {
			p.advance()
			args = append(args, p.operand())
		}
		p.expect(")")
		return &cond{kind: cIn, args: args}
	case left.kind == oFunc:
		return &cond{kind: cFunc, op: left.fn.text, args: []*operand{left}}
	}
	p.syntaxError()
	return nil
}

// groupEnd returns the index of the ")" closing the "(" at index open.
func (p *parser) groupEnd(open int) int {
	depth := 0
	for i := open; i < len(p.toks); i++ {
		switch {
		case p.toks[i].kind != tPunct:
		case p.toks[i].text == "(":
			depth++
		case p.toks[i].text == ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// operand parses a path, a :value or a function call; in update
// expressions also a parenthesised value expression.
func (p *parser) operand() *operand {
	t := p.cur()
	switch {
	case t.kind == tValue:
		p.advance()
		return &operand{kind: oValue, ref: t}
	case t.kind == tIdent && p.peek().kind == tPunct && p.peek().text == "(" && !p.isKeyword(t):
		p.advance()
		p.advance()
		f := &operand{kind: oFunc, fn: t}
		if !(p.cur().kind == tPunct && p.cur().text == ")") {
			f.args = append(f.args, p.argument())
			for p.cur().kind == tPunct && p.cur().text == "," {
				p.advance()
				f.args = append(f.args, p.argument())
			}
		}
		p.expect(")")
		return f
	case t.kind == tName || t.kind == tIdent && !p.isKeyword(t):
		return &operand{kind: oPath, raw: p.path()}
	case p.update && t.kind == tPunct && t.text == "(":
		p.advance()
		o := p.valueExpr()
		p.expect(")")
		return o
	}
	p.syntaxError()
	return nil
}

// argument parses a function argument: in update expressions a value
// expression, elsewhere an operand.
func (p *parser) argument() *operand {
	if p.update {
		return p.valueExpr()
	}
	return p.operand()
}

// path parses name ( "." name | "[" index "]" )*.
func (p *parser) path() []rawElem {
	t := p.cur()
	if !(t.kind == tName || t.kind == tIdent && !p.isKeyword(t)) {
		p.syntaxError()
	}
	p.advance()
	raw := []rawElem{{tok: t}}
	for {
		switch {
		case p.cur().kind == tPunct && p.cur().text == ".":
			p.advance()
			t := p.cur()
			if t.kind != tName && t.kind != tIdent {
				p.syntaxError()
			}
			p.advance()
			raw = append(raw, rawElem{tok: t})
		case p.cur().kind == tPunct && p.cur().text == "[":
			p.advance()
			t := p.cur()
			if t.kind != tNumber {
				p.syntaxError()
			}
			p.advance()
			p.expect("]")
			raw = append(raw, rawElem{tok: t, isIndex: true})
		default:
			p.paths = append(p.paths, raw)
			return raw
		}
	}
}

// ---- update expressions ----

// valueExpr parses operand [("+" | "-") operand].
func (p *parser) valueExpr() *operand {
	left := p.operand()
	if t := p.cur(); t.kind == tPunct && (t.text == "+" || t.text == "-") {
		p.advance()
		return &operand{kind: oArith, op: t.text, args: []*operand{left, p.operand()}}
	}
	return left
}

// clause is one section of an update expression.
type clause struct {
	keyword string // "SET", "REMOVE", "ADD", "DELETE"
	actions []action
}

// action is one comma-separated element of a clause: SET path = value,
// REMOVE path, ADD path :v, DELETE path :v.
type action struct {
	target *operand // an oPath
	value  *operand // nil for REMOVE
}

func (p *parser) updateClauses() []clause {
	var clauses []clause
	for p.cur().kind != tEOF {
		t := p.cur()
		var kw string
		for _, k := range updateKeywords {
			if t.kind == tIdent && t.is(k) {
				kw = k
			}
		}
		if kw == "" {
			p.syntaxError()
		}
		p.advance()
		c := clause{keyword: kw}
		for {
			a := action{target: &operand{kind: oPath, raw: p.path()}}
			switch kw {
			case "SET":
				p.expect("=")
				a.value = p.valueExpr()
			case "ADD", "DELETE":
				if p.cur().kind != tValue {
					p.syntaxError()
				}
				a.value = &operand{kind: oValue, ref: p.cur()}
				p.advance()
			}
			c.actions = append(c.actions, a)
			if !(p.cur().kind == tPunct && p.cur().text == ",") {
				break
			}
			p.advance()
		}
		clauses = append(clauses, c)
	}
	return clauses
}

// pathList parses path ("," path)*, a projection expression.
func (p *parser) pathList() [][]rawElem {
	list := [][]rawElem{p.path()}
	for p.cur().kind == tPunct && p.cur().text == "," {
		p.advance()
		list = append(list, p.path())
	}
	return list
}
