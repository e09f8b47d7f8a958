package ddblocal

import (
	"cmp"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/cockroachdb/apd/v3"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// item is a DynamoDB item as the engine handles it.
type item = map[string]types.AttributeValue

// avMap is a map of attribute values in DynamoDB's JSON wire form: an Item,
// a Key. Decoding validates every value with DynamoDB's rules and messages
// and, as DynamoDB Local does, writes the numbers of top-level attributes
// and of sets in their canonical form (1.50 → 1.5, 1e3 → 1000) but keeps a
// number inside a map or list as it was sent. Numbers are compared by
// value, so the spelling only shows in what is returned.
type avMap map[string]types.AttributeValue

// UnmarshalJSON decodes and validates a map of attribute values.
func (m *avMap) UnmarshalJSON(data []byte) error {
	var raw map[string]*wireValue
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if raw == nil {
		*m = nil
		return nil
	}
	out := make(avMap, len(raw))
	for k, w := range raw {
		if k == "" {
			return validation("Empty attribute name")
		}
		v, err := w.decode(0, numbersCanonical)
		if err != nil {
			return err
		}
		out[k] = v
	}
	*m = out
	return nil
}

// MarshalJSON writes the map in DynamoDB JSON with sorted names.
func (m avMap) MarshalJSON() ([]byte, error) {
	return format.MarshalItemJSON(format.Item(m), nil)
}

// exprValues is ExpressionAttributeValues. Its numbers are kept as sent at
// every level, and its number sets' elements in Java's BigDecimal form, as
// DynamoDB Local keeps them: its messages quote them so, and an update
// stores them so, even in a top-level attribute (a PutItem item's
// top-level numbers are made canonical; see avMap). An invalid value is
// refused with DynamoDB's message naming its key.
type exprValues map[string]types.AttributeValue

// UnmarshalJSON decodes and validates ExpressionAttributeValues.
func (m *exprValues) UnmarshalJSON(data []byte) error {
	var raw map[string]*wireValue
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if raw == nil {
		*m = nil
		return nil
	}
	out := make(exprValues, len(raw))
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		v, err := raw[k].decode(0, numbersAsSent)
		if err != nil {
			var ae *apiError
			if errors.As(err, &ae) && ae.Type == "ValidationException" {
				return validation("ExpressionAttributeValues contains invalid value: " + ae.Message + " for key " + k)
			}
			return err
		}
		out[k] = v
	}
	*m = out
	return nil
}

// storedMap is an item read back from storage: decoded like avMap but
// with every number, at any depth and in sets, kept as stored.
type storedMap map[string]types.AttributeValue

// UnmarshalJSON decodes a stored item.
func (m *storedMap) UnmarshalJSON(data []byte) error {
	var raw map[string]*wireValue
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	out := make(storedMap, len(raw))
	for k, w := range raw {
		v, err := w.decode(0, numbersAsStored)
		if err != nil {
			return err
		}
		out[k] = v
	}
	*m = out
	return nil
}

// avList is a list of attribute values on the wire (a Key list of
// BatchGetItem is a list of avMap; this is for completeness of nesting).
type wireValue struct {
	S    *string               `json:"S"`
	N    *string               `json:"N"`
	B    []byte                `json:"B"`
	BOOL *bool                 `json:"BOOL"`
	NULL *bool                 `json:"NULL"`
	M    map[string]*wireValue `json:"M"`
	L    []*wireValue          `json:"L"`
	SS   []string              `json:"SS"`
	NS   []string              `json:"NS"`
	BS   [][]byte              `json:"BS"`
}

// maxNesting is DynamoDB's limit on nested documents: a value may sit
// inside at most 31 lists or maps.
const maxNesting = 32

// numberMode is how a decoded value spells its numbers. DynamoDB Local
// keeps the number it was sent (a Java BigDecimal) in some places and
// writes its canonical form in others; the spelling shows in every answer
// that returns the value.
type numberMode int

const (
	// numbersCanonical: a top-level attribute of an item or key (PutItem,
	// BatchWriteItem, TransactWriteItems Put): numbers and set elements
	// canonical.
	numbersCanonical numberMode = iota
	// numbersNested: inside a map or list of an item: numbers as sent, set
	// elements canonical.
	numbersNested
	// numbersAsSent: ExpressionAttributeValues and legacy AttributeUpdates
	// values, at any depth: numbers as sent, set elements in Java's
	// BigDecimal.toString form (1e3 → 1E+3, 2.50 stays 2.50), which is what
	// an update stores.
	numbersAsSent
	// numbersAsStored: an item read back from storage: everything as
	// stored.
	numbersAsStored
)

