package format

import (
	"io"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// tableWriter writes psql's aligned format. Column widths depend on every
// row, so rows are laid out as they arrive and printed at End.
type tableWriter struct {
	lifecycle
	out    io.Writer
	opts   Options
	layout layout
	rows   [][]cell
}

func (w *tableWriter) Begin(columns, keyColumns []string) error {
	if err := w.enter("begin"); err != nil {
		return err
	}
	w.layout.begin(columns, keyColumns, false)
	return nil
}

func (w *tableWriter) Row(it Item) error {
	if err := w.enter("row"); err != nil {
		return err
	}
	w.layout.observe(it)
	row := make([]cell, len(w.layout.cols))
	for i, c := range w.layout.cols {
		row[i] = w.cell(it[c])
	}
	w.rows = append(w.rows, row)
	return nil
}

// cell lays out one value: NULL as NullText, missing as MissingText, and
// anything else as its Text, right-aligned when it is a number.
func (w *tableWriter) cell(v types.AttributeValue) cell {
	switch v.(type) {
	case nil:
		return newCell(w.opts.MissingText, w.opts.MaxWidth, false)
	case *types.AttributeValueMemberNULL:
		return newCell(w.opts.NullText, w.opts.MaxWidth, false)
	case *types.AttributeValueMemberN:
		return newCell(Text(v), w.opts.MaxWidth, true)
	}
	return newCell(Text(v), w.opts.MaxWidth, false)
}

func (w *tableWriter) End() error {
	if err := w.enter("end"); err != nil {
		return err
	}
	// Rows that arrived before the layout grew lack the later columns.
	missing := w.cell(nil)
	for i, row := range w.rows {
		for len(row) < len(w.layout.cols) {
			row = append(row, missing)
		}
		w.rows[i] = row
	}
	headers := make([]cell, len(w.layout.cols))
	for i, name := range w.layout.cols {
		headers[i] = newCell(name, 0, false)
	}
	var out []byte
	if w.opts.Expanded {
		out = renderExpanded(headers, w.rows, w.opts.Footer)
	} else {
		out = renderAligned(headers, w.rows, w.opts.Footer)
	}
	w.rows = nil
	_, err := w.out.Write(out)
	return w.fail(err)
}
