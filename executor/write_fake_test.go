package executor

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"
)

// scriptedAPI is a DynamoDB fake for the write and DDL tests: it records
// every call's input and answers with respond. Operations the tests do not
// expect panic through the nil embedded interface.
type scriptedAPI struct {
	DynamoDB
	mu      sync.Mutex // writes of several items call concurrently
	calls   []scriptedCall
	respond func(op string, in any) (any, error)
}

// scriptedCall is one recorded call.
type scriptedCall struct {
	Op string
	In any
}

func (f *scriptedAPI) call(op string, in any) (any, error) {
	f.mu.Lock()
	f.calls = append(f.calls, scriptedCall{op, in})
	respond := f.respond
	f.mu.Unlock()
	if respond == nil {
		return nil, nil
	}
	out, err := respond(op, in)
	if err != nil {
		return nil, &smithy.OperationError{ServiceID: "DynamoDB", OperationName: op, Err: err}
	}
	return out, nil
}

// answer converts call's result to the output type, an empty output when
// respond returned nil.
func answer[T any](out any, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	if out == nil {
		return new(T), nil
	}
	return out.(*T), nil
}

func (f *scriptedAPI) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return answer[dynamodb.PutItemOutput](f.call("PutItem", in))
}

func (f *scriptedAPI) UpdateItem(_ context.Context, in *dynamodb.UpdateItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	return answer[dynamodb.UpdateItemOutput](f.call("UpdateItem", in))
}

func (f *scriptedAPI) DeleteItem(_ context.Context, in *dynamodb.DeleteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	return answer[dynamodb.DeleteItemOutput](f.call("DeleteItem", in))
}

func (f *scriptedAPI) BatchWriteItem(_ context.Context, in *dynamodb.BatchWriteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	return answer[dynamodb.BatchWriteItemOutput](f.call("BatchWriteItem", in))
}

func (f *scriptedAPI) CreateTable(_ context.Context, in *dynamodb.CreateTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error) {
	return answer[dynamodb.CreateTableOutput](f.call("CreateTable", in))
}

func (f *scriptedAPI) UpdateTable(_ context.Context, in *dynamodb.UpdateTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateTableOutput, error) {
	return answer[dynamodb.UpdateTableOutput](f.call("UpdateTable", in))
}

func (f *scriptedAPI) DeleteTable(_ context.Context, in *dynamodb.DeleteTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.DeleteTableOutput, error) {
	return answer[dynamodb.DeleteTableOutput](f.call("DeleteTable", in))
}

func (f *scriptedAPI) DescribeTable(_ context.Context, in *dynamodb.DescribeTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	return answer[dynamodb.DescribeTableOutput](f.call("DescribeTable", in))
}

func (f *scriptedAPI) DescribeTimeToLive(_ context.Context, in *dynamodb.DescribeTimeToLiveInput, _ ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error) {
	return answer[dynamodb.DescribeTimeToLiveOutput](f.call("DescribeTimeToLive", in))
}

func (f *scriptedAPI) ListTables(_ context.Context, in *dynamodb.ListTablesInput, _ ...func(*dynamodb.Options)) (*dynamodb.ListTablesOutput, error) {
	return answer[dynamodb.ListTablesOutput](f.call("ListTables", in))
}

// ops returns the operations called, in order.
func (f *scriptedAPI) ops() []string {
	ops := make([]string, len(f.calls))
	for i, c := range f.calls {
		ops[i] = c.Op
	}
	return ops
}

// apiError is a DynamoDB exception as the SDK returns it.
func apiError(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg}
}

// sameInput fails t unless got equals want, showing both as JSON.
func sameInput(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("input mismatch\n got: %s\nwant: %s", jsonText(got), jsonText(want))
	}
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

// testEnv is an env without parameters, built as Run builds one.
func testEnv() *env { return &env{stats: newStats()} }

func (f *scriptedAPI) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	return answer[dynamodb.TransactWriteItemsOutput](f.call("TransactWriteItems", in))
}
