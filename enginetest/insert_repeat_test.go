package enginetest

import (
	"context"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// TestInsertRepeated runs INSERTs again as a migration's rerun does
// (WriteCheckpoints.Repeat) on every backend: items stored exactly as the
// statement inserts them count as written — one row, several rows, INSERT
// ... SELECT — while an item stored with other values is still a
// duplicate key (23505), and without Repeat every repeat is one.
func TestInsertRepeated(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		sess := session.New(testbackend.Client(t, b), session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
		bg := context.Background()
		repeat := executor.WithWriteCheckpoints(bg, executor.WriteCheckpoints{Repeat: true})
		run := func(ctx context.Context, sql string) string {
			t.Helper()
			return strings.TrimSpace(RunScript(ctx, sess, sql, true))
		}
		src, dst := testbackend.TableName(t, "repeat_src"), testbackend.TableName(t, "repeat_dst")
		for _, table := range []string{src, dst} {
			if got := run(bg, `CREATE TABLE `+table+` (id TEXT, PRIMARY KEY (id))`); got != "CREATE TABLE" {
				t.Fatalf("CREATE TABLE: %s", got)
			}
			t.Cleanup(func() { run(bg, `DROP TABLE IF EXISTS `+table) })
		}
		for _, c := range []struct{ sql, first, again string }{
			{`INSERT INTO ` + src + ` VALUE {'id': 'one', 'n': 1}`, "INSERT 0 1", "INSERT 0 1"},
			{`INSERT INTO ` + src + ` (id, n) VALUES ('a', 1), ('b', 2), ('c', 3)`, "INSERT 0 3", "INSERT 0 3"},
			{`INSERT INTO ` + dst + ` SELECT * FROM ` + src, "INSERT 0 4", "INSERT 0 4"},
		} {
			if got := run(bg, c.sql); got != c.first {
				t.Fatalf("%s: %s, want %s", c.sql, got, c.first)
			}
			if got := run(bg, c.sql); !strings.HasPrefix(got, "ERROR 23505") {
				t.Errorf("%s again, not a rerun: %s, want 23505", c.sql, got)
			}
			if got := run(repeat, c.sql); got != c.again {
				t.Errorf("%s again in a rerun: %s, want %s", c.sql, got, c.again)
			}
		}
		// An item stored with other values is not the statement's own.
		if got := run(repeat, `INSERT INTO `+src+` (id, n) VALUES ('a', 1), ('b', 20)`); !strings.HasPrefix(got, "ERROR 23505: duplicate key: an item with key {id='b'} already exists") {
			t.Errorf("a different item in a rerun: %s, want 23505 for b", got)
		}
		if got := run(repeat, `INSERT INTO `+src+` VALUE {'id': 'one', 'n': 2}`); !strings.HasPrefix(got, "ERROR 23505") {
			t.Errorf("a different single item in a rerun: %s, want 23505", got)
		}
	})
}
