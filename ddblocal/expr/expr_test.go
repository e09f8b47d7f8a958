package expr

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// These tests need no server; TestReference checks the same behaviour
// against DynamoDB Local.

func TestConditionEval(t *testing.T) {
	item := Item{"pk": s("k"), "n": n("10"), "s": s("abc"), "l": l(s("a"), n("2")), "ss": ss("x", "y")}
	v := vals(":n", n("10.0"), ":p", s("ab"), ":two", n("2"), ":x", s("x"), ":lo", n("1"), ":hi", n("10"))
	cases := []struct {
		expr string
		want bool
	}{
		{"n = :n", true},
		{"n <> :n", false},
		{"absent <> :n", true},
		{"begins_with(s, :p)", true},
		{"contains(ss, :x) AND size(l) = :two", true},
		{"n BETWEEN :lo AND :hi", true},
		{"NOT attribute_exists(absent) AND l[1] = :two", true},
		{"s = :p OR n < :lo AND n > :lo", false},
		{"n IN (:lo, :n)", true},
	}
	for _, c := range cases {
		cond, err := ParseCondition(c.expr, "FilterExpression", Attrs{Values: v}, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		got, err := cond.Eval(item)
		if err != nil || got != c.want {
			t.Errorf("%s = %v, %v; want %v", c.expr, got, err, c.want)
		}
	}
	cond, _ := ParseCondition("attribute_not_exists(pk)", "ConditionExpression", Attrs{}, nil)
	if ok, _ := cond.Eval(nil); !ok {
		t.Error("attribute_not_exists(pk) is false for a absent item")
	}
}

func TestErrors(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"a x", `Invalid FilterExpression: Syntax error; token: "x", near: "a x"`},
		{"a = ", `Invalid FilterExpression: Syntax error; token: "<EOF>", near: "= "`},
		{"name = :v", "Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"#n = :v", "Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #n"},
		{"a = :q", "Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :q"},
		{"((a = :v))", "Invalid FilterExpression: The expression has redundant parentheses;"},
		{"size(a)", "Invalid FilterExpression: The function is not allowed to be used this way in an expression; function: size"},
		{"a = a", "Invalid FilterExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
	}
	for _, c := range cases {
		_, err := ParseCondition(c.expr, "FilterExpression", Attrs{Values: vals(":v", s("x"))}, nil)
		var e *Error
		if !errors.As(err, &e) || e.Message != c.want {
			t.Errorf("%s: got %v, want %s", c.expr, err, c.want)
		}
	}
}

func TestCheckUnused(t *testing.T) {
	a := Attrs{Names: names("#a", "a", "#b", "b"), Values: vals(":l", s("x"), ":m", s("x"), ":n", s("x"), ":b", s("x"))}
	used := NewUsed()
	if _, err := ParseCondition("#a = :n", "FilterExpression", a, used); err != nil {
		t.Fatal(err)
	}
	want := "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"
	if err := used.CheckUnused(a); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	a.Names = names("#a", "a")
	want = "Value provided in ExpressionAttributeValues unused in expressions: keys: {:l, :m, :b}"
	if err := used.CheckUnused(a); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestUpdateApply(t *testing.T) {
	item := Item{"pk": s("k"), "n": n("1"), "l": l(s("a"), s("b"), s("c")), "ss": ss("x", "y"), "m": m("x", n("1"))}
	v := vals(":one", n("1"), ":v", s("new"), ":s", ss("y"), ":l", l(s("d")))
	u, err := ParseUpdate("SET n = n + :one, l[1] = :v, m.y = :v, l = list_append(l, :l) REMOVE l[0]", Attrs{Values: v}, nil)
	if err == nil {
		t.Fatalf("SET l[1] and SET l overlap, but the update parsed")
	}
	u, err = ParseUpdate("SET n = n + :one, l[1] = :v, m.y = :v REMOVE l[0] DELETE ss :s", Attrs{Values: v}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := u.Apply(item)
	if err != nil {
		t.Fatal(err)
	}
	want := Item{"pk": s("k"), "n": n("2"), "l": l(s("new"), s("c")), "ss": ss("x"), "m": m("x", n("1"), "y", s("new"))}
	if !value.Equal(m2av(got), m2av(want)) {
		t.Errorf("got %s, want %s", show(got), show(want))
	}
	if !value.Equal(item["l"], l(s("a"), s("b"), s("c"))) || len(item["m"].(*types.AttributeValueMemberM).Value) != 1 {
		t.Errorf("Apply changed its input: %s", show(item))
	}
	u, _ = ParseUpdate("SET a.b = :v", Attrs{Values: v}, nil)
	if _, err := u.Apply(nil); err == nil || err.Error() != msgInvalidUpdatePath {
		t.Errorf("SET a.b on a new item: %v", err)
	}
}

func TestProjectionApply(t *testing.T) {
	item := Item{"pk": s("k"), "l": l(s("a"), s("b"), s("c")), "m": m("x", n("1"), "y", n("2"))}
	p, err := ParseProjection("l[2], l[0], m.y, absent", Attrs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Item{"l": l(s("a"), s("c")), "m": m("y", n("2"))}
	if got := p.Apply(item); !value.Equal(m2av(got), m2av(want)) {
		t.Errorf("got %s, want %s", show(got), show(want))
	}
}

func TestKeyCondition(t *testing.T) {
	a := Attrs{Values: vals(":p", s("a"), ":k", n("5"))}
	kc, err := ParseKeyCondition(":k <= sk AND pk = :p", a, nil, "pk", "S", "sk", "N")
	if err != nil {
		t.Fatal(err)
	}
	if kc.Sort == nil || kc.Sort.Op != ">=" || !kc.Match(Item{"pk": s("a"), "sk": n("5")}) || kc.Match(Item{"pk": s("a"), "sk": n("4")}) {
		t.Errorf("unexpected key condition %+v", kc.Sort)
	}
	if _, err := ParseKeyCondition("pk = :k", Attrs{Values: vals(":k", n("5"))}, nil, "pk", "S", "", ""); err == nil ||
		!strings.Contains(err.Error(), "Condition parameter type does not match schema type") {
		t.Errorf("type mismatch: %v", err)
	}
}

// FuzzParseCondition checks that no input makes the parsers panic, and that
// every failure is an *Error.
func FuzzParseCondition(f *testing.F) {
	for _, c := range refCases {
		f.Add(c.expr)
	}
	a := Attrs{Names: names("#a", "a"), Values: vals(":v", s("x"), ":n", n("1"), ":l", l())}
	f.Fuzz(func(t *testing.T, src string) {
		check := func(err error) {
			var e *Error
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("%q: error %v is not an *Error", src, err)
			}
		}
		c, err := ParseCondition(src, "ConditionExpression", a, nil)
		check(err)
		if err == nil {
			_, err = c.Eval(Item{"a": s("x")})
			check(err)
		}
		u, err := ParseUpdate(src, a, nil)
		check(err)
		if err == nil {
			_, err = u.Apply(Item{"a": l(s("x"))})
			check(err)
		}
		_, err = ParseProjection(src, a, nil)
		check(err)
		_, err = ParseKeyCondition(src, a, nil, "a", "S", "b", "N")
		check(err)
	})
}
