package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/value"
)

// migrationDir writes files (name → text, with TBL replaced by table)
// into a new directory.
func migrationDir(t *testing.T, table string, files map[string]string) string {
	t.Helper()
	m := map[string]string{}
	for name, text := range files {
		m[name] = strings.ReplaceAll(text, "TBL", table)
	}
	return writeFiles(t, m)
}

// TestMigrate runs `ddbsql migrate` against each backend: apply, status,
// rerun, changed checksum, a failing statement, dry run, down, usage.
func TestMigrate(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		tbl := testbackend.TableName(t, "users")
		hist := testbackend.TableName(t, "hist")
		files := map[string]string{
			"0001_create_users.sql": "-- +up\nCREATE TABLE IF NOT EXISTS TBL (id TEXT, PRIMARY KEY (id));\n-- +down\nDROP TABLE TBL;\n",
			"0002_load.sql": "INSERT INTO TBL (id, n) VALUES ('a', 1), ('b', 2);\nUPSERT INTO TBL (id, n) VALUES ('c', 3);\n" +
				"\\set allow_full_table_write on\nUPDATE TBL SET tag = 'new' WHERE n >= 0;\n",
		}
		dir := migrationDir(t, tbl, files)
		migrate := func(args ...string) result {
			return runCmd(t, "", append([]string{"migrate", "--endpoint", b.Endpoint, "--region", "us-east-1", "--dir", dir, "--table", hist}, args...)...)
		}
		query := func(sql string) string {
			r := runCmd(t, "", "--endpoint", b.Endpoint, "--region", "us-east-1", "-q", "--format", "jsonl", "-c", sql)
			if r.code != 0 {
				t.Fatalf("%s: exit %d %s", sql, r.code, r.stderr)
			}
			return r.stdout
		}

		t.Run("dry run plans and changes nothing", func(t *testing.T) {
			r := migrate("up", "--dry-run")
			if r.code != 0 {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			for _, want := range []string{"-- 0001_create_users.sql: would apply 1 statements",
				"0001_create_users.sql:2: CREATE TABLE IF NOT EXISTS " + tbl, "-- 0002_load.sql: would apply 3 statements",
				"0002_load.sql:3: \\set allow_full_table_write on", "does not exist"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			if out := query("SHOW TABLES"); strings.Contains(out, tbl) || strings.Contains(out, hist) {
				t.Fatalf("dry run created tables:\n%s", out)
			}
		})
		t.Run("up, status, rerun", func(t *testing.T) {
			r := migrate("up")
			if r.code != 0 || !strings.Contains(r.stdout, "applied 0001_create_users.sql") || !strings.Contains(r.stdout, "applied 0002_load.sql") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := query("SELECT id, n, tag FROM " + tbl + " ORDER BY id"); got != "{\"id\":\"a\",\"n\":1,\"tag\":\"new\"}\n{\"id\":\"b\",\"n\":2,\"tag\":\"new\"}\n{\"id\":\"c\",\"n\":3,\"tag\":\"new\"}\n" {
				t.Fatalf("table:\n%s", got)
			}
			r = migrate("status")
			for _, want := range []string{"VERSION  NAME", "0001     create_users  applied", "0002     load          applied", "3/3"} {
				if r.code != 0 || !strings.Contains(r.stdout, want) {
					t.Errorf("status lacks %q: exit %d\n%s%s", want, r.code, r.stdout, r.stderr)
				}
			}
			r = migrate("up")
			if r.code != 0 || strings.TrimSpace(r.stdout) != "no pending migrations" {
				t.Fatalf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			// Now the tables exist, the dry run has plans.
			os.WriteFile(filepath.Join(dir, "0003_more.sql"), []byte("UPDATE "+tbl+" SET n = 5 WHERE id = 'a';\n"), 0o644)
			r = migrate("up", "--dry-run")
			if r.code != 0 || !strings.Contains(r.stdout, "-- 0003_more.sql") || !strings.Contains(r.stdout, "UpdateItem") {
				t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := query("SELECT n FROM " + tbl + " WHERE id = 'a'"); got != "{\"n\":1}\n" {
				t.Fatalf("dry run wrote: %s", got)
			}
			os.Remove(filepath.Join(dir, "0003_more.sql"))
		})
		t.Run("changed checksum", func(t *testing.T) {
			p := filepath.Join(dir, "0002_load.sql")
			orig, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(orig), "('c', 3)", "('c', 4)", 1)), 0o644)
			defer os.WriteFile(p, orig, 0o644)
			r := migrate("up")
			if r.code != 1 || !strings.Contains(r.stderr, p+" changed after it was applied") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = migrate("status")
			if r.code != 1 || !strings.Contains(r.stdout, "0002     load          changed") {
				t.Fatalf("status: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
		t.Run("failing statement stops with file:line, rerun resumes", func(t *testing.T) {
			p := filepath.Join(dir, "0003_fail.sql")
			os.WriteFile(p, []byte("UPSERT INTO "+tbl+" (id, n) VALUES ('d', 4);\n\nINSERT INTO "+tbl+" (id, n) VALUES ('a', 9);\nUPSERT INTO "+tbl+" (id) VALUES ('e');\n"), 0o644)
			r := migrate("up")
			if r.code != 1 || !strings.Contains(r.stderr, p+":3: ERROR:") || !strings.Contains(r.stderr, "statement 2 of 3") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = migrate("status")
			if !strings.Contains(r.stdout, "0003     fail          failed") || !strings.Contains(r.stdout, "1/3") || !strings.Contains(r.stdout, "0003 failed: 0003_fail.sql:3:") {
				t.Fatalf("status:\n%s", r.stdout)
			}
			if got := query("SELECT id FROM " + tbl + " WHERE id IN ('d', 'e') ORDER BY id"); got != "{\"id\":\"d\"}\n" {
				t.Fatalf("after the failure: %s", got)
			}
			// Fixing the failed statement keeps the completed one: resume.
			os.WriteFile(p, []byte("UPSERT INTO "+tbl+" (id, n) VALUES ('d', 4);\n\nUPSERT INTO "+tbl+" (id, n) VALUES ('a', 9);\nUPSERT INTO "+tbl+" (id) VALUES ('e');\n"), 0o644)
			r = migrate("up")
			if r.code != 0 || !strings.Contains(r.stdout, "resuming 0003_fail.sql after statement 1 of 3") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := query("SELECT id, n FROM " + tbl + " WHERE id IN ('a', 'e') ORDER BY id"); got != "{\"id\":\"a\",\"n\":9}\n{\"id\":\"e\"}\n" {
				t.Fatalf("after resuming: %s", got)
			}
		})
		t.Run("down", func(t *testing.T) {
			r := migrate("down")
			if r.code != 1 || !strings.Contains(r.stderr, "0003_fail.sql has no down part") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			os.Remove(filepath.Join(dir, "0003_fail.sql"))
			os.WriteFile(filepath.Join(dir, "0003_fail.sql"), []byte("SELECT 1;\n-- +down\nDELETE FROM "+tbl+" WHERE id = 'e';\n"), 0o644)
			// The up part changed, but down only needs the down part.
			if r := migrate("down"); r.code != 0 || !strings.Contains(r.stdout, "reverted 0003_fail.sql") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			os.Remove(filepath.Join(dir, "0003_fail.sql"))
			if r := migrate("down"); r.code != 1 || !strings.Contains(r.stderr, "no down part") {
				t.Fatalf("0002: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = migrate("status")
			if !strings.Contains(r.stdout, "0002     load          applied") || strings.Contains(r.stdout, "0003") {
				t.Fatalf("status:\n%s", r.stdout)
			}
			if got := query("SELECT id FROM " + tbl + " WHERE id = 'e'"); got != "" {
				t.Fatalf("down left %s", got)
			}
		})
		t.Run("new and usage", func(t *testing.T) {
			r := migrate("new", "Add orders")
			if r.code != 0 || strings.TrimSpace(r.stdout) != filepath.Join(dir, "0003_add_orders.sql") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			os.Remove(filepath.Join(dir, "0003_add_orders.sql"))
			for _, args := range [][]string{{}, {"sideways"}, {"new"}, {"status", "--dry-run"}, {"up", "extra"},
				{"up", "--checkpoint-items", "0"}, {"up", "--checkpoint-interval", "0s"}} {
				if r := migrate(args...); r.code != 2 {
					t.Errorf("%v: exit %d, want 2\n%s", args, r.code, r.stderr)
				}
			}
			if r := runCmd(t, "", "migrate", "--help"); r.code != 0 || !strings.Contains(r.stderr, "4 the lock") || !strings.Contains(r.stderr, "-- +down") {
				t.Errorf("--help: exit %d\n%s", r.code, r.stderr)
			}
			bad := writeFiles(t, map[string]string{"first.sql": "SELECT 1;"})
			if r := runCmd(t, "", "migrate", "--endpoint", b.Endpoint, "--region", "us-east-1", "--dir", bad, "up"); r.code != 2 || !strings.Contains(r.stderr, "VERSION_NAME.sql") {
				t.Errorf("bad file name: exit %d\n%s", r.code, r.stderr)
			}
		})
	})
}

// longMigration is a migration of n statements writing one item each,
// then a set-based UPDATE: long enough to be killed in the middle.
func longMigration(n int) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS TBL (id TEXT, PRIMARY KEY (id));\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "UPSERT INTO TBL (id, n, half) VALUES ('k%04d', %d, %d);\n", i, i, i/2)
	}
	b.WriteString("\\set allow_full_table_write on\nUPDATE TBL SET done = TRUE WHERE n > 0;\n")
	return b.String()
}

// lastStatement reads the progress of version 1 from the history table.
func lastStatement(ctx context.Context, client *dynamodb.Client, hist string) int {
	out, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(hist), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"version": &types.AttributeValueMemberN{Value: "1"}}})
	if err != nil || out.Item == nil {
		return 0
	}
	var n int
	if v, ok := out.Item["last_statement"].(*types.AttributeValueMemberN); ok {
		fmt.Sscan(v.Value, &n)
	}
	return n
}

