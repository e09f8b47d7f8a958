package session

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// set changes a setting; s.mu is held. local is SET LOCAL: the value
// lasts until the end of the transaction.
func (s *Session) set(name, value string, local bool) error {
	key := strings.ToLower(name)
	st, known := lookupSetting(key)
	if !known && !strings.Contains(key, ".") {
		return unrecognized(name).WithHint("ddbsql's settings: %s; SHOW ALL lists them all", strings.Join(SettingNames(), ", "))
	}
	if known {
		if st.fixed {
			return sqlerr.New("55P02", "parameter %q cannot be changed", st.name)
		}
		if st.check != nil {
			v, err := st.check(s, value)
			if err != nil {
				return err
			}
			value = v
		}
		if st.get != nil { // transaction_isolation and the like
			return s.setTransactionSetting(st.name, value)
		}
		key = strings.ToLower(st.name)
	}
	return s.assign(key, value, local)
}

// reset sets a setting back to the value RESET returns to.
func (s *Session) reset(name string, local bool) error {
	key := strings.ToLower(name)
	st, known := lookupSetting(key)
	switch {
	case known && st.fixed:
		return sqlerr.New("55P02", "parameter %q cannot be changed", st.name)
	case known && st.get != nil:
		return nil // the transaction's own settings last until its end
	case known:
		key = strings.ToLower(st.name)
	case !strings.Contains(key, "."):
		return unrecognized(name)
	}
	return s.assign(key, s.resetValues[key], local)
}

// assign stores a checked value. Inside a transaction the value before
// its first change is kept, so ROLLBACK restores it, and a SET LOCAL value
// is replaced at the end by the value that held before it.
func (s *Session) assign(key, value string, local bool) error {
	if local && s.tx == nil {
		s.pendingNotices = append(s.pendingNotices, "SET LOCAL can only be used in transaction blocks")
		return nil
	}
	old, had := s.values[key]
	if tx := s.tx; tx != nil {
		if _, saved := tx.saved[key]; !saved {
			tx.saved[key] = savedValue{value: old, present: had}
		}
		if local {
			if _, ok := tx.commitValues[key]; !ok {
				tx.commitValues[key] = savedValue{value: old, present: had}
			}
		} else {
			tx.commitValues[key] = savedValue{value: value, present: true}
		}
	}
	s.store(key, value, true)
	return nil
}

// store writes a value, applies it and notes a reported setting's change.
func (s *Session) store(key, value string, present bool) {
	old, had := s.values[key]
	if !present {
		delete(s.values, key)
	} else {
		s.values[key] = value
	}
	st, known := lookupSetting(key)
	if !known {
		return
	}
	if st.apply != nil {
		st.apply(&s.opts, value)
	}
	if st.reported && (old != value || !had) {
		s.changed = append(s.changed, st.name)
	}
}

// announce passes reported settings changed since the last call to
// OnSettingChange, and queued notices to OnNotice; s.mu must not be held.
func (s *Session) announce() {
	s.mu.Lock()
	changed, notices := s.changed, s.pendingNotices
	s.changed, s.pendingNotices = nil, nil
	values := make([]string, len(changed))
	for i, name := range changed {
		values[i] = s.values[strings.ToLower(name)]
	}
	s.mu.Unlock()
	s.notify(notices...)
	if s.OnSettingChange != nil {
		for i, name := range changed {
			s.OnSettingChange(name, values[i])
		}
	}
}

// readOnlyNow reports whether writes are refused now: the session was
// opened read-only, the transaction is READ ONLY, or (outside one)
// default_transaction_read_only is on.
func (s *Session) readOnlyNow() bool {
	if s.readOnly {
		return true
	}
	if s.tx != nil && s.tx.access != "" {
		return s.tx.access == "read only"
	}
	return s.values["default_transaction_read_only"] == "on"
}

// txIsolation is transaction_isolation: the open transaction's level, else
// the default.
func (s *Session) txIsolation() string {
	if s.tx != nil && s.tx.isolation != "" {
		return s.tx.isolation
	}
	return s.values["default_transaction_isolation"]
}

// txDeferrable is transaction_deferrable.
func (s *Session) txDeferrable() string {
	if s.tx != nil && s.tx.deferrable != "" {
		return onOff(s.tx.deferrable == "deferrable")
	}
	return s.values["default_transaction_deferrable"]
}

// setTransactionSetting is SET transaction_isolation | transaction_read_only
// | transaction_deferrable, which is SET TRANSACTION.
func (s *Session) setTransactionSetting(name, value string) error {
	var m parser.TxModes
	switch name {
	case "transaction_isolation":
		m.Isolation = value
	case "transaction_read_only":
		m.Access = map[string]string{"on": "read only", "off": "read write"}[value]
	default:
		m.Deferrable = map[string]string{"on": "deferrable", "off": "not deferrable"}[value]
	}
	return s.setTransaction(m)
}

