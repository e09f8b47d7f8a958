package pgwire

// This file encodes DynamoDB values as PostgreSQL column values: the text
// format of PostgreSQL's output functions and the binary format of its send
// functions, for the types the column rule (columns.go) and casts produce.

import (
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/cockroachdb/apd/v3"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// Format codes of the wire protocol.
const (
	textFormat   int16 = 0
	binaryFormat int16 = 1
)

// Column is one column of a RowDescription.
type Column struct {
	Name     string // as the client sees it
	OID      uint32 // PostgreSQL type OID (pgtype.Int8OID, TextOID, NumericOID, JSONBOID, ...)
	Attr     string // the item attribute it shows; "" for the overflow column
	Overflow bool   // the trailing jsonb column holding every attribute outside the table's known set
}

// typeMaps hands out pgtype.Maps for binary encoding and decoding. A Map
// memoizes its encode plans in plain maps and so is not safe for
// concurrent use; connections encode rows concurrently, so each call
// borrows one.
var typeMaps = sync.Pool{New: func() any { return pgtype.NewMap() }}

// typeName is the name PostgreSQL uses for oid in messages (format_type).
func typeName(oid uint32) string {
	switch oid {
	case pgtype.BoolOID:
		return "boolean"
	case pgtype.ByteaOID:
		return "bytea"
	case pgtype.OIDOID:
		return "oid"
	case pgtype.Int2OID:
		return "smallint"
	case pgtype.Int4OID:
		return "integer"
	case pgtype.Int8OID:
		return "bigint"
	case pgtype.Float4OID:
		return "real"
	case pgtype.Float8OID:
		return "double precision"
	case pgtype.NumericOID:
		return "numeric"
	case pgtype.TextOID:
		return "text"
	case pgtype.VarcharOID:
		return "character varying"
	case pgtype.BPCharOID:
		return "character"
	case pgtype.NameOID:
		return "name"
	case pgtype.UnknownOID:
		return "unknown"
	case pgtype.JSONOID:
		return "json"
	case pgtype.JSONBOID:
		return "jsonb"
	case pgtype.DateOID:
		return "date"
	case pgtype.TimestampOID:
		return "timestamp without time zone"
	case pgtype.TimestamptzOID:
		return "timestamp with time zone"
	case pgtype.UUIDOID:
		return "uuid"
	case pgtype.TextArrayOID:
		return "text[]"
	case pgtype.VarcharArrayOID:
		return "character varying[]"
	case pgtype.NumericArrayOID:
		return "numeric[]"
	case pgtype.ByteaArrayOID:
		return "bytea[]"
	case pgtype.Int2ArrayOID:
		return "smallint[]"
	case pgtype.Int4ArrayOID:
		return "integer[]"
	case pgtype.Int8ArrayOID:
		return "bigint[]"
	case pgtype.Float8ArrayOID:
		return "double precision[]"
	case pgtype.BoolArrayOID:
		return "boolean[]"
	}
	return "oid " + strconv.FormatUint(uint64(oid), 10)
}

// isTextual reports whether oid is a character type: any value fits it, as
// its text.
func isTextual(oid uint32) bool {
	switch oid {
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.NameOID, pgtype.UnknownOID:
		return true
	}
	return false
}

// AppendRow encodes item as one DataRow's values (nil = SQL NULL), in the per-column formats (0 text, 1 binary;
// formats already expanded to one per column). A value that does not fit its column's type is sent as text in that column (text format).
//
// A missing attribute and a NULL value are both SQL NULL; so is the
// overflow column of an item without attributes outside the known set.
// The values appended share one buffer, sized for the row: the caller may
// read them until it reuses dst, not write to them.
//
// In binary format a value that does not fit cannot be sent as text inside
// a binary integer, numeric, boolean, date/time or array: character,
// bytea and jsonb columns still take it (its text, the bytes of its text,
// its JSON), any other column fails the statement with SQLSTATE 42804
// naming the attribute. The column rule makes this rare: an attribute seen
// with several types in the sample is typed text or jsonb in the first
// place. A missing formats entry means text.
func AppendRow(dst [][]byte, cols []Column, item executor.Item, formats []int16) ([][]byte, error) {
	var (
		// One buffer for the row, sized so that a typical row fits
		// without growing it.
		buf   = make([]byte, 0, 32*len(cols)+64)
		m     *pgtype.Map
		endsA [32]int
		ends  = endsA[:0]
	)
	defer func() {
		if m != nil {
			typeMaps.Put(m)
		}
	}()
	for i, c := range cols {
		v := columnValue(cols, c, item)
		if v == nil {
			ends = append(ends, -1)
			continue
		}
		if _, null := v.(*types.AttributeValueMemberNULL); null {
			ends = append(ends, -1)
			continue
		}
		f := textFormat
		if i < len(formats) {
			f = formats[i]
		}
		var err error
		if f == binaryFormat {
			if m == nil {
				m = typeMaps.Get().(*pgtype.Map)
			}
			buf, err = appendBinary(buf, m, c, v)
		} else {
			buf = appendText(buf, c.OID, v)
		}
		if err != nil {
			return dst, err
		}
		ends = append(ends, len(buf))
	}
	start := 0
	for _, end := range ends {
		if end < 0 {
			dst = append(dst, nil)
			continue
		}
		dst = append(dst, buf[start:end:end])
		start = end
	}
	return dst, nil
}

// columnValue is the value column c shows of item: the attribute, or for
// the overflow column a map of every attribute no other column of cols
// shows (nil when there is none).
func columnValue(cols []Column, c Column, item executor.Item) types.AttributeValue {
	if !c.Overflow {
		return item[c.Attr]
	}
	var extra map[string]types.AttributeValue
	for name, v := range item {
		if !showsAttr(cols, name) {
			if extra == nil {
				extra = make(map[string]types.AttributeValue)
			}
			extra[name] = v
		}
	}
	if extra == nil {
		return nil
	}
	return &types.AttributeValueMemberM{Value: extra}
}

// showsAttr reports whether a column of cols shows attribute name. Rows are
// a few dozen columns wide at most, so a linear search beats building a set
// per row.
func showsAttr(cols []Column, name string) bool {
	for i := range cols {
		if !cols[i].Overflow && cols[i].Attr == name {
			return true
		}
	}
	return false
}

// appendText appends v in PostgreSQL's text output format for oid, or, when
// v does not fit oid, v's own text (appendValueText).
func appendText(buf []byte, oid uint32, v types.AttributeValue) []byte {
	if out, ok := appendTextAs(buf, oid, v); ok {
		return out
	}
	return appendValueText(buf, v)
}

// appendTextAs appends v as oid's text output; ok is false when v is not a
// value of that type.
func appendTextAs(buf []byte, oid uint32, v types.AttributeValue) ([]byte, bool) {
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID:
		if n, ok := v.(*types.AttributeValueMemberN); ok {
			if i, ok := intOfNumber(n.Value, intBits(oid)); ok && (oid != pgtype.OIDOID || uint64(i) <= math.MaxUint32) {
				return strconv.AppendInt(buf, i, 10), true
			}
		}
	case pgtype.NumericOID:
		if n, ok := v.(*types.AttributeValueMemberN); ok {
			return appendNumericText(buf, n.Value)
		}
	case pgtype.Float4OID, pgtype.Float8OID:
		if n, ok := v.(*types.AttributeValueMemberN); ok {
			bits := 64
			if oid == pgtype.Float4OID {
				bits = 32
			}
			if f, err := strconv.ParseFloat(n.Value, bits); err == nil {
				return strconv.AppendFloat(buf, f, 'g', -1, bits), true
			}
		}
	case pgtype.BoolOID:
		if b, ok := v.(*types.AttributeValueMemberBOOL); ok {
			if b.Value {
				return append(buf, 't'), true
			}
			return append(buf, 'f'), true
		}
	case pgtype.ByteaOID:
		if b, ok := v.(*types.AttributeValueMemberB); ok {
			return appendByteaText(buf, b.Value), true
		}
	case pgtype.JSONOID, pgtype.JSONBOID:
		return appendJSON(buf, v)
	case pgtype.TextArrayOID, pgtype.VarcharArrayOID:
		if ss, ok := v.(*types.AttributeValueMemberSS); ok {
			return appendArrayText(buf, ss.Value, appendArrayElem), true
		}
	case pgtype.NumericArrayOID:
		if ns, ok := v.(*types.AttributeValueMemberNS); ok {
			return appendNumberArrayText(buf, ns.Value)
		}
	case pgtype.ByteaArrayOID:
		if bs, ok := v.(*types.AttributeValueMemberBS); ok {
			return appendArrayText(buf, bs.Value, func(b []byte, e []byte) []byte {
				// "\\x0102": the bytea text, its backslash escaped.
				b = append(b, `"\\x`...)
				b = hex.AppendEncode(b, e)
				return append(b, '"')
			}), true
		}
	case pgtype.TimestampOID, pgtype.TimestamptzOID, pgtype.DateOID, pgtype.UUIDOID:
		if val, ok := pgValue(oid, v); ok {
			m := typeMaps.Get().(*pgtype.Map)
			out, err := m.Encode(oid, textFormat, val, buf)
			typeMaps.Put(m)
			if err == nil {
				return out, true
			}
		}
	default:
		if isTextual(oid) {
			return appendValueText(buf, v), true
		}
	}
	return buf, false
}

