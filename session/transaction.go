package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// A transaction runs like this:
//
//	BEGIN                       → "BEGIN"
//	INSERT / UPSERT / UPDATE /  → collected: "INSERT (pending)", ...
//	  DELETE by full key,
//	  EXISTS(SELECT ...)
//	SELECT, EXPLAIN, SHOW, ...  → run at once, rows streamed as outside a
//	                              transaction
//	COMMIT                      → the collected writes as one
//	                              TransactWriteItems ("COMMIT"); nothing is
//	                              sent when there are none
//	ROLLBACK                    → the collected writes are dropped
//
// DynamoDB has no transaction that reads and then writes: TransactGetItems
// and TransactWriteItems are separate calls, each complete in itself. So
// the writes of a transaction are collected and sent together at COMMIT,
// atomically, and every statement that only reads runs when it is given,
// whatever its shape (a scan as well as a lookup by key), as PostgreSQL
// clients expect: drivers wrap ordinary reads in BEGIN ... COMMIT and
// want each SELECT's rows as it runs. Reads in a transaction are strongly
// consistent where DynamoDB allows it (the table and its local indexes,
// not global ones), so a SELECT sees every write committed before it —
// but not the transaction's own writes, which are applied only at COMMIT.
// A condition a write depends on belongs in the write (its WHERE) or in an
// EXISTS(...) check, which DynamoDB evaluates atomically with the writes;
// a SELECT's answer may change before COMMIT.
//
// A transaction holds at most executor.MaxTransactionActions (100) writes
// and checks, each acting on a different item; errors number them among
// the pending statements, reads not counted. A write that cannot be one item of TransactWriteItems
// (a multi-row INSERT, UPDATE or DELETE without the full primary key) and
// DDL are refused. As in PostgreSQL, a statement that fails inside the
// transaction (refused, or any other error) fails the transaction: every
// later statement but COMMIT and ROLLBACK is refused (25P02), and COMMIT
// rolls back. SET, SHOW and the other session statements run at once;
// settings changed in the transaction go back to their old values on
// ROLLBACK, and SET LOCAL ones at either end.

// transaction is an open transaction: its prepared writes, the
// ClientRequestToken its COMMIT sends, its characteristics and the
// settings it changed.
type transaction struct {
	actions []*executor.TxAction
	token   string
	// failed is set by a statement's error: TxStatus 'E'.
	failed bool
	// isolation, access and deferrable are the transaction's modes ("":
	// the session's default).
	isolation, access, deferrable string
	// saved holds each setting's value before the transaction first
	// changed it (restored by ROLLBACK); commitValues the value each
	// keeps after COMMIT (SET LOCAL's change is undone).
	saved, commitValues map[string]savedValue
}

// savedValue is a setting's value, or its absence (a custom setting not
// yet set).
type savedValue struct {
	value   string
	present bool
}

// apply sets the transaction's modes that m gives.
func (tx *transaction) apply(m parser.TxModes) {
	if m.Isolation != "" {
		tx.isolation = m.Isolation
	}
	if m.Access != "" {
		tx.access = m.Access
	}
	if m.Deferrable != "" {
		tx.deferrable = m.Deferrable
	}
}

// InTransaction reports whether a transaction is open (failed or not).
func (s *Session) InTransaction() bool { return s.tx != nil }

// TxStatus is the transaction status a wire server reports in
// ReadyForQuery: 'I' idle, 'T' in a transaction, 'E' in a failed
// transaction.
func (s *Session) TxStatus() byte {
	switch {
	case s.tx == nil:
		return 'I'
	case s.tx.failed:
		return 'E'
	}
	return 'T'
}

// FailTransaction marks the open transaction failed, as an error inside
// it does. A front end calls it for an error that never reached the
// session, such as a syntax error.
func (s *Session) FailTransaction() { s.failTransaction() }

func (s *Session) failTransaction() {
	if s.tx != nil {
		s.tx.failed = true
	}
}

