package value

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func S(s string) types.AttributeValue  { return &types.AttributeValueMemberS{Value: s} }
func N(s string) types.AttributeValue  { return &types.AttributeValueMemberN{Value: s} }
func B(b ...byte) types.AttributeValue { return &types.AttributeValueMemberB{Value: b} }
func L(vs ...types.AttributeValue) types.AttributeValue {
	return &types.AttributeValueMemberL{Value: vs}
}
func M(kv ...any) types.AttributeValue {
	m := map[string]types.AttributeValue{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(types.AttributeValue)
	}
	return &types.AttributeValueMemberM{Value: m}
}
func SS(s ...string) types.AttributeValue { return &types.AttributeValueMemberSS{Value: s} }
func NS(s ...string) types.AttributeValue { return &types.AttributeValueMemberNS{Value: s} }
func BS(b ...[]byte) types.AttributeValue { return &types.AttributeValueMemberBS{Value: b} }

var (
	null   types.AttributeValue = &types.AttributeValueMemberNULL{Value: true}
	true_  types.AttributeValue = &types.AttributeValueMemberBOOL{Value: true}
	false_                      = &types.AttributeValueMemberBOOL{Value: false}
)

func TestCompare(t *testing.T) {
	cases := []struct {
		a, b types.AttributeValue
		c    int
		ok   bool
	}{
		{S("a"), S("b"), -1, true},
		{S("b"), S("a"), 1, true},
		{S("é"), S("z"), 1, true}, // bytewise UTF-8
		{S("Z"), S("a"), -1, true},
		{N("10"), N("9.5"), 1, true},
		{N("-10"), N("9.5"), -1, true},
		{N("-10"), N("-9.5"), -1, true},
		{N("1"), N("1.000"), 0, true},
		{N("0.45"), N("0.5"), -1, true},
		{N("0.4"), N("0.45"), -1, true},
		{N("-0"), N("0"), 0, true},
		{N("1e3"), N("999.99"), 1, true},
		{N("1e3"), N("1E+3"), 0, true},
		{N("-1e-3"), N("0"), -1, true},
		{N("abc"), N("1"), 0, false},
		{B(1, 2), B(1, 3), -1, true},
		{B(2), B(1, 3), 1, true},
		{S("1"), N("1"), 0, false},
		{true_, false_, 0, false},
		{null, null, 0, false},
		{L(N("1")), L(N("2")), 0, false},
		{nil, N("1"), 0, false},
	}
	for _, c := range cases {
		got, ok := Compare(c.a, c.b)
		if got != c.c || ok != c.ok {
			t.Errorf("Compare(%s, %s) = %d, %v; want %d, %v", HashKey(c.a), HashKey(c.b), got, ok, c.c, c.ok)
		}
	}
}

func TestEqual(t *testing.T) {
	cases := []struct {
		a, b types.AttributeValue
		eq   bool
	}{
		{N("1"), N("1.0"), true},
		{N("1"), N("1e0"), true},
		{N("1"), S("1"), false},
		{S("a"), S("a"), true},
		{B(1), B(1), true},
		{B(1), B(2), false},
		{null, null, true},
		{null, false_, false},
		{true_, true_, true},
		{true_, false_, false},
		{SS("a", "b"), SS("b", "a"), true},
		{SS("a", "b"), SS("a"), false},
		{SS("a", "a"), SS("a"), true},
		{NS("1", "2.0", "3"), NS("3", "1", "2"), true},
		{NS("1", "2"), NS("1", "3"), false},
		{BS([]byte{1}, []byte{2}), BS([]byte{2}, []byte{1}), true},
		{L(N("1.00"), S("x")), L(N("1"), S("x")), true},
		{L(N("1"), S("x")), L(S("x"), N("1")), false},
		{M("k", N("1"), "j", S("z")), M("j", S("z"), "k", N("1.0")), true},
		{M("k", N("1")), M("k", N("1"), "j", null), false},
		{M("k", N("1")), M("j", N("1")), false},
		{nil, nil, true},
		{nil, null, false},
		{SS("1"), NS("1"), false},
	}
	for _, c := range cases {
		if got := Equal(c.a, c.b); got != c.eq {
			t.Errorf("Equal(%s, %s) = %v", HashKey(c.a), HashKey(c.b), got)
		}
		if got := Equal(c.b, c.a); got != c.eq {
			t.Errorf("Equal(%s, %s) = %v (reversed)", HashKey(c.b), HashKey(c.a), got)
		}
		if got := HashKey(c.a) == HashKey(c.b); got != c.eq {
			t.Errorf("HashKey(%s) == HashKey(%s) is %v", HashKey(c.a), HashKey(c.b), got)
		}
	}
}

func TestTypeName(t *testing.T) {
	for v, want := range map[types.AttributeValue]string{
		S("a"): "S", N("1"): "N", B(1): "B", true_: "BOOL", null: "NULL", M(): "M", L(): "L",
		SS("a"): "SS", NS("1"): "NS", BS([]byte{1}): "BS",
	} {
		if got := TypeName(v); got != want || !IsTypeName(got) {
			t.Errorf("TypeName(%T) = %q", v, got)
		}
	}
	if TypeName(nil) != "" || IsTypeName("X") {
		t.Error("TypeName(nil) or IsTypeName(X)")
	}
}
