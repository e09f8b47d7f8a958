package executor

import (
	"context"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// SessionInfo is what the functions that report on the session read and
// change: current_setting, set_config, current_user, current_database,
// pg_backend_pid, and the time zone of now(). The session implements it
// (Options.Session); an Executor without one answers with PostgreSQL's
// defaults and knows no settings.
type SessionInfo interface {
	// Get returns a setting's value; an unknown name is an error with
	// SQLSTATE 42704.
	Get(name string) (string, error)
	// SetConfig sets a setting as SET (or, with local, SET LOCAL) does
	// and returns its new value.
	SetConfig(name, value string, local bool) (string, error)
	// User is the user the session runs as; Database the database name
	// it reports.
	User() string
	Database() string
	// BackendPID is the session's number, unique in the process.
	BackendPID() int32
}

// PostgresVersion is the PostgreSQL version ddbsql speaks for: the
// server_version setting and the head of version().
const PostgresVersion = "16.0"

// DefaultDatabase is current_database() when the session names none.
const DefaultDatabase = "ddbsql"

// VersionString is what version() returns: PostgreSQL's form, which
// clients parse ("PostgreSQL 16.0 ..."), naming ddbsql and its build.
func VersionString() string {
	versionOnce.Do(func() {
		v := "devel"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		versionText = "PostgreSQL " + PostgresVersion + " (ddbsql " + v + ") on DynamoDB"
	})
	return versionText
}

var (
	versionOnce sync.Once
	versionText string
)

// sessionCall evaluates the functions that need the session or the
// statement's clock; ok is false for other names.
func (env *env) sessionCall(x *parser.FuncCall, row Item) (v types.AttributeValue, ok bool, err error) {
	s := env.sessionInfo()
	str := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	noArgs := func() error {
		if len(x.Args) > 0 || x.Star || x.Distinct {
			return exprError(x.Pos, sqlerr.UndefinedFunction, "function %s takes no arguments", x.Name)
		}
		return nil
	}
	switch x.Name {
	case "version":
		return str(VersionString()), true, noArgs()
	case "current_user", "session_user", "user", "current_role", "getpgusername":
		return str(s.User()), true, noArgs()
	case "current_schema":
		return str("public"), true, noArgs()
	case "current_database", "current_catalog":
		return str(s.Database()), true, noArgs()
	case "pg_backend_pid":
		return &types.AttributeValueMemberN{Value: strconv.Itoa(int(s.BackendPID()))}, true, noArgs()
	case "now", "current_timestamp", "transaction_timestamp", "statement_timestamp", "localtimestamp":
		if x.Name == "localtimestamp" {
			return str(formatTime(env.started().In(env.location()), "timestamp", nil, nil)), true, noArgs()
		}
		return str(formatTime(env.started(), "timestamptz", nil, env.location())), true, noArgs()
	case "clock_timestamp":
		return str(formatTime(time.Now(), "timestamptz", nil, env.location())), true, noArgs()
	case "current_date":
		return str(env.started().In(env.location()).Format("2006-01-02")), true, noArgs()
	case "pg_sleep":
		return env.sleep(x, row)
	case "current_setting", "set_config":
	default:
		return nil, false, nil
	}
	args, err := env.textArgs(x, row)
	if err != nil {
		return nil, true, err
	}
	if x.Name == "current_setting" {
		if len(args) < 1 || len(args) > 2 {
			return nil, true, exprError(x.Pos, sqlerr.UndefinedFunction, "function current_setting takes %s", arity(1, 2))
		}
		if args[0] == nil {
			return nullValue, true, nil
		}
		val, err := s.Get(*args[0])
		if err != nil {
			if len(args) == 2 && args[1] != nil && isTrueText(*args[1]) && sqlerr.Code(err) == sqlerr.UndefinedObject {
				return nullValue, true, nil // missing_ok
			}
			return nil, true, located(err, x.Pos)
		}
		return str(val), true, nil
	}
	if len(args) != 3 {
		return nil, true, exprError(x.Pos, sqlerr.UndefinedFunction, "function set_config takes %s", arity(3, 3))
	}
	if args[0] == nil {
		return nil, true, exprError(x.Pos, sqlerr.InvalidParameter, "SET requires parameter name")
	}
	value := ""
	if args[1] != nil {
		value = *args[1]
	}
	val, err := s.SetConfig(*args[0], value, args[2] != nil && isTrueText(*args[2]))
	if err != nil {
		return nil, true, located(err, x.Pos)
	}
	return str(val), true, nil
}

// textArgs evaluates a call's arguments as text: nil for missing or NULL.
func (env *env) textArgs(x *parser.FuncCall, row Item) ([]*string, error) {
	if x.Star || x.Distinct {
		return nil, exprError(x.Pos, sqlerr.UndefinedFunction, "function %s does not take * or DISTINCT", x.Name)
	}
	out := make([]*string, len(x.Args))
	for i, a := range x.Args {
		v, err := env.eval(a, row)
		if err != nil {
			return nil, err
		}
		switch v.(type) {
		case nil, *types.AttributeValueMemberNULL:
			continue
		}
		s := castText(v, "text", nil).(*types.AttributeValueMemberS).Value
		out[i] = &s
	}
	return out, nil
}

// isTrueText reads a boolean argument given as text (true, on, t, 1 ...).
func isTrueText(s string) bool {
	v, err := castBool(&types.AttributeValueMemberS{Value: s})
	return err == nil && isTrue(v)
}

// sessionInfo returns the session, or the defaults without one.
func (env *env) sessionInfo() SessionInfo {
	if env.session != nil {
		return env.session
	}
	return noSession{}
}

// started is the time the statement started, which now() reports for
// every row alike.
func (env *env) started() time.Time {
	env.setClock()
	return env.start
}

// location is the session's TimeZone (UTC when unknown).
func (env *env) location() *time.Location {
	env.setClock()
	return env.loc
}

// setClock reads the statement's start time and time zone once.
func (env *env) setClock() {
	env.clock.Do(func() {
		if env.start.IsZero() {
			env.start = time.Now()
		}
		if env.loc != nil {
			return
		}
		env.loc = time.UTC
		if tz, err := env.sessionInfo().Get("TimeZone"); err == nil {
			if l, err := LoadLocation(tz); err == nil {
				env.loc = l
			}
		}
	})
}

// LoadLocation resolves a TimeZone setting: an IANA name, or UTC / GMT in
// any case.
func LoadLocation(name string) (*time.Location, error) {
	switch strings.ToUpper(name) {
	case "UTC", "GMT", "Z", "ZULU", "UCT":
		return time.UTC, nil
	}
	return time.LoadLocation(name)
}

// noSession answers for an Executor run without a session.
type noSession struct{}

func (noSession) Get(name string) (string, error) {
	if strings.EqualFold(name, "TimeZone") {
		return "UTC", nil
	}
	return "", sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name)
}

