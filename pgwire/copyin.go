package pgwire

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/sqlerr"
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
func (c *conn) startCopyIn(_ context.Context, req executor.CopyInRequest) (io.ReadCloser, error) {
	if c.copying != nil {
		return nil, sqlerr.New(sqlerr.Internal, "a COPY FROM STDIN is already reading this connection's data")
	}
	c.send(&pgproto3.CopyInResponse{OverallFormat: 0, ColumnFormatCodes: make([]uint16, req.Columns)})
	if err := c.flush(); err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	ci := &copyIn{pr: pr, done: make(chan struct{})}
	c.copying = ci
	go c.receiveCopyData(ci, pw)
	return pr, nil
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
