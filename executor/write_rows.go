package executor

import (
	"encoding/hex"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// itemRows is a RowIter over rows already in memory: the rows of RETURNING,
// SHOW TABLES and DESCRIBE.
type itemRows struct {
	items []Item
}

// rowsOf returns a RowIter yielding items in order.
func rowsOf(items ...Item) RowIter {
	return &itemRows{items: items}
}

func (r *itemRows) Next() (Item, error) {
	if len(r.items) == 0 {
		return nil, io.EOF
	}
	it := r.items[0]
	r.items = r.items[1:]
	return it, nil
}

func (r *itemRows) Close() error {
	r.items = nil
	return nil
}

// formatKey renders a primary key for messages: {userId='u1', ts=5}.
func formatKey(attrs []string, item Item) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, attr := range attrs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteName(attr))
		b.WriteByte('=')
		b.WriteString(formatKeyValue(item[attr]))
	}
	b.WriteByte('}')
	return b.String()
}

// formatKeyValue renders a key attribute's scalar as a literal: strings
// quoted, numbers as written, binaries in hex.
func formatKeyValue(v types.AttributeValue) string {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return "'" + strings.ReplaceAll(v.Value, "'", "''") + "'"
	case *types.AttributeValueMemberN:
		return v.Value
	case *types.AttributeValueMemberB:
		return `'\x` + hex.EncodeToString(v.Value) + "'"
	case nil:
		return "MISSING"
	}
	return attributeTypeName(v)
}

// quoteName double-quotes an attribute name unless it is a plain identifier.
func quoteName(name string) string {
	plain := name != ""
	for i, r := range name {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9') {
			continue
		}
		plain = false
		break
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// attributeTypeName names a value's DynamoDB type, for messages.
func attributeTypeName(v types.AttributeValue) string {
	switch v.(type) {
	case *types.AttributeValueMemberS:
		return "a string (S)"
	case *types.AttributeValueMemberN:
		return "a number (N)"
	case *types.AttributeValueMemberB:
		return "a binary (B)"
	case *types.AttributeValueMemberBOOL:
		return "a boolean (BOOL)"
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberL:
		return "a list (L)"
	case *types.AttributeValueMemberM:
		return "a map (M)"
	case *types.AttributeValueMemberSS:
		return "a string set (SS)"
	case *types.AttributeValueMemberNS:
		return "a number set (NS)"
	case *types.AttributeValueMemberBS:
		return "a binary set (BS)"
	case nil:
		return "nothing"
	}
	return "an unknown value"
}
