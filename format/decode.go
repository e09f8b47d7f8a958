package format

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// maxDepth is DynamoDB's limit on nesting: a document may be nested at most
// 32 levels deep. Enforcing it here also bounds the decoder's recursion on
// hostile input.
const maxDepth = 32

// typeKeys lists the type keys of DynamoDB JSON, for error messages.
const typeKeys = "S, N, B, BOOL, NULL, M, L, SS, NS, BS"

// UnmarshalItemJSON parses one item in DynamoDB's AttributeValue JSON, the
// format MarshalItemJSON writes. It is strict, so that a file that loads is
// a file DynamoDB would accept:
//
//   - the input is exactly one JSON object (surrounding whitespace allowed);
//     attribute names and map keys are non-empty and none appears twice in
//     one object;
//   - every value is an object with exactly one of the keys S, N, B, BOOL,
//     NULL, M, L, SS, NS, BS, holding a value of the right JSON type;
//   - N and NS elements are strings holding a number DynamoDB can store (at
//     most 38 significant digits, magnitude 1E-130 to 9.99…E+125); they are
//     kept exactly as written;
//   - B and BS elements are standard base64 with padding;
//   - NULL is true; sets are non-empty and hold no duplicates (numbers are
//     compared by value, so "1" and "1.0" are duplicates);
//   - nesting is at most 32 levels deep.
//
// Errors carry SQLSTATE 22P02 and name the attribute path, for example
// `attribute info.tags[2]: N value "x" is not a number`.
func UnmarshalItemJSON(data []byte) (Item, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	it, err := decodeMap(d, 0)
	if err == nil {
		if tok, terr := d.Token(); terr != io.EOF {
			err = fmt.Errorf("%s after the item; expected end of input", describeToken(tok, terr))
		}
	}
	if err != nil {
		return nil, &sqlerr.Error{
			Code:    sqlerr.InvalidText,
			Message: "invalid DynamoDB JSON item: " + err.Error(),
			Hint:    `Each value is an object with one type key, e.g. {"pk":{"S":"a"},"n":{"N":"1"}}.`,
			Err:     err,
		}
	}
	return it, nil
}

// decodeMap reads an object of attribute names to values: an item, or the
// value of an M.
func decodeMap(d *json.Decoder, depth int) (map[string]types.AttributeValue, error) {
	if err := expectDelim(d, '{', "an object"); err != nil {
		return nil, err
	}
	m := make(map[string]types.AttributeValue)
	for d.More() {
		tok, err := next(d)
		if err != nil {
			return nil, err
		}
		k := tok.(string) // inside an object the decoder returns only string keys
		if k == "" {
			return nil, errors.New("empty attribute name; DynamoDB names have at least one character")
		}
		if _, dup := m[k]; dup {
			return nil, atKey(k, errors.New("attribute named twice"))
		}
		v, err := decodeValue(d, depth)
		if err != nil {
			return nil, atKey(k, err)
		}
		m[k] = v
	}
	_, err := next(d)
	return m, err
}

// decodeValue reads one {"TYPE": value} object.
func decodeValue(d *json.Decoder, depth int) (types.AttributeValue, error) {
	if depth >= maxDepth {
		return nil, fmt.Errorf("nested more than %d levels deep (DynamoDB's limit)", maxDepth)
	}
	if err := expectDelim(d, '{', "an object with one type key ("+typeKeys+")"); err != nil {
		return nil, err
	}
	if !d.More() {
		return nil, errors.New("empty object; expected one type key (" + typeKeys + ")")
	}
	tok, err := next(d)
	if err != nil {
		return nil, err
	}
	typ := tok.(string)
	var v types.AttributeValue
	switch typ {
	case "S":
		var s string
		if s, err = decodeString(d, "S"); err == nil {
			v = &types.AttributeValueMemberS{Value: s}
		}
	case "N":
		var s string
		if s, err = decodeNumber(d); err == nil {
			v = &types.AttributeValueMemberN{Value: s}
		}
	case "B":
		var b []byte
		if b, err = decodeBinary(d, "B"); err == nil {
			v = &types.AttributeValueMemberB{Value: b}
		}
	case "BOOL":
		var b bool
		if b, err = decodeBool(d, "BOOL"); err == nil {
			v = &types.AttributeValueMemberBOOL{Value: b}
		}
	case "NULL":
		var b bool
		if b, err = decodeBool(d, "NULL"); err == nil && !b {
			err = errors.New(`NULL must be true ({"NULL":true})`)
		}
		v = &types.AttributeValueMemberNULL{Value: true}
	case "M":
		var m map[string]types.AttributeValue
		if m, err = decodeMap(d, depth+1); err == nil {
			v = &types.AttributeValueMemberM{Value: m}
		}
	case "L":
		var l []types.AttributeValue
		if l, err = decodeList(d, depth+1); err == nil {
			v = &types.AttributeValueMemberL{Value: l}
		}
	case "SS":
		var ss []string
		if ss, err = decodeSet(d, "SS", func(d *json.Decoder) (string, string, error) {
			s, err := decodeString(d, "SS element")
			return s, s, err
		}); err == nil {
			v = &types.AttributeValueMemberSS{Value: ss}
		}
	case "NS":
		var ns []string
		if ns, err = decodeSet(d, "NS", func(d *json.Decoder) (string, string, error) {
			s, err := decodeNumber(d)
			if err != nil {
				return "", "", err
			}
			dec, _ := parseDecimal(s)
			return s, dec.key(), nil
		}); err == nil {
			v = &types.AttributeValueMemberNS{Value: ns}
		}
	case "BS":
		var bs [][]byte
		if bs, err = decodeSet(d, "BS", func(d *json.Decoder) ([]byte, string, error) {
			b, err := decodeBinary(d, "BS element")
			return b, string(b), err
		}); err == nil {
			v = &types.AttributeValueMemberBS{Value: bs}
		}
	default:
		return nil, fmt.Errorf("unknown type key %q; expected one of %s", typ, typeKeys)
	}
	if err != nil {
		return nil, err
	}
	if d.More() {
		tok, err := next(d)
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("more than one type key (%s and %q); a value has exactly one", typ, tok)
	}
	_, err = next(d)
	return v, err
}

func decodeList(d *json.Decoder, depth int) ([]types.AttributeValue, error) {
	if err := expectDelim(d, '[', "an array"); err != nil {
		return nil, err
	}
	l := []types.AttributeValue{}
	for d.More() {
		v, err := decodeValue(d, depth)
		if err != nil {
			return nil, atIndex(len(l), err)
		}
		l = append(l, v)
	}
	_, err := next(d)
	return l, err
}

// decodeSet reads a non-empty array of set elements, each read by el, which
// also returns the key that identifies duplicates.
func decodeSet[E any](d *json.Decoder, typ string, el func(*json.Decoder) (E, string, error)) ([]E, error) {
	if err := expectDelim(d, '[', "an array"); err != nil {
		return nil, fmt.Errorf("%s: %w", typ, err)
	}
	var set []E
	seen := make(map[string]int)
	for d.More() {
		e, key, err := el(d)
		if err != nil {
			return nil, atIndex(len(set), err)
		}
		if first, dup := seen[key]; dup {
			return nil, atIndex(len(set), fmt.Errorf("duplicate %s element (same as element %d)", typ, first))
		}
		seen[key] = len(set)
		set = append(set, e)
	}
	if _, err := next(d); err != nil {
		return nil, err
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("empty %s; DynamoDB sets hold at least one element", typ)
	}
	return set, nil
}
