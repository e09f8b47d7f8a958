package format

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestCopyTextWriter(t *testing.T) {
	rows := []Item{
		{"pk": &types.AttributeValueMemberS{Value: "a\tb\\c\nd"}, "n": &types.AttributeValueMemberN{Value: "1.5"},
			"ok": &types.AttributeValueMemberBOOL{Value: true}, "b": &types.AttributeValueMemberB{Value: []byte{1, 0xff}},
			"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"x": &types.AttributeValueMemberN{Value: "1"}}}},
		{"pk": &types.AttributeValueMemberS{Value: "e|f"}, "n": &types.AttributeValueMemberNULL{Value: true},
			"ok": &types.AttributeValueMemberBOOL{Value: false}},
	}
	for _, tc := range []struct {
		name string
		cols []string
		opts Options
		want string
	}{
		{"columns", []string{"pk", "n", "ok", "b", "m"}, Options{NoHeader: true},
			"a\\tb\\\\c\\nd\t1.5\tt\t\\\\x01ff\t{\"x\":1}\n" +
				"e|f\t\\N\tf\t\\N\t\\N\n"},
		{"header and delimiter", []string{"pk", "ok"}, Options{Delimiter: '|'},
			"pk|ok\n" +
				"a\\tb\\\\c\\nd|t\n" +
				"e\\|f|f\n"},
		{"every attribute", nil, Options{NoHeader: true},
			"a\\tb\\\\c\\nd\t1.5\tt\t\\\\x01ff\t{\"x\":1}\n" +
				"e|f\t\\N\tf\t\\N\t\\N\n"},
	} {
		var b strings.Builder
		w, err := New("TEXT", &b, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		key := []string{"pk", "n", "ok", "b", "m"}
		if err := w.Begin(tc.cols, key); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.Row(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
