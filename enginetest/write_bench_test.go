package enginetest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// benchItemsEnv sets the size of the tables the write benchmarks copy
// (default 5000), e.g. DDBSQL_BENCH_WRITE_ITEMS=100000.
const benchItemsEnv = "DDBSQL_BENCH_WRITE_ITEMS"

func writeBenchItems(b *testing.B) int {
	v := os.Getenv(benchItemsEnv)
	if v == "" {
		return 5000
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a number of items", benchItemsEnv, v)
	}
	return n
}

// BenchmarkWrites compares, on each backend, copying the items of a table
// with one UPSERT ... SELECT (BatchWriteItem, concurrent) and one INSERT ...
// SELECT (conditional PutItems, concurrent) against a loop of one PutItem
// per row, and measures a set-based UPDATE over a parallel scan.
//
// Reading the figures: INSERT ... SELECT makes one conditional PutItem per
// item, as the loop does, so it costs the same CPU per item in the client
// (signing, HTTP, JSON) and in the server; it gains on the loop only by
// overlapping round trips, which needs idle cores. On a machine whose cores
// are busy (client and server on two shared cores) the two run at about
// the same rate. UPSERT ... SELECT sends 25 items per call and needs several
// times less CPU per item, which is what its speed-up measures.
// Run: go test ./enginetest -run '^$' -bench Writes -benchtime 1x
// (with DDBSQL_BENCH_WRITE_ITEMS=100000 for the large figures).
func BenchmarkWrites(b *testing.B) {
	for _, be := range testbackend.All(b) {
		b.Run(be.Name, func(b *testing.B) {
			benchWrites(b, testbackend.Client(b, be))
		})
	}
}

// benchLatencyEnv sets the round trip BenchmarkWritesOverLatency adds to
// every call (default 5ms).
const benchLatencyEnv = "DDBSQL_BENCH_LATENCY"

// BenchmarkWritesOverLatency runs BenchmarkWrites' measures through a proxy
// that holds every call back by a network round trip (DDBSQL_BENCH_LATENCY,
// default 5ms — DynamoDB's latency seen from a client in its region is a
// few milliseconds). Local backends answer in well under a millisecond and
// are bound by CPU on a small machine, where sending 100 items per call
// saves only the per-call work; against a remote service the calls' round
// trips dominate, and this benchmark shows what batching and concurrency
// gain there.
func BenchmarkWritesOverLatency(b *testing.B) {
	delay := 5 * time.Millisecond
	if v := os.Getenv(benchLatencyEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("%s=%q: want a duration", benchLatencyEnv, v)
		}
		delay = d
	}
	for _, be := range testbackend.All(b) {
		b.Run(be.Name, func(b *testing.B) {
			target, err := url.Parse(be.Endpoint)
			if err != nil {
				b.Fatal(err)
			}
			proxy := httputil.NewSingleHostReverseProxy(target)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				time.Sleep(delay)
				proxy.ServeHTTP(w, r)
			}))
			b.Cleanup(srv.Close)
			b.Setenv("AWS_ACCESS_KEY_ID", "test")
			b.Setenv("AWS_SECRET_ACCESS_KEY", "test")
			client, err := executor.NewClient(context.Background(), executor.ClientConfig{Endpoint: srv.URL, Region: "us-east-1"})
			if err != nil {
				b.Fatal(err)
			}
			benchWrites(b, client)
		})
	}
}