// nested is the mode of the values inside a map or list.
func (m numberMode) nested() numberMode {
	if m == numbersCanonical {
		return numbersNested
	}
	return m
}

// value converts w, at the given nesting depth of an item, into an
// AttributeValue, applying DynamoDB's validation; a number inside a map or
// list keeps its text.
func (w *wireValue) value(depth int) (types.AttributeValue, error) {
	if depth > 0 {
		return w.decode(depth, numbersNested)
	}
	return w.decode(depth, numbersCanonical)
}

// decode is value with the numbers spelled as mode says; every number is
// validated whatever its spelling.
func (w *wireValue) decode(depth int, mode numberMode) (types.AttributeValue, error) {
	if w == nil {
		return nil, validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	}
	if depth >= maxNesting {
		return nil, validation("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")
	}
	n := 0
	for _, set := range []bool{w.S != nil, w.N != nil, w.B != nil, w.BOOL != nil, w.NULL != nil,
		w.M != nil, w.L != nil, w.SS != nil, w.NS != nil, w.BS != nil} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		return nil, validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	case n > 1:
		return nil, validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
	}
	switch {
	case w.S != nil:
		return &types.AttributeValueMemberS{Value: *w.S}, nil
	case w.N != nil:
		s, err := normalizeNumber(*w.N)
		if err != nil {
			return nil, err
		}
		if mode != numbersCanonical {
			s = *w.N
		}
		return &types.AttributeValueMemberN{Value: s}, nil
	case w.B != nil:
		return &types.AttributeValueMemberB{Value: w.B}, nil
	case w.BOOL != nil:
		return &types.AttributeValueMemberBOOL{Value: *w.BOOL}, nil
	case w.NULL != nil:
		if !*w.NULL {
			return nil, validation("One or more parameter values were invalid: Null attribute value types must have the value of true")
		}
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case w.M != nil:
		m := make(map[string]types.AttributeValue, len(w.M))
		for k, e := range w.M {
			if k == "" {
				return nil, validation("Empty attribute name")
			}
			v, err := e.decode(depth+1, mode.nested())
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	case w.L != nil:
		l := make([]types.AttributeValue, len(w.L))
		for i, e := range w.L {
			v, err := e.decode(depth+1, mode.nested())
			if err != nil {
				return nil, err
			}
			l[i] = v
		}
		return &types.AttributeValueMemberL{Value: l}, nil
	case w.SS != nil:
		if len(w.SS) == 0 {
			return nil, validation("One or more parameter values were invalid: An string set  may not be empty")
		}
		if err := checkDuplicates(w.SS, func(s string) string { return s }); err != nil {
			return nil, err
		}
		slices.SortFunc(w.SS, compareUTF16)
		return &types.AttributeValueMemberSS{Value: w.SS}, nil
	case w.NS != nil:
		if len(w.NS) == 0 {
			return nil, validation("One or more parameter values were invalid: An number set  may not be empty")
		}
		ns := make([]string, len(w.NS))
		canon := make([]string, len(w.NS))
		for i, s := range w.NS {
			n, err := normalizeNumber(s)
			if err != nil {
				return nil, err
			}
			canon[i] = n
			switch mode {
			case numbersAsStored:
				ns[i] = s
			case numbersAsSent:
				ns[i] = javaDecimalString(s)
			default:
				ns[i] = n
			}
		}
		if err := checkDuplicates(canon, func(s string) string { return s }); err != nil {
			return nil, validation("Input collection contains duplicates")
		}
		sortNumbers(ns)
		return &types.AttributeValueMemberNS{Value: ns}, nil
	default:
		if len(w.BS) == 0 {
			return nil, validation("One or more parameter values were invalid: Binary sets should not be empty")
		}
		if err := checkDuplicates(w.BS, func(b []byte) string { return string(b) }); err != nil {
			return nil, validation("One or more parameter values were invalid: Input collection of type BS contains duplicates.")
		}
		slices.SortFunc(w.BS, compareSignedBytes)
		return &types.AttributeValueMemberBS{Value: w.BS}, nil
	}
}

