package parser

import (
	"errors"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		sql          string
		line, column int
		msg          string // the whole message
	}{
		{`SELECT * FORM t`, 1, 10,
			`syntax error at or near "FORM": expected one of: ",", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "WITH", ";"`},
		{`SELECT * FROM`, 1, 14, `syntax error at end of input: expected table name`},
		{`SELECT FROM t`, 1, 8, `syntax error at or near "FROM": expected one of: "DISTINCT", "*", expression`},
		{"SELECT *\nFROM t\nWHERE a = = 1", 3, 11, `syntax error at or near "=": expected expression`},
		{"SELECT *\n  FROM t\n  WHERE a = 'x' AND", 3, 20, `syntax error at end of input: expected expression`},
		{"select *\r\n\tfrom t\r\n\twhere a b", 3, 10,
			`syntax error at or near "b": expected one of: operator, "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "WITH", ";"`},
		{`SELECT * FROM t WHERE a BETWEEN 1 OR 2`, 1, 35, `syntax error at or near "OR": expected one of: operator, "AND"`},
		{`SELECT * FROM t WHERE a IS 5`, 1, 28, `syntax error at or near "5": expected one of: "NOT", "NULL", "MISSING"`},
		{`SELECT * FROM t WHERE a IN ()`, 1, 29, `syntax error at or near ")": expected expression`},
		{`SELECT * FROM t ORDER a`, 1, 23, `syntax error at or near "a": expected "BY"`},
		{`SELECT * FROM t LIMIT a`, 1, 23, `syntax error at or near "a": expected one of: number, parameter`},
		{`SELECT (a FROM t`, 1, 11, `syntax error at or near "FROM": expected one of: operator, ")"`},
		{`SELECT count(* FROM t`, 1, 16, `syntax error at or near "FROM": expected ")"`},
		{`SELECT a.`, 1, 10, `syntax error at end of input: expected identifier`},
		{`SELECT <<>>`, 1, 10, `syntax error at or near ">>": expected expression`},
		{`SELECT 1; SELEC 2`, 1, 11, `syntax error at or near "SELEC": expected statement`},
		{`FOO`, 1, 1, `syntax error at or near "FOO": expected statement`},
		{``, 1, 1, `syntax error at end of input: expected statement`},
		{"-- just a comment\n", 2, 1, `syntax error at end of input: expected statement`},
		{`INSERT INTO t VALUE`, 1, 20, `syntax error at end of input: expected one of: "{", parameter`},
		{`INSERT INTO t VALUE {a: 1}`, 1, 22, `syntax error at or near "a": expected one of: string, "}"`},
		{`INSERT INTO t VALUE {'a' 1}`, 1, 26, `syntax error at or near "1": expected ":"`},
		{`INSERT t VALUE {}`, 1, 8, `syntax error at or near "t": expected "INTO"`},
		{`UPDATE t SET a = 1`, 1, 19, `syntax error at end of input: expected one of: operator, ",", "SET", "REMOVE", "WHERE"`},
		{`UPDATE t SET a.b + 1 = 2 WHERE k = 1`, 1, 18, `syntax error at or near "+": expected "="`},
		{`DELETE FROM t WHERE k = 1 RETURNING ALL NEW *`, 1, 41, `syntax error at or near "NEW": expected "OLD"`},
		{`SELECT * FROM t WHERE EXISTS(DELETE FROM t WHERE a = 1)`, 1, 30, `syntax error at or near "DELETE": expected "SELECT"`},
		{`CREATE TABLE t (`, 1, 17, `syntax error at end of input: expected one of: "PRIMARY", "GLOBAL", "LOCAL", "INDEX", identifier`},
		{`CREATE TABLE t (a TEXT, PRIMARY KEY (a)) BILLING MODE`, 1, 54,
			`syntax error at end of input: expected one of: "ON", "PAY_PER_REQUEST", "PROVISIONED"`},
		{`DROP INDEX i`, 1, 13, `syntax error at end of input: expected one of: "ON", "."`},
		{`SHOW TABLES LIKE x`, 1, 18, `syntax error at or near "x"`},

		// Lexical errors.
		{`SELECT 'abc`, 1, 8, `unterminated quoted string at or near "'abc"`},
		{"SELECT 1,\n  \"abc", 2, 3, `unterminated quoted identifier at or near ""abc"`},
		{`SELECT /* a /* b */`, 1, 8, `unterminated /* comment at or near "/* a /* b */"`},
		{`SELECT ""`, 1, 8, `zero-length delimited identifier at or near """"`},
		{`SELECT 1abc`, 1, 8, `trailing junk after numeric literal at or near "1abc"`},
		{`SELECT $1abc`, 1, 8, `trailing junk after parameter at or near "$1abc"`},
		{`SELECT a # b`, 1, 10, `syntax error at or near "#"`},
		{`SELECT é`, 1, 8, `syntax error at or near "é"`},
		{`SELECT $`, 1, 8, `syntax error at or near "$"`},

		// Errors found while converting.
		{`SELECT $0`, 1, 8, `syntax error at or near "$0": parameter numbers run from $1 to $65535`},
		{`SELECT ?, $1`, 1, 11, `syntax error at or near "$1": cannot mix ? and $n parameters in one statement`},
		{`SELECT $1, ?`, 1, 12, `syntax error at or near "?": cannot mix ? and $n parameters in one statement`},
		{`SELECT * FROM t WHERE a[1.5] = 1`, 1, 25, `syntax error at or near "1.5": expected a list index: a non-negative integer`},
		{`INSERT INTO t (a, b) VALUES (1, 2), (1)`, 1, 37, `INSERT has more target columns than expressions`},
		{`INSERT INTO t (a) VALUES (1, 2)`, 1, 26, `INSERT has more expressions than target columns`},
		{`SELECT 1; SELECT 2`, 1, 11, `syntax error at or near "SELECT": expected end of input: only one statement is allowed here`},
		{`CREATE TABLE t (a TEXT)`, 1, 14, `table "t" has no PRIMARY KEY`},
		{`CREATE TABLE t (a TEXT PRIMARY KEY, b TEXT PRIMARY KEY)`, 1, 37, `multiple primary keys for table "t" are not allowed`},
		{`CREATE TABLE t (a TEXT, PRIMARY KEY (a, b))`, 1, 41,
			`type of attribute "b" is not declared: add it to the column list, e.g. (b TEXT, ...)`},
		{"CREATE TABLE t (a TEXT,\n  PRIMARY KEY (a),\n  INDEX i (\"Mixed\"))", 3, 12,
			`type of attribute "Mixed" is not declared: add it to the column list, e.g. ("Mixed" TEXT, ...)`},
		{`CREATE TABLE t (a TEXT, PRIMARY KEY (a)) GSI (g ON (x HASH))`, 1, 53, `type of attribute "x" is not declared`},
		{`CREATE TABLE t (a TEXT, b TEXT, PRIMARY KEY (a), LOCAL INDEX i (b, a))`, 1, 65,
			`local index "i" must use the table's partition key "a", not "b"`},
		{`CREATE TABLE t (a TEXT, b TEXT, c TEXT, PRIMARY KEY (a, b, c))`, 1, 60,
			`a primary key has at most two attributes: the partition key and the sort key`},
		{`CREATE TABLE t (a TEXT, b TEXT) PRIMARY KEY (a RANGE, b HASH)`, 1, 46, `"a" must be the HASH key here, not RANGE`},
		{`CREATE TABLE t (a TEXT, a TEXT, PRIMARY KEY (a))`, 1, 25, `column "a" specified more than once`},
		{`CREATE TABLE t (a TEXT, PRIMARY KEY (a), PRIMARY KEY (a))`, 1, 54, `multiple primary keys for table "t" are not allowed`},
		{`CREATE TABLE t (a TEXT, PRIMARY KEY (a), INDEX i (a), INDEX i (a))`, 1, 61, `index "i" specified more than once`},
		{`CREATE TABLE t (a TEXT, PRIMARY KEY (a)) BILLING MODE PROVISIONED (RCU 0, WCU 5)`, 1, 72,
			`syntax error at or near "0": capacity units must be a positive integer`},
		{`CREATE INDEX i ON t (a, b, c)`, 1, 28, `index "i" has more than two key attributes`},
		{`CREATE INDEX i ON t (a, a)`, 1, 25, `index "i" uses "a" twice`},
	} {
		_, err := ParseOne(tc.sql)
		var e *sqlerr.Error
		if !errors.As(err, &e) {
			t.Errorf("ParseOne(%q) = %v, want a *sqlerr.Error", tc.sql, err)
			continue
		}
		if e.Code != sqlerr.SyntaxError || !e.HasPos || e.Line != tc.line || e.Column != tc.column || !strings.HasPrefix(e.Message, tc.msg) {
			t.Errorf("ParseOne(%q)\n got: %s %d:%d %s\nwant: 42601 %d:%d %s", tc.sql, e.Code, e.Line, e.Column, e.Message, tc.line, tc.column, tc.msg)
		}
		if e.Offset < 0 || e.Offset > len(tc.sql) || e.Offset > 0 && lineColumn(tc.sql, e.Offset) != [2]int{e.Line, e.Column} {
			t.Errorf("ParseOne(%q): offset %d does not match %d:%d", tc.sql, e.Offset, e.Line, e.Column)
		}
	}
}

