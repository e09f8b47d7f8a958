package executor

import (
	"context"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// itemStream is a front end's decoded COPY data (CopyInItems).
type itemStream struct {
	closeTracker
	items []Item
	line  int
}

func (s *itemStream) Next() (Item, error) {
	if s.line == len(s.items) {
		return nil, io.EOF
	}
	s.line++
	return s.items[s.line-1], nil
}

func (s *itemStream) Line() int { return s.line }

// TestCopyFromStdinBinary checks binary COPY FROM STDIN: the source is
// told the table and the column list and hands decoded items, which are
// written; a source that returns a plain stream (a script, the shell) is
// refused with 0A000 before anything is written.
func TestCopyFromStdinBinary(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{Concurrency: 1})
	read := &planner.ReadFile{Table: "T", Stdin: true, Format: parser.CopyBinary, KeyAttrs: []string{"id"}, Columns: []string{"id", "n"}}
	plan := &planner.Plan{Root: &planner.CopyFrom{Write: &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Input: read}}, Tag: "COPY"}

	var got []CopyInRequest
	items := &itemStream{items: []Item{
		{"id": &types.AttributeValueMemberS{Value: "a"}, "n": &types.AttributeValueMemberN{Value: "1"}},
		{"n": &types.AttributeValueMemberN{Value: "2"}},
	}}
	ctx := WithCopyIn(context.Background(), func(_ context.Context, req CopyInRequest) (io.ReadCloser, error) {
		got = append(got, req)
		return items, nil
	})
	_, err := e.Run(ctx, plan, nil)
	wantState(t, err, "23502", `COPY from STDIN, line 2: the item has no key attribute "id"`)
	if want := []CopyInRequest{{Format: "binary", Table: "T", Attributes: []string{"id", "n"}}}; !reflect.DeepEqual(got, want) {
		t.Errorf("requests %+v, want %+v", got, want)
	}
	if len(api.calls) != 1 || !items.closed {
		t.Errorf("%d calls, closed %v; want the first item written and the stream closed", len(api.calls), items.closed)
	}

	api.calls = nil
	plain := &closeTracker{Reader: strings.NewReader("PGCOPY")}
	ctx = WithCopyIn(context.Background(), func(context.Context, CopyInRequest) (io.ReadCloser, error) { return plain, nil })
	_, err = e.Run(ctx, plan, nil)
	wantState(t, err, sqlerr.FeatureNotSupported, format.BinaryCopyRefused().Message)
	if len(api.calls) != 0 || !plain.closed {
		t.Errorf("%d calls, closed %v; want none and the stream closed", len(api.calls), plain.closed)
	}
}
