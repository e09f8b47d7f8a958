package clienttest

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// TestPgbench is a load test: pgbench runs a point lookup of a random
// sample user through the extended protocol on 50 connections (2 threads),
// 20 transactions each, and every one of the 1000 must succeed.
func TestPgbench(t *testing.T) {
	pgbench := requireTool(t, "pgbench", "apt-get install postgresql-client")
	const clients, perClient = 50, 20
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		srv := startServer(t, b)
		dir := t.TempDir()
		r := run(t, dir, srv.Env(dir), pgbench, "-n", "-f", testdataPath(t, "pgbench_lookup.sql"),
			"-M", "extended", "-c", strconv.Itoa(clients), "-j", "2", "-t", strconv.Itoa(perClient))
		if r.Exit != 0 {
			t.Fatalf("pgbench exited with %d\nstdout:\n%s\nstderr:\n%s", r.Exit, r.Stdout, r.Stderr)
		}
		processed := pgbenchCount(t, r.Stdout, `number of transactions actually processed: (\d+)/(\d+)`)
		if processed != clients*perClient {
			t.Errorf("pgbench processed %d transactions, want %d\n%s", processed, clients*perClient, r.Stdout)
		}
		if failed := pgbenchCount(t, r.Stdout, `number of failed transactions: (\d+)`); failed != 0 {
			t.Errorf("%d transactions failed\nstdout:\n%s\nstderr:\n%s", failed, r.Stdout, r.Stderr)
		}
	})
}

// pgbenchCount reads the first number pattern captures in pgbench's report.
func pgbenchCount(t *testing.T, out, pattern string) int {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pgbench's report lacks %q:\n%s", pattern, out)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
