package pgwire

// This file gives Bind parameters their values and Parse parameters their
// types.
//
// Parameter values become DynamoDB values:
//
//	int2, int4, int8, float4, float8, numeric    N (floats by their shortest exact decimal; NaN and infinities are refused)
//	bool                                        BOOL
//	text, varchar, bpchar, name, unknown        S
//	bytea                                       B
//	json, jsonb                                 plain JSON: object M, array L, string S, number N, true/false BOOL, null NULL
//	timestamptz                                 S, RFC 3339 in UTC: 2024-01-02T03:04:05.123Z
//	timestamp                                   S, ISO 8601 without zone: 2024-01-02T03:04:05.123
//	date                                        S, 2024-01-02 (infinity, -infinity: those words)
//	uuid                                        S, lower-case canonical form
//	text[], int[], numeric[], float[], bool[],  L of the elements (NULL elements NULL)
//	bytea[]
//	NULL (any type)                             NULL
//
// A text-format parameter of any other type is taken as its text (S);
// binary format of another type is refused (0A000). A value clients send
// without a time zone (timestamptz without offset) is read as UTC, and
// timestamps are stored in UTC whatever the session's TimeZone.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// protocolViolation is PostgreSQL's SQLSTATE for a malformed message.
const protocolViolation = "08P01"

// maxJSONDepth is DynamoDB's limit on nested maps and lists.
const maxJSONDepth = 32

// DecodeParam converts one Bind parameter to an AttributeValue (nil data = NULL). Bad input: *sqlerr.Error 22P02.
//
// Out-of-range numbers fail with 22003, like PostgreSQL; an unknown
// format code with 08P01.
func DecodeParam(oid uint32, format int16, data []byte) (types.AttributeValue, error) {
	if data == nil {
		return &types.AttributeValueMemberNULL{Value: true}, nil
	}
	switch format {
	case textFormat:
		return decodeText(oid, data)
	case binaryFormat:
		return decodeBinary(oid, data)
	}
	return nil, sqlerr.New(protocolViolation, "unsupported format code: %d", format)
}

// invalidText is PostgreSQL's error for text that is not a value of oid.
func invalidText(oid uint32, s string) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidText, "invalid input syntax for type %s: %q", typeName(oid), shorten(s))
}

// invalidBinary is the error for binary data that is not a value of oid.
func invalidBinary(oid uint32) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidText, "incorrect binary data format for type %s", typeName(oid))
}

// decodeText reads a text-format parameter.
func decodeText(oid uint32, data []byte) (types.AttributeValue, error) {
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID:
		s := trimSpace(data)
		i, err := strconv.ParseInt(s, 10, intBits(oid))
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return nil, sqlerr.New(sqlerr.NumericOutOfRange, "value %q is out of range for type %s", shorten(s), typeName(oid))
			}
			return nil, invalidText(oid, s)
		}
		return number(strconv.FormatInt(i, 10)), nil
	case pgtype.Float4OID, pgtype.Float8OID:
		s := trimSpace(data)
		bits := 64
		if oid == pgtype.Float4OID {
			bits = 32
		}
		f, err := strconv.ParseFloat(s, bits)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, invalidText(oid, s)
		}
		return floatNumber(oid, f, bits)
	case pgtype.NumericOID:
		s := trimSpace(data)
		return numericText(s)
	case pgtype.BoolOID:
		b, ok := parseBool(trimSpace(data))
		if !ok {
			return nil, invalidText(oid, string(data))
		}
		return &types.AttributeValueMemberBOOL{Value: b}, nil
	case pgtype.ByteaOID:
		b, err := decodeByteaText(data)
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberB{Value: b}, nil
	case pgtype.JSONOID, pgtype.JSONBOID:
		return decodeJSON(oid, data)
	case pgtype.TimestampOID, pgtype.TimestamptzOID, pgtype.DateOID:
		return timeText(oid, data)
	case pgtype.UUIDOID:
		var u pgtype.UUID
		if err := u.Scan(trimSpace(data)); err != nil {
			return nil, invalidText(oid, string(data))
		}
		return &types.AttributeValueMemberS{Value: u.String()}, nil
	}
	if isArrayOID(oid) {
		return decodeArray(oid, textFormat, data)
	}
	return stringParam(oid, data)
}

