package parser

import (
	"testing"
)

// parseCase is a statement and the dump of the AST it must parse to.
type parseCase struct {
	sql  string
	want string
}

// dmlCases cover DynamoDB's PartiQL and the SQL beyond it.
var dmlCases = []parseCase{
	// DynamoDB's PartiQL, verbatim.
	{`SELECT * FROM "Users" WHERE "userId" = 'u1'`,
		`(select (items *) (from Users) (where (= userId 'u1')))`},
	{`select * from "Users"."EmailIndex" where "email" = ?`,
		`(select (items *) (from Users.EmailIndex) (where (= email ?0)))`},
	{`SELECT a.b[0]."size", "x"."y" FROM "T"`,
		`(select (items a.b[0].size x.y) (from T))`},
	{`SELECT * FROM "T" WHERE pk = 'a' ORDER BY sk DESC, other ASC, third`,
		`(select (items *) (from T) (where (= pk 'a')) (order (desc sk) other third))`},
	{`SELECT * FROM T WHERE pk IN ['a', 'b'] AND sk BETWEEN 1 AND 10`,
		`(select (items *) (from T) (where (AND (in pk 'a' 'b') (between sk 1 10))))`},
	{`SELECT * FROM T WHERE a IN (1, 2) OR NOT b NOT IN [3]`,
		`(select (items *) (from T) (where (OR (in a 1 2) (NOT (not-in b 3)))))`},
	{`SELECT * FROM T WHERE begins_with(sk, 'ab') AND contains(tags, 'x') AND size(tags) > 1`,
		`(select (items *) (from T) (where (AND (AND (call begins_with sk 'ab') (call contains tags 'x')) (> (call size tags) 1))))`},
	{`SELECT * FROM T WHERE attribute_type(a, 'S') AND attribute_exists(b) AND Attribute_Not_Exists(c)`,
		`(select (items *) (from T) (where (AND (AND (call attribute_type a 'S') (call attribute_exists b)) (call attribute_not_exists c))))`},
	{`SELECT * FROM T WHERE a IS MISSING AND b IS NOT MISSING AND c is null AND d IS NOT NULL`,
		`(select (items *) (from T) (where (AND (AND (AND (is-missing a) (is-not-missing b)) (is-null c)) (is-not-null d))))`},
	{`SELECT * FROM T WHERE a = 1 AND b <> 2 AND c != 3 AND d < 4 AND e <= 5 AND f > 6 AND g >= 7`,
		`(select (items *) (from T) (where (AND (AND (AND (AND (AND (AND (= a 1) (<> b 2)) (<> c 3)) (< d 4)) (<= e 5)) (> f 6)) (>= g 7))))`},
	{`INSERT INTO "Users" VALUE {'userId': 'u1', 'age': 30, 'tags': <<'a', 'b'>>, 'nums': <<1, 2>>, 'm': {}, 'l': [], 'ok': TRUE, 'no': false, 'n': NULL}`,
		`(insert Users (value {'userId': 'u1' 'age': 30 'tags': (set 'a' 'b') 'nums': (set 1 2) 'm': {} 'l': (list) 'ok': true 'no': false 'n': NULL}))`},
	{`INSERT INTO "T" VALUE ?`, `(insert T (value ?0))`},
	{`INSERT INTO T VALUE {'it''s': 'don''t', 'nested': {'a': [1, {'b': 2}]}}`,
		`(insert T (value {'it's': 'don''t' 'nested': {'a': (list 1 {'b': 2})}}))`},
	{`UPDATE "T" SET a = 1, b.c[2] = 'x' SET d = d + 1 REMOVE e, f[0] SET g = list_append(g, [1]) REMOVE h WHERE pk = 'k' RETURNING ALL NEW *`,
		`(update T (set a 1) (set b.c[2] 'x') (set d (+ d 1)) (remove e) (remove f[0]) (set g (call list_append g (list 1))) (remove h) (where (= pk 'k')) (returning all-new))`},
	{`UPDATE T SET s = set_add(s, <<'x'>>) WHERE pk = ? AND sk = ? RETURNING MODIFIED OLD *`,
		`(update T (set s (call set_add s (set 'x'))) (where (AND (= pk ?0) (= sk ?1))) (returning modified-old))`},
	{`UPDATE T REMOVE a WHERE pk = 1 RETURNING ALL OLD *`, `(update T (remove a) (where (= pk 1)) (returning all-old))`},
	{`UPDATE T SET a = 1 WHERE pk = 1 RETURNING MODIFIED NEW *`, `(update T (set a 1) (where (= pk 1)) (returning modified-new))`},
	{`DELETE FROM "T" WHERE pk = 'a' AND sk = 1`, `(delete T (where (AND (= pk 'a') (= sk 1))))`},
	{`DELETE FROM T WHERE pk = 'a' RETURNING ALL OLD *`, `(delete T (where (= pk 'a')) (returning all-old))`},
	{`SELECT * FROM T WHERE EXISTS(SELECT * FROM U WHERE pk = 1) AND NOT EXISTS (SELECT a FROM U)`,
		`(select (items *) (from T) (where (AND (exists (select (items *) (from U) (where (= pk 1)))) (NOT (exists (select (items a) (from U)))))))`},

	// Literals.
	{`SELECT 1, -1.5, 1e3, .5, 1.5E-10, -.5, 12345678901234567890123456789012345678901, 'it''s', '', TRUE, false, Null`,
		`(select (items 1 -1.5 1e3 .5 1.5E-10 -.5 12345678901234567890123456789012345678901 'it''s' '' true false NULL))`},
	{`SELECT - 1, -(1), - -1, +1, -a, -"b".c`,
		`(select (items -1 (- 1) (- -1) (+ 1) (- a) (- b.c)))`},
	{`SELECT "a""b", "select", a.select, a."from".and`, `(select (items "a\"b" select a.select a.from.and))`},
	{`SELECT [], [1, 'a', [2]], {}, {'k': <<1>>}, <<'a'>>`,
		`(select (items (list) (list 1 'a' (list 2)) {} {'k': (set 1)} (set 'a')))`},

	// Parameters.
	{`SELECT ? FROM T WHERE a = ? AND b IN (?, ?) LIMIT ?`,
		`(select (items ?0) (from T) (where (AND (= a ?1) (in b ?2 ?3))) (limit ?4))`},
	{`SELECT * FROM T WHERE a = $2 AND b = $1 OFFSET $3`,
		`(select (items *) (from T) (where (AND (= a $2) (= b $1))) (offset $3))`},

	// Precedence.
	{`SELECT a OR b AND c, (a OR b) AND c, NOT a AND b, NOT (a AND b), NOT a = b`,
		`(select (items (OR a (AND b c)) (AND (OR a b) c) (AND (NOT a) b) (NOT (AND a b)) (NOT (= a b))))`},
	{`SELECT a + b * c, (a + b) * c, a - b - c, a - (b - c), a / b % c, -a * b`,
		`(select (items (+ a (* b c)) (* (+ a b) c) (- (- a b) c) (- a (- b c)) (% (/ a b) c) (* (- a) b)))`},
	{`SELECT a || b = c || d, a + 1 || b, a = b + 1, a < b = c`,
		`(select (items (= (|| a b) (|| c d)) (|| (+ a 1) b) (= a (+ b 1)) (= (< a b) c)))`},
	{`SELECT * FROM T WHERE a BETWEEN 1 + 1 AND b * 2 AND c = 1`,
		`(select (items *) (from T) (where (AND (between a (+ 1 1) (* b 2)) (= c 1))))`},
	{`SELECT * FROM T WHERE a NOT BETWEEN 1 AND 2 OR b NOT LIKE 'x%' || c`,
		`(select (items *) (from T) (where (OR (not-between a 1 2) (not-like b (|| 'x%' c)))))`},
	{`SELECT NOT a IS NULL, a = b IS NOT NULL, a IN (1) = TRUE, NOT NOT a`,
		`(select (items (NOT (is-null a)) (is-not-null (= a b)) (= (in a 1) true) (NOT (NOT a))))`},
	{`SELECT a AND NOT b = c OR d, a = NOT b`,
		`(select (items (OR (AND a (NOT (= b c))) d) (= a (NOT b))))`},

	// SQL beyond PartiQL.
	{`SELECT name AS n, status s, count(*), COUNT(DISTINCT x) AS "Distinct X", sum(a), Min(a), MAX(a), avg(a) FROM Users`,
		`(select (items (as name n) (as status s) (call count *) (as (call count distinct x) "Distinct X") (call sum a) (call min a) (call max a) (call avg a)) (from Users))`},
	{`SELECT DISTINCT a FROM T`, `(select distinct (items a) (from T))`},
	{`SELECT a, count(*) FROM T t WHERE t.x > 1 GROUP BY a, b HAVING count(*) > 2 ORDER BY count(*) DESC LIMIT 10 OFFSET 20`,
		`(select (items a (call count *)) (from T t) (where (> t.x 1)) (group a b) (having (> (call count *) 2)) (order (desc (call count *))) (limit 10) (offset 20))`},
	{`SELECT * FROM T AS t OFFSET 5`, `(select (items *) (from T t) (offset 5))`},
	{`SELECT * FROM T.Idx AS i LIMIT 1`, `(select (items *) (from T.Idx i) (limit 1))`},
	{`SELECT a FROM T WHERE name LIKE 'a%' AND b NOT LIKE '_b'`,
		`(select (items a) (from T) (where (AND (like name 'a%') (not-like b '_b'))))`},
	{`SELECT CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END, CASE a WHEN 1 THEN 'one' END`,
		`(select (items (case (when (> a 1) 'big') (when (> a 0) 'small') (else 'none')) (case a (when 1 'one'))))`},
	{`SELECT 1 + 1`, `(select (items (+ 1 1)))`},
	{`SELECT now(), f(), lower("Name") FROM Users`, `(select (items (call now) (call f) (call lower Name)) (from Users))`},
	{`SELECT name, status, size, timestamp, date, user, key, value, count, missing, table, index, set FROM Users WHERE size(tags) > 1`,
		`(select (items name status size timestamp date user key value count missing table index set) (from Users) (where (> (call size tags) 1)))`},
	{`SELECT 1 AS from, 2 AS "select", 3 AS and`, `(select (items (as 1 from) (as 2 select) (as 3 and)))`},
	{`UPSERT INTO t VALUE {'k': 1}`, `(upsert t (value {'k': 1}))`},
	{`REPLACE INTO t VALUE {'k': 1}`, `(upsert t (value {'k': 1}))`},
	{`INSERT INTO t (a, "B") VALUES (1, 'x'), (2, 'y')`, `(insert t (cols a B) (row 1 'x') (row 2 'y'))`},
	{`INSERT INTO t SELECT * FROM s WHERE a = 1`, `(insert t (select (items *) (from s) (where (= a 1))))`},
	{`UPSERT INTO t SELECT k, v + 1 AS v FROM s`, `(upsert t (select (items k (as (+ v 1) v)) (from s)))`},
	{`EXPLAIN SELECT * FROM t`, `(explain (select (items *) (from t)))`},
	{`EXPLAIN ANALYZE SELECT * FROM t`, `(explain analyze (select (items *) (from t)))`},
	{`EXPLAIN (FORMAT JSON) DELETE FROM t WHERE a = 1`, `(explain json (delete t (where (= a 1))))`},
	{`explain (analyze, format json) UPDATE t SET a = 1 WHERE k = 1`, `(explain analyze json (update t (set a 1) (where (= k 1))))`},
	{`EXPLAIN ANALYZE (FORMAT TEXT) INSERT INTO t VALUE {'a': 1}`, `(explain analyze (insert t (value {'a': 1})))`},

	// Comments, spacing and case.
	{"select\n\t*  -- all of it\nfrom /* the /* nested */ table */ t\nwhere a=1", `(select (items *) (from t) (where (= a 1)))`},
	{`SeLeCt * FrOm t WhErE a AnD b oR c`, `(select (items *) (from t) (where (OR (AND a b) c)))`},
}

