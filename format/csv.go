package format

import (
	"encoding/csv"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// csvWriter writes RFC 4180 CSV through encoding/csv: a header row of column
// names, then one record per row, lines ending in "\n". Cells hold Text of
// the value (nested values as compact JSON, binary as base64). A missing
// attribute is an empty field and NULL is Options.NullText, so with the
// defaults a spreadsheet shows "NULL" where the item holds NULL and nothing
// where it has no such attribute. (An empty string is also an empty field;
// use json or ddbjson where that difference matters.)
//
// With explicit columns each record is written as its row arrives; with
// "every attribute" the header is not known until the last row, so rows are
// kept until End.
type csvWriter struct {
	lifecycle
	raw    io.Writer
	out    *csv.Writer
	opts   Options
	layout layout
	rows   [][]string
}

func newCSVWriter(w io.Writer, opts Options) *csvWriter {
	out := csv.NewWriter(w)
	if opts.Delimiter != 0 {
		out.Comma = opts.Delimiter
	}
	return &csvWriter{raw: w, out: out, opts: opts}
}

func (w *csvWriter) Begin(columns, keyColumns []string) error {
	if err := w.enter("begin"); err != nil {
		return err
	}
	w.layout.begin(columns, keyColumns, false)
	if w.layout.open || w.opts.NoHeader {
		return nil
	}
	return w.write(w.layout.cols)
}

func (w *csvWriter) Row(it Item) error {
	if err := w.enter("row"); err != nil {
		return err
	}
	w.layout.observe(it)
	rec := make([]string, len(w.layout.cols))
	for i, c := range w.layout.cols {
		rec[i] = w.field(it[c])
	}
	if w.layout.open {
		w.rows = append(w.rows, rec)
		return nil
	}
	return w.write(rec)
}

func (w *csvWriter) field(v types.AttributeValue) string {
	switch v.(type) {
	case nil:
		return ""
	case *types.AttributeValueMemberNULL:
		return w.opts.NullText
	}
	return Text(v)
}

func (w *csvWriter) End() error {
	if err := w.enter("end"); err != nil {
		return err
	}
	if !w.layout.open {
		return nil
	}
	cols := w.layout.cols
	if len(cols) == 0 {
		return nil
	}
	if !w.opts.NoHeader {
		if err := w.write(cols); err != nil {
			return err
		}
	}
	for _, rec := range w.rows {
		for len(rec) < len(cols) {
			rec = append(rec, "")
		}
		if err := w.write(rec); err != nil {
			return err
		}
	}
	w.rows = nil
	return nil
}

// write writes one record and flushes it, so a streamed row reaches the
// output at once. A record of one empty field would be a blank line, which
// CSV readers skip, so it is written as "" instead.
func (w *csvWriter) write(rec []string) error {
	if len(rec) == 1 && rec[0] == "" {
		_, err := io.WriteString(w.raw, "\"\"\n")
		return w.fail(err)
	}
	if err := w.out.Write(rec); err != nil {
		return w.fail(err)
	}
	w.out.Flush()
	return w.fail(w.out.Error())
}