// decodeBinary reads a binary-format parameter.
func decodeBinary(oid uint32, data []byte) (types.AttributeValue, error) {
	switch oid {
	case pgtype.Int2OID:
		if len(data) != 2 {
			return nil, invalidBinary(oid)
		}
		return number(strconv.FormatInt(int64(int16(binary.BigEndian.Uint16(data))), 10)), nil
	case pgtype.Int4OID:
		if len(data) != 4 {
			return nil, invalidBinary(oid)
		}
		return number(strconv.FormatInt(int64(int32(binary.BigEndian.Uint32(data))), 10)), nil
	case pgtype.Int8OID:
		if len(data) != 8 {
			return nil, invalidBinary(oid)
		}
		return number(strconv.FormatInt(int64(binary.BigEndian.Uint64(data)), 10)), nil
	case pgtype.Float4OID:
		if len(data) != 4 {
			return nil, invalidBinary(oid)
		}
		return floatNumber(oid, float64(math.Float32frombits(binary.BigEndian.Uint32(data))), 32)
	case pgtype.Float8OID:
		if len(data) != 8 {
			return nil, invalidBinary(oid)
		}
		return floatNumber(oid, math.Float64frombits(binary.BigEndian.Uint64(data)), 64)
	case pgtype.NumericOID:
		var n pgtype.Numeric
		if err := scanBinary(oid, data, &n); err != nil {
			return nil, err
		}
		return numericValue(n)
	case pgtype.BoolOID:
		if len(data) != 1 || data[0] > 1 {
			return nil, invalidBinary(oid)
		}
		return &types.AttributeValueMemberBOOL{Value: data[0] == 1}, nil
	case pgtype.ByteaOID:
		return &types.AttributeValueMemberB{Value: bytes.Clone(data)}, nil
	case pgtype.JSONOID:
		return decodeJSON(oid, data)
	case pgtype.JSONBOID:
		if len(data) == 0 || data[0] != 1 {
			return nil, sqlerr.New(sqlerr.InvalidText, "unsupported jsonb version number %d", firstByte(data))
		}
		return decodeJSON(oid, data[1:])
	case pgtype.TimestampOID, pgtype.TimestamptzOID, pgtype.DateOID:
		return timeBinary(oid, data)
	case pgtype.UUIDOID:
		var u pgtype.UUID
		if err := scanBinary(oid, data, &u); err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberS{Value: u.String()}, nil
	case 0, pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.NameOID, pgtype.UnknownOID:
		return stringParam(oid, data)
	}
	if isArrayOID(oid) {
		return decodeArray(oid, binaryFormat, data)
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "binary format of parameters of type %s is not supported", typeName(oid)).
		WithHint("send the parameter in text format")
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}

// scanBinary decodes binary data of oid into dst with pgtype.
func scanBinary(oid uint32, data []byte, dst any) error {
	m := typeMaps.Get().(*pgtype.Map)
	defer typeMaps.Put(m)
	if err := m.Scan(oid, binaryFormat, data, dst); err != nil {
		return invalidBinary(oid)
	}
	return nil
}

func number(s string) types.AttributeValue { return &types.AttributeValueMemberN{Value: s} }

// stringParam is a character parameter: valid UTF-8, as DynamoDB requires.
func stringParam(oid uint32, data []byte) (types.AttributeValue, error) {
	if !utf8.Valid(data) {
		return nil, sqlerr.New(sqlerr.InvalidText, "invalid byte sequence for encoding \"UTF8\" in a parameter of type %s", typeName(oid))
	}
	return &types.AttributeValueMemberS{Value: string(data)}, nil
}

// trimSpace drops the white space PostgreSQL's input functions ignore
// around numbers and booleans.
func trimSpace(b []byte) string { return string(bytes.TrimSpace(b)) }

// floatNumber turns a float into a DynamoDB number: its shortest decimal
// that reads back as the same float.
func floatNumber(oid uint32, f float64, bits int) (types.AttributeValue, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, sqlerr.New(sqlerr.InvalidText, "%s value %s cannot be stored: DynamoDB numbers are finite",
			typeName(oid), strconv.FormatFloat(f, 'g', -1, bits))
	}
	s, err := value.NormalizeNumber(strconv.FormatFloat(f, 'g', -1, bits))
	if err != nil {
		return nil, err
	}
	return number(s), nil
}

