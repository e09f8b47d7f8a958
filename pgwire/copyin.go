package pgwire

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// COPY ... FROM STDIN: when the import is about to read, the executor asks
// the connection for its data (executor.WithCopyIn). The connection sends
// CopyInResponse, and a receiver goroutine reads the client's CopyData
// messages into an io.Pipe that the executor's format reader reads, so
// that memory holds one message at a time whatever the size of the data.
// While the statement runs, the serving goroutine is inside the executor
// and does not read the socket: the receiver is then its only reader, and
// it stops at CopyDone, CopyFail or a broken connection. When the
// statement ends — done, or failed at a bad line or a failed write — the
// serving goroutine waits for the receiver to see the end of the data
// (discarding what the executor did not read), and only then answers, so
// the client, which sends all its data before it reads, sees the outcome
// after it sent everything: CommandComplete "COPY n", or the error.
//
// Binary COPY is decoded here rather than by a format reader of the
// executor, since only the connection knows the column types that give
// the fields their meaning: the source hands the executor items
// (executor.CopyInItems).

// copyIn is a COPY ... FROM STDIN under way on the connection.
type copyIn struct {
	pr *io.PipeReader
	// done is closed when the receiver stops.
	done chan struct{}
	// failed is the error of the client's CopyFail; broken the failure of
	// the connection (a read error or a message that has no place in a
	// COPY), after which it closes. Both are set before done is closed.
	failed error
	broken error
	// fatal is set when broken must be reported to the client (a protocol
	// violation) rather than only end the connection.
	fatal bool
}

// startCopyIn is the connection's executor.CopyInSource: it announces the
// COPY to the client and streams the data it sends.
func (c *conn) startCopyIn(ctx context.Context, req executor.CopyInRequest) (io.ReadCloser, error) {
	if c.copying != nil {
		return nil, sqlerr.New(sqlerr.Internal, "a COPY FROM STDIN is already reading this connection's data")
	}
	var cols []Column
	resp := &pgproto3.CopyInResponse{OverallFormat: byte(textFormat), ColumnFormatCodes: make([]uint16, req.Columns)}
	if req.Format == string(parser.CopyBinary) {
		var err error
		if cols, err = c.srv.describer.copyInColumns(ctx, sessionCatalog(c.sess), req.Table, req.Attributes); err != nil {
			return nil, err
		}
		resp.OverallFormat, resp.ColumnFormatCodes = byte(binaryFormat), binaryCodes(len(cols))
	}
	c.send(resp)
	if err := c.flush(); err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	ci := &copyIn{pr: pr, done: make(chan struct{})}
	c.copying = ci
	go c.receiveCopyData(ci, pw)
	if cols != nil {
		return newBinaryCopyIn(pr, cols), nil
	}
	return pr, nil
}

// binaryCopyIn is the data of a binary COPY FROM STDIN, decoded into items
// here, where the columns' types are known (executor.CopyInItems): each
// field as a Bind parameter of its column's type in binary format is
// (DecodeParam); the overflow column's JSON object gives its attributes.
type binaryCopyIn struct {
	*io.PipeReader
	format.ItemReader
}

// newBinaryCopyIn reads pr's binary COPY data for the fields of cols.
func newBinaryCopyIn(pr *io.PipeReader, cols []Column) *binaryCopyIn {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	decode := func(i int, data []byte, it format.Item) error {
		c := cols[i]
		v, err := DecodeParam(c.OID, binaryFormat, data)
		if err != nil {
			return err
		}
		if !c.Overflow && isArrayOID(c.OID) {
			// An array column holds a set (the column rule types SS, NS
			// and BS as arrays): store one, so that the item reads back
			// in the column's type. DynamoDB has no empty set.
			set, ok, err := setOfList(v)
			if err != nil {
				return err
			}
			if ok {
				it[c.Attr] = set
			}
			return nil
		}
		if !c.Overflow {
			it[c.Attr] = v
			return nil
		}
		m, ok := v.(*types.AttributeValueMemberM)
		if !ok {
			return sqlerr.New(sqlerr.InvalidText, "%s must be a JSON object of the attributes outside the other columns", c.Name)
		}
		for name, av := range m.Value {
			if _, set := it[name]; !set {
				it[name] = av
			}
		}
		return nil
	}
	return &binaryCopyIn{PipeReader: pr, ItemReader: format.NewCopyBinaryReader(pr, names, decode)}
}

