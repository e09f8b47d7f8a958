package ddblocal_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/ddblocal"
)

func TestLegacyParameters(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{NoSync: true})
	createOrders(t, c, "Orders")
	putOrders(t, c, "Orders", "a", 3)
	key := map[string]types.AttributeValue{"pk": s("a"), "sk": ni(1)}

	got, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: key, AttributesToGet: []string{"v", "missing"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Item) != 1 || got.Item["v"].(*types.AttributeValueMemberS).Value != "1" {
		t.Fatalf("AttributesToGet item = %v", got.Item)
	}
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: key, AttributesToGet: []string{"v"}, ProjectionExpression: aws.String("v")})
	wantError(t, err, "ValidationException", "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")

	up, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("Orders"), Key: key, ReturnValues: types.ReturnValueUpdatedNew,
		AttributeUpdates: map[string]types.AttributeValueUpdate{
			"n":    {Action: types.AttributeActionAdd, Value: n("5")},
			"note": {Action: types.AttributeActionPut, Value: s("x")},
			"v":    {Action: types.AttributeActionDelete},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Attributes) != 2 || up.Attributes["n"].(*types.AttributeValueMemberN).Value != "5" {
		t.Fatalf("AttributeUpdates returned %v", up.Attributes)
	}
	got, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Item["v"]; ok {
		t.Fatalf("DELETE without a value left v: %v", got.Item)
	}

	_, err = c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Orders"), ScanFilter: map[string]types.Condition{
		"v": {ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{s("1")}}}})
	wantError(t, err, "ValidationException", "The legacy parameter ScanFilter is not supported by ddbsql's engine; use FilterExpression instead")
}
