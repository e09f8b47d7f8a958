package pgwire

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// binaryRuleColumns has one column of every type the column rule gives,
// and the overflow column.
var binaryRuleColumns = []Column{
	{Name: "pk", Attr: "pk", OID: pgtype.TextOID},
	{Name: "n", Attr: "n", OID: pgtype.Int8OID},
	{Name: "price", Attr: "price", OID: pgtype.NumericOID},
	{Name: "data", Attr: "data", OID: pgtype.ByteaOID},
	{Name: "flag", Attr: "flag", OID: pgtype.BoolOID},
	{Name: "doc", Attr: "doc", OID: pgtype.JSONBOID},
	{Name: "tags", Attr: "tags", OID: pgtype.TextArrayOID},
	{Name: "nums", Attr: "nums", OID: pgtype.NumericArrayOID},
	{Name: "blobs", Attr: "blobs", OID: pgtype.ByteaArrayOID},
	{Name: OverflowColumn, OID: pgtype.JSONBOID, Overflow: true},
}

// readBinaryCopy decodes binary COPY data for cols as the server does.
func readBinaryCopy(data []byte, cols []Column) ([]format.Item, error) {
	pr, pw := io.Pipe()
	go func() {
		_, err := pw.Write(data)
		pw.CloseWithError(err)
	}()
	in := newBinaryCopyIn(pr, cols)
	defer in.Close()
	var items []format.Item
	for {
		it, err := in.Next()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
}

// writeBinaryCopy encodes items for cols as COPY ... TO STDOUT does.
func writeBinaryCopy(t *testing.T, items []format.Item, cols []Column) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := binaryCopyWriter(&buf, cols)
	if err := w.Begin(nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if err := w.Row(it); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBinaryCopyRoundTrip writes items of every column type in binary COPY
// format and reads them back: each value comes back as a binary parameter
// of its column's type decodes (sets as lists), NULL leaves the attribute
// out, and the overflow column's attributes return as attributes.
func TestBinaryCopyRoundTrip(t *testing.T) {
	null := &types.AttributeValueMemberNULL{Value: true}
	items := []format.Item{
		{
			"pk": avS("a"), "n": avN("-9223372036854775808"), "price": avN("12.340"), "data": avB(0, 1, 0xff),
			"flag": &types.AttributeValueMemberBOOL{Value: true},
			"doc": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
				"x": avL(avN("1"), avS("two"), null), "y": &types.AttributeValueMemberBOOL{Value: false}}},
			"tags":  &types.AttributeValueMemberSS{Value: []string{"p", "q r"}},
			"nums":  &types.AttributeValueMemberNS{Value: []string{"1.5", "-2"}},
			"blobs": &types.AttributeValueMemberBS{Value: [][]byte{{1}, {}}},
			"other": avS("kept"), "more": avN("7"),
		},
		{"pk": avS("b"), "n": null, "tags": &types.AttributeValueMemberSS{Value: []string{"x"}}, "price": avN("1E+3")},
		{"pk": avS(""), "doc": avL()},
	}
	want := []format.Item{
		{
			"pk": avS("a"), "n": avN("-9223372036854775808"), "price": avN("12.34"), "data": avB(0, 1, 0xff),
			"flag": &types.AttributeValueMemberBOOL{Value: true},
			"doc": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
				"x": avL(avN("1"), avS("two"), null), "y": &types.AttributeValueMemberBOOL{Value: false}}},
			// Array columns hold sets (the column rule's SS, NS, BS).
			"tags":  &types.AttributeValueMemberSS{Value: []string{"p", "q r"}},
			"nums":  &types.AttributeValueMemberNS{Value: []string{"1.5", "-2"}},
			"blobs": &types.AttributeValueMemberBS{Value: [][]byte{{1}, {}}},
			"other": avS("kept"), "more": avN("7"),
		},
		{"pk": avS("b"), "tags": &types.AttributeValueMemberSS{Value: []string{"x"}}, "price": avN("1000")},
		{"pk": avS(""), "doc": &types.AttributeValueMemberL{Value: []types.AttributeValue{}}},
	}
	data := writeBinaryCopy(t, items, binaryRuleColumns)
	got, err := readBinaryCopy(data, binaryRuleColumns)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d items, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("item %d:\n got %s\nwant %s", i, itemText(got[i]), itemText(want[i]))
		}
	}
}

