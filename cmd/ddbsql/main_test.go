package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

func TestMain(m *testing.M) { testbackend.Main(m) }

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// ddbsql builds the command once per test process.
func ddbsql(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ddbsql-cmd-test")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "ddbsql")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

type result struct {
	stdout, stderr string
	code           int
}

func runCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	// A command given no endpoint uses the embedded engine in the default
	// data directory: keep it out of the user's home.
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "XDG_DATA_HOME="+t.TempDir())
	return runWith(t, env, stdin, args...)
}

// runWith runs the command with exactly env as its environment.
func runWith(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(ddbsql(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// TestCommand runs the built command against each backend: the sample
// loader, -c / -f / stdin, output formats, errors and exit statuses.
func TestCommand(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		conn := []string{"--endpoint", b.Endpoint, "--region", "us-east-1"}
		with := func(args ...string) []string { return append(append([]string{}, conn...), args...) }

		r := runCmd(t, "", append([]string{"sample"}, conn...)...)
		if r.code != 0 || !strings.Contains(r.stderr, "loaded 50 items into Users") {
			t.Fatalf("sample: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}

		t.Run("table", func(t *testing.T) {
			r := runCmd(t, "", with("-c", "SELECT userId, name, nickname, roles FROM Users WHERE userId = 'u001'")...)
			want := " userId |   name    | nickname |      roles\n" +
				"--------+-----------+----------+-----------------\n" +
				" u001   | Rosa Chen | NULL     | <<'admin', 'player'>>\n"
			if r.code != 0 || !strings.Contains(r.stdout, "u001") || !strings.Contains(r.stdout, "(1 row)") ||
				!strings.Contains(r.stdout, "NULL") || !strings.Contains(r.stdout, "Rosa Chen") {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s\n(expected something like:\n%s)", r.code, r.stdout, r.stderr, want)
			}
		})
		t.Run("ddbjson is lossless", func(t *testing.T) {
			r := runCmd(t, "", with("--format", "ddbjson", "-c", "SELECT * FROM Users WHERE userId = 'u001'")...)
			for _, want := range []string{`"avatar":{"B":"iVBORw0KGgotYXZhdGFyLXUwMDE="}`, `"nickname":{"NULL":true}`,
				`"loginCount":{"N":"260"}`, `"backupCodes":{"BS":[`} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("missing %s in\n%s", want, r.stdout)
				}
			}
		})
		t.Run("jsonl keeps exact numbers", func(t *testing.T) {
			r := runCmd(t, "", with("--format", "jsonl", "-c", "SELECT 12345678901234567890123456789012345678 + 0 AS big, 0.1 + 0.2 AS x")...)
			if strings.TrimSpace(r.stdout) != `{"big":12345678901234567890123456789012345678,"x":0.3}` {
				t.Fatalf("got %q (stderr %s)", r.stdout, r.stderr)
			}
		})
		t.Run("csv", func(t *testing.T) {
			r := runCmd(t, "", with("--format", "csv", "-c", "SELECT userId, email FROM Users WHERE userId IN ('u001', 'u002') ORDER BY userId")...)
			want := "userId,email\nu001,rosa.chen1@example.com\nu002,chloe.larsen2@example.com\n"
			if r.stdout != want {
				t.Fatalf("got %q want %q", r.stdout, want)
			}
		})
		t.Run("stdin and several statements", func(t *testing.T) {
			r := runCmd(t, "SELECT COUNT(*) AS n FROM Orders WHERE customerId = 'u001';\nSELECT COUNT(*) AS n FROM Users WHERE userId = 'u001';", with("--format", "jsonl")...)
			if r.code != 0 || r.stdout != "{\"n\":33}\n{\"n\":1}\n" {
				t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
			}
		})
		t.Run("syntax error: position, caret, exit 1, stops", func(t *testing.T) {
			dir := t.TempDir()
			f := filepath.Join(dir, "bad.sql")
			os.WriteFile(f, []byte("SELECT 1 AS one;\n\nSELECT *\n  FORM Users;\nSELECT 2 AS two;\n"), 0o644)
			r := runCmd(t, "", with("--format", "jsonl", "-f", f)...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1", r.code)
			}
			if r.stdout != "{\"one\":1}\n" {
				t.Errorf("stdout %q: the script must stop at the error", r.stdout)
			}
			for _, want := range []string{f + ":4: ERROR:  syntax error at or near \"FORM\"", "LINE 4:   FORM Users", "          ^"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
		})
		t.Run("continue on error", func(t *testing.T) {
			r := runCmd(t, "", with("--format", "jsonl", "--continue-on-error", "-c", "SELECT * FROM NoSuchTable; SELECT 2 AS two")...)
			if r.code != 1 || r.stdout != "{\"two\":2}\n" || !strings.Contains(r.stderr, `table "NoSuchTable" does not exist`) {
				t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
			}
		})
		t.Run("scan policy", func(t *testing.T) {
			r := runCmd(t, "", with("-q", "--scan-policy", "deny", "-c", "SELECT * FROM Users WHERE name = 'x'")...)
			if r.code != 1 || !strings.Contains(r.stderr, "refused by scan_policy=deny") || !strings.Contains(r.stderr, "HINT:") {
				t.Fatalf("exit %d stderr %q", r.code, r.stderr)
			}
			r = runCmd(t, "", with("-c", "SELECT COUNT(*) FROM Users WHERE name = 'x'")...)
			if r.code != 0 || !strings.Contains(r.stderr, `WARNING:  full scan of table "Users"`) {
				t.Fatalf("exit %d stderr %q", r.code, r.stderr)
			}
		})
		t.Run("usage errors exit 2", func(t *testing.T) {
			if r := runCmd(t, "", with("--format", "xml", "-c", "SELECT 1")...); r.code != 2 {
				t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
			}
			if r := runCmd(t, "", "--endpoint", "http://127.0.0.1:1", "--region", "us-east-1", "-c", "SELECT * FROM Users WHERE userId = 'a'"); r.code != 1 ||
				!strings.Contains(r.stderr, "08006") && !strings.Contains(r.stderr, "reachable") {
				t.Fatalf("unreachable endpoint: exit %d, stderr %s", r.code, r.stderr)
			}
		})
		t.Run("explain", func(t *testing.T) {
			r := runCmd(t, "", with("-c", "EXPLAIN SELECT * FROM Orders WHERE orderStatus = 'PENDING' AND createdAt > '2024'")...)
			if r.code != 0 || !strings.Contains(r.stdout, "index: OrderStatusIndex") || !strings.Contains(r.stdout, "QUERY PLAN") {
				t.Fatalf("exit %d stdout %s stderr %s", r.code, r.stdout, r.stderr)
			}
			r = runCmd(t, "", with("-c", "EXPLAIN ANALYZE SELECT * FROM Orders WHERE customerId = 'u001'")...)
			if r.code != 0 || !strings.Contains(r.stdout, "Query") || !strings.Contains(strings.ToLower(r.stdout), "returned") {
				t.Fatalf("exit %d stdout %s stderr %s", r.code, r.stdout, r.stderr)
			}
		})
	})
}
