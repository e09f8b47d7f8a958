package executor

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// function is a scalar function: its argument count bounds (max -1: any)
// and its body, which receives the evaluated arguments.
type function struct {
	min, max int
	fn       func(x *parser.FuncCall, args []types.AttributeValue) (types.AttributeValue, error)
}

// functions are DynamoDB's condition functions and the SQL functions ddbsql
// adds. coalesce is evaluated apart, lazily.
var functions = map[string]function{
	"attribute_exists": {1, 1, func(_ *parser.FuncCall, a []types.AttributeValue) (types.AttributeValue, error) {
		return boolValue(a[0] != nil), nil
	}},
	"attribute_not_exists": {1, 1, func(_ *parser.FuncCall, a []types.AttributeValue) (types.AttributeValue, error) {
		return boolValue(a[0] == nil), nil
	}},
	"attribute_type": {2, 2, attributeType},
	"begins_with":    {2, 2, beginsWith},
	"contains":       {2, 2, contains},
	"size":           {1, 1, size},
	"lower": {1, 1, func(x *parser.FuncCall, a []types.AttributeValue) (types.AttributeValue, error) {
		return mapString(x, a[0], strings.ToLower)
	}},
	"upper": {1, 1, func(x *parser.FuncCall, a []types.AttributeValue) (types.AttributeValue, error) {
		return mapString(x, a[0], strings.ToUpper)
	}},
	"length": {1, 1, length},
}

// aggregates are the names the planner rewrites into Aggregate nodes; one
// reaching eval is misplaced (in WHERE, say).
var aggregates = map[string]bool{"count": true, "sum": true, "avg": true, "min": true, "max": true}

func (env *env) call(x *parser.FuncCall, row Item) (types.AttributeValue, error) {
	if x.Name == "coalesce" {
		return env.coalesce(x, row)
	}
	if v, ok, err := env.sessionCall(x, row); ok {
		return v, err
	}
	f, ok := functions[x.Name]
	if !ok {
		if aggregates[x.Name] {
			return nil, exprError(x.Pos, sqlerr.GroupingError, "aggregate function %s is not allowed here", x.Name)
		}
		return nil, exprError(x.Pos, sqlerr.UndefinedFunction, "function %s does not exist", x.Name)
	}
	if x.Star || x.Distinct || len(x.Args) < f.min || (f.max >= 0 && len(x.Args) > f.max) {
		return nil, exprError(x.Pos, sqlerr.UndefinedFunction, "function %s takes %s", x.Name, arity(f.min, f.max))
	}
	var buf [2]types.AttributeValue
	args := buf[:0]
	for _, a := range x.Args {
		v, err := env.eval(a, row)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	v, err := f.fn(x, args)
	if err != nil {
		return nil, located(err, x.Pos)
	}
	return v, nil
}

func arity(min, max int) string {
	switch {
	case min == max && min == 1:
		return "1 argument"
	case min == max:
		return strconv.Itoa(min) + " arguments"
	case max < 0:
		return "at least " + strconv.Itoa(min) + " argument(s)"
	}
	return strconv.Itoa(min) + " to " + strconv.Itoa(max) + " arguments"
}

// coalesce returns its first argument that is neither missing nor NULL,
// evaluating no further; NULL when none is but one was NULL, else missing.
func (env *env) coalesce(x *parser.FuncCall, row Item) (types.AttributeValue, error) {
	if len(x.Args) == 0 || x.Star || x.Distinct {
		return nil, exprError(x.Pos, sqlerr.UndefinedFunction, "function coalesce takes %s", arity(1, -1))
	}
	var result types.AttributeValue
	for _, a := range x.Args {
		v, err := env.eval(a, row)
		if err != nil {
			return nil, err
		}
		switch v.(type) {
		case nil:
		case *types.AttributeValueMemberNULL:
			result = v
		default:
			return v, nil
		}
	}
	return result, nil
}

// attributeType is attribute_type(path, 'S'|'N'|...).
func attributeType(x *parser.FuncCall, a []types.AttributeValue) (types.AttributeValue, error) {
	t, ok := a[1].(*types.AttributeValueMemberS)
	if !ok || !value.IsTypeName(t.Value) {
		return nil, exprError(x.Args[1].Position(), sqlerr.InvalidParameter,
			"attribute_type needs a type name: one of S, N, B, BOOL, NULL, M, L, SS, NS, BS")
	}
	return boolValue(a[0] != nil && value.TypeName(a[0]) == t.Value), nil
}

// beginsWith is begins_with(path, prefix) on strings and binaries.
func beginsWith(x *parser.FuncCall, a []types.AttributeValue) (types.AttributeValue, error) {
	switch p := a[1].(type) {
	case *types.AttributeValueMemberS:
		s, ok := a[0].(*types.AttributeValueMemberS)
		return boolValue(ok && strings.HasPrefix(s.Value, p.Value)), nil
	case *types.AttributeValueMemberB:
		b, ok := a[0].(*types.AttributeValueMemberB)
		return boolValue(ok && bytes.HasPrefix(b.Value, p.Value)), nil
	case nil:
		return falseValue, nil
	}
	if !readsItem(x.Args[1]) {
		return nil, exprError(x.Args[1].Position(), sqlerr.DatatypeMismatch,
			"begins_with needs a string or binary prefix, not %s", attributeTypeName(a[1]))
	}
	return falseValue, nil
}

// contains is contains(path, v): a substring of a string, an element of a
// set, or an element of a list (compared as = does).
func contains(_ *parser.FuncCall, a []types.AttributeValue) (types.AttributeValue, error) {
	v := a[1]
	if v == nil {
		return falseValue, nil
	}
	found := false
	switch c := a[0].(type) {
	case *types.AttributeValueMemberS:
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			found = strings.Contains(c.Value, s.Value)
		}
	case *types.AttributeValueMemberSS:
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			for _, e := range c.Value {
				if e == s.Value {
					found = true
					break
				}
			}
		}
	case *types.AttributeValueMemberNS:
		if _, ok := v.(*types.AttributeValueMemberN); ok {
			for _, e := range c.Value {
				if value.Equal(&types.AttributeValueMemberN{Value: e}, v) {
					found = true
					break
				}
			}
		}
	case *types.AttributeValueMemberBS:
		if b, ok := v.(*types.AttributeValueMemberB); ok {
			for _, e := range c.Value {
				if bytes.Equal(e, b.Value) {
					found = true
					break
				}
			}
		}
	case *types.AttributeValueMemberL:
		for _, e := range c.Value {
			if value.Equal(e, v) {
				found = true
				break
			}
		}
	}
	return boolValue(found), nil
}