// numericText reads numeric's text input.
func numericText(s string) (types.AttributeValue, error) {
	switch strings.ToLower(s) {
	case "nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf":
		return nil, sqlerr.New(sqlerr.InvalidText, "numeric value %s cannot be stored: DynamoDB numbers are finite", s)
	}
	n, err := value.NormalizeNumber(s)
	if err != nil {
		if sqlerr.Code(err) == sqlerr.InvalidText {
			return nil, invalidText(pgtype.NumericOID, s)
		}
		return nil, err
	}
	return number(n), nil
}

// numericValue turns a decoded numeric into a DynamoDB number.
func numericValue(n pgtype.Numeric) (types.AttributeValue, error) {
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return nil, sqlerr.New(sqlerr.InvalidText, "numeric NaN and infinities cannot be stored: DynamoDB numbers are finite")
	}
	digits := "0"
	if n.Int != nil {
		digits = n.Int.String()
	}
	return numericText(digits + "E" + strconv.Itoa(int(n.Exp)))
}

// parseBool reads boolean input as PostgreSQL's boolin does: true, yes,
// on, 1 and false, no, off, 0, case-insensitive, and unique prefixes of the
// words.
func parseBool(s string) (bool, bool) {
	l := strings.ToLower(s)
	switch {
	case l == "":
		return false, false
	case l == "1" || l == "on" || strings.HasPrefix("true", l) || strings.HasPrefix("yes", l):
		return true, true
	case l == "0" || l == "off" || l == "of" || strings.HasPrefix("false", l) || strings.HasPrefix("no", l):
		return false, true
	}
	return false, false
}

// decodeByteaText reads bytea's text input: hex (\x0102, white space
// between pairs allowed) or the escape format (\\ and \ooo octal; other
// bytes as they are).
func decodeByteaText(data []byte) ([]byte, error) {
	bad := func() error { return invalidText(pgtype.ByteaOID, string(data)) }
	if bytes.HasPrefix(data, []byte(`\x`)) {
		out := make([]byte, 0, (len(data)-2)/2)
		for i := 2; i < len(data); {
			c := data[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			if i+1 >= len(data) {
				return nil, bad()
			}
			hi, ok1 := unhex(c)
			lo, ok2 := unhex(data[i+1])
			if !ok1 || !ok2 {
				return nil, bad()
			}
			out = append(out, hi<<4|lo)
			i += 2
		}
		return out, nil
	}
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		switch {
		case i+1 < len(data) && data[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(data) && isOctal(data[i+1]) && data[i+1] <= '3' && isOctal(data[i+2]) && isOctal(data[i+3]):
			out = append(out, (data[i+1]-'0')<<6|(data[i+2]-'0')<<3|(data[i+3]-'0'))
			i += 3
		default:
			return nil, bad()
		}
	}
	return out, nil
}

func isOctal(c byte) bool { return '0' <= c && c <= '7' }

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeJSON reads a json or jsonb parameter as plain JSON.
func decodeJSON(oid uint32, data []byte) (types.AttributeValue, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	v, err := jsonValue(d, 0)
	if err == nil {
		if _, err2 := d.Token(); err2 != io.EOF {
			err = errors.New("trailing data after the JSON value")
		}
	}
	if err != nil {
		var se *sqlerr.Error
		if errors.As(err, &se) {
			return nil, se
		}
		return nil, sqlerr.New(sqlerr.InvalidText, "invalid input syntax for type %s: %s", typeName(oid), err.Error())
	}
	return v, nil
}

// jsonValue reads one plain JSON value from d.
func jsonValue(d *json.Decoder, depth int) (types.AttributeValue, error) {
	tok, err := d.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case bool:
		return &types.AttributeValueMemberBOOL{Value: t}, nil
	case string:
		return &types.AttributeValueMemberS{Value: t}, nil
	case json.Number:
		n, err := value.NormalizeNumber(t.String())
		if err != nil {
			return nil, err
		}
		return number(n), nil
	case json.Delim:
		if depth >= maxJSONDepth {
			return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "JSON parameter nests deeper than DynamoDB's %d levels", maxJSONDepth)
		}
		if t == '[' {
			l := []types.AttributeValue{}
			for d.More() {
				v, err := jsonValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			_, err := d.Token()
			return &types.AttributeValueMemberL{Value: l}, err
		}
		m := map[string]types.AttributeValue{}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return nil, err
			}
			v, err := jsonValue(d, depth+1)
			if err != nil {
				return nil, err
			}
			m[k.(string)] = v
		}
		_, err := d.Token()
		return &types.AttributeValueMemberM{Value: m}, err
	}
	return nil, errors.New("unexpected JSON token")
}

