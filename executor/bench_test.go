package executor

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
)

// generatedScan is a DynamoDB whose Scan serves `total` items per segment,
// `pageSize` per page. With fixed set it repeats one prebuilt page (so that
// a benchmark measures the executor, not the making of items); otherwise it
// builds every page afresh and holds none, so that memory measurements see
// only what the executor keeps.
type generatedScan struct {
	DynamoDB
	total, pageSize int
	fixed           []Item
}

func benchItem(i int) Item {
	status := "open"
	if i%2 == 0 {
		status = "done"
	}
	return Item{
		"id":     &types.AttributeValueMemberS{Value: "user-" + strconv.Itoa(i)},
		"n":      &types.AttributeValueMemberN{Value: strconv.Itoa(i % 1000)},
		"status": &types.AttributeValueMemberS{Value: status},
		"total":  &types.AttributeValueMemberN{Value: strconv.Itoa(i%500) + ".25"},
		"name":   &types.AttributeValueMemberS{Value: "a name of some length for item " + strconv.Itoa(i)},
	}
}

func (g *generatedScan) Scan(ctx context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	start := 0
	if in.ExclusiveStartKey != nil {
		start, _ = strconv.Atoi(in.ExclusiveStartKey["pos"].(*types.AttributeValueMemberN).Value)
	}
	n := min(g.pageSize, g.total-start)
	items := make([]Item, n)
	if g.fixed != nil {
		copy(items, g.fixed[:n])
	} else {
		for i := range items {
			items[i] = benchItem(start + i)
		}
	}
	out := &dynamodb.ScanOutput{Items: items, Count: int32(n), ScannedCount: int32(n),
		ConsumedCapacity: &types.ConsumedCapacity{CapacityUnits: aws.Float64(float64(n) / 8)}}
	if start+n < g.total {
		out.LastEvaluatedKey = Item{"pos": &types.AttributeValueMemberN{Value: strconv.Itoa(start + n)}}
	}
	return out, nil
}

// filteredProjection is
//
//	SELECT id, name, total FROM T WHERE status = 'open' AND total >= 100
//
// evaluated by the executor (Filter and Project over a Scan).
func filteredProjection(segments int) planner.Node {
	return &planner.Project{
		Items: []planner.ProjectItem{{Name: "id", Expr: xPath("id")}, {Name: "name", Expr: xPath("name")},
			{Name: "total", Expr: xPath("total")}},
		Input: &planner.Filter{
			Cond:  xBin("AND", xBin("=", xPath("status"), xStr("open")), xBin(">=", xPath("total"), xNum("100"))),
			Input: &planner.Read{Path: planner.Scan, Table: "T", Segments: segments},
		},
	}
}

func drainRows(b *testing.B, e *Executor, node planner.Node) int {
	res, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Rows.Close()
	n := 0
	for {
		if _, err := res.Rows.Next(); err == io.EOF {
			return n
		} else if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkScanPerRow measures the executor's cost per item of a streamed
// Scan through Filter and Project, the backend answering with prebuilt
// pages of 1000 items.
func BenchmarkScanPerRow(b *testing.B) {
	fixed := make([]Item, 1000)
	for i := range fixed {
		fixed[i] = benchItem(i)
	}
	g := &generatedScan{total: b.N, pageSize: len(fixed), fixed: fixed}
	e := New(g, Options{})
	b.ReportAllocs()
	b.ResetTimer()
	drainRows(b, e, filteredProjection(1))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/row")
}

// BenchmarkScanHeap streams items generated page by page (1000 per page,
// about 250 bytes each) through Filter and Project to a sink, sampling the
// heap in use every millisecond, and reports the peak: it stays flat from
// 100,000 to 1,000,000 items, sequential or in 8 parallel segments.
func BenchmarkScanHeap(b *testing.B) {
	for _, c := range []struct{ items, segments int }{{100_000, 1}, {1_000_000, 1}, {1_000_000, 8}} {
		b.Run(fmt.Sprintf("items=%d/segments=%d", c.items, c.segments), func(b *testing.B) {
			g := &generatedScan{total: c.items / c.segments, pageSize: 1000}
			e := New(g, Options{Concurrency: 8})
			var peak atomic.Uint64
			for b.Loop() {
				runtime.GC()
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() {
					var ms runtime.MemStats
					t := time.NewTicker(time.Millisecond)
					defer t.Stop()
					for {
						runtime.ReadMemStats(&ms)
						if ms.HeapInuse > peak.Load() {
							peak.Store(ms.HeapInuse)
						}
						select {
						case <-stop:
							return
						case <-t.C:
						}
					}
				})
				drainRows(b, e, filteredProjection(c.segments))
				close(stop)
				wg.Wait()
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.items), "ns/row")
		})
	}
}
