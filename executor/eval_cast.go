package executor

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/cockroachdb/apd/v3"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// Casts convert between DynamoDB's types as PostgreSQL converts between the
// types it stands for: text is S, the numeric types are N, bool is BOOL,
// bytea is B, json and jsonb are the document types (M, L) and scalars, and
// dates and timestamps are S in ISO 8601 text, the form DynamoDB
// applications store them in. A missing value stays missing and NULL stays
// NULL. Bad input fails with PostgreSQL's SQLSTATE and wording (22P02
// invalid input syntax, 22003 out of range, 42846 no such cast).

// cannotCoerce is PostgreSQL's SQLSTATE for a cast that does not exist.
const cannotCoerce = "42846"

// pgTypeNames are the names PostgreSQL's messages give the cast targets.
var pgTypeNames = map[string]string{
	"int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real",
	"float8": "double precision", "bool": "boolean", "bpchar": "character",
	"varchar": "character varying", "timestamptz": "timestamp with time zone",
	"timestamp": "timestamp without time zone",
}

func pgTypeName(t string) string {
	if n, ok := pgTypeNames[t]; ok {
		return n
	}
	return t
}

// sourceTypeName names the PostgreSQL type a DynamoDB value stands for.
func sourceTypeName(v types.AttributeValue) string {
	switch v.(type) {
	case *types.AttributeValueMemberS:
		return "text"
	case *types.AttributeValueMemberN:
		return "numeric"
	case *types.AttributeValueMemberB:
		return "bytea"
	case *types.AttributeValueMemberBOOL:
		return "boolean"
	case *types.AttributeValueMemberM, *types.AttributeValueMemberL:
		return "jsonb"
	case *types.AttributeValueMemberSS:
		return "text[]"
	case *types.AttributeValueMemberNS:
		return "numeric[]"
	case *types.AttributeValueMemberBS:
		return "bytea[]"
	}
	return "unknown"
}

func (env *env) cast(x *parser.Cast, row Item) (types.AttributeValue, error) {
	v, err := env.eval(x.X, row)
	if err != nil {
		return nil, err
	}
	switch v.(type) {
	case nil, *types.AttributeValueMemberNULL:
		return v, nil
	}
	out, err := env.castValue(v, x.Type, x.Mods)
	if err != nil {
		return nil, located(err, x.Pos)
	}
	return out, nil
}

// castValue converts a present, non-NULL value to typ.
func (env *env) castValue(v types.AttributeValue, typ string, mods []int) (types.AttributeValue, error) {
	switch typ {
	case "text", "varchar", "bpchar", "name", "regclass", "oid":
		return castText(v, typ, mods), nil
	case "int2", "int4", "int8":
		return castInt(v, typ)
	case "numeric":
		return castNumeric(v, mods)
	case "float4", "float8":
		return castFloat(v, typ)
	case "bool":
		return castBool(v)
	case "bytea":
		return castBytea(v)
	case "json", "jsonb":
		return castJSON(v, typ)
	case "date", "timestamp", "timestamptz":
		return env.castTime(v, typ, mods)
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "casts to %s are not supported", typ)
}

func noCast(v types.AttributeValue, typ string) error {
	return sqlerr.New(cannotCoerce, "cannot cast type %s to %s", sourceTypeName(v), pgTypeName(typ))
}

func invalidInput(typ, s string) error {
	return sqlerr.New(sqlerr.InvalidText, "invalid input syntax for type %s: %s", pgTypeName(typ), quoteLiteral(s))
}

// quoteLiteral quotes s as PostgreSQL's messages quote input: "s".
func quoteLiteral(s string) string { return `"` + s + `"` }

// castText renders v as text. varchar(n) cuts to n characters and char(n)
// also pads to n, as explicit casts do in PostgreSQL; char without a
// length is char(1).
func castText(v types.AttributeValue, typ string, mods []int) types.AttributeValue {
	var s string
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		s = x.Value
	case *types.AttributeValueMemberB:
		s = `\x` + hex.EncodeToString(x.Value)
	default:
		s = format.Text(v)
	}
	n := -1
	switch {
	case len(mods) == 1:
		n = mods[0]
	case typ == "bpchar":
		n = 1
	}
	if n >= 0 && (typ == "varchar" || typ == "bpchar") {
		if utf8.RuneCountInString(s) > n {
			s = string([]rune(s)[:n])
		}
		if typ == "bpchar" {
			if pad := n - utf8.RuneCountInString(s); pad > 0 {
				s += strings.Repeat(" ", pad)
			}
		}
	}
	return &types.AttributeValueMemberS{Value: s}
}