// ddlCases cover CREATE, DROP, SHOW and DESCRIBE.
var ddlCases = []parseCase{
	{`CREATE TABLE t (pk TEXT, sk NUMERIC, PRIMARY KEY (pk, sk))`,
		`(create-table t (cols pk:S sk:N) (key pk sk))`},
	{`create table if not exists t (pk string, PRIMARY KEY (pk))`,
		`(create-table t if-not-exists (cols pk:S) (key pk))`},
	{`CREATE TABLE t (id TEXT PRIMARY KEY, email TEXT, INDEX ByEmail (email))`,
		`(create-table t (cols id:S email:S) (key id) (gsi ByEmail email ALL))`},
	{`CREATE TABLE t (a S, b VARCHAR(10), c N, d INT, e INTEGER, f BIGINT, g DECIMAL(10, 2), h FLOAT, i NUMBER, j BYTEA, k BINARY, l B, m BLOB, PRIMARY KEY (a))`,
		`(create-table t (cols a:S b:S c:N d:N e:N f:N g:N h:N i:N j:B k:B l:B m:B) (key a))`},
	{`CREATE TABLE t (pk STRING, sk NUMBER) PRIMARY KEY (pk HASH, sk RANGE)`,
		`(create-table t (cols pk:S sk:N) (key pk sk))`},
	{`CREATE TABLE t (pk TEXT, a TEXT, b NUMERIC, PRIMARY KEY (pk), INDEX ia (a), GLOBAL INDEX iab (a, b) KEYS ONLY THROUGHPUT (3, 4), INDEX ib (b) INCLUDE (x, y))`,
		`(create-table t (cols pk:S a:S b:N) (key pk) (gsi ia a ALL) (gsi iab a b KEYS_ONLY 3/4) (gsi ib b INCLUDE(x y)))`},
	{`CREATE TABLE t (pk TEXT, sk TEXT, c NUMERIC, PRIMARY KEY (pk, sk), LOCAL INDEX l1 (c), LOCAL INDEX l2 (pk, c) ALL, LOCAL INDEX l3 (c) INCLUDE (z))`,
		`(create-table t (cols pk:S sk:S c:N) (key pk sk) (lsi l1 pk c ALL) (lsi l2 pk c ALL) (lsi l3 pk c INCLUDE(z)))`},
	{`CREATE TABLE t (pk STRING, sk STRING, g STRING, c NUMBER) PRIMARY KEY (pk HASH, sk RANGE) GSI (g1 ON (g HASH, c RANGE) PROJECTING KEYS ONLY, g2 ON (g HASH) PROJECTING INCLUDE (a) BILLING MODE PROVISIONED (2 RCU, 3 WCU)) LSI (l1 ON (pk HASH, c RANGE) PROJECTING ALL)`,
		`(create-table t (cols pk:S sk:S g:S c:N) (key pk sk) (gsi g1 g c KEYS_ONLY) (gsi g2 g INCLUDE(a) 2/3) (lsi l1 pk c ALL))`},
	{`CREATE TABLE t (pk TEXT, PRIMARY KEY (pk)) BILLING MODE ON DEMAND`,
		`(create-table t (cols pk:S) (key pk) (billing on-demand))`},
	{`CREATE TABLE t (pk TEXT, PRIMARY KEY (pk)) BILLING MODE PAY_PER_REQUEST`,
		`(create-table t (cols pk:S) (key pk) (billing on-demand))`},
	{`CREATE TABLE t (pk TEXT, PRIMARY KEY (pk)) BILLING MODE PROVISIONED (RCU 5, WCU 6)`,
		`(create-table t (cols pk:S) (key pk) (billing 5/6))`},
	{`CREATE TABLE t (pk TEXT, PRIMARY KEY (pk)) BILLING MODE PROVISIONED THROUGHPUT (7, 8)`,
		`(create-table t (cols pk:S) (key pk) (billing 7/8))`},
	{`CREATE TABLE t (pk TEXT, PRIMARY KEY (pk)) billing mode provisioned (9, 10)`,
		`(create-table t (cols pk:S) (key pk) (billing 9/10))`},
	{`CREATE TABLE "My Table" ("Key" TEXT, PRIMARY KEY ("Key"))`,
		`(create-table "My Table" (cols Key:S) (key Key))`},
	{`CREATE INDEX byEmail ON Users (email)`, `(create-index (gsi byEmail email ALL) on Users)`},
	{`CREATE INDEX i ON t (a TEXT, b NUMERIC) INCLUDE (x)`,
		`(create-index (gsi i a b INCLUDE(x)) on t (cols a:S b:N))`},
	{`CREATE INDEX i ON t (a, b BINARY) KEYS ONLY THROUGHPUT (1, 2)`,
		`(create-index (gsi i a b KEYS_ONLY 1/2) on t (cols b:B))`},
	{`DROP TABLE t`, `(drop-table t)`},
	{`drop table if exists "T"`, `(drop-table T if-exists)`},
	{`DROP INDEX i ON t`, `(drop-index i on t)`},
	{`DROP INDEX t.i`, `(drop-index i on t)`},
	{`DROP INDEX "t"."i"`, `(drop-index i on t)`},
	{`SHOW TABLES`, `(show-tables)`},
	{`show tables like 'Us%'`, `(show-tables 'Us%')`},
	{`DESCRIBE Users`, `(describe Users)`},
	{`DESC "Users"`, `(describe Users)`},
	{`describe table Users`, `(describe Users)`},
	{`describe table`, `(describe table)`},
	{`CREATE TABLE t (index TEXT, local TEXT, primary TEXT, PRIMARY KEY (index, local), INDEX i (primary))`,
		`(create-table t (cols index:S local:S primary:S) (key index local) (gsi i primary ALL))`},
	{`CREATE TABLE if (a TEXT, PRIMARY KEY (a))`, `(create-table if (cols a:S) (key a))`},
	{`DROP TABLE if`, `(drop-table if)`},
	{`CREATE INDEX on ON t (a)`, `(create-index (gsi on a ALL) on t)`},
}