// TestMigrateKilled kills `migrate up` with SIGKILL in the middle of a long
// migration, runs it again, and compares the table with an uninterrupted
// run's.
func TestMigrateKilled(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		if b.Name == testbackend.Dynalite {
			// dynalite dies when a client is killed while sending a request
			// (an unhandled "aborted" error on its request stream), which
			// would take every later test of this process with it.
			t.Skip("dynalite crashes when a client is killed mid-request; the kill test runs on DynamoDB Local")
		}
		ctx := context.Background()
		client := testbackend.Client(t, b)
		const statements = 400
		conn := []string{"--endpoint", b.Endpoint, "--region", "us-east-1"}

		// The reference: the same migration, uninterrupted.
		ref := testbackend.TableName(t, "ref")
		refDir := migrationDir(t, ref, map[string]string{"0001_long.sql": longMigration(statements)})
		if r := runCmd(t, "", append([]string{"migrate", "up", "-q", "--dir", refDir, "--table", testbackend.TableName(t, "hist")}, conn...)...); r.code != 0 {
			t.Fatalf("reference run: exit %d %s", r.code, r.stderr)
		}

		tbl := testbackend.TableName(t, "killed")
		hist := testbackend.TableName(t, "hist")
		dir := migrationDir(t, tbl, map[string]string{"0001_long.sql": longMigration(statements)})
		args := append([]string{"migrate", "up", "--dir", dir, "--table", hist, "--lock-lease", "15s"}, conn...)
		cmd := exec.Command(ddbsql(t), args...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killedAt := 0
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			if killedAt = lastStatement(ctx, client, hist); killedAt >= 30 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		cmd.Process.Kill() // SIGKILL: no lock release, no final record
		cmd.Wait()
		after := lastStatement(ctx, client, hist)
		t.Logf("killed after statement %d (history: %d of %d)", killedAt, after, statements+2)
		if after >= statements+2 {
			t.Fatalf("the run finished before it was killed; make the migration longer")
		}

		// The killed run's lock is held until its lease expires.
		r := runCmd(t, "", append([]string{"migrate", "up", "--dir", dir, "--table", hist}, conn...)...)
		if r.code != 4 || !strings.Contains(r.stderr, "holds the lock") {
			t.Fatalf("while the lease lasts: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		r = runCmd(t, "", append([]string{"migrate", "up", "--dir", dir, "--table", hist, "--lock-timeout", "60s"}, conn...)...)
		if r.code != 0 || !strings.Contains(r.stdout, "resuming 0001_long.sql after statement") {
			t.Fatalf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		r = runCmd(t, "", append([]string{"migrate", "status", "--dir", dir, "--table", hist}, conn...)...)
		if !strings.Contains(r.stdout, "applied") || !strings.Contains(r.stdout, fmt.Sprintf("%d/%d", statements+2, statements+2)) {
			t.Fatalf("status:\n%s", r.stdout)
		}
		dump := func(table string) string {
			r := runCmd(t, "", append([]string{"-q", "--format", "jsonl", "-c", "SELECT * FROM " + table + " ORDER BY id"}, conn...)...)
			if r.code != 0 {
				t.Fatalf("exit %d %s", r.code, r.stderr)
			}
			return r.stdout
		}
		want, got := dump(ref), dump(tbl)
		if strings.Count(want, "\n") != statements || got != want {
			t.Fatalf("after kill and rerun the table differs from an uninterrupted run's (%d vs %d items)", strings.Count(got, "\n"), strings.Count(want, "\n"))
		}
	})
}

// TestMigrateConcurrent starts two `migrate up` at once: one applies, the
// other exits with status 4 or, with --lock-timeout, waits and finds
// nothing to do.
func TestMigrateConcurrent(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		conn := []string{"--endpoint", b.Endpoint, "--region", "us-east-1"}
		for _, wait := range []string{"0s", "60s"} {
			t.Run("lock-timeout "+wait, func(t *testing.T) {
				tbl := testbackend.TableName(t, "conc")
				hist := testbackend.TableName(t, "hist")
				dir := migrationDir(t, tbl, map[string]string{"0001_long.sql": longMigration(150)})
				args := append([]string{"migrate", "up", "--dir", dir, "--table", hist, "--lock-timeout", wait}, conn...)
				var wg sync.WaitGroup
				results := make([]result, 2)
				for i := range results {
					wg.Add(1)
					go func() {
						defer wg.Done()
						cmd := exec.Command(ddbsql(t), args...)
						var out, errb bytes.Buffer
						cmd.Stdout, cmd.Stderr = &out, &errb
						cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test")
						code := -1
						if err := cmd.Run(); err == nil || cmd.ProcessState != nil {
							code = cmd.ProcessState.ExitCode()
						}
						results[i] = result{out.String(), errb.String(), code}
					}()
				}
				wg.Wait()
				applied, other := 0, 0
				for _, r := range results {
					switch {
					case r.code == 0 && strings.Contains(r.stdout, "applied 0001_long.sql"):
						applied++
					case r.code == 0 && strings.Contains(r.stdout, "no pending migrations"):
						other++
					case r.code == 4 && wait == "0s" && strings.Contains(r.stderr, "another migration run holds the lock"):
						other++
					default:
						t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
					}
				}
				if applied != 1 || other != 1 {
					t.Fatalf("%d applied, %d others: %+v", applied, other, results)
				}
				if strings.Contains(results[0].stdout+results[1].stdout, "resuming") {
					t.Fatal("a runner resumed another's work while it ran")
				}
			})
		}
	})
}