// timeText reads timestamp, timestamptz and date text input: PostgreSQL's
// own spellings (through pgtype) and RFC 3339.
func timeText(oid uint32, data []byte) (types.AttributeValue, error) {
	s := trimSpace(data)
	switch strings.ToLower(s) {
	case "infinity", "-infinity":
		return &types.AttributeValueMemberS{Value: strings.ToLower(s)}, nil
	}
	m := typeMaps.Get().(*pgtype.Map)
	defer typeMaps.Put(m)
	var t time.Time
	if err := m.Scan(oid, textFormat, []byte(s), &t); err != nil {
		var ok bool
		if t, ok = parseTime(s); !ok {
			return nil, invalidText(oid, s)
		}
	}
	return timeString(oid, t), nil
}

// timeBinary reads timestamp, timestamptz and date binary input.
func timeBinary(oid uint32, data []byte) (types.AttributeValue, error) {
	var (
		t   time.Time
		inf pgtype.InfinityModifier
	)
	switch oid {
	case pgtype.TimestampOID:
		var ts pgtype.Timestamp
		if err := scanBinary(oid, data, &ts); err != nil {
			return nil, err
		}
		t, inf = ts.Time, ts.InfinityModifier
	case pgtype.TimestamptzOID:
		var ts pgtype.Timestamptz
		if err := scanBinary(oid, data, &ts); err != nil {
			return nil, err
		}
		t, inf = ts.Time, ts.InfinityModifier
	default:
		var dt pgtype.Date
		if err := scanBinary(oid, data, &dt); err != nil {
			return nil, err
		}
		t, inf = dt.Time, dt.InfinityModifier
	}
	switch inf {
	case pgtype.Infinity:
		return &types.AttributeValueMemberS{Value: "infinity"}, nil
	case pgtype.NegativeInfinity:
		return &types.AttributeValueMemberS{Value: "-infinity"}, nil
	}
	return timeString(oid, t), nil
}

// timeString spells t as the S value stored for oid.
func timeString(oid uint32, t time.Time) types.AttributeValue {
	var s string
	switch oid {
	case pgtype.TimestamptzOID:
		s = t.UTC().Format(time.RFC3339Nano)
	case pgtype.TimestampOID:
		s = t.Format("2006-01-02T15:04:05.999999999")
	default:
		s = t.Format(time.DateOnly)
	}
	return &types.AttributeValueMemberS{Value: s}
}

// isArrayOID reports whether oid is an array type DecodeParam reads.
func isArrayOID(oid uint32) bool {
	switch oid {
	case pgtype.TextArrayOID, pgtype.VarcharArrayOID, pgtype.BPCharArrayOID, pgtype.NameArrayOID,
		pgtype.Int2ArrayOID, pgtype.Int4ArrayOID, pgtype.Int8ArrayOID, pgtype.NumericArrayOID,
		pgtype.Float4ArrayOID, pgtype.Float8ArrayOID, pgtype.BoolArrayOID, pgtype.ByteaArrayOID:
		return true
	}
	return false
}

