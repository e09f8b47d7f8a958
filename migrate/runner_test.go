package migrate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

func TestMain(m *testing.M) { testbackend.Main(m) }

// TestLock: one holder at a time, a lease that is renewed while held and
// expires when its holder stops, release.
func TestLock(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		ctx := context.Background()
		client := testbackend.Client(t, b)
		h := &history{api: client, table: testbackend.TableName(t, "hist")}
		if err := h.ensure(ctx, session.New(client, session.Config{})); err != nil {
			t.Fatal(err)
		}
		lease := 4 * time.Second // long enough that a loaded machine renews in time
		a := &lock{api: client, table: h.table, owner: "a", lease: lease}
		bl := &lock{api: client, table: h.table, owner: "b", lease: lease}
		if err := a.acquire(ctx, 0, func(err error) { t.Errorf("a lost the lock: %v", err) }); err != nil {
			t.Fatal(err)
		}
		// Held and renewed: b cannot take it, even after several leases.
		err := bl.acquire(ctx, 3*lease, nil)
		var le *LockedError
		if !errors.As(err, &le) || le.Owner != "a" {
			t.Fatalf("b took a held lock: %v", err)
		}
		if err := a.release(ctx); err != nil {
			t.Fatal(err)
		}
		if err := bl.acquire(ctx, 0, func(error) {}); err != nil {
			t.Fatalf("b after a released: %v", err)
		}
		// b stops renewing (as a killed process does): its lease expires.
		close(bl.stop)
		bl.done.Wait()
		bl.stop = nil
		start := time.Now()
		if err := a.acquire(ctx, 10*lease, func(error) {}); err != nil {
			t.Fatalf("a after b's lease expired: %v", err)
		}
		if waited := time.Since(start); waited < lease/2 {
			t.Errorf("a took the lock after %s, before b's lease (%s) expired", waited, lease)
		}
		// b's late release does not remove a's lock.
		if err := bl.release(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := bl.tryAcquire(ctx); ok {
			t.Fatal("b's release removed a's lock")
		}
		a.release(ctx)
	})
}

// TestRunner applies, resumes after a failure, reports status and reverts,
// in process.
func TestRunner(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		ctx := context.Background()
		client := testbackend.Client(t, b)
		tbl := testbackend.TableName(t, "items")
		dir := t.TempDir()
		write := func(name, text string) {
			os.WriteFile(filepath.Join(dir, name), []byte(strings.ReplaceAll(text, "TBL", tbl)), 0o644)
		}
		write("0001_create.sql", "CREATE TABLE IF NOT EXISTS TBL (id TEXT, PRIMARY KEY (id));\n-- +down\nDROP TABLE TBL;\n")
		write("0002_fill.sql", "UPSERT INTO TBL (id, n) VALUES ('a', 1);\nUPSERT INTO TBL (id, n) VALUES ('b', 2);\nUPDATE TBL SET n = 'x' + 1 WHERE id = 'a';\n")
		r := &Runner{Session: session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}}),
			API: client, Dir: dir, Table: testbackend.TableName(t, "hist")}
		n, err := r.Up(ctx)
		var se *StatementError
		if !errors.As(err, &se) || se.Index != 3 || se.Chunk.Pos.Line != 3 || n != 1 {
			t.Fatalf("applied %d, err %v", n, err)
		}
		states, err := r.Status(ctx)
		if err != nil || len(states) != 2 || states[0].State != "applied" || states[1].State != "failed" || states[1].Record.LastStatement != 2 {
			t.Fatalf("%+v %v", states, err)
		}
		write("0002_fill.sql", "UPSERT INTO TBL (id, n) VALUES ('a', 1);\nUPSERT INTO TBL (id, n) VALUES ('b', 2);\nUPDATE TBL SET n = 10 WHERE id = 'a';\n")
		if n, err := r.Up(ctx); err != nil || n != 1 {
			t.Fatalf("resume: %d %v", n, err)
		}
		if n, err := r.Up(ctx); err != nil || n != 0 {
			t.Fatalf("rerun: %d %v", n, err)
		}
		if v, err := r.Down(ctx); err == nil || v != 0 || !strings.Contains(err.Error(), "no down part") {
			t.Fatalf("down without a down part: %d %v", v, err)
		}
		write("0002_fill.sql", "UPSERT INTO TBL (id, n) VALUES ('a', 1);\nUPSERT INTO TBL (id, n) VALUES ('b', 2);\nUPDATE TBL SET n = 10 WHERE id = 'a';\n-- +down\nDELETE FROM TBL WHERE id = 'a';\nDELETE FROM TBL WHERE id = 'b';\n")
		if v, err := r.Down(ctx); err != nil || v != 2 {
			t.Fatalf("down: %d %v", v, err)
		}
		states, _ = r.Status(ctx)
		if states[1].State != "pending" {
			t.Fatalf("after down: %+v", states[1])
		}
	})
}