// itemText shows an item in DynamoDB JSON for failure messages.
func itemText(it format.Item) string {
	js, err := format.MarshalItemJSON(it, nil)
	if err != nil {
		return fmt.Sprint(it)
	}
	return string(js)
}

// itemsText shows items for failure messages.
func itemsText(items []format.Item) string {
	var out []string
	for _, it := range items {
		out = append(out, itemText(it))
	}
	return strings.Join(out, " ")
}

// binaryTuple builds one tuple; a nil field is NULL.
func binaryTuple(fields ...[]byte) []byte { return format.AppendCopyBinaryTuple(nil, fields) }

func int8Field(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestBinaryCopyMalformed checks the errors of malformed binary COPY data:
// framing is 22P04, a value that is not of its column's type 22P02 or
// 22003, each naming the tuple as a line (and the column); the tuples
// before it are read.
func TestBinaryCopyMalformed(t *testing.T) {
	cols := []Column{{Name: "pk", Attr: "pk", OID: pgtype.TextOID}, {Name: "n", Attr: "n", OID: pgtype.Int8OID}}
	hdr := format.CopyBinaryHeader()
	good := binaryTuple([]byte("a"), int8Field(1))
	trailer := []byte{0xff, 0xff}
	for _, tc := range []struct {
		name  string
		data  []byte
		items int
		code  string
		msg   string
	}{
		{"empty", nil, 0, "22P04", "header: COPY file signature not recognized"},
		{"text data", []byte("a\t1\n"), 0, "22P04", "header: COPY file signature not recognized"},
		{"no flags", hdr[:13], 0, "22P04", "header: invalid COPY file header (missing flags or length)"},
		{"with oids", concat(hdr[:11], []byte{0, 1, 0, 0, 0, 0, 0, 0}), 0, "22P04", "header: invalid COPY file header (WITH OIDS)"},
		{"critical flag", concat(hdr[:11], []byte{0, 2, 0, 0, 0, 0, 0, 0}), 0, "22P04", "header: unrecognized critical flags in COPY file header"},
		{"negative extension", concat(hdr[:15], []byte{0xff, 0xff, 0xff, 0xff}), 0, "22P04", "header: invalid COPY file header (wrong length)"},
		{"short extension", concat(hdr[:15], []byte{0, 0, 0, 9}, []byte("abc")), 0, "22P04", "header: invalid COPY file header (wrong length)"},
		{"field count", concat(hdr, good, binaryTuple([]byte("b"))), 1, "22P04", "line 2: row field count is 1, expected 2"},
		{"truncated count", concat(hdr, good, []byte{0}), 1, "22P04", "line 2: unexpected EOF in COPY data"},
		{"truncated field", concat(hdr, good, binaryTuple([]byte("b"), int8Field(2))[:12]), 1, "22P04", "line 2, column n: unexpected EOF in COPY data"},
		{"field size", concat(hdr, []byte{0, 2, 0xff, 0xff, 0xff, 0xfe}), 0, "22P04", "line 1, column pk: invalid field size"},
		{"huge field", concat(hdr, []byte{0, 2, 0x7f, 0xff, 0xff, 0xff}), 0, "54000", "line 1, column pk: field of 2147483647 bytes is larger than any value a DynamoDB item can hold"},
		{"bad int8", concat(hdr, good, binaryTuple([]byte("b"), []byte{0, 1})), 1, "22P02", "line 2, column n: incorrect binary data format for type bigint"},
		{"bad utf8", concat(hdr, binaryTuple([]byte{0xff}, nil)), 0, "22P02", `line 1, column pk: invalid byte sequence for encoding "UTF8" in a parameter of type text`},
		{"after trailer", concat(hdr, good, trailer, []byte("x")), 1, "22P04", "line 1: received copy data after EOF marker"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := readBinaryCopy(tc.data, cols)
			if len(items) != tc.items {
				t.Errorf("read %d items before the error, want %d", len(items), tc.items)
			}
			if err == nil {
				t.Fatalf("no error; want %s %s", tc.code, tc.msg)
			}
			if e := sqlerr.As(err); e.Code != tc.code || e.Message != tc.msg {
				t.Errorf("error %s %q\nwant  %s %q", e.Code, e.Message, tc.code, tc.msg)
			}
		})
	}

	// A clean end of data without the trailer ends the import, as in
	// PostgreSQL; so does the trailer.
	for _, data := range [][]byte{concat(hdr, good, good), concat(hdr, good, good, trailer)} {
		items, err := readBinaryCopy(data, cols)
		if err != nil || len(items) != 2 {
			t.Errorf("read %d items, %v; want 2", len(items), err)
		}
	}
	// A NULL field leaves the attribute out.
	items, err := readBinaryCopy(concat(hdr, binaryTuple([]byte("z"), nil), trailer), cols)
	if err != nil || len(items) != 1 || !reflect.DeepEqual(items[0], format.Item{"pk": avS("z")}) {
		t.Errorf("read %v, %v; want {pk: z}", items, err)
	}
}

