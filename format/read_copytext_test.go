package format

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestCopyTextReader(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		opts     ReadOptions
		want     []string // ddbjson items
		lines    []int
	}{
		{"header and escapes",
			"pk\tn\ts\n" +
				"a\t1.50\tx\\ty\\\\z\\nw\n" +
				"b\t\\N\t\n" +
				"c\t007\t\\101\\x42\\q\\\t\n",
			ReadOptions{},
			[]string{`{"pk":{"S":"a"},"n":{"N":"1.50"},"s":{"S":"x\ty\\z\nw"}}`,
				`{"pk":{"S":"b"},"s":{"S":""}}`,
				`{"pk":{"S":"c"},"n":{"S":"007"},"s":{"S":"ABq\t"}}`}, []int{2, 3, 4}},
		{"columns, end marker, CRLF", "a\ttrue\r\nb\tFALSE\r\n\\.\r\nnot read\n",
			ReadOptions{Columns: []string{"pk", "ok"}},
			[]string{`{"pk":{"S":"a"},"ok":{"BOOL":true}}`, `{"pk":{"S":"b"},"ok":{"BOOL":false}}`}, []int{1, 2}},
		{"typed columns and skipped header", "id|flag|bin|n\nx|t|\\\\x00ff|12\ny|f|AAE=|-1\n",
			ReadOptions{Columns: []string{"pk:S", "flag:BOOL", "bin:B", "n:S"}, SkipHeader: true, Delimiter: '|'},
			[]string{`{"pk":{"S":"x"},"flag":{"BOOL":true},"bin":{"B":"AP8="},"n":{"S":"12"}}`,
				`{"pk":{"S":"y"},"flag":{"BOOL":false},"bin":{"B":"AAE="},"n":{"S":"-1"}}`}, []int{2, 3}},
		{"escaped delimiter", "pk,s\na,b\\,c\n", ReadOptions{Delimiter: ','},
			[]string{`{"pk":{"S":"a"},"s":{"S":"b,c"}}`}, []int{2}},
		{"empty", "", ReadOptions{Columns: []string{"pk"}}, nil, nil},
		{"only the end marker", "\\.\n", ReadOptions{}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, lines, err := readAll(t, "text", tc.in, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var want []Item
			for _, w := range tc.want {
				want = append(want, ddb(t, w))
			}
			if !reflect.DeepEqual(items, want) {
				t.Errorf("items:\n got %v\nwant %v", items, want)
			}
			if !reflect.DeepEqual(lines, tc.lines) {
				t.Errorf("lines: got %v, want %v", lines, tc.lines)
			}
		})
	}
}

func TestCopyTextReaderErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		opts ReadOptions
		want string
	}{
		{"pk\tn:N\na\t1\nb\tx\n", ReadOptions{}, `line 3: attribute n: N value "x" is not a number`},
		{"a\t1\t2\n", ReadOptions{Columns: []string{"pk", "n"}}, `line 1: 3 fields, but there are 2 attributes (pk, n)`},
		{"a\n", ReadOptions{Columns: []string{"pk", "n"}}, `line 1: 1 fields, but there are 2 attributes (pk, n)`},
		{"pk\t\\N\n", ReadOptions{}, `line 1: header field 2 is \N; each column needs an attribute name`},
		{"pk\tpk\n", ReadOptions{}, `line 1: the header names attribute "pk" twice`},
		{"a\tb\\\n", ReadOptions{Columns: []string{"pk", "s"}}, `line 1: field 2: the field ends in a lone backslash`},
		{"a\t\\xff\n", ReadOptions{Columns: []string{"pk", "s"}}, `line 1: field 2: the escapes make invalid UTF-8`},
		{"a\t\\\\x0g\n", ReadOptions{Columns: []string{"pk", "b:B"}}, `line 1: attribute b: B value "\\x0g" is not bytea's hex form`},
		{"a\tmaybe\n", ReadOptions{Columns: []string{"pk", "b:BOOL"}}, `line 1: attribute b: BOOL value "maybe" is not true or false`},
		{"a\t\n", ReadOptions{Columns: []string{"pk", "n:N"}}, `line 1: attribute n: N value is empty`},
	} {
		_, _, err := readAll(t, "text", tc.in, tc.opts)
		if err == nil {
			t.Errorf("%q: no error; want %s", tc.in, tc.want)
			continue
		}
		e := sqlerr.As(err)
		if e.Code != sqlerr.InvalidText || e.Message != tc.want {
			t.Errorf("%q:\n got %s %s\nwant 22P02 %s", tc.in, e.Code, e.Message, tc.want)
		}
	}
}

// TestCopyTextRoundTrip writes items with the text writer and reads them
// back with the text reader: strings with every escaped character, the
// delimiter and non-ASCII text, exact numbers, booleans, binaries, maps and
// lists come back unchanged, and NULL and missing attributes (both \N)
// come back missing.
func TestCopyTextRoundTrip(t *testing.T) {
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	items := []Item{
		{"pk": s("a\tb\\c\nd\re\bf\fg\vh|i"), "n": &types.AttributeValueMemberN{Value: "12345678901234567890123456789012345678"},
			"ok": &types.AttributeValueMemberBOOL{Value: true}, "bin": &types.AttributeValueMemberB{Value: []byte{0, 1, 0xff, '\\'}},
			"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"k": &types.AttributeValueMemberL{Value: []types.AttributeValue{
				s("v\t"), &types.AttributeValueMemberN{Value: "1.50"}, &types.AttributeValueMemberNULL{Value: true}}}}},
			"s": s("")},
		{"pk": s("ünïcode ✓ \\N"), "n": &types.AttributeValueMemberN{Value: "-1.5E+10"}, "ok": &types.AttributeValueMemberBOOL{Value: false},
			"s": s(`\.`)},
		{"pk": s("null and missing"), "m": &types.AttributeValueMemberNULL{Value: true}},
	}
	cols := []string{"pk", "n", "ok", "bin", "m", "s"}
	typed := []string{"pk:S", "n:N", "ok:BOOL", "bin:B", "m:M", "s:S"}
	for _, delim := range []rune{0, '|'} {
		for _, header := range []bool{false, true} {
			var buf bytes.Buffer
			w, err := New("text", &buf, Options{Delimiter: delim, NoHeader: !header})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Begin(cols, []string{"pk"}); err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if err := w.Row(it); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.End(); err != nil {
				t.Fatal(err)
			}
			got, _, err := readAll(t, "text", buf.String(), ReadOptions{Delimiter: delim, Columns: typed, SkipHeader: header})
			if err != nil {
				t.Fatalf("delimiter %q, header %v: %v\n%s", delim, header, err, buf.String())
			}
			want := []Item{items[0], items[1], {"pk": items[2]["pk"]}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("delimiter %q, header %v:\n got %v\nwant %v\ntext:\n%s", delim, header, got, want, buf.String())
			}
		}
	}
}
