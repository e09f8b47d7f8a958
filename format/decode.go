package format

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

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

func decodeString(d *json.Decoder, what string) (string, error) {
	tok, err := next(d)
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a JSON string, found %s", what, describeToken(tok, nil))
	}
	return s, nil
}

func decodeNumber(d *json.Decoder) (string, error) {
	tok, err := next(d)
	if err != nil {
		return "", err
	}
	switch tok := tok.(type) {
	case string:
		return tok, validateNumber(tok)
	case json.Number:
		return "", fmt.Errorf(`N values are JSON strings ({"N":"%s"}), found the bare number %s`, tok, tok)
	}
	return "", fmt.Errorf("N value must be a JSON string, found %s", describeToken(tok, nil))
}

func decodeBinary(d *json.Decoder, what string) ([]byte, error) {
	s, err := decodeString(d, what)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("%s value %q is not standard base64", what, truncateForError(s))
	}
	return b, nil
}

func decodeBool(d *json.Decoder, what string) (bool, error) {
	tok, err := next(d)
	if err != nil {
		return false, err
	}
	b, ok := tok.(bool)
	if !ok {
		return false, fmt.Errorf("%s must be true or false, found %s", what, describeToken(tok, nil))
	}
	return b, nil
}

// next reads the next token; running out of input inside the item is an
// error.
func next(d *json.Decoder) (json.Token, error) {
	tok, err := d.Token()
	if err == io.EOF {
		return nil, errors.New("unexpected end of input")
	}
	return tok, err
}

// expectDelim reads the next token and checks that it opens an object or
// array. want describes what was expected.
func expectDelim(d *json.Decoder, delim json.Delim, want string) error {
	tok, err := d.Token()
	if err == io.EOF {
		return fmt.Errorf("expected %s, found end of input", want)
	}
	if err != nil {
		return err
	}
	if tok != delim {
		return fmt.Errorf("expected %s, found %s", want, describeToken(tok, nil))
	}
	return nil
}

// describeToken names a token for an error message.
func describeToken(tok json.Token, err error) string {
	if err != nil {
		if err == io.EOF {
			return "end of input"
		}
		return err.Error()
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return fmt.Sprintf("%q", string(tok))
	case string:
		return "the string " + fmt.Sprintf("%q", truncateForError(tok))
	case json.Number:
		return "the number " + string(tok)
	case bool:
		return fmt.Sprintf("%t", tok)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// truncateForError shortens s so that an error message stays one readable
// line even for a megabyte of bad base64.
func truncateForError(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
