package executor

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// evalSQL evaluates an expression over row, as the executor does.
func evalSQL(t *testing.T, env *env, sql string, row Item) (types.AttributeValue, error) {
	t.Helper()
	e, err := parser.ParseExpr(sql)
	if err != nil {
		t.Fatalf("ParseExpr(%q): %v", sql, err)
	}
	return env.eval(e, row)
}

func TestCasts(t *testing.T) {
	row := Item{"s": strV("42"), "n": numV("2.5"), "neg": numV("-2.5"), "b": binV(1, 0xab), "t": trueValue,
		"m": mapV("a", numV("1")), "big": numV("40000"), "ts": numV("1700000000.25")}
	env := &env{}
	for _, tc := range []struct {
		sql  string
		want types.AttributeValue
	}{
		{"s::int", numV("42")},
		{"' 42 '::integer", numV("42")},
		{"'-7'::bigint", numV("-7")},
		{"n::int4", numV("3")},
		{"neg::int8", numV("-3")},
		{"t::int", numV("1")},
		{"n::text", strV("2.5")},
		{"t::text", strV("true")},
		{"b::text", strV(`\x01ab`)},
		{"m::text", strV(`{"a":1}`)},
		{"'abcdef'::varchar(3)", strV("abc")},
		{"'ab'::char(4)", strV("ab  ")},
		{"'xyz'::char", strV("x")},
		{"'Users'::regclass", strV("Users")},
		{"'12.345'::numeric(5,2)", numV("12.35")},
		{"n::decimal", numV("2.5")},
		{"'1e3'::numeric", numV("1000")},
		{"'0.1'::float8", numV("0.1")},
		{"'0.1'::real", numV("0.1")},
		{"n::double precision", numV("2.5")},
		{"'yes'::bool", trueValue},
		{"'F'::boolean", falseValue},
		{"' on '::bool", trueValue},
		{"0::bool", falseValue},
		{`'\x01ff'::bytea`, binV(1, 0xff)},
		{`'a\\b'::bytea`, binV('a', '\\', 'b')},
		{`'\001'::bytea`, binV(1)},
		{`'{"a": [1, "x", null, true]}'::jsonb`, mapV("a", listV(numV("1"), strV("x"), nullValue, trueValue))},
		{"'42'::json", numV("42")},
		{"m::json", mapV("a", numV("1"))},
		{"'2024-02-29'::date", strV("2024-02-29")},
		{"'2024-02-29 13:14:15.5'::date", strV("2024-02-29")},
		{"'2024-02-29T13:14:15Z'::timestamp", strV("2024-02-29 13:14:15")},
		{"'2024-02-29 13:14:15.123456789'::timestamp", strV("2024-02-29 13:14:15.123457")},
		{"'2024-02-29 13:14:15.129'::timestamp(2)", strV("2024-02-29 13:14:15.13")},
		{"'2024-02-29 13:14:15+02'::timestamptz", strV("2024-02-29 11:14:15+00")},
		{"ts::timestamptz", strV("2023-11-14 22:13:20.25+00")},
		{"missing::int", nil},
		{"NULL::int", nullValue},
		{"CAST(s AS int) + 1", numV("43")},
	} {
		got, err := evalSQL(t, env, tc.sql, row)
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		if !sameValue(got, tc.want) {
			t.Errorf("%s = %s, want %s", tc.sql, show(got), show(tc.want))
		}
	}
	for _, tc := range []struct{ sql, code, msg string }{
		{"'4.2'::int", sqlerr.InvalidText, `invalid input syntax for type integer: "4.2"`},
		{"'abc'::int", sqlerr.InvalidText, `invalid input syntax for type integer: "abc"`},
		{"big::smallint", sqlerr.NumericOutOfRange, `smallint out of range`},
		{"'99999999999'::int", sqlerr.NumericOutOfRange, `integer out of range`},
		{"'x'::numeric", sqlerr.InvalidText, `invalid input syntax for type numeric: "x"`},
		{"'1234.5'::numeric(4,1)", sqlerr.NumericOutOfRange, `numeric field overflow`},
		{"'maybe'::bool", sqlerr.InvalidText, `invalid input syntax for type boolean: "maybe"`},
		{"'NaN'::float8", sqlerr.NumericOutOfRange, `NaN cannot be stored`},
		{"'{'::json", sqlerr.InvalidText, `invalid input syntax for type json: "{"`},
		{"'2024-13-01'::date", sqlerr.InvalidText, `invalid input syntax for type date: "2024-13-01"`},
		{"m::int", "42846", `cannot cast type jsonb to integer`},
		{"t::numeric", "42846", `cannot cast type boolean to numeric`},
		{`'\x0'::bytea`, sqlerr.InvalidText, `invalid input syntax for type bytea`},
	} {
		_, err := evalSQL(t, env, tc.sql, row)
		e := sqlerr.As(err)
		if err == nil || e.Code != tc.code || len(e.Message) < len(tc.msg) || e.Message[:len(tc.msg)] != tc.msg {
			t.Errorf("%s: %v, want %s %s", tc.sql, err, tc.code, tc.msg)
		}
		if err != nil && !e.HasPos {
			t.Errorf("%s: the error has no position", tc.sql)
		}
	}
}

