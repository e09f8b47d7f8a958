// Package pgwire is ddbsql's PostgreSQL wire-protocol server: psql, pgx,
// pgjdbc, psycopg, node-postgres and the BI tools built on them connect to
// it as if it were PostgreSQL, and every statement they send runs through a
// session.Session, the same entry point the REPL uses.
//
// One goroutine serves each connection, with its own Session (sessions are
// single-goroutine). A connection goes through
//
//	startup (startup.go)   SSLRequest / GSSENCRequest / CancelRequest / StartupMessage
//	authentication (auth.go, scram.go, users.go)   trust, SCRAM-SHA-256, md5, cleartext over TLS
//	messages (conn.go)     simple Query (simple.go) and the extended protocol (extended.go)
//
// and results flow out as RowDescription, DataRow (portal.go, streamed from
// the executor's RowIter, flushed every few dozen KB and at Sync), COPY
// data (copy.go), CommandComplete, and ErrorResponse built in one place
// (errors.go) from a *sqlerr.Error.
//
// A prepared statement is parsed, planned and typed once, at Parse; its
// result columns and RowDescription are decided once too. Each Execute
// runs the plan, planning again only when a planner setting changed since
// (SET segments, ...) or the connection ran DDL or ANALYZE, which also
// makes the Describer sample the table again. The type layer (types.go, columns.go, params.go) maps
// DynamoDB values to PostgreSQL types: Describer chooses result columns and
// parameter types, AppendRow encodes rows and DecodeParam decodes Bind
// parameters.
//
// The wire codec is github.com/jackc/pgx/v5/pgproto3. The older
// github.com/jackc/pgproto3/v2 is archived and panics on a Bind with a
// negative parameter length, which any client could send; it must not be
// used here.
//
// Example:
//
//	srv, err := pgwire.NewServer(pgwire.Config{
//		NewSession: func(user, database string) *session.Session {
//			return session.New(client, session.Config{User: user, Database: database})
//		},
//		API:        client,
//	})
//	l, _ := net.Listen("tcp", "127.0.0.1:5432")
//	go srv.Serve(l)
//	...
//	srv.Shutdown(ctx)
package pgwire
