package executor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// dynamoError is how one DynamoDB exception is reported: its SQLSTATE, the
// message (DynamoDB's own message is appended when keepMessage is set) and a
// hint saying what to do next.
type dynamoError struct {
	code        string
	message     string
	keepMessage bool
	hint        string
}

// throttled is shared by the exceptions DynamoDB raises when a table, an
// index or the account runs out of capacity. The SDK retries them with
// backoff before they reach mapError.
var throttled = dynamoError{
	code:    sqlerr.InsufficientResource,
	message: "throttled by DynamoDB after retries",
	hint:    "the table or index is short of capacity: retry later, raise its provisioned capacity, or switch it to on-demand billing",
}

// badCredentials is shared by the exceptions DynamoDB raises when it rejects
// the caller's credentials or permissions.
var badCredentials = dynamoError{
	code:        sqlerr.InvalidAuthorization,
	message:     "DynamoDB refused the credentials",
	keepMessage: true,
	hint:        "check the AWS profile, the access keys and the IAM policy allowing this DynamoDB action",
}

// dynamoErrors maps DynamoDB exception names (smithy.APIError.ErrorCode) to
// SQLSTATEs. It is the one place where DynamoDB's errors become SQL errors;
// exceptions not listed are internal errors.
var dynamoErrors = map[string]dynamoError{
	"ResourceNotFoundException": {
		code: sqlerr.UndefinedTable, message: "DynamoDB resource not found", keepMessage: true,
		hint: "SHOW TABLES lists the tables",
	},
	"ConditionalCheckFailedException": {
		code: sqlerr.CheckViolation, message: "the item does not match the statement's condition",
	},
	"DuplicateItemException": {
		code: sqlerr.UniqueViolation, message: "duplicate key: an item with the same key already exists",
		hint: "use UPSERT to replace an existing item",
	},
	"ValidationException": {
		code: sqlerr.InvalidParameter, message: "DynamoDB rejected the request", keepMessage: true,
	},
	"SerializationException": {
		code: sqlerr.InvalidParameter, message: "DynamoDB rejected the request", keepMessage: true,
	},
	"ResourceInUseException": {
		code: sqlerr.ObjectInUse, message: "table or index is in use", keepMessage: true,
		hint: "DynamoDB changes one table at a time: wait until the table is ACTIVE and retry",
	},
	"LimitExceededException": {
		code: sqlerr.InsufficientResource, message: "DynamoDB limit exceeded", keepMessage: true,
		hint: "too many tables or indexes are being created or deleted at once: retry later",
	},
	"ProvisionedThroughputExceededException": throttled,
	"ThrottlingException":                    throttled,
	"RequestLimitExceeded":                   throttled,
	"TransactionConflictException": {
		code: sqlerr.SerializationFailure, message: "transaction conflict: another transaction is writing the same item",
		hint: "retry the statement",
	},
	"TransactionCanceledException": {
		code: sqlerr.SerializationFailure, message: "transaction canceled", keepMessage: true,
	},
	"TransactionInProgressException": {
		code: sqlerr.SerializationFailure, message: "transaction still in progress", keepMessage: true,
		hint: "retry the statement",
	},
	"ItemCollectionSizeLimitExceededException": {
		code: sqlerr.ProgramLimitExceeded, message: "item collection too large", keepMessage: true,
		hint: "on a table with a local secondary index, the items of one partition key value are limited to 10 GB",
	},
	"InternalServerError": {
		code: sqlerr.Internal, message: "DynamoDB internal server error", keepMessage: true,
		hint: "retry the statement",
	},
	"UnknownOperationException": {
		code: sqlerr.FeatureNotSupported, message: "this DynamoDB endpoint does not support the operation", keepMessage: true,
	},
	"UnrecognizedClientException": badCredentials,
	"AccessDeniedException":       badCredentials,
	"InvalidSignatureException":   badCredentials,
	"IncompleteSignature":         badCredentials,
	"MissingAuthenticationToken":  badCredentials,
	"ExpiredTokenException":       badCredentials,
	"InvalidClientTokenId":        badCredentials,
}

// MapError gives err a SQLSTATE, as the executor does for every error from
// the DynamoDB API. It is exported for the other callers of the API (the
// catalog) so that one table maps DynamoDB's errors.
func MapError(err error) error { return mapError(err) }