func (s *Session) begin(ctx context.Context, m parser.TxModes) (*executor.Result, error) {
	if s.tx != nil {
		s.notify("there is already a transaction in progress")
		return &executor.Result{Tag: "BEGIN"}, nil
	}
	if m.Access == "read write" && s.readOnly {
		return nil, sqlerr.New(sqlerr.ReadOnlyTransaction, "cannot begin a read-write transaction: the session was opened read-only")
	}
	token, _ := ctx.Value(transactionTokenKey{}).(string)
	if token == "" {
		token = newToken()
	}
	tx := &transaction{token: token, saved: map[string]savedValue{}, commitValues: map[string]savedValue{}}
	tx.apply(m)
	s.tx = tx
	return &executor.Result{Tag: "BEGIN"}, nil
}

func (s *Session) rollback() (*executor.Result, error) {
	if s.tx == nil {
		s.notify("there is no transaction in progress")
		return &executor.Result{Tag: "ROLLBACK"}, nil
	}
	s.endTransaction(false)
	return &executor.Result{Tag: "ROLLBACK"}, nil
}

// Abandon ends the open transaction, if any, as ROLLBACK does, without a
// notice: for a caller that stops running statements in the middle of one
// (the migration runner, on an error).
func (s *Session) Abandon() {
	if s.tx != nil {
		s.endTransaction(false)
	}
}

// endTransaction closes the transaction, keeping the settings it changed
// (committed) or restoring them.
func (s *Session) endTransaction(committed bool) {
	tx := s.tx
	s.tx = nil
	vals := tx.saved
	if committed {
		vals = tx.commitValues
	}
	s.mu.Lock()
	for key, v := range vals {
		s.store(key, v.value, v.present)
	}
	s.mu.Unlock()
}

// commit sends the transaction. When the outcome is unknown (the endpoint
// could not be reached, the statement was canceled, DynamoDB failed or
// throttled past the retries), the transaction stays open: COMMIT again
// resends it with the same token, which DynamoDB applies at most once. A
// failed transaction is rolled back, and the tag says so.
func (s *Session) commit(ctx context.Context) (*executor.Result, error) {
	tx := s.tx
	if tx == nil {
		s.notify("there is no transaction in progress")
		return &executor.Result{Tag: "COMMIT"}, nil
	}
	if tx.failed {
		s.endTransaction(false)
		return &executor.Result{Tag: "ROLLBACK"}, nil
	}
	if len(tx.actions) == 0 {
		// Only reads, which have run: nothing to send.
		s.endTransaction(true)
		return &executor.Result{Tag: "COMMIT"}, nil
	}
	res, err := s.exec.CommitWrites(ctx, tx.actions, tx.token)
	if err != nil {
		switch sqlerr.Code(err) {
		case sqlerr.ConnectionFailure, sqlerr.QueryCanceled, sqlerr.InsufficientResource, sqlerr.Internal:
			e := sqlerr.As(err)
			if e.Hint == "" {
				e.Hint = "the transaction is still open: COMMIT again to retry it (it applies at most once), or ROLLBACK"
			}
			return nil, e
		}
		s.endTransaction(false)
		return nil, err
	}
	s.endTransaction(true)
	return res, nil
}

// collect prepares a write (or EXISTS check) and adds it to the open
// transaction.
func (s *Session) collect(plan *planner.Plan, params []types.AttributeValue, label string, pos parser.Pos) (*executor.Result, error) {
	tx := s.tx
	a, err := s.exec.PrepareTx(plan, params, label)
	if err != nil {
		return nil, atPos(err, pos)
	}
	if len(tx.actions) >= executor.MaxTransactionActions {
		return nil, atPos(sqlerr.New(sqlerr.ProgramLimitExceeded, "a transaction holds at most %d pending statements", executor.MaxTransactionActions).
			WithHint("COMMIT this transaction and continue in another"), pos)
	}
	for i, b := range tx.actions {
		if b.Target == a.Target {
			return nil, atPos(sqlerr.New(sqlerr.FeatureNotSupported,
				"pending statement %d acts on the item of pending statement %d (%s): a transaction can act on each item once",
				len(tx.actions)+1, i+1, a.Target), pos)
		}
	}
	s.notify(plan.Warnings...)
	tx.actions = append(tx.actions, a)
	return &executor.Result{Tag: a.Tag}, nil
}

