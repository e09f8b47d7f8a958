// Package sqlerr gives every error a user can meet a SQLSTATE, a message that
// says what went wrong, an optional hint that says what to do next, and, for
// errors tied to statement text, a position. Errors are created where they
// arise and flattened once at the edge: the REPL prints message, caret and
// hint; the Postgres wire server sends an ErrorResponse with the same fields.
package sqlerr

import (
	"errors"
	"fmt"
)

// SQLSTATE codes used by ddbsql (PostgreSQL's values).
const (
	SyntaxError          = "42601"
	UndefinedTable       = "42P01"
	UndefinedColumn      = "42703"
	UndefinedObject      = "42704"
	DuplicateTable       = "42P07"
	DuplicateObject      = "42710"
	UniqueViolation      = "23505"
	CheckViolation       = "23514"
	SerializationFailure = "40001"
	ProgramLimitExceeded = "54000"
	InsufficientResource = "53400"
	QueryCanceled        = "57014"
	ReadOnlyTransaction  = "25006"
	// InvalidTransactionState is PostgreSQL's 25000.
	InvalidTransactionState = "25000"
	FeatureNotSupported     = "0A000"
	InvalidText             = "22P02"
	DataException           = "22000"
	DivisionByZero          = "22012"
	NumericOutOfRange       = "22003"
	DatatypeMismatch        = "42804"
	UndefinedFunction       = "42883"
	GroupingError           = "42803"
	InvalidParameter        = "22023"
	ObjectInUse             = "55006"
	// FullScanRefused is returned when scan_policy=deny refuses a full scan
	// (PostgreSQL's "insufficient privilege" class fits best: the statement is
	// valid but not allowed by policy).
	FullScanRefused   = "42501"
	ConnectionFailure = "08006"
	// InvalidAuthorization is returned when DynamoDB refuses the caller's
	// credentials or permissions, or none can be found.
	InvalidAuthorization = "28000"
	Internal             = "XX000"
)

// Error is an error with a SQLSTATE.
type Error struct {
	Code    string
	Message string
	Hint    string
	// Detail adds facts (e.g. the DynamoDB exception name).
	Detail string
	// Line and Column locate the error in the statement text (1-based; 0 when
	// unknown). Offset is the 0-based byte offset.
	Line, Column, Offset int
	HasPos               bool
	Err                  error // wrapped cause, may be nil
}

func (e *Error) Error() string {
	msg := e.Message
	if e.HasPos {
		msg = fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, msg)
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an Error with code and a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an Error with code whose message is err's, wrapping err. If err
// already carries a code, that code is kept.
func Wrap(err error, code string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: code, Message: err.Error(), Err: err}
}

// WithHint sets the hint and returns e.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// At sets the position and returns e.
func (e *Error) At(line, column, offset int) *Error {
	e.Line, e.Column, e.Offset, e.HasPos = line, column, offset, true
	return e
}

// Code returns the SQLSTATE of err, Internal when it carries none.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as an *Error, wrapping it with Internal when it carries no code.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Message: err.Error(), Err: err}
}
