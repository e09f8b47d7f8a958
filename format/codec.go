package format

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// MarshalItemJSON returns it in DynamoDB's AttributeValue JSON, the lossless
// form the ddbjson format writes and UnmarshalItemJSON reads:
//
//	{"pk":{"S":"a"},"n":{"N":"1.50"},"tags":{"SS":["x","y"]}}
//
// Attributes named in order come first, in that order (names the item lacks
// are skipped), followed by the remaining attributes sorted by name. Nested
// map keys are sorted, so equal items marshal to equal bytes. N values are
// written exactly as stored.
func MarshalItemJSON(it Item, order []string) ([]byte, error) {
	var e encoder
	return e.appendItem(nil, it, order)
}

// appendItem appends it as a DynamoDB JSON object; see MarshalItemJSON.
func (e *encoder) appendItem(dst []byte, it Item, order []string) ([]byte, error) {
	base := len(e.keys)
	defer func() { e.keys = e.keys[:base] }()
	for _, k := range order {
		if _, ok := it[k]; ok && !slices.Contains(e.keys[base:], k) {
			e.keys = append(e.keys, k)
		}
	}
	mid := len(e.keys)
	if mid-base < len(it) {
		for k := range it {
			if !slices.Contains(e.keys[base:mid], k) {
				e.keys = append(e.keys, k)
			}
		}
		slices.Sort(e.keys[mid:])
	}
	keys := e.keys[base:]
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		var err error
		if dst, err = e.appendDDB(dst, it[k]); err != nil {
			return nil, atKey(k, err)
		}
	}
	return append(dst, '}'), nil
}

// MarshalValueJSON returns v in DynamoDB's AttributeValue JSON, an object
// with exactly one type key: {"N":"1.50"}, {"M":{"a":{"S":"x"}}}. It fails
// only for a nil value or a type this package does not know.
func MarshalValueJSON(v types.AttributeValue) ([]byte, error) {
	var e encoder
	return e.appendDDB(nil, v)
}

// PlainJSON returns v as ordinary JSON, the form the json and jsonl formats
// write: S as a string, N as a number with its digits exactly as stored, B as
// a base64 string, BOOL as true/false, NULL as null, M as an object with
// sorted keys, L as an array, and SS, NS and BS as arrays of strings, numbers
// and base64 strings. The type is not recorded, so a string set and a list of
// strings look alike; use MarshalValueJSON where that matters.
//
// N values that are valid JSON numbers are copied byte for byte. Other
// spellings DynamoDB accepts (".5", "+1", "5.", "007") are respelled with the
// same digits and exponent (0.5, 1, 5, 7); a value that is not a number at all
// becomes a JSON string, so the output always parses.
func PlainJSON(v types.AttributeValue) ([]byte, error) {
	var e encoder
	return e.appendPlain(nil, v)
}