// sampleSchema is the schema file the project ships; it must parse.
const sampleSchema = `CREATE TABLE IF NOT EXISTS Users (userId TEXT, email TEXT, PRIMARY KEY (userId), INDEX EmailIndex (email) ALL);
CREATE TABLE IF NOT EXISTS Orders (customerId TEXT, orderId TEXT, orderStatus TEXT, createdAt TEXT, PRIMARY KEY (customerId, orderId), INDEX OrderStatusIndex (orderStatus, createdAt) INCLUDE (customerId, totalAmount));
CREATE TABLE IF NOT EXISTS GameLeaderboards (gameId TEXT, playerId TEXT, score NUMERIC, PRIMARY KEY (gameId, playerId), LOCAL INDEX ScoreIndex (gameId, score) ALL);
CREATE TABLE IF NOT EXISTS IoTSensorData (deviceId TEXT, "timestamp" NUMERIC, PRIMARY KEY (deviceId, "timestamp"));
CREATE TABLE IF NOT EXISTS Sessions (sessionId TEXT, PRIMARY KEY (sessionId)) BILLING MODE PROVISIONED (RCU 5, WCU 5);
`

func TestParseDML(t *testing.T) { runParseCases(t, dmlCases) }

func TestParseDDL(t *testing.T) { runParseCases(t, ddlCases) }

