package format

import (
	"reflect"
	"testing"
)

// FuzzUnmarshalItemJSON checks that no input makes the decoder panic, and
// that any input it accepts marshals back to JSON that parses to an equal
// item.
func FuzzUnmarshalItemJSON(f *testing.F) {
	for _, it := range fixtureItems() {
		data, err := MarshalItemJSON(it, nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{
		`{}`, `{"a":{"S":"x"},"a":{"S":"y"}}`, `{"a":{"NS":["1","1.0"]}}`,
		`{"a":{"B":"AAE"}}`, `{"a":{"N":"1e126"}}`, `{"a":{"L":[{"M":{"b":{"BOOL":true}}}]}}`,
		`{"a":{"S":"\ud800"}}`, `{"a":{"SS":["\u00e9","e\u0301"]}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		it, err := UnmarshalItemJSON(data)
		if err != nil {
			return
		}
		again, err := MarshalItemJSON(it, nil)
		if err != nil {
			t.Fatalf("accepted item does not marshal: %v\ninput %q", err, data)
		}
		back, err := UnmarshalItemJSON(again)
		if err != nil {
			t.Fatalf("re-marshaled item does not parse: %v\ninput %q\nmarshaled %s", err, data, again)
		}
		if !reflect.DeepEqual(it, back) {
			t.Fatalf("round trip changed the item\ninput %q\nmarshaled %s", data, again)
		}
		// Every writer must render what the codec accepts.
		for _, name := range Names() {
			w, _ := New(name, discard{}, NewOptions())
			if err := w.Begin(nil, nil); err != nil {
				t.Fatal(err)
			}
			if err := w.Row(it); err != nil {
				t.Fatalf("%s writer: %v", name, err)
			}
			if err := w.End(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