// decodeArray reads a one-dimensional array parameter as a list.
func decodeArray(oid uint32, format int16, data []byte) (types.AttributeValue, error) {
	m := typeMaps.Get().(*pgtype.Map)
	defer typeMaps.Put(m)
	fail := func() error {
		if format == binaryFormat {
			return invalidBinary(oid)
		}
		return invalidText(oid, string(data))
	}
	var out []types.AttributeValue
	null := &types.AttributeValueMemberNULL{Value: true}
	switch oid {
	case pgtype.TextArrayOID, pgtype.VarcharArrayOID, pgtype.BPCharArrayOID, pgtype.NameArrayOID:
		var a []pgtype.Text
		if err := m.Scan(oid, format, data, &a); err != nil {
			return nil, fail()
		}
		for _, e := range a {
			if !e.Valid {
				out = append(out, null)
				continue
			}
			if !utf8.ValidString(e.String) {
				return nil, fail()
			}
			out = append(out, &types.AttributeValueMemberS{Value: e.String})
		}
	case pgtype.Int2ArrayOID, pgtype.Int4ArrayOID, pgtype.Int8ArrayOID:
		var a []pgtype.Int8
		if err := m.Scan(oid, format, data, &a); err != nil {
			return nil, fail()
		}
		for _, e := range a {
			if !e.Valid {
				out = append(out, null)
				continue
			}
			out = append(out, number(strconv.FormatInt(e.Int64, 10)))
		}
	case pgtype.NumericArrayOID:
		var a []pgtype.Numeric
		if err := m.Scan(oid, format, data, &a); err != nil {
			return nil, fail()
		}
		for _, e := range a {
			if !e.Valid {
				out = append(out, null)
				continue
			}
			v, err := numericValue(e)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	case pgtype.Float4ArrayOID, pgtype.Float8ArrayOID:
		elem, bits := uint32(pgtype.Float8OID), 64
		if oid == pgtype.Float4ArrayOID {
			elem, bits = pgtype.Float4OID, 32
		}
		var a []pgtype.Float8
		if err := m.Scan(oid, format, data, &a); err != nil {
			return nil, fail()
		}
		for _, e := range a {
			if !e.Valid {
				out = append(out, null)
				continue
			}
			v, err := floatNumber(elem, e.Float64, bits)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	case pgtype.ByteaArrayOID:
		var a [][]byte
		if err := m.Scan(oid, format, data, &a); err != nil {
			return nil, fail()
		}
		for _, e := range a {
			if e == nil {
				out = append(out, null)
				continue
			}
			out = append(out, &types.AttributeValueMemberB{Value: e})
		}
	case pgtype.BoolArrayOID:
		var a []pgtype.Bool
		if err := m.Scan(oid, format, data, &a); err != nil {
			return nil, fail()
		}
		for _, e := range a {
			if !e.Valid {
				out = append(out, null)
				continue
			}
			out = append(out, &types.AttributeValueMemberBOOL{Value: e.Bool})
		}
	}
	if out == nil {
		out = []types.AttributeValue{}
	}
	return &types.AttributeValueMemberL{Value: out}, nil
}

// ParamTypes returns one OID per parameter of stmt: given[i] when non-zero, else inferred from what the parameter is
// compared with or assigned to (the column's type), else text.
//
// The contexts: a comparison, BETWEEN or IN with an expression (that
// expression's type, an attribute's being its column's); SET a = $n and
// INSERT's columns or VALUE {'a': $n} (a's type); INSERT ... VALUE $n
// (jsonb: the whole item); LIMIT and OFFSET (bigint); a cast ($n::int4);
// LIKE, || and string functions (text); AND, OR, NOT (boolean); arithmetic
// (the other operand's numeric type, else numeric). A parameter used in
// several places takes the first of them, in statement order.
func (d *Describer) ParamTypes(ctx context.Context, sess *session.Session, stmt parser.Statement, plan *planner.Plan, given []uint32) ([]uint32, error) {
	return d.paramTypes(ctx, sessionCatalog(sess), stmt, plan, given)
}

// paramTypes is ParamTypes with the catalog given.
func (d *Describer) paramTypes(ctx context.Context, cat catalog.Catalog, stmt parser.Statement, plan *planner.Plan, given []uint32) ([]uint32, error) {
	inf := &inference{ctx: ctx, d: d, cat: cat, types: map[int]uint32{}, max: -1}
	needed := false
	for _, g := range given {
		needed = needed || g == 0
	}
	n := len(given)
	if plan != nil {
		n = max(n, plan.NumParams)
	}
	if needed || n > len(given) || plan == nil {
		inf.statement(stmt)
		if inf.err != nil {
			return nil, inf.err
		}
	}
	n = max(n, inf.max+1)
	out := make([]uint32, n)
	for i := range out {
		switch {
		case i < len(given) && given[i] != 0:
			out[i] = given[i]
		case inf.types[i] != 0:
			out[i] = inf.types[i]
		default:
			out[i] = pgtype.TextOID
		}
	}
	return out, nil
}

// inference walks a statement and records the type each parameter's
// context gives it.
type inference struct {
	ctx   context.Context
	d     *Describer
	cat   catalog.Catalog
	types map[int]uint32
	max   int // highest parameter index seen
	err   error
}

// set records oid for e when e is a parameter not typed yet.
func (in *inference) set(e parser.Expr, oid uint32) {
	if p, ok := e.(*parser.Param); ok && oid != 0 {
		if _, done := in.types[p.Index]; !done {
			in.types[p.Index] = oid
		}
	}
}

// typerFor returns a typer over table (alias as written in FROM).
func (in *inference) typerFor(table, alias string) *typer {
	return &typer{ctx: in.ctx, d: in.d, cat: in.cat, table: table, alias: alias}
}

// typeOf types e, remembering the first error (a failed sample).
func (in *inference) typeOf(ty *typer, e parser.Expr) uint32 {
	oid := ty.expr(e)
	if ty.err != nil && in.err == nil {
		in.err = ty.err
	}
	return oid
}

func isParam(e parser.Expr) bool {
	_, ok := e.(*parser.Param)
	return ok
}

func (in *inference) statement(stmt parser.Statement) {
	switch s := stmt.(type) {
	case *parser.Select:
		in.selectStmt(s)
	case *parser.Insert:
		ty := in.typerFor(s.Table, "")
		switch v := s.Value.(type) {
		case *parser.Param:
			in.set(v, pgtype.JSONBOID)
			in.expr(ty, v)
		case *parser.MapExpr:
			for _, en := range v.Entries {
				if isParam(en.Value) {
					in.set(en.Value, in.attrType(ty, en.Key))
				}
				in.expr(ty, en.Value)
			}
		}
		for _, row := range s.Rows {
			for i, e := range row {
				if i < len(s.Columns) && isParam(e) {
					in.set(e, in.attrType(ty, s.Columns[i]))
				}
				in.expr(ty, e)
			}
		}
		if s.Select != nil {
			in.selectStmt(s.Select)
		}
	case *parser.Update:
		ty := in.typerFor(s.Table, "")
		for _, a := range s.Actions {
			if a.Value == nil {
				continue
			}
			if isParam(a.Value) {
				in.set(a.Value, in.typeOf(ty, a.Path))
			}
			in.expr(ty, a.Value)
		}
		in.expr(ty, s.Where)
	case *parser.Delete:
		in.expr(in.typerFor(s.Table, ""), s.Where)
	case *parser.Explain:
		in.statement(s.Stmt)
	case *parser.Exists:
		in.selectStmt(s.Select)
	case *parser.Copy:
		if s.Query != nil {
			in.selectStmt(s.Query)
		}
	}
}

// attrType is the column type of a top-level attribute.
func (in *inference) attrType(ty *typer, name string) uint32 {
	oid := ty.attr(name)
	if ty.err != nil && in.err == nil {
		in.err = ty.err
	}
	return oid
}

func (in *inference) selectStmt(s *parser.Select) {
	ty := in.d.newTyper(in.ctx, in.cat, s)
	for _, it := range s.Items {
		in.expr(ty, it.Expr)
	}
	in.expr(ty, s.Where)
	for _, g := range s.GroupBy {
		in.expr(ty, g)
	}
	in.expr(ty, s.Having)
	for _, o := range s.OrderBy {
		in.expr(ty, o.Expr)
	}
	for _, e := range []parser.Expr{s.Limit, s.Offset} {
		in.set(e, pgtype.Int8OID)
		in.expr(ty, e)
	}
}

// expr types the parameters directly below e from e's other operands, then
// walks e's subexpressions.
func (in *inference) expr(ty *typer, e parser.Expr) {
	if e == nil || in.err != nil {
		return
	}
	// other types the operand that is not a parameter, 0 when both are.
	other := func(x parser.Expr) uint32 {
		if isParam(x) {
			return 0
		}
		return in.typeOf(ty, x)
	}
	switch x := e.(type) {
	case *parser.Param:
		in.max = max(in.max, x.Index)
	case *parser.ListExpr:
		in.exprs(ty, x.Elems)
	case *parser.SetExpr:
		in.exprs(ty, x.Elems)
	case *parser.MapExpr:
		for _, en := range x.Entries {
			in.expr(ty, en.Value)
		}
	case *parser.UnaryExpr:
		if strings.EqualFold(x.Op, "NOT") {
			in.set(x.X, pgtype.BoolOID)
		} else {
			in.set(x.X, pgtype.NumericOID)
		}
		in.expr(ty, x.X)
	case *parser.BinaryExpr:
		switch x.Op {
		case "AND", "OR":
			in.set(x.L, pgtype.BoolOID)
			in.set(x.R, pgtype.BoolOID)
		case "||":
			in.set(x.L, pgtype.TextOID)
			in.set(x.R, pgtype.TextOID)
		case "=", "<>", "<", "<=", ">", ">=":
			in.set(x.L, other(x.R))
			in.set(x.R, other(x.L))
		default: // arithmetic
			in.set(x.L, numericOr(other(x.R)))
			in.set(x.R, numericOr(other(x.L)))
		}
		in.expr(ty, x.L)
		in.expr(ty, x.R)
	case *parser.BetweenExpr:
		in.set(x.X, firstNonZero(other(x.Lo), other(x.Hi)))
		t := other(x.X)
		in.set(x.Lo, t)
		in.set(x.Hi, t)
		in.expr(ty, x.X)
		in.expr(ty, x.Lo)
		in.expr(ty, x.Hi)
	case *parser.InExpr:
		t := other(x.X)
		for _, el := range x.List {
			in.set(el, t)
			if t == 0 {
				t = other(el)
			}
		}
		in.set(x.X, t)
		in.expr(ty, x.X)
		in.exprs(ty, x.List)
	case *parser.LikeExpr:
		in.set(x.X, pgtype.TextOID)
		in.set(x.Pattern, pgtype.TextOID)
		in.expr(ty, x.X)
		in.expr(ty, x.Pattern)
	case *parser.IsExpr:
		in.expr(ty, x.X)
	case *parser.FuncCall:
		in.funcArgs(ty, x)
		in.exprs(ty, x.Args)
	case *parser.CaseExpr:
		var results []parser.Expr
		for _, w := range x.Whens {
			if !isParam(w.Result) {
				results = append(results, w.Result)
			}
		}
		if x.Else != nil && !isParam(x.Else) {
			results = append(results, x.Else)
		}
		var rt uint32
		if len(results) > 0 {
			rt = ty.commonType(results)
		}
		ot := uint32(0)
		if x.Operand != nil {
			ot = other(x.Operand)
		}
		for _, w := range x.Whens {
			if x.Operand != nil {
				in.set(w.Cond, ot)
				in.set(x.Operand, other(w.Cond))
			} else {
				in.set(w.Cond, pgtype.BoolOID)
			}
			in.set(w.Result, rt)
		}
		in.set(x.Else, rt)
		in.expr(ty, x.Operand)
		for _, w := range x.Whens {
			in.expr(ty, w.Cond)
			in.expr(ty, w.Result)
		}
		in.expr(ty, x.Else)
	case *parser.ExistsExpr:
		in.selectStmt(x.Select)
	case *parser.Cast:
		in.set(x.X, castOID(x.Type))
		in.expr(ty, x.X)
	}
}

func (in *inference) exprs(ty *typer, es []parser.Expr) {
	for _, e := range es {
		in.expr(ty, e)
	}
}

// funcArgs types parameters passed to functions: the string arguments of
// begins_with, contains (the element type of a set), attribute_type,
// lower, upper and length are text; aggregates take numbers.
func (in *inference) funcArgs(ty *typer, f *parser.FuncCall) {
	switch f.Name {
	case "begins_with", "attribute_type", "lower", "upper", "length", "char_length":
		for _, a := range f.Args {
			in.set(a, pgtype.TextOID)
		}
	case "contains":
		if len(f.Args) == 2 {
			t := pgtype.TextOID
			if !isParam(f.Args[0]) {
				switch in.typeOf(ty, f.Args[0]) {
				case pgtype.NumericArrayOID:
					t = pgtype.NumericOID
				case pgtype.ByteaArrayOID:
					t = pgtype.ByteaOID
				}
			}
			in.set(f.Args[1], uint32(t))
		}
	case "sum", "avg":
		for _, a := range f.Args {
			in.set(a, pgtype.NumericOID)
		}
	}
}

// numericOr is t when it is a numeric type, else numeric.
func numericOr(t uint32) uint32 {
	if isNumeric(t) {
		return t
	}
	return pgtype.NumericOID
}

func firstNonZero(a, b uint32) uint32 {
	if a != 0 {
		return a
	}
	return b
}