// receiveCopyData passes the data of CopyData messages to pw until
// CopyDone (the end of the data), CopyFail or a failure of the connection.
// Data the reader no longer wants (it stopped at an error) is read and
// discarded, so that the client is never left blocked on a full socket.
func (c *conn) receiveCopyData(ci *copyIn, pw *io.PipeWriter) {
	defer close(ci.done)
	discard := false
	for {
		if t := c.srv.cfg.IdleTimeout; t > 0 {
			_ = c.nc.SetReadDeadline(time.Now().Add(t))
		}
		msg, err := c.be.Receive()
		if err != nil {
			ci.broken = err
			pw.CloseWithError(sqlerr.Wrap(err, sqlerr.ConnectionFailure))
			return
		}
		switch m := msg.(type) {
		case *pgproto3.CopyData:
			if !discard {
				// Write returns once the reader has copied every byte,
				// before the next Receive reuses the message's buffer.
				if _, err := pw.Write(m.Data); err != nil {
					discard = true
				}
			}
		case *pgproto3.CopyDone:
			pw.Close()
			return
		case *pgproto3.CopyFail:
			ci.failed = sqlerr.New(sqlerr.QueryCanceled, "COPY from stdin failed: %s", m.Message)
			pw.CloseWithError(ci.failed)
			return
		case *pgproto3.Flush, *pgproto3.Sync:
			// PostgreSQL ignores them during COPY FROM STDIN.
		default:
			ci.broken, ci.fatal = sqlerr.New(protocolViolation, "unexpected message %T during COPY from stdin", msg), true
			pw.CloseWithError(ci.broken)
			return
		}
	}
}

// endCopyIn finishes the COPY FROM STDIN the statement started, if any,
// once the statement has returned err: it waits for the end of the
// client's data and returns the statement's outcome. A CopyFail is the
// error, whatever the import made of the data cut short, with the import's
// account of the items written before it (57014, as in PostgreSQL).
func (c *conn) endCopyIn(err error) error {
	ci := c.copying
	if ci == nil {
		return err
	}
	c.copying = nil
	// The executor closes the stream when it stops; closing it again is
	// harmless and makes sure the receiver discards the rest.
	ci.pr.Close()
	<-ci.done
	switch {
	case ci.broken != nil:
		c.broken = true
		if ci.fatal {
			c.fatal(ci.broken)
		}
		return ci.broken
	case ci.failed != nil:
		failed := *sqlerr.As(ci.failed)
		var se *sqlerr.Error
		if errors.As(err, &se) {
			failed.Detail = se.Detail
		}
		return &failed
	}
	return err
}

// setOfList turns an array decoded as a list into the set of its elements'
// type: strings to SS, numbers to NS, binaries to BS. ok is false for an
// empty array (DynamoDB has no empty set); NULL elements, mixed types or
// duplicates are an error, as a set cannot hold them.
func setOfList(v types.AttributeValue) (set types.AttributeValue, ok bool, err error) {
	l, isList := v.(*types.AttributeValueMemberL)
	if !isList {
		return v, true, nil
	}
	if len(l.Value) == 0 {
		return nil, false, nil
	}
	bad := func(why string) error {
		return sqlerr.New(sqlerr.InvalidText, "an array column holds a DynamoDB set, which cannot hold %s", why)
	}
	seen := make(map[string]bool, len(l.Value))
	var ss, ns []string
	var bs [][]byte
	for _, e := range l.Value {
		var key string
		switch x := e.(type) {
		case *types.AttributeValueMemberS:
			ss, key = append(ss, x.Value), "S"+x.Value
		case *types.AttributeValueMemberN:
			n, err := value.NormalizeNumber(x.Value)
			if err != nil {
				n = x.Value
			}
			ns, key = append(ns, x.Value), "N"+n
		case *types.AttributeValueMemberB:
			bs, key = append(bs, x.Value), "B"+string(x.Value)
		default:
			return nil, false, bad("NULL elements")
		}
		if seen[key] {
			return nil, false, bad("duplicates")
		}
		seen[key] = true
	}
	switch {
	case len(ss) == len(l.Value):
		return &types.AttributeValueMemberSS{Value: ss}, true, nil
	case len(ns) == len(l.Value):
		return &types.AttributeValueMemberNS{Value: ns}, true, nil
	case len(bs) == len(l.Value):
		return &types.AttributeValueMemberBS{Value: bs}, true, nil
	}
	return nil, false, bad("elements of different types")
}
