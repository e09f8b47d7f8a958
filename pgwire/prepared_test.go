package pgwire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
)

// pgCode returns err's SQLSTATE, or fails t when err is not a server error.
func pgCode(t *testing.T, err error) string {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want an error from the server", err)
	}
	return pe.Code
}

// TestSessionIdentity checks that a connection's session runs as the user
// it authenticated as, in the database its startup message named.
func TestSessionIdentity(t *testing.T) {
	addr, _ := startServer(t, dynaliteClient(t), nil)
	ctx := context.Background()
	for _, tc := range []struct{ user, database, wantDB string }{
		{"alice", "ddbsql", "ddbsql"},
		{"bob", "analytics", "analytics"},
		// Without a database, PostgreSQL connects to the user's namesake.
		{"carol", "", "carol"},
	} {
		t.Run(tc.user, func(t *testing.T) {
			cc, err := pgx.ParseConfig(fmt.Sprintf("postgres://%s@%s/?sslmode=disable", tc.user, addr))
			if err != nil {
				t.Fatal(err)
			}
			// pgx would send the user name as the database: send exactly
			// what the test names.
			delete(cc.RuntimeParams, "database")
			cc.Database = tc.database
			conn, err := pgx.ConnectConfig(ctx, cc)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			var user, sessionUser, db, auth string
			if err := conn.QueryRow(ctx, `SELECT current_user, session_user, current_database()`).Scan(&user, &sessionUser, &db); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRow(ctx, `SHOW session_authorization`).Scan(&auth); err != nil {
				t.Fatal(err)
			}
			if user != tc.user || sessionUser != tc.user || auth != tc.user || db != tc.wantDB {
				t.Errorf("current_user %q, session_user %q, session_authorization %q, current_database() %q; want %q, %q, %q, %q",
					user, sessionUser, auth, db, tc.user, tc.user, tc.user, tc.wantDB)
			}
			if got := conn.PgConn().ParameterStatus("session_authorization"); got != tc.user {
				t.Errorf("ParameterStatus session_authorization %q, want %q", got, tc.user)
			}
		})
	}
}

// TestPreparedReplan checks that a prepared statement runs as the same
// statement sent now would: planned once at Parse, planned again when a
// setting the plan depends on has changed since.
func TestPreparedReplan(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		addr, _ := startServer(t, sampleClient(t, b), nil)
		conn := pgxConnect(t, addr, "alice", "")
		ctx := context.Background()
		// No key condition: a Scan, which scan_policy governs.
		if _, err := conn.Prepare(ctx, "byname", `SELECT userId FROM Users WHERE name = $1`); err != nil {
			t.Fatal(err)
		}
		lookup := func() (string, error) {
			var id string
			err := conn.QueryRow(ctx, "byname", "Chloé Larsen").Scan(&id)
			return id, err
		}
		if id, err := lookup(); err != nil || id != "u002" {
			t.Fatalf("under scan_policy=warn: %q, %v; want u002", id, err)
		}
		if _, err := conn.Exec(ctx, `SET scan_policy = deny`); err != nil {
			t.Fatal(err)
		}
		_, err := lookup()
		if err == nil {
			t.Fatal("the statement prepared under scan_policy=warn still scans under deny")
		}
		if code := pgCode(t, err); code != "42501" {
			t.Errorf("under scan_policy=deny: %s (%v), want 42501", code, err)
		}
		if _, err := conn.Exec(ctx, `RESET scan_policy`); err != nil {
			t.Fatal(err)
		}
		if id, err := lookup(); err != nil || id != "u002" {
			t.Fatalf("after RESET scan_policy: %q, %v; want u002", id, err)
		}
	})
}

