// Package value gives DynamoDB attribute values their meaning: how two
// values compare and when they are equal, how numbers are parsed, normalised
// and computed with, and a canonical encoding that groups equal values
// together (for DISTINCT and GROUP BY).
//
// The rules are DynamoDB's, as DynamoDB Local applies them in condition and
// filter expressions:
//
//   - Only two values of the same scalar type are ordered: S bytewise (UTF-8),
//     N numerically, B bytewise. Anything else is unordered.
//   - Numbers are exact decimals of up to 38 significant digits with a
//     magnitude between 1E-130 and 9.99…E+125. DynamoDB stores them without
//     leading or trailing zeros and never with an exponent: 1.50 is returned
//     as 1.5, 1e3 as 1000, -0 as 0.
//   - Equality is by value: 1 = 1.0, sets are equal as sets whatever their
//     order, lists and maps are compared deeply, NULL equals NULL, and values
//     of different types are never equal.
//
// For example:
//
//	c, ok := value.Compare(&types.AttributeValueMemberN{Value: "10"},
//		&types.AttributeValueMemberN{Value: "9.5"}) // c = 1, ok = true
//	value.Equal(&types.AttributeValueMemberN{Value: "1"},
//		&types.AttributeValueMemberN{Value: "1.0"}) // true
//	value.HashKey(&types.AttributeValueMemberN{Value: "1.0"}) ==
//		value.HashKey(&types.AttributeValueMemberN{Value: "1"}) // true
package value
