package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// A transaction runs like this:
//
//	BEGIN                       → "BEGIN"
//	INSERT / UPDATE / DELETE    → collected: "INSERT (pending)", ...
//	  or SELECT by full key     → collected: "SELECT (pending)"
//	COMMIT                      → one TransactWriteItems ("COMMIT"), or one
//	                              TransactGetItems whose Result.Results hold
//	                              the rows of each SELECT, in order
//	ROLLBACK                    → the collected statements are dropped
//
// A statement that cannot be part of the transaction (a set-based write, a
// SELECT not by full key, DDL, a read mixed into a write transaction or the
// reverse) fails on its own and is left out; the transaction stays open.

// transaction is an open transaction: its prepared statements and the
// ClientRequestToken its COMMIT sends.
type transaction struct {
	actions []*executor.TxAction
	kind    executor.TxKind
	token   string
}

// InTransaction reports whether a transaction is open.
func (s *Session) InTransaction() bool { return s.tx != nil }

func (s *Session) begin() (*executor.Result, error) {
	if s.tx != nil {
		s.notify("there is already a transaction in progress")
		return &executor.Result{Tag: "BEGIN"}, nil
	}
	s.tx = &transaction{token: newToken()}
	return &executor.Result{Tag: "BEGIN"}, nil
}

func (s *Session) rollback() (*executor.Result, error) {
	if s.tx == nil {
		s.notify("there is no transaction in progress")
	}
	s.tx = nil
	return &executor.Result{Tag: "ROLLBACK"}, nil
}

// commit sends the transaction. When the outcome is unknown (the endpoint
// could not be reached, the statement was canceled, DynamoDB failed or
// throttled past the retries), the transaction stays open: COMMIT again
// resends it with the same token, which DynamoDB applies at most once.
func (s *Session) commit(ctx context.Context) (*executor.Result, error) {
	tx := s.tx
	if tx == nil {
		s.notify("there is no transaction in progress")
		return &executor.Result{Tag: "COMMIT"}, nil
	}
	var (
		res *executor.Result
		err error
	)
	switch tx.kind {
	case executor.TxWrite:
		res, err = s.exec.CommitWrites(ctx, tx.actions, tx.token)
	case executor.TxRead:
		res, err = s.exec.CommitReads(ctx, tx.actions)
	default:
		res = &executor.Result{Tag: "COMMIT"}
	}
	if err != nil {
		switch sqlerr.Code(err) {
		case sqlerr.ConnectionFailure, sqlerr.QueryCanceled, sqlerr.InsufficientResource, sqlerr.Internal:
			e := sqlerr.As(err)
			if e.Hint == "" {
				e.Hint = "the transaction is still open: COMMIT again to retry it (it applies at most once), or ROLLBACK"
			}
			return nil, e
		}
		s.tx = nil
		return nil, err
	}
	s.tx = nil
	return res, nil
}

// collect adds a planned statement to the open transaction.
func (s *Session) collect(plan *planner.Plan, params []types.AttributeValue, label string, pos parser.Pos) (*executor.Result, error) {
	tx := s.tx
	a, err := s.exec.PrepareTx(plan, params, label)
	if err != nil {
		return nil, atPos(err, pos)
	}
	if tx.kind != 0 && a.Kind != tx.kind {
		what := "a SELECT in a transaction of writes"
		if a.Kind == executor.TxWrite {
			what = "a write in a transaction of SELECTs"
		}
		return nil, atPos(sqlerr.New(sqlerr.FeatureNotSupported, "cannot mix reads and writes in one transaction: %s", what).
			WithHint("DynamoDB reads (TransactGetItems) and writes (TransactWriteItems) in separate transactions: COMMIT first"), pos)
	}
	if len(tx.actions) >= executor.MaxTransactionActions {
		return nil, atPos(sqlerr.New(sqlerr.ProgramLimitExceeded, "a transaction holds at most %d statements", executor.MaxTransactionActions).
			WithHint("COMMIT this transaction and continue in another"), pos)
	}
	for i, b := range tx.actions {
		if b.Target == a.Target {
			return nil, atPos(sqlerr.New(sqlerr.FeatureNotSupported,
				"statement %d acts on the item of statement %d (%s): a transaction can act on each item once",
				len(tx.actions)+1, i+1, a.Target), pos)
		}
	}
	s.notify(plan.Warnings...)
	tx.kind = a.Kind
	tx.actions = append(tx.actions, a)
	return &executor.Result{Tag: a.Tag}, nil
}

// atPos positions err at pos when it is a sqlerr without a position.
func atPos(err error, pos parser.Pos) error {
	e := sqlerr.As(err)
	if !e.HasPos && pos.Line > 0 {
		e.At(pos.Line, pos.Column, pos.Offset)
	}
	return e
}

// newToken returns a fresh ClientRequestToken (at most 36 characters).
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
