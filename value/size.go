package value

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Size is DynamoDB's size() of v: a string's length in UTF-16 code units
// (as DynamoDB counts, so size('a😀') is 3), a binary's length in bytes,
// the number of elements of a set, list or map. ok is false for the other
// types and for a missing attribute, which have no size.
func Size(v types.AttributeValue) (n int, ok bool) {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return UTF16Len(x.Value), true
	case *types.AttributeValueMemberB:
		return len(x.Value), true
	case *types.AttributeValueMemberSS:
		return len(x.Value), true
	case *types.AttributeValueMemberNS:
		return len(x.Value), true
	case *types.AttributeValueMemberBS:
		return len(x.Value), true
	case *types.AttributeValueMemberL:
		return len(x.Value), true
	case *types.AttributeValueMemberM:
		return len(x.Value), true
	}
	return 0, false
}

// UTF16Len is the length of s in UTF-16 code units.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if r > 0xFFFF {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// ItemSize is an item's size as DynamoDB measures it for the 400 KB item
// limit, capacity units and TableSizeBytes: each attribute name's UTF-8
// length plus its value's AttributeSize.
func ItemSize(item map[string]types.AttributeValue) int {
	n := 0
	for k, v := range item {
		n += len(k) + AttributeSize(v)
	}
	return n
}

// AttributeSize is the size of one value by DynamoDB's documented rules:
// strings and binaries by length, numbers by about one byte per two
// significant digits plus one, BOOL and NULL one byte, documents three
// bytes plus their contents (one byte per element of overhead), sets the
// sum of their elements.
func AttributeSize(v types.AttributeValue) int {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return len(x.Value)
	case *types.AttributeValueMemberN:
		return numberSize(x.Value)
	case *types.AttributeValueMemberB:
		return len(x.Value)
	case *types.AttributeValueMemberBOOL, *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberSS:
		n := 0
		for _, s := range x.Value {
			n += len(s)
		}
		return n
	case *types.AttributeValueMemberNS:
		n := 0
		for _, s := range x.Value {
			n += numberSize(s)
		}
		return n
	case *types.AttributeValueMemberBS:
		n := 0
		for _, b := range x.Value {
			n += len(b)
		}
		return n
	case *types.AttributeValueMemberL:
		n := 3
		for _, e := range x.Value {
			n += 1 + AttributeSize(e)
		}
		return n
	case *types.AttributeValueMemberM:
		n := 3
		for k, e := range x.Value {
			n += 1 + len(k) + AttributeSize(e)
		}
		return n
	}
	return 0
}

// numberSize is (significant digits + 1) / 2 rounded up, plus one.
func numberSize(s string) int {
	digits := len(SignificantDigits(s))
	if digits == 0 {
		return 1
	}
	return (digits+1)/2 + 1
}

// SignificantDigits returns a number's digits without sign, decimal point,
// exponent, leading and trailing zeros: "" for zero. A string that is not
// a number is read as well as it can be.
func SignificantDigits(s string) string {
	if n, err := NormalizeNumber(s); err == nil {
		s = n // plain form: [-]int[.frac], no exponent
	}
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart != "" {
		return strings.TrimRight(intPart+frac, "0")
	}
	return strings.Trim(frac, "0")
}
