package value

import "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

// TypeName returns the DynamoDB type descriptor of v: "S", "N", "B", "BOOL",
// "NULL", "M", "L", "SS", "NS" or "BS"; "" for nil (a missing attribute).
func TypeName(v types.AttributeValue) string {
	switch v.(type) {
	case *types.AttributeValueMemberS:
		return "S"
	case *types.AttributeValueMemberN:
		return "N"
	case *types.AttributeValueMemberB:
		return "B"
	case *types.AttributeValueMemberBOOL:
		return "BOOL"
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberM:
		return "M"
	case *types.AttributeValueMemberL:
		return "L"
	case *types.AttributeValueMemberSS:
		return "SS"
	case *types.AttributeValueMemberNS:
		return "NS"
	case *types.AttributeValueMemberBS:
		return "BS"
	case nil:
		return ""
	}
	return "?"
}

// IsTypeName reports whether name is one of the type descriptors TypeName
// returns for a present value.
func IsTypeName(name string) bool {
	switch name {
	case "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS":
		return true
	}
	return false
}
