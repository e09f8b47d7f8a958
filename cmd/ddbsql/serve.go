package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/ddbsql/ddbsql/pgwire"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

const serveUsage = `Usage: ddbsql serve [flags]

Serves the PostgreSQL wire protocol, so that psql, JDBC, psycopg, pgx,
node-postgres and the tools built on them run SQL against DynamoDB.

Without --users, every user name is accepted without a password, and only
from this machine: the default --listen is loopback. With --users FILE
(written by ddbsql passwd) clients log in with SCRAM-SHA-256 (or --auth).
SIGTERM or Ctrl-C stops accepting connections, lets running statements
finish for up to --shutdown-timeout, then cancels them.

Flags:
`

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ddbsql serve", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	var (
		listen          = fs.String("listen", "127.0.0.1:5432", "address to listen on")
		tlsCert         = fs.String("tls-cert", "", "TLS certificate file (PEM); with --tls-key, clients may use TLS")
		tlsKey          = fs.String("tls-key", "", "TLS private key file (PEM)")
		usersFile       = fs.String("users", "", "users file (ddbsql passwd); required to listen beyond loopback")
		auth            = fs.String("auth", string(pgwire.AuthSCRAM), "password method with --users: scram-sha-256, md5 or password (cleartext, TLS only)")
		readOnly        = fs.Bool("read-only", false, "refuse writes and DDL")
		scanPolicy      = fs.String("scan-policy", "warn", "what a statement without a key condition does: allow, warn or deny")
		maxConns        = fs.Int("max-connections", pgwire.DefaultMaxConnections, "maximum concurrent connections")
		idleTimeout     = fs.Duration("idle-timeout", 0, "close connections idle this long (0: never)")
		stmtTimeout     = fs.Duration("statement-timeout", 0, "default statement_timeout of each connection (0: none)")
		maxMessageSize  = fs.Int("max-message-size", pgwire.DefaultMaxMessageSize, "maximum size of one client message in bytes")
		shutdownTimeout = fs.Duration("shutdown-timeout", 30*time.Second, "how long running statements may finish on shutdown")
		verbose         = fs.Bool("v", false, "log every connection")
	)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), serveUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: exitUsage, err: errors.New("")}
	}
	if fs.NArg() > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	policy, err := planner.ParseScanPolicy(*scanPolicy)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	cfg := pgwire.Config{
		Auth:             pgwire.AuthMethod(*auth),
		ReadOnly:         *readOnly,
		MaxConnections:   *maxConns,
		IdleTimeout:      *idleTimeout,
		StatementTimeout: *stmtTimeout,
		MaxMessageSize:   *maxMessageSize,
		Logger:           slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return &exitError{code: exitUsage, err: errors.New("--tls-cert and --tls-key go together")}
	}
	if *tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	if *usersFile != "" {
		if cfg.Users, err = pgwire.LoadUsers(*usersFile); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	} else if !loopbackAddress(*listen) {
		return &exitError{code: exitUsage, err: fmt.Errorf("--listen %s reaches beyond this machine: give --users FILE (see ddbsql passwd) so that clients need a password", *listen)}
	}

	client, err := conn.connect(ctx)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	scfg := session.Config{Planner: planner.Options{ScanPolicy: policy}, ReadOnly: *readOnly}
	cfg.API = client
	cfg.NewSession = func(user, database string) *session.Session {
		sc := scfg
		sc.User, sc.Database = user, database
		return session.New(client, sc)
	}
	srv, err := pgwire.NewServer(cfg)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	fmt.Fprintf(os.Stderr, "ddbsql serve: listening on %s (%s)\n", l.Addr(), conn.describe(client))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(os.Stderr, "ddbsql serve: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), *shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	<-served
	return nil
}

// loopbackAddress reports whether a listen address stays on this machine.
func loopbackAddress(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
