// Package session is the one entry point every front end uses: "run this
// statement in this session". A Session owns the settings that shape plans
// (scan_policy, segments, consistent reads), the catalog cache and the
// executor, and passes each statement down the pipeline:
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
}

// Session runs statements against one DynamoDB endpoint. Its methods are
// safe for one goroutine at a time (a connection, a REPL); open one Session
// per concurrent user.
type Session struct {
	cat  *catalog.Dynamo
	exec *executor.Executor

	mu   sync.Mutex
	opts planner.Options

	// tx is the open transaction (nil outside BEGIN ... COMMIT).
	tx *transaction

	// OnNotice receives warnings (such as the full-scan warning) before a
	// statement runs. Nil discards them.
	OnNotice func(msg string)
}

// New returns a Session over api.
func New(api executor.DynamoDB, cfg Config) *Session {
	s := &Session{cat: executor.NewCatalog(api), opts: cfg.Planner}
	if s.opts.ScanPolicy == "" {
		s.opts.ScanPolicy = planner.ScanWarn
	}
	eo := cfg.Executor
	user := eo.OnSchemaChange
	eo.OnSchemaChange = func(table string) {
		s.cat.Invalidate(table)
		if user != nil {
			user(table)
		}
	}
	s.exec = executor.New(api, eo)
	return s
}

// Plan plans stmt with the session's settings.
func (s *Session) Plan(ctx context.Context, stmt parser.Statement) (*planner.Plan, error) {
	s.mu.Lock()
	opts := s.opts
	s.mu.Unlock()
	return planner.New(s.cat, opts).Plan(ctx, stmt)
}

// Run plans and executes stmt with params bound to its parameters. Warnings
// go to OnNotice before anything runs.
//
// BEGIN, COMMIT and ROLLBACK control a transaction (see transaction.go):
// between BEGIN and COMMIT, statements are collected, not run.
func (s *Session) Run(ctx context.Context, stmt parser.Statement, params []types.AttributeValue) (*executor.Result, error) {
	switch stmt.(type) {
	case *parser.Begin:
		return s.begin()
	case *parser.Commit:
		return s.commit(ctx)
	case *parser.Rollback:
		return s.rollback()
	}
	plan, err := s.Plan(ctx, stmt)
	if err != nil {
		return nil, err
	}
	if s.tx != nil && !runsInTransaction(stmt) {
		return s.collect(plan, params, parser.Format(stmt), stmt.Position())
	}
	s.notify(plan.Warnings...)
	return s.exec.Run(ctx, plan, params)
}

// Execute runs a plan made by Plan; inside a transaction it collects it.
func (s *Session) Execute(ctx context.Context, plan *planner.Plan, params []types.AttributeValue) (*executor.Result, error) {
	if s.tx != nil {
		return s.collect(plan, params, plan.Tag, parser.Pos{})
	}
	s.notify(plan.Warnings...)
	return s.exec.Run(ctx, plan, params)
}

// runsInTransaction reports whether stmt runs at once inside a
// transaction instead of being collected: statements that only look
// (EXPLAIN without ANALYZE, SHOW TABLES, DESCRIBE).
func runsInTransaction(stmt parser.Statement) bool {
	switch s := stmt.(type) {
	case *parser.Explain:
		return !s.Analyze
	case *parser.ShowTables, *parser.Describe:
		return true
	}
	return false
}

// notify passes messages to OnNotice.
func (s *Session) notify(msgs ...string) {
	if s.OnNotice != nil {
		for _, m := range msgs {
			s.OnNotice(m)
		}
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
)

// Set changes a setting by name.
func (s *Session) Set(name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch strings.ToLower(name) {
	case SettingScanPolicy:
		p, err := planner.ParseScanPolicy(value)
		if err != nil {
			return err
		}
		s.opts.ScanPolicy = p
	case SettingSegments:
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 1000000 {
			return sqlerr.New(sqlerr.InvalidParameter, "invalid segments %q: want a number of parallel scan segments (0 chooses from the table size)", value)
		}
		s.opts.Segments = n
	case SettingConsistentRead:
		b, err := parseOnOff(SettingConsistentRead, value)
		if err != nil {
			return err
		}
		s.opts.ConsistentRead = b
	case SettingPageSize:
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return sqlerr.New(sqlerr.InvalidParameter, "invalid page_size %q: want the items per Query or Scan page (0: DynamoDB's 1 MB pages)", value)
		}
		s.opts.PageSize = n
	case SettingAllowFullTableWrite:
		b, err := parseOnOff(SettingAllowFullTableWrite, value)
		if err != nil {
			return err
		}
		s.opts.AllowFullTableWrite = b
	default:
		return sqlerr.New(sqlerr.UndefinedObject, "unrecognized setting %q", name).
			WithHint("settings: %s", strings.Join(SettingNames(), ", "))
	}
	return nil
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
	}
}

// SettingNames lists the settings Set accepts.
func SettingNames() []string {
	names := []string{SettingScanPolicy, SettingSegments, SettingConsistentRead, SettingAllowFullTableWrite, SettingPageSize}
	sort.Strings(names)
	return names
}

// Catalog returns the session's catalog (cached table metadata).
func (s *Session) Catalog() *catalog.Dynamo { return s.cat }
