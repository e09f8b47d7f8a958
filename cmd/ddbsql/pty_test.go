package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// terminal is ddbsql running in a pseudo-terminal, as a person would use
// it: keys go in, the screen's text comes out.
type terminal struct {
	t    *testing.T
	pty  *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	mark int // screen text before mark has been matched already
	done chan struct{}
}

// startTerminal starts ddbsql in a pseudo-terminal of cols × rows cells.
func startTerminal(t *testing.T, cols, rows uint16, env []string, args ...string) *terminal {
	t.Helper()
	cmd := exec.Command(ddbsql(t), args...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "TERM=xterm", "PAGER=")
	cmd.Env = append(cmd.Env, env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: cols, Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	tm := &terminal{t: t, pty: f, cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(tm.done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			tm.mu.Lock()
			tm.out.Write(buf[:n])
			tm.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		if tm.cmd.ProcessState == nil {
			tm.cmd.Process.Kill()
			tm.cmd.Wait()
		}
		f.Close()
	})
	return tm
}

// ansi matches the terminal control sequences readline writes.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r`)

// screen returns what the terminal showed, without control sequences.
func (tm *terminal) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return ansi.ReplaceAllString(tm.out.String(), "")
}

// send types keys.
func (tm *terminal) send(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.pty, keys); err != nil {
		tm.t.Fatal(err)
	}
}

// expect waits until the text shown since the last match contains want,
// and returns that text.
func (tm *terminal) expect(want string) string {
	tm.t.Helper()
	return tm.expectMatch(regexp.MustCompile(regexp.QuoteMeta(want)))
}

