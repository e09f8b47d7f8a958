package pgwire

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// percentile returns the p-th percentile (0..1) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

// BenchmarkPointLookup compares a prepared point lookup through the wire
// (pgx, extended protocol, binary results) with the same GetItem made
// directly with the SDK (the request the executor sends, consumed
// capacity included) against the same backend, in the same run:
// p50/p99 of each and the ratio of the medians, once per backend
// (DDBSQL_TEST_BACKENDS selects them). Both calls alternate, so a backend
// slowing down weighs on both alike.
func BenchmarkPointLookup(b *testing.B) {
	for _, name := range []string{testbackend.Dynalite, testbackend.DynamoDBLocal, testbackend.Engine} {
		b.Run(name, func(b *testing.B) {
			benchmarkPointLookup(b, testbackend.Get(b, name))
		})
	}
}

func benchmarkPointLookup(b *testing.B, backend testbackend.Backend) {
	client := sampleClient(b, backend)
	addr, _ := startServer(b, client, nil)
	conn, err := pgxTry(addr, "bench", "", "disable")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	ctx := context.Background()
	const query = `SELECT userId, name, email FROM Users WHERE userId = $1`
	if _, err := conn.Prepare(ctx, "lookup", query); err != nil {
		b.Fatal(err)
	}
	ids := make([]string, 50)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%03d", i+1)
	}
	direct := make([]time.Duration, 0, b.N)
	wire := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := ids[i%len(ids)]
		t0 := time.Now()
		out, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Users"),
			Key:                  map[string]types.AttributeValue{"userId": &types.AttributeValueMemberS{Value: id}},
			ProjectionExpression: aws.String("userId, #n, email"), ExpressionAttributeNames: map[string]string{"#n": "name"},
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
		if err != nil || out.Item == nil {
			b.Fatalf("GetItem %s: %v", id, err)
		}
		t1 := time.Now()
		var gotID, name, email string
		if err := conn.QueryRow(ctx, "lookup", id).Scan(&gotID, &name, &email); err != nil {
			b.Fatalf("lookup %s: %v", id, err)
		}
		t2 := time.Now()
		direct = append(direct, t1.Sub(t0))
		wire = append(wire, t2.Sub(t1))
	}
	b.StopTimer()
	slices.Sort(direct)
	slices.Sort(wire)
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	b.ReportMetric(us(percentile(wire, 0.5)), "wire-p50-µs")
	b.ReportMetric(us(percentile(wire, 0.99)), "wire-p99-µs")
	b.ReportMetric(us(percentile(direct, 0.5)), "sdk-p50-µs")
	b.ReportMetric(us(percentile(direct, 0.99)), "sdk-p99-µs")
	b.ReportMetric(us(percentile(wire, 0.5))/us(percentile(direct, 0.5)), "p50-ratio")
	b.ReportMetric(us(percentile(wire, 0.99))/us(percentile(direct, 0.99)), "p99-ratio")
}

// pagedTable is a DynamoDB holding one table, Big (key id), whose Scan
// serves total items by repeating one prebuilt page, so that the
// benchmark measures the server and not the making of items.
type pagedTable struct {
	executor.DynamoDB
	total int
	page  []executor.Item
}

func newPagedTable(total, pageSize int) *pagedTable {
	page := make([]executor.Item, pageSize)
	for i := range page {
		page[i] = executor.Item{
			"id":     &types.AttributeValueMemberS{Value: "item-" + strconv.Itoa(i)},
			"n":      &types.AttributeValueMemberN{Value: strconv.Itoa(i % 1000)},
			"status": &types.AttributeValueMemberS{Value: "open"},
			"total":  &types.AttributeValueMemberN{Value: strconv.Itoa(i%500) + ".25"},
			"name":   &types.AttributeValueMemberS{Value: "a name of some length for item " + strconv.Itoa(i)},
		}
	}
	return &pagedTable{total: total, page: page}
}

func (p *pagedTable) DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	return &dynamodb.DescribeTableOutput{Table: &types.TableDescription{
		TableName:            in.TableName,
		TableStatus:          types.TableStatusActive,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		ItemCount:            aws.Int64(int64(p.total)),
		TableSizeBytes:       aws.Int64(int64(p.total) * 100),
	}}, nil
}

func (p *pagedTable) DescribeTimeToLive(context.Context, *dynamodb.DescribeTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error) {
	return &dynamodb.DescribeTimeToLiveOutput{TimeToLiveDescription: &types.TimeToLiveDescription{TimeToLiveStatus: types.TimeToLiveStatusDisabled}}, nil
}

func (p *pagedTable) Scan(ctx context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	start := 0
	if in.ExclusiveStartKey != nil {
		start, _ = strconv.Atoi(in.ExclusiveStartKey["pos"].(*types.AttributeValueMemberN).Value)
	}
	n := min(len(p.page), p.total-start)
	if in.Limit != nil {
		n = min(n, int(*in.Limit))
	}
	items := make([]executor.Item, n)
	copy(items, p.page[:n])
	out := &dynamodb.ScanOutput{Items: items, Count: int32(n), ScannedCount: int32(n)}
	if start+n < p.total && in.Limit == nil {
		out.LastEvaluatedKey = executor.Item{"pos": &types.AttributeValueMemberN{Value: strconv.Itoa(start + n)}}
	}
	return out, nil
}

// heapSampler records the peak of live heap objects while it runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done sync.WaitGroup
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{})}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > h.peak.Load() {
				h.peak.Store(v)
			}
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) finish() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak.Load()
}

// BenchmarkScanStream streams a 1,000,000-item scan to a pgx client: rows
// per second and the process's peak live heap (server and client share the
// process, so the figure bounds the server's).
func BenchmarkScanStream(b *testing.B) {
	const total = 1_000_000
	api := newPagedTable(total, 1000)
	addr, _ := startServer(b, api, func(c *Config) {
		c.NewSession = func(string, string) *session.Session {
			return session.New(api, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow, Segments: 1}})
		}
	})
	conn, err := pgxTry(addr, "bench", "", "disable")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	runtime.GC()
	heap := startHeapSampler()
	b.ResetTimer()
	var rowsSent int64
	for i := 0; i < b.N; i++ {
		rows, err := conn.Query(context.Background(), `SELECT id, n, status, total, name FROM Big`, pgx.QueryResultFormats{pgx.TextFormatCode})
		if err != nil {
			b.Fatal(err)
		}
		var n int64
		for rows.Next() {
			_ = rows.RawValues()
			n++
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		if n != total {
			b.Fatalf("%d rows, want %d", n, total)
		}
		rowsSent += n
	}
	b.StopTimer()
	peak := heap.finish()
	b.ReportMetric(float64(rowsSent)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
