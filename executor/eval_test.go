package executor

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// Value builders.

func strV(s string) types.AttributeValue  { return &types.AttributeValueMemberS{Value: s} }
func numV(s string) types.AttributeValue  { return &types.AttributeValueMemberN{Value: s} }
func binV(b ...byte) types.AttributeValue { return &types.AttributeValueMemberB{Value: b} }
func listV(vs ...types.AttributeValue) types.AttributeValue {
	return &types.AttributeValueMemberL{Value: vs}
}
func mapV(kv ...any) types.AttributeValue {
	m := map[string]types.AttributeValue{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(types.AttributeValue)
	}
	return &types.AttributeValueMemberM{Value: m}
}

// Expression builders: what the parser produces for the SQL in the comments
// of the tests.

func xPath(names ...any) *parser.Path {
	p := &parser.Path{Pos: parser.Pos{Line: 1, Column: 1}}
	for _, n := range names {
		switch n := n.(type) {
		case string:
			p.Steps = append(p.Steps, parser.PathStep{Name: n})
		case int:
			p.Steps = append(p.Steps, parser.PathStep{Index: n, IsIndex: true})
		}
	}
	return p
}
func xStr(s string) *parser.Literal { return &parser.Literal{Kind: parser.LitString, Text: s} }
func xNum(s string) *parser.Literal { return &parser.Literal{Kind: parser.LitNumber, Text: s} }
func xBool(b bool) *parser.Literal {
	if b {
		return &parser.Literal{Kind: parser.LitBool, Text: "true"}
	}
	return &parser.Literal{Kind: parser.LitBool, Text: "false"}
}
func xNull() *parser.Literal     { return &parser.Literal{Kind: parser.LitNull, Text: "NULL"} }
func xParam(i int) *parser.Param { return &parser.Param{Index: i} }
func xBin(op string, l, r parser.Expr) *parser.BinaryExpr {
	return &parser.BinaryExpr{Op: op, L: l, R: r}
}
func xNot(x parser.Expr) *parser.UnaryExpr { return &parser.UnaryExpr{Op: "NOT", X: x} }
func xCall(name string, args ...parser.Expr) *parser.FuncCall {
	return &parser.FuncCall{Name: name, Args: args}
}
func xList(es ...parser.Expr) *parser.ListExpr { return &parser.ListExpr{Elems: es} }
func xSet(es ...parser.Expr) *parser.SetExpr   { return &parser.SetExpr{Elems: es} }

// evalRow is the item the eval tests read.
var evalRow = Item{
	"a":   numV("5"),
	"s":   strV("héllo"),
	"b":   binV(1, 2, 3),
	"l":   listV(numV("1"), strV("x")),
	"m":   mapV("k", numV("1"), "j", strV("z")),
	"ns":  &types.AttributeValueMemberNS{Value: []string{"3", "1", "2"}},
	"ss":  &types.AttributeValueMemberSS{Value: []string{"a", "b"}},
	"nul": &types.AttributeValueMemberNULL{Value: true},
	"t":   &types.AttributeValueMemberBOOL{Value: true},
}

