package format

import (
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// Item is one result row: attribute name to value. An attribute absent from
// the map is missing, which is not the same as one holding NULL.
type Item = map[string]types.AttributeValue

// Writer renders one result set. Call Begin once, Row for each row, and End
// once; after an error, or after End, every call fails.
type Writer interface {
	// Begin starts a result. columns is the ordered output column list. nil
	// (or empty) means "every attribute": the layout is then keyColumns
	// first, in order, followed by the other attribute names in order of
	// first appearance (names new in one row in sorted order, since an item
	// has no order of its own). Formats that must know every column before
	// the first line (table always, csv when columns is nil) buffer the rows
	// until End; json, jsonl and ddbjson write each row as it arrives.
	Begin(columns, keyColumns []string) error
	// Row adds one row. The writer does not keep it after Row returns, so
	// the caller may reuse the map.
	Row(it Item) error
	// End finishes the result. The table format prints a footer "(N rows)"
	// or "(1 row)" when Options.Footer is set.
	End() error
}

// Options tune the table and csv formats; json, jsonl and ddbjson ignore
// them. Options are used as given: start from NewOptions for the defaults.
// The zero Options is valid and is psql's own default look (NULL shown as an
// empty cell, no footer).
type Options struct {
	// Expanded selects psql's \x display in the table format: one
	// "-[ RECORD n ]" block per row, one line per column.
	Expanded bool
	// NullText is how NULL shows in table and csv cells ("NULL" in
	// NewOptions).
	NullText string
	// MissingText is how a missing attribute shows in table cells ("" in
	// NewOptions). csv always leaves a missing attribute's field empty.
	MissingText string
	// Footer prints the row-count footer "(N rows)" after a table (true in
	// NewOptions). In expanded display, as in psql, only an empty result
	// has a footer, "(0 rows)".
	Footer bool
	// MaxWidth, when positive, cuts table cells to at most MaxWidth display
	// columns per line, ending the cut text with "…". Headers are not cut.
	MaxWidth int
	// Delimiter separates csv fields (0: a comma) and text fields (0: a
	// tab).
	Delimiter rune
	// NoHeader leaves out the csv and text header row.
	NoHeader bool
}

// NewOptions returns the defaults: NULL shows as "NULL", missing attributes
// as an empty cell, and tables end with a row-count footer.
func NewOptions() Options {
	return Options{NullText: "NULL", Footer: true}
}

var names = []string{"table", "csv", "json", "jsonl", "ddbjson", "text"}

// Names returns the format names New accepts, in a fixed order.
func Names() []string {
	return append([]string(nil), names...)
}

// New returns a writer for format name (table, csv, json, jsonl, ddbjson or
// text, PostgreSQL COPY's text format; case does not matter) that writes to w. An unknown name is an error that
// lists the known ones.
func New(name string, w io.Writer, opts Options) (Writer, error) {
	switch strings.ToLower(name) {
	case "table":
		return &tableWriter{out: w, opts: opts}, nil
	case "csv":
		return newCSVWriter(w, opts), nil
	case "json":
		return &streamWriter{out: w, array: true}, nil
	case "jsonl":
		return &streamWriter{out: w}, nil
	case "ddbjson":
		return &streamWriter{out: w, ddb: true}, nil
	case "text":
		return newCopyTextWriter(w, opts), nil
	case "binary":
		// Binary COPY needs each column's type: the wire server writes it
		// with NewCopyBinaryWriter.
		return nil, BinaryCopyRefused()
	}
	return nil, sqlerr.New(sqlerr.InvalidParameter, "unknown output format %q (formats: %s)",
		name, strings.Join(names, ", "))
}
