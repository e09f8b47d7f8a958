package pgwire

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// conn is one client connection. Its goroutine (serve) is the only one that
// reads from or writes to the socket and the only one that uses sess;
// other goroutines (CancelRequest, Shutdown) only cancel the running
// statement's context and move socket deadlines.
type conn struct {
	srv *Server
	nc  net.Conn
	be  *pgproto3.Backend
	log *slog.Logger

	pid    uint32
	secret [32]byte
	// keyLen is how much of secret BackendKeyData carries: 4 bytes in
	// protocol 3.0, all 32 from 3.2.
	keyLen    int
	overLimit bool

	user string
	tls  bool
	sess *session.Session

	// reported holds the ParameterStatus values last sent, so that a
	// change is reported once.
	reported map[string]string

	statements map[string]*prepared
	portals    map[string]*portal
	// schemaEpoch counts the DDL and ANALYZE statements run on this
	// connection; plans made before one are made again (see planKey).
	schemaEpoch uint64
	// skipTillSync is set by an error in the extended protocol: messages
	// are discarded until the next Sync.
	skipTillSync bool
	// pending counts bytes sent since the last flush.
	pending int
	// broken is set when a write failed: the client is gone.
	broken bool
	// copying is the COPY FROM STDIN whose data is being received (see
	// copyin.go), nil otherwise.
	copying *copyIn

	// idle is set while the goroutine waits for a message after
	// ReadyForQuery; Shutdown wakes idle connections at once.
	idle atomic.Bool
	// killed is set when Shutdown gave up waiting: the connection closes
	// after whatever it is doing fails.
	killed atomic.Bool

	mu sync.Mutex
	// stmtCancel cancels the statement running now (nil between
	// statements).
	stmtCancel context.CancelCauseFunc
}

// Causes of a canceled statement context, mapped to errors in errors.go.
var (
	errUserCancel    = errors.New("canceling statement due to user request")
	errAdminShutdown = errors.New("terminating connection due to administrator command")
)

// flushThreshold is how many bytes of rows are buffered before a flush:
// large enough to fill TCP segments, small enough to bound memory.
const flushThreshold = 32 << 10

func (c *conn) matchSecret(key []byte) bool {
	return c.keyLen > 0 && subtle.ConstantTimeCompare(key, c.secret[:c.keyLen]) == 1
}

// cancelStatement cancels the running statement, if any.
func (c *conn) cancelStatement(cause error) {
	c.mu.Lock()
	cancel := c.stmtCancel
	c.mu.Unlock()
	if cancel != nil {
		cancel(cause)
	}
}

// wakeIfIdle makes an idle connection's pending read return at once, so
// that it sees the server is closing.
func (c *conn) wakeIfIdle() {
	if c.idle.Load() {
		_ = c.nc.SetReadDeadline(time.Now())
	}
}

// terminate ends a connection whatever it is doing.
func (c *conn) terminate() {
	c.killed.Store(true)
	c.cancelStatement(errAdminShutdown)
	now := time.Now()
	_ = c.nc.SetReadDeadline(now)
	// A client that stopped reading must not hold the shutdown up.
	_ = c.nc.SetWriteDeadline(now.Add(time.Second))
}

// serve runs the connection until the client leaves or an error ends it.
// A panic closes this connection only.
func (c *conn) serve() {
	defer c.srv.dropConn(c)
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("pgwire: panic serving connection; closing it", "pid", c.pid, "remote", c.nc.RemoteAddr().String(),
				"panic", r, "stack", string(debug.Stack()))
			if c.srv.panicHook != nil {
				c.srv.panicHook(r)
			}
		}
		c.closePortals()
		c.nc.Close()
	}()
	ctx := context.Background()
	if !c.handshake(ctx) {
		return
	}
	c.log.Debug("pgwire: connection ready", "pid", c.pid, "user", c.user, "remote", c.nc.RemoteAddr().String())
	c.loop(ctx)
}

