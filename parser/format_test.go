package parser

import "testing"

// TestRoundTrip checks that every accepted statement formats to SQL that
// parses back to an equal AST, and that formatting is idempotent.
func TestRoundTrip(t *testing.T) {
	var inputs []string
	for _, tc := range dmlCases {
		inputs = append(inputs, tc.sql)
	}
	for _, tc := range ddlCases {
		inputs = append(inputs, tc.sql)
	}
	inputs = append(inputs, sampleSchema)
	for _, sql := range inputs {
		stmts, err := Parse(sql)
		if err != nil {
			t.Errorf("Parse(%q): %v", sql, err)
			continue
		}
		for _, s := range stmts {
			checkRoundTrip(t, s)
		}
	}
}

func checkRoundTrip(t *testing.T, s Statement) {
	t.Helper()
	text := Format(s)
	again, err := ParseOne(text)
	if err != nil {
		t.Errorf("Format gave %q, which does not parse: %v", text, err)
		return
	}
	if !equalAST(s, again) {
		t.Errorf("Format gave %q, which parses differently:\n got: %s\nwant: %s", text, dump(again), dump(s))
	}
	if text2 := Format(again); text2 != text {
		t.Errorf("Format is not idempotent:\n first: %s\nsecond: %s", text, text2)
	}
}

func TestFormatExpr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"userId" = 'u1'`, `"userId" = 'u1'`},
		{`userid = 'it''s'`, `userid = 'it''s'`},
		{`USERID = "Name"."first name"`, `USERID = "Name"."first name"`},
		{`a.b[0]."size"`, `a.b[0].size`},
		{`"value" + "select" + "from"`, `"value" + "select" + "from"`},
		{`(a + b) * c`, `(a + b) * c`},
		{`a + (b * c)`, `a + b * c`},
		{`a - (b - c)`, `a - (b - c)`},
		{`(a - b) - c`, `a - b - c`},
		{`-(1)`, `-(1)`},
		{`- -1`, `-(-1)`},
		{`-(-a)`, `-(-a)`},
		{`-(a + b)`, `-(a + b)`},
		{`a - -1`, `a - -1`},
		{`NOT (a = b)`, `NOT a = b`},
		{`(NOT a) = b`, `(NOT a) = b`},
		{`NOT (a AND b)`, `NOT (a AND b)`},
		{`a AND (b OR c)`, `a AND (b OR c)`},
		{`(a AND b) OR c`, `a AND b OR c`},
		{`a != b`, `a <> b`},
		{`NOT NOT a = b`, `NOT NOT a = b`},
		{`NOT (NOT a) = b`, `NOT (NOT a) = b`},
		{`a and b or not c`, `a AND b OR NOT c`},
		{`x BETWEEN (a = b) AND (NOT c)`, `x BETWEEN (a = b) AND (NOT c)`},
		{`x LIKE ('a' || b)`, `x LIKE 'a' || b`},
		{`(a IS NULL) = (b IN (1, 2))`, `a IS NULL = (b IN (1, 2))`},
		{`x IN [1, 2]`, `x IN (1, 2)`},
		{`count(*) + COUNT(DISTINCT a) + Size(b)`, `count(*) + count(DISTINCT a) + size(b)`},
		{`"Replace"(x)`, `replace(x)`},
		{`case when a then 1 else 2 end`, `CASE WHEN a THEN 1 ELSE 2 END`},
		{`exists(select * from t where a = ?)`, `EXISTS(SELECT * FROM t WHERE a = ?)`},
		{`{'a': [1, <<'x'>>], 'b': {}}`, `{'a': [1, <<'x'>>], 'b': {}}`},
		{`$2 + $1`, `$2 + $1`},
		{`TRUE AND false OR null`, `TRUE AND FALSE OR NULL`},
	} {
		e, err := ParseExpr(tc.in)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tc.in, err)
			continue
		}
		if got := FormatExpr(e); got != tc.want {
			t.Errorf("FormatExpr(%q) = %q, want %q", tc.in, got, tc.want)
		}
		back, err := ParseExpr(FormatExpr(e))
		if err != nil || !equalAST(e, back) {
			t.Errorf("FormatExpr(%q) = %q does not parse back to the same tree (%v)", tc.in, FormatExpr(e), err)
		}
	}
}

func TestFormatStatements(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`select * from "Users" where "userId" = 'u1'`, `SELECT * FROM "Users" WHERE "userId" = 'u1'`},
		{`select a x, b as "Y" from t.i as z group by a having count(*) > 1 order by a desc limit 1 offset ?`,
			`SELECT a AS x, b AS Y FROM t.i AS z GROUP BY a HAVING count(*) > 1 ORDER BY a DESC LIMIT 1 OFFSET ?`},
		{`update t set a = 1 set b = 2 remove c, d set e = 3 where k = 1`,
			`UPDATE t SET a = 1, b = 2 REMOVE c, d SET e = 3 WHERE k = 1`},
		{`replace into t value {'a': 1}`, `UPSERT INTO t VALUE {'a': 1}`},
		{`insert into t (a, b) values (1, 2), (3, 4)`, `INSERT INTO t (a, b) VALUES (1, 2), (3, 4)`},
		{`explain analyze (format json) select 1`, `EXPLAIN ANALYZE (FORMAT JSON) SELECT 1`},
		{`CREATE TABLE t (pk STRING, sk NUMBER, x BINARY) PRIMARY KEY (pk HASH, sk RANGE) BILLING MODE PROVISIONED (5 RCU, 6 WCU) GSI (g ON (x HASH) PROJECTING KEYS ONLY THROUGHPUT (1, 2)) LSI (l ON (pk HASH, x RANGE) PROJECTING INCLUDE (a, "B"))`,
			`CREATE TABLE t (pk TEXT, sk NUMERIC, x BINARY, PRIMARY KEY (pk, sk), INDEX g (x) KEYS ONLY THROUGHPUT (1, 2), LOCAL INDEX l (pk, x) INCLUDE (a, B)) BILLING MODE PROVISIONED (RCU 5, WCU 6)`},
		{`create index i on t (a text, b)`, `CREATE INDEX i ON t (a TEXT, b)`},
		{`drop index t.i`, `DROP INDEX i ON t`},
		{`desc "table"`, `DESCRIBE "table"`},
		{`show tables like 'a''b'`, `SHOW TABLES LIKE 'a''b'`},
	} {
		s, err := ParseOne(tc.in)
		if err != nil {
			t.Errorf("ParseOne(%q): %v", tc.in, err)
			continue
		}
		if got := Format(s); got != tc.want {
			t.Errorf("Format(%q)\n got: %s\nwant: %s", tc.in, got, tc.want)
		}
		checkRoundTrip(t, s)
	}
}