// TestBinaryCopyOverflow checks the overflow column of a COPY without a
// column list: its JSON object's attributes join the item; anything but an
// object is an error.
func TestBinaryCopyOverflow(t *testing.T) {
	cols := []Column{{Name: "pk", Attr: "pk", OID: pgtype.TextOID}, {Name: OverflowColumn, OID: pgtype.JSONBOID, Overflow: true}}
	hdr := format.CopyBinaryHeader()
	items, err := readBinaryCopy(concat(hdr, binaryTuple([]byte("a"), []byte("\x01{\"pk\": \"no\", \"x\": 1.50}"))), cols)
	if err != nil || len(items) != 1 || !reflect.DeepEqual(items[0], format.Item{"pk": avS("a"), "x": avN("1.5")}) {
		t.Errorf("read %v, %v; want {pk: a, x: 1.5}", itemsText(items), err)
	}
	_, err = readBinaryCopy(concat(hdr, binaryTuple([]byte("a"), []byte("\x01[1]"))), cols)
	if e := sqlerr.As(err); e == nil || e.Code != "22P02" || !strings.Contains(e.Message, "line 1, column _extra: _extra must be a JSON object") {
		t.Errorf("error %v; want 22P02 naming _extra", err)
	}
}

// FuzzBinaryCopyReader checks that no binary COPY data makes the reader
// panic: every input gives items and then io.EOF or an error with a
// SQLSTATE.
func FuzzBinaryCopyReader(f *testing.F) {
	hdr := format.CopyBinaryHeader()
	f.Add([]byte{})
	f.Add(concat(hdr, binaryTuple([]byte("a"), int8Field(1), nil, []byte{1}, []byte("\x01{}"), nil, nil, nil, nil, nil), []byte{0xff, 0xff}))
	f.Add(concat(hdr, []byte{0, 10, 0, 0, 0, 1, 'a', 0xff, 0xff, 0xff, 0xff}))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := readBinaryCopy(data, binaryRuleColumns)
		if err != nil && sqlerr.As(err).Code == "" {
			t.Fatalf("error without SQLSTATE: %v", err)
		}
		for _, it := range items {
			if it == nil {
				t.Fatal("nil item")
			}
		}
	})
}

// binaryCopyRow is one row of the pgx CopyFrom test.
type binaryCopyRow struct {
	pk    string
	n     int64
	price string
	data  []byte
	flag  bool
	doc   map[string]any
	tags  []string
}

func (r binaryCopyRow) values() []any {
	var price pgtype.Numeric
	if err := price.Scan(r.price); err != nil {
		panic(err)
	}
	return []any{r.pk, r.n, price, r.data, r.flag, r.doc, r.tags}
}

func binaryCopyRows(count int) []binaryCopyRow {
	rows := make([]binaryCopyRow, count)
	for i := range rows {
		rows[i] = binaryCopyRow{
			pk: fmt.Sprintf("k%05d", i), n: int64(i*1000 - 7), price: fmt.Sprintf("%d.%02d", i, i%100),
			data: []byte{byte(i), 0, byte(i >> 8)}, flag: i%2 == 0,
			doc:  map[string]any{"i": float64(i), "s": fmt.Sprintf("doc %d", i)},
			tags: []string{"t", fmt.Sprint(i)},
		}
	}
	return rows
}

// createBinaryCopyTable creates a table with a seed item holding every
// type the test copies, so that the column rule types the columns text,
// bigint, numeric, bytea, boolean, jsonb and text[].
func createBinaryCopyTable(t *testing.T, conn *pgx.Conn, client *dynamodb.Client, table string) {
	t.Helper()
	ctx := context.Background()
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s (pk TEXT PRIMARY KEY)`, table)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Exec(context.Background(), fmt.Sprintf(`DROP TABLE %s`, table)) })
	_, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
		"pk": avS("seed"), "n": avN("1"), "price": avN("1.5"), "data": avB(1), "flag": &types.AttributeValueMemberBOOL{Value: true},
		"doc":  &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"i": avN("0")}},
		"tags": &types.AttributeValueMemberSS{Value: []string{"seed"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ANALYZE `+table); err != nil {
		t.Fatal(err)
	}
}