// loadCounters fills table (created here, key id) with n items
// {id: 'kNNNNN', n: i} through BatchWriteItem.
func loadCounters(t *testing.T, ctx context.Context, client *dynamodb.Client, conn []string, table string, n int) {
	t.Helper()
	if r := runCmd(t, "", append([]string{"-q", "-c", "CREATE TABLE " + table + " (id TEXT, PRIMARY KEY (id))"}, conn...)...); r.code != 0 {
		t.Fatalf("create %s: exit %d %s", table, r.code, r.stderr)
	}
	batches := make(chan []types.WriteRequest)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for reqs := range batches {
				for len(reqs) > 0 {
					out, err := client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
					if err != nil {
						errs <- err
						return
					}
					reqs = out.UnprocessedItems[table]
				}
			}
		})
	}
	var reqs []types.WriteRequest
	for i := range n {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
			"id": &types.AttributeValueMemberS{Value: fmt.Sprintf("k%05d", i)},
			"n":  &types.AttributeValueMemberN{Value: fmt.Sprint(i)},
		}}})
		if len(reqs) == 25 || i == n-1 {
			batches <- reqs
			reqs = nil
		}
	}
	close(batches)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatalf("loading %s: %v", table, err)
	default:
	}
}

// scanAll reads every item of table, keyed by id.
func scanAll(t *testing.T, ctx context.Context, client *dynamodb.Client, table string) map[string]map[string]types.AttributeValue {
	t.Helper()
	items := map[string]map[string]types.AttributeValue{}
	var start map[string]types.AttributeValue
	for {
		out, err := client.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table), ExclusiveStartKey: start, ConsistentRead: aws.Bool(true)})
		if err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		for _, it := range out.Items {
			items[it["id"].(*types.AttributeValueMemberS).Value] = it
		}
		if len(out.LastEvaluatedKey) == 0 {
			return items
		}
		start = out.LastEvaluatedKey
	}
}

