// Package session is the one entry point every front end uses: "run this
// statement in this session". A Session owns the settings (ddbsql's, which
// shape plans — scan_policy, segments, consistent reads — and
// PostgreSQL's, which clients set and read at connect; see settings.go),
// the transaction and its status, the catalog cache and the executor, and
// passes each statement down the pipeline:
//
//	text → parser → planner (with the catalog) → executor → rows
//
// Example:
//
//	s := session.New(client, session.Config{})
//	s.OnNotice = func(msg string) { fmt.Fprintln(os.Stderr, "WARNING:", msg) }
//	stmts, _ := parser.Parse(`SELECT * FROM "Users" WHERE "userId" = 'u001'`)
//	res, err := s.Run(ctx, stmts[0], nil)
//	// read res.Rows until io.EOF, then Close it.
package session

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// Config sets up a Session.
type Config struct {
	Planner  planner.Options
	Executor executor.Options
	// User is the user the session runs as: current_user and
	// session_authorization ("ddbsql" when empty).
	User string
	// Database is what current_database() reports ("ddbsql" when empty).
	Database string
	// ReadOnly refuses every write and DDL (SQLSTATE 25006), as a
	// read-only PostgreSQL transaction does.
	ReadOnly bool
}

// Session runs statements against one DynamoDB endpoint. Its methods are
// safe for one goroutine at a time (a connection, a REPL); open one Session
// per concurrent user.
type Session struct {
	api  executor.DynamoDB
	cat  *catalog.Dynamo
	exec *executor.Executor

	// mu guards opts and the settings, which the executor reads back
	// through SessionInfo while a statement runs.
	mu   sync.Mutex
	opts planner.Options
	// values holds every setting's value by lower-case name; resetValues
	// what RESET returns to.
	values, resetValues map[string]string
	// changed are reported settings changed under mu, announced to
	// OnSettingChange once it is released; pendingNotices are warnings
	// raised under mu, passed to OnNotice then.
	changed        []string
	pendingNotices []string

	user, database string
	readOnly       bool
	pid            int32

	// tx is the open transaction (nil outside BEGIN ... COMMIT).
	tx *transaction

	// OnNotice receives warnings (such as the full-scan warning) before a
	// statement runs. Nil discards them.
	OnNotice func(msg string)
	// OnSettingChange is called with a reported setting's name (see
	// ReportedSettings) and new value whenever SET, RESET, DISCARD, the
	// end of a transaction or set_config changes it, so that a wire
	// server can send ParameterStatus.
	OnSettingChange func(name, value string)
	// OnDeallocate drops the prepared statements a front end keeps:
	// DEALLOCATE name, and DEALLOCATE ALL and DISCARD ALL | PLANS with
	// name "". Nil: there are none, so DEALLOCATE of a name fails.
	OnDeallocate func(name string) error
}

// lastPID numbers sessions for pg_backend_pid().
var lastPID atomic.Int32

// New returns a Session over api.
func New(api executor.DynamoDB, cfg Config) *Session {
	s := &Session{api: api, cat: executor.NewCatalog(api), opts: cfg.Planner, user: cfg.User, database: cfg.Database,
		readOnly: cfg.ReadOnly, pid: lastPID.Add(1)}
	if s.opts.ScanPolicy == "" {
		s.opts.ScanPolicy = planner.ScanWarn
	}
	if s.user == "" {
		s.user = "ddbsql"
	}
	if s.database == "" {
		s.database = executor.DefaultDatabase
	}
	s.values = make(map[string]string, len(settingList))
	for _, st := range settingList {
		if st.def != nil {
			s.values[strings.ToLower(st.name)] = st.def(s)
		}
	}
	s.resetValues = make(map[string]string, len(s.values))
	for k, v := range s.values {
		s.resetValues[k] = v
	}
	eo := cfg.Executor
	user := eo.OnSchemaChange
	eo.OnSchemaChange = func(table string) {
		s.cat.Invalidate(table)
		if user != nil {
			user(table)
		}
	}
	eo.Session = sessionInfo{s}
	s.exec = executor.New(api, eo)
	return s
}

