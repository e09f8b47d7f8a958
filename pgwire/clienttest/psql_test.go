package clienttest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// TestPsql runs psql 15 scripts against the server: reads and literal
// writes in CSV, an error with its SQLSTATE and caret stopping the script,
// \copy to standard output and to a file, \copy from a file and COPY ...
// FROM STDIN with its data in the script, and -c with several statements.
func TestPsql(t *testing.T) {
	psql := requireTool(t, "psql", "apt-get install postgresql-client")
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		srv := startServer(t, b)
		dir := t.TempDir()
		env := srv.Env(dir)
		base := []string{"-X", "-v", "ON_ERROR_STOP=1", "--no-password"}

		t.Run("queries", func(t *testing.T) {
			script := psqlScript(t, dir, "queries.sql", srv.NewScratch(t), "")
			r := run(t, dir, env, psql, append(base, "--csv", "-f", script)...)
			if r.Exit != 0 {
				t.Fatalf("psql exited with %d\nstdout:\n%s\nstderr:\n%s", r.Exit, r.Stdout, r.Stderr)
			}
			if r.Stderr != "" {
				t.Errorf("psql wrote to stderr:\n%s", r.Stderr)
			}
			expectText(t, "stdout", r.Stdout, `Timing is off.
userId,name,email
u001,Rosa Chen,rosa.chen1@example.com
orderId,totalAmount,orderStatus
o0002,42.99,DELIVERED
o0004,1075.99,DELIVERED
o0016,1282.26,CANCELLED
productId,price,stock,featured,dimensions
p002,107.95,1,f,"{""depth"":7.7,""height"":16.6,""unit"":""cm"",""width"":41}"
count
33
INSERT 0 2
UPDATE 1
id,n,label
a,1.5,uno
b,2,"two, ""quoted"""
DELETE 1
id
`)
		})

		t.Run("error stops the script", func(t *testing.T) {
			script := psqlScript(t, dir, "error.sql", "", "")
			r := run(t, dir, env, psql, append(base, "-f", script)...)
			if r.Exit != 3 {
				t.Errorf("exit status %d, want 3 (a statement failed under ON_ERROR_STOP)", r.Exit)
			}
			expectText(t, "stdout", r.Stdout, `   name    
-----------
 Rosa Chen
(1 row)

`)
			// psql prefixes the message with the script and line, then
			// draws the statement line and a caret from the P field.
			wantErr := "psql:" + script + ":5: ERROR:  42601: syntax error at or near \"FORM\""
			if !strings.HasPrefix(r.Stderr, wantErr) {
				t.Errorf("stderr does not start with %q:\n%s", wantErr, r.Stderr)
			}
			caret := "\nLINE 1: SELECT * FORM Users;\n                 ^\n"
			if !strings.Contains(r.Stderr, caret) {
				t.Errorf("stderr lacks the statement line and caret %q:\n%s", caret, r.Stderr)
			}
		})

		t.Run("unknown table", func(t *testing.T) {
			r := run(t, dir, env, psql, append(base, "-v", "VERBOSITY=verbose", "-c", "SELECT * FROM NoSuchTable WHERE id = 'x'")...)
			if r.Exit != 1 {
				t.Errorf("exit status %d, want 1 (-c failed)", r.Exit)
			}
			if want := "ERROR:  42P01: "; !strings.HasPrefix(r.Stderr, want) {
				t.Errorf("stderr does not start with %q:\n%s", want, r.Stderr)
			}
			if r.Stdout != "" {
				t.Errorf("stdout: %q, want nothing", r.Stdout)
			}
		})

		t.Run("-c with several statements", func(t *testing.T) {
			// One simple Query carrying two statements; psql 15 shows both
			// results. A second -c is a second Query.
			r := run(t, dir, env, psql, append(base, "--csv",
				"-c", "SELECT name FROM Users WHERE userId = 'u001'; SELECT name FROM Users WHERE userId = 'u002'",
				"-c", "SELECT 1 + 1 AS two")...)
			if r.Exit != 0 {
				t.Fatalf("psql exited with %d\nstderr:\n%s", r.Exit, r.Stderr)
			}
			expectText(t, "stdout", r.Stdout, "name\nRosa Chen\nname\nChloé Larsen\ntwo\n2\n")
		})

		t.Run("copy", func(t *testing.T) {
			file := filepath.Join(dir, "scratch.csv")
			script := psqlScript(t, dir, "copy.sql", srv.NewScratch(t), file)
			r := run(t, dir, env, psql, append(base, "-f", script)...)
			if r.Exit != 0 {
				t.Fatalf("psql exited with %d\nstdout:\n%s\nstderr:\n%s", r.Exit, r.Stdout, r.Stderr)
			}
			expectText(t, "stdout", r.Stdout, `userId,name
u001,Rosa Chen
u002,Chloé Larsen
o0002
o0004
COPY 2
`)
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			// COPY writes the bytes ddbsql's own COPY ... TO 'file' would:
			// booleans as true and false.
			expectText(t, file, sortedLines(string(got), 1), `id,flag,label,n
dup,,,0
seed,false,seed,0.5
`)
		})

		t.Run("copy from", func(t *testing.T) {
			file := filepath.Join(dir, "load.csv")
			if err := os.WriteFile(file, []byte("id,n,label\nc1,1,\"one, quoted\"\nc2,2,two\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			script := psqlScript(t, dir, "copy_from.sql", srv.NewScratch(t), file)
			r := run(t, dir, env, psql, append(base, "-f", script)...)
			if r.Exit != 0 {
				t.Fatalf("psql exited with %d\nstdout:\n%s\nstderr:\n%s", r.Exit, r.Stdout, r.Stderr)
			}
			expectText(t, "stdout", r.Stdout, `COPY 2
COPY 2
Output format is csv.
id,n,label
c1,1,"one, quoted"
c2,2,two
t1,1,tab	one
t2,,two
`)
		})
	})
}

// psqlScript instantiates testdata/psql/name (a text/template over .Table
// and .File) in dir and returns its path.
func psqlScript(t *testing.T, dir, name, table, file string) string {
	t.Helper()
	tmpl, err := template.ParseFiles(testdataPath(t, filepath.Join("psql", name)))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, map[string]string{"Table": table, "File": file}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// expectText compares a program's output with the expected text.
func expectText(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s differs\n--- got:\n%s\n--- want:\n%s", what, got, want)
	}
}

// sortedLines returns text with its lines after the first keep sorted:
// a table's items come back in no defined order.
func sortedLines(text string, keep int) string {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) > keep {
		rest := lines[keep:]
		slices.Sort(rest)
	}
	return strings.Join(lines, "\n") + "\n"
}
