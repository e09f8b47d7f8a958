package format

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// copyTextReader reads PostgreSQL COPY's text format, what psql's \copy
// and the PostgreSQL drivers send to COPY ... FROM STDIN by default, and
// what copyTextWriter writes:
//
//   - one line per item, fields separated by a tab (ReadOptions.Delimiter);
//   - a field that is exactly \N is NULL: the attribute is left out of the
//     item, as the writer writes both NULL and a missing attribute as \N;
//   - backslash escapes: \b \f \n \r \t \v, \\, \ddd (octal), \xhh (hex),
//     and a backslash before any other character (the delimiter, say)
//     stands for that character;
//   - a line holding only \. ends the data, as in PostgreSQL.
//
// The attribute names come from ReadOptions.Columns or else from a header
// row, and fields become values as csvReader's do (a "price:N" type, or
// else a number DynamoDB can store is N, true and false are BOOL and the
// rest S), with two differences that follow PostgreSQL's text output: an
// empty field is an empty string, not a missing attribute, and a B column
// takes bytea's hex form (\x0102, as the writer writes binaries) as well
// as base64, and a BOOL column t and f as well as true and false.
type copyTextReader struct {
	in    *bufio.Reader
	delim string
	cols  []csvColumn
	// header is set while a header row is still to be read: to name the
	// attributes (cols is nil) or to be skipped.
	header bool
	line   int // the line last read
	at     int // the line of the item last returned
	done   bool
	buf    []byte
}

func newCopyTextReader(r io.Reader, opts ReadOptions) (*copyTextReader, error) {
	d := "\t"
	if opts.Delimiter != 0 {
		d = string(opts.Delimiter)
	}
	tr := &copyTextReader{in: bufio.NewReaderSize(r, 64<<10), delim: d, header: true}
	if len(opts.Columns) > 0 {
		cols, err := parseColumns(opts.Columns)
		if err != nil {
			return nil, err
		}
		tr.cols, tr.header = cols, opts.SkipHeader
	}
	return tr, nil
}

func (r *copyTextReader) Line() int { return r.at }

func (r *copyTextReader) Next() (Item, error) {
	for {
		raw, err := r.readLine()
		if err != nil {
			return nil, err
		}
		fields, err := r.split(raw)
		if err != nil {
			return nil, lineError(r.line, err)
		}
		if r.header {
			r.header = false
			if r.cols != nil {
				continue
			}
			names := make([]string, len(fields))
			for i, f := range fields {
				if f == nil {
					return nil, lineError(r.line, fmt.Errorf("header field %d is \\N; each column needs an attribute name", i+1))
				}
				names[i] = *f
			}
			if r.cols, err = parseColumns(names); err != nil {
				return nil, lineError(r.line, err)
			}
			continue
		}
		r.at = r.line
		if len(fields) != len(r.cols) {
			return nil, lineError(r.line, fmt.Errorf("%d fields, but there are %d attributes (%s)",
				len(fields), len(r.cols), r.names()))
		}
		it := make(Item, len(fields))
		for i, f := range fields {
			if f == nil {
				continue
			}
			v, err := r.cols[i].textValue(*f)
			if err != nil {
				return nil, lineError(r.line, atKey(r.cols[i].name, err))
			}
			it[r.cols[i].name] = v
		}
		return it, nil
	}
}

// names lists the attribute names for an error message.
func (r *copyTextReader) names() string {
	ns := make([]string, len(r.cols))
	for i, c := range r.cols {
		ns[i] = c.name
	}
	return strings.Join(ns, ", ")
}

// readLine returns the next line without its line break, or io.EOF at the
// end of the data: the end of the input or a line \. (after which nothing
// more is read).
func (r *copyTextReader) readLine() ([]byte, error) {
	if r.done {
		return nil, io.EOF
	}
	b, err := r.in.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		r.buf = append(r.buf[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			b, err = r.in.ReadSlice('\n')
			r.buf = append(r.buf, b...)
		}
		b = r.buf
	}
	if err == io.EOF && len(b) > 0 {
		err = nil
	}
	if err != nil {
		r.done = true
		return nil, err
	}
	r.line++
	b = b[:len(b)-len(lineBreak(b))]
	if string(b) == `\.` {
		r.done = true
		return nil, io.EOF
	}
	return b, nil
}