// loop reads and answers messages until the connection ends.
func (c *conn) loop(ctx context.Context) {
	c.be.SetMaxBodyLen(c.srv.cfg.MaxMessageSize)
	atIdle := true
	for {
		if atIdle {
			if err := c.flush(); err != nil {
				return
			}
		}
		// Moving the deadline costs a timer update per message, so it is
		// moved only when there is an idle timeout, or when Shutdown may
		// have set it to wake this connection as it left idle.
		if t := c.srv.cfg.IdleTimeout; t > 0 {
			_ = c.nc.SetReadDeadline(time.Now().Add(t))
		} else if c.srv.closing.Load() {
			_ = c.nc.SetReadDeadline(time.Time{})
		}
		c.idle.Store(atIdle)
		if (atIdle && c.srv.closing.Load()) || c.killed.Load() {
			c.fatal(sqlerr.New(adminShutdown, "terminating connection due to administrator command"))
			return
		}
		msg, err := c.be.Receive()
		c.idle.Store(false)
		if err != nil {
			c.receiveFailed(err)
			return
		}
		atIdle = false
		switch m := msg.(type) {
		case *pgproto3.Query:
			c.skipTillSync = false
			c.simpleQuery(ctx, m.String)
			c.sendReady()
			atIdle = true
		case *pgproto3.Sync:
			c.skipTillSync = false
			c.sync()
			atIdle = true
		case *pgproto3.Terminate:
			return
		case *pgproto3.Flush:
			if err := c.flush(); err != nil {
				return
			}
		case *pgproto3.Parse, *pgproto3.Bind, *pgproto3.Describe, *pgproto3.Execute, *pgproto3.Close:
			if !c.skipTillSync {
				c.extended(ctx, m)
			}
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			// Leftovers of a COPY FROM STDIN that was refused: PostgreSQL
			// ignores them too.
		case *pgproto3.FunctionCall:
			c.sendError(sqlerr.New(sqlerr.FeatureNotSupported, "the fast-path function call interface is not supported"), "", 0)
			c.sendReady()
			atIdle = true
		default:
			c.fatal(sqlerr.New(protocolViolation, "unexpected message %T", msg))
			return
		}
		if c.broken {
			return
		}
		if c.killed.Load() {
			c.fatal(sqlerr.New(adminShutdown, "terminating connection due to administrator command"))
			return
		}
		if c.pending >= flushThreshold {
			if err := c.flush(); err != nil {
				return
			}
		}
	}
}

// receiveFailed ends the connection after a failed read, telling the
// client why when it may still listen.
func (c *conn) receiveFailed(err error) {
	var tooBig *pgproto3.ExceededMaxBodyLenErr
	switch {
	case c.srv.closing.Load() || c.killed.Load():
		c.fatal(sqlerr.New(adminShutdown, "terminating connection due to administrator command"))
	case errors.As(err, &tooBig):
		c.fatal(sqlerr.New(sqlerr.ProgramLimitExceeded, "message of %d bytes exceeds the server's maximum of %d bytes",
			tooBig.ActualBodyLen, tooBig.MaxExpectedBodyLen))
	case errors.Is(err, os.ErrDeadlineExceeded):
		c.fatal(sqlerr.New(idleSessionTimeout, "terminating connection due to idle-session timeout"))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		// The client went away.
	default:
		var ne net.Error
		if errors.As(err, &ne) {
			return
		}
		c.fatal(sqlerr.New(protocolViolation, "invalid frontend message: %v", err))
	}
}

// sendReady sends ReadyForQuery with the transaction status.
func (c *conn) sendReady() {
	c.send(&pgproto3.ReadyForQuery{TxStatus: txStatus(c.sess)})
}

// send buffers msg.
func (c *conn) send(msg pgproto3.BackendMessage) {
	c.be.Send(msg)
	c.pending += 64
}

// flush writes what was buffered.
func (c *conn) flush() error {
	c.pending = 0
	if err := c.be.Flush(); err != nil {
		c.broken = true
		c.log.Debug("pgwire: write failed", "pid", c.pid, "err", err)
		return err
	}
	return nil
}

// txStatus is ReadyForQuery's status byte: 'I' idle, 'T' in a
// transaction, 'E' in a failed one.
func txStatus(s *session.Session) byte {
	if s == nil {
		return 'I'
	}
	return s.TxStatus()
}