// appendValueText appends the text of v as its own type would show it,
// which is what a character column shows and what a value that does not
// fit its column's type is sent as:
//
//	S        the string
//	N        the number as DynamoDB stores it
//	BOOL     true, false (as PostgreSQL casts a boolean to text)
//	B        bytea text: \x0102ff
//	M, L     JSON (see format.PlainJSON)
//	SS, NS   array literals: {a,"b c"}, {1,2.5}
//	BS       {"\\x0102"}
func appendValueText(buf []byte, v types.AttributeValue) []byte {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return append(buf, v.Value...)
	case *types.AttributeValueMemberN:
		return append(buf, v.Value...)
	case *types.AttributeValueMemberBOOL:
		return strconv.AppendBool(buf, v.Value)
	case *types.AttributeValueMemberB:
		return appendByteaText(buf, v.Value)
	case *types.AttributeValueMemberSS:
		return appendArrayText(buf, v.Value, appendArrayElem)
	case *types.AttributeValueMemberNS:
		return appendArrayText(buf, v.Value, appendArrayElem)
	case *types.AttributeValueMemberBS:
		out, _ := appendTextAs(buf, pgtype.ByteaArrayOID, v)
		return out
	}
	out, _ := appendJSON(buf, v)
	return out
}

// appendJSON appends v as plain JSON (format.PlainJSON): N as a JSON
// number with every digit, B as base64, sets as arrays, NULL as null.
func appendJSON(buf []byte, v types.AttributeValue) ([]byte, bool) {
	j, err := format.PlainJSON(v)
	if err != nil {
		// Only a value of a type the SDK adds later gets here; its text
		// says what it is rather than failing the row.
		return append(buf, strconv.Quote(format.Text(v))...), true
	}
	return append(buf, j...), true
}

