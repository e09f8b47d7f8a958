package pgwire

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// ddbJSON is v in DynamoDB JSON, to compare values.
func ddbJSON(t *testing.T, v types.AttributeValue) string {
	t.Helper()
	b, err := format.MarshalValueJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDecodeParamFromPgx encodes parameters with pgx's own encoders, in
// both formats, and decodes them with DecodeParam.
func TestDecodeParamFromPgx(t *testing.T) {
	u := [16]byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}
	cases := []struct {
		name string
		oid  uint32
		v    any
		want types.AttributeValue
	}{
		{"int2", pgtype.Int2OID, int16(-5), avN("-5")},
		{"int4", pgtype.Int4OID, int32(2147483647), avN("2147483647")},
		{"int8", pgtype.Int8OID, int64(-9223372036854775808), avN("-9223372036854775808")},
		{"float4", pgtype.Float4OID, float32(1.5), avN("1.5")},
		{"float8", pgtype.Float8OID, 0.1, avN("0.1")},
		{"float8 big", pgtype.Float8OID, 1e21, avN("1000000000000000000000")},
		{"numeric", pgtype.NumericOID, pgtype.Numeric{Int: big.NewInt(1234500), Exp: -4, Valid: true}, avN("123.45")},
		{"numeric negative exponent", pgtype.NumericOID, pgtype.Numeric{Int: big.NewInt(-15), Exp: -10, Valid: true}, avN("-0.0000000015")},
		{"numeric 38 digits", pgtype.NumericOID, numeric(t, "12345678901234567890123456789012345678"), avN("12345678901234567890123456789012345678")},
		{"bool", pgtype.BoolOID, true, avBool(true)},
		{"text", pgtype.TextOID, "héllo", avS("héllo")},
		{"varchar", pgtype.VarcharOID, "v", avS("v")},
		{"bpchar", pgtype.BPCharOID, "c  ", avS("c  ")},
		{"bytea", pgtype.ByteaOID, []byte{0, 1, 0xff}, avB(0, 1, 0xff)},
		{"jsonb object", pgtype.JSONBOID, map[string]any{"a": 1.5, "b": []any{true, nil, "x"}},
			avM(map[string]types.AttributeValue{"a": avN("1.5"), "b": avL(avBool(true), avNull(), avS("x"))})},
		{"json array", pgtype.JSONOID, []any{1, "two"}, avL(avN("1"), avS("two"))},
		{"timestamptz", pgtype.TimestamptzOID, time.Date(2024, 1, 2, 5, 4, 5, 123000000, time.FixedZone("", 2*3600)),
			avS("2024-01-02T03:04:05.123Z")},
		{"timestamp", pgtype.TimestampOID, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), avS("2024-01-02T03:04:05")},
		{"date", pgtype.DateOID, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), avS("2024-01-02")},
		{"uuid", pgtype.UUIDOID, u, avS("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")},
		{"text[]", pgtype.TextArrayOID, []*string{ptr("a"), ptr("b c"), nil}, avL(avS("a"), avS("b c"), avNull())},
		{"varchar[]", pgtype.VarcharArrayOID, []string{"x"}, avL(avS("x"))},
		{"int4[]", pgtype.Int4ArrayOID, []int32{1, -2}, avL(avN("1"), avN("-2"))},
		{"int8[]", pgtype.Int8ArrayOID, []int64{7}, avL(avN("7"))},
		{"numeric[]", pgtype.NumericArrayOID, []pgtype.Numeric{numeric(t, "2.5"), {}}, avL(avN("2.5"), avNull())},
		{"float8[]", pgtype.Float8ArrayOID, []float64{0.25}, avL(avN("0.25"))},
		{"bool[]", pgtype.BoolArrayOID, []bool{false}, avL(avBool(false))},
		{"empty text[]", pgtype.TextArrayOID, []string{}, avL()},
	}
	m := pgtype.NewMap()
	for _, c := range cases {
		for _, f := range []int16{textFormat, binaryFormat} {
			t.Run(c.name+map[int16]string{0: "/text", 1: "/binary"}[f], func(t *testing.T) {
				data, err := m.Encode(c.oid, f, c.v, nil)
				if err != nil {
					t.Fatalf("pgx cannot encode %#v: %v", c.v, err)
				}
				got, err := DecodeParam(c.oid, f, data)
				if err != nil {
					t.Fatalf("DecodeParam(%q): %v", data, err)
				}
				if g, w := ddbJSON(t, got), ddbJSON(t, c.want); g != w {
					t.Errorf("DecodeParam(%q) = %s, want %s", data, g, w)
				}
			})
		}
	}
}

