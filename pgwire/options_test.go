package pgwire

import (
	"context"
	"testing"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// TestPreparedStatementOptions checks that a statement's WITH (...) clause
// holds through the extended protocol: prepared once, planned again after
// the session's setting changes, and the clause still wins.
func TestPreparedStatementOptions(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		addr, _ := startServer(t, sampleClient(t, b), nil)
		conn := pgxConnect(t, addr, "alice", "")
		ctx := context.Background()
		if _, err := conn.Exec(ctx, `SET scan_policy = deny`); err != nil {
			t.Fatal(err)
		}
		// No key condition: a Scan, which the session's policy refuses and
		// the statement's clause allows.
		if _, err := conn.Prepare(ctx, "byname", `SELECT userId FROM Users WHERE name = $1 ORDER BY userId LIMIT 1 WITH (scan_policy = allow, segments = 2)`); err != nil {
			t.Fatal(err)
		}
		lookup := func() (string, error) {
			var id string
			err := conn.QueryRow(ctx, "byname", "Chloé Larsen").Scan(&id)
			return id, err
		}
		if id, err := lookup(); err != nil || id != "u002" {
			t.Fatalf("under the session's scan_policy=deny: %q, %v; want u002", id, err)
		}
		// A change of the session's settings plans it again, clause included.
		if _, err := conn.Exec(ctx, `SET segments = 4`); err != nil {
			t.Fatal(err)
		}
		if id, err := lookup(); err != nil || id != "u002" {
			t.Fatalf("after SET segments: %q, %v; want u002", id, err)
		}
		var policy string
		if err := conn.QueryRow(ctx, `SHOW scan_policy`).Scan(&policy); err != nil || policy != "deny" {
			t.Errorf("SHOW scan_policy = %q, %v; want deny", policy, err)
		}
		_, err := conn.Exec(ctx, `SELECT userId FROM Users WHERE name = 'x'`)
		if code := pgCode(t, err); code != "42501" {
			t.Errorf("the same scan without the clause: %s (%v), want 42501", code, err)
		}
	})
}
