package parser

import (
	"math/rand/v2"
	"testing"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// TestStatementOptions parses statements ending in WITH (...) and checks
// where the options land, that Format writes them back, and that the
// result parses to the same tree.
func TestStatementOptions(t *testing.T) {
	for _, tc := range []struct {
		sql, format string
		opts        []StatementOption
	}{
		{"UPDATE t SET n = n + 1 WHERE n >= 0 WITH (write_capacity = 200)",
			"UPDATE t SET n = n + 1 WHERE n >= 0 WITH (write_capacity = 200)",
			[]StatementOption{{Pos{42, 1, 43}, "write_capacity", SetValue{SetNumber, "200"}}}},
		{"DELETE FROM t WHERE ts < 5 RETURNING ALL OLD * with (Allow_Full_Table_Write = ON)",
			"DELETE FROM t WHERE ts < 5 RETURNING ALL OLD * WITH (allow_full_table_write = on)",
			[]StatementOption{{Pos{53, 1, 54}, "allow_full_table_write", SetValue{SetWord, "on"}}}},
		{"INSERT INTO t2 SELECT * FROM t WITH (write_capacity = 100, segments = 8)",
			"INSERT INTO t2 SELECT * FROM t WITH (write_capacity = 100, segments = 8)",
			[]StatementOption{{Pos{37, 1, 38}, "write_capacity", SetValue{SetNumber, "100"}}, {Pos{59, 1, 60}, "segments", SetValue{SetNumber, "8"}}}},
		{"UPSERT INTO t (a, b) VALUES (1, 2), (3, 4) WITH (write_capacity = 10)",
			"UPSERT INTO t (a, b) VALUES (1, 2), (3, 4) WITH (write_capacity = 10)",
			[]StatementOption{{Pos{49, 1, 50}, "write_capacity", SetValue{SetNumber, "10"}}}},
		{"INSERT INTO t VALUE {'a': 1} WITH (insert_batch = 1)",
			"INSERT INTO t VALUE {'a': 1} WITH (insert_batch = 1)",
			[]StatementOption{{Pos{35, 1, 36}, "insert_batch", SetValue{SetNumber, "1"}}}},
		{"SELECT * FROM t WHERE x = 1 ORDER BY x LIMIT 3 OFFSET 1\nWITH (consistent_read = TRUE, scan_policy = 'allow', page_size = 100)",
			"SELECT * FROM t WHERE x = 1 ORDER BY x LIMIT 3 OFFSET 1 WITH (consistent_read = true, scan_policy = 'allow', page_size = 100)",
			[]StatementOption{{Pos{62, 2, 7}, "consistent_read", SetValue{SetWord, "true"}},
				{Pos{86, 2, 31}, "scan_policy", SetValue{SetString, "allow"}}, {Pos{109, 2, 54}, "page_size", SetValue{SetNumber, "100"}}}},
		// Without FROM, and after a cast's WITH TIME ZONE.
		{"SELECT 1 WITH (segments = 2)", "SELECT 1 WITH (segments = 2)",
			[]StatementOption{{Pos{15, 1, 16}, "segments", SetValue{SetNumber, "2"}}}},
		{"SELECT x::timestamp WITH TIME ZONE AS ts FROM t AS a WITH (segments = -1)",
			"SELECT x::timestamptz AS ts FROM t AS a WITH (segments = -1)",
			[]StatementOption{{Pos{59, 1, 60}, "segments", SetValue{SetNumber, "-1"}}}},
		// Words keep their case only when quoted; AND and OR need quotes.
		{`SELECT * FROM t WITH (scan_policy = "Deny", "Segments" = 'x', page_size = "and")`,
			`SELECT * FROM t WITH (scan_policy = "Deny", segments = 'x', page_size = "and")`,
			[]StatementOption{{Pos{22, 1, 23}, "scan_policy", SetValue{SetWord, "Deny"}},
				{Pos{44, 1, 45}, "segments", SetValue{SetString, "x"}}, {Pos{62, 1, 63}, "page_size", SetValue{SetWord, "and"}}}},
	} {
		stmt, err := ParseOne(tc.sql)
		if err != nil {
			t.Errorf("ParseOne(%q): %v", tc.sql, err)
			continue
		}
		if got := StatementOptions(stmt); !equalOptions(got, tc.opts) {
			t.Errorf("%q: options %+v, want %+v", tc.sql, got, tc.opts)
		}
		if ins, ok := stmt.(*Insert); ok && ins.Select != nil && ins.Select.Options != nil {
			t.Errorf("%q: the SELECT of INSERT ... SELECT has options %+v", tc.sql, ins.Select.Options)
		}
		text := Format(stmt)
		if text != tc.format {
			t.Errorf("Format(%q)\n got: %s\nwant: %s", tc.sql, text, tc.format)
		}
		back, err := ParseOne(text)
		if err != nil || !equalAST(stmt, back) {
			t.Errorf("Format(%q) = %q parses back as %v, %v", tc.sql, text, dump(back), err)
		}
		explain, err := ParseOne("EXPLAIN ANALYZE " + tc.sql)
		if err != nil || !equalAST(StatementOptions(explain), tc.opts) {
			t.Errorf("EXPLAIN ANALYZE %q: options %+v, %v", tc.sql, StatementOptions(explain), err)
		}
	}
	// An alias named with stays an alias when no ( follows.
	stmt, err := ParseOne("SELECT a with FROM t with WHERE a = 1")
	if err != nil {
		t.Fatal(err)
	}
	if s := stmt.(*Select); s.Items[0].Alias != "with" || s.From.(*TableName).Alias != "with" || s.Options != nil {
		t.Errorf("aliases named with: %s", dump(s))
	}
}

func equalOptions(a, b []StatementOption) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestStatementOptionErrors checks the clause's syntax errors and their
// positions: it comes last, once, with at least one name = value, and
// options belong to a whole statement, not to a SELECT inside one.
func TestStatementOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		sql       string
		line, col int
		msg       string
	}{
		{"SELECT * FROM t WITH (segments = 1, SEGMENTS = 2)", 1, 37, `syntax error at or near "SEGMENTS": option "segments" is given more than once`},
		{"INSERT INTO t SELECT * FROM t WITH (segments = 1) WITH (segments = 2)", 1, 51, `syntax error at or near "WITH": a statement takes one WITH (...) clause`},
		{"COPY (SELECT * FROM t WITH (segments = 1)) TO STDOUT", 1, 23, `syntax error at or near "WITH": WITH (...) sets options of a whole statement and goes at its end`},
		{"SELECT * FROM t WHERE EXISTS(SELECT * FROM t WITH (segments = 1))", 1, 46, `syntax error at or near "WITH": WITH (...) sets options`},
		{"EXISTS(SELECT * FROM t WHERE k = 1 WITH (segments = 1))", 1, 36, `syntax error at or near "WITH": WITH (...) sets options`},
		{"SELECT * FROM t WITH ()", 1, 23, `syntax error at or near ")": expected identifier`},
		{"SELECT * FROM t WITH (segments)", 1, 31, `syntax error at or near ")": expected "="`},
		{"SELECT * FROM t WITH (segments = 1", 1, 35, `syntax error at end of input`},
		{"SELECT * FROM t WITH (segments = 1) LIMIT 1", 1, 37, `syntax error at or near "LIMIT"`},
		{"DELETE FROM t WHERE a = 1 WITH (segments = 1) RETURNING ALL OLD *", 1, 47, `syntax error at or near "RETURNING"`},
		{"CREATE TABLE t (a TEXT, PRIMARY KEY (a)) WITH (segments = 1)", 1, 42, `syntax error at or near "WITH"`},
	} {
		_, err := ParseOne(tc.sql)
		e := sqlerr.As(err)
		if err == nil || e.Code != sqlerr.SyntaxError || e.Line != tc.line || e.Column != tc.col || len(e.Message) < len(tc.msg) || e.Message[:len(tc.msg)] != tc.msg {
			t.Errorf("ParseOne(%q)\n got: %v\nwant: 42601 %d:%d %s", tc.sql, err, tc.line, tc.col, tc.msg)
		}
	}
}

