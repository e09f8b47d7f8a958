package conformance

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func putRequest(it map[string]av) types.WriteRequest {
	return types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
}

func deleteRequest(key map[string]av) types.WriteRequest {
	return types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: key}}
}

// batchCases cover BatchGetItem and BatchWriteItem: several tables,
// projections, consumed capacity, missing keys, the size limits and
// duplicate keys.
func batchCases() []testCase {
	return []testCase{
		{"batch", func(n *names) []step {
			a, b := n.table("BatchA"), n.table("BatchB")
			var writes []types.WriteRequest
			for i := range 20 {
				writes = append(writes, putRequest(item("pk", S(fmt.Sprint(i)), "v", N(fmt.Sprint(i*3)), "w", S("x"))))
			}
			keys := func(from, to int) []map[string]av {
				var ks []map[string]av
				for i := from; i < to; i++ {
					ks = append(ks, item("pk", S(fmt.Sprint(i))))
				}
				return ks
			}
			many := make([]types.WriteRequest, 26)
			for i := range many {
				many[i] = putRequest(item("pk", S(fmt.Sprint(i))))
			}
			return seq(table(a, "pk:S", ""), table(b, "id:N", ""),
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{a: writes}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal},
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
					a: {deleteRequest(item("pk", S("0"))), deleteRequest(item("pk", S("absent")))},
					b: {putRequest(item("id", N("1"), "x", S("y"))), putRequest(item("id", N("2.0")))},
				}, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes, ReturnItemCollectionMetrics: types.ReturnItemCollectionMetricsSize},
				&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
					a: {Keys: keys(0, 5), ProjectionExpression: str("v, #w"), ExpressionAttributeNames: exprNames("#w", "w")},
					b: {Keys: []map[string]av{item("id", N("1")), item("id", N("2")), item("id", N("3"))}, ConsistentRead: aws.Bool(true)},
				}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal},
				&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{a: {Keys: keys(0, 20), AttributesToGet: []string{"v"}}}},
				// Limits and invalid requests.
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{a: many}},
				&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{a: {Keys: keys(0, 101)}}},
				&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{a: {Keys: keys(0, 100)}}},
				&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{a: {Keys: []map[string]av{item("pk", S("1")), item("pk", S("1"))}}}},
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{a: {putRequest(item("pk", S("1"))), deleteRequest(item("pk", S("1")))}}},
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{a: {putRequest(item("pk", S("1"))), putRequest(item("pk", S("1"), "v", N("2")))}}},
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{a: {{}}}},
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{a: {{PutRequest: &types.PutRequest{Item: item("pk", S("1"))}, DeleteRequest: &types.DeleteRequest{Key: item("pk", S("1"))}}}}},
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{a: {putRequest(item("pk", N("1")))}}},
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{a: {putRequest(item("v", N("1")))}}},
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{n.table("Missing"): {putRequest(item("pk", S("1")))}}},
				&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{}},
				&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{a: {Keys: []map[string]av{item("pk", S("1"), "v", N("1"))}}}},
				&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{n.table("Missing"): {Keys: keys(0, 1)}}},
				&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{a: {Keys: nil}}},
				&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{}},
				&dynamodb.ScanInput{TableName: str(b)},
			)
		}},
	}
}
