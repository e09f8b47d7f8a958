package ddblocal

import (
	"crypto/sha1"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// Keys are stored in bbolt, which orders keys bytewise, so each key attribute
// is encoded so that byte order equals DynamoDB's order for its type:
//
//   - S and B: the bytes with 0x00 escaped as 0x00 0xFF, then the terminator
//     0x00 0x01. A string that is a prefix of another sorts first because the
//     terminator is smaller than every escaped or ordinary byte that can
//     follow it.
//   - N: a sign byte (0x01 negative, 0x02 zero, 0x03 positive); for non-zero
//     numbers the adjusted exponent (power of ten of the leading digit,
//     -130…125) biased to one byte, the significant digits as ASCII without
//     leading or trailing zeros, and the terminator 0x00. Negative numbers
//     store the exponent and digits inverted (0xFF-b) and end with 0xFF, so
//     larger magnitudes sort first.
//
// Every component is self-delimiting, so a composite key (partition, then
// sort, then for index entries the table key) orders component by
// component.
const (
	escByte  = 0x00
	escFF    = 0xFF
	termByte = 0x01

	numNeg  = 0x01
	numZero = 0x02
	numPos  = 0x03

	expBias = 130 // -minAdjusted: maps the adjusted exponent onto 0…255
)

// appendKeyValue appends the order-preserving encoding of the key attribute
// value v, which must be S, N or B (validated before).
func appendKeyValue(dst []byte, v types.AttributeValue) []byte {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return appendEscaped(dst, x.Value)
	case *types.AttributeValueMemberB:
		return appendEscaped(dst, string(x.Value))
	case *types.AttributeValueMemberN:
		return appendNumber(dst, x.Value)
	}
	panic(fmt.Sprintf("ddblocal: key attribute of type %s", value.TypeName(v)))
}

// appendEscaped appends s with 0x00 escaped and the terminator.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, s[i])
		if s[i] == escByte {
			dst = append(dst, escFF)
		}
	}
	return append(dst, escByte, termByte)
}

// appendEscapedPrefix appends s escaped but without the terminator: every
// encoded value that begins with s begins with these bytes (begins_with on a
// sort key is a range scan over them).
func appendEscapedPrefix(dst []byte, s string) []byte {
	enc := appendEscaped(dst, s)
	return enc[:len(enc)-2]
}

// appendNumber appends the encoding of the DynamoDB number s (any spelling
// DynamoDB accepts; it is normalised here, so 1.50 and 1.5 encode alike).
func appendNumber(dst []byte, s string) []byte {
	neg, digits, adj := decimalParts(s)
	if digits == "" {
		return append(dst, numZero)
	}
	if !neg {
		dst = append(dst, numPos, byte(adj+expBias))
		dst = append(dst, digits...)
		return append(dst, 0x00)
	}
	dst = append(dst, numNeg, ^byte(adj+expBias))
	for i := 0; i < len(digits); i++ {
		dst = append(dst, ^digits[i])
	}
	return append(dst, 0xFF)
}

// decimalParts splits the number s into its sign, its significant digits
// without leading or trailing zeros ("" for zero) and its adjusted exponent:
// 123.4 is ("1234", 2), 0.005 is ("5", -3).
func decimalParts(s string) (neg bool, digits string, adj int) {
	if n, err := value.NormalizeNumber(s); err == nil {
		s = n // plain form: [-]int[.frac], no exponent
	}
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart != "" {
		all := strings.TrimRight(intPart+frac, "0")
		return neg, all, len(intPart) - 1
	}
	lead := len(frac) - len(strings.TrimLeft(frac, "0"))
	frac = strings.TrimRight(frac[lead:], "0")
	if frac == "" {
		return false, "", 0
	}
	return neg, frac, -lead - 1
}

// hashLen is the length of the partition hash that starts every storage
// key: a SHA-1 digest.
const hashLen = sha1.Size

