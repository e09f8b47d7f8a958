package format

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Shorthands for building fixture items.
func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
func b(v ...byte) types.AttributeValue {
	return &types.AttributeValueMemberB{Value: append([]byte{}, v...)}
}
func boolean(v bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: v} }
func null() types.AttributeValue          { return &types.AttributeValueMemberNULL{Value: true} }
func m(kv ...any) types.AttributeValue {
	mv := map[string]types.AttributeValue{}
	for i := 0; i < len(kv); i += 2 {
		mv[kv[i].(string)] = kv[i+1].(types.AttributeValue)
	}
	return &types.AttributeValueMemberM{Value: mv}
}
func l(vs ...types.AttributeValue) types.AttributeValue {
	return &types.AttributeValueMemberL{Value: append([]types.AttributeValue{}, vs...)}
}
func ss(vs ...string) types.AttributeValue { return &types.AttributeValueMemberSS{Value: vs} }
func ns(vs ...string) types.AttributeValue { return &types.AttributeValueMemberNS{Value: vs} }
func bs(vs ...[]byte) types.AttributeValue { return &types.AttributeValueMemberBS{Value: vs} }

// fixtureItems covers every type at the top level and nested, NULL next to
// missing, empty string, list and map, unicode (wide, combining, emoji), a
// 38-digit number, negative and exponent numbers, number spellings that are
// not JSON, control characters, a multi-line string and a very long one.
func fixtureItems() []Item {
	everyType := func() types.AttributeValue {
		return m(
			"s", s("x"), "n", n("-0.5"), "b", b(1, 2), "t", boolean(false), "z", null(),
			"m", m(), "l", l(), "ss", ss("a", "b"), "ns", ns("1", "2"), "bs", bs([]byte{1}, []byte{2}),
			"deep", m("list", l(n("1e3"), m("k", s("quote \" and \\ backslash")))),
		)
	}
	return []Item{
		{
			"pk": s("user#1"), "sk": n("1"),
			"s": s("hello, world"), "n": n("1.50"), "b": b(0x00, 0x01, 0xFE, 0xFF),
			"t": boolean(true), "z": null(),
			"m": everyType(),
			"l": l(s("a"), n("2"), b(3), boolean(false), null(), m("k", s("v")), l(),
				ss("x"), ns("3.25"), bs([]byte{4, 5})),
			"ss": ss("apple", "it's"), "ns": ns("1", "2.5", "-3"), "bs": bs([]byte{0, 1}, []byte{2, 3}),
		},
		{
			"pk": s("user#2"), "sk": n("2"),
			"s": s(""), "n": n("12345678901234567890123456789012345678"),
			"t": boolean(false), "m": m(), "l": l(), "b": b(),
			"u":  s("héllo wörld — 世界 😀 e\u0301"),
			"名前": s("テスト"),
		},
		{
			"pk": s("user#3"), "sk": n("-3"),
			"n": n("-1.5E+10"), "s": s("line one\nline two\twith tab"),
			"z":    null(),
			"long": s(strings.Repeat("0123456789", 12)),
			"ctrl": s("bell\x07 cr\r del\x7f"),
		},
		{
			"pk": s("user#4"), "sk": n("4"),
			"n": n(".5"), "tiny": n("1e-130"), "huge": n("9.9999999999999999999999999999999999999E+125"),
			"odd": ns("+1", "5.", "007", "-0.0"),
		},
	}
}