// benchWrites measures, through client, INSERT ... SELECT, UPSERT ...
// SELECT, a PutItem loop and UPDATE ... WHERE over DDBSQL_BENCH_WRITE_ITEMS
// items, and that UPDATE as a migration runs it (its items marked, then
// unmarked).
func benchWrites(b *testing.B, client *dynamodb.Client) {
	benchItems := writeBenchItems(b)
	ctx := context.Background()
	sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow, Segments: 4}})
	if err := sess.Set(session.SettingAllowFullTableWrite, "on"); err != nil {
		b.Fatal(err)
	}
	src, dst, loop := testbackend.TableName(b, "wb_src"), testbackend.TableName(b, "wb_dst"), testbackend.TableName(b, "wb_loop")
	for _, t := range []string{src, dst, loop} {
		mustExec(b, sess, `CREATE TABLE "`+t+`" (pk TEXT, sk NUMERIC, PRIMARY KEY (pk, sk))`)
	}
	var rows []string
	for i := 0; i < benchItems; i++ {
		rows = append(rows, fmt.Sprintf("('p%03d', %d, 'payload %d', %d)", i%100, i, i, i%7))
	}
	for i := 0; i < len(rows); i += 500 {
		mustExec(b, sess, `UPSERT INTO "`+src+`" (pk, sk, v, n) VALUES `+strings.Join(rows[i:min(i+500, len(rows))], ", "))
	}
	// An untimed warm-up on a throwaway table: DynamoDB Local is a JVM, and
	// the write path measured first would otherwise also pay for its JIT
	// compilation.
	warm := testbackend.TableName(b, "wb_warm")
	mustExec(b, sess, `CREATE TABLE "`+warm+`" (pk TEXT, sk NUMERIC, PRIMARY KEY (pk, sk))`)
	mustExec(b, sess, `INSERT INTO "`+warm+`" SELECT * FROM "`+src+`" LIMIT 2000`)
	mustExec(b, sess, `UPSERT INTO "`+warm+`" SELECT * FROM "`+src+`" LIMIT 2000`)
	mustExec(b, sess, `UPDATE "`+warm+`" SET n = n + 1 WHERE n >= 0`)
	for i, it := range scanAll(b, client, warm) {
		if i == 500 {
			break
		}
		if _, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(warm), Item: it}); err != nil {
			b.Fatal(err)
		}
	}
	round := 0
	for b.Loop() {
		b.StopTimer()
		items := scanAll(b, client, src)
		round++
		ins := fmt.Sprintf("%s_%d", testbackend.TableName(b, "wb_ins"), round)
		mustExec(b, sess, `CREATE TABLE "`+ins+`" (pk TEXT, sk NUMERIC, PRIMARY KEY (pk, sk))`)
		b.StartTimer()

		start := b.Elapsed()
		mustExec(b, sess, `INSERT INTO "`+ins+`" SELECT * FROM "`+src+`"`)
		insert := b.Elapsed() - start

		start = b.Elapsed()
		mustExec(b, sess, `UPSERT INTO "`+dst+`" SELECT * FROM "`+src+`"`)
		batch := b.Elapsed() - start

		start = b.Elapsed()
		for _, it := range items {
			if _, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(loop), Item: it}); err != nil {
				b.Fatal(err)
			}
		}
		perRow := b.Elapsed() - start

		start = b.Elapsed()
		mustExec(b, sess, `UPDATE "`+dst+`" SET n = n + 1 WHERE n >= 0`)
		update := b.Elapsed() - start

		// The same UPDATE as a migration runs it: each item marked, then
		// the marks removed (executor.WriteCheckpoints.Mark).
		mctx := executor.WithWriteCheckpoints(ctx, executor.WriteCheckpoints{Mark: fmt.Sprint("bench/", round),
			OnCheckpoint: func(executor.Checkpoint) {}, OnUpdated: func(executor.Checkpoint) error { return nil }})
		start = b.Elapsed()
		if err := exec(mctx, sess, `UPDATE "`+dst+`" SET n = n + 1 WHERE n >= 0`); err != nil {
			b.Fatal(err)
		}
		marked := b.Elapsed() - start

		b.ReportMetric(float64(benchItems)/batch.Seconds(), "upsert-select-items/s")
		b.ReportMetric(float64(benchItems)/insert.Seconds(), "insert-select-items/s")
		b.ReportMetric(perRow.Seconds()/insert.Seconds(), "insert-speedup")
		b.ReportMetric(float64(benchItems)/perRow.Seconds(), "putitem-loop-items/s")
		b.ReportMetric(perRow.Seconds()/batch.Seconds(), "speedup")
		b.ReportMetric(float64(benchItems)/update.Seconds(), "update-where-items/s")
		b.ReportMetric(float64(benchItems)/marked.Seconds(), "update-marked-items/s")
	}
}

func mustExec(b testing.TB, sess *session.Session, sql string) {
	b.Helper()
	if err := exec(context.Background(), sess, sql); err != nil {
		b.Fatalf("%.80s: %v", sql, err)
	}
}

// scanAll reads a whole table with the SDK.
func scanAll(b testing.TB, client *dynamodb.Client, table string) []map[string]types.AttributeValue {
	b.Helper()
	var items []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(client, &dynamodb.ScanInput{TableName: aws.String(table)})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		items = append(items, out.Items...)
	}
	return items
}
