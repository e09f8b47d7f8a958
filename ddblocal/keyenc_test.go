package ddblocal

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// randomNumber returns a random DynamoDB number: up to 38 digits, any sign,
// exponents across the whole range, in assorted spellings.
func randomNumber(r *rand.Rand) string {
	if r.IntN(20) == 0 {
		return []string{"0", "-0", "0.000", "1", "-1", "10", "1e2", "100", "0.1", "-0.1"}[r.IntN(10)]
	}
	n := 1 + r.IntN(38)
	var d strings.Builder
	d.WriteByte(byte('1' + r.IntN(9)))
	for i := 1; i < n; i++ {
		d.WriteByte(byte('0' + r.IntN(10)))
	}
	exp := r.IntN(250) - 125 - n + 1
	if exp+n-1 > 125 {
		exp = 125 - n + 1
	}
	if exp+n-1 < -130 {
		exp = -130 - n + 1
	}
	s := d.String() + "e" + strconv.Itoa(exp)
	if r.IntN(2) == 0 {
		s = "-" + s
	}
	return s
}

func randomBytes(r *rand.Rand) string {
	alphabet := []byte{0x00, 0x01, 0x02, 'a', 'b', 0x7f, 0xfe, 0xff}
	n := r.IntN(5)
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// TestKeyEncodingOrder checks, on random values, that the byte order of
// encoded keys equals DynamoDB's order (value.Compare), alone and as the
// first component of a composite key.
func TestKeyEncodingOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func() types.AttributeValue{
		"N": func() types.AttributeValue { return &types.AttributeValueMemberN{Value: randomNumber(r)} },
		"S": func() types.AttributeValue { return &types.AttributeValueMemberS{Value: randomBytes(r)} },
		"B": func() types.AttributeValue { return &types.AttributeValueMemberB{Value: []byte(randomBytes(r))} },
	}
	for typ, gen := range gens {
		t.Run(typ, func(t *testing.T) {
			for range 20000 {
				a, b := gen(), gen()
				want, ok := value.Compare(a, b)
				if !ok {
					t.Fatalf("Compare(%v, %v) not ordered", a, b)
				}
				ea, eb := appendKeyValue(nil, a), appendKeyValue(nil, b)
				if got := bytes.Compare(ea, eb); got != want {
					t.Fatalf("%s: order of %#v and %#v: bytes say %d, DynamoDB says %d (%x vs %x)", typ, a, b, got, want, ea, eb)
				}
				// As the first component: any suffix must not change the order.
				sa := appendKeyValue(bytes.Clone(ea), gens["S"]())
				sb := appendKeyValue(bytes.Clone(eb), gens["S"]())
				if got := bytes.Compare(sa, sb); want != 0 && got != want {
					t.Fatalf("%s: composite order of %#v and %#v: bytes say %d, DynamoDB says %d", typ, a, b, got, want)
				}
			}
		})
	}
}

func TestNumberEncodingNormalises(t *testing.T) {
	for _, pair := range [][2]string{{"1.50", "1.5"}, {"1e3", "1000"}, {"-0", "0"}, {"0.000", "0"}, {"-1.20e-2", "-0.012"}} {
		a := appendNumber(nil, pair[0])
		b := appendNumber(nil, pair[1])
		if !bytes.Equal(a, b) {
			t.Errorf("%s encodes as %x, %s as %x", pair[0], a, pair[1], b)
		}
	}
}

func TestBeginsWithPrefix(t *testing.T) {
	for _, c := range []struct {
		prefix, s string
		want      bool
	}{{"ab", "abc", true}, {"ab", "ab", true}, {"a\x00", "a\x00b", true}, {"a\x00", "a", false}, {"b", "abc", false}} {
		p := appendEscapedPrefix(nil, c.prefix)
		enc := appendEscaped(nil, c.s)
		if got := bytes.HasPrefix(enc, p); got != c.want {
			t.Errorf("begins_with(%q, %q) by prefix = %v, want %v", c.s, c.prefix, got, c.want)
		}
	}
}
