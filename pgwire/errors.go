package pgwire

import (
	"context"
	"errors"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// SQLSTATEs the server itself raises (PostgreSQL's values; 08P01,
// protocolViolation, is declared with the parameter decoding).
const (
	tooManyConnections    = "53300"
	adminShutdown         = "57P01"
	idleSessionTimeout    = "57P05"
	invalidPassword       = "28P01"
	invalidAuthorization  = "28000"
	invalidPreparedStmt   = "26000"
	undefinedCursor       = "34000"
	duplicatePreparedSt   = "42P05"
	undefinedParameter    = "42704"
	insufficientPrivilege = "42501"
)

// errorResponse flattens err into an ErrorResponse: a *sqlerr.Error keeps
// its SQLSTATE, detail, hint and position; any other error is XX000.
//
// src is the query string as the client sent it and base the byte offset
// in it of the statement the error's position refers to; the wire position
// is 1-based and counts characters, not bytes, so that psql draws its
// caret under the right character.
func errorResponse(severity string, err error, src string, base int) *pgproto3.ErrorResponse {
	e := sqlerr.As(err)
	msg := &pgproto3.ErrorResponse{
		Severity:            severity,
		SeverityUnlocalized: severity,
		Code:                e.Code,
		Message:             e.Message,
		Detail:              e.Detail,
		Hint:                e.Hint,
	}
	if msg.Code == "" {
		msg.Code = sqlerr.Internal
	}
	if e.HasPos && src != "" {
		off := base + e.Offset
		if off < 0 {
			off = 0
		}
		if off > len(src) {
			off = len(src)
		}
		msg.Position = int32(utf8.RuneCountInString(src[:off]) + 1)
	}
	return msg
}

// sendError sends err as an ERROR. In the extended protocol the messages
// up to the next Sync are then discarded.
func (c *conn) sendError(err error, src string, base int) {
	c.send(errorResponse("ERROR", err, src, base))
}

// fatal sends err as a FATAL error and flushes; the caller then closes
// the connection.
func (c *conn) fatal(err error) {
	c.send(errorResponse("FATAL", err, "", 0))
	_ = c.flush()
}

// sendNotice sends msg as a NoticeResponse of the given severity
// (WARNING for the session's warnings, NOTICE for a statement's notes).
func (c *conn) sendNotice(severity, code, msg string) {
	c.send(&pgproto3.NoticeResponse{Severity: severity, SeverityUnlocalized: severity, Code: code, Message: msg})
}

// statementError turns the failure of a statement whose context was
// canceled into the error PostgreSQL reports for the cause, keeping the
// detail of the statement's own error (how far a multi-item write got).
func statementError(ctx context.Context, err error) error {
	var detail string
	var se *sqlerr.Error
	if errors.As(err, &se) {
		detail = se.Detail
	}
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errUserCancel):
		return &sqlerr.Error{Code: sqlerr.QueryCanceled, Message: errUserCancel.Error(), Detail: detail, Err: err}
	case errors.Is(cause, errAdminShutdown):
		return &sqlerr.Error{Code: adminShutdown, Message: errAdminShutdown.Error(), Detail: detail, Err: err}
	}
	return err
}
