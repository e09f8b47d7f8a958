package pgwire

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/sqlerr"
)

func avS(s string) types.AttributeValue  { return &types.AttributeValueMemberS{Value: s} }
func avN(s string) types.AttributeValue  { return &types.AttributeValueMemberN{Value: s} }
func avB(b ...byte) types.AttributeValue { return &types.AttributeValueMemberB{Value: b} }
func avBool(b bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: b} }
func avNull() types.AttributeValue       { return &types.AttributeValueMemberNULL{Value: true} }
func avL(vs ...types.AttributeValue) types.AttributeValue {
	return &types.AttributeValueMemberL{Value: vs}
}
func avM(kv map[string]types.AttributeValue) types.AttributeValue {
	return &types.AttributeValueMemberM{Value: kv}
}

// numericText is a pgtype.Numeric as decimal text, for comparisons.
func numericString(t *testing.T, n pgtype.Numeric) string {
	t.Helper()
	b, err := n.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// encodeOne encodes v in a one-column row of type oid in format f.
func encodeOne(t *testing.T, oid uint32, v types.AttributeValue, f int16) ([]byte, error) {
	t.Helper()
	cols := []Column{{Name: "c", OID: oid, Attr: "c"}}
	row, err := AppendRow(nil, cols, executor.Item{"c": v}, []int16{f})
	if err != nil {
		return nil, err
	}
	if len(row) != 1 {
		t.Fatalf("AppendRow returned %d values for one column", len(row))
	}
	return row[0], nil
}

// TestAppendRowRoundTrip encodes each type in both formats and decodes the
// result with pgx's own pgtype decoders, as a client would.
func TestAppendRowRoundTrip(t *testing.T) {
	ts := time.Date(2023, 10, 25, 7, 26, 13, 0, time.UTC)
	cases := []struct {
		name string
		oid  uint32
		v    types.AttributeValue
		dst  func() any        // a new scan target
		got  func(dst any) any // what the target holds, comparable
		want any
		text string // the expected text format, when it matters
	}{
		{"int8", pgtype.Int8OID, avN("42"), newOf[int64], deref[int64], int64(42), "42"},
		{"int8 min", pgtype.Int8OID, avN("-9223372036854775808"), newOf[int64], deref[int64], int64(-9223372036854775808), ""},
		{"int8 exponent", pgtype.Int8OID, avN("1E+2"), newOf[int64], deref[int64], int64(100), "100"},
		{"int4", pgtype.Int4OID, avN("-7"), newOf[int32], deref[int32], int32(-7), "-7"},
		{"int2", pgtype.Int2OID, avN("300"), newOf[int16], deref[int16], int16(300), "300"},
		{"numeric", pgtype.NumericOID, avN("1.50"), newOf[pgtype.Numeric], numericOf2(t), "1.50", "1.50"},
		{"numeric exponent", pgtype.NumericOID, avN("1.5E+10"), newOf[pgtype.Numeric], numericOf2(t), "15000000000", "15000000000"},
		{"numeric tiny", pgtype.NumericOID, avN("-0.000001"), newOf[pgtype.Numeric], numericOf2(t), "-0.000001", "-0.000001"},
		{"numeric 38 digits", pgtype.NumericOID, avN("12345678901234567890123456789012345678"), newOf[pgtype.Numeric], numericOf2(t),
			"12345678901234567890123456789012345678", ""},
		{"float8", pgtype.Float8OID, avN("0.1"), newOf[float64], deref[float64], 0.1, "0.1"},
		{"float4", pgtype.Float4OID, avN("1.5"), newOf[float32], deref[float32], float32(1.5), "1.5"},
		{"bool true", pgtype.BoolOID, avBool(true), newOf[bool], deref[bool], true, "t"},
		{"bool false", pgtype.BoolOID, avBool(false), newOf[bool], deref[bool], false, "f"},
		{"text", pgtype.TextOID, avS("héllo, \"world\""), newOf[string], deref[string], "héllo, \"world\"", "héllo, \"world\""},
		{"varchar", pgtype.VarcharOID, avS("v"), newOf[string], deref[string], "v", "v"},
		{"bytea", pgtype.ByteaOID, avB(0, 1, 0xff), newOf[[]byte], deref[[]byte], []byte{0, 1, 0xff}, `\x0001ff`},
		{"jsonb map", pgtype.JSONBOID, avM(map[string]types.AttributeValue{
			"n": avN("1.50"), "s": avS("x"), "b": avB(1, 2), "l": avL(avBool(true), avNull()),
			"ss": &types.AttributeValueMemberSS{Value: []string{"a"}}}),
			newOf[string], deref[string], `{"b":"AQI=","l":[true,null],"n":1.50,"s":"x","ss":["a"]}`,
			`{"b":"AQI=","l":[true,null],"n":1.50,"s":"x","ss":["a"]}`},
		{"jsonb list", pgtype.JSONBOID, avL(avN("1"), avS("two")), newOf[string], deref[string], `[1,"two"]`, `[1,"two"]`},
		{"jsonb string", pgtype.JSONBOID, avS("plain"), newOf[string], deref[string], `"plain"`, `"plain"`},
		{"json", pgtype.JSONOID, avL(avN("3")), newOf[string], deref[string], `[3]`, `[3]`},
		{"text[]", pgtype.TextArrayOID, &types.AttributeValueMemberSS{Value: []string{"a", "b c", "", "NULL", `q"`, `b\s`, "{x}"}},
			newOf[[]string], deref[[]string], []string{"a", "b c", "", "NULL", `q"`, `b\s`, "{x}"},
			`{a,"b c","","NULL","q\"","b\\s","{x}"}`},
		{"numeric[]", pgtype.NumericArrayOID, &types.AttributeValueMemberNS{Value: []string{"7", "42.5", "1E+3"}},
			newOf[[]pgtype.Numeric], numericSlice(t), []string{"7", "42.5", "1000"}, "{7,42.5,1000}"},
		{"int8[]", pgtype.Int8ArrayOID, &types.AttributeValueMemberNS{Value: []string{"7", "-1"}},
			newOf[[]int64], deref[[]int64], []int64{7, -1}, ""},
		{"bytea[]", pgtype.ByteaArrayOID, &types.AttributeValueMemberBS{Value: [][]byte{{1, 2}, {0xff}}},
			newOf[[][]byte], deref[[][]byte], [][]byte{{1, 2}, {0xff}}, `{"\\x0102","\\xff"}`},
		{"timestamptz", pgtype.TimestamptzOID, avS("2023-10-25T09:26:13+02:00"), newOf[time.Time], utcTime, ts, ""},
		{"timestamp", pgtype.TimestampOID, avS("2023-10-25T07:26:13.5"), newOf[time.Time], utcTime, ts.Add(500 * time.Millisecond), ""},
		{"date", pgtype.DateOID, avS("2023-10-25"), newOf[time.Time], utcTime, time.Date(2023, 10, 25, 0, 0, 0, 0, time.UTC), "2023-10-25"},
		{"uuid", pgtype.UUIDOID, avS("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), newOf[string], deref[string],
			"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		// Values that are not of their column's type, in a character column.
		{"text of number", pgtype.TextOID, avN("1.50"), newOf[string], deref[string], "1.50", "1.50"},
		{"text of bool", pgtype.TextOID, avBool(true), newOf[string], deref[string], "true", "true"},
		{"text of binary", pgtype.TextOID, avB(0xab), newOf[string], deref[string], `\xab`, `\xab`},
		{"text of map", pgtype.TextOID, avM(map[string]types.AttributeValue{"k": avN("2")}), newOf[string], deref[string], `{"k":2}`, `{"k":2}`},
		{"text of number set", pgtype.TextOID, &types.AttributeValueMemberNS{Value: []string{"1", "2.5"}}, newOf[string], deref[string], "{1,2.5}", "{1,2.5}"},
		// A value that does not fit goes as text in a bytea column (binary: its bytes).
		{"bytea of string", pgtype.ByteaOID, avS("abc"), newOf[[]byte], deref[[]byte], []byte("abc"), "abc"},
	}
	m := pgtype.NewMap()
	for _, c := range cases {
		for _, f := range []int16{textFormat, binaryFormat} {
			name := c.name + map[int16]string{0: "/text", 1: "/binary"}[f]
			t.Run(name, func(t *testing.T) {
				data, err := encodeOne(t, c.oid, c.v, f)
				if err != nil {
					t.Fatalf("AppendRow: %v", err)
				}
				if f == textFormat && c.text != "" && string(data) != c.text {
					t.Errorf("text = %q, want %q", data, c.text)
				}
				if c.name == "bytea of string" && f == textFormat {
					return // "abc" is not bytea text input: the client sees the text itself
				}
				dst := c.dst()
				if err := m.Scan(c.oid, f, data, dst); err != nil {
					t.Fatalf("pgtype cannot decode %q: %v", data, err)
				}
				if got := c.got(dst); !reflect.DeepEqual(got, c.want) {
					t.Errorf("decoded %#v, want %#v", got, c.want)
				}
			})
		}
	}
}

func newOf[T any]() any      { return new(T) }
func deref[T any](p any) any { return *(p.(*T)) }
func utcTime(p any) any      { return p.(*time.Time).UTC() }

func numericOf2(t *testing.T) func(any) any {
	return func(p any) any { return numericString(t, *(p.(*pgtype.Numeric))) }
}

func numericSlice(t *testing.T) func(any) any {
	return func(p any) any {
		var out []string
		for _, n := range *(p.(*[]pgtype.Numeric)) {
			out = append(out, numericString(t, n))
		}
		return out
	}
}

// TestAppendRowMisfit covers values the sample did not predict.
func TestAppendRowMisfit(t *testing.T) {
	cases := []struct {
		name    string
		oid     uint32
		v       types.AttributeValue
		text    string
		binCode string // SQLSTATE of the binary encoding, "" when it works
	}{
		{"string in int8", pgtype.Int8OID, avS("abc"), "abc", sqlerr.DatatypeMismatch},
		{"decimal in int8", pgtype.Int8OID, avN("1.5"), "1.5", sqlerr.DatatypeMismatch},
		{"too big for int4", pgtype.Int4OID, avN("3000000000"), "3000000000", sqlerr.DatatypeMismatch},
		{"string in numeric", pgtype.NumericOID, avS("n/a"), "n/a", sqlerr.DatatypeMismatch},
		{"string in bool", pgtype.BoolOID, avS("yes"), "yes", sqlerr.DatatypeMismatch},
		{"list in text[]", pgtype.TextArrayOID, avL(avS("a")), `["a"]`, sqlerr.DatatypeMismatch},
		{"not a time", pgtype.TimestamptzOID, avS("soon"), "soon", sqlerr.DatatypeMismatch},
		{"number in jsonb", pgtype.JSONBOID, avN("12"), "12", ""},
		{"bool in text", pgtype.TextOID, avBool(false), "false", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, err := encodeOne(t, c.oid, c.v, textFormat)
			if err != nil || string(data) != c.text {
				t.Errorf("text: %q, %v; want %q", data, err, c.text)
			}
			_, err = encodeOne(t, c.oid, c.v, binaryFormat)
			if c.binCode == "" {
				if err != nil {
					t.Errorf("binary: %v", err)
				}
				return
			}
			if sqlerr.Code(err) != c.binCode {
				t.Errorf("binary: error %v (code %s), want %s", err, sqlerr.Code(err), c.binCode)
			} else if !strings.Contains(err.Error(), `"c"`) {
				t.Errorf("binary error does not name the attribute: %v", err)
			}
		})
	}
}

// TestAppendRowNullsAndOverflow checks SQL NULLs and the overflow column.
func TestAppendRowNullsAndOverflow(t *testing.T) {
	cols := []Column{
		{Name: "pk", OID: pgtype.TextOID, Attr: "pk"},
		{Name: "n", OID: pgtype.Int8OID, Attr: "n"},
		{Name: "_extra", OID: pgtype.JSONBOID, Overflow: true},
	}
	row, err := AppendRow(nil, cols, executor.Item{
		"pk": avS("a"), "n": avNull(), "zeta": avN("1.0"), "alpha": avL(avS("x")),
	}, []int16{textFormat, binaryFormat, binaryFormat})
	if err != nil {
		t.Fatal(err)
	}
	if string(row[0]) != "a" || row[1] != nil {
		t.Errorf("pk, n = %q, %v; want a, NULL", row[0], row[1])
	}
	if want := "\x01" + `{"alpha":["x"],"zeta":1.0}`; string(row[2]) != want {
		t.Errorf("overflow = %q, want %q", row[2], want)
	}
	var extra map[string]any
	if err := pgtype.NewMap().Scan(pgtype.JSONBOID, binaryFormat, row[2], &extra); err != nil || len(extra) != 2 {
		t.Errorf("pgtype reads the overflow as %v, %v", extra, err)
	}

	// Nothing outside the known set, a missing attribute, no formats (text).
	row, err = AppendRow(row[:0], cols, executor.Item{"pk": avS("b")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(row) != 3 || string(row[0]) != "b" || row[1] != nil || row[2] != nil {
		t.Errorf("row = %q, want [b NULL NULL]", row)
	}

	// The values are independent slices: appending to one leaves the next alone.
	row, _ = AppendRow(nil, cols[:2], executor.Item{"pk": avS("x"), "n": avN("5")}, nil)
	_ = append(row[0], "yyyy"...)
	if string(row[1]) != "5" {
		t.Errorf("appending to a value overwrote the next one: %q", row[1])
	}
}

// TestNumericOf checks DynamoDB's number spellings against pgtype.Numeric.
func TestNumericOf(t *testing.T) {
	for s, want := range map[string]string{
		"0": "0", ".5": "0.5", "+1": "1", "5.": "5", "-1.5E-3": "-0.0015", "1E+125": "1" + strings.Repeat("0", 125),
	} {
		n, ok := numericOf(s)
		if !ok {
			t.Errorf("numericOf(%q) failed", s)
			continue
		}
		if got := numericString(t, n); got != want {
			t.Errorf("numericOf(%q) = %s, want %s", s, got, want)
		}
	}
	if _, ok := numericOf("abc"); ok {
		t.Error(`numericOf("abc") succeeded`)
	}
}

// benchItem is a typical item of ten attributes and its SELECT * columns.
func benchItem() ([]Column, executor.Item) {
	item := executor.Item{
		"customerId":  avS("u001"),
		"orderId":     avS("o0002"),
		"orderStatus": avS("DELIVERED"),
		"createdAt":   avS("2023-09-02T18:14:46Z"),
		"totalAmount": avN("42.99"),
		"quantity":    avN("3"),
		"gift":        avBool(false),
		"currency":    avS("USD"),
		"tags":        &types.AttributeValueMemberSS{Value: []string{"express", "fragile"}},
		"shipping": avM(map[string]types.AttributeValue{
			"carrier": avS("DHL"), "trackingNumber": avS("7DCEC5A1B350"), "shippedAt": avS("2023-09-04T23:14:46Z"),
		}),
	}
	cols := []Column{
		{Name: "customerId", OID: pgtype.TextOID, Attr: "customerId"},
		{Name: "orderId", OID: pgtype.TextOID, Attr: "orderId"},
		{Name: "orderStatus", OID: pgtype.TextOID, Attr: "orderStatus"},
		{Name: "createdAt", OID: pgtype.TextOID, Attr: "createdAt"},
		{Name: "currency", OID: pgtype.TextOID, Attr: "currency"},
		{Name: "gift", OID: pgtype.BoolOID, Attr: "gift"},
		{Name: "quantity", OID: pgtype.Int8OID, Attr: "quantity"},
		{Name: "shipping", OID: pgtype.JSONBOID, Attr: "shipping"},
		{Name: "tags", OID: pgtype.TextArrayOID, Attr: "tags"},
		{Name: "totalAmount", OID: pgtype.NumericOID, Attr: "totalAmount"},
		{Name: OverflowColumn, OID: pgtype.JSONBOID, Overflow: true},
	}
	return cols, item
}

func BenchmarkAppendRow(b *testing.B) {
	cols, item := benchItem()
	for _, f := range []int16{textFormat, binaryFormat} {
		formats := make([]int16, len(cols))
		for i := range formats {
			formats[i] = f
		}
		b.Run(map[int16]string{0: "text", 1: "binary"}[f], func(b *testing.B) {
			b.ReportAllocs()
			var row [][]byte
			for b.Loop() {
				var err error
				if row, err = AppendRow(row[:0], cols, item, formats); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