func runParseCases(t *testing.T, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		stmt, err := ParseOne(tc.sql)
		if err != nil {
			t.Errorf("ParseOne(%q): %v", tc.sql, err)
			continue
		}
		if got := dump(stmt); got != tc.want {
			t.Errorf("ParseOne(%q)\n got: %s\nwant: %s", tc.sql, got, tc.want)
		}
	}
}

func TestSampleSchema(t *testing.T) {
	stmts, err := Parse(sampleSchema)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`(create-table Users if-not-exists (cols userId:S email:S) (key userId) (gsi EmailIndex email ALL))`,
		`(create-table Orders if-not-exists (cols customerId:S orderId:S orderStatus:S createdAt:S) (key customerId orderId) (gsi OrderStatusIndex orderStatus createdAt INCLUDE(customerId totalAmount)))`,
		`(create-table GameLeaderboards if-not-exists (cols gameId:S playerId:S score:N) (key gameId playerId) (lsi ScoreIndex gameId score ALL))`,
		`(create-table IoTSensorData if-not-exists (cols deviceId:S timestamp:N) (key deviceId timestamp))`,
		`(create-table Sessions if-not-exists (cols sessionId:S) (key sessionId) (billing 5/5))`,
	}
	if len(stmts) != len(want) {
		t.Fatalf("got %d statements, want %d", len(stmts), len(want))
	}
	for i, s := range stmts {
		if got := dump(s); got != want[i] {
			t.Errorf("statement %d\n got: %s\nwant: %s", i+1, got, want[i])
		}
	}
}

