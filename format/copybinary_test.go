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

// TestCopyBinaryFraming writes rows with NewCopyBinaryWriter and reads
// them back with NewCopyBinaryReader, the fields passed through as
// strings: NULL fields (nil) leave the attribute out, empty fields stay.
func TestCopyBinaryFraming(t *testing.T) {
	cols := []string{"a", "b"}
	encode := func(dst [][]byte, it Item) ([][]byte, error) {
		for _, c := range cols {
			if s, ok := it[c].(*types.AttributeValueMemberS); ok {
				dst = append(dst, []byte(s.Value))
			} else {
				dst = append(dst, nil)
			}
		}
		return dst, nil
	}
	decode := func(i int, data []byte, it Item) error {
		it[cols[i]] = &types.AttributeValueMemberS{Value: string(data)}
		return nil
	}
	rows := []Item{
		{"a": &types.AttributeValueMemberS{Value: "x"}, "b": &types.AttributeValueMemberS{Value: ""}},
		{"b": &types.AttributeValueMemberS{Value: strings.Repeat("long ", 30000)}},
	}
	var buf bytes.Buffer
	w := NewCopyBinaryWriter(&buf, encode)
	if err := w.Begin(nil, nil); err != nil {
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
	if !bytes.HasPrefix(buf.Bytes(), CopyBinaryHeader()) || !bytes.HasSuffix(buf.Bytes(), []byte{0xff, 0xff}) {
		t.Fatalf("no header or trailer: %q...", buf.Bytes()[:20])
	}
	r := NewCopyBinaryReader(&buf, cols, decode)
	for i, want := range rows {
		got, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || r.Line() != i+1 {
			t.Errorf("line %d: got %v, want %v", r.Line(), got, want)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("after the last row: %v, want io.EOF", err)
	}
}

// TestCopyBinaryRefused checks that the generic writer and reader refuse
// binary: only the wire server, which knows the column types, handles it.
func TestCopyBinaryRefused(t *testing.T) {
	_, err := New("binary", io.Discard, Options{})
	if e := sqlerr.As(err); e == nil || e.Code != sqlerr.FeatureNotSupported || !strings.Contains(e.Message, "over the wire protocol") {
		t.Errorf("New: %v", err)
	}
	_, err = NewReader("BINARY", strings.NewReader(""), ReadOptions{})
	if e := sqlerr.As(err); e == nil || e.Code != sqlerr.FeatureNotSupported {
		t.Errorf("NewReader: %v", err)
	}
}
