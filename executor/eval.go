package executor

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/cockroachdb/apd/v3"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// env is what one execution of a plan carries through its nodes: the
// parameter values and the statistics EXPLAIN ANALYZE and progress reports
// read.
type env struct {
	// ctx is the statement's context, for functions that wait (pg_sleep);
	// nil while a transaction's statements are prepared.
	ctx    context.Context
	params []types.AttributeValue
	stats  *stats
	// session answers current_setting, current_user and the like (nil:
	// PostgreSQL's defaults).
	session SessionInfo
	// start is when the statement started (now()), loc the session's time
	// zone; both are set once, on first use (clock guards them: parallel
	// reads may evaluate expressions on several goroutines).
	clock sync.Once
	start time.Time
	loc   *time.Location
	// wallClock paces writes under a write_capacity budget (Options.Clock).
	wallClock Clock
	// quiet keeps a write's progress from Options.OnProgress (the removal
	// of an UPDATE's marks, which reports as part of the UPDATE).
	quiet bool
}

// Expressions are evaluated with the semantics of DynamoDB's condition
// expressions, so that a condition means the same whether the planner pushed
// it into a FilterExpression or left it to a Filter node:
//
//   - A value is present or missing (nil). Missing is not NULL: NULL is a
//     value of type NULL.
//   - Logic is two-valued. =, <, <=, >, >=, BETWEEN, IN, LIKE and the
//     condition functions are false when an operand is missing or the
//     operands' types differ; <> is the negation of = (so it is true then),
//     and NOT of false is true.
//   - Ordering compares only same-type S, N or B values; an ordering
//     comparison with a constant of another type (a BOOL, a list ...) is an
//     error, as DynamoDB rejects it.
//   - Arithmetic, ||, lower, upper and length return missing for a missing
//     operand and NULL for a NULL one, and fail on other types.

var (
	trueValue  types.AttributeValue = &types.AttributeValueMemberBOOL{Value: true}
	falseValue types.AttributeValue = &types.AttributeValueMemberBOOL{Value: false}
	nullValue  types.AttributeValue = &types.AttributeValueMemberNULL{Value: true}
)

// boolValue returns the shared BOOL value for b. Values are never modified
// once built, so sharing them is safe.
func boolValue(b bool) types.AttributeValue {
	if b {
		return trueValue
	}
	return falseValue
}

// isTrue reports whether v is BOOL true, the only value a condition keeps a
// row for.
func isTrue(v types.AttributeValue) bool {
	b, ok := v.(*types.AttributeValueMemberBOOL)
	return ok && b.Value
}

// exprError returns an error located at pos.
func exprError(pos parser.Pos, code, format string, args ...any) *sqlerr.Error {
	e := sqlerr.New(code, format, args...)
	if pos.Line > 0 {
		e.At(pos.Line, pos.Column, pos.Offset)
	}
	return e
}

// value evaluates an expression that needs no item (a constant, a parameter,
// a list, map or set of them); the result must not be missing.
func (env *env) value(e parser.Expr) (types.AttributeValue, error) {
	v, err := env.eval(e, nil)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, exprError(e.Position(), sqlerr.InvalidParameter,
			"%s has no value here: the statement reads no item", parser.FormatExpr(e))
	}
	return v, nil
}

