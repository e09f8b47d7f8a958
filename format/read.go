package format

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// ItemReader reads items from a file in one of the formats COPY imports. It
// streams: memory stays bounded by the largest item, whatever the file's
// size.
type ItemReader interface {
	// Next returns the next item, or io.EOF after the last. An item that
	// cannot be read is an error with SQLSTATE 22P02 whose message starts
	// with the line it is on and names the attribute:
	// `line 12: attribute price: N value "x" is not a number`.
	Next() (Item, error)
	// Line is the line on which the item Next last returned starts.
	Line() int
}

// ReadOptions tune NewReader.
type ReadOptions struct {
	// Delimiter separates csv fields (0: a comma) and text fields (0: a
	// tab).
	Delimiter rune
	// Columns, for csv and text, are the attributes the fields of each
	// line go to, in order; a name may carry a type as a header field does
	// ("price:N"). Empty: the first line is a header row naming them.
	Columns []string
	// SkipHeader, with Columns, reads the first line as a header row and
	// ignores it, as PostgreSQL's COPY FROM ... HEADER does.
	SkipHeader bool
}

// NewReader returns a reader of the items in r, in format name:
//
//   - csv: RFC 4180 with a header row naming the attributes (see csvReader
//     for how fields become values);
//   - text: PostgreSQL COPY's text format, tab-separated with \N for NULL
//     and backslash escapes (see copyTextReader);
//   - json: one array of plain JSON objects;
//   - jsonl: one plain JSON object per line (blank lines are skipped);
//   - ddbjson: one item per line in DynamoDB's AttributeValue JSON, as
//     UnmarshalItemJSON reads it: lossless, all ten types.
//
// Plain JSON maps to DynamoDB as strings to S, numbers to N with their text
// kept exactly (so 1.50 stays 1.50; a number DynamoDB cannot store is an
// error), true and false to BOOL, null to NULL, objects to M and arrays to
// L. Sets and binary have no plain JSON form: they come back as lists and
// strings, which is why ddbjson is the format for a faithful copy.
func NewReader(name string, r io.Reader, opts ReadOptions) (ItemReader, error) {
	switch strings.ToLower(name) {
	case "csv":
		return newCSVReader(r, opts)
	case "text":
		return newCopyTextReader(r, opts)
	case "json":
		return newJSONArrayReader(r), nil
	case "jsonl":
		return &lineReader{in: bufio.NewReaderSize(r, 64<<10), parse: unmarshalPlainItem}, nil
	case "ddbjson":
		return &lineReader{in: bufio.NewReaderSize(r, 64<<10), parse: UnmarshalItemJSON}, nil
	case "binary":
		// Binary COPY needs each column's type: the wire server reads it
		// with NewCopyBinaryReader.
		return nil, BinaryCopyRefused()
	}
	return nil, sqlerr.New(sqlerr.InvalidParameter, "unknown input format %q (formats: csv, text, json, jsonl, ddbjson)", name)
}

// lineError returns the error of the item on line: SQLSTATE 22P02 unless err
// already carries a code of its own.
func lineError(line int, err error) error {
	var se *sqlerr.Error
	if errors.As(err, &se) {
		c := *se
		c.Message = fmt.Sprintf("line %d: %s", line, se.Message)
		return &c
	}
	return &sqlerr.Error{Code: sqlerr.InvalidText, Message: fmt.Sprintf("line %d: %s", line, err.Error()), Err: err}
}

// lineReader reads one item per line: jsonl and ddbjson.
type lineReader struct {
	in    *bufio.Reader
	parse func([]byte) (Item, error)
	line  int // the line last read
	at    int // the line of the item last returned
	buf   []byte
}

func (r *lineReader) Line() int { return r.at }

func (r *lineReader) Next() (Item, error) {
	for {
		b, err := r.readLine()
		if err != nil {
			return nil, err
		}
		r.line++
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		r.at = r.line
		it, err := r.parse(b)
		if err != nil {
			return nil, lineError(r.line, err)
		}
		return it, nil
	}
}

// readLine returns the next line without its line break, reusing one buffer
// for lines longer than the reader's own.
func (r *lineReader) readLine() ([]byte, error) {
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
		return nil, err
	}
	return bytes.TrimSuffix(bytes.TrimSuffix(b, []byte("\n")), []byte("\r")), nil
}

// jsonArrayReader reads the json format, one array of objects, one element
// at a time.
type jsonArrayReader struct {
	lines   *lineCounter
	d       *json.Decoder
	started bool
	done    bool
	at      int
}

func newJSONArrayReader(r io.Reader) *jsonArrayReader {
	lc := &lineCounter{r: r}
	d := json.NewDecoder(lc)
	d.UseNumber()
	return &jsonArrayReader{lines: lc, d: d}
}

func (r *jsonArrayReader) Line() int { return r.at }

func (r *jsonArrayReader) Next() (Item, error) {
	if r.done {
		return nil, io.EOF
	}
	if !r.started {
		r.started = true
		if err := expectDelim(r.d, '[', "an array of objects"); err != nil {
			return nil, r.fail(err)
		}
	}
	if !r.d.More() {
		if _, err := next(r.d); err != nil {
			return nil, r.fail(err)
		}
		if tok, err := r.d.Token(); err != io.EOF {
			return nil, r.fail(fmt.Errorf("%s after the array; expected end of input", describeToken(tok, err)))
		}
		r.done = true
		return nil, io.EOF
	}
	r.at = r.lines.lineAt(r.d.InputOffset() + r.skipSpace())
	it, err := decodePlainItem(r.d)
	if err != nil {
		return nil, r.fail(err)
	}
	return it, nil
}

// skipSpace returns how many bytes of white space and commas the decoder
// will skip before the next element, so that Line names the element's first
// line rather than the end of the one before.
func (r *jsonArrayReader) skipSpace() int64 {
	buf, _ := io.ReadAll(io.LimitReader(r.d.Buffered(), 4096))
	n := 0
	for n < len(buf) && strings.IndexByte(" \t\r\n,", buf[n]) >= 0 {
		n++
	}
	return int64(n)
}

func (r *jsonArrayReader) fail(err error) error {
	r.done = true
	line := r.lines.lineAt(r.d.InputOffset())
	if r.at > 0 {
		line = r.at
	}
	return lineError(line, err)
}

// lineCounter passes reads through and remembers where lines start, keeping
// only what the decoder may still ask about: the offsets of the line breaks
// read but not yet consumed.
type lineCounter struct {
	r      io.Reader
	read   int64   // bytes read so far
	lines  int     // line breaks before breaks[0]
	breaks []int64 // offsets of later line breaks
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			c.breaks = append(c.breaks, c.read+int64(i))
		}
	}
	c.read += int64(n)
	return n, err
}

// lineAt returns the 1-based line of byte offset off, which must not be
// before an offset asked about earlier.
func (c *lineCounter) lineAt(off int64) int {
	i := 0
	for i < len(c.breaks) && c.breaks[i] < off {
		i++
	}
	c.lines += i
	c.breaks = c.breaks[i:]
	return c.lines + 1
}