// intRanges are the bounds of the integer types.
var intRanges = map[string][2]int64{
	"int2": {math.MinInt16, math.MaxInt16},
	"int4": {math.MinInt32, math.MaxInt32},
	"int8": {math.MinInt64, math.MaxInt64},
}

// castInt converts to an integer type: text must be an integer (spaces
// around it allowed), numbers round half away from zero, booleans are 1
// and 0.
func castInt(v types.AttributeValue, typ string) (types.AttributeValue, error) {
	var d *apd.Decimal
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		s := strings.TrimSpace(x.Value)
		if s == "" || strings.ContainsAny(s, ".eE") {
			return nil, invalidInput(typ, x.Value)
		}
		var err error
		if d, err = value.ParseNumber(strings.TrimPrefix(s, "+")); err != nil {
			if sqlerr.Code(err) == sqlerr.NumericOutOfRange {
				return nil, outOfRange(typ)
			}
			return nil, invalidInput(typ, x.Value)
		}
	case *types.AttributeValueMemberN:
		var err error
		if d, err = value.ParseNumber(x.Value); err != nil {
			return nil, err
		}
		r := new(apd.Decimal)
		if _, err := apd.BaseContext.WithPrecision(60).RoundToIntegralValue(r, d); err != nil {
			return nil, outOfRange(typ)
		}
		d = r
	case *types.AttributeValueMemberBOOL:
		if x.Value {
			return &types.AttributeValueMemberN{Value: "1"}, nil
		}
		return &types.AttributeValueMemberN{Value: "0"}, nil
	default:
		return nil, noCast(v, typ)
	}
	n, ok := value.Int64(d)
	if r := intRanges[typ]; !ok || n < r[0] || n > r[1] {
		return nil, outOfRange(typ)
	}
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}, nil
}

func outOfRange(typ string) error {
	return sqlerr.New(sqlerr.NumericOutOfRange, "%s out of range", pgTypeName(typ))
}

// castNumeric converts to numeric, rounding to numeric(p, s)'s scale and
// checking its precision.
func castNumeric(v types.AttributeValue, mods []int) (types.AttributeValue, error) {
	var text string
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		text = strings.TrimSpace(x.Value)
		if _, err := value.ParseNumber(strings.TrimPrefix(text, "+")); err != nil {
			if sqlerr.Code(err) == sqlerr.NumericOutOfRange {
				return nil, err
			}
			return nil, invalidInput("numeric", x.Value)
		}
		text = strings.TrimPrefix(text, "+")
	case *types.AttributeValueMemberN:
		text = x.Value
	case *types.AttributeValueMemberBOOL:
		return nil, noCast(v, "numeric")
	default:
		return nil, noCast(v, "numeric")
	}
	d, err := value.ParseNumber(text)
	if err != nil {
		return nil, err
	}
	if len(mods) > 0 {
		precision, scale := mods[0], 0
		if len(mods) > 1 {
			scale = mods[1]
		}
		if precision < 1 || precision > 1000 || scale > precision {
			return nil, sqlerr.New(sqlerr.InvalidParameter, "NUMERIC precision %d must be between 1 and 1000 and its scale %d at most the precision", precision, scale)
		}
		r := new(apd.Decimal)
		ctx := apd.BaseContext.WithPrecision(100)
		ctx.Rounding = apd.RoundHalfUp
		if _, err := ctx.Quantize(r, d, -int32(scale)); err != nil {
			return nil, numericOverflow(precision, scale)
		}
		if !r.IsZero() && int(r.NumDigits())+int(r.Exponent) > precision-scale {
			return nil, numericOverflow(precision, scale)
		}
		r.Reduce(r)
		d = r
	}
	return &types.AttributeValueMemberN{Value: value.FormatNumber(d)}, nil
}

func numericOverflow(precision, scale int) error {
	return sqlerr.New(sqlerr.NumericOutOfRange, "numeric field overflow").
		WithHint("a field with precision %d, scale %d must round to an absolute value less than 10^%d", precision, scale, precision-scale)
}