// values evaluates expression attribute values (placeholder → expression);
// an empty map gives nil, as DynamoDB rejects empty maps.
func (env *env) values(m map[string]parser.Expr) (map[string]types.AttributeValue, error) {
	if len(m) == 0 {
		return nil, nil
	}
	out := make(map[string]types.AttributeValue, len(m))
	for name, e := range m {
		v, err := env.value(e)
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	return out, nil
}

// key evaluates a primary key into the map DynamoDB's Key parameters take.
func (env *env) key(k planner.Key) (map[string]types.AttributeValue, error) {
	out := make(map[string]types.AttributeValue, len(k))
	for _, part := range k {
		v, err := env.value(part.Value)
		if err != nil {
			return nil, err
		}
		out[part.Attr] = v
	}
	return out, nil
}

// eval evaluates e against row (nil when there is no row). A nil result
// means missing.
func (env *env) eval(e parser.Expr, row Item) (types.AttributeValue, error) {
	switch x := e.(type) {
	case *parser.Path:
		return lookup(row, x), nil
	case *parser.Literal:
		return literal(x)
	case *parser.Param:
		if x.Index < 0 || x.Index >= len(env.params) {
			return nil, exprError(x.Pos, sqlerr.InvalidParameter,
				"there is no parameter $%d (%d values were given)", x.Index+1, len(env.params))
		}
		return env.params[x.Index], nil
	case *parser.BinaryExpr:
		return env.binary(x, row)
	case *parser.UnaryExpr:
		return env.unary(x, row)
	case *parser.BetweenExpr:
		return env.between(x, row)
	case *parser.InExpr:
		return env.in(x, row)
	case *parser.LikeExpr:
		return env.like(x, row)
	case *parser.IsExpr:
		v, err := env.eval(x.X, row)
		if err != nil {
			return nil, err
		}
		var is bool
		if x.What == parser.IsMissing {
			is = v == nil
		} else {
			_, is = v.(*types.AttributeValueMemberNULL)
		}
		return boolValue(is != x.Not), nil
	case *parser.FuncCall:
		return env.call(x, row)
	case *parser.Cast:
		return env.cast(x, row)
	case *parser.CaseExpr:
		return env.caseExpr(x, row)
	case *parser.ListExpr:
		return env.list(x, row)
	case *parser.MapExpr:
		return env.mapExpr(x, row)
	case *parser.SetExpr:
		return env.set(x, row)
	case *parser.ExistsExpr:
		return nil, exprError(x.Pos, sqlerr.FeatureNotSupported,
			"EXISTS is only supported as a condition of a transaction")
	case nil:
		return nil, sqlerr.New(sqlerr.Internal, "executor: nil expression")
	}
	return nil, exprError(e.Position(), sqlerr.FeatureNotSupported, "cannot evaluate %T", e)
}

// lookup resolves a document path in row: names step into maps, indexes
// into lists; anything else is missing.
func lookup(row Item, p *parser.Path) types.AttributeValue {
	if len(p.Steps) == 0 {
		return nil
	}
	v, ok := row[p.Steps[0].Name]
	if !ok {
		return nil
	}
	for _, s := range p.Steps[1:] {
		if s.IsIndex {
			l, ok := v.(*types.AttributeValueMemberL)
			if !ok || s.Index < 0 || s.Index >= len(l.Value) {
				return nil
			}
			v = l.Value[s.Index]
			continue
		}
		m, ok := v.(*types.AttributeValueMemberM)
		if !ok {
			return nil
		}
		if v, ok = m.Value[s.Name]; !ok {
			return nil
		}
	}
	return v
}

// literal converts a literal. Numbers are validated and normalised as
// DynamoDB stores them.
func literal(x *parser.Literal) (types.AttributeValue, error) {
	switch x.Kind {
	case parser.LitString:
		return &types.AttributeValueMemberS{Value: x.Text}, nil
	case parser.LitNumber:
		n, err := value.NormalizeNumber(x.Text)
		if err != nil {
			return nil, located(err, x.Pos)
		}
		return &types.AttributeValueMemberN{Value: n}, nil
	case parser.LitBool:
		return boolValue(strings.EqualFold(x.Text, "true")), nil
	case parser.LitNull:
		return nullValue, nil
	}
	return nil, exprError(x.Pos, sqlerr.Internal, "executor: unknown literal kind %d", x.Kind)
}

// located gives err the position pos when it is a *sqlerr.Error without one.
func located(err error, pos parser.Pos) error {
	if e, ok := err.(*sqlerr.Error); ok && !e.HasPos && pos.Line > 0 {
		e.At(pos.Line, pos.Column, pos.Offset)
	}
	return err
}

func (env *env) binary(x *parser.BinaryExpr, row Item) (types.AttributeValue, error) {
	switch x.Op {
	case "AND", "OR":
		l, err := env.eval(x.L, row)
		if err != nil {
			return nil, err
		}
		if isTrue(l) == (x.Op == "OR") {
			return boolValue(x.Op == "OR"), nil
		}
		r, err := env.eval(x.R, row)
		if err != nil {
			return nil, err
		}
		return boolValue(isTrue(r)), nil
	}
	l, err := env.eval(x.L, row)
	if err != nil {
		return nil, err
	}
	r, err := env.eval(x.R, row)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case "=":
		return boolValue(l != nil && r != nil && value.Equal(l, r)), nil
	case "<>":
		return boolValue(l == nil || r == nil || !value.Equal(l, r)), nil
	case "<", "<=", ">", ">=":
		c, ok, err := orderOperands(x.Op, x.L, x.R, l, r)
		if err != nil || !ok {
			return falseValue, err
		}
		switch x.Op {
		case "<":
			return boolValue(c < 0), nil
		case "<=":
			return boolValue(c <= 0), nil
		case ">":
			return boolValue(c > 0), nil
		}
		return boolValue(c >= 0), nil
	case "+", "-", "*", "/", "%":
		return arithmetic(x, l, r)
	case "||":
		return concat(x, l, r)
	}
	return nil, exprError(x.Pos, sqlerr.FeatureNotSupported, "operator %s is not supported", x.Op)
}