// appendByteaText appends b in bytea's hex output format.
func appendByteaText(buf, b []byte) []byte {
	buf = append(buf, `\x`...)
	return hex.AppendEncode(buf, b)
}

// appendNumericText appends the number text s as numeric output: DynamoDB's
// text when it is plain decimal, else (an exponent, a leading '.' or '+')
// respelled as plain decimal, since PostgreSQL's numeric output, and the
// clients that parse it, know no exponents.
func appendNumericText(buf []byte, s string) ([]byte, bool) {
	if plainDecimal(s) {
		return append(buf, s...), true
	}
	d, err := value.ParseNumber(s)
	if err != nil {
		return buf, false
	}
	return append(buf, value.FormatNumber(d)...), true
}

// plainDecimal reports whether s is -?digits(.digits)?.
func plainDecimal(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == start {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	i++
	frac := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i == len(s) && i > frac
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// appendNumberArrayText appends a number set as a numeric[] literal.
func appendNumberArrayText(buf []byte, ns []string) ([]byte, bool) {
	buf = append(buf, '{')
	for i, n := range ns {
		if i > 0 {
			buf = append(buf, ',')
		}
		var ok bool
		if buf, ok = appendNumericText(buf, n); !ok {
			return buf, false
		}
	}
	return append(buf, '}'), true
}

// appendArrayText appends elems as a one-dimensional array literal.
func appendArrayText[E any](buf []byte, elems []E, el func([]byte, E) []byte) []byte {
	buf = append(buf, '{')
	for i, e := range elems {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = el(buf, e)
	}
	return append(buf, '}')
}

// appendArrayElem appends s as an array element, double-quoted (with " and
// \ escaped) when array_in would otherwise read it differently: empty,
// NULL, or containing braces, quotes, backslashes, commas or white space.
func appendArrayElem(buf []byte, s string) []byte {
	if !needsArrayQuotes(s) {
		return append(buf, s...)
	}
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			buf = append(buf, '\\')
		}
		buf = append(buf, s[i])
	}
	return append(buf, '"')
}