// lineBreak returns the line break b ends with: "\r\n", "\n" or "".
func lineBreak(b []byte) string {
	switch {
	case len(b) >= 2 && b[len(b)-2] == '\r' && b[len(b)-1] == '\n':
		return "\r\n"
	case len(b) >= 1 && b[len(b)-1] == '\n':
		return "\n"
	}
	return ""
}

// split cuts a line at the unescaped delimiters and decodes each field; a
// field that is exactly \N is nil.
func (r *copyTextReader) split(line []byte) ([]*string, error) {
	out := make([]*string, 0, len(r.cols))
	s := string(line)
	start := 0
	for i := 0; i <= len(s); {
		if i < len(s) && s[i] == '\\' {
			i = min(i+2, len(s)) // the escaped character is never a delimiter
			continue
		}
		if i < len(s) && !strings.HasPrefix(s[i:], r.delim) {
			i++
			continue
		}
		f := s[start:min(i, len(s))]
		if f == `\N` {
			out = append(out, nil)
		} else {
			v, err := unescapeCopyText(f)
			if err != nil {
				return nil, fmt.Errorf("field %d: %w", len(out)+1, err)
			}
			out = append(out, &v)
		}
		if i >= len(s) {
			break
		}
		i += len(r.delim)
		start = i
	}
	return out, nil
}

// unescapeCopyText decodes the backslash escapes of one text field.
func unescapeCopyText(f string) (string, error) {
	if strings.IndexByte(f, '\\') < 0 {
		return f, nil
	}
	var b strings.Builder
	b.Grow(len(f))
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(f) {
			return "", errors.New("the field ends in a lone backslash")
		}
		switch c = f[i]; c {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for n := 1; n < 3 && i+1 < len(f) && f[i+1] >= '0' && f[i+1] <= '7'; n++ {
				i++
				v = v*8 + int(f[i]-'0')
			}
			b.WriteByte(byte(v))
		case 'x':
			if i+1 < len(f) && isHexDigit(f[i+1]) {
				v := 0
				for n := 0; n < 2 && i+1 < len(f) && isHexDigit(f[i+1]); n++ {
					i++
					v = v*16 + hexValue(f[i])
				}
				b.WriteByte(byte(v))
			} else {
				b.WriteByte('x')
			}
		default:
			b.WriteByte(c)
		}
	}
	s := b.String()
	if !utf8.ValidString(s) {
		return "", errors.New("the escapes make invalid UTF-8")
	}
	return s, nil
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexValue(c byte) int {
	switch {
	case c <= '9':
		return int(c - '0')
	case c >= 'a':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// textValue converts one decoded text field that is not \N.
func (c csvColumn) textValue(f string) (types.AttributeValue, error) {
	switch c.typ {
	case "":
		if f == "" {
			return &types.AttributeValueMemberS{Value: ""}, nil
		}
	case "B":
		if strings.HasPrefix(f, `\x`) {
			b, err := hex.DecodeString(f[2:])
			if err != nil {
				return nil, fmt.Errorf("B value %q is not bytea's hex form", truncateForError(f))
			}
			return &types.AttributeValueMemberB{Value: b}, nil
		}
	case "BOOL":
		switch f {
		case "t":
			return &types.AttributeValueMemberBOOL{Value: true}, nil
		case "f":
			return &types.AttributeValueMemberBOOL{Value: false}, nil
		}
	case "S":
		return &types.AttributeValueMemberS{Value: f}, nil
	}
	if f == "" {
		return nil, fmt.Errorf("%s value is empty", c.typ)
	}
	return c.value(f)
}