// TestFormatRandomStatementOptions formats statements of every kind that
// takes a WITH clause, with random options, and checks that they parse
// back unchanged.
func TestFormatRandomStatementOptions(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	names := []string{"segments", "scan_policy", "write_capacity", "consistent_read", "page_size", "insert_batch", "select", "Two Words", `q"uote`}
	values := []SetValue{{SetNumber, "8"}, {SetNumber, "-1"}, {SetNumber, "2.5"}, {SetWord, "on"}, {SetWord, "off"},
		{SetWord, "true"}, {SetWord, "allow"}, {SetWord, "and"}, {SetWord, "or"}, {SetWord, "null"}, {SetWord, "Deny"},
		{SetWord, "with"}, {SetWord, "default"}, {SetString, "it's"}, {SetString, ""}}
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := 0; i < n; i++ {
		g := treeGen{r: r}
		var opts []StatementOption
		for _, k := range r.Perm(len(names))[:1+r.IntN(3)] {
			opts = append(opts, StatementOption{Name: lowerName(names[k]), Value: values[r.IntN(len(values))]})
		}
		sel := &Select{Items: []SelectItem{{Star: true}}, From: &TableName{Name: g.pick(genNames)}, Where: g.expr(2)}
		var stmt Statement
		switch r.IntN(6) {
		case 0:
			sel.Options = opts
			stmt = sel
		case 1:
			stmt = &Insert{Table: g.pick(genNames), Select: sel, Options: opts}
		case 2:
			stmt = &Insert{Table: g.pick(genNames), Upsert: true, Columns: []string{"a"}, Rows: [][]Expr{{g.expr(2)}}, Options: opts}
		case 3:
			stmt = &Update{Table: g.pick(genNames), Actions: []UpdateAction{{Kind: SetAction, Path: &Path{Steps: []PathStep{{Name: "a"}}}, Value: g.expr(2)}},
				Where: g.expr(2), Returning: Returning(r.IntN(5)), Options: opts}
		case 4:
			stmt = &Delete{Table: g.pick(genNames), Where: g.expr(2), Returning: Returning(r.IntN(2)), Options: opts}
		default:
			sel.Options = opts
			stmt = &Explain{Analyze: true, Stmt: sel}
		}
		text := Format(stmt)
		back, err := ParseOne(text)
		if err != nil {
			t.Fatalf("Format gave %q, which does not parse: %v", text, err)
		}
		if !equalAST(stmt, back) {
			t.Fatalf("Format gave %q, which parses differently:\n got: %s\nwant: %s", text, dump(back), dump(stmt))
		}
	}
}

// lowerName is an option name as the parser keeps it.
func lowerName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
