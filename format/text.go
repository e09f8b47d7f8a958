package format

import (
	"encoding/base64"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Text returns the text of v as a table or csv cell:
//
//	S        the string itself, unquoted
//	N        the number exactly as stored: 1.50, -1.5E+10
//	B        base64: AAH/
//	BOOL     true or false
//	NULL     NULL (writers show Options.NullText instead)
//	M, L     compact JSON as PlainJSON writes it: {"a":1,"b":["x"]}
//	SS       <<'a', 'it''s'>> (PartiQL set syntax; quotes doubled)
//	NS       <<1, 2.5>>
//	BS       <<AAE=, AgM=>>
//
// A nil value (an absent attribute) is the empty string. Text never fails:
// a value of a type this package does not know is shown as <unknown TAG>.
// Control characters and newlines are returned as they are; the table
// format makes them visible, csv quotes them.
func Text(v types.AttributeValue) string {
	switch v := v.(type) {
	case nil:
		return ""
	case *types.AttributeValueMemberS:
		return v.Value
	case *types.AttributeValueMemberN:
		return v.Value
	case *types.AttributeValueMemberB:
		return base64.StdEncoding.EncodeToString(v.Value)
	case *types.AttributeValueMemberBOOL:
		if v.Value {
			return "true"
		}
		return "false"
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberSS:
		return setText(v.Value, func(b []byte, s string) []byte {
			b = append(b, '\'')
			b = append(b, strings.ReplaceAll(s, "'", "''")...)
			return append(b, '\'')
		})
	case *types.AttributeValueMemberNS:
		return setText(v.Value, func(b []byte, s string) []byte { return append(b, s...) })
	case *types.AttributeValueMemberBS:
		return setText(v.Value, base64.StdEncoding.AppendEncode)
	case *types.AttributeValueMemberM, *types.AttributeValueMemberL:
		var e encoder
		b, err := e.appendPlain(nil, v)
		if err != nil {
			return "<" + err.Error() + ">"
		}
		return string(b)
	case *types.UnknownUnionMember:
		return "<unknown " + v.Tag + ">"
	}
	return "<unknown>"
}

func setText[E any](elems []E, el func([]byte, E) []byte) string {
	b := append([]byte(nil), "<<"...)
	for i, e := range elems {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = el(b, e)
	}
	return string(append(b, ">>"...))
}
