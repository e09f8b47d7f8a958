package migrate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseParts(t *testing.T) {
	text := "-- +up\nCREATE TABLE IF NOT EXISTS t (id TEXT, PRIMARY KEY (id));\n\n" +
		"UPSERT INTO t (id) VALUES ('a;b');\n\\set allow_full_table_write on\nUPDATE t\n  SET n = 1 WHERE id > '';\n" +
		"-- +down\nDROP TABLE t;\n"
	m, err := Parse("0001_t.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	if m.Up.Statements != 3 || len(m.Up.Steps) != 4 {
		t.Fatalf("up: %d statements, %d steps", m.Up.Statements, len(m.Up.Steps))
	}
	lines := []int{2, 4, 5, 6}
	for i, s := range m.Up.Steps {
		if s.Chunk.Pos.Line != lines[i] {
			t.Errorf("step %d (%q) at line %d, want %d", i, s.Chunk.Text, s.Chunk.Pos.Line, lines[i])
		}
	}
	if s := m.Up.Steps[2]; s.Setting != "allow_full_table_write" || s.Value != "on" {
		t.Errorf("setting step %+v", s)
	}
	if m.Down == nil || m.Down.Statements != 1 || m.Down.Steps[0].Chunk.Pos.Line != 9 || m.Down.Steps[0].Chunk.Text != "DROP TABLE t" {
		t.Fatalf("down: %+v", m.Down)
	}
	// The checksum covers the up part only.
	m2, _ := Parse("0001_t.sql", strings.Replace(text, "DROP TABLE t;", "DROP TABLE t; -- changed", 1))
	if m2.Up.Checksum != m.Up.Checksum {
		t.Error("a change to the down part changed the up checksum")
	}
	m3, _ := Parse("0001_t.sql", strings.Replace(text, "'a;b'", "'a;c'", 1))
	if m3.Up.Checksum == m.Up.Checksum {
		t.Error("a change to the up part kept the checksum")
	}
	// The first statement is unchanged, so the prefix of one statement is too.
	if m3.Up.prefixChecksum(1) != m.Up.prefixChecksum(1) || m3.Up.prefixChecksum(2) == m.Up.prefixChecksum(2) {
		t.Error("prefix checksums")
	}

	noDown, err := Parse("x.sql", "SELECT 1;")
	if err != nil || noDown.Down != nil || noDown.Up.Statements != 1 {
		t.Fatalf("%+v %v", noDown, err)
	}
	for _, bad := range []string{"\\i other.sql\n", "\\set nosuch 1\n", "-- +down\n-- +down\n", "SELECT\n\\set segments 2\n1;\n"} {
		if _, err := Parse("bad.sql", bad); err == nil || !strings.Contains(err.Error(), "bad.sql:") {
			t.Errorf("%q: err %v, want one naming bad.sql:LINE", bad, err)
		}
	}
}

func TestLoadAndNew(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "migrations")
	p1, err := New(dir, "Create users!")
	if err != nil || filepath.Base(p1) != "0001_create_users.sql" {
		t.Fatalf("%s %v", p1, err)
	}
	p2, err := New(dir, "backfill")
	if err != nil || filepath.Base(p2) != "0002_backfill.sql" {
		t.Fatalf("%s %v", p2, err)
	}
	os.WriteFile(filepath.Join(dir, "0010_later.sql"), []byte("SELECT 1;"), 0o644)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("ignored"), 0o644)
	migs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range migs {
		got = append(got, m.File)
	}
	if strings.Join(got, " ") != "0001_create_users.sql 0002_backfill.sql 0010_later.sql" {
		t.Fatalf("%v", got)
	}
	if migs[0].Up.Statements != 0 || migs[0].Down == nil {
		t.Errorf("the template has no statements and a down part: %+v", migs[0].Up)
	}
	if p, _ := New(dir, "next"); filepath.Base(p) != "0011_next.sql" {
		t.Errorf("next after 10: %s", p)
	}
	if _, err := New(dir, "!!"); err == nil {
		t.Error("a name without letters")
	}

	os.WriteFile(filepath.Join(dir, "010_dup.sql"), []byte(""), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "same version 10") {
		t.Errorf("duplicate version: %v", err)
	}
	os.Remove(filepath.Join(dir, "010_dup.sql"))
	os.WriteFile(filepath.Join(dir, "notes.sql"), []byte(""), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "VERSION_NAME.sql") {
		t.Errorf("bad name: %v", err)
	}
}

func TestPending(t *testing.T) {
	mk := func(v int, text string) *Migration {
		m, err := Parse("f.sql", text)
		if err != nil {
			t.Fatal(err)
		}
		m.Version, m.Path, m.File = v, "f.sql", "f.sql"
		return m
	}
	m1 := mk(1, "SELECT 1;")
	m2 := mk(2, "SELECT 1; SELECT 2; SELECT 3;")
	m3 := mk(3, "SELECT 3;")
	applied := func(m *Migration) *Record {
		return &Record{Version: m.Version, Checksum: m.Up.Checksum, Status: Applied, LastStatement: m.Up.Statements}
	}

	steps, err := pending([]*Migration{m1, m2, m3}, map[int]*Record{1: applied(m1)})
	if err != nil || len(steps) != 2 || steps[0].mig != m2 || steps[0].done != 0 {
		t.Fatalf("%+v %v", steps, err)
	}
	// A killed run resumes after its last completed statement.
	part := &Record{Version: 2, Checksum: m2.Up.Checksum, Status: Applying, LastStatement: 2, DoneChecksum: m2.Up.prefixChecksum(2)}
	steps, err = pending([]*Migration{m1, m2, m3}, map[int]*Record{1: applied(m1), 2: part})
	if err != nil || steps[0].done != 2 {
		t.Fatalf("%+v %v", steps, err)
	}
	// A failed file edited after its completed statements resumes ...
	edited := mk(2, "SELECT 1; SELECT 2; SELECT 33;")
	if steps, err = pending([]*Migration{m1, edited}, map[int]*Record{2: part}); err != nil || steps[1].done != 2 {
		t.Fatalf("%+v %v", steps, err)
	}
	// ... but not one edited in them.
	edited = mk(2, "SELECT 11; SELECT 2; SELECT 3;")
	var ce *ChecksumError
	if _, err = pending([]*Migration{edited}, map[int]*Record{2: part}); err == nil || !asChecksum(err, &ce) || !ce.Partial {
		t.Fatalf("%v", err)
	}
	// An applied file that changed.
	if _, err = pending([]*Migration{mk(1, "SELECT 2;")}, map[int]*Record{1: applied(m1)}); !asChecksum(err, &ce) || ce.Partial {
		t.Fatalf("%v", err)
	}
	// A new file numbered before an applied one.
	if _, err = pending([]*Migration{m1, m3}, map[int]*Record{3: applied(m3)}); err == nil || !strings.Contains(err.Error(), "already applied") {
		t.Fatalf("%v", err)
	}
}

func asChecksum(err error, target **ChecksumError) bool {
	ce, ok := err.(*ChecksumError)
	if ok {
		*target = ce
	}
	return ok
}