// Plan plans stmt with the session's settings, changed for this
// statement alone by its WITH (...) clause (see options.go). Every
// statement Run accepts can be planned, and Execute runs the plan with
// Run's effects, so a front end can plan once and execute later. In a
// failed transaction only COMMIT and ROLLBACK can be planned.
func (s *Session) Plan(ctx context.Context, stmt parser.Statement) (*planner.Plan, error) {
	s.mu.Lock()
	opts := s.opts
	failed := s.tx != nil && s.tx.failed
	s.mu.Unlock()
	if failed && !endsTransaction(stmt) {
		return nil, errAborted()
	}
	opts, settings, err := s.statementOptions(opts, parser.StatementOptions(stmt))
	var plan *planner.Plan
	if err == nil {
		plan, err = planner.New(s.cat, opts).Plan(ctx, stmt)
	}
	if err == nil {
		plan.Settings = settings
		err = s.describeShow(plan, stmt.Position())
	}
	if err != nil {
		s.failTransaction()
		return nil, err
	}
	return plan, nil
}

// describeShow names the column of SHOW name after the setting's
// canonical spelling (SHOW datestyle → DateStyle), failing for an unknown
// setting.
func (s *Session) describeShow(plan *planner.Plan, pos parser.Pos) error {
	show, ok := plan.Root.(*planner.ShowSetting)
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, known := lookupSetting(show.Name); known {
		plan.Columns = []string{st.name}
		return nil
	}
	if _, custom := s.values[show.Name]; custom {
		return nil
	}
	return atPos(unrecognized(show.Name), pos)
}

// endsTransaction reports whether stmt is COMMIT or ROLLBACK, the only
// statements a failed transaction accepts.
func endsTransaction(stmt parser.Statement) bool {
	switch stmt.(type) {
	case *parser.Commit, *parser.Rollback:
		return true
	}
	return false
}

// errAborted is PostgreSQL's error for a statement in a failed transaction.
func errAborted() error {
	return sqlerr.New("25P02", "current transaction is aborted, commands ignored until end of transaction block").
		WithHint("ROLLBACK (or COMMIT, which rolls back) ends it")
}

// Run plans and executes stmt with params bound to its parameters. Warnings
// go to OnNotice before anything runs.
//
// BEGIN, COMMIT and ROLLBACK control a transaction (see transaction.go):
// between BEGIN and COMMIT, writes are collected and sent together at
// COMMIT, while reads (strongly consistent) and session statements (SET,
// SHOW, ...) run at once.
func (s *Session) Run(ctx context.Context, stmt parser.Statement, params []types.AttributeValue) (*executor.Result, error) {
	plan, err := s.Plan(ctx, stmt)
	if err != nil {
		return nil, err
	}
	return s.execute(ctx, plan, params, parser.Format(stmt), stmt.Position())
}

// Execute runs a plan made by Plan, with the effects Run has.
func (s *Session) Execute(ctx context.Context, plan *planner.Plan, params []types.AttributeValue) (*executor.Result, error) {
	return s.execute(ctx, plan, params, plan.Tag, parser.Pos{})
}

// execute runs plan; label and pos name the statement in a transaction's
// errors. An error inside a transaction fails it (TxStatus 'E').
func (s *Session) execute(ctx context.Context, plan *planner.Plan, params []types.AttributeValue, label string, pos parser.Pos) (*executor.Result, error) {
	ends := false
	switch plan.Root.(type) {
	case *planner.TxCommit, *planner.TxRollback:
		ends = true
	}
	if s.tx != nil && s.tx.failed && !ends {
		return nil, errAborted()
	}
	res, err := s.dispatch(ctx, plan, params, label, pos)
	if err != nil && !ends {
		s.failTransaction()
	}
	s.announce()
	return res, err
}

// dispatch runs session statements here and everything else through the
// executor (or, inside a transaction, into the transaction).
func (s *Session) dispatch(ctx context.Context, plan *planner.Plan, params []types.AttributeValue, label string, pos parser.Pos) (*executor.Result, error) {
	if res, ok, err := s.runSessionStatement(ctx, plan); ok {
		if err != nil {
			return nil, err
		}
		return res, nil
	}
	if verb := planner.WriteVerb(plan); verb != "" && s.readOnlyNow() {
		return nil, atPos(sqlerr.New(sqlerr.ReadOnlyTransaction, "cannot execute %s in a read-only transaction", verb), pos)
	}
	if s.tx != nil {
		if collected(plan) {
			return s.collect(plan, params, label, pos)
		}
		plan = s.consistentReads(ctx, plan)
	}
	s.notify(plan.Warnings...)
	return s.runTimed(ctx, plan, params)
}

// collected reports whether a plan, inside a transaction, goes to the
// transaction instead of running at once: every plan that writes (the
// transaction prepares it for COMMIT, or refuses it) and EXISTS(...)
// checks. Plans that only read — SELECT of any shape, EXPLAIN, SHOW,
// DESCRIBE, COPY ... TO — run at once (see transaction.go).
func collected(plan *planner.Plan) bool {
	if _, ok := plan.Root.(*planner.ConditionCheck); ok {
		return true
	}
	return planner.WriteVerb(plan) != ""
}