func TestParseScript(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		want []string
	}{
		{``, nil},
		{`  -- nothing here\n /* at all */ ;; ;`, nil},
		{`SELECT 1`, []string{`(select (items 1))`}},
		{`SELECT 1;`, []string{`(select (items 1))`}},
		{`;SELECT ?; SELECT ?, ?;;DELETE FROM t WHERE a = ?`, []string{
			`(select (items ?0))`, `(select (items ?0 ?1))`, `(delete t (where (= a ?0)))`}},
		{"SELECT $1;\nSELECT ?", []string{`(select (items $1))`, `(select (items ?0))`}},
	} {
		stmts, err := Parse(tc.sql)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.sql, err)
			continue
		}
		var got []string
		for _, s := range stmts {
			got = append(got, dump(s))
		}
		if len(got) != len(tc.want) {
			t.Errorf("Parse(%q) = %q, want %q", tc.sql, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Parse(%q)[%d]\n got: %s\nwant: %s", tc.sql, i, got[i], tc.want[i])
			}
		}
	}
}

func TestParseExpr(t *testing.T) {
	for _, tc := range []parseCase{
		{`a = 1`, `(= a 1)`},
		{`begins_with("sk", ?) AND b <> $1`, ``},
		{`x.y[3] IS NOT MISSING`, `(is-not-missing x.y[3])`},
		{`-1`, `-1`},
		{`(((a)))`, `a`},
		{`? + ?`, `(+ ?0 ?1)`},
	} {
		e, err := ParseExpr(tc.sql)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ParseExpr(%q) = %s, want an error", tc.sql, dump(e))
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tc.sql, err)
			continue
		}
		if got := dump(e); got != tc.want {
			t.Errorf("ParseExpr(%q)\n got: %s\nwant: %s", tc.sql, got, tc.want)
		}
	}
}

