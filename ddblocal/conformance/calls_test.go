package conformance

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// invoke sends one SDK input value to client with the matching operation.
func invoke(ctx context.Context, c *dynamodb.Client, in any) (any, error) {
	switch x := in.(type) {
	case *dynamodb.CreateTableInput:
		return c.CreateTable(ctx, x)
	case *dynamodb.DeleteTableInput:
		return c.DeleteTable(ctx, x)
	case *dynamodb.DescribeTableInput:
		return c.DescribeTable(ctx, x)
	case *dynamodb.ListTablesInput:
		return c.ListTables(ctx, x)
	case *dynamodb.UpdateTableInput:
		return c.UpdateTable(ctx, x)
	case *dynamodb.UpdateTimeToLiveInput:
		return c.UpdateTimeToLive(ctx, x)
	case *dynamodb.DescribeTimeToLiveInput:
		return c.DescribeTimeToLive(ctx, x)
	case *dynamodb.TagResourceInput:
		return c.TagResource(ctx, x)
	case *dynamodb.UntagResourceInput:
		return c.UntagResource(ctx, x)
	case *dynamodb.ListTagsOfResourceInput:
		return c.ListTagsOfResource(ctx, x)
	case *dynamodb.PutItemInput:
		return c.PutItem(ctx, x)
	case *dynamodb.GetItemInput:
		return c.GetItem(ctx, x)
	case *dynamodb.UpdateItemInput:
		return c.UpdateItem(ctx, x)
	case *dynamodb.DeleteItemInput:
		return c.DeleteItem(ctx, x)
	case *dynamodb.QueryInput:
		return c.Query(ctx, x)
	case *dynamodb.ScanInput:
		return c.Scan(ctx, x)
	case *dynamodb.BatchGetItemInput:
		return c.BatchGetItem(ctx, x)
	case *dynamodb.BatchWriteItemInput:
		return c.BatchWriteItem(ctx, x)
	case *dynamodb.TransactWriteItemsInput:
		return c.TransactWriteItems(ctx, x)
	case *dynamodb.TransactGetItemsInput:
		return c.TransactGetItems(ctx, x)
	}
	return nil, fmt.Errorf("conformance: no operation for input %T", in)
}

// nextPage returns the input that fetches the page after out, or nil when
// out was the last page. The input is a copy; in is not changed.
func nextPage(in, out any) any {
	switch x := in.(type) {
	case *dynamodb.QueryInput:
		o := out.(*dynamodb.QueryOutput)
		if len(o.LastEvaluatedKey) == 0 {
			return nil
		}
		n := *x
		n.ExclusiveStartKey = o.LastEvaluatedKey
		return &n
	case *dynamodb.ScanInput:
		o := out.(*dynamodb.ScanOutput)
		if len(o.LastEvaluatedKey) == 0 {
			return nil
		}
		n := *x
		n.ExclusiveStartKey = o.LastEvaluatedKey
		return &n
	case *dynamodb.ListTablesInput:
		o := out.(*dynamodb.ListTablesOutput)
		if o.LastEvaluatedTableName == nil {
			return nil
		}
		n := *x
		n.ExclusiveStartTableName = o.LastEvaluatedTableName
		return &n
	case *dynamodb.ListTagsOfResourceInput:
		o := out.(*dynamodb.ListTagsOfResourceOutput)
		if o.NextToken == nil {
			return nil
		}
		n := *x
		n.NextToken = o.NextToken
		return &n
	}
	return nil
}

// opName is the operation an input value is for, e.g. "PutItem".
func opName(in any) string {
	s := fmt.Sprintf("%T", in)
	const prefix, suffix = "*dynamodb.", "Input"
	if len(s) > len(prefix)+len(suffix) {
		return s[len(prefix) : len(s)-len(suffix)]
	}
	return s
}
