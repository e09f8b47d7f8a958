package conformance

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// update is an UpdateItem of key "k" returning ALL_NEW, the usual way to
// see what an update expression did.
func update(tb, expr string, nm map[string]string, vals map[string]av) *dynamodb.UpdateItemInput {
	return &dynamodb.UpdateItemInput{TableName: str(tb), Key: item("pk", S("k")), UpdateExpression: str(expr),
		ExpressionAttributeNames: nm, ExpressionAttributeValues: vals, ReturnValues: types.ReturnValueAllNew}
}

// condPut is a PutItem of key "k" under a condition, returning ALL_OLD.
func condPut(tb, cond string, nm map[string]string, vals map[string]av) *dynamodb.PutItemInput {
	return &dynamodb.PutItemInput{TableName: str(tb), Item: allTypes("k", "0"), ConditionExpression: str(cond),
		ExpressionAttributeNames: nm, ExpressionAttributeValues: vals, ReturnValues: types.ReturnValueAllOld}
}

// expressionCases cover the expression language: every update action and
// function, arithmetic, nested paths and list indexes, every condition
// operator and function, reserved words, placeholders, and syntax errors.
func expressionCases() []testCase {
	return []testCase{
		{"update-actions", func(n *names) []step {
			tb := n.table("Upd")
			v := item
			return seq(table(tb, "pk:S", ""),
				put(tb, item("pk", S("k"), "n", N("10"), "l", L(N("1"), N("2"), N("3")), "m", M("a", M("b", S("x"))), "ss", SS("a", "b"), "ns", NS("1", "2"), "bs", BS("p"))),
				update(tb, "SET n = n + :d, o = :d - n, p = if_not_exists(p, :z), q = if_not_exists(n, :z)", nil, v(":d", N("2.5"), ":z", N("0"))),
				update(tb, "SET l = list_append(l, :more), l2 = list_append(:more, l)", nil, v(":more", L(S("x")))),
				update(tb, "SET l[1] = :x, l[10] = :y, m.a.b = :x, m.a.c = :y", nil, v(":x", S("X"), ":y", S("Y"))),
				update(tb, "REMOVE l[0], l[2], m.a.b, nothing, m.zz", nil, nil),
				update(tb, "ADD n :one, ss :s, ns :ns, newn :one, newss :s", nil, v(":one", N("1"), ":s", SS("c", "a"), ":ns", NS("5"))),
				update(tb, "DELETE ss :s, ns :ns, bs :bs, absent :s", nil, v(":s", SS("a", "zz"), ":ns", NS("1", "2"), ":bs", BS("p"))),
				update(tb, "SET #a = :v, #b.#c = :v REMOVE #d", exprNames("#a", "size", "#b", "m", "#c", "dotted.name", "#d", "o"), v(":v", N("7"))),
				update(tb, "SET n = n - :big", nil, v(":big", N("99999999999999999999999999999999999999"))),
				update(tb, "SET n = :big + :big", nil, v(":big", N("99999999999999999999999999999999999999"))),
				update(tb, "SET n = :a + :b", nil, v(":a", N("0.1"), ":b", N("0.2"))),
				update(tb, "SET n = n + :s", nil, v(":s", S("x"))),
				update(tb, "SET n = missing + :one", nil, v(":one", N("1"))),
				update(tb, "SET l = list_append(l, :s)", nil, v(":s", S("x"))),
				update(tb, "ADD m :one", nil, v(":one", N("1"))),
				update(tb, "ADD ss :ns", nil, v(":ns", NS("1"))),
				update(tb, "DELETE n :one", nil, v(":one", N("1"))),
				update(tb, "SET m.nope.deeper = :one", nil, v(":one", N("1"))),
				update(tb, "SET n.x = :one", nil, v(":one", N("1"))),
				update(tb, "SET l[0].x = :one", nil, v(":one", N("1"))),
				update(tb, "SET n = :one, n = :one", nil, v(":one", N("1"))),
				update(tb, "SET m = :one REMOVE m.a", nil, v(":one", N("1"))),
				update(tb, "SET n = :one SET o = :one", nil, v(":one", N("1"))),
				update(tb, "SET n = :undefined", nil, v(":one", N("1"))),
				update(tb, "SET n = :one", nil, v(":one", N("1"), ":unused", N("2"))),
				update(tb, "SET #n = :one", exprNames("#n", "n", "#unused", "x"), v(":one", N("1"))),
				update(tb, "SET #undefined = :one", nil, v(":one", N("1"))),
				update(tb, "SET size = :one", nil, v(":one", N("1"))),
				update(tb, "SET n = :one,", nil, v(":one", N("1"))),
				update(tb, "SET n == :one", nil, v(":one", N("1"))),
				update(tb, "FROB n", nil, nil),
				update(tb, "", nil, nil),
				update(tb, "SET ns = :e", nil, v(":e", SS())),
				update(tb, "SET s = :e, b = :eb", nil, v(":e", S(""), ":eb", B(""))),
				update(tb, "SET pk = :one", nil, v(":one", S("z"))),
				update(tb, "SET l[0] = :one", nil, v(":one", N("1"))),
				update(tb, "REMOVE l[5], l[1]", nil, nil),
				update(tb, "SET q = size(l)", nil, nil),
				update(tb, "SET n = n + n + n - :one", nil, v(":one", N("1"))),
				update(tb, "SET l = list_append(list_append(l, :a), :a)", nil, v(":a", L(NULL()))),
				&dynamodb.UpdateItemInput{TableName: str(tb), Key: item("pk", S("k")), AttributeUpdates: map[string]types.AttributeValueUpdate{
					"legacy": {Action: types.AttributeActionPut, Value: S("v")}, "n": {Action: types.AttributeActionAdd, Value: N("5")}}, ReturnValues: types.ReturnValueUpdatedNew},
				&dynamodb.UpdateItemInput{TableName: str(tb), Key: item("pk", S("k")), AttributeUpdates: map[string]types.AttributeValueUpdate{
					"legacy": {Action: types.AttributeActionPut, Value: S("v")}}, UpdateExpression: str("SET a = :a"), ExpressionAttributeValues: v(":a", N("1"))},
			)
		}},
		{"conditions", func(n *names) []step {
			tb := n.table("Cnd")
			v := item
			steps := seq(table(tb, "pk:S", "sk:N"), put(tb, allTypes("k", "0")))
			for _, c := range []struct {
				expr string
				nm   map[string]string
				vals map[string]av
			}{
				{"n = :v", nil, v(":v", N("-12.50"))},
				{"n <> :v", nil, v(":v", N("-12.5"))},
				{"n < :v AND n <= :v AND n > :w AND n >= :w", nil, v(":v", N("0"), ":w", N("-100"))},
				{"s BETWEEN :a AND :b", nil, v(":a", S("h"), ":b", S("i"))},
				{"s BETWEEN :b AND :a", nil, v(":a", S("h"), ":b", S("i"))},
				{"n IN (:a, :b, :c)", nil, v(":a", N("1"), ":b", N("-12.5"), ":c", S("x"))},
				{"attribute_exists(m.inner.deep) AND attribute_not_exists(m.inner.none)", nil, nil},
				{"attribute_type(l, :t) AND attribute_type(ss, :ss)", nil, v(":t", S("L"), ":ss", S("SS"))},
				{"attribute_type(l, :t)", nil, v(":t", S("XX"))},
				{"begins_with(s, :p) OR begins_with(b, :bp)", nil, v(":p", S("hé"), ":bp", B("\x00"))},
				{"contains(ss, :x) AND contains(s, :sub) AND contains(l, :one)", nil, v(":x", S("a"), ":sub", S("wö"), ":one", N("1"))},
				{"size(s) = :len AND size(l) > :z AND size(m) = :two AND size(b) = :three", nil, v(":len", N("13"), ":z", N("0"), ":two", N("3"), ":three", N("3"))},
				{"size(n) = :one", nil, v(":one", N("1"))},
				{"NOT (t = :f) AND f = :f AND z = :null", nil, v(":f", BOOL(false), ":null", NULL())},
				{"(n < :z OR n > :z) AND NOT n = :z", nil, v(":z", N("0"))},
				{"l[3].k = :v AND m.list[2] = :two", nil, v(":v", S("v"), ":two", N("2"))},
				{"l = :l", nil, v(":l", L(S("x"), N("1"), L(BOOL(true)), M("k", S("v"))))},
				{"ss = :ss", nil, v(":ss", SS("c", "b", "a"))},
				{"m = :m", nil, v(":m", M("a", N("1")))},
				{"n < s", nil, nil},
				{"s < :n", nil, v(":n", N("1"))},
				{"#size = :v", exprNames("#size", "size"), v(":v", N("1"))},
				{"size = :v", nil, v(":v", N("1"))},
				{"status = :v", nil, v(":v", N("1"))},
				{"n = :undefined", nil, nil},
				{"n = :v", nil, v(":v", N("1"), ":unused", N("2"))},
				{"#x = :v", nil, v(":v", N("1"))},
				{"n = :v", exprNames("#unused", "x"), v(":v", N("1"))},
				{"n = ", nil, nil},
				{"n = :v AND", nil, v(":v", N("1"))},
				{"attribute_exists(:v)", nil, v(":v", N("1"))},
				{"attribute_exists(n, s)", nil, nil},
				{"frobnicate(n)", nil, nil},
				{"n IN ()", nil, nil},
				{"begins_with(n, :p)", nil, v(":p", N("1"))},
				{"contains(:v, n)", nil, v(":v", S("x"))},
				{"n = :v", nil, v(":v", S(""))},
				{"n BETWEEN :a AND :b", nil, v(":a", N("1"), ":b", S("x"))},
				{"l[-1] = :v", nil, v(":v", N("1"))},
				{"n.#a.b = :v", exprNames("#a", "x"), v(":v", N("1"))},
				{"s = :v", nil, v(":v", SS("x"))},
			} {
				steps = append(steps, call(condPut(tb, c.expr, c.nm, c.vals)))
			}
			return steps
		}},
	}
}
