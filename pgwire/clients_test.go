package pgwire

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/lib/pq"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

func TestLibPQ(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		addr, _ := startServer(t, sampleClient(t, b), nil)
		db, err := sql.Open("postgres", fmt.Sprintf("postgres://alice@%s/ddbsql?sslmode=disable", addr))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		// lib/pq's Ping sends an empty query.
		if err := db.PingContext(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		var name string
		if err := db.QueryRowContext(ctx, `SELECT name FROM Users WHERE userId = $1`, "u002").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if name != "Chloé Larsen" {
			t.Errorf("name %q, want Chloé Larsen", name)
		}
		rows, err := db.QueryContext(ctx, `SELECT playerId, score FROM GameLeaderboards WHERE gameId = 'g2' ORDER BY score DESC LIMIT 3`)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		prev := ""
		for rows.Next() {
			var player, score string
			if err := rows.Scan(&player, &score); err != nil {
				t.Fatal(err)
			}
			if prev != "" && len(score) > len(prev) {
				t.Errorf("scores out of order: %s after %s", score, prev)
			}
			prev = score
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("%d rows, want 3", n)
		}
		_, err = db.ExecContext(ctx, `SELECT * FROM NoSuchTable WHERE x = 1`)
		var pe *pq.Error
		if !errors.As(err, &pe) || pe.Code != "42P01" {
			t.Fatalf("err %v, want 42P01", err)
		}
	})
}

// TestManyConnections holds 50 and then 200 pgx connections at once, each
// running point lookups, and expects no error at all.
func TestManyConnections(t *testing.T) {
	client := dynaliteClient(t)
	for _, n := range []int{50, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			addr, _ := startServer(t, client, func(c *Config) { c.MaxConnections = n })
			var wg sync.WaitGroup
			errs := make(chan error, n)
			ready := make(chan struct{})
			var connected sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				connected.Add(1)
				go func(i int) {
					defer wg.Done()
					conn, err := pgxTry(addr, fmt.Sprintf("user%d", i), "", "disable")
					connected.Done()
					if err != nil {
						errs <- err
						return
					}
					defer conn.Close(context.Background())
					<-ready // every connection is open before the queries start
					for j := 0; j < 3; j++ {
						id := fmt.Sprintf("u%03d", 1+(i+j)%20)
						var got string
						if err := conn.QueryRow(context.Background(), `SELECT userId FROM Users WHERE userId = $1`, id).Scan(&got); err != nil {
							errs <- fmt.Errorf("conn %d: %w", i, err)
							return
						}
						if got != id {
							errs <- fmt.Errorf("conn %d: got %s, want %s", i, got, id)
						}
					}
				}(i)
			}
			connected.Wait()
			close(ready)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}