func ptr[T any](v T) *T { return &v }

func numeric(t *testing.T, s string) pgtype.Numeric {
	t.Helper()
	var n pgtype.Numeric
	if err := n.ScanScientific(s); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDecodeParamText covers text input spellings pgx does not produce,
// and NULL.
func TestDecodeParamText(t *testing.T) {
	cases := []struct {
		oid  uint32
		in   string
		want types.AttributeValue
	}{
		{pgtype.Int4OID, " 42 ", avN("42")},
		{pgtype.Int8OID, "+7", avN("7")},
		{pgtype.NumericOID, "1.50", avN("1.5")},
		{pgtype.NumericOID, "-1.5e3", avN("-1500")},
		{pgtype.Float8OID, "1e-3", avN("0.001")},
		{pgtype.BoolOID, "yes", avBool(true)},
		{pgtype.BoolOID, " OFF ", avBool(false)},
		{pgtype.BoolOID, "t", avBool(true)},
		{pgtype.BoolOID, "0", avBool(false)},
		{pgtype.ByteaOID, `\x0A0b ff`, avB(0x0a, 0x0b, 0xff)},
		{pgtype.ByteaOID, `a\\b\001`, avB('a', '\\', 'b', 1)},
		{pgtype.JSONBOID, `{"a": 1.50, "b": [true, null, "x"], "c": {}}`,
			avM(map[string]types.AttributeValue{"a": avN("1.5"), "b": avL(avBool(true), avNull(), avS("x")), "c": avM(map[string]types.AttributeValue{})})},
		{pgtype.JSONOID, `"just a string"`, avS("just a string")},
		{pgtype.TimestamptzOID, "2024-01-02 03:04:05+02", avS("2024-01-02T01:04:05Z")},
		{pgtype.TimestamptzOID, "2024-01-02T03:04:05.5Z", avS("2024-01-02T03:04:05.5Z")},
		{pgtype.TimestamptzOID, "2024-01-02 03:04:05", avS("2024-01-02T03:04:05Z")},
		{pgtype.TimestampOID, "2024-01-02 03:04:05.25", avS("2024-01-02T03:04:05.25")},
		{pgtype.TimestampOID, "infinity", avS("infinity")},
		{pgtype.DateOID, "2024-01-02", avS("2024-01-02")},
		{pgtype.UUIDOID, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", avS("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")},
		{pgtype.TextArrayOID, `{a,"b c",NULL,"NULL"}`, avL(avS("a"), avS("b c"), avNull(), avS("NULL"))},
		{pgtype.Int4ArrayOID, `{1,2}`, avL(avN("1"), avN("2"))},
		{pgtype.UnknownOID, "u", avS("u")},
		{0, "zero oid", avS("zero oid")},
		{pgtype.IntervalOID, "1 day", avS("1 day")}, // another type: its text
	}
	for _, c := range cases {
		got, err := DecodeParam(c.oid, textFormat, []byte(c.in))
		if err != nil {
			t.Errorf("DecodeParam(%s, %q): %v", typeName(c.oid), c.in, err)
			continue
		}
		if g, w := ddbJSON(t, got), ddbJSON(t, c.want); g != w {
			t.Errorf("DecodeParam(%s, %q) = %s, want %s", typeName(c.oid), c.in, g, w)
		}
	}
	for _, f := range []int16{textFormat, binaryFormat} {
		got, err := DecodeParam(pgtype.Int4OID, f, nil)
		if err != nil || ddbJSON(t, got) != `{"NULL":true}` {
			t.Errorf("NULL in format %d = %v, %v", f, got, err)
		}
	}
}

func TestDecodeParamErrors(t *testing.T) {
	cases := []struct {
		oid    uint32
		format int16
		in     string
		code   string
		msg    string
	}{
		{pgtype.Int4OID, textFormat, "abc", sqlerr.InvalidText, `invalid input syntax for type integer: "abc"`},
		{pgtype.Int8OID, textFormat, "1.5", sqlerr.InvalidText, `invalid input syntax for type bigint: "1.5"`},
		{pgtype.Int4OID, textFormat, "99999999999", sqlerr.NumericOutOfRange, `value "99999999999" is out of range for type integer`},
		{pgtype.Int2OID, textFormat, "40000", sqlerr.NumericOutOfRange, "out of range for type smallint"},
		{pgtype.NumericOID, textFormat, "1.2.3", sqlerr.InvalidText, `invalid input syntax for type numeric: "1.2.3"`},
		{pgtype.NumericOID, textFormat, "NaN", sqlerr.InvalidText, "DynamoDB numbers are finite"},
		{pgtype.NumericOID, textFormat, "1" + strings.Repeat("0", 39) + ".5", sqlerr.NumericOutOfRange, ""},
		{pgtype.Float8OID, textFormat, "Infinity", sqlerr.InvalidText, "DynamoDB numbers are finite"},
		{pgtype.Float8OID, textFormat, "x", sqlerr.InvalidText, `invalid input syntax for type double precision: "x"`},
		{pgtype.BoolOID, textFormat, "maybe", sqlerr.InvalidText, `invalid input syntax for type boolean: "maybe"`},
		{pgtype.ByteaOID, textFormat, `\x0`, sqlerr.InvalidText, "invalid input syntax for type bytea"},
		{pgtype.ByteaOID, textFormat, `\q`, sqlerr.InvalidText, "invalid input syntax for type bytea"},
		{pgtype.JSONBOID, textFormat, `{"a":`, sqlerr.InvalidText, "invalid input syntax for type jsonb"},
		{pgtype.JSONBOID, textFormat, `[1] [2]`, sqlerr.InvalidText, "invalid input syntax for type jsonb"},
		{pgtype.JSONBOID, textFormat, strings.Repeat("[", 40) + strings.Repeat("]", 40), sqlerr.ProgramLimitExceeded, "32 levels"},
		{pgtype.TimestamptzOID, textFormat, "yesterday-ish", sqlerr.InvalidText, "timestamp with time zone"},
		{pgtype.UUIDOID, textFormat, "not-a-uuid", sqlerr.InvalidText, "uuid"},
		{pgtype.TextOID, textFormat, "\xff\xfe", sqlerr.InvalidText, "UTF8"},
		{pgtype.Int4ArrayOID, textFormat, "{1,x}", sqlerr.InvalidText, "integer[]"},
		{pgtype.Int4OID, binaryFormat, "\x00\x01\x02", sqlerr.InvalidText, "incorrect binary data format for type integer"},
		{pgtype.Float8OID, binaryFormat, "\x7f\xf8\x00\x00\x00\x00\x00\x00", sqlerr.InvalidText, "DynamoDB numbers are finite"},
		{pgtype.BoolOID, binaryFormat, "\x02", sqlerr.InvalidText, "boolean"},
		{pgtype.JSONBOID, binaryFormat, "\x02{}", sqlerr.InvalidText, "jsonb version"},
		{pgtype.NumericOID, binaryFormat, "\x00", sqlerr.InvalidText, "numeric"},
		{pgtype.IntervalOID, binaryFormat, "\x00", sqlerr.FeatureNotSupported, "not supported"},
		{pgtype.Int4OID, 2, "1", protocolViolation, "unsupported format code: 2"},
	}
	for _, c := range cases {
		_, err := DecodeParam(c.oid, c.format, []byte(c.in))
		if err == nil {
			t.Errorf("DecodeParam(%s, %d, %q) succeeded", typeName(c.oid), c.format, c.in)
			continue
		}
		e := sqlerr.As(err)
		if e.Code != c.code || !strings.Contains(e.Message, c.msg) {
			t.Errorf("DecodeParam(%s, %d, %q): %s %q, want %s containing %q", typeName(c.oid), c.format, c.in, e.Code, e.Message, c.code, c.msg)
		}
	}
}

func TestParamTypes(t *testing.T) {
	d, _, cat := describeFixture(t)
	const (
		text    = pgtype.TextOID
		int8    = pgtype.Int8OID
		int4    = pgtype.Int4OID
		numeric = pgtype.NumericOID
		boolean = pgtype.BoolOID
		jsonb   = pgtype.JSONBOID
	)
	cases := []struct {
		sql   string
		given []uint32
		want  []uint32
	}{
		{`SELECT * FROM Users WHERE userId = $1`, nil, []uint32{text}},
		{`SELECT * FROM Users WHERE $1 = userId`, nil, []uint32{text}},
		{`SELECT * FROM Users WHERE userId = ?`, nil, []uint32{text}},
		{`SELECT * FROM GameLeaderboards WHERE gameId = $1 AND score > $2`, nil, []uint32{text, numeric}},
		{`SELECT * FROM GameLeaderboards WHERE gameId = $1 AND score BETWEEN $2 AND $3`, nil, []uint32{text, numeric, numeric}},
		{`SELECT * FROM Users WHERE loginCount BETWEEN $1 AND $2`, nil, []uint32{int8, int8}},
		{`SELECT * FROM Users WHERE userId IN ($1, $2)`, nil, []uint32{text, text}},
		{`SELECT * FROM Users WHERE active = $1 AND loginCount >= $2`, nil, []uint32{boolean, int8}},
		{`SELECT * FROM Users WHERE name LIKE $1`, nil, []uint32{text}},
		{`SELECT * FROM Users WHERE begins_with(name, $1)`, nil, []uint32{text}},
		{`SELECT * FROM Users WHERE contains(favouriteNumbers, $1)`, nil, []uint32{numeric}},
		{`SELECT * FROM Users WHERE loginCount + $1 > 3`, nil, []uint32{int8}},
		{`SELECT * FROM Users WHERE userId = $1 LIMIT $2 OFFSET $3`, nil, []uint32{text, int8, int8}},
		{`SELECT $1::int4 AS a, CAST($2 AS numeric) AS b`, nil, []uint32{int4, numeric}},
		{`SELECT $1 AS a`, nil, []uint32{text}},
		{`SELECT CASE WHEN $1 THEN loginCount ELSE $2 END AS c FROM Users WHERE userId = 'u'`, nil, []uint32{boolean, int8}},
		{`UPDATE Users SET loginCount = $1, active = $2 WHERE userId = $3`, nil, []uint32{int8, boolean, text}},
		{`UPDATE Users SET loginCount = loginCount + $1 WHERE userId = $2`, nil, []uint32{int8, text}},
		{`INSERT INTO Users (userId, active, profile) VALUES ($1, $2, $3), ($4, $5, $6)`, nil,
			[]uint32{text, boolean, jsonb, text, boolean, jsonb}},
		{`INSERT INTO Users VALUE {'userId': $1, 'loginCount': $2, 'newAttr': $3}`, nil, []uint32{text, int8, text}},
		{`INSERT INTO Users VALUE ?`, nil, []uint32{jsonb}},
		{`DELETE FROM Users WHERE userId = $1 AND loginCount < $2`, nil, []uint32{text, int8}},
		{`EXPLAIN SELECT * FROM Users WHERE userId = $1`, nil, []uint32{text}},
		// A client-given OID wins; a zero OID is inferred; extra given OIDs are kept.
		{`SELECT * FROM Users WHERE userId = $1 AND loginCount > $2`, []uint32{pgtype.VarcharOID, 0, pgtype.Int4OID},
			[]uint32{pgtype.VarcharOID, int8, pgtype.Int4OID}},
	}
	for _, c := range cases {
		stmt, plan := planSQL(t, cat, c.sql)
		got, err := d.paramTypes(context.Background(), cat, stmt, plan, c.given)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.sql, names(got), names(c.want))
		}
	}
}

