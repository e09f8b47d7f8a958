package enginetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/internal/sample"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// copyFormats are the formats COPY reads and writes.
var copyFormats = []string{"csv", "json", "jsonl", "ddbjson"}

// TestCopyRoundTrip exports every sample table in every format, imports
// the file into a new table with the same key, and compares. ddbjson must
// give back every item exactly, all ten types included. The other formats
// lose what they cannot spell (sets become lists, binary becomes base64
// text; csv keeps only scalars' text), so for them the test checks that
// what was imported exports to a file that reads back to the same items:
// one trip loses all it will, and no item is dropped.
func TestCopyRoundTrip(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		sess := sampleSession(t, b)
		ctx := context.Background()
		dir := t.TempDir()
		for _, table := range sample.Tables() {
			items, err := sample.Items(table)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range copyFormats {
				t.Run(table+"/"+f, func(t *testing.T) {
					file := filepath.Join(dir, table+"."+f)
					copyTag(t, sess, fmt.Sprintf(`COPY %q TO '%s' (FORMAT %s)`, table, file, f), len(items))
					dst := newTableLike(t, sess, table, "copy_"+f)
					copyTag(t, sess, fmt.Sprintf(`COPY %q FROM '%s' (FORMAT %s)`, dst, file, f), len(items))
					if f == "ddbjson" {
						if got, want := tableLines(t, sess, dst), tableLines(t, sess, table); !slices.Equal(got, want) {
							t.Errorf("ddbjson round trip of %s differs:\n got %s\nwant %s", table, strings.Join(got, "\n"), strings.Join(want, "\n"))
						}
						return
					}
					again := filepath.Join(dir, dst+"."+f)
					copyTag(t, sess, fmt.Sprintf(`COPY %q TO '%s' (FORMAT %s)`, dst, again, f), len(items))
					if got, want := fileItems(t, again, f), fileItems(t, file, f); !slices.Equal(got, want) {
						t.Errorf("%s: a second round trip of %s changed the items:\n got %s\nwant %s", f, table, strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
					_ = ctx
				})
			}
		}
	})
}

