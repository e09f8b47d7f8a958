package format

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestUnmarshalItemJSONErrors(t *testing.T) {
	deep := strings.Repeat(`{"L":[`, 32) + `{"S":"x"}` + strings.Repeat(`]}`, 32)
	for _, tc := range []struct{ in, want string }{
		{``, `expected an object, found end of input`},
		{`null`, `expected an object, found null`},
		{`[]`, `expected an object, found an array`},
		{`{"a":{"S":"x"}} {}`, `an object after the item; expected end of input`},
		{`{"a":{"S":"x"}}x`, `invalid character 'x' looking for beginning of value after the item`},
		{`{"a":{"S":"x"}`, `unexpected end of input`},
		{`{"a":{"S":"x"},"a":{"S":"y"}}`, `attribute a: attribute named twice`},
		{`{"":{"S":"x"}}`, `empty attribute name`},
		{`{"a":{"M":{"":{"S":"x"}}}}`, `attribute a: empty attribute name`},
		{`{"a":"x"}`, `attribute a: expected an object with one type key (S, N, B, BOOL, NULL, M, L, SS, NS, BS), found the string "x"`},
		{`{"a":{}}`, `attribute a: empty object; expected one type key`},
		{`{"a":{"S":"x","N":"1"}}`, `attribute a: more than one type key (S and "N")`},
		{`{"a":{"X":"1"}}`, `attribute a: unknown type key "X"`},
		{`{"a":{"s":"x"}}`, `attribute a: unknown type key "s"`},
		{`{"a":{"S":1}}`, `attribute a: S must be a JSON string, found the number 1`},
		{`{"a":{"S":null}}`, `attribute a: S must be a JSON string, found null`},
		{`{"a":{"N":1}}`, `attribute a: N values are JSON strings ({"N":"1"}), found the bare number 1`},
		{`{"a":{"N":"abc"}}`, `attribute a: N value "abc" is not a number`},
		{`{"a":{"N":" 1"}}`, `attribute a: N value " 1" is not a number`},
		{`{"a":{"N":"NaN"}}`, `attribute a: N value "NaN" is not a number`},
		{`{"a":{"N":"1e126"}}`, `attribute a: N value "1e126" is outside DynamoDB's range`},
		{`{"a":{"N":"1234567890123456789012345678901234567890"}}`, `has 39 significant digits; DynamoDB stores at most 38`},
		{`{"a":{"B":"!!"}}`, `attribute a: B value "!!" is not standard base64`},
		{`{"a":{"B":"AAE"}}`, `attribute a: B value "AAE" is not standard base64`},
		{`{"a":{"B":"AA\nE="}}`, `is not standard base64`},
		{`{"a":{"B":"AAH_"}}`, `is not standard base64`},
		{`{"a":{"BOOL":"true"}}`, `attribute a: BOOL must be true or false, found the string "true"`},
		{`{"a":{"NULL":false}}`, `attribute a: NULL must be true`},
		{`{"a":{"NULL":null}}`, `attribute a: NULL must be true or false, found null`},
		{`{"a":{"M":[]}}`, `attribute a: expected an object, found an array`},
		{`{"a":{"L":{}}}`, `attribute a: expected an array, found an object`},
		{`{"a":{"SS":[]}}`, `attribute a: empty SS; DynamoDB sets hold at least one element`},
		{`{"a":{"SS":"x"}}`, `attribute a: SS: expected an array, found the string "x"`},
		{`{"a":{"SS":["x",1]}}`, `attribute a[1]: SS element must be a JSON string, found the number 1`},
		{`{"a":{"SS":["x","y","x"]}}`, `attribute a[2]: duplicate SS element (same as element 0)`},
		{`{"a":{"NS":["1","1.0"]}}`, `attribute a[1]: duplicate NS element (same as element 0)`},
		{`{"a":{"NS":["1","x"]}}`, `attribute a[1]: N value "x" is not a number`},
		{`{"a":{"BS":["AAE=","AAE="]}}`, `attribute a[1]: duplicate BS element`},
		{`{"a":{"BS":["%"]}}`, `attribute a[0]: BS element value "%" is not standard base64`},
		{`{"a":{"M":{"b":{"L":[{"S":"x"},{"N":"x"}]}}}}`, `attribute a.b[1]: N value "x" is not a number`},
		{`{"a b":{"M":{"c.d":{"N":"x"}}}}`, `attribute "a b"."c.d": N value "x" is not a number`},
		{`{"a":{"L":[{"M":{"b":{"BOOL":1}}}]}}`, `attribute a[0].b: BOOL must be true or false`},
		{`{"a":` + deep + `}`, `nested more than 32 levels deep`},
	} {
		_, err := UnmarshalItemJSON([]byte(tc.in))
		if err == nil {
			t.Errorf("UnmarshalItemJSON(%s) succeeded, want error %q", tc.in, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("UnmarshalItemJSON(%s)\nerror %q\nwant  %q", tc.in, err, tc.want)
		}
		if code := sqlerr.Code(err); code != sqlerr.InvalidText {
			t.Errorf("UnmarshalItemJSON(%s) error code %s, want %s", tc.in, code, sqlerr.InvalidText)
		}
	}
}

func TestUnmarshalItemJSONAccepts(t *testing.T) {
	deep := strings.Repeat(`{"L":[`, 31) + `{"S":"x"}` + strings.Repeat(`]}`, 31)
	for _, in := range []string{
		`{}`,
		" \n{\"a\":{\"S\":\"\"}}\n ",
		`{"a":{"N":"-0.000"},"b":{"N":"+1E+5"},"c":{"N":".5"}}`,
		`{"a":{"B":""}}`,
		`{"a":{"NS":["1","2","-1"]}}`,
		`{"a":{"SS":["x","X"]}}`,
		`{"a":{"M":{}},"b":{"L":[]}}`,
		`{"a":` + deep + `}`,
	} {
		it, err := UnmarshalItemJSON([]byte(in))
		if err != nil {
			t.Errorf("UnmarshalItemJSON(%s): %v", in, err)
			continue
		}
		again, err := MarshalItemJSON(it, nil)
		if err != nil {
			t.Fatal(err)
		}
		back, err := UnmarshalItemJSON(again)
		if err != nil || !reflect.DeepEqual(it, back) {
			t.Errorf("round trip of %s via %s: %v", in, again, err)
		}
	}
}

func TestUnmarshalItemJSONKeepsNumbersVerbatim(t *testing.T) {
	it, err := UnmarshalItemJSON([]byte(`{"n":{"N":"1.50"},"e":{"N":"1E+3"},"s":{"NS":["007","2.50"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Item{"n": n("1.50"), "e": n("1E+3"), "s": ns("007", "2.50")}
	if !reflect.DeepEqual(it, want) {
		t.Errorf("got %#v", it)
	}
}