// checkpointOf reads the checkpoint version 1's record holds: the
// statement it belongs to and the items it had handled (0, 0 when none).
func checkpointOf(ctx context.Context, client *dynamodb.Client, hist string) (statement int, c executor.Checkpoint) {
	out, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(hist), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"version": &types.AttributeValueMemberN{Value: "1"}}})
	if err != nil || out.Item == nil {
		return 0, c
	}
	cp, ok := out.Item["checkpoint"].(*types.AttributeValueMemberS)
	if !ok {
		return 0, c
	}
	if json.Unmarshal([]byte(cp.Value), &c) != nil {
		return 0, c
	}
	fmt.Sscan(out.Item["checkpoint_statement"].(*types.AttributeValueMemberN).Value, &statement)
	return statement, c
}

// killAfterCheckpoint starts `ddbsql args...` (a migrate up), waits until
// the checkpoint recorded in the history table hist is one ready accepts
// (what names it in errors), and kills the run with SIGKILL — no lock
// release, no final record — after a further random delay of up to 300 ms.
func killAfterCheckpoint(t *testing.T, ctx context.Context, client *dynamodb.Client, hist string, args []string, what string, ready func(statement int, cp executor.Checkpoint) bool) {
	t.Helper()
	cmd := exec.Command(ddbsql(t), args...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(60 * time.Second); ; {
		select {
		case err := <-exited:
			t.Fatalf("the run ended (%v) before it was killed at a checkpoint of %s; give it more to do\n%s", err, what, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			t.Fatalf("no checkpoint of %s within 60 s\n%s", what, out.String())
		}
		if ready(checkpointOf(ctx, client, hist)) {
			break
		}
	}
	time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
	cmd.Process.Kill()
	<-exited
}

// TestMigrateKilledMidStatement kills `migrate up` with SIGKILL in the
// middle of a set-based UPDATE whose SET is not idempotent (n = n + 1, and
// a WHERE the update leaves true), again while that UPDATE removes the
// marks it stamped its items with, and again in the middle of an INSERT
// ... SELECT backfill, each time at a random point after a checkpoint,
// reruns it, and checks the tables hold what an uninterrupted run writes:
// every counter incremented exactly once, no mark left, every item copied.
func TestMigrateKilledMidStatement(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		if b.Name == testbackend.Dynalite {
			// As in TestMigrateKilled: dynalite dies when a client is
			// killed while sending a request.
			t.Skip("dynalite crashes when a client is killed mid-request; the kill test runs on DynamoDB Local and the engine")
		}
		ctx := context.Background()
		client := testbackend.Client(t, b)
		conn := []string{"--endpoint", b.Endpoint, "--region", "us-east-1"}
		// Enough items that each kill lands mid-statement; DynamoDB Local
		// writes a few hundred items a second on a small machine, so it gets
		// fewer.
		items := 20000
		if b.Name == testbackend.DynamoDBLocal {
			items = 8000
		}
		src, dst := testbackend.TableName(t, "src"), testbackend.TableName(t, "dst")
		hist := testbackend.TableName(t, "hist")
		loadCounters(t, ctx, client, conn, src, items)
		dir := writeFiles(t, map[string]string{"0001_backfill.sql": strings.NewReplacer("SRC", src, "DST", dst).Replace(
			"CREATE TABLE IF NOT EXISTS DST (id TEXT, PRIMARY KEY (id));\n" +
				"UPDATE SRC SET n = n + 1, migrated = true WHERE n >= 0;\n" +
				"INSERT INTO DST SELECT * FROM SRC;\n")})
		args := append([]string{"migrate", "up", "--dir", dir, "--table", hist, "--lock-lease", "2s", "--lock-timeout", "60s",
			"--checkpoint-items", "1000", "--checkpoint-interval", "1s"}, conn...)

		// killAt starts a run and kills it once a checkpoint of statement
		// has handled at least `after` items (or, with unmarking, says the
		// statement is removing its marks), plus a random delay.
		killAt := func(statement int, after int64, unmarking bool) {
			t.Helper()
			killAfterCheckpoint(t, ctx, client, hist, args, fmt.Sprintf("statement %d with %d items", statement, after),
				func(st int, cp executor.Checkpoint) bool {
					return st == statement && cp.Matched >= after && cp.Unmarking == unmarking
				})
			st, cp := checkpointOf(ctx, client, hist)
			t.Logf("killed in statement %d after its checkpoint at %d items (removing marks: %v)", st, cp.Matched, cp.Unmarking)
			status := runCmd(t, "", append([]string{"migrate", "status", "--dir", dir, "--table", hist}, conn...)...)
			if want := fmt.Sprintf("0001 statement %d of 3 stopped at a checkpoint: ", st); !strings.Contains(status.stdout, want) {
				t.Errorf("migrate status after the kill lacks %q:\n%s%s", want, status.stdout, status.stderr)
			}
			if want := "every item was updated; migrate up removes the marks"; cp.Unmarking != strings.Contains(status.stdout, want) {
				t.Errorf("migrate status after a kill with unmarking = %v: %q is not where it belongs:\n%s", cp.Unmarking, want, status.stdout)
			}
		}

		killAt(2, int64(1000+rand.IntN(items/2)), false)
		killAt(2, int64(items), true)
		killAt(3, int64(1000+rand.IntN(items/2)), false)
		r := runCmd(t, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "resuming statement 3 of 3 from a checkpoint") {
			t.Fatalf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}

		// What an uninterrupted run writes: n + 1 and migrated on every
		// item of SRC, and DST a copy of SRC.
		gotSrc, gotDst := scanAll(t, ctx, client, src), scanAll(t, ctx, client, dst)
		if len(gotSrc) != items || len(gotDst) != items {
			t.Fatalf("%d items in src, %d in dst; want %d each", len(gotSrc), len(gotDst), items)
		}
		bad := 0
		for i := range items {
			id := fmt.Sprintf("k%05d", i)
			want := map[string]types.AttributeValue{
				"id": &types.AttributeValueMemberS{Value: id}, "n": &types.AttributeValueMemberN{Value: fmt.Sprint(i + 1)},
				"migrated": &types.AttributeValueMemberBOOL{Value: true},
			}
			for name, it := range map[string]map[string]types.AttributeValue{"src": gotSrc[id], "dst": gotDst[id]} {
				if !value.Equal(&types.AttributeValueMemberM{Value: it}, &types.AttributeValueMemberM{Value: want}) {
					if bad++; bad <= 5 {
						t.Errorf("%s %s = %v, want n=%d migrated=true", name, id, it, i+1)
					}
				}
			}
		}
		if bad > 0 {
			t.Fatalf("%d items differ from an uninterrupted run's", bad)
		}
	})
}