// notify passes messages to OnNotice, unless client_min_messages is set
// above warnings (the level of every message ddbsql sends).
func (s *Session) notify(msgs ...string) {
	if s.OnNotice == nil {
		return
	}
	s.mu.Lock()
	quiet := s.values["client_min_messages"] == "error"
	s.mu.Unlock()
	if quiet {
		return
	}
	for _, m := range msgs {
		s.OnNotice(m)
	}
}

// Setting names.
const (
	SettingScanPolicy     = "scan_policy"
	SettingSegments       = "segments"
	SettingConsistentRead = "consistent_read"
	// SettingAllowFullTableWrite lets UPDATE and DELETE write every item of
	// a table.
	SettingAllowFullTableWrite = "allow_full_table_write"
	// SettingPageSize is the Limit of each Query and Scan call (0: 1 MB pages).
	SettingPageSize = "page_size"
	// SettingInsertBatch is the most items an INSERT of several items puts
	// in one TransactWriteItems (1: one PutItem per item).
	SettingInsertBatch = "insert_batch"
	// SettingWriteCapacity caps the write capacity units per second one
	// statement's writes consume (0: no cap); the executor reads it.
	SettingWriteCapacity = executor.SettingWriteCapacity
	// SettingMarkUpdates lets a migration's UPDATE mark the items it
	// updates (executor.MarkAttribute); the executor reads it.
	SettingMarkUpdates = executor.SettingMarkUpdates
)

// Set changes a setting by name, as SET name = value does: ddbsql's
// settings (scan_policy, segments, ...) and PostgreSQL's (TimeZone,
// application_name, ...; see SHOW ALL), in any case. An unknown name is
// an error with SQLSTATE 42704, a setting that cannot change one with
// 55P02, a bad value one with 22023.
func (s *Session) Set(name, value string) error {
	s.mu.Lock()
	err := s.set(name, value, false)
	s.mu.Unlock()
	s.announce()
	return err
}

// SetStartup sets a setting from a client's startup message: like Set,
// and RESET returns to the value.
func (s *Session) SetStartup(name, value string) error {
	s.mu.Lock()
	err := s.set(name, value, false)
	if err == nil {
		if st, ok := lookupSetting(name); ok && st.get == nil {
			key := strings.ToLower(st.name)
			s.resetValues[key] = s.values[key]
		}
	}
	s.mu.Unlock()
	s.announce()
	return err
}

// Get returns a setting's current value, as SHOW does.
func (s *Session) Get(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.get(name)
}

func (s *Session) get(name string) (string, error) {
	if st, ok := lookupSetting(name); ok {
		return s.valueOf(st), nil
	}
	if v, ok := s.values[strings.ToLower(name)]; ok {
		return v, nil
	}
	return "", unrecognized(name)
}

// parseOnOff parses a boolean setting: on/off, true/false, yes/no, 1/0.
func parseOnOff(name, value string) (bool, error) {
	b, err := strconv.ParseBool(strings.ToLower(value))
	if err != nil {
		switch strings.ToLower(value) {
		case "on", "yes":
			return true, nil
		case "off", "no":
			return false, nil
		}
		return false, sqlerr.New(sqlerr.InvalidParameter, "invalid %s %q: want on or off", name, value)
	}
	return b, nil
}

// Settings returns every setting's current value.
func (s *Session) Settings() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]string{
		SettingScanPolicy:          string(s.opts.ScanPolicy),
		SettingSegments:            fmt.Sprint(s.opts.Segments),
		SettingConsistentRead:      map[bool]string{true: "on", false: "off"}[s.opts.ConsistentRead],
		SettingAllowFullTableWrite: map[bool]string{true: "on", false: "off"}[s.opts.AllowFullTableWrite],
		SettingPageSize:            fmt.Sprint(s.opts.PageSize),
		SettingInsertBatch:         fmt.Sprint(insertBatchOf(s.opts)),
		SettingWriteCapacity:       s.values[SettingWriteCapacity],
		SettingMarkUpdates:         s.values[SettingMarkUpdates],
	}
}

// SettingNames lists the settings Set accepts.
func SettingNames() []string {
	names := []string{SettingScanPolicy, SettingSegments, SettingConsistentRead, SettingAllowFullTableWrite, SettingPageSize, SettingInsertBatch, SettingWriteCapacity, SettingMarkUpdates}
	sort.Strings(names)
	return names
}

// Catalog returns the session's catalog (cached table metadata).
func (s *Session) Catalog() *catalog.Dynamo { return s.cat }