func names(oids []uint32) []string {
	var out []string
	for _, o := range oids {
		out = append(out, typeName(o))
	}
	return out
}

// FuzzDecodeParam checks that no Bind parameter panics DecodeParam, and
// that every failure carries a SQLSTATE.
func FuzzDecodeParam(f *testing.F) {
	oids := []uint32{pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.Float4OID, pgtype.Float8OID,
		pgtype.NumericOID, pgtype.BoolOID, pgtype.TextOID, pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID,
		pgtype.TimestampOID, pgtype.TimestamptzOID, pgtype.DateOID, pgtype.UUIDOID, pgtype.TextArrayOID,
		pgtype.Int4ArrayOID, pgtype.NumericArrayOID, pgtype.Float8ArrayOID, pgtype.BoolArrayOID}
	f.Add(uint8(5), int16(1), []byte{0, 2, 0, 0, 0, 0, 0, 1, 0, 1})
	f.Add(uint8(10), int16(0), []byte(`{"a":[1,{"b":null}]}`))
	f.Add(uint8(15), int16(0), []byte(`{a,"b\"c",NULL}`))
	f.Add(uint8(8), int16(0), []byte(`\x00ff`))
	f.Fuzz(func(t *testing.T, which uint8, format int16, data []byte) {
		oid := oids[int(which)%len(oids)]
		v, err := DecodeParam(oid, format%3, data)
		if err != nil {
			var e *sqlerr.Error
			if !errors.As(err, &e) || e.Code == "" || e.Code == sqlerr.Internal {
				t.Fatalf("DecodeParam(%d, %d, %q): error without a SQLSTATE: %v", oid, format, data, err)
			}
			return
		}
		if v == nil {
			t.Fatalf("DecodeParam(%d, %d, %q) returned neither a value nor an error", oid, format, data)
		}
	})
}
