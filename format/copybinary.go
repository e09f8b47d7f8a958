package format

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// PostgreSQL's binary COPY format is a header, one tuple per row and a
// trailer:
//
//	header   "PGCOPY\n\377\r\n\0", flags int32, extension length int32, extension bytes
//	tuple    field count int16, then per field: length int32 (-1: NULL) and that many bytes
//	trailer  int16 -1
//
// All integers are big-endian. The bytes of a field are its column type's
// binary form (PostgreSQL's send and receive functions), which only the
// wire server, which knows each column's type, can encode and decode: this
// file does the framing and leaves the fields to callbacks.

// copyBinarySignature starts every binary COPY stream.
const copyBinarySignature = "PGCOPY\n\377\r\n\x00"

// badCopyFormat is PostgreSQL's SQLSTATE for malformed COPY data.
const badCopyFormat = "22P04"

// MaxCopyBinaryField bounds one field of binary COPY data. DynamoDB stores
// items of at most 400 KB, so no field larger than this (a generous bound
// for a value's binary or JSON form) could be written.
const MaxCopyBinaryField = 1 << 20

// BinaryCopyRefused is the error of binary COPY where no wire client
// sends or receives the data: a file, a script, the shell (SQLSTATE
// 0A000).
func BinaryCopyRefused() *sqlerr.Error {
	return sqlerr.New(sqlerr.FeatureNotSupported,
		"binary COPY works only FROM STDIN / TO STDOUT over the wire protocol (ddbsql serve)").
		WithHint("use FORMAT csv, text, json, jsonl or ddbjson here")
}

// CopyBinaryDecoder sets the attribute of one non-NULL field of a binary
// COPY tuple in it: field is the field's index, data its bytes (valid only
// during the call). An error should carry its SQLSTATE (22P02 for data
// that is not a value of the column's type); the reader adds the line and
// the column.
type CopyBinaryDecoder func(field int, data []byte, it Item) error

// NewCopyBinaryReader returns a reader of the items in r, PostgreSQL's
// binary COPY format, each tuple's fields going to columns (named for
// errors) through decode. A NULL field leaves its attribute out, as \N
// does in the text format. Tuples are numbered as lines, from 1, as
// PostgreSQL numbers them in its errors. Malformed framing is SQLSTATE
// 22P04; a clean end of data without the trailer is accepted, as in
// PostgreSQL.
func NewCopyBinaryReader(r io.Reader, columns []string, decode CopyBinaryDecoder) ItemReader {
	return &copyBinaryReader{in: bufio.NewReaderSize(r, 64<<10), cols: columns, decode: decode}
}

// copyBinaryReader reads the binary COPY format.
type copyBinaryReader struct {
	in     *bufio.Reader
	cols   []string
	decode CopyBinaryDecoder
	header bool // the header has been read
	done   bool
	line   int // the tuple last read
	buf    []byte
}

func (r *copyBinaryReader) Line() int { return r.line }

func (r *copyBinaryReader) Next() (Item, error) {
	if r.done {
		return nil, io.EOF
	}
	if !r.header {
		if err := r.readHeader(); err != nil {
			r.done = true
			return nil, err
		}
		r.header = true
	}
	var n [2]byte
	if k, err := io.ReadFull(r.in, n[:]); err != nil {
		r.done = true
		if k == 0 && err == io.EOF {
			return nil, io.EOF
		}
		return nil, r.fail(r.line+1, readError(err))
	}
	count := int16(binary.BigEndian.Uint16(n[:]))
	if count == -1 {
		r.done = true
		if _, err := r.in.ReadByte(); err == nil {
			return nil, lineError(r.line, &sqlerr.Error{Code: badCopyFormat, Message: "received copy data after EOF marker"})
		} else if err != io.EOF {
			return nil, err
		}
		return nil, io.EOF
	}
	r.line++
	if int(count) != len(r.cols) {
		r.done = true
		return nil, lineError(r.line, &sqlerr.Error{Code: badCopyFormat,
			Message: fmt.Sprintf("row field count is %d, expected %d", count, len(r.cols))})
	}
	it := make(Item, len(r.cols))
	for i := range r.cols {
		data, null, err := r.field()
		if err != nil {
			r.done = true
			return nil, r.failColumn(i, err)
		}
		if null {
			continue
		}
		if err := r.decode(i, data, it); err != nil {
			r.done = true
			return nil, r.failColumn(i, err)
		}
	}
	return it, nil
}

// readHeader reads and checks the signature, the flags and the header
// extension (skipped).
func (r *copyBinaryReader) readHeader() error {
	var h [len(copyBinarySignature) + 8]byte
	if _, err := io.ReadFull(r.in, h[:len(copyBinarySignature)]); err != nil || string(h[:len(copyBinarySignature)]) != copyBinarySignature {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		return headerError("COPY file signature not recognized")
	}
	if _, err := io.ReadFull(r.in, h[len(copyBinarySignature):]); err != nil {
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		return headerError("invalid COPY file header (missing flags or length)")
	}
	flags := binary.BigEndian.Uint32(h[len(copyBinarySignature):])
	if flags&(1<<16) != 0 {
		return headerError("invalid COPY file header (WITH OIDS)")
	}
	if flags>>17 != 0 {
		return headerError("unrecognized critical flags in COPY file header")
	}
	ext := int32(binary.BigEndian.Uint32(h[len(copyBinarySignature)+4:]))
	if ext < 0 {
		return headerError("invalid COPY file header (wrong length)")
	}
	if n, err := io.CopyN(io.Discard, r.in, int64(ext)); n < int64(ext) {
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		return headerError("invalid COPY file header (wrong length)")
	}
	return nil
}

