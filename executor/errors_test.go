package executor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// sdkError wraps err as the SDK returns the errors of an operation.
func sdkError(err error) error {
	return &smithy.OperationError{ServiceID: "DynamoDB", OperationName: "Query", Err: err}
}

// refused is a refused connection as the SDK's HTTP client reports it.
func refused() error {
	return &smithyhttp.RequestSendError{Err: &url.Error{
		Op:  "Post",
		URL: "http://127.0.0.1:8000/",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)},
	}}
}

func TestMapError(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		code    string
		message string
		detail  string
		hint    string
	}{
		{
			name: "missing table", err: sdkError(&types.ResourceNotFoundException{Message: aws.String("Requested resource not found")}),
			code: sqlerr.UndefinedTable, message: "DynamoDB resource not found: Requested resource not found",
			detail: "ResourceNotFoundException: Requested resource not found",
		},
		{
			name: "condition", err: sdkError(&types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}),
			code: sqlerr.CheckViolation, message: "the item does not match the statement's condition",
			detail: "ConditionalCheckFailedException: The conditional request failed",
		},
		{
			name: "duplicate", err: sdkError(&types.DuplicateItemException{Message: aws.String("Duplicate primary key exists in table")}),
			code: sqlerr.UniqueViolation, message: "duplicate key: an item with the same key already exists",
		},
		{
			name: "validation", err: sdkError(apiError("ValidationException", "One of the required keys was not given a value")),
			code: sqlerr.InvalidParameter, message: "DynamoDB rejected the request: One of the required keys was not given a value",
			detail: "ValidationException: One of the required keys was not given a value",
		},
		{
			name: "in use", err: sdkError(&types.ResourceInUseException{Message: aws.String("Table is being updated")}),
			code: sqlerr.ObjectInUse, message: "table or index is in use: Table is being updated",
		},
		{
			name: "throughput", err: sdkError(&retry.MaxAttemptsError{Attempt: 10, Err: &types.ProvisionedThroughputExceededException{Message: aws.String("slow down")}}),
			code: sqlerr.InsufficientResource, message: "throttled by DynamoDB after retries",
			detail: "ProvisionedThroughputExceededException: slow down",
		},
		{
			name: "throttling", err: sdkError(apiError("ThrottlingException", "Rate exceeded")),
			code: sqlerr.InsufficientResource, message: "throttled by DynamoDB after retries",
		},
		{
			name: "request limit", err: sdkError(&types.RequestLimitExceeded{Message: aws.String("Throughput exceeds the account limit")}),
			code: sqlerr.InsufficientResource, message: "throttled by DynamoDB after retries",
		},
		{
			name: "transaction conflict", err: sdkError(&types.TransactionConflictException{Message: aws.String("conflict")}),
			code: sqlerr.SerializationFailure,
		},
		{
			name: "transaction canceled", err: sdkError(&types.TransactionCanceledException{Message: aws.String("Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]")}),
			code: sqlerr.SerializationFailure, message: "transaction canceled: Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]",
		},
		{
			name: "item collection", err: sdkError(&types.ItemCollectionSizeLimitExceededException{Message: aws.String("too big")}),
			code: sqlerr.ProgramLimitExceeded,
		},
		{
			name: "internal", err: sdkError(&types.InternalServerError{Message: aws.String("oops")}),
			code: sqlerr.Internal, message: "DynamoDB internal server error: oops",
		},
		{
			name: "unrecognized client", err: sdkError(apiError("UnrecognizedClientException", "The security token included in the request is invalid.")),
			code: sqlerr.InvalidAuthorization, message: "DynamoDB refused the credentials: The security token included in the request is invalid.",
		},
		{
			name: "access denied", err: sdkError(apiError("AccessDeniedException", "User is not authorized to perform: dynamodb:Scan")),
			code: sqlerr.InvalidAuthorization, detail: "AccessDeniedException: User is not authorized to perform: dynamodb:Scan",
		},
		{
			name: "unknown operation", err: sdkError(apiError("UnknownOperationException", "")),
			code: sqlerr.FeatureNotSupported, message: "this DynamoDB endpoint does not support the operation",
			detail: "UnknownOperationException",
		},
		{
			name: "unlisted exception", err: sdkError(apiError("SomethingNewException", "new")),
			code: sqlerr.Internal, message: "DynamoDB error SomethingNewException: new",
		},
		{
			name: "canceled", err: sdkError(&aws.RequestCanceledError{Err: context.Canceled}),
			code: sqlerr.QueryCanceled, message: "canceling statement due to user request",
		},
		{
			name: "deadline", err: sdkError(&smithyhttp.RequestSendError{Err: &url.Error{Op: "Post", URL: "http://x/", Err: context.DeadlineExceeded}}),
			code: sqlerr.QueryCanceled, message: "canceling statement due to statement timeout",
		},
		{
			name: "connection refused", err: sdkError(refused()),
			code: sqlerr.ConnectionFailure, message: "could not reach DynamoDB: dial tcp: connect: connection refused",
			hint: "is DynamoDB reachable at http://127.0.0.1:8000?",
		},
		{
			name: "dns", err: sdkError(&smithyhttp.RequestSendError{Err: &url.Error{Op: "Post", URL: "https://dynamodb.nowhere.example/",
				Err: &net.DNSError{Err: "no such host", Name: "dynamodb.nowhere.example", IsNotFound: true}}}),
			code: sqlerr.ConnectionFailure, hint: "is DynamoDB reachable at https://dynamodb.nowhere.example?",
		},
		{
			name: "no credentials", err: sdkError(fmt.Errorf("get identity: %w", fmt.Errorf("failed to refresh cached credentials, %w", errors.New("no EC2 IMDS role found")))),
			code: sqlerr.InvalidAuthorization, message: "no usable AWS credentials found",
		},
		{
			name: "invalid params", err: sdkError(func() error {
				e := smithy.InvalidParamsError{Context: "PutItemInput"}
				e.Add(smithy.NewErrParamRequired("TableName"))
				return e
			}()),
			code: sqlerr.InvalidParameter,
		},
		{
			name: "already coded", err: fmt.Errorf("wrapped: %w", sqlerr.New(sqlerr.DivisionByZero, "division by zero")),
			code: sqlerr.DivisionByZero, message: "division by zero",
		},
		{
			name: "anything else", err: errors.New("boom"),
			code: sqlerr.Internal, message: "boom",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapError(tc.err)
			var e *sqlerr.Error
			if !errors.As(got, &e) {
				t.Fatalf("mapError returned %T %v", got, got)
			}
			if e.Code != tc.code {
				t.Errorf("code %s, want %s (%v)", e.Code, tc.code, e)
			}
			if tc.message != "" && e.Message != tc.message {
				t.Errorf("message %q, want %q", e.Message, tc.message)
			}
			if tc.detail != "" && e.Detail != tc.detail {
				t.Errorf("detail %q, want %q", e.Detail, tc.detail)
			}
			if tc.hint != "" && e.Hint != tc.hint {
				t.Errorf("hint %q, want %q", e.Hint, tc.hint)
			}
			if !errors.Is(got, tc.err) && !errors.As(tc.err, new(*sqlerr.Error)) {
				t.Error("the mapped error does not wrap the original")
			}
		})
	}
}

func TestMapErrorNil(t *testing.T) {
	if err := mapError(nil); err != nil {
		t.Errorf("mapError(nil) = %v", err)
	}
}

func TestMapTableError(t *testing.T) {
	err := mapTableError(sdkError(apiError("ResourceNotFoundException", "Cannot do operations on a non-existent table")), "Users")
	e := wantState(t, err, sqlerr.UndefinedTable, `table "Users" does not exist`)
	if e.Detail != "ResourceNotFoundException: Cannot do operations on a non-existent table" {
		t.Errorf("detail %q", e.Detail)
	}
	// Other errors map as mapError does.
	wantState(t, mapTableError(sdkError(apiError("ValidationException", "bad")), "Users"),
		sqlerr.InvalidParameter, "DynamoDB rejected the request: bad")
}
