package session

import (
	"context"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
)

// fakeDynamo knows one table, t (partition key pk, a string). GetItem
// waits for its context when slow is set, as a call to an unreachable
// endpoint would; the calls made are counted by operation.
type fakeDynamo struct {
	executor.DynamoDB // calls not overridden panic: the test did not expect them
	slow              bool
	calls             map[string]int
}

func newFake() *fakeDynamo { return &fakeDynamo{calls: map[string]int{}} }

func (f *fakeDynamo) DescribeTable(_ context.Context, in *dynamodb.DescribeTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	f.calls["DescribeTable"]++
	if aws.ToString(in.TableName) != "t" {
		return nil, &types.ResourceNotFoundException{Message: aws.String("not found")}
	}
	return &dynamodb.DescribeTableOutput{Table: &types.TableDescription{
		TableName:            aws.String("t"),
		TableStatus:          types.TableStatusActive,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
	}}, nil
}

func (f *fakeDynamo) DescribeTimeToLive(context.Context, *dynamodb.DescribeTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error) {
	return &dynamodb.DescribeTimeToLiveOutput{}, nil
}

func (f *fakeDynamo) GetItem(ctx context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	f.calls["GetItem"]++
	if f.slow {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return &dynamodb.GetItemOutput{Item: map[string]types.AttributeValue{"pk": in.Key["pk"],
		"n": &types.AttributeValueMemberS{Value: "42"}}}, nil
}

func (f *fakeDynamo) TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	f.calls["TransactWriteItems"]++
	return &dynamodb.TransactWriteItemsOutput{}, nil
}

func (f *fakeDynamo) PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	f.calls["PutItem"]++
	return &dynamodb.PutItemOutput{}, nil
}

// runSQL runs one statement and returns its tag or rows (each row its
// columns' text, joined by |) and its error.
func runSQL(t *testing.T, s *Session, sql string) ([]string, string, error) {
	t.Helper()
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	res, err := s.Run(context.Background(), stmt, nil)
	if err != nil {
		return nil, "", err
	}
	rows, err := readRows(res)
	return rows, res.Tag, err
}

func readRows(res *executor.Result) ([]string, error) {
	if res.Rows == nil {
		return nil, nil
	}
	defer res.Rows.Close()
	var out []string
	for {
		it, err := res.Rows.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		row := ""
		for i, c := range res.Columns {
			if i > 0 {
				row += "|"
			}
			if v, ok := it[c].(*types.AttributeValueMemberS); ok {
				row += v.Value
			} else if v, ok := it[c].(*types.AttributeValueMemberN); ok {
				row += v.Value
			} else if it[c] != nil {
				row += "?"
			}
		}
		out = append(out, row)
	}
}