// TestPositions checks the positions the planner uses for its messages.
func TestPositions(t *testing.T) {
	stmt, err := ParseOne("SELECT a,\n  b.c AS x\nFROM \"T\"\nWHERE k = 'v' AND n > -1")
	if err != nil {
		t.Fatal(err)
	}
	s := stmt.(*Select)
	where := s.Where.(*BinaryExpr)
	for _, tc := range []struct {
		what string
		got  Pos
		want Pos
	}{
		{"select", s.Pos, Pos{Offset: 0, Line: 1, Column: 1}},
		{"item 2", s.Items[1].Pos, Pos{Offset: 12, Line: 2, Column: 3}},
		{"item 2 path", s.Items[1].Expr.Position(), Pos{Offset: 12, Line: 2, Column: 3}},
		{"table", s.From.Position(), Pos{Offset: 26, Line: 3, Column: 6}},
		{"AND", where.Pos, Pos{Offset: 36, Line: 4, Column: 7}},
		{"k", where.L.(*BinaryExpr).L.Position(), Pos{Offset: 36, Line: 4, Column: 7}},
		{"'v'", where.L.(*BinaryExpr).R.Position(), Pos{Offset: 40, Line: 4, Column: 11}},
		{"-1", where.R.(*BinaryExpr).R.Position(), Pos{Offset: 52, Line: 4, Column: 23}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s at %+v, want %+v", tc.what, tc.got, tc.want)
		}
	}
	// Columns count characters, offsets bytes.
	e, err := ParseExpr("'héé' = x")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.(*BinaryExpr).R.Position(), (Pos{Offset: 10, Line: 1, Column: 9}); got != want {
		t.Errorf("x at %+v, want %+v", got, want)
	}
}