// orderOperands compares l and r (evaluated from le and re) for an ordering
// operator; ok is false when they are not comparable. A constant operand of
// a type without order is an error, as in DynamoDB.
func orderOperands(op string, le, re parser.Expr, l, r types.AttributeValue) (c int, ok bool, err error) {
	for i, v := range [2]types.AttributeValue{l, r} {
		e := [2]parser.Expr{le, re}[i]
		if v != nil && !orderable(v) && !readsItem(e) {
			return 0, false, exprError(e.Position(), sqlerr.DatatypeMismatch,
				"operator %s cannot compare %s values; only strings, numbers and binaries are ordered",
				op, value.TypeName(v))
		}
	}
	if l == nil || r == nil {
		return 0, false, nil
	}
	c, ok = value.Compare(l, r)
	return c, ok, nil
}

// orderable reports whether v's type is ordered (S, N or B).
func orderable(v types.AttributeValue) bool {
	switch v.(type) {
	case *types.AttributeValueMemberS, *types.AttributeValueMemberN, *types.AttributeValueMemberB:
		return true
	}
	return false
}

// readsItem reports whether e depends on the row: a path, or an expression
// over one. Errors about a value's type are raised only for constants, since
// an attribute's type varies from item to item.
func readsItem(e parser.Expr) bool {
	switch x := e.(type) {
	case *parser.Path:
		return true
	case *parser.Literal, *parser.Param, nil:
		return false
	case *parser.BinaryExpr:
		return readsItem(x.L) || readsItem(x.R)
	case *parser.UnaryExpr:
		return readsItem(x.X)
	case *parser.FuncCall:
		for _, a := range x.Args {
			if readsItem(a) {
				return true
			}
		}
		return false
	case *parser.ListExpr:
		for _, a := range x.Elems {
			if readsItem(a) {
				return true
			}
		}
		return false
	case *parser.SetExpr:
		for _, a := range x.Elems {
			if readsItem(a) {
				return true
			}
		}
		return false
	case *parser.MapExpr:
		for _, en := range x.Entries {
			if readsItem(en.Value) {
				return true
			}
		}
		return false
	}
	return true
}

func (env *env) unary(x *parser.UnaryExpr, row Item) (types.AttributeValue, error) {
	v, err := env.eval(x.X, row)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case "NOT":
		return boolValue(!isTrue(v)), nil
	case "+", "-":
		switch n := v.(type) {
		case nil, *types.AttributeValueMemberNULL:
			return v, nil
		case *types.AttributeValueMemberN:
			if x.Op == "+" {
				return n, nil
			}
			return &types.AttributeValueMemberN{Value: negate(n.Value)}, nil
		}
		return nil, exprError(x.Pos, sqlerr.DatatypeMismatch,
			"operator %s expects a number, not %s", x.Op, attributeTypeName(v))
	}
	return nil, exprError(x.Pos, sqlerr.FeatureNotSupported, "operator %s is not supported", x.Op)
}

// negate negates canonical number text.
func negate(s string) string {
	n, err := value.NormalizeNumber(s)
	if err != nil {
		n = s
	}
	switch {
	case n == "0":
		return n
	case strings.HasPrefix(n, "-"):
		return n[1:]
	}
	return "-" + n
}

