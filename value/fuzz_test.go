package value

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// decoder turns fuzz input into attribute values, biased towards values that
// are equal in interesting ways (numbers written differently, reordered sets).
type decoder struct{ b []byte }

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

var numberTexts = []string{"0", "-0", "0.0", "1", "1.0", "1e0", "10", "1e1", "-1", "-1.00", "0.5", ".5", "5e-1",
	"123.456", "1234.56e-1", "1e125", "1E+125", "1e-130", "99999999999999999999999999999999999999", "x", "", "1e"}

func (d *decoder) text() string {
	n := int(d.byte() % 4)
	b := make([]byte, n)
	for i := range b {
		b[i] = "ab\x00é"[d.byte()%5%4]
	}
	return string(b)
}

func (d *decoder) number() string {
	c := d.byte()
	if c%3 == 0 {
		// Digits, a point and an exponent built from the input.
		var b []byte
		if c&4 != 0 {
			b = append(b, '-')
		}
		for range int(d.byte() % 5) {
			b = append(b, '0'+d.byte()%10)
		}
		if c&8 != 0 {
			b = append(b, '.')
			for range int(d.byte() % 4) {
				b = append(b, '0'+d.byte()%10)
			}
		}
		if c&16 != 0 {
			b = append(b, 'e', '0'+d.byte()%3)
		}
		return string(b)
	}
	return numberTexts[int(c)%len(numberTexts)]
}

func (d *decoder) value(depth int) types.AttributeValue {
	kind := d.byte() % 11
	if depth > 2 && kind >= 8 {
		kind %= 8
	}
	switch kind {
	case 0:
		return &types.AttributeValueMemberS{Value: d.text()}
	case 1:
		return &types.AttributeValueMemberN{Value: d.number()}
	case 2:
		return &types.AttributeValueMemberB{Value: []byte(d.text())}
	case 3:
		return &types.AttributeValueMemberBOOL{Value: d.byte()&1 == 1}
	case 4:
		return &types.AttributeValueMemberNULL{Value: true}
	case 5:
		var s []string
		for range int(d.byte() % 4) {
			s = append(s, d.text())
		}
		return &types.AttributeValueMemberSS{Value: s}
	case 6:
		var s []string
		for range int(d.byte() % 4) {
			s = append(s, d.number())
		}
		return &types.AttributeValueMemberNS{Value: s}
	case 7:
		var s [][]byte
		for range int(d.byte() % 3) {
			s = append(s, []byte(d.text()))
		}
		return &types.AttributeValueMemberBS{Value: s}
	case 8:
		var l []types.AttributeValue
		for range int(d.byte() % 3) {
			l = append(l, d.value(depth+1))
		}
		return &types.AttributeValueMemberL{Value: l}
	case 9:
		m := map[string]types.AttributeValue{}
		for range int(d.byte() % 3) {
			m[d.text()] = d.value(depth + 1)
		}
		return &types.AttributeValueMemberM{Value: m}
	}
	return nil
}

// FuzzValueSemantics checks that Compare, Equal and HashKey agree: Equal is
// an equivalence whose classes are exactly the HashKey classes, and Compare
// is antisymmetric and reports 0 exactly for equal values.
func FuzzValueSemantics(f *testing.F) {
	f.Add([]byte{1, 3}, []byte{1, 4})
	f.Add([]byte{1, 0, 3, 5}, []byte{1, 3, 1, 2})
	f.Add([]byte{6, 3, 4, 5, 6}, []byte{6, 3, 6, 5, 4})
	f.Add([]byte{5, 2, 1, 0, 1, 1}, []byte{5, 2, 1, 1, 1, 0})
	f.Add([]byte{8, 2, 1, 4, 1, 5}, []byte{8, 2, 1, 5, 1, 4})
	f.Add([]byte{9, 2, 1, 0, 1, 3, 1, 1, 1, 4}, []byte{9, 2, 1, 1, 1, 4, 1, 0, 1, 3})
	f.Fuzz(func(t *testing.T, x, y []byte) {
		a := (&decoder{x}).value(0)
		b := (&decoder{y}).value(0)
		eq := Equal(a, b)
		if eq != Equal(b, a) {
			t.Fatalf("Equal not symmetric for %s, %s", HashKey(a), HashKey(b))
		}
		if !Equal(a, a) {
			t.Fatalf("Equal(a, a) false for %s", HashKey(a))
		}
		if eq != (HashKey(a) == HashKey(b)) {
			t.Fatalf("Equal(%s, %s) = %v but keys equal is %v", HashKey(a), HashKey(b), eq, !eq)
		}
		c, ok := Compare(a, b)
		c2, ok2 := Compare(b, a)
		if ok != ok2 || (ok && c != -c2) {
			t.Fatalf("Compare not antisymmetric for %s, %s: %d/%v, %d/%v", HashKey(a), HashKey(b), c, ok, c2, ok2)
		}
		if ok && (c == 0) != eq {
			t.Fatalf("Compare(%s, %s) = %d but Equal = %v", HashKey(a), HashKey(b), c, eq)
		}
	})
}

// FuzzNumber checks that the fast path for plain numbers agrees with apd:
// NormalizeNumber and ParseNumber accept the same texts, produce the same
// canonical form, and that form is a fixed point.
func FuzzNumber(f *testing.F) {
	for _, c := range dynamoDBLocalNumbers {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseNumber(s)
		norm, nerr := NormalizeNumber(s)
		if (err == nil) != (nerr == nil) {
			t.Fatalf("%q: ParseNumber error %v, NormalizeNumber error %v", s, err, nerr)
		}
		if err != nil {
			return
		}
		if got := FormatNumber(d); got != norm {
			t.Fatalf("%q: FormatNumber %q, NormalizeNumber %q", s, got, norm)
		}
		again, err := NormalizeNumber(norm)
		if err != nil || again != norm {
			t.Fatalf("%q: canonical %q normalises to %q, %v", s, norm, again, err)
		}
		if c, ok := compareNumbers(s, norm); !ok || c != 0 {
			t.Fatalf("%q: compares %d, %v with its canonical form %q", s, c, ok, norm)
		}
	})
}