var binaryCopyColumnNames = []string{"pk", "n", "price", "data", "flag", "doc", "tags"}

// TestPgxCopyFrom loads rows with pgx's CopyFrom (binary COPY), reads them
// back with SELECT and with COPY ... TO STDOUT (FORMAT binary), and checks
// that a duplicate key fails with 23505.
func TestPgxCopyFrom(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, be testbackend.Backend) {
		client := sampleClient(t, be)
		addr, _ := startServer(t, client, nil)
		conn := pgxConnect(t, addr, "alice", "")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		table := fmt.Sprintf("bincopy_%d", time.Now().UnixNano())
		createBinaryCopyTable(t, conn, client, table)

		rows := binaryCopyRows(1000)
		src := make([][]any, len(rows))
		for i, r := range rows {
			src[i] = r.values()
		}
		count, err := conn.CopyFrom(ctx, pgx.Identifier{table}, binaryCopyColumnNames, pgx.CopyFromRows(src))
		if err != nil {
			t.Fatalf("CopyFrom: %v", err)
		}
		if count != int64(len(rows)) {
			t.Fatalf("CopyFrom copied %d rows, want %d", count, len(rows))
		}
		t.Run("duplicate key", func(t *testing.T) {
			dup := [][]any{binaryCopyRows(1)[0].values()}
			dup[0][0] = "fresh"
			dup = append(dup, rows[5].values())
			_, err := conn.CopyFrom(ctx, pgx.Identifier{table}, binaryCopyColumnNames, pgx.CopyFromRows(dup))
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "23505" {
				t.Fatalf("err = %v, want 23505", err)
			}
			// Whether "fresh", before the duplicate, stays written depends on
			// the backend (one transaction per group of items where it has
			// transactions); the connection is usable either way.
			var one int
			if err := conn.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil || one != 1 {
				t.Fatalf("SELECT 1 after the failed COPY: %v, %d", err, one)
			}
		})

		// text[] values are stored as string sets, as the column was typed
		// from one, and read back as text[] without a new ANALYZE.
		query := fmt.Sprintf(`SELECT pk, n, price, data, flag, doc, tags FROM %s WHERE pk <> 'seed' AND pk <> 'fresh'`, table)

		t.Run("select", func(t *testing.T) {
			got, err := conn.Query(ctx, query)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]binaryCopyRow{}
			for got.Next() {
				var r binaryCopyRow
				var price pgtype.Numeric
				if err := got.Scan(&r.pk, &r.n, &price, &r.data, &r.flag, &r.doc, &r.tags); err != nil {
					t.Fatal(err)
				}
				js, _ := price.MarshalJSON()
				r.price = string(js)
				seen[r.pk] = r
			}
			if err := got.Err(); err != nil {
				t.Fatal(err)
			}
			checkCopiedRows(t, rows, seen)
		})

		t.Run("copy to stdout binary", func(t *testing.T) {
			// A client decodes the fields by the types the SELECT describes.
			sd, err := conn.PgConn().Prepare(ctx, "", query, nil)
			if err != nil {
				t.Fatal(err)
			}
			var oids []uint32
			for _, f := range sd.Fields {
				oids = append(oids, f.DataTypeOID)
			}
			var buf bytes.Buffer
			tag, err := conn.PgConn().CopyTo(ctx, &buf, `COPY (`+query+`) TO STDOUT (FORMAT binary)`)
			if err != nil {
				t.Fatal(err)
			}
			if tag.String() != "COPY 1000" {
				t.Errorf("tag %q, want COPY 1000", tag)
			}
			seen := decodeBinaryCopyOut(t, conn.TypeMap(), oids, buf.Bytes())
			checkCopiedRows(t, rows, seen)
		})

	})
}

