package pgwire

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

func pgxConnect(t testing.TB, addr, user, password string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cc, err := pgx.ParseConfig(fmt.Sprintf("postgres://%s@%s/ddbsql?sslmode=disable", user, addr))
	if err != nil {
		t.Fatal(err)
	}
	cc.Password = password
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestPgx(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		client := sampleClient(t, b)
		addr, _ := startServer(t, client, nil)
		conn := pgxConnect(t, addr, "alice", "")
		ctx := context.Background()

		t.Run("point lookup with parameter", func(t *testing.T) {
			var name string
			err := conn.QueryRow(ctx, `SELECT name FROM Users WHERE userId = $1`, "u001").Scan(&name)
			if err != nil {
				t.Fatal(err)
			}
			if name != "Rosa Chen" {
				t.Errorf("name = %q, want Rosa Chen", name)
			}
		})
		t.Run("query rows", func(t *testing.T) {
			rows, err := conn.Query(ctx, `SELECT userId, email FROM Users WHERE userId IN ('u001', 'u002')`)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var id, email string
				if err := rows.Scan(&id, &email); err != nil {
					t.Fatal(err)
				}
				n++
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("got %d rows, want 2", n)
			}
			if tag := rows.CommandTag().String(); tag != "SELECT 2" {
				t.Errorf("tag %q, want SELECT 2", tag)
			}
		})
		t.Run("error carries SQLSTATE and position", func(t *testing.T) {
			_, err := conn.Exec(ctx, `SELECT * FROM NoSuchTable WHERE x = 1`)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a PgError", err)
			}
			if pe.Code != "42P01" {
				t.Errorf("code %s, want 42P01 (%s)", pe.Code, pe.Message)
			}
			// The connection is still usable.
			var one int
			if err := conn.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil || one != 1 {
				t.Fatalf("SELECT 1 after an error: %v, %d", err, one)
			}
		})
		t.Run("simple protocol multi-statement", func(t *testing.T) {
			res, err := conn.PgConn().Exec(ctx, `SELECT 1; SELECT 2`).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 2 || string(res[1].Rows[0][0]) != "2" {
				t.Fatalf("results %+v", res)
			}
		})
	})
}
