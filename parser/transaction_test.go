package parser

import "testing"

func TestTransactionStatements(t *testing.T) {
	cases := []struct {
		sql, want string
	}{
		{"BEGIN", "BEGIN"},
		{"begin transaction", "BEGIN"},
		{"BEGIN WORK", "BEGIN"},
		{"START TRANSACTION", "BEGIN"},
		{"COMMIT", "COMMIT"},
		{"commit work", "COMMIT"},
		{"COMMIT TRANSACTION", "COMMIT"},
		{"ROLLBACK", "ROLLBACK"},
		{"ROLLBACK WORK", "ROLLBACK"},
		{"rollback transaction", "ROLLBACK"},
		{"exists(select * from t where pk = 'a' and n > 1)", "EXISTS(SELECT * FROM t WHERE pk = 'a' AND n > 1)"},
		{"not exists(select * from t where pk = 'a')", "NOT EXISTS(SELECT * FROM t WHERE pk = 'a')"},
		{"NOT EXISTS (SELECT 1 FROM t WHERE pk = 'a' AND NOT n > 1)", "NOT EXISTS(SELECT 1 FROM t WHERE pk = 'a' AND NOT n > 1)"},
	}
	for _, tc := range cases {
		s, err := ParseOne(tc.sql)
		if err != nil {
			t.Errorf("ParseOne(%q): %v", tc.sql, err)
			continue
		}
		if got := Format(s); got != tc.want {
			t.Errorf("Format(%q) = %q, want %q", tc.sql, got, tc.want)
		}
		checkRoundTrip(t, s)
	}
	stmts, err := Parse("BEGIN; INSERT INTO t VALUE {'pk': 'a'}; COMMIT")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := stmts[0].(*Begin); !ok {
		t.Errorf("first statement %T, want *Begin", stmts[0])
	}
	if _, ok := stmts[2].(*Commit); !ok {
		t.Errorf("last statement %T, want *Commit", stmts[2])
	}
	if st, err := ParseOne("NOT EXISTS(SELECT * FROM t WHERE pk = 'a')"); err != nil {
		t.Fatal(err)
	} else if ex, ok := st.(*Exists); !ok || !ex.Not {
		t.Errorf("NOT EXISTS parsed as %#v, want *Exists with Not", st)
	}
	for _, bad := range []string{"START", "BEGIN TABLE", "COMMIT NOW", "NOT NOT EXISTS(SELECT * FROM t WHERE pk = 'a')"} {
		if _, err := ParseOne(bad); err == nil {
			t.Errorf("ParseOne(%q) succeeded, want a syntax error", bad)
		}
	}
	// The words stay usable as names.
	if _, err := ParseOne("SELECT begin, commit, work FROM transaction"); err != nil {
		t.Errorf("transaction words as names: %v", err)
	}
}