func TestEval(t *testing.T) {
	a, s, b, l, m, x, nul := xPath("a"), xPath("s"), xPath("b"), xPath("l"), xPath("m"), xPath("x"), xPath("nul")
	params := []types.AttributeValue{binV(1, 2), strV("a😀"), numV("2.0")}
	cases := []struct {
		name string
		e    parser.Expr
		want string // fakeValueText of the result, "-" for missing
		code string // expected SQLSTATE instead
	}{
		// Comparisons: missing and mixed types are false, <> is the negation of =.
		{"a = 5", xBin("=", a, xNum("5")), "BOOL:true", ""},
		{"a = 5.0", xBin("=", a, xNum("5.0")), "BOOL:true", ""},
		{"a = '5'", xBin("=", a, xStr("5")), "BOOL:false", ""},
		{"x = 5", xBin("=", x, xNum("5")), "BOOL:false", ""},
		{"a <> 5", xBin("<>", a, xNum("5")), "BOOL:false", ""},
		{"x <> 5", xBin("<>", x, xNum("5")), "BOOL:true", ""},
		{"a <> '5'", xBin("<>", a, xStr("5")), "BOOL:true", ""},
		{"NOT (x = 5)", xNot(xBin("=", x, xNum("5"))), "BOOL:true", ""},
		{"nul = NULL", xBin("=", nul, xNull()), "BOOL:true", ""},
		{"a < 6", xBin("<", a, xNum("6")), "BOOL:true", ""},
		{"a >= 5", xBin(">=", a, xNum("5")), "BOOL:true", ""},
		{"a > 10", xBin(">", a, xNum("10")), "BOOL:false", ""},
		{"x < 6", xBin("<", x, xNum("6")), "BOOL:false", ""},
		{"NOT (x < 6)", xNot(xBin("<", x, xNum("6"))), "BOOL:true", ""},
		{"s < 6", xBin("<", s, xNum("6")), "BOOL:false", ""},
		{"s > 'h'", xBin(">", s, xStr("h")), "BOOL:true", ""},
		{"b < ?", xBin("<", b, xParam(0)), "BOOL:false", ""},
		{"t < t", xBin("<", xPath("t"), xPath("t")), "BOOL:false", ""},
		{"a < TRUE", xBin("<", a, xBool(true)), "", sqlerr.DatatypeMismatch},
		{"a < [1]", xBin("<", a, xList(xNum("1"))), "", sqlerr.DatatypeMismatch},
		// AND and OR short-circuit.
		{"FALSE AND 1/0", xBin("AND", xBool(false), xBin("/", xNum("1"), xNum("0"))), "BOOL:false", ""},
		{"TRUE OR 1/0", xBin("OR", xBool(true), xBin("/", xNum("1"), xNum("0"))), "BOOL:true", ""},
		{"a = 5 AND x = 1", xBin("AND", xBin("=", a, xNum("5")), xBin("=", x, xNum("1"))), "BOOL:false", ""},
		{"a = 4 OR s = 'héllo'", xBin("OR", xBin("=", a, xNum("4")), xBin("=", s, xStr("héllo"))), "BOOL:true", ""},
		// BETWEEN, IN, LIKE, IS.
		{"a BETWEEN 1 AND 5", &parser.BetweenExpr{X: a, Lo: xNum("1"), Hi: xNum("5")}, "BOOL:true", ""},
		{"a NOT BETWEEN 1 AND 5", &parser.BetweenExpr{X: a, Lo: xNum("1"), Hi: xNum("5"), Not: true}, "BOOL:false", ""},
		{"x BETWEEN 1 AND 5", &parser.BetweenExpr{X: x, Lo: xNum("1"), Hi: xNum("5")}, "BOOL:false", ""},
		{"x NOT BETWEEN 1 AND 5", &parser.BetweenExpr{X: x, Lo: xNum("1"), Hi: xNum("5"), Not: true}, "BOOL:true", ""},
		{"s BETWEEN 1 AND 5", &parser.BetweenExpr{X: s, Lo: xNum("1"), Hi: xNum("5")}, "BOOL:false", ""},
		{"a IN (1, 5.0)", &parser.InExpr{X: a, List: []parser.Expr{xNum("1"), xNum("5.0")}}, "BOOL:true", ""},
		{"a IN ('5')", &parser.InExpr{X: a, List: []parser.Expr{xStr("5")}}, "BOOL:false", ""},
		{"x NOT IN (1)", &parser.InExpr{X: x, List: []parser.Expr{xNum("1")}, Not: true}, "BOOL:true", ""},
		{"s LIKE 'h%o'", &parser.LikeExpr{X: s, Pattern: xStr("h%o")}, "BOOL:true", ""},
		{"s LIKE 'h_llo'", &parser.LikeExpr{X: s, Pattern: xStr("h_llo")}, "BOOL:true", ""},
		{"s LIKE 'H%'", &parser.LikeExpr{X: s, Pattern: xStr("H%")}, "BOOL:false", ""},
		{"s NOT LIKE 'x%'", &parser.LikeExpr{X: s, Pattern: xStr("x%"), Not: true}, "BOOL:true", ""},
		{"a LIKE '5'", &parser.LikeExpr{X: a, Pattern: xStr("5")}, "BOOL:false", ""},
		{"s LIKE 5", &parser.LikeExpr{X: s, Pattern: xNum("5")}, "", sqlerr.DatatypeMismatch},
		{"nul IS NULL", &parser.IsExpr{X: nul, What: parser.IsNull}, "BOOL:true", ""},
		{"x IS NULL", &parser.IsExpr{X: x, What: parser.IsNull}, "BOOL:false", ""},
		{"x IS NOT NULL", &parser.IsExpr{X: x, What: parser.IsNull, Not: true}, "BOOL:true", ""},
		{"x IS MISSING", &parser.IsExpr{X: x, What: parser.IsMissing}, "BOOL:true", ""},
		{"nul IS MISSING", &parser.IsExpr{X: nul, What: parser.IsMissing}, "BOOL:false", ""},
		{"a IS NOT MISSING", &parser.IsExpr{X: a, What: parser.IsMissing, Not: true}, "BOOL:true", ""},
		// DynamoDB's functions.
		{"begins_with(s, 'hé')", xCall("begins_with", s, xStr("hé")), "BOOL:true", ""},
		{"begins_with(b, ?)", xCall("begins_with", b, xParam(0)), "BOOL:true", ""},
		{"begins_with(a, '5')", xCall("begins_with", a, xStr("5")), "BOOL:false", ""},
		{"begins_with(x, 'a')", xCall("begins_with", x, xStr("a")), "BOOL:false", ""},
		{"begins_with(s, 5)", xCall("begins_with", s, xNum("5")), "", sqlerr.DatatypeMismatch},
		{"contains(s, 'll')", xCall("contains", s, xStr("ll")), "BOOL:true", ""},
		{"contains(ss, 'a')", xCall("contains", xPath("ss"), xStr("a")), "BOOL:true", ""},
		{"contains(ns, ?)", xCall("contains", xPath("ns"), xParam(2)), "BOOL:true", ""},
		{"contains(l, 1.0)", xCall("contains", l, xNum("1.0")), "BOOL:true", ""},
		{"contains(l, 'y')", xCall("contains", l, xStr("y")), "BOOL:false", ""},
		{"contains(a, 5)", xCall("contains", a, xNum("5")), "BOOL:false", ""},
		{"size(s)", xCall("size", s), "N:5", ""},
		{"size(?)", xCall("size", xParam(1)), "N:3", ""},
		{"size(b)", xCall("size", b), "N:3", ""},
		{"size(l)", xCall("size", l), "N:2", ""},
		{"size(m)", xCall("size", m), "N:2", ""},
		{"size(ns)", xCall("size", xPath("ns")), "N:3", ""},
		{"size(a)", xCall("size", a), "-", ""},
		{"size(a) = 1", xBin("=", xCall("size", a), xNum("1")), "BOOL:false", ""},
		{"attribute_type(a, 'N')", xCall("attribute_type", a, xStr("N")), "BOOL:true", ""},
		{"attribute_type(nul, 'NULL')", xCall("attribute_type", nul, xStr("NULL")), "BOOL:true", ""},
		{"attribute_type(x, 'NULL')", xCall("attribute_type", x, xStr("NULL")), "BOOL:false", ""},
		{"attribute_type(a, 'X')", xCall("attribute_type", a, xStr("X")), "", sqlerr.InvalidParameter},
		{"attribute_exists(a)", xCall("attribute_exists", a), "BOOL:true", ""},
		{"attribute_exists(x)", xCall("attribute_exists", x), "BOOL:false", ""},
		{"attribute_not_exists(x)", xCall("attribute_not_exists", x), "BOOL:true", ""},
		// Arithmetic, exact.
		{"a + 1.5", xBin("+", a, xNum("1.5")), "N:6.5", ""},
		{"a - 10", xBin("-", a, xNum("10")), "N:-5", ""},
		{"a * 2", xBin("*", a, xNum("2")), "N:10", ""},
		{"a / 4", xBin("/", a, xNum("4")), "N:1.25", ""},
		{"a % 3", xBin("%", a, xNum("3")), "N:2", ""},
		{"0.1 + 0.2", xBin("+", xNum("0.1"), xNum("0.2")), "N:0.3", ""},
		{"a / 0", xBin("/", a, xNum("0")), "", sqlerr.DivisionByZero},
		{"s + 1", xBin("+", s, xNum("1")), "", sqlerr.DatatypeMismatch},
		{"x + 1", xBin("+", x, xNum("1")), "-", ""},
		{"nul + 1", xBin("+", nul, xNum("1")), "NULL", ""},
		{"-a", &parser.UnaryExpr{Op: "-", X: a}, "N:-5", ""},
		{"-(-a)", &parser.UnaryExpr{Op: "-", X: &parser.UnaryExpr{Op: "-", X: a}}, "N:5", ""},
		{"-0", &parser.UnaryExpr{Op: "-", X: xNum("0")}, "N:0", ""},
		{"+a", &parser.UnaryExpr{Op: "+", X: a}, "N:5", ""},
		{"-s", &parser.UnaryExpr{Op: "-", X: s}, "", sqlerr.DatatypeMismatch},
		{"s || '!'", xBin("||", s, xStr("!")), "S:héllo!", ""},
		{"a || 'x'", xBin("||", a, xStr("x")), "S:5x", ""},
		{"x || 'x'", xBin("||", x, xStr("x")), "-", ""},
		{"l || 'x'", xBin("||", l, xStr("x")), "", sqlerr.DatatypeMismatch},
		// CASE.
		{"CASE WHEN a > 3 THEN 'big' ELSE 'small' END", &parser.CaseExpr{
			Whens: []parser.When{{Cond: xBin(">", a, xNum("3")), Result: xStr("big")}}, Else: xStr("small")}, "S:big", ""},
		{"CASE WHEN x > 3 THEN 'big' ELSE 'small' END", &parser.CaseExpr{
			Whens: []parser.When{{Cond: xBin(">", x, xNum("3")), Result: xStr("big")}}, Else: xStr("small")}, "S:small", ""},
		{"CASE a WHEN 5 THEN 'five' END", &parser.CaseExpr{Operand: a,
			Whens: []parser.When{{Cond: xNum("4"), Result: xStr("four")}, {Cond: xNum("5.0"), Result: xStr("five")}}}, "S:five", ""},
		{"CASE a WHEN 6 THEN 'six' END", &parser.CaseExpr{Operand: a,
			Whens: []parser.When{{Cond: xNum("6"), Result: xStr("six")}}}, "NULL", ""},
		// SQL functions.
		{"lower(s)", xCall("lower", xStr("HÉllo")), "S:héllo", ""},
		{"upper(s)", xCall("upper", s), "S:HÉLLO", ""},
		{"lower(x)", xCall("lower", x), "-", ""},
		{"lower(nul)", xCall("lower", nul), "NULL", ""},
		{"lower(a)", xCall("lower", a), "", sqlerr.DatatypeMismatch},
		{"coalesce(x, nul, a)", xCall("coalesce", x, nul, a), "N:5", ""},
		{"coalesce(x, nul)", xCall("coalesce", x, nul), "NULL", ""},
		{"coalesce(x)", xCall("coalesce", x), "-", ""},
		{"coalesce(a, 1/0)", xCall("coalesce", a, xBin("/", xNum("1"), xNum("0"))), "N:5", ""},
		{"coalesce()", xCall("coalesce"), "", sqlerr.UndefinedFunction},
		{"length(s)", xCall("length", s), "N:5", ""},
		{"length(?)", xCall("length", xParam(1)), "N:2", ""},
		{"length(b)", xCall("length", b), "N:3", ""},
		{"length(l)", xCall("length", l), "", sqlerr.DatatypeMismatch},
		{"nosuch(a)", xCall("nosuch", a), "", sqlerr.UndefinedFunction},
		{"size(a, b)", xCall("size", a, b), "", sqlerr.UndefinedFunction},
		{"count(a)", xCall("count", a), "", sqlerr.GroupingError},
		{"EXISTS(...)", &parser.ExistsExpr{Select: &parser.Select{}}, "", sqlerr.FeatureNotSupported},
		// Paths.
		{"m.k", xPath("m", "k"), "N:1", ""},
		{"l[1]", xPath("l", 1), "S:x", ""},
		{"l[5]", xPath("l", 5), "-", ""},
		{"m.k.z", xPath("m", "k", "z"), "-", ""},
		{"a[0]", xPath("a", 0), "-", ""},
		{"m[0]", xPath("m", 0), "-", ""},
		// Composite literals.
		{"[a, x]", xList(a, x), "L:[N:5 NULL]", ""},
		{"{'p': a, 'q': x}", &parser.MapExpr{Entries: []parser.MapEntry{{Key: "p", Value: a}, {Key: "q", Value: x}}}, "M:{p=N:5}", ""},
		{"<<1, 1.0, 2>>", xSet(xNum("1"), xNum("1.0"), xNum("2")), "NS:[1 2]", ""},
		{"<<'a', 'b', 'a'>>", xSet(xStr("a"), xStr("b"), xStr("a")), "SS:[a b]", ""},
		{"<<?>>", xSet(xParam(0)), "BS:[0102]", ""},
		{"<<1, 'a'>>", xSet(xNum("1"), xStr("a")), "", sqlerr.InvalidParameter},
		{"<<TRUE>>", xSet(xBool(true)), "", sqlerr.InvalidParameter},
		{"<<>>", xSet(), "", sqlerr.InvalidParameter},
		// Literals and parameters.
		{"1.50", xNum("1.50"), "N:1.5", ""},
		{"1e3", xNum("1e3"), "N:1000", ""},
		{"1e999", xNum("1e999"), "", sqlerr.NumericOutOfRange},
		{"NULL", xNull(), "NULL", ""},
		{"$9", xParam(8), "", sqlerr.InvalidParameter},
	}
	env := &env{params: params, stats: newStats()}
	for _, c := range cases {
		v, err := env.eval(c.e, evalRow)
		if c.code != "" {
			if err == nil || sqlerr.Code(err) != c.code {
				t.Errorf("%s = %s, %v; want error %s", c.name, fakeValueText(v), err, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := fakeValueText(v); got != c.want {
			t.Errorf("%s = %s, want %s", c.name, got, c.want)
		}
	}
}

func TestLike(t *testing.T) {
	cases := []struct {
		pattern, s string
		match      bool
	}{
		{"", "", true},
		{"%", "", true},
		{"%", "abc", true},
		{"a%", "abc", true},
		{"%c", "abc", true},
		{"%b%", "abc", true},
		{"a_c", "abc", true},
		{"a_c", "ac", false},
		{"a%c%e", "abcde", true},
		{"a%c%e", "abcdf", false},
		{"%a%a%a%a%b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{`100\%`, "100%", true},
		{`100\%`, "1000", false},
		{`a\_c`, "a_c", true},
		{`a\_c`, "abc", false},
		{"_", "é", true},
		{"__", "é", false},
		{"abc", "ab", false},
		{"ab", "abc", false},
	}
	for _, c := range cases {
		if got := likeMatches(c.pattern, c.s); got != c.match {
			t.Errorf("%q LIKE %q = %v", c.s, c.pattern, got)
		}
	}
}

func TestEnvValueAndKey(t *testing.T) {
	env := &env{params: []types.AttributeValue{strV("u1")}, stats: newStats()}
	if _, err := env.value(xPath("a")); sqlerr.Code(err) != sqlerr.InvalidParameter {
		t.Errorf("value of a path: %v", err)
	}
	vals, err := env.values(map[string]parser.Expr{":v0": xNum("1.0"), ":v1": xParam(0)})
	if err != nil || fakeKeyText(vals) != "{:v0=N:1,:v1=S:u1}" {
		t.Errorf("values = %s, %v", fakeKeyText(vals), err)
	}
	if vals, err := env.values(nil); vals != nil || err != nil {
		t.Errorf("values(nil) = %v, %v", vals, err)
	}
	key, err := env.key(planner.Key{{Attr: "id", Value: xParam(0)}, {Attr: "n", Value: xNum("2")}})
	if err != nil || fakeKeyText(key) != "{id=S:u1,n=N:2}" {
		t.Errorf("key = %s, %v", fakeKeyText(key), err)
	}
}
