package format

import (
	"encoding/hex"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// copyTextWriter writes PostgreSQL COPY's text format, the format
// COPY ... TO STDOUT uses by default and that psql's \copy and the
// PostgreSQL drivers read: one line per row, fields separated by a tab
// (Options.Delimiter), NULL and a missing attribute both written \N, and
// backslash escapes for a backslash, the delimiter and the control
// characters \b \f \n \r \t \v. Booleans are t and f, binaries bytea's hex
// form (\x0102, its backslash escaped), maps and lists JSON. It is for
// COPY, not for reading at a terminal: the "table" format is that. A
// header line of column names is written only when Options.NoHeader is
// false, as PostgreSQL writes one only with HEADER.
type copyTextWriter struct {
	lifecycle
	out    io.Writer
	opts   Options
	delim  string
	layout layout
	rows   [][]string
	buf    []byte
}

func newCopyTextWriter(w io.Writer, opts Options) *copyTextWriter {
	d := "\t"
	if opts.Delimiter != 0 {
		d = string(opts.Delimiter)
	}
	return &copyTextWriter{out: w, opts: opts, delim: d}
}

func (w *copyTextWriter) Begin(columns, keyColumns []string) error {
	if err := w.enter("begin"); err != nil {
		return err
	}
	w.layout.begin(columns, keyColumns, false)
	if w.layout.open || w.opts.NoHeader {
		return nil
	}
	return w.header(w.layout.cols)
}

func (w *copyTextWriter) header(cols []string) error {
	fields := make([]string, len(cols))
	for i, c := range cols {
		fields[i] = w.escape(c)
	}
	return w.line(fields)
}

func (w *copyTextWriter) Row(it Item) error {
	if err := w.enter("row"); err != nil {
		return err
	}
	w.layout.observe(it)
	fields := make([]string, len(w.layout.cols))
	for i, c := range w.layout.cols {
		fields[i] = w.field(it[c])
	}
	if w.layout.open {
		w.rows = append(w.rows, fields)
		return nil
	}
	return w.line(fields)
}

// field renders one value in the text format, escaped.
func (w *copyTextWriter) field(v types.AttributeValue) string {
	switch x := v.(type) {
	case nil, *types.AttributeValueMemberNULL:
		return `\N`
	case *types.AttributeValueMemberBOOL:
		if x.Value {
			return "t"
		}
		return "f"
	case *types.AttributeValueMemberB:
		return `\\x` + hex.EncodeToString(x.Value)
	}
	return w.escape(Text(v))
}

// escape applies the text format's backslash escapes.
func (w *copyTextWriter) escape(s string) string {
	if !strings.ContainsAny(s, "\\\b\f\n\r\t\v"+w.delim) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\v':
			b.WriteString(`\v`)
		default:
			if string(r) == w.delim {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (w *copyTextWriter) line(fields []string) error {
	w.buf = w.buf[:0]
	for i, f := range fields {
		if i > 0 {
			w.buf = append(w.buf, w.delim...)
		}
		w.buf = append(w.buf, f...)
	}
	w.buf = append(w.buf, '\n')
	_, err := w.out.Write(w.buf)
	return w.fail(err)
}

func (w *copyTextWriter) End() error {
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
		if err := w.header(cols); err != nil {
			return err
		}
	}
	for _, fields := range w.rows {
		for len(fields) < len(cols) {
			fields = append(fields, `\N`)
		}
		if err := w.line(fields); err != nil {
			return err
		}
	}
	w.rows = nil
	return nil
}