// setTransaction is SET TRANSACTION: outside a transaction it has no
// effect (PostgreSQL warns); the isolation level must be set before the
// transaction's first statement.
func (s *Session) setTransaction(m parser.TxModes) error {
	tx := s.tx
	if tx == nil {
		s.pendingNotices = append(s.pendingNotices, "SET TRANSACTION can only be used in transaction blocks")
		return nil
	}
	if m.Isolation != "" && len(tx.actions) > 0 && m.Isolation != tx.isolation {
		return sqlerr.New("25001", "SET TRANSACTION ISOLATION LEVEL must be called before any query")
	}
	if m.Access == "read write" && s.readOnly {
		return sqlerr.New(sqlerr.ReadOnlyTransaction, "cannot set transaction read-write mode: the session was opened read-only")
	}
	tx.apply(m)
	return nil
}

// setSessionCharacteristics is SET SESSION CHARACTERISTICS AS TRANSACTION:
// the defaults of later transactions.
func (s *Session) setSessionCharacteristics(m parser.TxModes) error {
	if m.Isolation != "" {
		if err := s.set("default_transaction_isolation", m.Isolation, false); err != nil {
			return err
		}
	}
	if m.Access != "" {
		if err := s.set("default_transaction_read_only", onOff(m.Access == "read only"), false); err != nil {
			return err
		}
	}
	if m.Deferrable != "" {
		return s.set("default_transaction_deferrable", onOff(m.Deferrable == "deferrable"), false)
	}
	return nil
}

// flatten turns SET's values into a setting's text as PostgreSQL does:
// one value as it is; for a list setting, the values joined by ", " with
// words quoted where they need it ("$user", public).
func flatten(name string, vals []parser.SetValue) (string, error) {
	if len(vals) == 1 {
		return vals[0].Text, nil
	}
	if st, ok := lookupSetting(name); ok && !st.list {
		return "", sqlerr.New(sqlerr.InvalidParameter, "SET %s takes only one argument", st.name)
	}
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = v.Text
		if v.Kind == parser.SetWord && !isLowerWord(v.Text) {
			parts[i] = `"` + strings.ReplaceAll(v.Text, `"`, `""`) + `"`
		}
	}
	return strings.Join(parts, ", "), nil
}

func isLowerWord(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return w != ""
}

// runSessionStatement runs the statements that act on the session; ok
// is false for any other plan.
func (s *Session) runSessionStatement(ctx context.Context, plan *planner.Plan) (res *executor.Result, ok bool, err error) {
	tag := &executor.Result{Tag: plan.Tag}
	switch n := plan.Root.(type) {
	case *planner.TxBegin:
		res, err = s.begin(ctx, n.Modes)
		return res, true, err
	case *planner.TxCommit:
		ctx, cancel, timeout := s.withTimeout(ctx)
		defer cancel()
		res, err = s.commit(ctx)
		return res, true, timeoutError(ctx, timeout, err)
	case *planner.TxRollback:
		res, err = s.rollback()
		return res, true, err
	case *planner.SetSetting:
		s.mu.Lock()
		defer s.mu.Unlock()
		if n.Default {
			return tag, true, s.reset(n.Name, n.Local)
		}
		v, err := flatten(n.Name, n.Values)
		if err == nil {
			err = s.set(n.Name, v, n.Local)
		}
		return tag, true, err
	case *planner.ResetAll:
		s.mu.Lock()
		defer s.mu.Unlock()
		s.resetAll()
		return tag, true, nil
	case *planner.SetTransaction:
		s.mu.Lock()
		defer s.mu.Unlock()
		if n.Session {
			return tag, true, s.setSessionCharacteristics(n.Modes)
		}
		return tag, true, s.setTransaction(n.Modes)
	case *planner.ShowSetting:
		s.mu.Lock()
		v, err := s.get(n.Name)
		s.mu.Unlock()
		if err != nil {
			return nil, true, err
		}
		return rowsResult(plan, [][]string{{v}}), true, nil
	case *planner.ShowAll:
		s.mu.Lock()
		all := s.showAllRows()
		s.mu.Unlock()
		rows := make([][]string, len(all))
		for i, r := range all {
			rows[i] = r[:]
		}
		return rowsResult(plan, rows), true, nil
	case *planner.Discard:
		return tag, true, s.discard(n.What)
	case *planner.Deallocate:
		if s.OnDeallocate != nil {
			return tag, true, s.OnDeallocate(n.Name)
		}
		if n.All {
			return tag, true, nil
		}
		return nil, true, sqlerr.New("26000", "prepared statement %q does not exist", n.Name)
	case *planner.Analyze:
		return tag, true, s.analyze(ctx, n.Table)
	}
	return nil, false, nil
}

// resetAll is RESET ALL; s.mu is held.
func (s *Session) resetAll() {
	for _, st := range settingList {
		if st.fixed || st.get != nil {
			continue
		}
		key := strings.ToLower(st.name)
		_ = s.assign(key, s.resetValues[key], false)
	}
	for key := range s.values {
		if _, known := settings[key]; !known {
			_ = s.assign(key, s.resetValues[key], false)
		}
	}
}

