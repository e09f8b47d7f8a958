package clienttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/internal/sample"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/pgwire"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

func TestMain(m *testing.M) { testbackend.Main(m) }

// Credentials every test server accepts, over SCRAM-SHA-256.
const (
	testUser     = "ddbsql_client"
	testPassword = "s3cret pässword"
	testDatabase = "ddbsql"
)

// clientTimeout bounds one run of an external client program.
const clientTimeout = 90 * time.Second

// loads remembers, per backend, the outcome of loading the sample data, so
// that it is loaded once per test process.
var loads sync.Map // backend name → *sampleLoad

type sampleLoad struct {
	once sync.Once
	err  error
}

// server is a running ddbsql wire-protocol server over one backend, with
// the sample tables loaded.
type server struct {
	Backend    testbackend.Backend
	Host       string
	Port       int
	newSession func() *session.Session
}

// startServer loads the sample data into b (once per process) and serves
// the wire protocol on a loopback port until the test ends. Every
// connection gets a session that allows full scans, so that results do not
// carry scan warnings.
func startServer(t *testing.T, b testbackend.Backend) *server {
	t.Helper()
	client := testbackend.Client(t, b)
	newSession := func() *session.Session {
		return session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
	}
	l, _ := loads.LoadOrStore(b.Name, &sampleLoad{})
	load := l.(*sampleLoad)
	load.once.Do(func() {
		load.err = sample.Load(context.Background(), newSession(), client, nil)
	})
	if load.err != nil {
		t.Fatalf("loading the sample data into %s: %v", b.Name, load.err)
	}

	srv, err := pgwire.NewServer(pgwire.Config{
		NewSession: func(user, database string) *session.Session {
			return session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}, User: user, Database: database})
		},
		API:   client,
		Users: testUsers(t),
		Auth:  pgwire.AuthSCRAM,
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil && !errors.Is(err, pgwire.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	addr := ln.Addr().(*net.TCPAddr)
	return &server{Backend: b, Host: "127.0.0.1", Port: addr.Port, newSession: newSession}
}

// NewScratch creates a table with partition key id (TEXT) that only the
// calling test writes, dropped when it ends. It holds two items from the
// start: id 'seed' (n 0.5, label 'seed', flag false), which gives the
// attributes their column types when the server samples the table (n
// numeric, not bigint, as it holds a fraction), and id 'dup' (n 0), which
// duplicate-key inserts collide with.
func (s *server) NewScratch(t *testing.T) string {
	t.Helper()
	name := testbackend.TableName(t, "clienttest")
	runSQL(t, s.newSession(), fmt.Sprintf(`CREATE TABLE %s (id TEXT, PRIMARY KEY (id));
INSERT INTO %[1]s (id, n, label, flag) VALUES ('seed', 0.5, 'seed', FALSE);
INSERT INTO %[1]s (id, n) VALUES ('dup', 0)`, name))
	t.Cleanup(func() { runSQL(t, s.newSession(), "DROP TABLE "+name) })
	return name
}

// runSQL runs statements in sess, failing the test on the first error.
func runSQL(t *testing.T, sess *session.Session, sql string) {
	t.Helper()
	stmts, err := parser.Parse(sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
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

// URL is the server's address as a postgres:// URL (libpq, node-postgres,
// asyncpg).
func (s *server) URL() string {
	return fmt.Sprintf("postgresql://%s:%s@%s:%d/%s?sslmode=disable",
		testUser, urlEscape(testPassword), s.Host, s.Port, testDatabase)
}

// JDBCURL is the server's address for pgjdbc; the credentials travel as
// connection properties.
func (s *server) JDBCURL() string {
	return fmt.Sprintf("jdbc:postgresql://%s:%d/%s", s.Host, s.Port, testDatabase)
}

// Env is the environment of libpq-based programs (psql, pgbench): the
// server, user and password in PG* variables, nothing inherited that could
// point them elsewhere (PGSERVICE, a ~/.pgpass of the machine).
func (s *server) Env(dir string) []string {
	env := []string{
		"PGHOST=" + s.Host,
		"PGPORT=" + strconv.Itoa(s.Port),
		"PGUSER=" + testUser,
		"PGPASSWORD=" + testPassword,
		"PGDATABASE=" + testDatabase,
		"PGSSLMODE=disable",
		"PGCONNECT_TIMEOUT=10",
		"PGPASSFILE=" + filepath.Join(dir, "no-pgpass"),
		"PGSERVICEFILE=" + filepath.Join(dir, "no-pg_service.conf"),
		"PSQLRC=" + filepath.Join(dir, "no-psqlrc"),
		"HOME=" + dir,
		"LC_ALL=C.UTF-8",
	}
	for _, name := range []string{"PATH", "JAVA_HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return env
}

// urlEscape escapes a URL userinfo component.
func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// requireTool returns the path of an external client program, or skips the
// test when it is missing (fails it under DDBSQL_REQUIRE_BACKENDS=1, as the
// project's test command installs every client).
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		missing(t, fmt.Sprintf("%s not found (%s)", name, install))
	}
	return path
}

// debianPython is the interpreter the Debian packages python3-psycopg2,
// python3-psycopg and python3-asyncpg install into; another python3 on
// PATH may lack them.
const debianPython = "/usr/bin/python3"

// requirePythonModule returns the Debian python3 after checking that it
// imports module.
func requirePythonModule(t *testing.T, module, pkg string) string {
	t.Helper()
	if _, err := os.Stat(debianPython); err != nil {
		missing(t, fmt.Sprintf("%s not found (apt-get install %s)", debianPython, pkg))
	}
	out, err := exec.Command(debianPython, "-c", "import "+module).CombinedOutput()
	if err != nil {
		missing(t, fmt.Sprintf("%s cannot import %s (apt-get install %s): %s", debianPython, module, pkg, out))
	}
	return debianPython
}

// missing skips t for lack of a client, or fails it when the environment
// promises every client (DDBSQL_REQUIRE_BACKENDS=1, set by scripts/test.sh).
func missing(t *testing.T, reason string) {
	t.Helper()
	if os.Getenv("DDBSQL_REQUIRE_BACKENDS") == "1" {
		t.Fatal(reason)
	}
	t.Skip(reason)
}

// result is what an external program did.
type result struct {
	Stdout, Stderr string
	Exit           int
}

// run runs a program in dir with env (nil: the test process's) and returns
// its output and exit status; it fails the test only when the program
// cannot be started or outlives clientTimeout.
func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s did not finish within %v\nstdout:\n%s\nstderr:\n%s", name, clientTimeout, stdout.String(), stderr.String())
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("%s: %v", name, err)
	}
	return result{Stdout: stdout.String(), Stderr: stderr.String(), Exit: cmd.ProcessState.ExitCode()}
}

