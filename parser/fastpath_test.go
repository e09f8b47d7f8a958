package parser

import (
	"reflect"
	"testing"
)

// TestFastPathAgrees checks that the fast path, when it accepts a
// statement, builds exactly the tree the grammar builds, positions
// included, and that it accepts the shapes it is meant for.
func TestFastPathAgrees(t *testing.T) {
	inputs := append([]string{}, fastPathShapes...)
	inputs = append(inputs, fastPathDeclines...)
	for _, tc := range dmlCases {
		inputs = append(inputs, tc.sql)
	}
	inputs = append(inputs, fuzzSeeds...)
	for _, sql := range inputs {
		checkFastPath(t, sql)
	}
	for _, sql := range fastPathShapes {
		if _, ok := fastParse(sql); !ok {
			t.Errorf("fastParse(%q) declined a shape it should take", sql)
		}
	}
	for _, sql := range fastPathDeclines {
		if _, ok := fastParse(sql); ok {
			t.Errorf("fastParse(%q) accepted text it should leave to the grammar", sql)
		}
	}
}

// checkFastPath fails if fastParse accepts sql but the grammar disagrees.
func checkFastPath(t *testing.T, sql string) {
	t.Helper()
	fast, ok := fastParse(sql)
	if !ok {
		return
	}
	slow, err := parseOne(sql)
	if err != nil {
		t.Fatalf("fastParse(%q) accepted what the grammar rejects: %v", sql, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fastParse(%q) differs from the grammar:\nfast: %s %+v\nslow: %s %+v", sql, dump(fast), fast, dump(slow), slow)
	}
}

var fastPathShapes = []string{
	`SELECT * FROM "Users" WHERE "userId" = 'u1'`,
	`select * from Users where userId = ? and sk >= -1.5;`,
	"  -- comment\n SELECT a, b.c[2].\"d\", e.select FROM \"T\".\"Idx\" WHERE a <> $2 AND b != $1 AND c < TRUE AND d > NULL AND e <= false",
	`SELECT * FROM t`,
	`DELETE FROM "T" WHERE pk = 'a' AND sk = - 3`,
	`INSERT INTO "T" VALUE {'pk': 'a', 'n': -1e3, 'b': true, 'z': null, 'p': ?}`,
	`INSERT INTO t VALUE {}`,
	`INSERT INTO t VALUE $1;`,
	`SELECT * FROM "Orders" WHERE pk = ? AND sk BETWEEN ? AND ? ORDER BY sk DESC LIMIT 10`,
	`SELECT * FROM t WHERE pk IN ('a', 'b', ?) AND begins_with(sk, 'x#') ORDER BY sk, b ASC LIMIT ? OFFSET 5`,
	`SELECT a FROM t WHERE Attribute_Exists(a) AND contains(tags, 'x') AND x IN [1] OFFSET 1`,
	`SELECT * FROM t WHERE f()`,
	`SELECT * FROM t ORDER BY a`,
	`SELECT "current_user" FROM t WHERE "current_schema" = 'x'`,
}

var fastPathDeclines = []string{
	`SELECT * FROM t WHERE a = 1 OR b = 2`,
	`SELECT * FROM t WHERE a = 1 + 1`,
	`SELECT * FROM t WHERE a = - - 1`,
	`SELECT * FROM t WHERE size(a) = 1`,
	`SELECT a x FROM t`,
	`SELECT * FROM t u`,
	`SELECT * FROM t WHERE a IS NULL`,
	`SELECT * FROM t WHERE a = 1 AND b`,
	`SELECT * FROM t;;`,
	`SELECT * FROM t; SELECT * FROM u`,
	`SELECT ?, $1 FROM t`,
	`SELECT * FROM t WHERE a = ? AND b = $1`,
	`SELECT * FROM t WHERE a = $0`,
	`SELECT * FROM t WHERE a[1.5] = 1`,
	`SELECT * FROM t WHERE a = 'x`,
	`DELETE FROM t WHERE a = 1 RETURNING ALL OLD *`,
	`SELECT * FROM t WHERE k = 1 WITH (consistent_read = on)`,
	`DELETE FROM t WHERE k = 1 WITH (write_capacity = 5)`,
	`INSERT INTO t VALUE {'a': 1} WITH (insert_batch = 1)`,
	`INSERT INTO t VALUE {'a': [1]}`,
	`INSERT INTO t VALUE {'a': 1 AND 2}`,
	`SELECT from FROM t`,
	`SELECT * FROM t WHERE a NOT BETWEEN 1 AND 2`,
	`SELECT * FROM t WHERE a BETWEEN 1 AND 2 + 1`,
	`SELECT * FROM t WHERE a IN ()`,
	`SELECT * FROM t WHERE a IN (1, 2]`,
	`SELECT * FROM t WHERE size(a) > 1`,
	`SELECT * FROM t WHERE f(a.b(1))`,
	`SELECT * FROM t WHERE f(a + 1)`,
	`SELECT * FROM t ORDER BY a + 1`,
	`SELECT * FROM t ORDER BY f(a)`,
	`SELECT * FROM t LIMIT 1 LIMIT 2`,
	`SELECT * FROM t LIMIT a`,
	`SELECT * FROM t OFFSET 1 LIMIT 2`,
	`SELECT * FROM t WHERE a = 1 ORDER a`,
	`DELETE FROM t WHERE a = 1 ORDER BY a`,
	`SELECT current_user FROM t`,
	`SELECT * FROM t WHERE current_schema = 'x'`,
	`SELECT a::int FROM t`,
	`SELECT * FROM t WHERE a = 1::text`,
	`SELECT * FROM t WHERE pg_catalog.f(a)`,
	`SELECT * FROM t WHERE cast(a AS int) = 1`,
}