// discard is DISCARD: ALL resets the settings and drops prepared
// statements, PLANS drops prepared statements; ddbsql has no temporary
// tables or sequences, so TEMP and SEQUENCES have nothing to drop.
func (s *Session) discard(what string) error {
	if what == "ALL" && s.tx != nil {
		return sqlerr.New("25001", "DISCARD ALL cannot run inside a transaction block")
	}
	if what == "ALL" {
		s.mu.Lock()
		s.resetAll()
		s.mu.Unlock()
	}
	if (what == "ALL" || what == "PLANS") && s.OnDeallocate != nil {
		return s.OnDeallocate("")
	}
	return nil
}

// analyze forgets what the session cached of a table (of every table it
// knows when table is "") and reads the table's metadata afresh, failing
// for a table that does not exist.
func (s *Session) analyze(ctx context.Context, table string) error {
	if table == "" {
		// A fresh cache forgets every table at once.
		s.cat = executor.NewCatalog(s.api)
		return nil
	}
	s.cat.Invalidate(table)
	_, err := s.cat.Table(ctx, table)
	return err
}

// rowsResult is a result of text rows in the plan's columns.
func rowsResult(plan *planner.Plan, rows [][]string) *executor.Result {
	items := make([]executor.Item, len(rows))
	for i, r := range rows {
		it := make(executor.Item, len(r))
		for j, v := range r {
			it[plan.Columns[j]] = &types.AttributeValueMemberS{Value: v}
		}
		items[i] = it
	}
	return &executor.Result{Columns: plan.Columns, Rows: &sliceRows{items: items}, Tag: plan.Tag}
}

// sliceRows yields rows held in memory.
type sliceRows struct {
	items []executor.Item
}

func (r *sliceRows) Next() (executor.Item, error) {
	if len(r.items) == 0 {
		return nil, io.EOF
	}
	it := r.items[0]
	r.items = r.items[1:]
	return it, nil
}

func (r *sliceRows) Close() error {
	r.items = nil
	return nil
}

// statementTimeout is statement_timeout (0: none).
func (s *Session) statementTimeout() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms, _ := parseMillis(s.values["statement_timeout"])
	return time.Duration(ms) * time.Millisecond
}

// withTimeout bounds ctx by statement_timeout; timeout is the bounded
// context's parent, to tell the timeout from a cancellation.
func (s *Session) withTimeout(ctx context.Context) (context.Context, context.CancelFunc, context.Context) {
	d := s.statementTimeout()
	if d <= 0 {
		return ctx, func() {}, nil
	}
	tctx, cancel := context.WithTimeout(ctx, d)
	return tctx, cancel, ctx
}

// timeoutError turns an error caused by statement_timeout into
// PostgreSQL's: 57014 canceling statement due to statement timeout.
func timeoutError(ctx, parent context.Context, err error) error {
	if err == nil || parent == nil || parent.Err() != nil || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return err
	}
	return &sqlerr.Error{Code: sqlerr.QueryCanceled, Message: "canceling statement due to statement timeout", Err: err}
}

// runTimed runs a plan under statement_timeout. The timeout covers the
// statement until its rows are read and closed.
func (s *Session) runTimed(ctx context.Context, plan *planner.Plan, params []types.AttributeValue) (*executor.Result, error) {
	tctx, cancel, parent := s.withTimeout(ctx)
	res, err := s.exec.Run(tctx, plan, params)
	if err != nil {
		cancel()
		return nil, timeoutError(tctx, parent, err)
	}
	if res.Rows == nil || parent == nil {
		cancel()
		return res, nil
	}
	res.Rows = &timedRows{RowIter: res.Rows, ctx: tctx, parent: parent, cancel: cancel}
	return res, nil
}

// timedRows ends the statement's timeout when its rows are closed.
type timedRows struct {
	executor.RowIter
	ctx, parent context.Context
	cancel      context.CancelFunc
}

func (r *timedRows) Next() (executor.Item, error) {
	it, err := r.RowIter.Next()
	if err != nil && err != io.EOF {
		return nil, timeoutError(r.ctx, r.parent, err)
	}
	return it, err
}

func (r *timedRows) Close() error {
	err := r.RowIter.Close()
	r.cancel()
	return err
}

// sessionInfo gives the executor's session functions (current_setting,
// set_config, current_user, ...) access to the session.
type sessionInfo struct{ s *Session }

func (i sessionInfo) Get(name string) (string, error) { return i.s.Get(name) }

func (i sessionInfo) SetConfig(name, value string, local bool) (string, error) {
	s := i.s
	s.mu.Lock()
	err := s.set(name, value, local)
	v, _ := s.get(name)
	s.mu.Unlock()
	if err != nil {
		return "", err
	}
	return v, nil
}

func (i sessionInfo) User() string      { return i.s.user }
func (i sessionInfo) Database() string  { return i.s.database }
func (i sessionInfo) BackendPID() int32 { return i.s.pid }