// arithmetic computes + - * / % on numbers, exactly.
func arithmetic(x *parser.BinaryExpr, l, r types.AttributeValue) (types.AttributeValue, error) {
	if l == nil || r == nil {
		return nil, nil
	}
	if isNull(l) || isNull(r) {
		return nullValue, nil
	}
	ln, lok := l.(*types.AttributeValueMemberN)
	rn, rok := r.(*types.AttributeValueMemberN)
	if !lok || !rok {
		return nil, exprError(x.Pos, sqlerr.DatatypeMismatch,
			"operator %s expects numbers, not %s and %s", x.Op, attributeTypeName(l), attributeTypeName(r))
	}
	a, err := value.ParseNumber(ln.Value)
	if err != nil {
		return nil, located(err, x.Pos)
	}
	b, err := value.ParseNumber(rn.Value)
	if err != nil {
		return nil, located(err, x.Pos)
	}
	d, err := arithmeticOps[x.Op](a, b)
	if err != nil {
		return nil, located(err, x.Pos)
	}
	return &types.AttributeValueMemberN{Value: value.FormatNumber(d)}, nil
}

var arithmeticOps = map[string]func(x, y *apd.Decimal) (*apd.Decimal, error){
	"+": value.Add, "-": value.Sub, "*": value.Mul, "/": value.Div, "%": value.Mod,
}

func isNull(v types.AttributeValue) bool {
	_, ok := v.(*types.AttributeValueMemberNULL)
	return ok
}

// concat is ||: strings joined, numbers written in their canonical form.
func concat(x *parser.BinaryExpr, l, r types.AttributeValue) (types.AttributeValue, error) {
	if l == nil || r == nil {
		return nil, nil
	}
	if isNull(l) || isNull(r) {
		return nullValue, nil
	}
	ls, lok := concatText(l)
	rs, rok := concatText(r)
	if !lok || !rok {
		return nil, exprError(x.Pos, sqlerr.DatatypeMismatch,
			"operator || expects strings or numbers, not %s and %s", attributeTypeName(l), attributeTypeName(r))
	}
	return &types.AttributeValueMemberS{Value: ls + rs}, nil
}

func concatText(v types.AttributeValue) (string, bool) {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return x.Value, true
	case *types.AttributeValueMemberN:
		return x.Value, true
	}
	return "", false
}

func (env *env) between(x *parser.BetweenExpr, row Item) (types.AttributeValue, error) {
	v, err := env.eval(x.X, row)
	if err != nil {
		return nil, err
	}
	lo, err := env.eval(x.Lo, row)
	if err != nil {
		return nil, err
	}
	hi, err := env.eval(x.Hi, row)
	if err != nil {
		return nil, err
	}
	in := false
	c1, ok1, err := orderOperands("BETWEEN", x.X, x.Lo, v, lo)
	if err != nil {
		return nil, err
	}
	c2, ok2, err := orderOperands("BETWEEN", x.X, x.Hi, v, hi)
	if err != nil {
		return nil, err
	}
	if ok1 && ok2 {
		in = c1 >= 0 && c2 <= 0
	}
	return boolValue(in != x.Not), nil
}

func (env *env) in(x *parser.InExpr, row Item) (types.AttributeValue, error) {
	v, err := env.eval(x.X, row)
	if err != nil {
		return nil, err
	}
	found := false
	if v != nil {
		for _, e := range x.List {
			w, err := env.eval(e, row)
			if err != nil {
				return nil, err
			}
			if w != nil && value.Equal(v, w) {
				found = true
				break
			}
		}
	}
	return boolValue(found != x.Not), nil
}

func (env *env) like(x *parser.LikeExpr, row Item) (types.AttributeValue, error) {
	v, err := env.eval(x.X, row)
	if err != nil {
		return nil, err
	}
	p, err := env.eval(x.Pattern, row)
	if err != nil {
		return nil, err
	}
	match := false
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		switch pat := p.(type) {
		case *types.AttributeValueMemberS:
			match = likeMatches(pat.Value, s.Value)
		case nil, *types.AttributeValueMemberNULL:
		default:
			if !readsItem(x.Pattern) {
				return nil, exprError(x.Pattern.Position(), sqlerr.DatatypeMismatch,
					"LIKE needs a string pattern, not %s", attributeTypeName(p))
			}
		}
	}
	return boolValue(match != x.Not), nil
}