func (noSession) SetConfig(name, _ string, _ bool) (string, error) {
	return "", sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name)
}

func (noSession) User() string      { return "" }
func (noSession) Database() string  { return DefaultDatabase }
func (noSession) BackendPID() int32 { return 0 }

// sleep is pg_sleep(seconds): it waits, returns NULL, and ends early with
// 57014 when the statement is cancelled or times out — the honest slow
// statement that drivers' cancel and timeout tests use.
func (env *env) sleep(x *parser.FuncCall, row Item) (types.AttributeValue, bool, error) {
	if len(x.Args) != 1 || x.Star || x.Distinct {
		return nil, true, exprError(x.Pos, sqlerr.UndefinedFunction, "function pg_sleep takes one argument, the seconds to sleep")
	}
	v, err := env.eval(x.Args[0], row)
	if err != nil {
		return nil, true, err
	}
	n, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return nil, true, exprError(x.Pos, sqlerr.DatatypeMismatch, "pg_sleep needs a number of seconds, not %s", value.TypeName(v))
	}
	secs, err := strconv.ParseFloat(n.Value, 64)
	if err != nil || secs < 0 || secs > maxSleep.Seconds() {
		return nil, true, exprError(x.Pos, sqlerr.InvalidParameter, "pg_sleep: %s seconds is out of range (0 to %g)", n.Value, maxSleep.Seconds())
	}
	ctx := env.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	t := time.NewTimer(time.Duration(secs * float64(time.Second)))
	defer t.Stop()
	select {
	case <-t.C:
		return nullValue, true, nil
	case <-ctx.Done():
		return nil, true, mapError(ctx.Err())
	}
}

// maxSleep bounds pg_sleep, so that a typo cannot hold a connection for
// days.
const maxSleep = time.Hour
