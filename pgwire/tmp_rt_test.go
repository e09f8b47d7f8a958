package pgwire

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

func BenchmarkTmpRoundTrip(b *testing.B) {
	client := sampleClient(b, testbackend.Get(b, testbackend.Dynalite))
	addr, _ := startServer(b, client, nil)
	conn, err := pgxTry(addr, "bench", "", "disable")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := conn.Prepare(ctx, "one", `SELECT 1`); err != nil {
		b.Fatal(err)
	}
	var ds []time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		var n int
		if err := conn.QueryRow(ctx, "one").Scan(&n); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	slices.Sort(ds)
	b.ReportMetric(float64(percentile(ds, .5))/1e3, "p50-µs")
	b.ReportMetric(float64(percentile(ds, .99))/1e3, "p99-µs")
}