func TestUnknownType(t *testing.T) {
	_, err := ParseOne(`CREATE TABLE t (a FOO, PRIMARY KEY (a))`)
	e := sqlerr.As(err)
	if e.Code != sqlerr.UndefinedObject || e.Column != 19 || !strings.HasPrefix(e.Message, `type "FOO" does not exist`) {
		t.Errorf("got %s %d:%d %s", e.Code, e.Line, e.Column, e.Message)
	}
}

func TestNestingLimit(t *testing.T) {
	deep := func(open, close string, n int) string {
		return "SELECT " + strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	for _, sql := range []string{deep("(", ")", maxNesting), deep("[", "]", maxNesting), deep("NOT ", "", maxNesting), deep("- ", "", maxNesting)} {
		if _, err := ParseOne(sql); err != nil {
			t.Errorf("nesting %d: %v", maxNesting, err)
		}
	}
	for _, sql := range []string{deep("(", ")", maxNesting+1), deep("{'a': ", "}", 10000), deep("CASE WHEN a THEN ", " END", maxNesting+1), deep("NOT ", "", 100000)} {
		_, err := ParseOne(sql)
		if e := sqlerr.As(err); e.Code != sqlerr.ProgramLimitExceeded || !e.HasPos {
			t.Errorf("nesting beyond the limit: got %v", err)
		}
	}
}

// TestErrorsInScripts checks that positions count from the start of the
// whole script.
func TestErrorsInScripts(t *testing.T) {
	_, err := Parse("SELECT 1;\nSELECT 2;\n\nSELECT * FROM t WHERE ?")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("SELECT 1;\nSELECT 2;\n\nSELECT * FROM t WHERE")
	e := sqlerr.As(err)
	if e.Line != 4 || e.Column != 22 || e.Offset != 42 {
		t.Errorf("got %d:%d (offset %d) %s, want 4:22 (42)", e.Line, e.Column, e.Offset, e.Message)
	}
	_, err = Parse("SELECT ?;\nSELECT $1, ?")
	e = sqlerr.As(err)
	if e.Line != 2 || e.Column != 12 {
		t.Errorf("got %d:%d %s, want 2:12", e.Line, e.Column, e.Message)
	}
}

// lineColumn computes the 1-based line and character column of offset.
func lineColumn(s string, offset int) [2]int {
	line, col := 1, 1
	for _, r := range s[:offset] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return [2]int{line, col}
}