func needsArrayQuotes(s string) bool {
	if s == "" || strings.EqualFold(s, "NULL") {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{', '}', ',', '"', '\\', ' ', '\t', '\n', '\r', '\v', '\f':
			return true
		}
	}
	return false
}

// intBits is the width of an integer type.
func intBits(oid uint32) int {
	switch oid {
	case pgtype.Int2OID:
		return 16
	case pgtype.Int4OID:
		return 32
	}
	return 64
}

// intOfNumber returns the DynamoDB number s as an integer of bits width;
// ok is false when s is not an integer or does not fit. "1E+2" and "100.0"
// are integers.
func intOfNumber(s string, bits int) (int64, bool) {
	if i, err := strconv.ParseInt(s, 10, bits); err == nil {
		return i, true
	} else if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return 0, false
	}
	if !strings.ContainsAny(s, ".eE+") {
		return 0, false
	}
	d, _, err := apd.NewFromString(s)
	if err != nil {
		return 0, false
	}
	i, err := d.Int64()
	if err != nil {
		return 0, false
	}
	if bits < 64 && (i < -(1<<(bits-1)) || i >= 1<<(bits-1)) {
		return 0, false
	}
	return i, true
}

// numericOf returns the DynamoDB number s as a pgtype.Numeric.
func numericOf(s string) (pgtype.Numeric, bool) {
	var n pgtype.Numeric
	if err := n.ScanScientific(s); err == nil {
		return n, true
	}
	// Spellings DynamoDB accepts that pgtype does not: ".5", "+1", "5.".
	norm, err := value.NormalizeNumber(s)
	if err != nil {
		return n, false
	}
	if err := n.ScanScientific(norm); err != nil {
		return n, false
	}
	return n, true
}