// consistentReads returns plan with every Read of a table or of a local
// secondary index made strongly consistent, as a transaction's reads are.
// It is applied when the plan runs, not when it is made, because a
// prepared statement may be planned outside the transaction that executes
// it. Nodes are copied where they change: a prepared plan is shared by
// every execution. Reads of a global index (which DynamoDB cannot read
// consistently) and plans without reads come back as they are.
func (s *Session) consistentReads(ctx context.Context, plan *planner.Plan) *planner.Plan {
	root, changed := s.consistentNode(ctx, plan.Root)
	if !changed {
		return plan
	}
	p := *plan
	p.Root = root
	return &p
}

// consistentNode is consistentReads for one node and its inputs; changed
// reports whether it returns a copy.
func (s *Session) consistentNode(ctx context.Context, n planner.Node) (planner.Node, bool) {
	switch x := n.(type) {
	case *planner.Read:
		if x.ConsistentRead || !s.canReadConsistently(ctx, x) {
			return x, false
		}
		c := *x
		c.ConsistentRead = true
		return &c, true
	case *planner.Explain:
		p := s.consistentReads(ctx, x.Plan)
		if p == x.Plan {
			return x, false
		}
		c := *x
		c.Plan = p
		return &c, true
	}
	in := planner.Input(n)
	if in == nil {
		return n, false
	}
	newIn, changed := s.consistentNode(ctx, in)
	if !changed {
		return n, false
	}
	switch x := n.(type) {
	case *planner.Filter:
		c := *x
		c.Input = newIn
		return &c, true
	case *planner.Project:
		c := *x
		c.Input = newIn
		return &c, true
	case *planner.Sort:
		c := *x
		c.Input = newIn
		return &c, true
	case *planner.Limit:
		c := *x
		c.Input = newIn
		return &c, true
	case *planner.Distinct:
		c := *x
		c.Input = newIn
		return &c, true
	case *planner.Aggregate:
		c := *x
		c.Input = newIn
		return &c, true
	case *planner.CopyTo:
		c := *x
		c.Input = newIn
		return &c, true
	}
	// A node this does not know how to copy keeps the reads it was
	// planned with.
	return n, false
}

// canReadConsistently reports whether DynamoDB accepts ConsistentRead for
// r: on the table and its local indexes, not on a global index.
func (s *Session) canReadConsistently(ctx context.Context, r *planner.Read) bool {
	if r.Index == "" {
		return true
	}
	t, err := s.cat.Table(ctx, r.Table)
	if err != nil {
		// The statement reads the table next and reports the error.
		return false
	}
	ix := t.Index(r.Index)
	return ix != nil && ix.Kind == catalog.LSI
}

// atPos positions err at pos when it is a sqlerr without a position.
func atPos(err error, pos parser.Pos) error {
	if err == nil {
		return nil
	}
	e := sqlerr.As(err)
	if !e.HasPos && pos.Line > 0 {
		e.At(pos.Line, pos.Column, pos.Offset)
	}
	return e
}

type transactionTokenKey struct{}

// WithTransactionToken returns ctx making a BEGIN run with it take token
// (at most 36 characters) as the ClientRequestToken of its COMMIT instead
// of a fresh one. The migration runner gives each BEGIN of a file a token
// of its own that every run of the file repeats, so that a rerun's COMMIT
// of a transaction an interrupted run committed is not applied again
// (DynamoDB remembers a token for 10 minutes).
func WithTransactionToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, transactionTokenKey{}, token)
}

// newToken returns a fresh ClientRequestToken (at most 36 characters).
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
