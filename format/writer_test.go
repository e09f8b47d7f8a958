package format

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestNewUnknownFormat(t *testing.T) {
	_, err := New("xml", &bytes.Buffer{}, NewOptions())
	if err == nil || !strings.Contains(err.Error(), "table, csv, json, jsonl, ddbjson") {
		t.Errorf("New(xml) error = %v", err)
	}
	if sqlerr.Code(err) != sqlerr.InvalidParameter {
		t.Errorf("code = %s", sqlerr.Code(err))
	}
	if _, err := New("JSONL", &bytes.Buffer{}, NewOptions()); err != nil {
		t.Errorf("New(JSONL): %v", err)
	}
	names := Names()
	names[0] = "changed"
	if Names()[0] != "table" {
		t.Error("Names returns a shared slice")
	}
}

func TestWriterLifecycle(t *testing.T) {
	for _, name := range Names() {
		w, _ := New(name, &bytes.Buffer{}, NewOptions())
		if err := w.Row(Item{}); err == nil {
			t.Errorf("%s: Row before Begin succeeded", name)
		}
		if err := w.Begin(nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(nil, nil); err == nil {
			t.Errorf("%s: second Begin succeeded", name)
		}
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
		if err := w.Row(Item{}); err == nil {
			t.Errorf("%s: Row after End succeeded", name)
		}
	}
}

type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("disk full")
	}
	f.n--
	return len(p), nil
}

func TestWriterOutputErrorIsSticky(t *testing.T) {
	for _, name := range []string{"jsonl", "ddbjson", "csv"} {
		w, _ := New(name, &failingWriter{}, NewOptions())
		w.Begin([]string{"a"}, nil)
		if err := w.Row(Item{"a": s("x")}); err == nil || err.Error() != "disk full" {
			t.Errorf("%s: Row error = %v", name, err)
		}
		if err := w.Row(Item{"a": s("x")}); err == nil || err.Error() != "disk full" {
			t.Errorf("%s: second Row error = %v", name, err)
		}
	}
}

func TestStreamWriterSkipsBadRow(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("json", &buf, NewOptions())
	w.Begin(nil, nil)
	w.Row(Item{"a": n("1")})
	err := w.Row(Item{"a": m("k", &types.UnknownUnionMember{Tag: "Q"})})
	if err == nil || !strings.Contains(err.Error(), "attribute a.k:") {
		t.Errorf("bad row error = %v", err)
	}
	w.Row(Item{"a": n("2")})
	w.End()
	if want := "[\n{\"a\":1},\n{\"a\":2}\n]\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestWritersTreatNilValueAsMissing(t *testing.T) {
	it := Item{"a": s("x"), "b": nil}
	for name, want := range map[string]string{
		"jsonl":   "{\"a\":\"x\"}\n",
		"ddbjson": "{\"a\":{\"S\":\"x\"}}\n",
		"csv":     "a\nx\n",
	} {
		var buf bytes.Buffer
		w, _ := New(name, &buf, NewOptions())
		w.Begin(nil, nil)
		if err := w.Row(it); err != nil {
			t.Fatal(err)
		}
		w.End()
		if buf.String() != want {
			t.Errorf("%s: got %q, want %q", name, buf.String(), want)
		}
	}
}

func TestRowMapMayBeReused(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("table", &buf, Options{})
	w.Begin(nil, nil)
	it := Item{"a": s("first")}
	w.Row(it)
	it["a"] = s("second")
	w.Row(it)
	w.End()
	if want := "   a\n--------\n first\n second\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestCSVSingleEmptyField(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("csv", &buf, NewOptions())
	w.Begin([]string{"a"}, nil)
	w.Row(Item{})
	w.Row(Item{"a": s("")})
	w.Row(Item{"a": s("x")})
	w.End()
	if want := "a\n\"\"\n\"\"\n" + "x\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestDuplicateColumns(t *testing.T) {
	it := Item{"a": n("1")}
	var table, jsonl bytes.Buffer
	for _, c := range []struct {
		name string
		buf  *bytes.Buffer
	}{{"table", &table}, {"jsonl", &jsonl}} {
		w, _ := New(c.name, c.buf, Options{})
		w.Begin([]string{"a", "a"}, nil)
		w.Row(it)
		w.End()
	}
	if want := " a | a\n---+---\n 1 | 1\n"; table.String() != want {
		t.Errorf("table: got %q, want %q", table.String(), want)
	}
	if want := "{\"a\":1}\n"; jsonl.String() != want {
		t.Errorf("jsonl: got %q, want %q", jsonl.String(), want)
	}
}

func TestZeroColumnTable(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("table", &buf, NewOptions())
	w.Begin(nil, nil)
	w.End()
	if want := "--\n(0 rows)\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
