package value

import "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

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
