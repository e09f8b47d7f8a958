package enginetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// TestMarkedUpdateRepeatsSafely runs UPDATE ... SET n = n + 1 with a mark
// (as the migration runner does) on every backend, as a run after one that
// died part way: items the earlier run updated carry its mark and are not
// updated again, every other item is, and no item keeps the mark. Once
// every item is updated the statement reports a checkpoint that says so,
// and resumed from that checkpoint it only removes the marks. Both a Query
// (WHERE on the partition key) and a Scan are covered.
func TestMarkedUpdateRepeatsSafely(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		sess := session.New(testbackend.Client(t, b), session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
		run := func(ctx context.Context, sql string) string {
			t.Helper()
			return strings.TrimSpace(RunScript(ctx, sess, sql, true))
		}
		bg := context.Background()
		table := testbackend.TableName(t, "marked")
		if got := run(bg, `CREATE TABLE `+table+` (pk TEXT, sk NUMBER, PRIMARY KEY (pk, sk))`); got != "CREATE TABLE" {
			t.Fatalf("CREATE TABLE: %s", got)
		}
		t.Cleanup(func() { run(bg, `DROP TABLE IF EXISTS `+table) })
		// 30 items in each of partitions a and b, n = sk; the earlier run
		// updated sk < 10 of each partition: n = sk + 1 and the mark.
		var rows []string
		for _, pk := range []string{"a", "b"} {
			for i := range 30 {
				if i < 10 {
					rows = append(rows, fmt.Sprintf(`{'pk': '%s', 'sk': %d, 'n': %d, '%s': 'm1'}`, pk, i, i+1, executor.MarkAttribute))
				} else {
					rows = append(rows, fmt.Sprintf(`{'pk': '%s', 'sk': %d, 'n': %d}`, pk, i, i))
				}
			}
		}
		for _, r := range rows {
			if got := run(bg, `INSERT INTO `+table+` VALUE `+r); got != "INSERT 0 1" {
				t.Fatalf("INSERT %s: %s", r, got)
			}
		}
		var updated []executor.Checkpoint
		marked := func(mark string, resume *executor.Checkpoint) context.Context {
			return executor.WithWriteCheckpoints(bg, executor.WriteCheckpoints{Mark: mark, Resume: resume,
				OnCheckpoint: func(executor.Checkpoint) {},
				OnUpdated:    func(cp executor.Checkpoint) error { updated = append(updated, cp); return nil }})
		}
		check := func(what, where string, want func(sk int) int) {
			t.Helper()
			// A Query of one partition, in sort-key order.
			got := strings.TrimSpace(RunScript(bg, sess, `SELECT sk, n, "`+executor.MarkAttribute+`" AS mark FROM `+table+` WHERE `+where+` WITH (consistent_read = on)`, false))
			var lines []string
			for sk := range 30 {
				lines = append(lines, fmt.Sprintf(`{"sk":{"N":"%d"},"n":{"N":"%d"}}`, sk, want(sk)))
			}
			if w := strings.Join(lines, "\n") + "\n(30 rows)"; got != w {
				t.Errorf("%s: items\n%s\nwant\n%s", what, got, w)
			}
		}

		// The Query: partition a, mark m1. 10 items counted from their mark, 20
		// updated.
		if got := run(marked("m1", nil), `UPDATE `+table+` SET n = n + 1 WHERE pk = 'a' AND n >= 0`); got != "UPDATE 30" {
			t.Errorf("marked UPDATE of partition a: %s", got)
		}
		check("partition a", `pk = 'a'`, func(sk int) int { return sk + 1 })
		if len(updated) != 1 || !updated[0].Unmarking || updated[0].Matched != 30 || updated[0].Written != 30 || updated[0].Table != table {
			t.Errorf("checkpoints once every item was updated: %+v", updated)
		}

		// Partition b, resumed from the checkpoint taken once every item was
		// updated: the marks go, nothing else changes. (The 20 unmarked
		// items of b stay as they are: the checkpoint says every item was
		// updated.)
		updated = nil
		cp := &executor.Checkpoint{Table: table, Path: "query", Unmarking: true, Matched: 30, Written: 30}
		if got := run(marked("m1", cp), `UPDATE `+table+` SET n = n + 1 WHERE pk = 'b' AND n >= 0`); got != "NOTICE: resumed from a checkpoint: 30 items had been updated by the interrupted run (included in the count)\nUPDATE 30" {
			t.Errorf("UPDATE of partition b resumed to remove its marks: %s", got)
		}
		check("partition b after the removal of the marks", `pk = 'b'`, func(sk int) int {
			if sk < 10 {
				return sk + 1
			}
			return sk
		})
		if len(updated) != 0 {
			t.Errorf("a resumed removal reported %+v", updated)
		}

		// A Scan of both partitions under another mark: every item once more,
		// none skipped for a mark of another statement — such as one an
		// abandoned run of an earlier text left — and that mark goes too.
		if got := run(bg, `UPDATE `+table+` SET "`+executor.MarkAttribute+`" = 'm0' WHERE pk = 'a' AND sk = 29`); got != "UPDATE 1" {
			t.Fatalf("leaving a stale mark: %s", got)
		}
		if got := run(marked("m2", nil), `UPDATE `+table+` SET n = n + 1 WHERE n >= 0`); got != "UPDATE 60" {
			t.Errorf("marked UPDATE by a Scan: %s", got)
		}
		check("partition a after the Scan", `pk = 'a'`, func(sk int) int { return sk + 2 })
		check("partition b after the Scan", `pk = 'b'`, func(sk int) int {
			if sk < 10 {
				return sk + 2
			}
			return sk + 1
		})

		// The mark is one attribute more in the UpdateItem: an UPDATE that
		// also removes and adds keeps working.
		if got := run(marked("m3", nil), `UPDATE `+table+` SET n = n - 1 SET tags = set_add(tags, <<'x'>>) REMOVE gone WHERE pk = 'a' AND sk < 5`); got != "UPDATE 5" {
			t.Errorf("marked UPDATE with SET, ADD and REMOVE: %s", got)
		}
		// Keys: BatchGetItem reads them, and the removal reads them again.
		if got := run(marked("m4", nil), `UPDATE `+table+` SET n = n + 10 WHERE pk = 'b' AND sk IN (1, 2)`); got != "UPDATE 2" {
			t.Errorf("marked UPDATE of two keys: %s", got)
		}
		check("partition b after the update of two keys", `pk = 'b'`, func(sk int) int {
			switch {
			case sk == 1 || sk == 2:
				return sk + 12
			case sk < 10:
				return sk + 2
			}
			return sk + 1
		})
		if got := run(bg, `SELECT count(*) AS c FROM `+table+` WHERE "`+executor.MarkAttribute+`" IS NOT MISSING WITH (consistent_read = on)`); got != `{"c":{"N":"0"}}`+"\n(1 row)" {
			t.Errorf("items still marked: %s", got)
		}

		// mark_updates = off: no marks, no second pass — an item carrying the
		// statement's mark is updated again, and its mark stays.
		if got := run(bg, `UPDATE `+table+` SET "`+executor.MarkAttribute+`" = 'm5' WHERE pk = 'a' AND sk = 0`); got != "UPDATE 1" {
			t.Fatalf("marking an item: %s", got)
		}
		if got := run(marked("m5", nil), `UPDATE `+table+` SET n = n + 100 WHERE pk = 'a' AND sk = 0 WITH (mark_updates = off)`); got != "UPDATE 1" {
			t.Errorf("UPDATE with mark_updates = off: %s", got)
		}
		if got := run(bg, `SELECT n, "`+executor.MarkAttribute+`" AS mark FROM `+table+` WHERE pk = 'a' AND sk = 0`); got != `{"n":{"N":"101"},"mark":{"S":"m5"}}`+"\n(1 row)" {
			t.Errorf("after an UPDATE with mark_updates = off: %s", got)
		}
	})
}