// TestMigrateKilledDuringCopy kills `migrate up` with SIGKILL while a COPY
// FROM a CSV file loads a table, at a random point after a checkpoint,
// reruns it, and checks the table holds every row once: the rerun resumes
// the COPY after the records its checkpoint covers and counts the items
// the killed run stored after it as written instead of failing on them
// with 23505.
func TestMigrateKilledDuringCopy(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		if b.Name == testbackend.Dynalite {
			t.Skip("dynalite crashes when a client is killed mid-request; the kill test runs on DynamoDB Local and the engine")
		}
		ctx := context.Background()
		client := testbackend.Client(t, b)
		conn := []string{"--endpoint", b.Endpoint, "--region", "us-east-1"}
		rows := 30000
		if b.Name == testbackend.DynamoDBLocal {
			rows = 8000
		}
		table, hist := testbackend.TableName(t, "loaded"), testbackend.TableName(t, "hist")
		var csv strings.Builder
		csv.WriteString("id,n\n")
		for i := range rows {
			fmt.Fprintf(&csv, "k%05d,%d\n", i, i)
		}
		dir := writeFiles(t, map[string]string{"data.csv": csv.String()})
		files := map[string]string{"0001_load.sql": "CREATE TABLE IF NOT EXISTS " + table + " (id TEXT, PRIMARY KEY (id));\n" +
			"COPY " + table + " FROM '" + filepath.Join(dir, "data.csv") + "' (FORMAT csv, HEADER);\n" +
			"INSERT INTO " + table + " (id, n) VALUES ('extra1', -1), ('extra2', -2);\n"}
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		args := append([]string{"migrate", "up", "--dir", dir, "--table", hist, "--lock-lease", "2s", "--lock-timeout", "60s",
			"--checkpoint-items", "1000", "--checkpoint-interval", "1s"}, conn...)
		killAfterCheckpoint(t, ctx, client, hist, args, "the COPY with 2,000 rows",
			func(st int, cp executor.Checkpoint) bool { return st == 2 && cp.Matched >= 2000 })
		loaded := len(scanAll(t, ctx, client, table))
		t.Logf("killed with %d of %d rows loaded", loaded, rows)

		r := runCmd(t, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "resuming statement 2 of 3 from a checkpoint") {
			t.Fatalf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		got := scanAll(t, ctx, client, table)
		if len(got) != rows+2 {
			t.Fatalf("%d items, want %d", len(got), rows+2)
		}
		for i := range rows {
			id := fmt.Sprintf("k%05d", i)
			if n, ok := got[id]["n"].(*types.AttributeValueMemberN); !ok || n.Value != fmt.Sprint(i) {
				t.Fatalf("%s = %v, want n = %d", id, got[id], i)
			}
		}
		if got["extra2"] == nil {
			t.Error("the INSERT after the COPY did not run")
		}
	})
}
