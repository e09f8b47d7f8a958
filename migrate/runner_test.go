package migrate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
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

// TestRunnerTransactions: the statements of a BEGIN ... COMMIT block are
// recorded together when it ends, so a statement failing inside it makes
// the rerun start again at BEGIN (nothing of the block was applied); a
// rerun whose COMMIT an interrupted run applied without recording it sends
// the same ClientRequestToken and is not applied twice; a file ending
// inside a transaction is an error.
func TestRunnerTransactions(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		b.Require(t, testbackend.Capabilities{Transactions: true})
		ctx := context.Background()
		client := testbackend.Client(t, b)
		tbl := testbackend.TableName(t, "items")
		dir := t.TempDir()
		write := func(name, text string) {
			os.WriteFile(filepath.Join(dir, name), []byte(strings.ReplaceAll(text, "TBL", tbl)), 0o644)
		}
		const head = "CREATE TABLE IF NOT EXISTS TBL (id TEXT, PRIMARY KEY (id));\nUPSERT INTO TBL (id, n) VALUES ('c', 0);\nBEGIN;\nINSERT INTO TBL VALUE {'id': 'a', 'n': 1};\n"
		const tail = "UPDATE TBL SET n = n + 1 WHERE id = 'c';\nCOMMIT;\n"
		write("0001_tx.sql", head+"INSERT INTO TBL VALUE {'id': 'a', 'n': 1};\n"+tail)
		sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
		r := &Runner{Session: sess, API: client, Dir: dir, Table: testbackend.TableName(t, "hist")}
		_, err := r.Up(ctx)
		var se *StatementError
		if !errors.As(err, &se) || se.Index != 5 || se.Done != 2 {
			t.Fatalf("a statement refused inside the transaction: %+v", err)
		}
		if sess.InTransaction() {
			t.Error("the session's transaction is still open after the failed run")
		}
		states, err := r.Status(ctx)
		if err != nil || states[0].State != "failed" || states[0].Record.LastStatement != 2 {
			t.Fatalf("status after the failure: %+v %v", states, err)
		}
		count := func(id string) string {
			t.Helper()
			out, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), ConsistentRead: aws.Bool(true),
				Key: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}})
			if err != nil {
				t.Fatal(err)
			}
			if out.Item == nil {
				return "-"
			}
			return out.Item["n"].(*types.AttributeValueMemberN).Value
		}
		if got := count("a"); got != "-" {
			t.Fatalf("a = %s after the failed transaction, want no item", got)
		}

		// Fixed, the rerun starts again at BEGIN: a, b and c's increment.
		write("0001_tx.sql", head+"INSERT INTO TBL VALUE {'id': 'b', 'n': 2};\n"+tail)
		if n, err := r.Up(ctx); err != nil || n != 1 {
			t.Fatalf("rerun: %d %v", n, err)
		}
		if a, bb, c := count("a"), count("b"), count("c"); a != "1" || bb != "2" || c != "1" {
			t.Fatalf("a, b, c = %s, %s, %s; want 1, 2, 1", a, bb, c)
		}

		// As if the run had died after its COMMIT was applied, before the
		// record: the rerun's COMMIT repeats the token and applies nothing.
		h := r.history()
		recs, _, err := h.read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		rec := recs[1]
		rec.Status, rec.LastStatement, rec.DoneChecksum = Failed, 2, ms[0].Up.prefixChecksum(2)
		if err := h.put(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if n, err := r.Up(ctx); err != nil || n != 1 {
			t.Fatalf("rerun of an applied COMMIT: %d %v", n, err)
		}
		if a, bb, c := count("a"), count("b"), count("c"); a != "1" || bb != "2" || c != "1" {
			t.Fatalf("after the repeated COMMIT a, b, c = %s, %s, %s; want 1, 2, 1 (applied once)", a, bb, c)
		}

		// A file that ends inside a transaction.
		write("0002_open.sql", "BEGIN;\nUPDATE TBL SET n = 5 WHERE id = 'a';\n")
		_, err = r.Up(ctx)
		if !errors.As(err, &se) || se.Index != 1 || sqlerr.Code(se.Err) != sqlerr.InvalidTransactionState {
			t.Fatalf("a file ending inside a transaction: %v", err)
		}
		if got := count("a"); got != "1" {
			t.Errorf("a = %s after the unfinished transaction, want 1", got)
		}
	})
}
