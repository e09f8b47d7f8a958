package main

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// writeFiles writes files (path → text) under a new directory and returns
// it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestScripts runs scripts with meta-commands and variables through the
// built command: exit statuses, stop on error with file:line, -v and \set
// in all three substitution forms, nested \i.
func TestScripts(t *testing.T) {
	b := testbackend.Get(t, testbackend.Dynalite)
	loadSample(t, b)
	with := func(args ...string) []string {
		return append([]string{"--endpoint", b.Endpoint, "--region", "us-east-1", "--format", "jsonl"}, args...)
	}

	t.Run("variables from -v and \\set", func(t *testing.T) {
		script := `\set n 5
SELECT :n + 1 AS x;
SELECT userId FROM :"tbl" WHERE userId = :'id';
SELECT ':id' AS lit, ":tbl" AS q FROM Users WHERE userId = 'u001'; -- :id stays in comments
\set who 'it''s'
SELECT :'who' AS who, :undefined_stays AS u;
`
		f := filepath.Join(writeFiles(t, map[string]string{"v.sql": script}), "v.sql")
		r := runCmd(t, "", with("-v", "tbl=Users", "-v", "id=u001", "--continue-on-error", "-f", f)...)
		want := "{\"x\":6}\n{\"userId\":\"u001\"}\n{\"lit\":\":id\"}\n"
		if !strings.HasPrefix(r.stdout, want) {
			t.Fatalf("stdout %q, want prefix %q\nstderr %s", r.stdout, want, r.stderr)
		}
		// :undefined_stays is not substituted, so the last statement fails
		// where psql's would.
		if r.code != 1 || !strings.Contains(r.stderr, f+":6: ERROR:") || !strings.Contains(r.stderr, ":undefined_stays") {
			t.Fatalf("exit %d stderr %s", r.code, r.stderr)
		}
		r = runCmd(t, "", with("-v", "who=it's", "-c", "SELECT :'who' AS w")...)
		if r.code != 0 || r.stdout != "{\"w\":\"it's\"}\n" {
			t.Fatalf("exit %d stdout %q stderr %s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("\\timing shows time and consumed capacity", func(t *testing.T) {
		r := runCmd(t, "", with("-c", "\\timing on", "-c", "SELECT * FROM Orders WHERE customerId = 'u001'")...)
		if r.code != 0 || !regexp.MustCompile(`Time: \d+\.\d{3} ms \([0-9.]+ capacity units\)`).MatchString(r.stdout) {
			t.Fatalf("exit %d stdout %q stderr %s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("\\set page_size", func(t *testing.T) {
		r := runCmd(t, "", with("--format", "table", "-c", "\\set page_size 10", "-c", "EXPLAIN ANALYZE SELECT * FROM Orders WHERE customerId = 'u001'")...)
		if r.code != 0 || !strings.Contains(r.stdout, "page size: 10") || !strings.Contains(r.stdout, "actual pages: 4") ||
			!strings.Contains(r.stdout, "actual returned: 33") {
			t.Fatalf("exit %d stdout %s stderr %s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("nested \\i, relative to the including file; stop at the first error with file:line", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{
			"main.sql":      "SELECT 1 AS one;\n\\i sub/first.sql\nSELECT 4 AS four;\n",
			"sub/first.sql": "SELECT 2 AS two;\n\\i second.sql\n",
			"sub/second.sql": "SELECT 3 AS three;\n\n" +
				"SELECT *\n  FORM Users;\nSELECT 99 AS never;\n",
		})
		r := runCmd(t, "", with("-f", filepath.Join(dir, "main.sql"))...)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1; stderr %s", r.code, r.stderr)
		}
		if r.stdout != "{\"one\":1}\n{\"two\":2}\n{\"three\":3}\n" {
			t.Errorf("stdout %q: must stop at the error", r.stdout)
		}
		loc := filepath.Join(dir, "sub", "second.sql") + ":4: ERROR:  syntax error at or near \"FORM\""
		if !strings.Contains(r.stderr, loc) || !strings.Contains(r.stderr, "LINE 4:   FORM Users") {
			t.Errorf("stderr lacks %q:\n%s", loc, r.stderr)
		}
		if strings.Count(r.stderr, "ERROR") != 1 {
			t.Errorf("the failure must be reported once:\n%s", r.stderr)
		}

		r = runCmd(t, "", with("--continue-on-error", "-f", filepath.Join(dir, "main.sql"))...)
		if r.code != 1 || !strings.Contains(r.stdout, "{\"never\":99}\n{\"four\":4}\n") {
			t.Fatalf("continue on error: exit %d stdout %q", r.code, r.stdout)
		}
	})

	t.Run("exit statuses", func(t *testing.T) {
		if r := runCmd(t, "", with("-c", "SELECT 1 AS one")...); r.code != 0 {
			t.Errorf("success: exit %d %s", r.code, r.stderr)
		}
		if r := runCmd(t, "", with("-c", "SELECT * FROM NoSuchTable")...); r.code != 1 {
			t.Errorf("failure: exit %d %s", r.code, r.stderr)
		}
		if r := runCmd(t, "", with("-v", "novalue", "-c", "SELECT 1")...); r.code != 2 {
			t.Errorf("bad -v: exit %d %s", r.code, r.stderr)
		}
		if r := runCmd(t, "", with("-f", "/nonexistent/x.sql")...); r.code != 2 {
			t.Errorf("missing file: exit %d %s", r.code, r.stderr)
		}
		r := runCmd(t, "SELECT 1 AS one;\n\\q\nSELECT 2 AS two;\n", with()...)
		if r.code != 0 || r.stdout != "{\"one\":1}\n" {
			t.Errorf("\\q: exit %d stdout %q %s", r.code, r.stdout, r.stderr)
		}
		r = runCmd(t, "\\nosuch\nSELECT 2 AS two;\n", with()...)
		if r.code != 1 || !strings.Contains(r.stderr, `stdin:1: ERROR:  invalid command \nosuch`) || r.stdout != "" {
			t.Errorf("bad meta-command: exit %d stdout %q stderr %s", r.code, r.stdout, r.stderr)
		}
		r = runCmd(t, "", "--help")
		if r.code != 0 || !strings.Contains(r.stderr, "Exit status: 0 success") {
			t.Errorf("--help: exit %d\n%s", r.code, r.stderr)
		}
	})

	t.Run("\\o, \\set format, --echo, meta-commands in scripts", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "out.txt")
		script := "\\o " + out + "\nSELECT 1 AS one;\n\\o\n\\set format csv\nSELECT 2 AS two;\n\\d Orders\n\\di Orders\n"
		r := runCmd(t, script, with("--echo")...)
		if r.code != 0 {
			t.Fatalf("exit %d stderr %s", r.code, r.stderr)
		}
		got, _ := os.ReadFile(out)
		if string(got) != "{\"one\":1}\n" {
			t.Errorf("\\o file: %q", got)
		}
		for _, want := range []string{"SELECT 2 AS two;\ntwo\n2\n", "name,type,partition_key", "Orders,OrderStatusIndex,GSI,orderStatus (S)"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
	})
	t.Run("\\watch with a count, \\c, hints", func(t *testing.T) {
		// A second endpoint: a proxy to the same server that counts calls.
		target, _ := url.Parse(b.Endpoint)
		var calls atomic.Int64
		proxy := httputil.NewSingleHostReverseProxy(target)
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			proxy.ServeHTTP(w, r)
		}))
		defer other.Close()

		script := "SELECT COUNT(*) AS n FROM Users WHERE userId = 'u001';\n" +
			"\\watch 0.01 c=3\n" +
			"\\set scan_policy deny\n" +
			"\\c http://127.0.0.1:1\n" +
			"\\conninfo\n" +
			"\\c " + other.URL + "\n" +
			"\\c --region=us-east-1\n" +
			"\\conninfo\n" +
			"SELECT * FROM Users WHERE name = 'x';\n" +
			"SELECT * FROM users WHERE userId = 'u001';\n" +
			"\\d Ordrs\n" +
			"\\e\n" +
			"\\watch x\n"
		r := runCmd(t, script, "--endpoint", b.Endpoint, "--region", "us-east-1", "--continue-on-error")
		if r.code != 1 {
			t.Fatalf("exit %d, want 1\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
		}
		// The statement, then three watched runs, each under a header.
		if n := strings.Count(r.stdout, "(1 row)"); n != 4 {
			t.Errorf("%d results, want 4:\n%s", n, r.stdout)
		}
		header := regexp.MustCompile(`(?m)^SELECT COUNT\(\*\) AS n FROM Users WHERE userId = 'u001'  \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \(every 0\.01s\)$`)
		if n := len(header.FindAllString(r.stdout, -1)); n != 3 {
			t.Errorf("%d watch headers, want 3:\n%s", n, r.stdout)
		}
		for _, want := range []string{
			// A failed \c keeps the connection.
			"connected to " + b.Endpoint + " (region us-east-1)\n",
			"You are now connected to " + other.URL + " (region us-east-1).\n",
			// The region changes; the endpoint stays.
			"connected to " + other.URL + " (region us-east-1)\n",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
		for _, want := range []string{
			"stdin:4: ERROR:  cannot connect to http://127.0.0.1:1: ",
			"HINT:  still connected to " + b.Endpoint + " (region us-east-1)\n",
			// The setting survives \c.
			"refused by scan_policy=deny",
			"HINT:  add a condition on the partition key, or allow scans with --scan-policy=warn\n",
			`stdin:10: ERROR:  table "users" does not exist`,
			"HINT:  did you mean \"Users\"? (SHOW TABLES lists the tables)\n",
			"HINT:  did you mean \"Orders\"? (SHOW TABLES lists the tables)\n",
			"stdin:12: ERROR:  \\e needs the interactive shell\n",
			"stdin:13: ERROR:  \\watch: invalid interval \"x\"",
		} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		if calls.Load() == 0 {
			t.Error("no call went to the endpoint \\c connected to")
		}
	})
}