// timeLayouts are the spellings of timestamps and dates a string attribute
// may hold to be shown as a timestamp or date: RFC 3339 (DynamoDB's usual
// choice) and PostgreSQL's own output.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// parseTime reads a timestamp or date string; a time without a zone is UTC.
func parseTime(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// pgValue converts v to the Go value pgtype encodes as oid: ok is false
// when v is not a value of that type.
func pgValue(oid uint32, v types.AttributeValue) (any, bool) {
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID:
		if n, ok := v.(*types.AttributeValueMemberN); ok {
			if i, ok := intOfNumber(n.Value, intBits(oid)); ok {
				return i, true
			}
		}
	case pgtype.OIDOID:
		if n, ok := v.(*types.AttributeValueMemberN); ok {
			if i, ok := intOfNumber(n.Value, 64); ok && uint64(i) <= math.MaxUint32 {
				return uint32(i), true
			}
		}
	case pgtype.Float4OID, pgtype.Float8OID:
		if n, ok := v.(*types.AttributeValueMemberN); ok {
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
				if oid == pgtype.Float4OID {
					return float32(f), true
				}
				return f, true
			}
		}
	case pgtype.NumericOID:
		if n, ok := v.(*types.AttributeValueMemberN); ok {
			if num, ok := numericOf(n.Value); ok {
				return num, true
			}
		}
	case pgtype.TimestampOID, pgtype.TimestamptzOID, pgtype.DateOID:
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			if t, ok := parseTime(s.Value); ok {
				if oid == pgtype.TimestamptzOID {
					return t.UTC(), true
				}
				// timestamp and date keep the wall clock written.
				return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), true
			}
		}
	case pgtype.UUIDOID:
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			var u pgtype.UUID
			if err := u.Scan(s.Value); err == nil {
				return u, true
			}
		}
	case pgtype.TextArrayOID, pgtype.VarcharArrayOID:
		if ss, ok := v.(*types.AttributeValueMemberSS); ok {
			return ss.Value, true
		}
	case pgtype.NumericArrayOID:
		if ns, ok := v.(*types.AttributeValueMemberNS); ok {
			out := make([]pgtype.Numeric, len(ns.Value))
			for i, s := range ns.Value {
				if out[i], ok = numericOf(s); !ok {
					return nil, false
				}
			}
			return out, true
		}
	case pgtype.Int8ArrayOID:
		if ns, ok := v.(*types.AttributeValueMemberNS); ok {
			out := make([]int64, len(ns.Value))
			for i, s := range ns.Value {
				if out[i], ok = intOfNumber(s, 64); !ok {
					return nil, false
				}
			}
			return out, true
		}
	case pgtype.ByteaArrayOID:
		if bs, ok := v.(*types.AttributeValueMemberBS); ok {
			return bs.Value, true
		}
	}
	return nil, false
}

// appendBinary appends v in oid's binary format (see AppendRow for values
// that do not fit).
func appendBinary(buf []byte, m *pgtype.Map, c Column, v types.AttributeValue) ([]byte, error) {
	oid := c.OID
	switch {
	case isTextual(oid):
		// The binary form of text is its bytes.
		return appendValueText(buf, v), nil
	case oid == pgtype.ByteaOID:
		if b, ok := v.(*types.AttributeValueMemberB); ok {
			return append(buf, b.Value...), nil
		}
		return appendValueText(buf, v), nil
	case oid == pgtype.JSONBOID:
		out, _ := appendJSON(append(buf, 1), v) // jsonb's binary format version
		return out, nil
	case oid == pgtype.JSONOID:
		out, _ := appendJSON(buf, v)
		return out, nil
	case oid == pgtype.BoolOID:
		if b, ok := v.(*types.AttributeValueMemberBOOL); ok {
			if b.Value {
				return append(buf, 1), nil
			}
			return append(buf, 0), nil
		}
	default:
		if val, ok := pgValue(oid, v); ok {
			out, err := m.Encode(oid, binaryFormat, val, buf)
			if err != nil {
				return buf, sqlerr.Wrap(err, sqlerr.Internal)
			}
			return out, nil
		}
	}
	return buf, misfit(c, v)
}

// misfit is the error for a value that cannot be sent in its column's
// binary format.
func misfit(c Column, v types.AttributeValue) error {
	return sqlerr.New(sqlerr.DatatypeMismatch,
		"attribute %q holds a %s value (%s) that cannot be sent as binary %s",
		c.Attr, value.TypeName(v), shorten(format.Text(v)), typeName(c.OID)).
		WithHint("ANALYZE the table to sample its column types again, cast the column to text, or request text format")
}

// shorten cuts s for an error message.
func shorten(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
