package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/session"
)

// AuthMethod is how a server with a users file checks passwords.
type AuthMethod string

// Authentication methods. Trust needs no users file and is allowed only for
// loopback clients; the others check passwords against Config.Users.
const (
	// AuthSCRAM is SCRAM-SHA-256 (RFC 5802/7677): the password never
	// crosses the wire and the server proves it knows the verifier too.
	AuthSCRAM AuthMethod = "scram-sha-256"
	// AuthMD5 is PostgreSQL's md5 challenge. It needs the user's md5 hash
	// in the users file; users without one are asked for SCRAM instead.
	AuthMD5 AuthMethod = "md5"
	// AuthPassword asks for the password in clear text, which is allowed
	// only over TLS: plain connections are asked for SCRAM instead.
	AuthPassword AuthMethod = "password"
)

// Config configures a Server. NewSession is required; zero limits take the
// defaults below.
type Config struct {
	// NewSession creates the Session of one connection once it has
	// authenticated: user is the name it logged in as and database the
	// one its startup message named (the user name when it named none, as
	// in PostgreSQL). The session should report them as current_user,
	// session_authorization and current_database() (session.Config.User
	// and Database).
	NewSession func(user, database string) *session.Session
	// API is the DynamoDB client the Describer samples tables through.
	API executor.DynamoDB
	// Describer, when set, is used instead of one made from API (tests
	// share one between servers).
	Describer *Describer

	// TLS, when set, answers SSLRequest with 'S' and a TLS handshake.
	TLS *tls.Config
	// Users are the accounts clients log in as. Nil means trust: any user
	// name is accepted without a password, from loopback clients only.
	Users *Users
	// Auth is the password method when Users is set (default AuthSCRAM).
	Auth AuthMethod

	// ReadOnly is reported to clients as default_transaction_read_only=on.
	// The sessions NewSession creates must refuse writes themselves.
	ReadOnly bool
	// MaxConnections bounds the connections served at once (default 100);
	// clients beyond it get 53300 "sorry, too many clients already".
	MaxConnections int
	// IdleTimeout closes a connection that sends nothing for this long
	// (0: never).
	IdleTimeout time.Duration
	// StatementTimeout is each session's statement_timeout default (0: none).
	StatementTimeout time.Duration
	// MaxMessageSize bounds a frontend message's body (default 64 MiB); a
	// larger message is answered with 54000 and the connection closed.
	MaxMessageSize int
	// HandshakeTimeout bounds startup and authentication (default 60s,
	// PostgreSQL's authentication_timeout).
	HandshakeTimeout time.Duration

	// Logger receives connection-level events (default slog.Default()).
	Logger *slog.Logger
}

// Defaults of Config's limits.
const (
	DefaultMaxConnections   = 100
	DefaultMaxMessageSize   = 64 << 20
	DefaultHandshakeTimeout = 60 * time.Second
)

// Server serves the PostgreSQL wire protocol. Serve may be called for
// several listeners; Shutdown stops them all.
type Server struct {
	cfg       Config
	describer *Describer
	log       *slog.Logger
	// mockKey makes the fake SCRAM salt of an unknown user stable, so that
	// a client cannot tell unknown users from wrong passwords.
	mockKey [32]byte

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[uint32]*conn // by process ID
	nextPID   uint32
	active    int // connections counted against MaxConnections

	closing atomic.Bool
	wg      sync.WaitGroup // connection goroutines

	// panicHook, when set (by tests), is told of every recovered panic.
	panicHook func(any)
}

// NewServer checks cfg and returns a Server.
func NewServer(cfg Config) (*Server, error) {
	if cfg.NewSession == nil {
		return nil, errors.New("pgwire: Config.NewSession is required")
	}
	if cfg.Describer == nil && cfg.API == nil {
		return nil, errors.New("pgwire: Config.API or Config.Describer is required")
	}
	switch cfg.Auth {
	case "":
		cfg.Auth = AuthSCRAM
	case AuthSCRAM, AuthMD5, AuthPassword:
	default:
		return nil, fmt.Errorf("pgwire: unknown authentication method %q (want %s, %s or %s)", cfg.Auth, AuthSCRAM, AuthMD5, AuthPassword)
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = DefaultMaxConnections
	}
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = DefaultMaxMessageSize
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: cfg, describer: cfg.Describer, log: cfg.Logger,
		listeners: map[net.Listener]struct{}{}, conns: map[uint32]*conn{}}
	if s.describer == nil {
		s.describer = NewDescriber(cfg.API, DescriberOptions{})
	}
	if _, err := rand.Read(s.mockKey[:]); err != nil {
		return nil, err
	}
	return s, nil
}

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("pgwire: server closed")

// Serve accepts connections on l until Shutdown, serving each on its own
// goroutine. It closes l when it returns.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listeners[l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
		l.Close()
	}()
	var delay time.Duration
	for {
		nc, err := l.Accept()
		if err != nil {
			if s.closing.Load() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// Out of file descriptors and the like: back off as net/http does.
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				s.log.Warn("pgwire: accept failed; retrying", "err", err, "delay", delay)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		c := s.newConn(nc)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			c.serve()
		}()
	}
}

// newConn registers a connection with a fresh process ID and secret key.
func (s *Server) newConn(nc net.Conn) *conn {
	// Every answer is written at once, ending at ReadyForQuery or a flush;
	// Nagle's algorithm would hold the last segment of each back until
	// the client acknowledged the previous one. Go disables it on the
	// connections its listeners accept, but Serve may be given any
	// listener.
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	c := &conn{srv: s, nc: nc, log: s.log}
	if _, err := rand.Read(c.secret[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		s.nextPID++
		if s.nextPID == 0 {
			continue
		}
		if _, taken := s.conns[s.nextPID]; !taken {
			break
		}
	}
	c.pid = s.nextPID
	c.overLimit = s.active >= s.cfg.MaxConnections
	if !c.overLimit {
		s.active++
	}
	s.conns[c.pid] = c
	return c
}

// dropConn forgets c once it has closed.
func (s *Server) dropConn(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c.pid)
	if !c.overLimit {
		s.active--
	}
}

// cancel handles a CancelRequest: the statement running on the connection
// with that process ID is canceled when the secret key matches. As in
// PostgreSQL, nothing is answered either way.
func (s *Server) cancel(pid uint32, secret []byte) {
	s.mu.Lock()
	c := s.conns[pid]
	s.mu.Unlock()
	if c == nil || !c.matchSecret(secret) {
		s.log.Debug("pgwire: cancel request for no matching connection", "pid", pid)
		return
	}
	c.cancelStatement(errUserCancel)
}

// Shutdown stops accepting connections, closes idle ones with 57P01, lets
// running statements finish until ctx is done, then cancels them and closes
// their connections. It returns when every connection has closed.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	s.mu.Lock()
	for l := range s.listeners {
		l.Close()
	}
	conns := s.connList()
	s.mu.Unlock()
	for _, c := range conns {
		c.wakeIfIdle()
	}
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	conns = s.connList()
	s.mu.Unlock()
	for _, c := range conns {
		c.terminate()
	}
	<-done
	return ctx.Err()
}

// connList returns the registered connections; s.mu must be held.
func (s *Server) connList() []*conn {
	out := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		out = append(out, c)
	}
	return out
}

// Describer returns the server's Describer (ANALYZE refreshes it).
func (s *Server) Describer() *Describer { return s.describer }
