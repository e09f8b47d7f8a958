package value

import (
	"bytes"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Compare orders a and b as DynamoDB's <, <=, > and >= do: two strings
// bytewise (UTF-8), two numbers numerically, two binaries bytewise. For any
// other pair — different types, or a type without order (BOOL, NULL, sets,
// lists, maps) — ok is false: such comparisons are false in a condition.
func Compare(a, b types.AttributeValue) (c int, ok bool) {
	switch x := a.(type) {
	case *types.AttributeValueMemberS:
		if y, same := b.(*types.AttributeValueMemberS); same {
			return strings.Compare(x.Value, y.Value), true
		}
	case *types.AttributeValueMemberN:
		if y, same := b.(*types.AttributeValueMemberN); same {
			return compareNumbers(x.Value, y.Value)
		}
	case *types.AttributeValueMemberB:
		if y, same := b.(*types.AttributeValueMemberB); same {
			return bytes.Compare(x.Value, y.Value), true
		}
	}
	return 0, false
}

// Equal reports whether a and b are equal as DynamoDB's = is: of the same
// type and the same value, numbers compared numerically (1 = 1.0), sets as
// sets (order and repetition do not matter), lists element by element and
// maps key by key, deeply. NULL equals NULL. Two nils (missing attributes)
// are equal; nil equals nothing else.
func Equal(a, b types.AttributeValue) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case *types.AttributeValueMemberS:
		y, ok := b.(*types.AttributeValueMemberS)
		return ok && x.Value == y.Value
	case *types.AttributeValueMemberN:
		y, ok := b.(*types.AttributeValueMemberN)
		return ok && numbersEqual(x.Value, y.Value)
	case *types.AttributeValueMemberB:
		y, ok := b.(*types.AttributeValueMemberB)
		return ok && bytes.Equal(x.Value, y.Value)
	case *types.AttributeValueMemberBOOL:
		y, ok := b.(*types.AttributeValueMemberBOOL)
		return ok && x.Value == y.Value
	case *types.AttributeValueMemberNULL:
		_, ok := b.(*types.AttributeValueMemberNULL)
		return ok
	case *types.AttributeValueMemberSS:
		y, ok := b.(*types.AttributeValueMemberSS)
		return ok && sameSet(x.Value, y.Value, identity)
	case *types.AttributeValueMemberNS:
		y, ok := b.(*types.AttributeValueMemberNS)
		return ok && sameSet(x.Value, y.Value, numberKey)
	case *types.AttributeValueMemberBS:
		y, ok := b.(*types.AttributeValueMemberBS)
		return ok && sameSet(x.Value, y.Value, func(b []byte) string { return string(b) })
	case *types.AttributeValueMemberL:
		y, ok := b.(*types.AttributeValueMemberL)
		if !ok || len(x.Value) != len(y.Value) {
			return false
		}
		for i := range x.Value {
			if !Equal(x.Value[i], y.Value[i]) {
				return false
			}
		}
		return true
	case *types.AttributeValueMemberM:
		y, ok := b.(*types.AttributeValueMemberM)
		if !ok || len(x.Value) != len(y.Value) {
			return false
		}
		for k, xv := range x.Value {
			yv, present := y.Value[k]
			if !present || !Equal(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

// numbersEqual compares number texts numerically, and texts that are not
// numbers (which DynamoDB never returns) as text.
func numbersEqual(a, b string) bool {
	if a == b {
		return true
	}
	c, ok := compareNumbers(a, b)
	return ok && c == 0
}

func identity(s string) string { return s }

// numberKey is the canonical text of a set element, marked so that a text
// that is not a number cannot collide with one that is.
func numberKey(s string) string {
	if c, ok := canonicalNumber(s); ok {
		return c
	}
	return "?" + s
}

// sameSet reports whether xs and ys hold the same elements, keyed by key.
func sameSet[E any](xs, ys []E, key func(E) string) bool {
	in := make(map[string]bool, len(xs))
	for _, x := range xs {
		in[key(x)] = false
	}
	for _, y := range ys {
		k := key(y)
		if _, ok := in[k]; !ok {
			return false
		}
		in[k] = true
	}
	for _, seen := range in {
		if !seen {
			return false
		}
	}
	return true
}
