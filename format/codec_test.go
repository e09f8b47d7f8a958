package format

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestMarshalItemJSONRoundTrip(t *testing.T) {
	for i, it := range fixtureItems() {
		data, err := MarshalItemJSON(it, []string{"pk", "sk"})
		if err != nil {
			t.Fatalf("item %d: %v", i, err)
		}
		back, err := UnmarshalItemJSON(data)
		if err != nil {
			t.Fatalf("item %d: %v\n%s", i, err, data)
		}
		if !reflect.DeepEqual(it, back) {
			t.Errorf("item %d changed in the round trip:\n%s\nwant %#v\ngot  %#v", i, data, it, back)
		}
	}
}

// valueCases lists one value of each type with its three renderings.
var valueCases = []struct {
	v               types.AttributeValue
	ddb, plain, txt string
}{
	{s("a\"b"), `{"S":"a\"b"}`, `"a\"b"`, `a"b`},
	{s("<&>\u2028"), `{"S":"<&>\u2028"}`, `"<&>\u2028"`, "<&>\u2028"},
	{n("1.50"), `{"N":"1.50"}`, `1.50`, `1.50`},
	{n("-1.5E+10"), `{"N":"-1.5E+10"}`, `-1.5E+10`, `-1.5E+10`},
	{n("12345678901234567890123456789012345678"), `{"N":"12345678901234567890123456789012345678"}`,
		`12345678901234567890123456789012345678`, `12345678901234567890123456789012345678`},
	{n("+.5e3"), `{"N":"+.5e3"}`, `0.5e3`, `+.5e3`},
	{n("NaN"), `{"N":"NaN"}`, `"NaN"`, `NaN`},
	{b(0, 1, 0xFF), `{"B":"AAH/"}`, `"AAH/"`, `AAH/`},
	{boolean(true), `{"BOOL":true}`, `true`, `true`},
	{null(), `{"NULL":true}`, `null`, `NULL`},
	{m("b", n("2"), "a", s("x")), `{"M":{"a":{"S":"x"},"b":{"N":"2"}}}`, `{"a":"x","b":2}`, `{"a":"x","b":2}`},
	{l(s("x"), l(), m()), `{"L":[{"S":"x"},{"L":[]},{"M":{}}]}`, `["x",[],{}]`, `["x",[],{}]`},
	{ss("a", "it's"), `{"SS":["a","it's"]}`, `["a","it's"]`, `<<'a', 'it''s'>>`},
	{ns("1", "2.5"), `{"NS":["1","2.5"]}`, `[1,2.5]`, `<<1, 2.5>>`},
	{bs([]byte{0}, []byte{1, 2}), `{"BS":["AA==","AQI="]}`, `["AA==","AQI="]`, `<<AA==, AQI=>>`},
}

func TestValueRenderings(t *testing.T) {
	for _, tc := range valueCases {
		ddb, err := MarshalValueJSON(tc.v)
		if err != nil || string(ddb) != tc.ddb {
			t.Errorf("MarshalValueJSON(%s) = %s, %v; want %s", tc.txt, ddb, err, tc.ddb)
		}
		plain, err := PlainJSON(tc.v)
		if err != nil || string(plain) != tc.plain {
			t.Errorf("PlainJSON(%s) = %s, %v; want %s", tc.txt, plain, err, tc.plain)
		}
		if got := Text(tc.v); got != tc.txt {
			t.Errorf("Text = %q, want %q", got, tc.txt)
		}
	}
}

func TestMarshalItemJSONOrder(t *testing.T) {
	it := Item{"c": n("3"), "a": n("1"), "sk": s("x"), "pk": s("p")}
	got, err := MarshalItemJSON(it, []string{"pk", "absent", "sk", "pk"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"pk":{"S":"p"},"sk":{"S":"x"},"a":{"N":"1"},"c":{"N":"3"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestMarshalErrors(t *testing.T) {
	bad := Item{"m": m("k", l(s("x"), &types.UnknownUnionMember{Tag: "Q"}))}
	_, err := MarshalItemJSON(bad, nil)
	if err == nil || err.Error() != `attribute m.k[1]: unknown attribute value type "Q"` {
		t.Errorf("MarshalItemJSON error = %v", err)
	}
	if _, err := PlainJSON(nil); err == nil {
		t.Error("PlainJSON(nil) succeeded")
	}
	if _, err := MarshalValueJSON(nil); err == nil {
		t.Error("MarshalValueJSON(nil) succeeded")
	}
	if got := Text(&types.UnknownUnionMember{Tag: "Q"}); got != "<unknown Q>" {
		t.Errorf("Text(unknown) = %q", got)
	}
}

func TestNumberSpellings(t *testing.T) {
	for _, tc := range []struct {
		in, json string
		valid    bool
	}{
		{"0", "0", true},
		{"-0", "-0", true},
		{"1.50", "1.50", true},
		{"1E+3", "1E+3", true},
		{"1e-130", "1e-130", true},
		{"+1", "1", true},
		{".5", "0.5", true},
		{"-.5", "-0.5", true},
		{"5.", "5", true},
		{"5.e2", "5e2", true},
		{"007", "7", true},
		{"-00.10", "-0.10", true},
		{"0e999999999999", "0e999999999999", true},
		{"1e126", "1e126", false},
		{"9.99e125", "9.99e125", true},
		{"1e-131", "1e-131", false},
		{"0.00000000000000000000000000000000000000000000000000001", "0.00000000000000000000000000000000000000000000000000001", true},
		{"123456789012345678901234567890123456789", "123456789012345678901234567890123456789", false},
		{"1234567890123456789012345678901234567800000", "1234567890123456789012345678901234567800000", true},
		{"", `""`, false},
		{".", `"."`, false},
		{"1e", `"1e"`, false},
		{" 1", `" 1"`, false},
		{"0x10", `"0x10"`, false},
		{"Infinity", `"Infinity"`, false},
		{"1_000", `"1_000"`, false},
	} {
		got := string(appendJSONNumber(nil, tc.in))
		if got != tc.json {
			t.Errorf("appendJSONNumber(%q) = %s, want %s", tc.in, got, tc.json)
		}
		if err := validateNumber(tc.in); (err == nil) != tc.valid {
			t.Errorf("validateNumber(%q) = %v, want valid=%v", tc.in, err, tc.valid)
		}
	}
}

func TestDecimalKey(t *testing.T) {
	same := [][]string{
		{"1", "1.0", "+1", "10e-1", "0.1E1", "001"},
		{"0", "-0", "0.000", "0e10"},
		{"-120", "-1.2e2", "-120.00"},
	}
	for _, group := range same {
		d0, _ := parseDecimal(group[0])
		for _, sp := range group[1:] {
			d, ok := parseDecimal(sp)
			if !ok || d.key() != d0.key() {
				t.Errorf("%q has key %q, want %q (as %q)", sp, d.key(), d0.key(), group[0])
			}
		}
	}
}

func TestDDBJSONWriterIsLossless(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("ddbjson", &buf, NewOptions())
	w.Begin(nil, []string{"pk", "sk"})
	items := fixtureItems()
	for _, it := range items {
		if err := w.Row(it); err != nil {
			t.Fatal(err)
		}
	}
	w.End()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(items) {
		t.Fatalf("%d lines for %d items", len(lines), len(items))
	}
	for i, line := range lines {
		back, err := UnmarshalItemJSON([]byte(line))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !reflect.DeepEqual(back, items[i]) {
			t.Errorf("line %d does not read back as the item written:\n%s", i+1, line)
		}
	}
}
