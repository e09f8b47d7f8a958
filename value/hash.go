package value

import (
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// HashKey returns a canonical encoding of v: two values have the same key
// exactly when Equal holds between them. 1 and 1.0 share a key, sets share
// one whatever the order of their elements, and maps whatever the order of
// their entries. nil (a missing attribute) has a key of its own. DISTINCT and
// GROUP BY group rows by it.
func HashKey(v types.AttributeValue) string {
	return string(AppendHashKey(nil, v))
}

// AppendHashKey appends HashKey(v) to b. Every encoding is self-delimiting,
// so the keys of several values can be concatenated into one key.
func AppendHashKey(b []byte, v types.AttributeValue) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, '~')
	case *types.AttributeValueMemberNULL:
		return append(b, '0')
	case *types.AttributeValueMemberBOOL:
		if x.Value {
			return append(b, 't')
		}
		return append(b, 'f')
	case *types.AttributeValueMemberS:
		return appendString(b, 's', x.Value)
	case *types.AttributeValueMemberN:
		return appendString(b, 'n', numberKey(x.Value))
	case *types.AttributeValueMemberB:
		return appendString(b, 'b', string(x.Value))
	case *types.AttributeValueMemberSS:
		return appendSet(b, 'S', x.Value, identity)
	case *types.AttributeValueMemberNS:
		return appendSet(b, 'N', x.Value, numberKey)
	case *types.AttributeValueMemberBS:
		return appendSet(b, 'B', x.Value, func(e []byte) string { return string(e) })
	case *types.AttributeValueMemberL:
		b = append(b, 'l')
		b = strconv.AppendInt(b, int64(len(x.Value)), 10)
		b = append(b, '[')
		for _, e := range x.Value {
			b = AppendHashKey(b, e)
		}
		return append(b, ']')
	case *types.AttributeValueMemberM:
		keys := make([]string, 0, len(x.Value))
		for k := range x.Value {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, 'm')
		b = strconv.AppendInt(b, int64(len(keys)), 10)
		b = append(b, '{')
		for _, k := range keys {
			b = appendString(b, 'k', k)
			b = AppendHashKey(b, x.Value[k])
		}
		return append(b, '}')
	}
	return append(b, '?')
}

// appendString appends tag, len(s), ':' and s.
func appendString(b []byte, tag byte, s string) []byte {
	b = append(b, tag)
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// appendSet appends the set's distinct element keys in sorted order.
func appendSet[E any](b []byte, tag byte, elems []E, key func(E) string) []byte {
	keys := make([]string, len(elems))
	for i, e := range elems {
		keys[i] = key(e)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	b = append(b, tag)
	b = strconv.AppendInt(b, int64(len(keys)), 10)
	b = append(b, '[')
	for _, k := range keys {
		b = appendString(b, 'e', k)
	}
	return append(b, ']')
}
