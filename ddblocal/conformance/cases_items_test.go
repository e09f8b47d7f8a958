package conformance

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// allTypes is an item with every attribute type, nested ones included.
func allTypes(pk string, sk string) map[string]av {
	return item(
		"pk", S(pk), "sk", N(sk),
		"s", S("héllo wörld ✓"), "n", N("-12.5"), "b", B("\x00\x01\xff"),
		"t", BOOL(true), "f", BOOL(false), "z", NULL(),
		"ss", SS("b", "a", "c"), "ns", NS("3", "1.5", "-2"), "bs", BS("y", "x"),
		"l", L(S("x"), N("1"), L(BOOL(true)), M("k", S("v"))),
		"m", M("inner", M("deep", NS("7")), "list", L(N("0"), N("1"), N("2")), "name", S("n")),
		"empty", S(""), "emptyb", B(""), "emptyl", L(), "emptym", M(),
	)
}

// itemCases cover PutItem, GetItem, UpdateItem and DeleteItem with every
// option: conditions, projections, the five ReturnValues,
// ReturnValuesOnConditionCheckFailure and ReturnConsumedCapacity.
func itemCases() []testCase {
	return []testCase{
		{"put-get-delete", func(n *names) []step {
			tb := n.table("Items")
			key := item("pk", S("a"), "sk", N("1"))
			return seq(table(tb, "pk:S", "sk:N"),
				put(tb, allTypes("a", "1")),
				get(tb, key),
				&dynamodb.GetItemInput{TableName: str(tb), Key: key, ConsistentRead: aws.Bool(true)},
				get(tb, item("pk", S("a"), "sk", N("2"))),
				&dynamodb.GetItemInput{TableName: str(tb), Key: key, ProjectionExpression: str("s, m.inner.deep, l[2], l[3].k, #t, nope"), ExpressionAttributeNames: exprNames("#t", "t")},
				&dynamodb.GetItemInput{TableName: str(tb), Key: key, AttributesToGet: []string{"s", "n", "missing"}},
				&dynamodb.GetItemInput{TableName: str(tb), Key: key, ProjectionExpression: str("m.list[1], m.list[5]")},
				&dynamodb.DeleteItemInput{TableName: str(tb), Key: key, ReturnValues: types.ReturnValueAllOld},
				get(tb, key),
				&dynamodb.DeleteItemInput{TableName: str(tb), Key: key, ReturnValues: types.ReturnValueAllOld},
				// Numbers are stored normalized: 1.0 and 1 are the same key.
				put(tb, item("pk", S("n"), "sk", N("1.0"), "v", N("0001.500"))),
				get(tb, item("pk", S("n"), "sk", N("1"))),
				put(tb, item("pk", S("n"), "sk", N("-0"), "v", N("1E+3"), "w", N("0.000001e6"), "ns", NS("1", "1.0"))),
				put(tb, item("pk", S("n"), "sk", N("-0"), "v", N("1E+3"), "w", N("0.000001e6"))),
				get(tb, item("pk", S("n"), "sk", N("0"))),
				put(tb, item("pk", S("n"), "sk", N("12345678901234567890123456789012345678"), "v", N("-1.2345678901234567890123456789012345678E-100"))),
				get(tb, item("pk", S("n"), "sk", N("12345678901234567890123456789012345678"))),
				put(tb, item("pk", S("n"), "sk", N("123456789012345678901234567890123456789"))),
				put(tb, item("pk", S("n"), "sk", N("1e126"))),
				put(tb, item("pk", S("n"), "sk", N("1e-131"))),
				put(tb, item("pk", S("n"), "sk", N("1e-130"))),
				put(tb, item("pk", S("n"), "sk", N("1e125"))),
				put(tb, item("pk", S("n"), "sk", N("abc"))),
				put(tb, item("pk", S("n"), "sk", N(""))),
				put(tb, item("pk", S("n"), "sk", N(" 1"))),
				put(tb, item("pk", S("n"), "sk", N("0x10"))),
				put(tb, item("pk", S("n"), "sk", N("Infinity"))),
			)
		}},
		{"put-validation", func(n *names) []step {
			tb := n.table("PutVal")
			return seq(table(tb, "pk:S", "sk:N"),
				put(tb, item("pk", S("a"))),
				put(tb, item("pk", S("a"), "sk", S("1"))),
				put(tb, item("pk", S(""), "sk", N("1"))),
				put(tb, item("pk", B("x"), "sk", N("1"))),
				put(tb, item("pk", S("a"), "sk", N("1"), "x", SS())),
				put(tb, item("pk", S("a"), "sk", N("1"), "x", SS("a", "a"))),
				put(tb, item("pk", S("a"), "sk", N("1"), "x", NS("1", "1.0"))),
				put(tb, item("pk", S("a"), "sk", N("1"), "x", BS("a", "a"))),
				put(tb, item("pk", S("a"), "sk", N("1"), "x", NS("1", "x"))),
				put(tb, item("pk", S("a"), "sk", N("1"), "", S("x"))),
				put(n.table("Missing"), item("pk", S("a"), "sk", N("1"))),
				&dynamodb.PutItemInput{TableName: str(tb), Item: item("pk", S("a"), "sk", N("1")), ReturnValues: types.ReturnValueAllNew},
				&dynamodb.PutItemInput{TableName: str(tb), Item: item("pk", S("a"), "sk", N("1")), ReturnValues: types.ReturnValueUpdatedOld},
				&dynamodb.PutItemInput{TableName: str(tb), Item: item("pk", S("a"), "sk", N("1")), ReturnValues: "BOGUS"},
				&dynamodb.GetItemInput{TableName: str(tb), Key: item("pk", S("a"))},
				&dynamodb.GetItemInput{TableName: str(tb), Key: item("pk", S("a"), "sk", N("1"), "x", S("y"))},
				&dynamodb.GetItemInput{TableName: str(tb), Key: item("pk", S("a"), "sk", N("1")), ProjectionExpression: str("a, a")},
				&dynamodb.GetItemInput{TableName: str(tb), Key: item("pk", S("a"), "sk", N("1")), ProjectionExpression: str("a, a.b")},
				&dynamodb.GetItemInput{TableName: str(tb), Key: item("pk", S("a"), "sk", N("1")), ProjectionExpression: str("a"), AttributesToGet: []string{"a"}},
				&dynamodb.DeleteItemInput{TableName: str(tb), Key: item("pk", S("a"))},
				&dynamodb.DeleteItemInput{TableName: str(tb), Key: item("pk", S("a"), "sk", N("1")), ReturnValues: types.ReturnValueAllNew},
			)
		}},
		{"conditions-and-return-values", func(n *names) []step {
			tb := n.table("Cond")
			key := item("pk", S("k"))
			cond := func(in *dynamodb.PutItemInput, expr string, vals map[string]av) *dynamodb.PutItemInput {
				in.ConditionExpression = str(expr)
				in.ExpressionAttributeValues = vals
				return in
			}
			rv := func(r types.ReturnValue, rvf types.ReturnValuesOnConditionCheckFailure, cc types.ReturnConsumedCapacity) *dynamodb.UpdateItemInput {
				return &dynamodb.UpdateItemInput{TableName: str(tb), Key: key,
					UpdateExpression:          str("SET a = a + :one, c = :c REMOVE d"),
					ConditionExpression:       str("attribute_exists(pk)"),
					ExpressionAttributeValues: item(":one", N("1"), ":c", S("new")),
					ReturnValues:              r, ReturnValuesOnConditionCheckFailure: rvf, ReturnConsumedCapacity: cc}
			}
			steps := seq(table(tb, "pk:S", ""),
				cond(put(tb, item("pk", S("k"), "a", N("1"), "b", S("x"), "d", BOOL(true))), "attribute_not_exists(pk)", nil),
				cond(put(tb, item("pk", S("k"), "a", N("9"))), "attribute_not_exists(pk)", nil),
				&dynamodb.PutItemInput{TableName: str(tb), Item: item("pk", S("k"), "a", N("9")), ConditionExpression: str("a > :v"),
					ExpressionAttributeValues: item(":v", N("5")), ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld},
				&dynamodb.DeleteItemInput{TableName: str(tb), Key: key, ConditionExpression: str("b = :v"),
					ExpressionAttributeValues: item(":v", S("y")), ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld},
				&dynamodb.DeleteItemInput{TableName: str(tb), Key: item("pk", S("absent")), ConditionExpression: str("attribute_exists(pk)"),
					ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld},
			)
			for _, r := range []types.ReturnValue{types.ReturnValueNone, types.ReturnValueAllOld, types.ReturnValueUpdatedOld, types.ReturnValueAllNew, types.ReturnValueUpdatedNew} {
				steps = append(steps, call(rv(r, "", types.ReturnConsumedCapacityTotal)))
			}
			steps = append(steps,
				call(put(tb, item("pk", S("k"), "a", N("1"), "d", S("back")))),
				call(rv(types.ReturnValueAllNew, types.ReturnValuesOnConditionCheckFailureNone, types.ReturnConsumedCapacityIndexes)),
				call(&dynamodb.UpdateItemInput{TableName: str(tb), Key: item("pk", S("nope")), UpdateExpression: str("SET a = :one"),
					ConditionExpression: str("attribute_exists(pk)"), ExpressionAttributeValues: item(":one", N("1")),
					ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}),
				call(&dynamodb.UpdateItemInput{TableName: str(tb), Key: key, UpdateExpression: str("SET a = :one"),
					ConditionExpression: str("a = :zero"), ExpressionAttributeValues: item(":one", N("1"), ":zero", N("0")),
					ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld, ReturnValues: types.ReturnValueAllNew}),
				// UpdateItem creates an item that does not exist.
				call(&dynamodb.UpdateItemInput{TableName: str(tb), Key: item("pk", S("fresh")), ReturnValues: types.ReturnValueAllNew}),
				call(&dynamodb.UpdateItemInput{TableName: str(tb), Key: item("pk", S("fresh2")), UpdateExpression: str("SET x = :x"),
					ExpressionAttributeValues: item(":x", L()), ReturnValues: types.ReturnValueUpdatedNew}),
				call(&dynamodb.UpdateItemInput{TableName: str(tb), Key: item("pk", S("fresh3")), UpdateExpression: str("REMOVE x"), ReturnValues: types.ReturnValueAllOld}),
				call(get(tb, item("pk", S("fresh3")))),
				call(&dynamodb.UpdateItemInput{TableName: str(tb), Key: key, UpdateExpression: str("SET pk = :x"), ExpressionAttributeValues: item(":x", S("other"))}),
				call(&dynamodb.UpdateItemInput{TableName: str(tb), Key: key, UpdateExpression: str("REMOVE pk")}),
				call(&dynamodb.GetItemInput{TableName: str(tb), Key: key, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}),
				call(&dynamodb.GetItemInput{TableName: str(tb), Key: key, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes, ConsistentRead: aws.Bool(true)}),
				call(&dynamodb.PutItemInput{TableName: str(tb), Item: item("pk", S("big"), "v", S(string(make([]byte, 5000)))), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}),
				call(&dynamodb.GetItemInput{TableName: str(tb), Key: item("pk", S("big")), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal, ProjectionExpression: str("pk")}),
				call(&dynamodb.DeleteItemInput{TableName: str(tb), Key: item("pk", S("big")), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}),
				call(&dynamodb.DeleteItemInput{TableName: str(tb), Key: item("pk", S("big")), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}),
			)
			return steps
		}},
		{"consumed-capacity-indexes", func(n *names) []step {
			tb := n.table("CapIdx")
			in := withAttrs(table(tb, "pk:S", "sk:S"), "g:S", "l:N")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("ByG", "g", "", types.ProjectionTypeAll)}
			in.LocalSecondaryIndexes = []types.LocalSecondaryIndex{lsi("ByL", "pk", "l", types.ProjectionTypeKeysOnly)}
			cc := types.ReturnConsumedCapacityIndexes
			return seq(in,
				&dynamodb.PutItemInput{TableName: str(tb), Item: item("pk", S("a"), "sk", S("1"), "g", S("x"), "l", N("3")), ReturnConsumedCapacity: cc},
				&dynamodb.PutItemInput{TableName: str(tb), Item: item("pk", S("a"), "sk", S("2")), ReturnConsumedCapacity: cc},
				&dynamodb.PutItemInput{TableName: str(tb), Item: item("pk", S("a"), "sk", S("1"), "g", S("y")), ReturnConsumedCapacity: cc},
				&dynamodb.UpdateItemInput{TableName: str(tb), Key: item("pk", S("a"), "sk", S("1")), UpdateExpression: str("SET l = :l"), ExpressionAttributeValues: item(":l", N("4")), ReturnConsumedCapacity: cc},
				&dynamodb.DeleteItemInput{TableName: str(tb), Key: item("pk", S("a"), "sk", S("1")), ReturnConsumedCapacity: cc},
				&dynamodb.QueryInput{TableName: str(tb), IndexName: str("ByL"), KeyConditionExpression: str("pk = :p"), ExpressionAttributeValues: item(":p", S("a")), ReturnConsumedCapacity: cc},
				&dynamodb.ScanInput{TableName: str(tb), IndexName: str("ByG"), ReturnConsumedCapacity: cc},
			)
		}},
	}
}