// castFloat converts to real or double precision. DynamoDB numbers cannot
// hold NaN or the infinities, so those inputs fail.
func castFloat(v types.AttributeValue, typ string) (types.AttributeValue, error) {
	bits := 64
	if typ == "float4" {
		bits = 32
	}
	var f float64
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		s := strings.TrimSpace(x.Value)
		var err error
		f, err = strconv.ParseFloat(s, bits)
		if err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
				return nil, sqlerr.New(sqlerr.NumericOutOfRange, "%s is out of range for type %s", quoteLiteral(x.Value), pgTypeName(typ))
			}
			return nil, invalidInput(typ, x.Value)
		}
	case *types.AttributeValueMemberN:
		var err error
		if f, err = strconv.ParseFloat(x.Value, bits); err != nil {
			return nil, sqlerr.New(sqlerr.NumericOutOfRange, "value out of range: overflow")
		}
	default:
		return nil, noCast(v, typ)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, sqlerr.New(sqlerr.NumericOutOfRange, "%s cannot be stored: DynamoDB numbers have no NaN or infinity", strconv.FormatFloat(f, 'g', -1, bits))
	}
	n, err := value.NormalizeNumber(strconv.FormatFloat(f, 'g', -1, bits))
	if err != nil {
		return nil, err
	}
	return &types.AttributeValueMemberN{Value: n}, nil
}

// castBool converts to boolean: PostgreSQL's words (true, yes, on, 1 and
// their opposites, any case, any unique prefix of true, false, yes, no) or
// a number (0 is false).
func castBool(v types.AttributeValue) (types.AttributeValue, error) {
	switch x := v.(type) {
	case *types.AttributeValueMemberBOOL:
		return x, nil
	case *types.AttributeValueMemberN:
		d, err := value.ParseNumber(x.Value)
		if err != nil {
			return nil, err
		}
		return boolValue(!d.IsZero()), nil
	case *types.AttributeValueMemberS:
		s := strings.ToLower(strings.TrimSpace(x.Value))
		switch s {
		case "on", "1":
			return trueValue, nil
		case "of", "off", "0":
			return falseValue, nil
		}
		if s != "" {
			for _, w := range []string{"true", "yes"} {
				if strings.HasPrefix(w, s) {
					return trueValue, nil
				}
			}
			for _, w := range []string{"false", "no"} {
				if strings.HasPrefix(w, s) {
					return falseValue, nil
				}
			}
		}
		return nil, invalidInput("bool", x.Value)
	}
	return nil, noCast(v, "bool")
}

// castBytea converts text in bytea's input forms (hex \x0102, or escape:
// \\ for a backslash, \ooo octal) to a binary.
func castBytea(v types.AttributeValue) (types.AttributeValue, error) {
	switch x := v.(type) {
	case *types.AttributeValueMemberB:
		return x, nil
	case *types.AttributeValueMemberS:
		s := x.Value
		if strings.HasPrefix(s, `\x`) {
			b, err := hex.DecodeString(strings.Join(strings.Fields(s[2:]), ""))
			if err != nil {
				return nil, invalidInput("bytea", s)
			}
			return &types.AttributeValueMemberB{Value: b}, nil
		}
		var b []byte
		for i := 0; i < len(s); i++ {
			if s[i] != '\\' {
				b = append(b, s[i])
				continue
			}
			switch {
			case i+1 < len(s) && s[i+1] == '\\':
				b = append(b, '\\')
				i++
			case i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) && s[i+1] <= '3':
				b = append(b, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
				i += 3
			default:
				return nil, invalidInput("bytea", s)
			}
		}
		if b == nil {
			b = []byte{}
		}
		return &types.AttributeValueMemberB{Value: b}, nil
	}
	return nil, noCast(v, "bytea")
}

func isOctal(c byte) bool { return '0' <= c && c <= '7' }

// castJSON parses text as JSON into DynamoDB's document types; a value
// already of a JSON type passes through.
func castJSON(v types.AttributeValue, typ string) (types.AttributeValue, error) {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		d := json.NewDecoder(strings.NewReader(x.Value))
		d.UseNumber()
		var raw any
		if err := d.Decode(&raw); err != nil {
			return nil, invalidInput(typ, x.Value)
		}
		if _, err := d.Token(); err != io.EOF {
			return nil, invalidInput(typ, x.Value)
		}
		return jsonValue(raw)
	case *types.AttributeValueMemberN, *types.AttributeValueMemberBOOL,
		*types.AttributeValueMemberM, *types.AttributeValueMemberL:
		return v, nil
	}
	return nil, noCast(v, typ)
}