// checkCopiedRows compares the rows read back with those copied.
func checkCopiedRows(t *testing.T, want []binaryCopyRow, got map[string]binaryCopyRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read %d rows, want %d", len(got), len(want))
	}
	for _, w := range want {
		g, ok := got[w.pk]
		if !ok {
			t.Fatalf("row %s missing", w.pk)
		}
		if wantPrice := trimZeros(w.price); trimZeros(g.price) != wantPrice {
			t.Errorf("row %s: price %s, want %s", w.pk, g.price, w.price)
		}
		g.price = w.price
		// A string set comes back in DynamoDB's order, not the array's.
		slices.Sort(g.tags)
		w.tags = slices.Sorted(slices.Values(w.tags))
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("row %s:\n got %+v\nwant %+v", w.pk, g, w)
		}
	}
}

// trimZeros drops a decimal's trailing fractional zeros.
func trimZeros(d string) string {
	if strings.Contains(d, ".") {
		d = strings.TrimRight(strings.TrimRight(d, "0"), ".")
	}
	return d
}

// decodeBinaryCopyOut decodes COPY ... TO STDOUT (FORMAT binary) data of
// the test's columns, typed oids, with pgx's codecs, as a client would.
func decodeBinaryCopyOut(t *testing.T, m *pgtype.Map, oids []uint32, data []byte) map[string]binaryCopyRow {
	t.Helper()
	out := map[string]binaryCopyRow{}
	r := format.NewCopyBinaryReader(bytes.NewReader(data), binaryCopyColumnNames, func(i int, field []byte, it format.Item) error {
		it[binaryCopyColumnNames[i]] = &types.AttributeValueMemberB{Value: bytes.Clone(field)}
		return nil
	})
	for {
		it, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		var row binaryCopyRow
		var price pgtype.Numeric
		dst := []any{&row.pk, &row.n, &price, &row.data, &row.flag, &row.doc, &row.tags}
		for i, name := range binaryCopyColumnNames {
			field := it[name].(*types.AttributeValueMemberB).Value
			if err := m.Scan(oids[i], pgtype.BinaryFormatCode, field, dst[i]); err != nil {
				t.Fatalf("line %d, column %s: %v", r.Line(), name, err)
			}
		}
		js, _ := price.MarshalJSON()
		row.price = string(js)
		out[row.pk] = row
	}
}

// TestBinaryCopyResponses checks that CopyInResponse and CopyOutResponse
// announce binary: overall format 1 and format 1 for every column.
func TestBinaryCopyResponses(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, be testbackend.Backend) {
		client := sampleClient(t, be)
		addr, _ := startServer(t, client, nil)
		fe := dialStartup(t, addr, map[string]string{"user": "alice", "database": "ddbsql"})
		send := func(msgs ...pgproto3.FrontendMessage) {
			t.Helper()
			for _, m := range msgs {
				fe.Send(m)
			}
			if err := fe.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		// until reads messages up to one of type T and returns it.
		until := func(want string) pgproto3.BackendMessage {
			t.Helper()
			for {
				msg, err := fe.Receive()
				if err != nil {
					t.Fatalf("waiting for %s: %v", want, err)
				}
				if e, ok := msg.(*pgproto3.ErrorResponse); ok {
					t.Fatalf("waiting for %s: %s %s", want, e.Code, e.Message)
				}
				if fmt.Sprintf("%T", msg) == "*pgproto3."+want {
					return msg
				}
			}
		}
		table := fmt.Sprintf("bincopy_resp_%d", time.Now().UnixNano())
		send(&pgproto3.Query{String: "CREATE TABLE " + table + " (pk TEXT PRIMARY KEY)"})
		until("ReadyForQuery")
		defer func() {
			send(&pgproto3.Query{String: "DROP TABLE " + table})
			until("ReadyForQuery")
		}()

		send(&pgproto3.Query{String: "COPY " + table + " (pk, n) FROM STDIN (FORMAT binary)"})
		in := until("CopyInResponse").(*pgproto3.CopyInResponse)
		if in.OverallFormat != 1 || !reflect.DeepEqual(in.ColumnFormatCodes, []uint16{1, 1}) {
			t.Errorf("CopyInResponse %d %v, want 1 [1 1]", in.OverallFormat, in.ColumnFormatCodes)
		}
		send(&pgproto3.CopyData{Data: concat(format.CopyBinaryHeader(), binaryTuple([]byte("a"), []byte("1")), []byte{0xff, 0xff})},
			&pgproto3.CopyDone{})
		if tag := until("CommandComplete").(*pgproto3.CommandComplete); string(tag.CommandTag) != "COPY 1" {
			t.Errorf("tag %q, want COPY 1", tag.CommandTag)
		}
		until("ReadyForQuery")

		send(&pgproto3.Query{String: "COPY " + table + " TO STDOUT (FORMAT binary)"})
		out := until("CopyOutResponse").(*pgproto3.CopyOutResponse)
		// SELECT * of the table as sampled when it was empty: pk and
		// _extra, which holds n.
		if out.OverallFormat != 1 || !reflect.DeepEqual(out.ColumnFormatCodes, []uint16{1, 1}) {
			t.Errorf("CopyOutResponse %d %v, want 1 [1 1]", out.OverallFormat, out.ColumnFormatCodes)
		}
		data := until("CopyData").(*pgproto3.CopyData)
		want := concat(format.CopyBinaryHeader(), binaryTuple([]byte("a"), []byte("\x01{\"n\":\"1\"}")), []byte{0xff, 0xff})
		if !bytes.Equal(data.Data, want) {
			t.Errorf("CopyData %x\nwant     %x", data.Data, want)
		}
		until("ReadyForQuery")
	})
}