// mapError turns an error from the DynamoDB API into a *sqlerr.Error: API
// exceptions through dynamoErrors (the exception name goes into Detail),
// cancellation and timeouts into 57014, unreachable endpoints into 08006.
// Errors that already carry a SQLSTATE pass through unchanged.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlerr.Error
	if errors.As(err, &se) {
		return err
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &sqlerr.Error{Code: sqlerr.QueryCanceled, Message: "canceling statement due to user request", Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &sqlerr.Error{Code: sqlerr.QueryCanceled, Message: "canceling statement due to statement timeout", Err: err}
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return mapAPIError(err, apiErr)
	}
	var invalid smithy.InvalidParamsError
	if errors.As(err, &invalid) {
		return &sqlerr.Error{Code: sqlerr.InvalidParameter, Message: "invalid DynamoDB request: " + invalid.Error(), Err: err}
	}
	if isCredentialsError(err) {
		return &sqlerr.Error{
			Code:    sqlerr.InvalidAuthorization,
			Message: "no usable AWS credentials found",
			Detail:  err.Error(),
			Hint:    "set AWS_PROFILE (or the profile option), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; for SSO profiles run `aws sso login`",
			Err:     err,
		}
	}
	if endpoint, ok := connectionFailure(err); ok {
		e := &sqlerr.Error{
			Code:    sqlerr.ConnectionFailure,
			Message: "could not reach DynamoDB: " + rootCause(err).Error(),
			Err:     err,
		}
		if endpoint != "" {
			e.Hint = fmt.Sprintf("is DynamoDB reachable at %s?", endpoint)
		} else {
			e.Hint = "is DynamoDB reachable?"
		}
		return e
	}
	return &sqlerr.Error{Code: sqlerr.Internal, Message: err.Error(), Err: err}
}

// mapAPIError maps one DynamoDB exception.
func mapAPIError(err error, apiErr smithy.APIError) error {
	name, msg := apiErr.ErrorCode(), apiErr.ErrorMessage()
	detail := name
	if msg != "" {
		detail = name + ": " + msg
	}
	d, ok := dynamoErrors[name]
	if !ok {
		if strings.HasSuffix(name, "AccessDenied") || strings.HasSuffix(name, "AccessDeniedException") {
			d = badCredentials
		} else {
			d = dynamoError{code: sqlerr.Internal, message: "DynamoDB error " + name, keepMessage: true}
		}
	}
	message := d.message
	if d.keepMessage && msg != "" {
		message += ": " + msg
	}
	return &sqlerr.Error{Code: d.code, Message: message, Hint: d.hint, Detail: detail, Err: err}
}

// mapTableError is mapError for calls on one table: ResourceNotFoundException
// names the table, since DynamoDB's message often does not.
func mapTableError(err error, table string) error {
	if isErrorCode(err, "ResourceNotFoundException") {
		return unknownTable(table, err)
	}
	return mapError(err)
}

// unknownTable is the error for a table that does not exist.
func unknownTable(table string, cause error) *sqlerr.Error {
	e := sqlerr.New(sqlerr.UndefinedTable, "table %q does not exist", table)
	e.Hint = "SHOW TABLES lists the tables"
	e.Err = cause
	var apiErr smithy.APIError
	if errors.As(cause, &apiErr) {
		e.Detail = apiErr.ErrorCode() + ": " + apiErr.ErrorMessage()
	}
	return e
}

// isErrorCode reports whether err is the DynamoDB exception called code.
func isErrorCode(err error, code string) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == code
}

// isCredentialsError reports whether the SDK failed to find or refresh
// credentials before sending the request.
func isCredentialsError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "failed to refresh cached credentials") ||
		strings.Contains(msg, "failed to retrieve credentials") ||
		strings.Contains(msg, "get identity: ")
}

// connectionFailure reports whether err means the endpoint could not be
// reached, and the endpoint when it is known.
func connectionFailure(err error) (endpoint string, ok bool) {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		endpoint = urlErr.URL
		if u, perr := url.Parse(urlErr.URL); perr == nil && u.Host != "" {
			endpoint = u.Scheme + "://" + u.Host
		}
	}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	var conn interface{ ConnectionError() bool }
	switch {
	case errors.As(err, &opErr), errors.As(err, &dnsErr):
		return endpoint, true
	case errors.As(err, &conn) && conn.ConnectionError():
		return endpoint, true
	case urlErr != nil:
		return endpoint, true
	}
	return "", false
}

// rootCause returns the innermost error of a chain of single wraps, which
// for network errors is the informative part ("dial tcp ...: connection
// refused") without the SDK's decorations.
func rootCause(err error) error {
	for {
		// Stop at the net error: its Error() names the address.
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			return opErr
		}
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
