package repl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestFormatError(t *testing.T) {
	script := "SELECT 1;\n\nSELECT *\n  FORM Users;\n"
	chunks := parser.Split(script)
	if len(chunks) != 2 {
		t.Fatalf("chunks %+v", chunks)
	}
	_, err := parser.ParseOne(chunks[1].Text)
	if err == nil {
		t.Fatal("no error")
	}
	got := FormatError("m.sql", chunks[1], err)
	want := "m.sql:4: ERROR:  syntax error at or near \"FORM\""
	if !strings.HasPrefix(got, want) {
		t.Fatalf("got %q, want prefix %q", got, want)
	}
	lines := strings.Split(got, "\n")
	if lines[1] != "LINE 4:   FORM Users" || lines[2] != "          ^" {
		t.Fatalf("caret lines:\n%s", got)
	}

	e := sqlerr.New(sqlerr.UndefinedTable, `table "x" does not exist`).WithHint("SHOW TABLES lists the tables")
	e.Detail = "ResourceNotFoundException: Requested resource not found"
	got = FormatError("", parser.Chunk{Text: "SELECT * FROM x"}, e)
	want = "ERROR:  table \"x\" does not exist\nDETAIL:  ResourceNotFoundException: Requested resource not found\nHINT:  SHOW TABLES lists the tables\n"
	if got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestFormatErrorTabs(t *testing.T) {
	e := sqlerr.New(sqlerr.SyntaxError, "bad").At(1, 3, 2)
	got := FormatError("", parser.Chunk{Text: "\t\tX"}, e)
	if !strings.Contains(got, "LINE 1: \t\tX\n        \t\t^\n") {
		t.Fatalf("tabs must be kept under the caret: %q", got)
	}
}

func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	p := NewProgressLine(&b)
	p.Clear() // nothing shown: nothing written
	if b.Len() != 0 {
		t.Fatalf("wrote %q", b.String())
	}
	p.Update(executor.Progress{Message: "waiting for table T to become ACTIVE"})
	p.Update(executor.Progress{Scanned: 10, Returned: 4, Pages: 1})
	p.Clear()
	out := b.String()
	if !strings.Contains(out, "\r\033[Kwaiting for table T") || !strings.Contains(out, "10 items scanned, 4 returned, 1 pages") ||
		!strings.HasSuffix(out, "\r\033[K") {
		t.Fatalf("%q", out)
	}
}

func TestRenderNotices(t *testing.T) {
	var out, errb bytes.Buffer
	s := &Script{Out: &out, Err: &errb}
	res := &executor.Result{Tag: "UPDATE 2", Notices: []string{"1 of 3 matching items were skipped"}}
	if err := s.render(res); err != nil {
		t.Fatal(err)
	}
	if out.String() != "UPDATE 2\n" || errb.String() != "NOTICE:  1 of 3 matching items were skipped\n" {
		t.Fatalf("stdout %q stderr %q", out.String(), errb.String())
	}
}