// checkDuplicates refuses a set with two equal elements, with DynamoDB's
// message listing the input.
func checkDuplicates[E any](elems []E, key func(E) string) error {
	seen := make(map[string]bool, len(elems))
	for _, e := range elems {
		k := key(e)
		if seen[k] {
			return duplicatesError(elems)
		}
		seen[k] = true
	}
	return nil
}

func duplicatesError[E any](elems []E) error {
	parts := make([]string, len(elems))
	for i, e := range elems {
		switch x := any(e).(type) {
		case string:
			parts[i] = x
		}
	}
	return validation("One or more parameter values were invalid: Input collection [" + strings.Join(parts, ", ") + "] contains duplicates")
}

// normalizeNumber validates a number as DynamoDB does and returns its
// canonical text, with DynamoDB's messages for each kind of failure.
func normalizeNumber(s string) (string, error) {
	n, err := value.NormalizeNumber(s)
	if err == nil {
		return n, nil
	}
	var se *sqlerr.Error
	if errors.As(err, &se) && se.Code == sqlerr.NumericOutOfRange {
		switch {
		case strings.Contains(se.Message, "significant digits"):
			return "", validation("DynamoDB only supports precision up to 38 digits")
		case strings.Contains(se.Message, "overflow"):
			return "", validation("Number overflow. Attempting to store a number with magnitude larger than supported range")
		default:
			return "", validation("Number underflow. Attempting to store a number with magnitude smaller than supported range")
		}
	}
	return "", validation("A value provided cannot be converted into a number")
}

// Sets are kept in the order DynamoDB Local returns them in, which is the
// natural order of its Java types: strings by UTF-16 code unit (String),
// binaries by signed byte (ByteBuffer), numbers numerically.

// compareUTF16 orders strings as Java's String.compareTo does: by UTF-16
// code unit, which differs from byte order only where a character above
// U+FFFF (a surrogate pair, 0xD800…) meets one in U+E000…U+FFFF.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return cmp.Compare(utf16Key(ra), utf16Key(rb))
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// utf16Key is the first UTF-16 code unit of r, with the second appended so
// two supplementary characters compare fully.
func utf16Key(r rune) uint32 {
	if r < 0x10000 {
		return uint32(r) << 16
	}
	hi, lo := utf16.EncodeRune(r)
	return uint32(hi)<<16 | uint32(lo)
}

// compareSignedBytes orders binaries as Java's ByteBuffer.compareTo does:
// bytes as signed values (0x80…0xFF before 0x00), then the shorter first.
func compareSignedBytes(a, b []byte) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return cmp.Compare(int8(a[i]), int8(b[i]))
		}
	}
	return cmp.Compare(len(a), len(b))
}

func sortNumbers(ns []string) {
	slices.SortFunc(ns, func(a, b string) int {
		c, _ := value.Compare(&types.AttributeValueMemberN{Value: a}, &types.AttributeValueMemberN{Value: b})
		return c
	})
}

// sortSets puts every set in it, at any depth, in DynamoDB's order. Values
// computed by an update expression (ADD to a set) pass through it.
func sortSets(v types.AttributeValue) {
	switch x := v.(type) {
	case *types.AttributeValueMemberSS:
		slices.SortFunc(x.Value, compareUTF16)
	case *types.AttributeValueMemberNS:
		sortNumbers(x.Value)
	case *types.AttributeValueMemberBS:
		slices.SortFunc(x.Value, compareSignedBytes)
	case *types.AttributeValueMemberL:
		for _, e := range x.Value {
			sortSets(e)
		}
	case *types.AttributeValueMemberM:
		for _, e := range x.Value {
			sortSets(e)
		}
	}
}

// javaDecimalString spells a valid number as Java's BigDecimal.toString
// does: the digits as sent, without leading zeros, in plain notation unless
// the exponent is positive or the number is below 1e-6 (1e3 → 1E+3,
// 2.50 → 2.50, 0.0000001 → 1E-7). That is the General Decimal Arithmetic
// to-scientific-string, which apd implements, except that Java has no
// negative zero.
func javaDecimalString(s string) string {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		return s
	}
	if d.IsZero() {
		d.Negative = false
	}
	return d.String()
}
