package parser

import (
	"reflect"
	"testing"

	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestSessionStatements(t *testing.T) {
	for _, tc := range []struct{ sql, want string }{
		{"SET search_path = a, b", "SET search_path = a, b"},
		{"set Foo.Bar TO 'x'", "SET foo.bar = 'x'"},
		{`SET search_path TO "$user", Public`, `SET search_path = "$user", public`},
		{"SET DateStyle = ISO, MDY", "SET datestyle = iso, mdy"},
		{"SET TIME ZONE 'UTC'", "SET timezone = 'UTC'"},
		{"SET TIME ZONE LOCAL", "SET timezone = DEFAULT"},
		{"SET LOCAL TIME ZONE DEFAULT", "SET LOCAL timezone = DEFAULT"},
		{"SET TIMEZONE TO 'Europe/Paris'", "SET timezone = 'Europe/Paris'"},
		{"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
			"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED"},
		{"SET TRANSACTION READ ONLY, ISOLATION LEVEL SERIALIZABLE NOT DEFERRABLE",
			"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY NOT DEFERRABLE"},
		{"SET SESSION application_name = 'psql'", "SET application_name = 'psql'"},
		{"SET extra_float_digits = -3", "SET extra_float_digits = -3"},
		{"SET x = DEFAULT", "SET x = DEFAULT"},
		{`SET x = "default"`, `SET x = "default"`},
		{"SET x = ON", `SET x = "on"`},
		{"SET x TO true", `SET x = "true"`},
		{`SET "A b" = 1.5`, `SET "a b" = 1.5`},
		{"SET LOCAL statement_timeout = '5s'", "SET LOCAL statement_timeout = '5s'"},
		{"SHOW ALL", "SHOW ALL"},
		{"SHOW TRANSACTION ISOLATION LEVEL", "SHOW transaction_isolation"},
		{"SHOW TIME ZONE", "SHOW timezone"},
		{"show DateStyle", "SHOW datestyle"},
		{"SHOW tables", "SHOW TABLES"},
		{"SHOW my.setting", "SHOW my.setting"},
		{"RESET ALL", "RESET ALL"},
		{"RESET x", "RESET x"},
		{"RESET TIME ZONE", "RESET timezone"},
		{"DISCARD TEMPORARY", "DISCARD TEMP"},
		{"discard all", "DISCARD ALL"},
		{"DISCARD PLANS", "DISCARD PLANS"},
		{"DISCARD SEQUENCES", "DISCARD SEQUENCES"},
		{"DEALLOCATE PREPARE s1", "DEALLOCATE s1"},
		{"DEALLOCATE ALL", "DEALLOCATE ALL"},
		{"ANALYZE", "ANALYZE"},
		{`ANALYZE VERBOSE "Users"`, `ANALYZE "Users"`},
		{"BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE", "BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE"},
		{"BEGIN TRANSACTION READ ONLY, DEFERRABLE", "BEGIN READ ONLY DEFERRABLE"},
		{"START TRANSACTION ISOLATION LEVEL READ UNCOMMITTED", "BEGIN ISOLATION LEVEL READ UNCOMMITTED"},
		{"END", "COMMIT"},
		{"end transaction", "COMMIT"},
		{"ABORT WORK", "ROLLBACK"},
	} {
		s, err := ParseOne(tc.sql)
		if err != nil {
			t.Errorf("ParseOne(%q): %v", tc.sql, err)
			continue
		}
		if got := Format(s); got != tc.want {
			t.Errorf("Format(%q) = %q, want %q", tc.sql, got, tc.want)
		}
		checkRoundTrip(t, s)
	}
}

func TestSessionStatementTrees(t *testing.T) {
	s, err := ParseOne("SET LOCAL search_path TO \"My\", b, 'c', -1")
	if err != nil {
		t.Fatal(err)
	}
	want := &SetVar{Pos: Pos{Line: 1, Column: 1}, Name: "search_path", Local: true, Values: []SetValue{
		{Kind: SetWord, Text: "My"}, {Kind: SetWord, Text: "b"}, {Kind: SetString, Text: "c"}, {Kind: SetNumber, Text: "-1"}}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v, want %+v", s, want)
	}
	b, err := ParseOne("BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY")
	if err != nil {
		t.Fatal(err)
	}
	if m := b.(*Begin).Modes; m != (TxModes{Isolation: "serializable", Access: "read only"}) {
		t.Errorf("BEGIN modes %+v", m)
	}
	r, _ := ParseOne("RESET statement_timeout")
	if v := r.(*SetVar); !v.Reset || !v.Default || v.Name != "statement_timeout" {
		t.Errorf("RESET gave %+v", v)
	}
}

func TestSessionStatementErrors(t *testing.T) {
	for _, tc := range []struct{ sql, code, msg string }{
		{"SET x", sqlerr.SyntaxError, `syntax error at end of input`},
		{"SET x = -'a'", sqlerr.SyntaxError, `syntax error at or near "'a'": a minus sign applies to numbers only`},
		{"BEGIN READ ONLY READ WRITE", sqlerr.SyntaxError, `conflicting or redundant options: a transaction mode is given twice`},
		{"SET LOCAL CHARACTERISTICS AS TRANSACTION READ ONLY", sqlerr.SyntaxError, `syntax error at or near "CHARACTERISTICS"`},
		{"SET LOCAL TRANSACTION READ ONLY", sqlerr.SyntaxError, `syntax error at or near "LOCAL": SET TRANSACTION takes no SESSION or LOCAL`},
		{"DISCARD everything", sqlerr.SyntaxError, `syntax error at or near "everything"`},
		{"SELECT x::widget", sqlerr.UndefinedObject, `type "widget" does not exist`},
		{"SELECT x::int(3)", sqlerr.SyntaxError, `type int4 takes 0 modifier(s), not 1`},
		{"SELECT f(x AS int)", sqlerr.SyntaxError, `syntax error at or near "AS": only CAST(expression AS type) takes AS`},
		{"SELECT x::text with time zone", sqlerr.SyntaxError, `syntax error at or near "with": only TIMESTAMP takes WITH | WITHOUT TIME ZONE`},
		{"SELECT a.b[1](2)", sqlerr.SyntaxError, `syntax error at or near "a": a function name is name(...) or schema.name(...)`},
	} {
		_, err := ParseOne(tc.sql)
		e := sqlerr.As(err)
		if err == nil || e.Code != tc.code || len(e.Message) < len(tc.msg) || e.Message[:len(tc.msg)] != tc.msg {
			t.Errorf("ParseOne(%q) = %v, want %s %s", tc.sql, err, tc.code, tc.msg)
		}
	}
}

func TestCasts(t *testing.T) {
	for _, tc := range []struct{ sql, want string }{
		{"x::int", "x::int4"},
		{"CAST(y AS double precision)", "y::float8"},
		{"cast('1' as character varying(10))", "'1'::varchar(10)"},
		{"z::timestamp with time zone", "z::timestamptz"},
		{"z::timestamp(3) without time zone", "z::timestamp(3)"},
		{"a::numeric(10,2) + b::text || 'x'", "a::numeric(10, 2) + b::text || 'x'"},
		{"-x::int", "(-x)::int4"},
		{"-(x::int)", "-(x::int4)"},
		{"-1::text", "-1::text"},
		{"(a + b)::bigint", "(a + b)::int8"},
		{"x::int::text", "x::int4::text"},
		{"'t'::boolean AND a LIKE b::text", "'t'::bool AND a LIKE b::text"},
		{"x::float(10) + y::float(40) + z::real + w::smallint", "x::float4 + y::float8 + z::float4 + w::int2"},
		{"'Users'::regclass", "'Users'::regclass"},
		{"pg_catalog.version()", "version()"},
		{"information_schema.f(1)", `"information_schema.f"(1)`},
		{"current_user", "CURRENT_USER"},
		{"current_schema()", "current_schema()"},
		{`"current_user"`, `"current_user"`},
	} {
		e, err := ParseExpr(tc.sql)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tc.sql, err)
			continue
		}
		got := FormatExpr(e)
		if got != tc.want {
			t.Errorf("FormatExpr(%q) = %q, want %q", tc.sql, got, tc.want)
		}
		again, err := ParseExpr(got)
		if err != nil || !equalAST(e, again) {
			t.Errorf("%q formats as %q, which parses differently (%v)", tc.sql, got, err)
		}
	}
	e, _ := ParseExpr("CAST(a AS varchar(5))")
	if c, ok := e.(*Cast); !ok || c.Type != "varchar" || !reflect.DeepEqual(c.Mods, []int{5}) {
		t.Errorf("CAST(a AS varchar(5)) gave %#v", e)
	}
	e, _ = ParseExpr("current_user")
	if f, ok := e.(*FuncCall); !ok || f.Name != "current_user" || !f.NoParens {
		t.Errorf("current_user gave %#v", e)
	}
}
