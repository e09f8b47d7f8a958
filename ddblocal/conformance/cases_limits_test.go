package conformance

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// limitCases cover the size limits (400 KB items, key sizes, expression
// sizes) and empty values.
func limitCases() []testCase {
	return []testCase{
		{"item-size", func(n *names) []step {
			tb := n.table("Size")
			const kb = 1024
			big := func(size int) map[string]av {
				return item("pk", S("k"), "v", S(strings.Repeat("x", size)))
			}
			return seq(table(tb, "pk:S", ""),
				put(tb, big(400*kb-8)),
				put(tb, big(400*kb-7)),
				put(tb, big(400*kb-6)),
				put(tb, big(400*kb)),
				put(tb, big(401*kb)),
				&dynamodb.GetItemInput{TableName: str(tb), Key: item("pk", S("k")), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal, ProjectionExpression: str("pk")},
				&dynamodb.UpdateItemInput{TableName: str(tb), Key: item("pk", S("k")), UpdateExpression: str("SET w = :w"), ExpressionAttributeValues: item(":w", S(strings.Repeat("y", 10))), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal},
				put(tb, item("pk", S(strings.Repeat("p", 2048)))),
				put(tb, item("pk", S(strings.Repeat("p", 2049)))),
				put(tb, item("pk", S("k"), strings.Repeat("a", 65535), S("x"))),
				put(tb, item("pk", S("k"), strings.Repeat("a", 65536), S("x"))),
				put(tb, item("pk", S("k"), "deep", deep(32))),
				put(tb, item("pk", S("k"), "deep", deep(33))),
				&dynamodb.ScanInput{TableName: str(tb), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal, ProjectionExpression: str("pk")},
			)
		}},
		{"sort-key-size", func(n *names) []step {
			tb := n.table("SkSize")
			return seq(table(tb, "pk:S", "sk:B"),
				put(tb, item("pk", S("k"), "sk", B(strings.Repeat("b", 1024)))),
				put(tb, item("pk", S("k"), "sk", B(strings.Repeat("b", 1025)))),
				put(tb, item("pk", S("k"), "sk", B(""))),
			)
		}},
		{"empty-values", func(n *names) []step {
			tb := n.table("Empty")
			in := withAttrs(table(tb, "pk:S", ""), "g:S")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("ByG", "g", "", types.ProjectionTypeAll)}
			return seq(in,
				put(tb, item("pk", S("k"), "s", S(""), "b", B(""), "l", L(S("")), "m", M("", S("")))),
				put(tb, item("pk", S("k"), "g", S(""))),
				put(tb, item("pk", S("k"), "ss", SS(""))),
				get(tb, item("pk", S("k"))),
				&dynamodb.ScanInput{TableName: str(tb), FilterExpression: str("s = :e"), ExpressionAttributeValues: item(":e", S(""))},
				&dynamodb.QueryInput{TableName: str(tb), KeyConditionExpression: str("pk = :e"), ExpressionAttributeValues: item(":e", S(""))},
			)
		}},
	}
}

// deep nests a map depth levels deep.
func deep(depth int) av {
	v := av(N("1"))
	for range depth {
		v = M("d", v)
	}
	return v
}