// BenchmarkCopyFrom loads 10,000 rows with pgx's CopyFrom (binary COPY)
// and the same rows through COPY ... FROM STDIN in text format, into a
// fresh table each time, and reports rows/s, on the embedded engine.
func BenchmarkCopyFrom(b *testing.B) {
	be := testbackend.Get(b, testbackend.Engine)
	client := sampleClient(b, be)
	addr, _ := startServer(b, client, nil)
	conn, err := pgxTry(addr, "bench", "", "disable")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	ctx := context.Background()
	const count = 10000
	rows := binaryCopyRows(count)
	src := make([][]any, len(rows))
	var text bytes.Buffer
	for i, r := range rows {
		src[i] = r.values()
		fmt.Fprintf(&text, "%s\t%d\t%s\t\\\\x%x\t%t\n", r.pk, r.n, r.price, r.data, r.flag)
	}
	fresh := func(b *testing.B) string {
		b.StopTimer()
		defer b.StartTimer()
		// The test's table type: a seed item per type, sampled.
		table := fmt.Sprintf("bincopy_bench_%d", time.Now().UnixNano())
		if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s (pk TEXT PRIMARY KEY)`, table)); err != nil {
			b.Fatal(err)
		}
		_, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
			"pk": avS("seed"), "n": avN("1"), "price": avN("1.5"), "data": avB(1), "flag": &types.AttributeValueMemberBOOL{Value: true},
			"doc":  &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"i": avN("0")}},
			"tags": &types.AttributeValueMemberSS{Value: []string{"seed"}},
		}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `ANALYZE `+table); err != nil {
			b.Fatal(err)
		}
		return table
	}
	b.Run("binary", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			table := fresh(b)
			if _, err := conn.CopyFrom(ctx, pgx.Identifier{table}, binaryCopyColumnNames[:5], pgx.CopyFromRows(trimRows(src, 5))); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(count*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("text", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			table := fresh(b)
			_, err := conn.PgConn().CopyFrom(ctx, bytes.NewReader(text.Bytes()), fmt.Sprintf(`COPY %s (pk, n, price, "data:B", flag) FROM STDIN`, table))
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(count*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// trimRows keeps the first n values of each row.
func trimRows(rows [][]any, n int) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r[:n]
	}
	return out
}

func TestSetOfList(t *testing.T) {
	set, ok, err := setOfList(avL(avN("1"), avN("1.50"), avN("-2")))
	if err != nil || !ok || !reflect.DeepEqual(set, &types.AttributeValueMemberNS{Value: []string{"1", "1.50", "-2"}}) {
		t.Errorf("numbers: %v %v %v", set, ok, err)
	}
	if _, ok, err := setOfList(avL()); ok || err != nil {
		t.Errorf("an empty array: ok %v, err %v; want the attribute left out", ok, err)
	}
	for _, c := range []struct {
		why string
		l   types.AttributeValue
	}{
		{"duplicates", avL(avS("a"), avS("a"))},
		{"duplicates", avL(avN("1"), avN("1.0"))},
		{"NULL elements", avL(avS("a"), &types.AttributeValueMemberNULL{Value: true})},
		{"elements of different types", avL(avS("1"), avN("1"))},
	} {
		_, _, err := setOfList(c.l)
		if err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("%s: err %v", c.why, err)
		}
	}
}
