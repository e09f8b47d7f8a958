package conformance

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// transactionCases cover TransactWriteItems and TransactGetItems: every
// action kind, cancellation reasons (with the old item when asked for),
// ClientRequestToken idempotency and the validation errors.
func transactionCases() []testCase {
	return []testCase{
		{"transactions", func(n *names) []step {
			a, b := n.table("TxA"), n.table("TxB")
			token := "tok-" + n.table("Token")
			put := func(tb string, it map[string]av) types.TransactWriteItem {
				return types.TransactWriteItem{Put: &types.Put{TableName: str(tb), Item: it}}
			}
			check := func(tb string, key map[string]av, cond string, rv types.ReturnValuesOnConditionCheckFailure) types.TransactWriteItem {
				return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: str(tb), Key: key, ConditionExpression: str(cond), ReturnValuesOnConditionCheckFailure: rv}}
			}
			upd := types.TransactWriteItem{Update: &types.Update{TableName: str(a), Key: item("pk", S("1")), UpdateExpression: str("SET n = n + :one"),
				ExpressionAttributeValues: item(":one", N("1"))}}
			del := types.TransactWriteItem{Delete: &types.Delete{TableName: str(b), Key: item("id", N("9")), ConditionExpression: str("attribute_exists(id)")}}
			tw := func(items ...types.TransactWriteItem) *dynamodb.TransactWriteItemsInput {
				return &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}
			}
			tg := func(keys ...types.TransactGetItem) *dynamodb.TransactGetItemsInput {
				return &dynamodb.TransactGetItemsInput{TransactItems: keys, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}
			}
			getA := func(k string) types.TransactGetItem {
				return types.TransactGetItem{Get: &types.Get{TableName: str(a), Key: item("pk", S(k))}}
			}
			idem := tw(put(a, item("pk", S("idem"), "v", N("1"))))
			idem.ClientRequestToken = str(token)
			idemOther := tw(put(a, item("pk", S("idem"), "v", N("2"))))
			idemOther.ClientRequestToken = str(token)
			var tooMany []types.TransactWriteItem
			for i := range 101 {
				tooMany = append(tooMany, put(a, item("pk", S(fmt.Sprint("m", i)))))
			}
			// Ten small puts to one table: DynamoDB charges 2 units each.
			var ten []types.TransactWriteItem
			for i := range 10 {
				ten = append(ten, put(a, item("pk", S(fmt.Sprint("ten", i)), "v", N(fmt.Sprint(i)))))
			}
			tenPuts := expect(call(tw(ten...)), 200, fmt.Sprintf(`{"ConsumedCapacity":[{"TableName":%q,"CapacityUnits":20}]}`, a))
			return seq(table(a, "pk:S", ""), table(b, "id:N", ""),
				tw(put(a, item("pk", S("1"), "n", N("1"))), put(b, item("id", N("9"), "s", S("x")))),
				tg(getA("1"), getA("absent"), types.TransactGetItem{Get: &types.Get{TableName: str(b), Key: item("id", N("9")), ProjectionExpression: str("s")}}),
				tw(upd, del, check(a, item("pk", S("1")), "n = :two", ""), put(a, item("pk", S("2")))),
				tw(upd, check(a, item("pk", S("1")), "n = :three", types.ReturnValuesOnConditionCheckFailureAllOld), put(a, item("pk", S("3")))),
				tw(upd, check(a, item("pk", S("zz")), "attribute_exists(pk)", types.ReturnValuesOnConditionCheckFailureAllOld)),
				tw(upd, del),
				tg(getA("1"), getA("2"), getA("3")),
				idem, idem, idemOther,
				get(a, item("pk", S("idem"))),
				// Two actions on one item, an empty list, too many, missing table.
				tw(upd, upd),
				tw(),
				tw(tooMany...),
				tw(put(n.table("Missing"), item("pk", S("1")))),
				tw(put(a, item("pk", N("1")))),
				tw(types.TransactWriteItem{}),
				tw(types.TransactWriteItem{Update: &types.Update{TableName: str(a), Key: item("pk", S("1")), UpdateExpression: str("SET n = :undefined")}}),
				tw(check(a, item("pk", S("1")), "n = :v", "")),
				tg(),
				tg(getA("1"), getA("1")),
				tg(types.TransactGetItem{Get: &types.Get{TableName: str(n.table("Missing")), Key: item("pk", S("1"))}}),
				tenPuts,
			)
		}},
	}
}
