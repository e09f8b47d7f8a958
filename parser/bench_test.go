package parser

import "testing"

// pointLookup is the statement the project's latency goal is set for.
const pointLookup = `SELECT * FROM "Users" WHERE "userId" = 'u1'`

func BenchmarkParsePointLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseOne(pointLookup); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParsePointLookupGrammar is the same statement through the
// participle grammar alone, without the fast path.
func BenchmarkParsePointLookupGrammar(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseOne(pointLookup); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseQuery(b *testing.B) {
	const q = `SELECT a, b.c[1], count(*) AS n FROM "Orders"."ByStatus" WHERE status = ? AND createdAt BETWEEN ? AND ? AND NOT archived GROUP BY a ORDER BY n DESC LIMIT 10`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseOne(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseInsert(b *testing.B) {
	const q = `INSERT INTO "Users" VALUE {'userId': 'u1', 'email': 'a@example.com', 'age': 42, 'tags': <<'x', 'y'>>, 'address': {'city': 'Paris', 'zip': '75001'}}`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseOne(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSyntaxError(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseOne(`SELECT * FROM "Users" WHERE "userId" = 'u1' ORDER "userId"`); err == nil {
			b.Fatal("no error")
		}
	}
}

func BenchmarkSplit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Split(sampleSchema)
	}
}

func BenchmarkParseKeyQuery(b *testing.B) {
	const q = `SELECT * FROM "Orders" WHERE "customerId" = ? AND "orderId" BETWEEN ? AND ? ORDER BY "orderId" DESC LIMIT 10`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseOne(q); err != nil {
			b.Fatal(err)
		}
	}
}
