package value

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestSize(t *testing.T) {
	for _, tc := range []struct {
		v    types.AttributeValue
		n    int
		want bool
	}{
		{&types.AttributeValueMemberS{Value: "a😀"}, 3, true},
		{&types.AttributeValueMemberS{Value: "héllo"}, 5, true},
		{&types.AttributeValueMemberB{Value: []byte{1, 2}}, 2, true},
		{&types.AttributeValueMemberSS{Value: []string{"a", "b", "c"}}, 3, true},
		{&types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberNULL{Value: true}}}, 1, true},
		{&types.AttributeValueMemberM{Value: map[string]types.AttributeValue{}}, 0, true},
		{&types.AttributeValueMemberN{Value: "12"}, 0, false},
		{&types.AttributeValueMemberBOOL{Value: true}, 0, false},
		{nil, 0, false},
	} {
		if n, ok := Size(tc.v); n != tc.n || ok != tc.want {
			t.Errorf("Size(%#v) = %d, %v; want %d, %v", tc.v, n, ok, tc.n, tc.want)
		}
	}
}
