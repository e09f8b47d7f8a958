package executor

import (
	"context"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// closeTracker is a front end's stream that records its closing.
type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

// TestCopyFromStdin imports the data the front end supplies through
// WithCopyIn: the request carries the format and the column count, each
// item is a conditional PutItem, the stream is closed at the end, and a bad
// line names STDIN.
func TestCopyFromStdin(t *testing.T) {
	api := &scriptedAPI{}
	e := New(api, Options{Concurrency: 1})
	read := &planner.ReadFile{Stdin: true, Format: parser.CopyText, KeyAttrs: []string{"id"}, Columns: []string{"id", "n"}}
	plan := &planner.Plan{Root: &planner.CopyFrom{Write: &planner.PutItems{Table: "T", KeyAttrs: []string{"id"}, Input: read}}, Tag: "COPY"}
	var got []CopyInRequest
	in := &closeTracker{Reader: strings.NewReader("a\t1\nb\t\\N\n\\.\n")}
	ctx := WithCopyIn(context.Background(), func(_ context.Context, req CopyInRequest) (io.ReadCloser, error) {
		got = append(got, req)
		return in, nil
	})
	res, err := e.Run(ctx, plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "COPY 2" || res.RowsAffected != 2 {
		t.Errorf("tag %q, affected %d; want COPY 2", res.Tag, res.RowsAffected)
	}
	if want := []CopyInRequest{{Format: "text", Columns: 2, Attributes: []string{"id", "n"}}}; !reflect.DeepEqual(got, want) {
		t.Errorf("requests %+v, want %+v", got, want)
	}
	if !in.closed {
		t.Error("the stream was not closed")
	}
	var items []string
	for _, c := range api.calls {
		p := c.In.(*dynamodb.PutItemInput)
		items = append(items, fakeKeyText(p.Item)+" "+*p.ConditionExpression)
	}
	want := []string{"{id=S:a,n=N:1} attribute_not_exists(#k0)", "{id=S:b} attribute_not_exists(#k0)"}
	if !slices.Equal(items, want) {
		t.Errorf("puts %q, want %q", items, want)
	}

	in = &closeTracker{Reader: strings.NewReader("c\t2\nd\tx\ty\n")}
	_, err = e.Run(ctx, plan, nil)
	wantState(t, err, sqlerr.InvalidText, "COPY from STDIN, line 2: 3 fields, but there are 2 attributes (id, n)")
	if !in.closed {
		t.Error("the stream was not closed after an error")
	}

	// Without a source (a front end that cannot send data) the statement
	// is refused before anything is written.
	api.calls = nil
	_, err = e.Run(context.Background(), plan, nil)
	wantState(t, err, sqlerr.FeatureNotSupported, "COPY FROM STDIN needs data from the client, and none can be sent here")
	if len(api.calls) != 0 {
		t.Errorf("%d calls without data", len(api.calls))
	}
}