// TestDeallocate checks that DEALLOCATE and DISCARD drop the statements
// prepared over the extended protocol.
func TestDeallocate(t *testing.T) {
	addr, _ := startServer(t, dynaliteClient(t), nil)
	conn := pgxConnect(t, addr, "alice", "")
	ctx := context.Background()
	for _, name := range []string{"one", "two", "three"} {
		if _, err := conn.Prepare(ctx, name, `SELECT name FROM Users WHERE userId = $1`); err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string) error {
		var s string
		return conn.QueryRow(ctx, name, "u001").Scan(&s)
	}
	// The simple protocol, so that pgx keeps its own cache as it is.
	simple := func(sql string) error {
		_, err := conn.PgConn().Exec(ctx, sql).ReadAll()
		return err
	}
	if err := simple(`DEALLOCATE one`); err != nil {
		t.Fatal(err)
	}
	if code := pgCode(t, run("one")); code != "26000" {
		t.Errorf("executing a deallocated statement: %s, want 26000", code)
	}
	if err := run("two"); err != nil {
		t.Fatalf("DEALLOCATE one dropped two: %v", err)
	}
	if code := pgCode(t, simple(`DEALLOCATE nosuch`)); code != "26000" {
		t.Errorf("DEALLOCATE of an unknown statement: %s, want 26000", code)
	}
	if err := simple(`DEALLOCATE ALL`); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"two", "three"} {
		if code := pgCode(t, run(name)); code != "26000" {
			t.Errorf("executing %s after DEALLOCATE ALL: %s, want 26000", name, code)
		}
	}
}

// TestAnalyzeRefreshesColumns checks that ANALYZE takes a table's sample
// again: an attribute added after the first sample is a column of SELECT *
// from then on, where before it was part of the overflow column.
func TestAnalyzeRefreshesColumns(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		client := testbackend.Client(t, b)
		table := testbackend.TableName(t, "analyze")
		sess := session.New(client, session.Config{})
		runStatements(t, sess, fmt.Sprintf(`CREATE TABLE %s (id TEXT, PRIMARY KEY (id)); INSERT INTO %[1]s (id, a) VALUES ('x', 1)`, table))
		t.Cleanup(func() { runStatements(t, session.New(client, session.Config{}), "DROP TABLE "+table) })

		addr, _ := startServer(t, client, nil)
		conn := pgxConnect(t, addr, "alice", "")
		ctx := context.Background()
		columns := func() []string {
			t.Helper()
			res, err := conn.PgConn().Exec(ctx, `SELECT * FROM `+table).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range res[0].FieldDescriptions {
				names = append(names, f.Name)
			}
			return names
		}
		if got, want := columns(), []string{"id", "a", "_extra"}; !slices.Equal(got, want) {
			t.Fatalf("columns %q, want %q", got, want)
		}
		if _, err := conn.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (id, b) VALUES ('y', 'new')`, table)); err != nil {
			t.Fatal(err)
		}
		if got, want := columns(), []string{"id", "a", "_extra"}; !slices.Equal(got, want) {
			t.Fatalf("before ANALYZE: columns %q, want %q (the cached sample)", got, want)
		}
		if _, err := conn.Exec(ctx, `ANALYZE `+table); err != nil {
			t.Fatal(err)
		}
		if got, want := columns(), []string{"id", "a", "b", "_extra"}; !slices.Equal(got, want) {
			t.Errorf("after ANALYZE: columns %q, want %q", got, want)
		}
	})
}

// countingListener counts the writes to the connections it accepts.
type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(b []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(b)
}

// TestOneWritePerSync checks that the answer to an extended-protocol
// batch (Bind, Describe, Execute, Sync) leaves in one write, however many
// rows it holds: rows are buffered and flushed at Sync (or every
// flushThreshold bytes), never one write per row.
func TestOneWritePerSync(t *testing.T) {
	client := dynaliteClient(t)
	srv, err := NewServer(Config{
		NewSession: func(user, database string) *session.Session {
			return session.New(client, session.Config{User: user, Database: database})
		},
		API:    client,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var writes atomic.Int64
	go srv.Serve(countingListener{l, &writes})
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })

	conn := pgxConnect(t, l.Addr().String(), "alice", "")
	ctx := context.Background()
	if _, err := conn.Prepare(ctx, "orders", `SELECT orderId FROM Orders WHERE customerId = $1`); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		writes.Store(0)
		rows, err := conn.Query(ctx, "orders", "u001")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n < 2 {
			t.Fatalf("%d rows; the test needs several", n)
		}
		if w := writes.Load(); w != 1 {
			t.Errorf("%d rows went out in %d writes, want 1", n, w)
		}
	}
}

// runStatements runs sql in sess, failing t on the first error.
func runStatements(t *testing.T, sess *session.Session, sql string) {
	t.Helper()
	stmts, err := parser.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stmts {
		res, err := sess.Run(context.Background(), st, nil)
		if err != nil {
			t.Fatalf("%s: %v", parser.Format(st), err)
		}
		if res.Rows != nil {
			res.Rows.Close()
		}
	}
}