func sameValue(a, b types.AttributeValue) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return value.Equal(a, b) && value.TypeName(a) == value.TypeName(b)
}

func show(v types.AttributeValue) string {
	if v == nil {
		return "<missing>"
	}
	b, _ := format.MarshalValueJSON(v)
	return string(b)
}

// fakeSession answers the session functions in tests.
type fakeSession struct{ settings map[string]string }

func (f *fakeSession) Get(name string) (string, error) {
	if v, ok := f.settings[name]; ok {
		return v, nil
	}
	return "", sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name)
}

func (f *fakeSession) SetConfig(name, value string, _ bool) (string, error) {
	f.settings[name] = value
	return value, nil
}

func (*fakeSession) User() string      { return "carol" }
func (*fakeSession) Database() string  { return "db1" }
func (*fakeSession) BackendPID() int32 { return 7 }

func TestSessionFunctionsEval(t *testing.T) {
	sess := &fakeSession{settings: map[string]string{"TimeZone": "Asia/Kolkata"}}
	e := &env{session: sess, start: time.Date(2024, 1, 2, 3, 4, 5, 600000000, time.UTC)}
	for sql, want := range map[string]types.AttributeValue{
		"current_user":                     strV("carol"),
		"session_user":                     strV("carol"),
		"current_role":                     strV("carol"),
		"current_database()":               strV("db1"),
		"current_catalog":                  strV("db1"),
		"current_schema":                   strV("public"),
		"pg_catalog.current_schema()":      strV("public"),
		"pg_backend_pid()":                 numV("7"),
		"now()":                            strV("2024-01-02 08:34:05.6+05:30"),
		"current_timestamp":                strV("2024-01-02 08:34:05.6+05:30"),
		"localtimestamp":                   strV("2024-01-02 08:34:05.6"),
		"current_date":                     strV("2024-01-02"),
		"current_setting('TimeZone')":      strV("Asia/Kolkata"),
		"current_setting('x.z', true)":     nullValue,
		"set_config('x.y', 'v', false)":    strV("v"),
		"'2024-01-02 00:00'::timestamptz":  strV("2024-01-02 00:00:00+05:30"),
		"version() = pg_catalog.version()": trueValue,
	} {
		got, err := evalSQL(t, e, sql, nil)
		if err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		if !sameValue(got, want) {
			t.Errorf("%s = %s, want %s", sql, show(got), show(want))
		}
	}
	if sess.settings["x.y"] != "v" {
		t.Errorf("set_config did not reach the session")
	}
	if _, err := evalSQL(t, e, "current_setting('nope')", nil); sqlerr.Code(err) != sqlerr.UndefinedObject {
		t.Errorf("current_setting('nope'): %v", err)
	}
	if _, err := evalSQL(t, e, "version(1)", nil); sqlerr.Code(err) != sqlerr.UndefinedFunction {
		t.Errorf("version(1): %v", err)
	}
	// Without a session: PostgreSQL's defaults.
	bare := &env{}
	if v, err := evalSQL(t, bare, "current_database()", nil); err != nil || !sameValue(v, strV(DefaultDatabase)) {
		t.Errorf("current_database() without a session: %v %v", show(v), err)
	}
}