// expectMatch waits until the text shown since the last match matches re.
func (tm *terminal) expectMatch(re *regexp.Regexp) string {
	tm.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := tm.screen()
		if tm.mark > len(s) {
			tm.mark = len(s)
		}
		if loc := re.FindStringIndex(s[tm.mark:]); loc != nil {
			seen := s[tm.mark : tm.mark+loc[1]]
			tm.mark += loc[1]
			return seen
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for %q; the screen since the last match:\n%s", re, s[tm.mark:])
		}
		select {
		case <-tm.done:
			if s := tm.screen(); !re.MatchString(s[tm.mark:]) {
				tm.t.Fatalf("ddbsql ended before showing %q; the screen since the last match:\n%s", re, s[tm.mark:])
			}
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// quit types \q and waits for ddbsql to exit with status 0.
func (tm *terminal) quit() {
	tm.t.Helper()
	tm.send("\\q\r")
	errc := make(chan error, 1)
	go func() { errc <- tm.cmd.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			tm.t.Fatalf("exit: %v\n%s", err, tm.screen())
		}
	case <-time.After(10 * time.Second):
		tm.t.Fatalf("ddbsql did not exit after \\q:\n%s", tm.screen())
	}
}

// loadSample loads the sample tables into b.
func loadSample(t *testing.T, b testbackend.Backend) {
	t.Helper()
	r := runCmd(t, "", "sample", "-q", "--endpoint", b.Endpoint, "--region", "us-east-1")
	if r.code != 0 {
		t.Fatalf("sample: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestInteractive drives the interactive shell in a pseudo-terminal
// against dynalite with the sample data.
func TestInteractive(t *testing.T) {
	b := testbackend.Get(t, testbackend.Dynalite)
	loadSample(t, b)
	conn := []string{"--endpoint", b.Endpoint, "--region", "us-east-1"}
	history := func(t *testing.T) string { return "DDBSQL_HISTORY=" + t.TempDir() + "/history" }

	t.Run("banner, multi-line entry and continuation prompts", func(t *testing.T) {
		tm := startTerminal(t, 200, 50, []string{history(t)}, conn...)
		tm.expect("connected to " + b.Endpoint + " (region us-east-1)")
		tm.expect(`\? for help`)
		tm.expect("ddbsql=> ")
		tm.send("SELECT userId, name\r")
		tm.expect("ddbsql-> ")
		tm.send("FROM Users\r")
		tm.expect("ddbsql-> ")
		tm.send("WHERE userId = 'u001';\r")
		tm.expect("Rosa Chen")
		tm.expect("(1 row)")
		tm.expect("ddbsql=> ")
		tm.send("SELECT 'two\r")
		tm.expect("ddbsql'> ")
		tm.send("lines' AS s, (1 +\r")
		tm.expect("ddbsql(> ")
		tm.send("2) AS n;\r")
		tm.expect("two")
		tm.expect("(1 row)")
		// Ctrl-C at the prompt drops what was typed.
		tm.send("SELECT nonsense FROM\x03")
		tm.expect("^C")
		tm.send("SELECT 7 AS seven;\r")
		tm.expect("seven")
		tm.expect("(1 row)")
		// Errors show the caret.
		tm.send("SELECT * FORM Users;\r")
		tm.expect(`ERROR:  syntax error at or near "FORM"`)
		tm.expect("LINE 1: SELECT * FORM Users")
		tm.expect("^")
		tm.quit()
	})

	t.Run("completion of a table and an attribute name", func(t *testing.T) {
		tm := startTerminal(t, 200, 50, []string{history(t)}, conn...)
		tm.expect("ddbsql=> ")
		tm.send("SELECT COUNT(*) AS n FROM Ord\t")
		tm.expect("ers")
		tm.send(" WHERE custo\t")
		tm.expect("merId")
		tm.send(" = 'u001';\r")
		tm.expect(" 33")
		tm.expect("(1 row)")
		// Index names after "T".
		tm.send(`EXPLAIN SELECT * FROM "Orders"."OrderS` + "\t")
		tm.expect(`tatusIndex"`)
		tm.send(" WHERE orderStatus = 'PENDING';\r")
		tm.expect("index: OrderStatusIndex")
		// Meta-commands.
		tm.send(`\tim` + "\t")
		tm.expect("ing")
		tm.send("on\r")
		tm.expect("Timing is on.")
		tm.quit()
	})

	t.Run("meta-commands: \\d, \\x, \\timing, \\dt, \\set, \\h", func(t *testing.T) {
		tm := startTerminal(t, 200, 50, []string{history(t)}, conn...)
		tm.expect("ddbsql=> ")
		tm.send(`\d Orders` + "\r")
		tm.expect("partition_key")
		tm.expect("OrderStatusIndex")
		tm.expect("GSI")
		tm.send(`\x` + "\r")
		tm.expect("Expanded display is on.")
		tm.send("SELECT userId, name FROM Users WHERE userId = 'u001';\r")
		tm.expect("-[ RECORD 1 ]")
		tm.expect("name   | Rosa Chen")
		tm.send(`\x off` + "\r")
		tm.expect("Expanded display is off.")
		tm.send(`\timing on` + "\r")
		tm.expect("Timing is on.")
		tm.send("SELECT 1 AS one;\r")
		tm.expect("(1 row)")
		tm.expectMatch(regexp.MustCompile(`Time: \d+\.\d{3} ms`))
		tm.send(`\timing off` + "\r")
		tm.expect("Timing is off.")
		tm.send(`\dt Ord*` + "\r")
		tm.expect(" Orders")
		tm.expect("(1 row)")
		tm.send(`\set scan_policy deny` + "\r")
		tm.send("SELECT * FROM Users WHERE name = 'x';\r")
		tm.expect("refused by scan_policy=deny")
		tm.send(`\set who u002` + "\r")
		tm.send("SELECT userId FROM Users WHERE userId = :'who';\r")
		tm.expect(" u002")
		tm.expect("(1 row)")
		tm.send(`\h UPDATE` + "\r")
		tm.expect("RETURNING")
		tm.send(`\conninfo` + "\r")
		tm.expect("connected to " + b.Endpoint)
		tm.send(`\nope` + "\r")
		tm.expect(`invalid command \nope`)
		tm.quit()
	})

	t.Run("expanded auto and the pager", func(t *testing.T) {
		tm := startTerminal(t, 100, 20, []string{history(t), "PAGER=sed s/^/PAGED:/"}, conn...)
		tm.expect("ddbsql=> ")
		tm.send(`\x auto` + "\r")
		tm.expect("Expanded display is used automatically.")
		tm.send("SELECT * FROM Users WHERE userId = 'u001';\r")
		tm.expect("-[ RECORD 1 ]")
		tm.send("SELECT userId FROM Users WHERE userId = 'u001';\r")
		tm.expect(" userId")
		tm.send("SELECT orderId FROM Orders WHERE customerId = 'u001';\r")
		tm.expect("PAGED: orderId")
		tm.expect("PAGED:(33 rows)")
		tm.quit()
	})

	t.Run("history survives a restart", func(t *testing.T) {
		hist := history(t)
		tm := startTerminal(t, 200, 50, []string{hist}, conn...)
		tm.expect("ddbsql=> ")
		tm.send("SELECT 41 + 1\r")
		tm.send("AS answer;\r")
		tm.expect("(1 row)")
		tm.quit()
		data, err := os.ReadFile(strings.TrimPrefix(hist, "DDBSQL_HISTORY="))
		if err != nil || !strings.Contains(string(data), "SELECT 41 + 1 AS answer;") {
			t.Fatalf("history file: %q, %v", data, err)
		}
		tm = startTerminal(t, 200, 50, []string{hist}, conn...)
		tm.expect("ddbsql=> ")
		tm.send("\x1b[A") // up arrow
		tm.expect("SELECT 41 + 1 AS answer;")
		tm.send("\r")
		tm.expect(" 42")
		tm.quit()
	})

	t.Run("Ctrl-C cancels a slow statement", func(t *testing.T) {
		// A proxy that holds every Scan until the client gives up.
		target, _ := url.Parse(b.Endpoint)
		proxy := httputil.NewSingleHostReverseProxy(target)
		arrived, abandoned := make(chan struct{}, 16), make(chan struct{}, 16)
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// The server notices a closed connection only once the body is read.
			body, err := io.ReadAll(r.Body)
			if err != nil {
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".Scan") {
				arrived <- struct{}{}
				select {
				case <-r.Context().Done():
					abandoned <- struct{}{}
					return
				case <-time.After(time.Minute):
				}
			}
			proxy.ServeHTTP(w, r)
		}))
		defer slow.Close()
		tm := startTerminal(t, 200, 50, []string{history(t)}, "--endpoint", slow.URL, "--region", "us-east-1")
		tm.expect("ddbsql=> ")
		tm.send("SELECT COUNT(*) FROM Users WHERE name <> 'x';\r")
		tm.expect("full scan")
		select {
		case <-arrived:
		case <-time.After(20 * time.Second):
			t.Fatal("no Scan reached the proxy")
		}
		start := time.Now()
		tm.send("\x03")
		tm.expect("cancelled")
		tm.expect("ddbsql=> ")
		select {
		case <-abandoned:
		case <-time.After(10 * time.Second):
			t.Fatal("the in-flight Scan was not abandoned")
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Fatalf("cancel took %s", d)
		}
		tm.send("SELECT 5 AS five;\r")
		tm.expect("five")
		tm.expect("(1 row)")
		tm.quit()
	})
	t.Run("a long UPDATE shows its progress; Ctrl-C stops it between items", func(t *testing.T) {
		table := testbackend.TableName(t, "progress")
		var rows []string
		for i := range 400 {
			rows = append(rows, fmt.Sprintf("('k%03d', %d)", i, i))
		}
		for _, sql := range []string{
			`CREATE TABLE ` + table + ` (id TEXT, PRIMARY KEY (id))`,
			`INSERT INTO ` + table + ` (id, n) VALUES ` + strings.Join(rows, ", "),
		} {
			if r := runCmd(t, "", append(conn, "-c", sql)...); r.code != 0 {
				t.Fatalf("%.60s: exit %d\n%s%s", sql, r.code, r.stdout, r.stderr)
			}
		}
		t.Cleanup(func() { runCmd(t, "", append(conn, "-c", `DROP TABLE IF EXISTS `+table)...) })
		// A proxy that holds each UpdateItem 100 ms, as a distant region
		// would: 400 items at 8 at once take 5 s.
		target, _ := url.Parse(b.Endpoint)
		proxy := httputil.NewSingleHostReverseProxy(target)
		var updates atomic.Int64
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".UpdateItem") {
				updates.Add(1)
				time.Sleep(100 * time.Millisecond)
			}
			proxy.ServeHTTP(w, r)
		}))
		defer slow.Close()
		tm := startTerminal(t, 200, 50, []string{history(t)}, "--endpoint", slow.URL, "--region", "us-east-1")
		tm.expect("ddbsql=> ")
		tm.send("UPDATE " + table + " SET m = n + 1 WHERE n >= 0;\r")
		tm.expectMatch(regexp.MustCompile(`\d+ items matched, [1-9]\d* updated, 0 skipped, \d+ items/s, [\d.]+ capacity units, [\d.]+s`))
		tm.send("\x03")
		seen := tm.expectMatch(regexp.MustCompile(`DETAIL:  canceled after [\d,]+ items updated, 0 skipped; the rest of the table is unchanged`))
		tm.expect("ddbsql=> ")
		m := regexp.MustCompile(`canceled after ([\d,]+) items updated`).FindStringSubmatch(seen)
		reported, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		if !strings.Contains(seen, "ERROR:  canceling statement due to user request") {
			t.Errorf("the cancellation's error:\n%s", seen)
		}
		if reported == 0 || reported >= 400 {
			t.Fatalf("canceled after %d items, want some but not all", reported)
		}
		// The count is exact: the calls in flight at Ctrl-C finished and were
		// counted, and no further item was written.
		tm.send("SELECT count(*) AS n FROM " + table + " WHERE m > 0 WITH (consistent_read = on);\r")
		tm.expect(fmt.Sprintf(" %d\n(1 row)", reported))
		if sent := updates.Load(); sent != int64(reported) {
			t.Errorf("%d UpdateItem calls were sent, %d reported updated", sent, reported)
		}
		tm.quit()
	})

	t.Run("COPY FROM STDIN reads lines at the >> prompt", func(t *testing.T) {
		table := testbackend.TableName(t, "copyin")
		if r := runCmd(t, "", append(conn, "-c", `CREATE TABLE `+table+` (id TEXT, PRIMARY KEY (id))`)...); r.code != 0 {
			t.Fatalf("CREATE TABLE: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		t.Cleanup(func() { runCmd(t, "", append(conn, "-c", `DROP TABLE IF EXISTS `+table)...) })
		tm := startTerminal(t, 200, 50, []string{history(t)}, conn...)
		tm.expect("ddbsql=> ")
		tm.send("COPY " + table + " (id, n) FROM STDIN (FORMAT csv);\r")
		tm.expect("Enter data to be copied followed by a newline.")
		tm.expect(">> ")
		tm.send("a,1\r")
		tm.expect(">> ")
		tm.send("b,2\r")
		tm.expect(">> ")
		tm.send("\\.\r")
		tm.expect("COPY 2")
		tm.expect("ddbsql=> ")
		tm.send("SELECT id, n FROM " + table + " WHERE id = 'b';\r")
		tm.expect(" b  | 2")
		tm.expect("(1 row)")
		// Binary data cannot be typed: refused before any prompt.
		tm.send("COPY " + table + " FROM STDIN (FORMAT binary);\r")
		seen := tm.expect("ERROR:  binary COPY works only FROM STDIN / TO STDOUT over the wire protocol")
		if strings.Contains(seen, "Enter data") {
			t.Errorf("the shell asked for binary data before refusing it:\n%s", seen)
		}
		tm.expect("ddbsql=> ")
		tm.quit()
	})

	t.Run("\\e edits the last statement or the one being typed", func(t *testing.T) {
		// An editor that changes the file and, for the last statement,
		// ends it with ';' so that it runs.
		dir := writeFiles(t, map[string]string{"edit.sh": "#!/bin/sh\n" +
			"sed -i 's/ 41 AS answer$/ 42 AS answer;/; s/draft/edited/' \"$1\"\n"})
		editor := filepath.Join(dir, "edit.sh")
		if err := os.Chmod(editor, 0o755); err != nil {
			t.Fatal(err)
		}
		tm := startTerminal(t, 200, 50, []string{history(t), "EDITOR=" + editor}, conn...)
		tm.expect("ddbsql=> ")
		tm.send("SELECT 41 AS answer;\r")
		tm.expect(" 41")
		tm.expect("(1 row)")
		tm.send(`\e` + "\r")
		tm.expect("SELECT 42 AS answer;")
		tm.expect(" 42")
		tm.expect("(1 row)")
		tm.expect("ddbsql=> ")
		// Without ';' the edited text waits for the rest of the statement.
		tm.send("SELECT 'draft' AS d\r")
		tm.expect("ddbsql-> ")
		tm.send(`\e` + "\r")
		tm.expect("SELECT 'edited' AS d")
		tm.expect("ddbsql-> ")
		tm.send(";\r")
		tm.expect(" edited")
		tm.expect("(1 row)")
		tm.quit()
	})

	t.Run("\\watch repeats a statement until Ctrl-C", func(t *testing.T) {
		tm := startTerminal(t, 200, 50, []string{history(t)}, conn...)
		tm.expect("ddbsql=> ")
		tm.send("SELECT COUNT(*) AS n FROM Users WHERE userId = 'u001';\r")
		tm.expect("(1 row)")
		tm.send(`\watch 0.2` + "\r")
		header := regexp.MustCompile(`SELECT COUNT\(\*\) AS n FROM Users WHERE userId = 'u001'  \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \(every 0\.2s\)`)
		for range 2 {
			tm.expectMatch(header)
			tm.expect("(1 row)")
		}
		tm.send("\x03")
		if seen := tm.expect("ddbsql=> "); strings.Contains(seen, "cancelled") || strings.Contains(seen, "ERROR") {
			t.Errorf("stopping a watch is not an error:\n%s", seen)
		}
		// As in psql, \watch runs the statement being typed, if any.
		tm.send("SELECT 3 AS three\r")
		tm.expect("ddbsql-> ")
		tm.send(`\watch 0.1 c=2` + "\r")
		tm.expectMatch(regexp.MustCompile(`SELECT 3 AS three  .* \(every 0\.1s\)`))
		tm.expect("(1 row)")
		tm.expectMatch(regexp.MustCompile(`SELECT 3 AS three  .* \(every 0\.1s\)`))
		tm.expect("(1 row)")
		tm.expect("ddbsql=> ")
		tm.send("SELECT 5 AS five;\r")
		tm.expect("five")
		tm.expect("(1 row)")
		tm.quit()
	})

	t.Run("\\c switches the endpoint; hints name the next step", func(t *testing.T) {
		target, _ := url.Parse(b.Endpoint)
		proxy := httputil.NewSingleHostReverseProxy(target)
		var calls atomic.Int64
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			proxy.ServeHTTP(w, r)
		}))
		defer other.Close()
		tm := startTerminal(t, 200, 50, []string{history(t)}, conn...)
		tm.expect("ddbsql=> ")
		tm.send(`\set scan_policy deny` + "\r")
		tm.send(`\c ` + other.URL + "\r")
		tm.expect("You are now connected to " + other.URL + " (region us-east-1).")
		tm.send(`\c http://127.0.0.1:1` + "\r")
		tm.expect("ERROR:  cannot connect to http://127.0.0.1:1: ")
		tm.expect("HINT:  still connected to " + other.URL + " (region us-east-1)")
		tm.send(`\conninfo` + "\r")
		tm.expect("connected to " + other.URL + " (region us-east-1)")
		before := calls.Load()
		tm.send("SELECT name FROM Users WHERE userId = 'u001';\r")
		tm.expect("Rosa Chen")
		if calls.Load() == before {
			t.Error("the statement did not go to the new endpoint")
		}
		// Completion lists the new endpoint's tables.
		tm.send("SELECT COUNT(*) AS n FROM Ord\t")
		tm.expect("ers")
		tm.send(" WHERE customerId = 'u001';\r")
		tm.expect(" 33")
		// Settings survive \c; in the shell the hint names the
		// meta-command.
		tm.send("SELECT * FROM Users WHERE name = 'x';\r")
		tm.expect("refused by scan_policy=deny")
		tm.expect(`HINT:  add a condition on the partition key, or allow scans with \set scan_policy warn`)
		tm.send("SELECT * FROM users WHERE userId = 'u001';\r")
		tm.expect(`ERROR:  table "users" does not exist`)
		tm.expect("LINE 1: SELECT * FROM users")
		tm.expect(`HINT:  did you mean "Users"? (SHOW TABLES lists the tables)`)
		tm.quit()
	})
}