// runJSON runs a client program that prints one JSON object per line and
// must exit with status 0, and returns its lines in canonical form (keys
// sorted, no spaces), ready to compare with [expectLines].
func runJSON(t *testing.T, dir string, env []string, name string, args ...string) []string {
	t.Helper()
	r := run(t, dir, env, name, args...)
	lines, err := canonicalLines(r.Stdout)
	if err != nil {
		t.Fatalf("%s printed something that is not JSON lines: %v\nstdout:\n%s\nstderr:\n%s", name, err, r.Stdout, r.Stderr)
	}
	if r.Exit != 0 {
		t.Errorf("%s exited with status %d\nstderr:\n%s", name, r.Exit, r.Stderr)
	}
	return lines
}

// canonicalLines parses JSON lines and prints each again with sorted keys.
func canonicalLines(out string) ([]string, error) {
	var lines []string
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return lines, nil
		}
		if err != nil {
			return lines, err
		}
		js, err := json.Marshal(v)
		if err != nil {
			return lines, err
		}
		lines = append(lines, string(js))
	}
}

// expectLines compares the lines a client printed with the expected JSON
// lines (written in any key order), listing every difference.
func expectLines(t *testing.T, got []string, want ...string) {
	t.Helper()
	canon, err := canonicalLines(strings.Join(want, "\n"))
	if err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	var diff strings.Builder
	for i := range min(len(got), len(canon)) {
		if got[i] != canon[i] {
			fmt.Fprintf(&diff, "line %d:\n  got:  %s\n  want: %s\n", i+1, got[i], canon[i])
		}
	}
	// A client that stopped early: list what is missing once.
	for i := len(got); i < len(canon); i++ {
		if i == len(got) {
			fmt.Fprintf(&diff, "missing from line %d on:\n", i+1)
		}
		fmt.Fprintf(&diff, "  want: %s\n", canon[i])
	}
	for i := len(canon); i < len(got); i++ {
		fmt.Fprintf(&diff, "line %d, not expected:\n  got:  %s\n", i+1, got[i])
	}
	if diff.Len() > 0 {
		t.Errorf("client output differs:\n%s", diff.String())
	}
}

// testdataPath is the absolute path of a file under testdata.
func testdataPath(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// testUsers writes a users file holding testUser's SCRAM-SHA-256 verifier,
// as `ddbsql passwd` does, and loads it as the server would.
func testUsers(t *testing.T) *pgwire.Users {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users")
	if err := pgwire.SetPassword(path, testUser, testPassword, false); err != nil {
		t.Fatal(err)
	}
	users, err := pgwire.LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	return users
}

// sampleStrings maps the key attribute of a sample table's items to a
// string attribute: expectations come from the same files the server was
// loaded from.
func sampleStrings(t *testing.T, table, key, attr string) map[string]string {
	t.Helper()
	items, err := sample.Items(table)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]string, len(items))
	for _, it := range items {
		k, ok1 := it[key].(*types.AttributeValueMemberS)
		v, ok2 := it[attr].(*types.AttributeValueMemberS)
		if ok1 && ok2 {
			m[k.Value] = v.Value
		}
	}
	return m
}

// sampleBinary maps the key attribute of a sample table's items to a
// binary attribute.
func sampleBinary(t *testing.T, table, key, attr string) map[string][]byte {
	t.Helper()
	items, err := sample.Items(table)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string][]byte, len(items))
	for _, it := range items {
		k, ok1 := it[key].(*types.AttributeValueMemberS)
		v, ok2 := it[attr].(*types.AttributeValueMemberB)
		if ok1 && ok2 {
			m[k.Value] = v.Value
		}
	}
	return m
}

// jsonLine builds one expected JSON line from a check name and key-value
// pairs.
func jsonLine(check string, kv ...any) string {
	m := map[string]any{"check": check}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	js, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(js)
}
