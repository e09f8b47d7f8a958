package enginetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// TestWriteCapacityBudget runs writes under a write_capacity budget on
// every backend, with the capacity each write consumed as the backend
// reports it. The executor's clock is a fake whose sleeps only add up, so
// the pacing is checked exactly, without waiting: a statement that
// consumes U units under a budget of r units per second, the bucket full
// (r) at the start, waits (U - r) / r seconds in all. Small items cost one
// unit per UpdateItem or PutItem and two per transactional put (INSERT's
// TransactWriteItems groups, which shrink so that a group fits a second of
// budget); dynalite, without transactions, puts one item at a time, and
// DynamoDB Local reports less for a transaction (below).
// Writes go one at a time: concurrent sleeps would each advance the fake
// clock, where real ones overlap.
func TestWriteCapacityBudget(t *testing.T) {
	const items = 60
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		clock := &testbackend.FakeClock{}
		sess := session.New(testbackend.Client(t, b), session.Config{
			Planner:  planner.Options{ScanPolicy: planner.ScanAllow},
			Executor: executor.Options{Clock: clock, Concurrency: 1},
		})
		run := func(sql string) string {
			t.Helper()
			return strings.TrimSpace(RunScript(context.Background(), sess, sql, true))
		}
		// waited checks the time the statements since the last check
		// waited for the budget: want, give or take the 1 ms a wait lasts
		// at least, times the number of waits.
		waited := func(what string, want time.Duration) {
			t.Helper()
			slept, naps := clock.Slept()
			clock.Reset()
			if slept < want || slept > want+time.Duration(naps+1)*time.Millisecond {
				t.Errorf("%s waited %v for the budget in %d waits, want %v", what, slept, naps, want)
			}
		}
		src, dst := testbackend.TableName(t, "budget_src"), testbackend.TableName(t, "budget_dst")
		for _, name := range []string{src, dst} {
			if got := run(`CREATE TABLE ` + name + ` (id TEXT, PRIMARY KEY (id))`); got != "CREATE TABLE" {
				t.Fatalf("CREATE TABLE: %s", got)
			}
			t.Cleanup(func() { run(`DROP TABLE IF EXISTS ` + name) })
		}
		var rows []string
		for i := range items {
			rows = append(rows, fmt.Sprintf("('k%02d', %d)", i, i))
		}
		if got := run(`UPSERT INTO ` + src + ` (id, n) VALUES ` + strings.Join(rows, ", ")); got != fmt.Sprintf("INSERT 0 %d", items) {
			t.Fatalf("UPSERT: %s", got)
		}
		waited("UPSERT without a budget", 0)

		// The session's budget: 60 UpdateItems of one unit at 10 units/s.
		if got := run(`SET write_capacity = 10`); got != "SET" {
			t.Fatalf("SET write_capacity: %s", got)
		}
		if got := run(`UPDATE ` + src + ` SET m = n + 1 WHERE n >= 0`); got != fmt.Sprintf("UPDATE %d", items) {
			t.Fatalf("UPDATE under the session's budget: %s", got)
		}
		waited("UPDATE at 10 units/s", 5*time.Second)

		// A statement's own budget replaces the session's: INSERT ... SELECT at
		// 20 units/s, in groups of at most 10 transactional puts.
		want := 5 * time.Second // 60 × 2 units, 20 at once
		switch b.Name {
		case testbackend.Dynalite:
			want = 2 * time.Second // 60 × 1 unit
		case testbackend.DynamoDBLocal:
			// DynamoDB Local reports a transaction's capacity per table from
			// the size of its puts together, 2 units for ten small items
			// (DynamoDB charges 2 per item: 20): each group reserves 20
			// units, gets 18 back, and the next one waits for 2.
			want = 500 * time.Millisecond
		}
		if got := run(`INSERT INTO ` + dst + ` SELECT id, n, m FROM ` + src + ` WITH (write_capacity = 20)`); got != fmt.Sprintf("INSERT 0 %d", items) {
			t.Fatalf("INSERT ... SELECT with its own budget: %s", got)
		}
		waited("INSERT ... SELECT at 20 units/s", want)
		if got := run(`SELECT count(*) AS n, sum(m) AS m FROM ` + dst + ` WITH (consistent_read = on)`); got != `{"n":{"N":"60"},"m":{"N":"1830"}}`+"\n(1 row)" {
			t.Errorf("items copied: %s", got)
		}

		// A statement lifting the limit does not wait; the session's budget is
		// still 10 afterwards.
		if got := run(`DELETE FROM ` + dst + ` WHERE n < 30 WITH (write_capacity = 0)`); got != "DELETE 30" {
			t.Fatalf("DELETE without a budget: %s", got)
		}
		waited("DELETE with write_capacity = 0 in its clause", 0)
		if got := run(`DELETE FROM ` + dst + ` WHERE n >= 30`); got != "DELETE 30" {
			t.Fatalf("DELETE under the session's budget: %s", got)
		}
		waited("DELETE at 10 units/s", 2*time.Second)
	})
}