// size is size(path): a string's length in UTF-16 code units (what DynamoDB
// Local answers: size('a😀') is 3), a binary's length in bytes, the number of
// elements of a set, list or map. Other types have no size (missing), which
// makes a comparison with it false, as in DynamoDB.
func size(_ *parser.FuncCall, a []types.AttributeValue) (types.AttributeValue, error) {
	n, ok := value.Size(a[0])
	if !ok {
		return nil, nil
	}
	return &types.AttributeValueMemberN{Value: strconv.Itoa(n)}, nil
}

// mapString applies f to a string; missing and NULL pass through.
func mapString(x *parser.FuncCall, v types.AttributeValue, f func(string) string) (types.AttributeValue, error) {
	switch s := v.(type) {
	case nil, *types.AttributeValueMemberNULL:
		return v, nil
	case *types.AttributeValueMemberS:
		return &types.AttributeValueMemberS{Value: f(s.Value)}, nil
	}
	return nil, sqlerr.New(sqlerr.DatatypeMismatch, "function %s expects a string, not %s", x.Name, attributeTypeName(v))
}

// length is length(x): a string's length in characters, a binary's in
// bytes.
func length(x *parser.FuncCall, a []types.AttributeValue) (types.AttributeValue, error) {
	switch s := a[0].(type) {
	case nil, *types.AttributeValueMemberNULL:
		return s, nil
	case *types.AttributeValueMemberS:
		return &types.AttributeValueMemberN{Value: strconv.Itoa(utf8.RuneCountInString(s.Value))}, nil
	case *types.AttributeValueMemberB:
		return &types.AttributeValueMemberN{Value: strconv.Itoa(len(s.Value))}, nil
	}
	return nil, sqlerr.New(sqlerr.DatatypeMismatch, "function length expects a string or binary, not %s", attributeTypeName(a[0]))
}