// TestCopy covers COPY's behaviour beyond the round trip: UPSERT, errors
// that name the file, line and attribute and count what was written, csv
// types and delimiters, and COPY ... TO STDOUT.
func TestCopy(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		sess := sampleSession(t, b)
		dir := t.TempDir()
		tbl := testbackend.TableName(t, "copy")
		run(t, sess, `CREATE TABLE "`+tbl+`" (pk TEXT, sk NUMERIC, PRIMARY KEY (pk, sk))`)
		write := func(name, text string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}

		csv := write("a.csv", "pk;sk;n;tags:SS;bin:B;note\na;1;1.5;\"[\"\"x\"\",\"\"y\"\"]\";AAE=;hello\na;2;007;;;\n")
		copyTag(t, sess, fmt.Sprintf(`COPY %q FROM '%s' WITH (FORMAT csv, DELIMITER ';')`, tbl, csv), 2)
		want := []string{
			`{"bin":{"B":"AAE="},"n":{"N":"1.5"},"note":{"S":"hello"},"pk":{"S":"a"},"sk":{"N":"1"},"tags":{"SS":["x","y"]}}`,
			`{"n":{"S":"007"},"pk":{"S":"a"},"sk":{"N":"2"}}`,
		}
		if got := tableDDB(t, sess, tbl); !slices.Equal(got, want) {
			t.Errorf("csv import:\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// The default refuses a key that exists, as INSERT does; UPSERT
		// true overwrites.
		err := exec(context.Background(), sess, fmt.Sprintf(`COPY %q FROM '%s' (DELIMITER ';')`, tbl, csv))
		if e := sqlerr.As(err); err == nil || e.Code != sqlerr.UniqueViolation {
			t.Errorf("COPY FROM of existing keys: got %v, want a unique violation", err)
		}
		copyTag(t, sess, fmt.Sprintf(`COPY %q FROM '%s' (DELIMITER ';', UPSERT true)`, tbl, csv), 2)

		// A bad item stops the import with the file, line and attribute, and
		// how many items were written before it.
		bad := write("bad.jsonl", `{"pk":"b","sk":1}`+"\n"+`{"pk":"b","sk":2}`+"\n\n"+`{"pk":"b","sk":3,"n":1e400}`+"\n"+`{"pk":"b","sk":4}`+"\n")
		err = exec(context.Background(), sess, fmt.Sprintf(`COPY %q FROM '%s' (FORMAT jsonl, UPSERT true)`, tbl, bad))
		e := sqlerr.As(err)
		wantMsg := fmt.Sprintf(`file %q, line 4: attribute n: N value "1e400" is outside DynamoDB's range (magnitude 1E-130 to 9.99…E+125)`, bad)
		if err == nil || e.Code != sqlerr.InvalidText || e.Message != wantMsg || !strings.HasPrefix(e.Detail, "2 items were written before the statement stopped") {
			t.Errorf("bad file:\n got %v (%s; detail %q)\nwant 22P02 %s; detail: 2 items were written ...", err, e.Code, e.Detail, wantMsg)
		}
		noKey := write("nokey.ddb", `{"pk":{"S":"c"}}`+"\n")
		err = exec(context.Background(), sess, fmt.Sprintf(`COPY %q FROM '%s' (FORMAT ddbjson)`, tbl, noKey))
		if e := sqlerr.As(err); err == nil || e.Code != "23502" || e.Message != fmt.Sprintf(`file %q, line 1: the item has no key attribute "sk"`, noKey) {
			t.Errorf("item without key: got %v", err)
		}
		err = exec(context.Background(), sess, fmt.Sprintf(`COPY %q FROM '%s'`, tbl, filepath.Join(dir, "missing.csv")))
		if e := sqlerr.As(err); err == nil || e.Code != "58P01" {
			t.Errorf("missing file: got %v", err)
		}

		// COPY ... TO STDOUT hands the rows and the format to the front end.
		stmt, err := parser.ParseOne(fmt.Sprintf(`COPY (SELECT pk, sk FROM %q WHERE pk = 'a') TO STDOUT (FORMAT csv, HEADER false)`, tbl))
		if err != nil {
			t.Fatal(err)
		}
		res, err := sess.Run(context.Background(), stmt, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Copy == nil || res.Copy.Format != "csv" || !res.Copy.Options.NoHeader {
			t.Fatalf("COPY TO STDOUT: Copy = %+v", res.Copy)
		}
		lines, err := Rows(res, res.Columns)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 2 {
			t.Errorf("COPY TO STDOUT gave %d rows, want 2: %v", len(lines), lines)
		}

		// An export of a subset, csv with a delimiter and without a header.
		out := filepath.Join(dir, "sub.csv")
		copyTag(t, sess, fmt.Sprintf(`COPY (SELECT sk, n FROM %q WHERE pk = 'a') TO '%s' (HEADER false, DELIMITER '|')`, tbl, out), 2)
		if got, _ := os.ReadFile(out); string(got) != "1|1.5\n2|007\n" {
			t.Errorf("csv export: got %q", got)
		}
	})
}

// copyTag runs a COPY and checks its tag.
func copyTag(t *testing.T, sess *session.Session, sql string, n int) {
	t.Helper()
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sess.Run(context.Background(), stmt, nil)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	if want := fmt.Sprintf("COPY %d", n); res.Tag != want {
		t.Fatalf("%s: tag %q, want %q", sql, res.Tag, want)
	}
}

// newTableLike creates an empty table with the key of table.
func newTableLike(t *testing.T, sess *session.Session, table, base string) string {
	t.Helper()
	tbl, err := sess.Catalog().Table(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{"S": "TEXT", "N": "NUMERIC", "B": "BINARY"}
	name := testbackend.TableName(t, base)
	cols := fmt.Sprintf("%q %s", tbl.PartitionKey.Name, types[tbl.PartitionKey.Type])
	key := fmt.Sprintf("%q", tbl.PartitionKey.Name)
	if sk := tbl.SortKey; sk != nil {
		cols += fmt.Sprintf(", %q %s", sk.Name, types[sk.Type])
		key += fmt.Sprintf(", %q", sk.Name)
	}
	run(t, sess, fmt.Sprintf(`CREATE TABLE %q (%s, PRIMARY KEY (%s))`, name, cols, key))
	return name
}

// fileItems reads a file COPY wrote, as sorted ddbjson lines.
func fileItems(t *testing.T, file, f string) []string {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r, err := format.NewReader(f, fh, format.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		b, err := format.MarshalItemJSON(it, nil)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	slices.Sort(lines)
	return lines
}

// tableDDB reads a whole table as sorted ddbjson lines.
func tableDDB(t *testing.T, sess *session.Session, table string) []string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "t.ddbjson")
	run(t, sess, fmt.Sprintf(`COPY %q TO '%s' (FORMAT ddbjson)`, table, file))
	return fileItems(t, file, "ddbjson")
}
