package parser

import (
	"errors"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// FuzzParse checks that no input panics the parser and that every input
// either fails with a positioned *sqlerr.Error or parses to statements that
// Format back into SQL parsing to equal statements and that Split cuts into
// chunks parsing to the same statements. Incomplete must not panic, and the
// fast path must agree with the grammar.
//
//	go test ./parser -run '^$' -fuzz FuzzParse -fuzztime 3m
func FuzzParse(f *testing.F) {
	for _, tc := range dmlCases {
		f.Add(tc.sql)
	}
	for _, tc := range ddlCases {
		f.Add(tc.sql)
	}
	for _, s := range append(append(fuzzSeeds, fastPathShapes...), fastPathDeclines...) {
		f.Add(s)
	}
	f.Add(sampleSchema)
	f.Fuzz(func(t *testing.T, sql string) {
		Incomplete(sql)
		chunks := Split(sql)
		checkFastPath(t, sql)
		stmts, err := Parse(sql)
		if err != nil {
			checkError(t, sql, err)
			return
		}
		if len(chunks) != len(stmts) {
			t.Fatalf("Parse(%q) gives %d statements but Split %d chunks", sql, len(stmts), len(chunks))
		}
		for i, s := range stmts {
			if one, err := ParseOne(chunks[i].Text); err != nil || !equalAST(s, one) {
				t.Fatalf("chunk %q of %q parses differently on its own (%v)", chunks[i].Text, sql, err)
			}
			text := Format(s)
			again, err := ParseOne(text)
			if sqlerr.Code(err) == sqlerr.ProgramLimitExceeded {
				continue // parentheses Format adds pushed it past the nesting limit
			}
			if err != nil {
				t.Fatalf("Parse(%q) formats as %q, which does not parse: %v", sql, text, err)
			}
			if !equalAST(s, again) {
				t.Fatalf("Parse(%q) formats as %q, which parses differently:\n got: %s\nwant: %s", sql, text, dump(again), dump(s))
			}
		}
		if e, err := ParseExpr(sql); err == nil {
			back, err := ParseExpr(FormatExpr(e))
			if sqlerr.Code(err) == sqlerr.ProgramLimitExceeded {
				return
			}
			if err != nil || !equalAST(e, back) {
				t.Fatalf("ParseExpr(%q) formats as %q, which parses differently (%v)", sql, FormatExpr(e), err)
			}
		} else {
			checkError(t, sql, err)
		}
	})
}

// checkError checks that err is a *sqlerr.Error of an expected code with a
// position inside sql.
func checkError(t *testing.T, sql string, err error) {
	t.Helper()
	var e *sqlerr.Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse(%q): error %T %v is not a *sqlerr.Error", sql, err, err)
	}
	switch e.Code {
	case sqlerr.SyntaxError, sqlerr.UndefinedObject, sqlerr.ProgramLimitExceeded:
	default:
		t.Fatalf("Parse(%q): unexpected error code %s: %v", sql, e.Code, e)
	}
	if !e.HasPos || e.Offset < 0 || e.Offset > len(sql) {
		t.Fatalf("Parse(%q): error %v positioned at offset %d, outside the input", sql, e, e.Offset)
	}
	if lc := lineColumn(sql, e.Offset); lc != [2]int{e.Line, e.Column} {
		t.Fatalf("Parse(%q): error at offset %d reports %d:%d, want %d:%d", sql, e.Offset, e.Line, e.Column, lc[0], lc[1])
	}
	if !strings.Contains(e.Message, " ") {
		t.Fatalf("Parse(%q): bare error message %q", sql, e.Message)
	}
}

// fuzzSeeds are inputs beyond the parse tests: errors and odd corners.
var fuzzSeeds = []string{
	``, `;`, `SELECT * FORM t`, `SELECT 'abc`, `SELECT "abc`, `SELECT /* x`, `SELECT ""`,
	`SELECT 1abc`, `SELECT $0`, `SELECT ?, $1`, `SELECT a.`, `SELECT <<>>`, `SELECT - - 1`,
	`SELECT NOT NOT a = b`, `SELECT ((((a))))`, `SELECT a[99999999999999999999]`,
	`INSERT INTO t VALUE {'a' 1}`, `UPDATE t SET a = 1`, `CREATE TABLE t (a TEXT)`,
	"SELECT 1;\nSELECT 2;\n  SELECT * FROM t WHERE",
	`CREATE TABLE t (a FOO, PRIMARY KEY (a))`, `CREATE TABLE t (a TEXT, PRIMARY KEY (a, b))`,
	`SELECT é`, "SELECT '\xff'", "SELECT \x00", strings.Repeat("(", 300) + "1",
	strings.Repeat("NOT ", 300) + "a", `EXPLAIN EXPLAIN SELECT 1`,
	`SET search_path TO "$user", public`, `SET LOCAL TIME ZONE 'UTC'`, `SET x.y = -1.5, on, 'z'`,
	`SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED`, `SHOW ALL; SHOW TIME ZONE`,
	`RESET ALL; DISCARD ALL; DEALLOCATE PREPARE p; ANALYZE t; END; ABORT`, `BEGIN READ ONLY, NOT DEFERRABLE`,
	`SELECT a::int, CAST(b AS varchar(3)), c::timestamp with time zone, pg_catalog.version(), current_user`,
	`COPY t TO STDOUT WITH CSV HEADER DELIMITER AS ';'`, `COPY (SELECT 1) TO STDOUT (FORMAT text, HEADER)`,
}
