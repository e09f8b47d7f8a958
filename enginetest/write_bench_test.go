package enginetest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

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
	benchItems := writeBenchItems(b)
	for _, be := range testbackend.All(b) {
		b.Run(be.Name, func(b *testing.B) {
			ctx := context.Background()
			client := testbackend.Client(b, be)
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

				b.ReportMetric(float64(benchItems)/batch.Seconds(), "upsert-select-items/s")
				b.ReportMetric(float64(benchItems)/insert.Seconds(), "insert-select-items/s")
				b.ReportMetric(perRow.Seconds()/insert.Seconds(), "insert-speedup")
				b.ReportMetric(float64(benchItems)/perRow.Seconds(), "putitem-loop-items/s")
				b.ReportMetric(perRow.Seconds()/batch.Seconds(), "speedup")
				b.ReportMetric(float64(benchItems)/update.Seconds(), "update-where-items/s")
			}
		})
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
