package parser

import (
	"fmt"
	"testing"

	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		script string
		want   []string // "line:column:offset text"
	}{
		{``, nil},
		{` ; ;; -- nothing`, nil},
		{`SELECT 1`, []string{`1:1:0 SELECT 1`}},
		{`SELECT 1;`, []string{`1:1:0 SELECT 1`}},
		{"SELECT 1; SELECT 2;\n  SELECT 3  ;", []string{`1:1:0 SELECT 1`, `1:11:10 SELECT 2`, `2:3:22 SELECT 3`}},
		{"-- header; not a statement\nSELECT 'a;b', \"c;d\" /* e; */ FROM t; SELECT 2",
			[]string{`2:1:27 SELECT 'a;b', "c;d" /* e; */ FROM t`, `2:38:64 SELECT 2`}},
		{`SELECT 'it''s; here'; SELECT "a"";b"`, []string{`1:1:0 SELECT 'it''s; here'`, `1:23:22 SELECT "a"";b"`}},
		{`INSERT INTO t VALUE {'a': [1; 2], 's': <<'x'; 'y'>>}; SELECT f(1; 2)`,
			[]string{`1:1:0 INSERT INTO t VALUE {'a': [1; 2], 's': <<'x'; 'y'>>}`, `1:55:54 SELECT f(1; 2)`}},
		{"SELECT 'é';\nSELECT 'unterminated; still; one", []string{`1:1:0 SELECT 'é'`, `2:1:13 SELECT 'unterminated; still; one`}},
		{`SELECT 1 /* open; comment`, []string{`1:1:0 SELECT 1 /* open; comment`}},
		{`SELECT ) ; SELECT (`, []string{`1:1:0 SELECT )`, `1:12:11 SELECT (`}},
	} {
		var got []string
		for _, c := range Split(tc.script) {
			got = append(got, fmt.Sprintf("%d:%d:%d %s", c.Pos.Line, c.Pos.Column, c.Pos.Offset, c.Text))
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Split(%q)\n got: %q\nwant: %q", tc.script, got, tc.want)
		}
	}
}

// TestSplitPositions checks that an error in a chunk maps back to the
// script as Chunk documents.
func TestSplitPositions(t *testing.T) {
	script := "SELECT 1;\n\n  SELECT *\n  FROM t WHERE = 1;"
	chunks := Split(script)
	if len(chunks) != 2 {
		t.Fatalf("got %d chunks", len(chunks))
	}
	c := chunks[1]
	_, err := ParseOne(c.Text)
	pe := sqlerrOf(t, err)
	_, err = Parse(script)
	want := sqlerrOf(t, err)
	line, col := c.Pos.Line+pe.Line-1, pe.Column
	if pe.Line == 1 {
		col += c.Pos.Column - 1
	}
	if line != want.Line || col != want.Column || c.Pos.Offset+pe.Offset != want.Offset {
		t.Errorf("chunk error at %d:%d maps to %d:%d (offset %d), want %d:%d (offset %d)",
			pe.Line, pe.Column, line, col, c.Pos.Offset+pe.Offset, want.Line, want.Column, want.Offset)
	}
}

func TestIncomplete(t *testing.T) {
	for _, tc := range []struct {
		text       string
		open       string
		incomplete bool
	}{
		{``, "", false},
		{"  \n", "", false},
		{`-- just a comment`, "", false},
		{`SELECT 1;`, "", false},
		{`SELECT 1; -- done`, "", false},
		{"SELECT 1;\n", "", false},
		{`SELECT 1`, "", true},
		{`SELECT 1; SELECT 2`, "", true},
		{`SELECT 'abc`, "'", true},
		{`SELECT 'it''s`, "'", true},
		{`SELECT 'it''s'`, "", true},
		{`SELECT "abc`, `"`, true},
		{`SELECT /* abc`, "/*", true},
		{`SELECT /* a /* b */`, "/*", true},
		{`SELECT /* a /* b */ */`, "", true},
		{`SELECT f(`, "(", true},
		{`SELECT f(1, [2, {'a': `, "{", true},
		{`SELECT f(1, [2, {'a': 'x;`, "'", true},
		{`SELECT <<1,`, "<<", true},
		{`SELECT [1;`, "[", true},
		{`SELECT (1);`, "", false},
		{`SELECT 1)`, "", true},
		{`SELECT 1);`, "", false},
	} {
		open, inc := Incomplete(tc.text)
		if open != tc.open || inc != tc.incomplete {
			t.Errorf("Incomplete(%q) = %q, %v, want %q, %v", tc.text, open, inc, tc.open, tc.incomplete)
		}
	}
}

func sqlerrOf(t *testing.T, err error) *sqlerr.Error {
	t.Helper()
	e, ok := err.(*sqlerr.Error)
	if !ok {
		t.Fatalf("got %T %v, want *sqlerr.Error", err, err)
	}
	return e
}
