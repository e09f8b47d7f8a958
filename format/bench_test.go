package format

import (
	"io"
	"testing"
)

// benchItem is a typical result row: keys, a few scalars, a NULL, a small
// map, a list and a set.
func benchItem() Item {
	return Item{
		"pk":      s("customer#000123"),
		"sk":      s("order#2024-06-01T12:34:56Z"),
		"status":  s("SHIPPED"),
		"total":   n("1234.50"),
		"qty":     n("3"),
		"paid":    boolean(true),
		"coupon":  null(),
		"payload": b(0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01, 0x02, 0x03),
		"address": m("street", s("1 Main St"), "city", s("Springfield"), "zip", s("12345")),
		"lines":   l(m("sku", s("A-1"), "qty", n("1")), m("sku", s("B-2"), "qty", n("2"))),
		"tags":    ss("gift", "priority", "fragile"),
	}
}

func benchmarkWriter(b *testing.B, format string) {
	it := benchItem()
	w, err := New(format, io.Discard, NewOptions())
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Begin(nil, []string{"pk", "sk"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := w.Row(it); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if err := w.End(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/row")
}

// BenchmarkWriterJSONL measures one row written as plain JSON.
func BenchmarkWriterJSONL(b *testing.B) { benchmarkWriter(b, "jsonl") }

// BenchmarkWriterDDBJSON measures one row written as DynamoDB JSON.
func BenchmarkWriterDDBJSON(b *testing.B) { benchmarkWriter(b, "ddbjson") }

// BenchmarkUnmarshalItemJSON measures parsing one ddbjson line, the cost
// COPY and the sample loader pay per item.
func BenchmarkUnmarshalItemJSON(b *testing.B) {
	data, err := MarshalItemJSON(benchItem(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := UnmarshalItemJSON(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/item")
}
