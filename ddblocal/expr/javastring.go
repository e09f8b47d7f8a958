package expr

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// javaString writes v as DynamoDB Local's messages quote an attribute value
// (the toString of its Java AttributeValue): {S:x}, {N:1}, {SS:[a, b]}.
func javaString(v types.AttributeValue) string {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return "{S:" + x.Value + "}"
	case *types.AttributeValueMemberN:
		return "{N:" + x.Value + "}"
	case *types.AttributeValueMemberB:
		return fmt.Sprintf("{B:java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]}", len(x.Value), len(x.Value))
	case *types.AttributeValueMemberBOOL:
		return fmt.Sprintf("{BOOL:%t}", x.Value)
	case *types.AttributeValueMemberNULL:
		return fmt.Sprintf("{NULL:%t}", x.Value)
	case *types.AttributeValueMemberSS:
		return "{SS:[" + strings.Join(x.Value, ", ") + "]}"
	case *types.AttributeValueMemberNS:
		return "{NS:[" + strings.Join(x.Value, ", ") + "]}"
	}
	return "{" + value.TypeName(v) + ":...}"
}

func itoa(n int) string { return strconv.Itoa(n) }
