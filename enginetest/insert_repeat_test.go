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

// repeatRunner returns a function running SQL in a session on b, and the
// contexts of a plain run and of a migration's rerun (Repeat).
func repeatRunner(t *testing.T, b testbackend.Backend) (run func(context.Context, string) string, bg, repeat context.Context) {
	sess := session.New(testbackend.Client(t, b), session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
	bg = context.Background()
	repeat = executor.WithWriteCheckpoints(bg, executor.WriteCheckpoints{Repeat: true})
	run = func(ctx context.Context, sql string) string {
		t.Helper()
		return strings.TrimSpace(RunScript(ctx, sess, sql, true))
	}
	return run, bg, repeat
}

// TestInsertRepeated runs INSERTs again as a migration's rerun does
// (WriteCheckpoints.Repeat) on every backend: items stored exactly as the
// statement inserts them count as written — one row, several rows, INSERT
// ... SELECT — while an item stored with other values is still a
// duplicate key (23505), and without Repeat every repeat is one.
func TestInsertRepeated(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		run, bg, repeat := repeatRunner(t, b)
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

// TestDDLRepeated runs DDL again as a migration's rerun does: a CREATE
// TABLE finding the table it would create (same keys and indexes) and a
// DROP TABLE or DROP INDEX finding nothing to drop succeed, as the
// interrupted run would have; a table with other keys is still 42P07, and
// outside a rerun nothing changes.
func TestDDLRepeated(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		run, bg, repeat := repeatRunner(t, b)
		table := testbackend.TableName(t, "ddl_repeat")
		t.Cleanup(func() { run(bg, `DROP TABLE IF EXISTS `+table) })
		create := `CREATE TABLE ` + table + ` (pk TEXT, sk NUMBER, g TEXT, PRIMARY KEY (pk, sk), INDEX byG (g) ALL)`
		if got := run(bg, create); got != "CREATE TABLE" {
			t.Fatalf("CREATE TABLE: %s", got)
		}
		if got := run(bg, create); !strings.HasPrefix(got, "ERROR 42P07") {
			t.Errorf("CREATE TABLE again, not a rerun: %s", got)
		}
		if got := run(repeat, create); got != "CREATE TABLE" {
			t.Errorf("CREATE TABLE again in a rerun: %s", got)
		}
		other := `CREATE TABLE ` + table + ` (pk TEXT, PRIMARY KEY (pk))`
		if got := run(repeat, other); !strings.HasPrefix(got, "ERROR 42P07") {
			t.Errorf("CREATE TABLE with other keys in a rerun: %s", got)
		}
		if b.Caps.IndexUpdates {
			if got := run(bg, `DROP INDEX byG ON `+table); got != "DROP INDEX" {
				t.Fatalf("DROP INDEX: %s", got)
			}
			if got := run(bg, `DROP INDEX byG ON `+table); !strings.HasPrefix(got, "ERROR 42704") {
				t.Errorf("DROP INDEX again, not a rerun: %s", got)
			}
			if got := run(repeat, `DROP INDEX byG ON `+table); got != "DROP INDEX" {
				t.Errorf("DROP INDEX again in a rerun: %s", got)
			}
			if got := run(bg, `CREATE INDEX byG ON `+table+` (g TEXT)`); got != "CREATE INDEX" {
				t.Fatalf("CREATE INDEX: %s", got)
			}
			if got := run(repeat, `CREATE INDEX byG ON `+table+` (g TEXT)`); got != "CREATE INDEX" {
				t.Errorf("CREATE INDEX again in a rerun: %s", got)
			}
		}
		if got := run(bg, `DROP TABLE `+table); got != "DROP TABLE" {
			t.Fatalf("DROP TABLE: %s", got)
		}
		if got := run(bg, `DROP TABLE `+table); !strings.HasPrefix(got, "ERROR 42P01") {
			t.Errorf("DROP TABLE again, not a rerun: %s", got)
		}
		if got := run(repeat, `DROP TABLE `+table); got != "DROP TABLE" {
			t.Errorf("DROP TABLE again in a rerun: %s", got)
		}
	})
}
