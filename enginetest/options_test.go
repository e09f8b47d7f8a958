package enginetest

import (
	"context"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// TestStatementOptions runs statements with a WITH (...) clause on every
// backend: a DELETE of a whole table, refused under the session's
// allow_full_table_write = off, runs when its clause allows it, and the
// session's setting is still off afterwards; a backfill with a write
// budget and parallel segments writes every item.
func TestStatementOptions(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		sess := session.New(testbackend.Client(t, b), session.Config{Planner: planner.Options{ScanPolicy: planner.ScanWarn}})
		run := func(sql string) string {
			t.Helper()
			return strings.TrimSpace(RunScript(context.Background(), sess, sql, true))
		}
		const table = "stmt_options"
		run(`DROP TABLE IF EXISTS ` + table)
		t.Cleanup(func() { run(`DROP TABLE IF EXISTS ` + table) })
		if got := run(`CREATE TABLE ` + table + ` (id TEXT, PRIMARY KEY (id))`); got != "CREATE TABLE" {
			t.Fatalf("CREATE TABLE: %s", got)
		}
		if got := run(`INSERT INTO ` + table + ` (id, n) VALUES ('a', 1), ('b', 2), ('c', 3) WITH (insert_batch = 1, write_capacity = 1000)`); got != "INSERT 0 3" {
			t.Fatalf("INSERT: %s", got)
		}

		// A backfill: every item gets m = n + 10, through 4 segments, at most 1000
		// write units per second.
		if got := run(`UPDATE ` + table + ` SET m = n + 10 WHERE n > 0 WITH (segments = 4, write_capacity = 1000, scan_policy = allow)`); got != "UPDATE 3" {
			t.Errorf("UPDATE with options: %s", got)
		}
		if got := run(`SELECT id, m FROM ` + table + ` WITH (consistent_read = on, scan_policy = allow)`); got != `{"id":{"S":"a"},"m":{"N":"11"}}`+"\n"+`{"id":{"S":"b"},"m":{"N":"12"}}`+"\n"+`{"id":{"S":"c"},"m":{"N":"13"}}`+"\n(3 rows)" {
			t.Errorf("after the backfill:\n%s", got)
		}

		del := `DELETE FROM ` + table + ` WHERE TRUE`
		if got := run(del); !strings.HasPrefix(got, `ERROR 42501: line 1, column 1: DELETE of every item of table "`+table+`" refused`) {
			t.Errorf("full-table DELETE under the session's setting:\n%s", got)
		}
		if got := run(del + ` RETURNING ALL OLD * WITH (allow_full_table_write = on, scan_policy = allow)`); !strings.HasSuffix(got, "(3 rows)") || strings.Count(got, `"id"`) != 3 {
			t.Errorf("full-table DELETE with allow_full_table_write = on in its clause:\n%s", got)
		}
		if got := run(`SHOW allow_full_table_write`); got != `{"allow_full_table_write":{"S":"off"}}`+"\n(1 row)" {
			t.Errorf("SHOW allow_full_table_write after the statement: %s", got)
		}
		if got := run(`SELECT count(*) AS n FROM ` + table + ` WITH (scan_policy = allow, consistent_read = on)`); got != `{"n":{"N":"0"}}`+"\n(1 row)" {
			t.Errorf("items left: %s", got)
		}
		if got := run(`SHOW scan_policy`); got != `{"scan_policy":{"S":"warn"}}`+"\n(1 row)" {
			t.Errorf("SHOW scan_policy after the statements: %s", got)
		}
	})
}