// likeMatches reports whether s matches the SQL LIKE pattern: % matches any
// run of characters, _ one character, and \ makes the next character
// literal. Matching is iterative with one backtracking point per %, so it is
// linear in practice and never exponential.
func likeMatches(pattern, s string) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '%':
				starP, starI = p, i
				p++
				continue
			case '_':
				_, size := utf8.DecodeRuneInString(s[i:])
				p++
				i += size
				continue
			default:
				lit, lsize := utf8.DecodeRuneInString(pattern[p:])
				if c == '\\' && p+1 < len(pattern) {
					lit, lsize = utf8.DecodeRuneInString(pattern[p+1:])
					lsize++
				}
				r, size := utf8.DecodeRuneInString(s[i:])
				if r == lit {
					p += lsize
					i += size
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last % swallow one more character and retry.
		_, size := utf8.DecodeRuneInString(s[starI:])
		starI += size
		p, i = starP+1, starI
	}
	for p < len(pattern) && pattern[p] == '%' {
		p++
	}
	return p == len(pattern)
}

func (env *env) caseExpr(x *parser.CaseExpr, row Item) (types.AttributeValue, error) {
	var operand types.AttributeValue
	if x.Operand != nil {
		v, err := env.eval(x.Operand, row)
		if err != nil {
			return nil, err
		}
		operand = v
	}
	for _, w := range x.Whens {
		c, err := env.eval(w.Cond, row)
		if err != nil {
			return nil, err
		}
		var hit bool
		if x.Operand != nil {
			hit = operand != nil && c != nil && value.Equal(operand, c)
		} else {
			hit = isTrue(c)
		}
		if hit {
			return env.eval(w.Result, row)
		}
	}
	if x.Else != nil {
		return env.eval(x.Else, row)
	}
	return nullValue, nil
}

// list builds an L value; a missing element becomes NULL, since a list
// cannot hold a gap.
func (env *env) list(x *parser.ListExpr, row Item) (types.AttributeValue, error) {
	out := make([]types.AttributeValue, len(x.Elems))
	for i, e := range x.Elems {
		v, err := env.eval(e, row)
		if err != nil {
			return nil, err
		}
		if v == nil {
			v = nullValue
		}
		out[i] = v
	}
	return &types.AttributeValueMemberL{Value: out}, nil
}

// mapExpr builds an M value; an entry whose value is missing is left out,
// like a missing attribute.
func (env *env) mapExpr(x *parser.MapExpr, row Item) (types.AttributeValue, error) {
	out := make(map[string]types.AttributeValue, len(x.Entries))
	for _, en := range x.Entries {
		v, err := env.eval(en.Value, row)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out[en.Key] = v
		}
	}
	return &types.AttributeValueMemberM{Value: out}, nil
}

// set builds an SS, NS or BS value from elements of one scalar type,
// dropping repeated elements (DynamoDB rejects sets holding duplicates).
func (env *env) set(x *parser.SetExpr, row Item) (types.AttributeValue, error) {
	if len(x.Elems) == 0 {
		return nil, exprError(x.Pos, sqlerr.InvalidParameter, "a set cannot be empty; DynamoDB has no empty sets").
			WithHint("remove the attribute instead, or use an empty list []")
	}
	seen := make(map[string]bool, len(x.Elems))
	var kind string
	var ss []string
	var bs [][]byte
	for _, e := range x.Elems {
		v, err := env.eval(e, row)
		if err != nil {
			return nil, err
		}
		t := value.TypeName(v)
		if t != "S" && t != "N" && t != "B" {
			return nil, exprError(e.Position(), sqlerr.InvalidParameter,
				"a set holds strings, numbers or binaries, not %s", attributeTypeName(v))
		}
		if kind == "" {
			kind = t
		} else if t != kind {
			return nil, exprError(e.Position(), sqlerr.InvalidParameter,
				"the elements of a set must have one type: %s after %s", attributeTypeName(v), setElemName(kind))
		}
		k := value.HashKey(v)
		if seen[k] {
			continue
		}
		seen[k] = true
		switch x := v.(type) {
		case *types.AttributeValueMemberS:
			ss = append(ss, x.Value)
		case *types.AttributeValueMemberN:
			ss = append(ss, x.Value)
		case *types.AttributeValueMemberB:
			bs = append(bs, x.Value)
		}
	}
	switch kind {
	case "S":
		return &types.AttributeValueMemberSS{Value: ss}, nil
	case "N":
		return &types.AttributeValueMemberNS{Value: ss}, nil
	}
	return &types.AttributeValueMemberBS{Value: bs}, nil
}

func setElemName(t string) string {
	return map[string]string{"S": "strings", "N": "numbers", "B": "binaries"}[t]
}
