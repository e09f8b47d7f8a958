package format

import (
	"encoding/base64"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// encoder appends the two JSON forms of attribute values to a byte slice. It
// keeps a stack of map keys so that sorting the keys of nested maps does not
// allocate once the stack has grown; writers keep one encoder for all rows.
type encoder struct {
	keys []string
}

// appendPlain appends v in the plain-JSON form (see PlainJSON).
func (e *encoder) appendPlain(dst []byte, v types.AttributeValue) ([]byte, error) {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return appendJSONString(dst, v.Value), nil
	case *types.AttributeValueMemberN:
		return appendJSONNumber(dst, v.Value), nil
	case *types.AttributeValueMemberB:
		return appendBase64String(dst, v.Value), nil
	case *types.AttributeValueMemberBOOL:
		return appendBool(dst, v.Value), nil
	case *types.AttributeValueMemberNULL:
		return append(dst, "null"...), nil
	case *types.AttributeValueMemberM:
		return e.appendMap(dst, v.Value, e.appendPlain)
	case *types.AttributeValueMemberL:
		dst = append(dst, '[')
		for i, el := range v.Value {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = e.appendPlain(dst, el); err != nil {
				return dst, atIndex(i, err)
			}
		}
		return append(dst, ']'), nil
	case *types.AttributeValueMemberSS:
		return appendStringArray(dst, v.Value, appendJSONString), nil
	case *types.AttributeValueMemberNS:
		return appendStringArray(dst, v.Value, appendJSONNumber), nil
	case *types.AttributeValueMemberBS:
		return appendBinaryArray(dst, v.Value), nil
	}
	return dst, unsupported(v)
}

// appendDDB appends v in DynamoDB's AttributeValue JSON (see MarshalValueJSON).
func (e *encoder) appendDDB(dst []byte, v types.AttributeValue) ([]byte, error) {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		dst = append(dst, `{"S":`...)
		dst = appendJSONString(dst, v.Value)
	case *types.AttributeValueMemberN:
		dst = append(dst, `{"N":`...)
		dst = appendJSONString(dst, v.Value)
	case *types.AttributeValueMemberB:
		dst = append(dst, `{"B":`...)
		dst = appendBase64String(dst, v.Value)
	case *types.AttributeValueMemberBOOL:
		dst = append(dst, `{"BOOL":`...)
		dst = appendBool(dst, v.Value)
	case *types.AttributeValueMemberNULL:
		dst = append(dst, `{"NULL":`...)
		dst = appendBool(dst, v.Value)
	case *types.AttributeValueMemberM:
		dst = append(dst, `{"M":`...)
		var err error
		if dst, err = e.appendMap(dst, v.Value, e.appendDDB); err != nil {
			return dst, err
		}
	case *types.AttributeValueMemberL:
		dst = append(dst, `{"L":[`...)
		for i, el := range v.Value {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = e.appendDDB(dst, el); err != nil {
				return dst, atIndex(i, err)
			}
		}
		dst = append(dst, ']')
	case *types.AttributeValueMemberSS:
		dst = append(dst, `{"SS":`...)
		dst = appendStringArray(dst, v.Value, appendJSONString)
	case *types.AttributeValueMemberNS:
		dst = append(dst, `{"NS":`...)
		dst = appendStringArray(dst, v.Value, appendJSONString)
	case *types.AttributeValueMemberBS:
		dst = append(dst, `{"BS":`...)
		dst = appendBinaryArray(dst, v.Value)
	default:
		return dst, unsupported(v)
	}
	return append(dst, '}'), nil
}

// appendMap appends m as a JSON object with its keys sorted, each value
// written by el.
func (e *encoder) appendMap(dst []byte, m map[string]types.AttributeValue,
	el func([]byte, types.AttributeValue) ([]byte, error)) ([]byte, error) {
	base := len(e.keys)
	for k := range m {
		e.keys = append(e.keys, k)
	}
	keys := e.keys[base:]
	slices.Sort(keys)
	defer func() { e.keys = e.keys[:base] }()
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		var err error
		if dst, err = el(dst, m[k]); err != nil {
			return dst, atKey(k, err)
		}
	}
	return append(dst, '}'), nil
}

func unsupported(v types.AttributeValue) error {
	switch v := v.(type) {
	case nil:
		return fmt.Errorf("nil attribute value")
	case *types.UnknownUnionMember:
		return fmt.Errorf("unknown attribute value type %q", v.Tag)
	}
	return fmt.Errorf("unsupported attribute value %T", v)
}

func appendBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

func appendBase64String(dst []byte, b []byte) []byte {
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, '"')
}

func appendStringArray(dst []byte, ss []string, el func([]byte, string) []byte) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = el(dst, s)
	}
	return append(dst, ']')
}

func appendBinaryArray(dst []byte, bs [][]byte) []byte {
	dst = append(dst, '[')
	for i, b := range bs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendBase64String(dst, b)
	}
	return append(dst, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Unlike encoding/json it does
// not escape <, > and &, which would only make terminal output harder to
// read; like encoding/json it escapes control characters, U+2028 and U+2029
// (which break JavaScript parsers), and replaces invalid UTF-8 with U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
