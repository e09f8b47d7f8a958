package format

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/sqlerr"
)

func readAll(t *testing.T, name, in string, opts ReadOptions) ([]Item, []int, error) {
	t.Helper()
	r, err := NewReader(name, strings.NewReader(in), opts)
	if err != nil {
		t.Fatal(err)
	}
	var items []Item
	var lines []int
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items, lines, nil
		}
		if err != nil {
			return items, lines, err
		}
		items = append(items, it)
		lines = append(lines, r.Line())
	}
}

func ddb(t *testing.T, s string) Item {
	t.Helper()
	it, err := UnmarshalItemJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestReaders(t *testing.T) {
	for _, tc := range []struct {
		name, format, in string
		opts             ReadOptions
		want             []string // ddbjson items
		lines            []int
	}{
		{"csv inferred", "csv", "pk,n,b,s,e\na,1.50,true,007,\n\"b\nc\",-1e3,FALSE,+1,x\n", ReadOptions{},
			[]string{`{"pk":{"S":"a"},"n":{"N":"1.50"},"b":{"BOOL":true},"s":{"S":"007"}}`,
				`{"pk":{"S":"b\nc"},"n":{"N":"-1e3"},"b":{"BOOL":false},"s":{"S":"+1"},"e":{"S":"x"}}`}, []int{2, 3}},
		{"csv typed", "csv", "pk:S;n:N;b:B;t:BOOL;z:NULL;m:M;l:L;ss:SS;ns:NS;bs:BS;a:x\n" +
			"12;007;AAE=;True;x;\"{\"\"a\"\":[1,null]}\";\"[\"\"x\"\",2]\";\"[\"\"a\"\",\"\"b\"\"]\";\"[1,\"\"2.5\"\"]\";\"[\"\"AA==\"\"]\";9\n", ReadOptions{Delimiter: ';'},
			[]string{`{"pk":{"S":"12"},"n":{"N":"007"},"b":{"B":"AAE="},"t":{"BOOL":true},"z":{"NULL":true},` +
				`"m":{"M":{"a":{"L":[{"N":"1"},{"NULL":true}]}}},"l":{"L":[{"S":"x"},{"N":"2"}]},"ss":{"SS":["a","b"]},` +
				`"ns":{"NS":["1","2.5"]},"bs":{"BS":["AA=="]},"a:x":{"N":"9"}}`}, []int{2}},
		{"csv empty", "csv", "", ReadOptions{}, nil, nil},
		{"csv columns", "csv", "a,1\nb,\n", ReadOptions{Columns: []string{"pk", "n:S"}},
			[]string{`{"pk":{"S":"a"},"n":{"S":"1"}}`, `{"pk":{"S":"b"}}`}, []int{1, 2}},
		{"csv columns, header skipped", "csv", "id,num,extra\na,1\n", ReadOptions{Columns: []string{"pk", "n"}, SkipHeader: true},
			[]string{`{"pk":{"S":"a"},"n":{"N":"1"}}`}, []int{2}},
		{"json", "json", "[\n  {\"pk\": \"a\", \"n\": 1.50, \"o\": {\"x\": [true, null]}},\n\n  {\"pk\": \"b\"}\n]\n", ReadOptions{},
			[]string{`{"pk":{"S":"a"},"n":{"N":"1.50"},"o":{"M":{"x":{"L":[{"BOOL":true},{"NULL":true}]}}}}`, `{"pk":{"S":"b"}}`}, []int{2, 4}},
		{"json empty", "json", "[]", ReadOptions{}, nil, nil},
		{"jsonl", "jsonl", "{\"pk\":\"a\",\"n\":12345678901234567890123456789012345678}\n\n{\"pk\":\"b\"}", ReadOptions{},
			[]string{`{"pk":{"S":"a"},"n":{"N":"12345678901234567890123456789012345678"}}`, `{"pk":{"S":"b"}}`}, []int{1, 3}},
		{"ddbjson", "ddbjson", "{\"pk\":{\"S\":\"a\"},\"s\":{\"NS\":[\"1\",\"2\"]}}\r\n{\"pk\":{\"B\":\"AAE=\"}}\n", ReadOptions{},
			[]string{`{"pk":{"S":"a"},"s":{"NS":["1","2"]}}`, `{"pk":{"B":"AAE="}}`}, []int{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, lines, err := readAll(t, tc.format, tc.in, tc.opts)
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

func TestReaderErrors(t *testing.T) {
	for _, tc := range []struct{ format, in, want string }{
		{"csv", "pk,n:N\na,1\nb,x\n", `line 3: attribute n: N value "x" is not a number`},
		{"csv", "pk,n\na,1\nb\n", `line 3: wrong number of fields`},
		{"csv", "pk,,x\n", `line 1: header field 2 is empty; each column needs an attribute name`},
		{"csv", "pk,a,a:S\n", `line 1: the header names attribute "a" twice`},
		{"csv", "pk,m:M\na,[1]\n", `line 2: attribute m: M value must be a JSON object`},
		{"csv", "pk,s:SS\na,\"[\"\"x\"\",\"\"x\"\"]\"\n", `line 2: attribute s[1]: duplicate SS element (same as element 0)`},
		{"csv", "pk,b:BOOL\na,yes\n", `line 2: attribute b: BOOL value "yes" is not true or false`},
		{"json", "[{\"pk\":\"a\"},\n{\"pk\":\"b\",\n \"n\": 1e999}]", `line 2: attribute n: N value "1e999" is outside DynamoDB's range (magnitude 1E-130 to 9.99…E+125)`},
		{"json", "{\"pk\":\"a\"}", `line 1: expected an array of objects, found an object`},
		{"json", "[{\"pk\":\"a\"}] x", `line 1: invalid character 'x' looking for beginning of value after the array; expected end of input`},
		{"jsonl", "{\"pk\":\"a\"}\n{\"pk\":\"a\",\"pk\":1}\n", `line 2: attribute pk: attribute named twice`},
		{"jsonl", "{\"pk\":\"a\"} {}\n", `line 1: an object after the object; expected one object per line`},
		{"ddbjson", "\n{\"pk\":{\"S\":\"a\"}}\n{\"pk\":\"a\"}\n", `line 3: invalid DynamoDB JSON item: attribute pk: expected an object with one type key (S, N, B, BOOL, NULL, M, L, SS, NS, BS), found the string "a"`},
	} {
		_, _, err := readAll(t, tc.format, tc.in, ReadOptions{})
		if err == nil {
			t.Errorf("%s %q: no error; want %s", tc.format, tc.in, tc.want)
			continue
		}
		e := sqlerr.As(err)
		if e.Code != sqlerr.InvalidText || e.Message != tc.want {
			t.Errorf("%s %q:\n got %s %s\nwant 22P02 %s", tc.format, tc.in, e.Code, e.Message, tc.want)
		}
	}
}

// TestWriteReadRoundTrip writes every fixture item in each format and reads
// it back: ddbjson gives the items unchanged; json and jsonl give what plain
// JSON can hold, and a second trip changes nothing more.
func TestWriteReadRoundTrip(t *testing.T) {
	items := []Item{
		{"pk": &types.AttributeValueMemberS{Value: "a"}, "n": &types.AttributeValueMemberN{Value: "1.50"},
			"b": &types.AttributeValueMemberB{Value: []byte{0, 1, 255}}, "t": &types.AttributeValueMemberBOOL{Value: true},
			"z": &types.AttributeValueMemberNULL{Value: true}, "ss": &types.AttributeValueMemberSS{Value: []string{"x", "y"}},
			"ns": &types.AttributeValueMemberNS{Value: []string{"1", "-2.5E+10"}}, "bs": &types.AttributeValueMemberBS{Value: [][]byte{{1}, {2}}},
			"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"k": &types.AttributeValueMemberL{Value: []types.AttributeValue{
				&types.AttributeValueMemberS{Value: "v"}, &types.AttributeValueMemberN{Value: "99999999999999999999999999999999999999"}}}}}},
		{"pk": &types.AttributeValueMemberS{Value: "b"}, "s": &types.AttributeValueMemberS{Value: "line\nbreak, \"quoted\""}},
	}
	trip := func(name string, in []Item) []Item {
		var buf bytes.Buffer
		w, err := New(name, &buf, Options{})
		if err != nil {
			t.Fatal(err)
		}
		w.Begin(nil, []string{"pk"})
		for _, it := range in {
			if err := w.Row(it); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
		out, _, err := readAll(t, name, buf.String(), ReadOptions{})
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, buf.String())
		}
		return out
	}
	for _, name := range []string{"csv", "json", "jsonl", "ddbjson"} {
		once := trip(name, items)
		if name == "ddbjson" && !reflect.DeepEqual(once, items) {
			t.Errorf("ddbjson changed the items:\n got %v\nwant %v", once, items)
		}
		if twice := trip(name, once); !reflect.DeepEqual(twice, once) {
			t.Errorf("%s: a second round trip changed the items:\n got %v\nwant %v", name, twice, once)
		}
	}
}
