package pgwire

import (
	"io"
	"strconv"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
)

// copyOut sends the rows of COPY ... TO STDOUT: CopyOutResponse, the
// formatted output in CopyData messages, CopyDone and "COPY n". The rows
// are written by the same format writer COPY ... TO 'file' uses, so the
// client receives the bytes of the file; in binary format, which only the
// wire protocol has, each value is in the binary form a DataRow would
// send for the columns of the COPY's SELECT.
func (c *conn) copyOut(p *portal) error {
	res := p.res
	w := &copyDataWriter{c: c}
	resp := &pgproto3.CopyOutResponse{OverallFormat: byte(textFormat), ColumnFormatCodes: make([]uint16, len(res.Columns))}
	var fw format.Writer
	if s, ok := p.prep.stmt.(*parser.Copy); ok && s.Format == parser.CopyBinary {
		cols, err := c.srv.describer.copyOutColumns(p.ctx, sessionCatalog(c.sess), s, p.prep.plan)
		if err != nil {
			return err
		}
		fw = binaryCopyWriter(w, cols)
		resp.OverallFormat, resp.ColumnFormatCodes = byte(binaryFormat), binaryCodes(len(cols))
	} else {
		var err error
		if fw, err = format.New(res.Copy.Format, w, res.Copy.Options); err != nil {
			return err
		}
	}
	c.send(resp)
	if err := fw.Begin(res.Columns, res.KeyColumns); err != nil {
		return err
	}
	for {
		it, err := p.rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := fw.Row(it); err != nil {
			return err
		}
		p.count++
		if w.err != nil {
			return w.err
		}
	}
	if err := fw.End(); err != nil {
		return err
	}
	if w.err != nil {
		return w.err
	}
	c.send(&pgproto3.CopyDone{})
	c.send(&pgproto3.CommandComplete{CommandTag: []byte("COPY " + strconv.FormatInt(p.count, 10))})
	return nil
}

// copyDataWriter turns writes into CopyData messages, flushing every
// flushThreshold bytes.
type copyDataWriter struct {
	c   *conn
	err error
}

// maxCopyData bounds one CopyData message.
const maxCopyData = 64 << 10

func (w *copyDataWriter) Write(b []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n := len(b)
	for len(b) > 0 {
		chunk := b[:min(len(b), maxCopyData)]
		b = b[len(chunk):]
		w.c.be.Send(&pgproto3.CopyData{Data: chunk})
		w.c.pending += len(chunk) + 5
		if w.c.pending >= flushThreshold {
			if w.err = w.c.flush(); w.err != nil {
				return 0, w.err
			}
		}
	}
	return n, nil
}

// binaryCopyWriter writes rows to w in binary COPY format, each value in
// its column's binary form as a DataRow in binary format sends it.
func binaryCopyWriter(w io.Writer, cols []Column) format.Writer {
	formats := make([]int16, len(cols))
	for i := range formats {
		formats[i] = binaryFormat
	}
	return format.NewCopyBinaryWriter(w, func(dst [][]byte, it format.Item) ([][]byte, error) {
		return AppendRow(dst, cols, it, formats)
	})
}

// binaryCodes is n binary format codes, for CopyInResponse and
// CopyOutResponse.
func binaryCodes(n int) []uint16 {
	codes := make([]uint16, n)
	for i := range codes {
		codes[i] = uint16(binaryFormat)
	}
	return codes
}