// hashSalt is what DynamoDB Local feeds its SHA-1 before a key value.
var hashSalt = []byte("LocalDdb")

// keyHash is DynamoDB Local's hash of a key attribute value: SHA-1 of a salt
// and the value's bytes (the UTF-8 of a string, a binary's bytes, a
// number's sortable encoding). DynamoDB Local stores items in SQLite ordered
// by this hash of the partition key, so a Scan visits partitions in its
// order and parallel Scan segments are equal slices of its range; the
// engine keys its storage by the same hash and so scans in exactly
// DynamoDB Local's order.
func keyHash(v types.AttributeValue) [hashLen]byte {
	h := sha1.New()
	h.Write(hashSalt)
	h.Write(hashInput(v))
	var sum [hashLen]byte
	h.Sum(sum[:0])
	return sum
}

// pairHash is DynamoDB Local's hash of a table's partition and sort key
// together, SHA-1 of the salt and both values' hashes. It orders the
// entries of a global secondary index that share an index key.
func pairHash(pk, sk types.AttributeValue) [hashLen]byte {
	hp, hs := keyHash(pk), keyHash(sk)
	h := sha1.New()
	h.Write(hashSalt)
	h.Write(hp[:])
	h.Write(hs[:])
	var sum [hashLen]byte
	h.Sum(sum[:0])
	return sum
}

// hashInput is the bytes of a key attribute value that keyHash digests.
func hashInput(v types.AttributeValue) []byte {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return []byte(x.Value)
	case *types.AttributeValueMemberB:
		return x.Value
	case *types.AttributeValueMemberN:
		return sortableNumber(x.Value)
	}
	panic(fmt.Sprintf("ddblocal: key attribute of type %s", value.TypeName(v)))
}

// sortableNumber is DynamoDB Local's binary form of a number, the bytes it
// hashes: zero is 0x80; otherwise an exponent byte (192 plus half the
// even-rounded decimal exponent, complemented for a negative number)
// followed by the digits in base 100, each pair stored as value+1 (101-value
// for a negative number, which also ends with 102 when it has fewer than
// 20 digit pairs).
func sortableNumber(s string) []byte {
	neg, digits, adj := decimalParts(s)
	if digits == "" {
		return []byte{0x80}
	}
	exp := adj + 1 // precision - scale: digits before the decimal point
	if exp%2 != 0 {
		digits = "0" + digits
		exp++
	}
	pairs := (len(digits) + 1) / 2
	size := pairs + 1
	if neg && pairs < 20 {
		size++
	}
	buf := make([]byte, size)
	buf[0] = byte(192 + exp/2)
	if neg {
		buf[0] = ^buf[0]
		if pairs < 20 {
			buf[size-1] = 102
		}
	}
	for i := 0; i < len(digits); i += 2 {
		d := (digits[i] - '0') * 10
		if i+1 < len(digits) {
			d += digits[i+1] - '0'
		}
		if neg {
			d = 101 - d
		} else {
			d++
		}
		buf[i/2+1] = d
	}
	return buf
}

// keySchema names the partition and sort key of a table or index and their
// types; rangeKey is "" when there is no sort key.
type keySchema struct {
	HashKey, HashType   string
	RangeKey, RangeType string
}

// partitionPrefix returns the bytes every stored key of the partition pk
// begins with: the partition hash and the encoded partition value.
func partitionPrefix(pk types.AttributeValue) []byte {
	h := keyHash(pk)
	return appendKeyValue(append(make([]byte, 0, 64), h[:]...), pk)
}

// itemKey returns the storage key of the item with key attributes from item
// under schema ks: partition prefix, then the encoded sort key.
func (ks keySchema) itemKey(item map[string]types.AttributeValue) []byte {
	k := partitionPrefix(item[ks.HashKey])
	if ks.RangeKey != "" {
		k = appendKeyValue(k, item[ks.RangeKey])
	}
	return k
}