// field reads one field: its bytes, or null for a NULL.
func (r *copyBinaryReader) field() (data []byte, null bool, err error) {
	var n [4]byte
	if _, err := io.ReadFull(r.in, n[:]); err != nil {
		return nil, false, readError(err)
	}
	size := int32(binary.BigEndian.Uint32(n[:]))
	switch {
	case size == -1:
		return nil, true, nil
	case size < -1:
		return nil, false, &sqlerr.Error{Code: badCopyFormat, Message: "invalid field size"}
	case size > MaxCopyBinaryField:
		return nil, false, &sqlerr.Error{Code: sqlerr.ProgramLimitExceeded,
			Message: fmt.Sprintf("field of %d bytes is larger than any value a DynamoDB item can hold", size)}
	}
	if cap(r.buf) < int(size) {
		r.buf = make([]byte, size)
	}
	r.buf = r.buf[:size]
	if _, err := io.ReadFull(r.in, r.buf); err != nil {
		return nil, false, readError(err)
	}
	return r.buf, false, nil
}

// readError is the error of data that ends inside a tuple; other read
// errors (the client's CopyFail, a broken connection) pass through.
func readError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &sqlerr.Error{Code: badCopyFormat, Message: "unexpected EOF in COPY data"}
	}
	return err
}

// headerError is a malformed header, which comes before any line.
func headerError(msg string) error {
	return &sqlerr.Error{Code: badCopyFormat, Message: "header: " + msg}
}

// fail returns err located on line; errors of the stream itself (no
// SQLSTATE of COPY's) pass through unchanged.
func (r *copyBinaryReader) fail(line int, err error) error {
	var se *sqlerr.Error
	if !errors.As(err, &se) {
		return err
	}
	return lineError(line, err)
}

// failColumn returns err located on the current line and column i.
func (r *copyBinaryReader) failColumn(i int, err error) error {
	var se *sqlerr.Error
	if !errors.As(err, &se) {
		return err
	}
	c := *se
	c.Message = fmt.Sprintf("line %d, column %s: %s", r.line, r.cols[i], se.Message)
	return &c
}

// CopyBinaryEncoder appends the fields of one row to dst, one per column
// (nil for NULL), in each column's binary form.
type CopyBinaryEncoder func(dst [][]byte, it Item) ([][]byte, error)

// NewCopyBinaryWriter returns a Writer of PostgreSQL's binary COPY format
// to w, the fields of each row made by encode. It writes in chunks of about
// 64 KB, so that each write makes a CopyData message of useful size.
func NewCopyBinaryWriter(w io.Writer, encode CopyBinaryEncoder) Writer {
	return &copyBinaryWriter{out: w, encode: encode}
}

// copyBinaryWriter writes the binary COPY format.
type copyBinaryWriter struct {
	out    io.Writer
	encode CopyBinaryEncoder
	buf    []byte
	fields [][]byte
	err    error
}

// copyBinaryChunk is the size at which the writer hands its buffer on.
const copyBinaryChunk = 64 << 10

func (w *copyBinaryWriter) Begin(_, _ []string) error {
	w.buf = append(w.buf[:0], copyBinarySignature...)
	w.buf = binary.BigEndian.AppendUint32(w.buf, 0) // flags
	w.buf = binary.BigEndian.AppendUint32(w.buf, 0) // no header extension
	return nil
}

func (w *copyBinaryWriter) Row(it Item) error {
	if w.err != nil {
		return w.err
	}
	fields, err := w.encode(w.fields[:0], it)
	if err != nil {
		return err
	}
	w.fields = fields
	if len(fields) > 32767 {
		return sqlerr.New(sqlerr.ProgramLimitExceeded, "a row of %d columns does not fit binary COPY's int16 field count", len(fields))
	}
	w.buf = AppendCopyBinaryTuple(w.buf, fields)
	if len(w.buf) >= copyBinaryChunk {
		return w.flush()
	}
	return nil
}

func (w *copyBinaryWriter) End() error {
	if w.err != nil {
		return w.err
	}
	w.buf = binary.BigEndian.AppendUint16(w.buf, 0xFFFF)
	return w.flush()
}

// flush writes the buffer out.
func (w *copyBinaryWriter) flush() error {
	if _, err := w.out.Write(w.buf); err != nil {
		w.err = err
		return err
	}
	w.buf = w.buf[:0]
	return nil
}

// AppendCopyBinaryTuple appends one tuple of fields (nil for NULL) in the
// binary COPY format, for clients and tests that build binary COPY data.
func AppendCopyBinaryTuple(buf []byte, fields [][]byte) []byte {
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(fields)))
	for _, f := range fields {
		if f == nil {
			buf = binary.BigEndian.AppendUint32(buf, 0xFFFFFFFF)
			continue
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(f)))
		buf = append(buf, f...)
	}
	return buf
}

// CopyBinaryHeader is the header of binary COPY data without flags or
// extension, as PostgreSQL writes it.
func CopyBinaryHeader() []byte {
	return append([]byte(copyBinarySignature), 0, 0, 0, 0, 0, 0, 0, 0)
}