// jsonValue converts a decoded JSON value.
func jsonValue(raw any) (types.AttributeValue, error) {
	switch x := raw.(type) {
	case nil:
		return nullValue, nil
	case bool:
		return boolValue(x), nil
	case string:
		return &types.AttributeValueMemberS{Value: x}, nil
	case json.Number:
		n, err := value.NormalizeNumber(x.String())
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberN{Value: n}, nil
	case []any:
		l := make([]types.AttributeValue, len(x))
		for i, e := range x {
			v, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			l[i] = v
		}
		return &types.AttributeValueMemberL{Value: l}, nil
	case map[string]any:
		m := make(map[string]types.AttributeValue, len(x))
		for k, e := range x {
			v, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	}
	return nil, sqlerr.New(sqlerr.Internal, "executor: unexpected JSON value %T", raw)
}

// timeLayouts are the date and time spellings casts accept, tried in order.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04Z07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

// castTime converts to date, timestamp or timestamptz, written as
// PostgreSQL writes them in the ISO DateStyle. Text without an offset is in
// the session's TimeZone for timestamptz; a number is seconds since the
// Unix epoch (how DynamoDB's TTL attributes hold times).
func (env *env) castTime(v types.AttributeValue, typ string, mods []int) (types.AttributeValue, error) {
	loc := env.location()
	var t time.Time
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		s := strings.TrimSpace(x.Value)
		parsed := false
		for _, layout := range timeLayouts {
			in := loc
			if typ != "timestamptz" {
				in = time.UTC
			}
			if tt, err := time.ParseInLocation(layout, s, in); err == nil {
				t, parsed = tt, true
				if typ != "timestamptz" {
					// A timestamp without time zone ignores an offset, as PostgreSQL does.
					t = time.Date(tt.Year(), tt.Month(), tt.Day(), tt.Hour(), tt.Minute(), tt.Second(), tt.Nanosecond(), time.UTC)
				}
				break
			}
		}
		if !parsed {
			return nil, invalidInput(typ, x.Value)
		}
	case *types.AttributeValueMemberN:
		if typ == "date" {
			return nil, noCast(v, typ)
		}
		f, err := strconv.ParseFloat(x.Value, 64)
		if err != nil || math.Abs(f) > 1e13 {
			return nil, sqlerr.New(sqlerr.NumericOutOfRange, "timestamp out of range: %s", x.Value)
		}
		sec, frac := math.Modf(f)
		t = time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC()
	default:
		return nil, noCast(v, typ)
	}
	return &types.AttributeValueMemberS{Value: formatTime(t, typ, mods, loc)}, nil
}

// formatTime writes t as PostgreSQL's ISO DateStyle does: microseconds
// (fewer with timestamp(p), trailing zeros dropped) and, for timestamptz,
// the offset of the session's time zone (+00, +05:30).
func formatTime(t time.Time, typ string, mods []int, loc *time.Location) string {
	if typ == "date" {
		return t.Format("2006-01-02")
	}
	digits := 6
	if len(mods) == 1 && mods[0] < 6 {
		digits = mods[0]
	}
	unit := time.Duration(math.Pow10(9 - digits))
	t = t.Round(unit)
	if typ == "timestamptz" {
		t = t.In(loc)
	}
	var b bytes.Buffer
	b.WriteString(t.Format("2006-01-02 15:04:05"))
	if frac := t.Nanosecond() / int(unit); frac > 0 && digits > 0 {
		f := strconv.Itoa(frac)
		f = strings.Repeat("0", digits-len(f)) + f
		b.WriteByte('.')
		b.WriteString(strings.TrimRight(f, "0"))
	}
	if typ == "timestamptz" {
		_, off := t.Zone()
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		b.WriteByte(sign)
		b.WriteString(twoDigits(off / 3600))
		if m := off % 3600 / 60; m != 0 {
			b.WriteByte(':')
			b.WriteString(twoDigits(m))
		}
	}
	return b.String()
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
