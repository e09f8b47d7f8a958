package session

import (
	"context"
	"slices"
	"testing"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// TestStatementOptionsLeaveSessionAlone checks that a WITH clause holds
// for its statement only: the executor sees its values (current_setting
// reads them as the write budget does), and the session's settings are
// the same before, during and after.
func TestStatementOptionsLeaveSessionAlone(t *testing.T) {
	s := New(newFake(), Config{})
	before := s.Settings()
	rows, _, err := runSQL(t, s, "SELECT current_setting('write_capacity') AS w, current_setting('segments') AS s, current_setting('scan_policy') AS p "+
		"WITH (write_capacity = 12.50, segments = 3, Scan_Policy = 'DENY')")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0] != "12.5|3|deny" {
		t.Errorf("the statement saw %q, want 12.5|3|deny", rows)
	}
	for name, want := range before {
		if got := show(t, s, name); got != want {
			t.Errorf("SHOW %s after the statement = %q, want %q", name, got, want)
		}
	}

	// A planned statement carries its values; planning changes nothing in
	// the session, which another goroutine may read meanwhile.
	stmt, err := parser.ParseOne("SELECT * FROM t WHERE pk = 'a' WITH (consistent_read = on, write_capacity = 7, allow_full_table_write = yes)")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(context.Background(), stmt)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"consistent_read": "on", "write_capacity": "7", "allow_full_table_write": "on"}
	if len(plan.Settings) != len(want) {
		t.Errorf("plan settings %v, want %v", plan.Settings, want)
	}
	for k, v := range want {
		if plan.Settings[k] != v {
			t.Errorf("plan setting %s = %q, want %q", k, plan.Settings[k], v)
		}
	}
	if got, _ := (sessionInfo{s}).Get(SettingWriteCapacity); got != "0" {
		t.Errorf("the session's write_capacity is %q after planning, want 0", got)
	}
	if s.Settings()[SettingConsistentRead] != "off" || s.opts.ConsistentRead || s.opts.AllowFullTableWrite {
		t.Errorf("planning changed the session's options: %+v", s.opts)
	}
	res, err := s.Execute(context.Background(), plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readRows(res); err != nil {
		t.Fatal(err)
	}
	if got := show(t, s, "consistent_read"); got != "off" {
		t.Errorf("consistent_read %q after the statement, want off", got)
	}
}

// TestStatementOptionErrors checks the errors of a bad clause: an unknown
// name (42704, with the names in the hint), a value its setting refuses
// (22023, SET's message), each at the option; and a repeated name, which
// the parser refuses (42601).
func TestStatementOptionErrors(t *testing.T) {
	s := New(newFake(), Config{})
	for _, tc := range []struct {
		sql, code, msg string
		line, col      int
	}{
		{"SELECT 1 WITH (colour = 'red')", sqlerr.UndefinedObject, `unrecognized statement option "colour"`, 1, 16},
		{"SELECT 1 WITH (segments = 2,\n  timezone = 'UTC')", sqlerr.UndefinedObject, `unrecognized statement option "timezone"`, 2, 3},
		{"SELECT 1 WITH (segments = 'many')", sqlerr.InvalidParameter, `invalid segments "many": want a number of parallel scan segments (0 chooses from the table size)`, 1, 16},
		{"SELECT 1 WITH (scan_policy = sometimes)", sqlerr.InvalidParameter, `invalid scan_policy "sometimes": want allow, warn or deny`, 1, 16},
		{"SELECT 1 WITH (write_capacity = -1)", sqlerr.InvalidParameter, `invalid write_capacity "-1": want the write capacity units per second a statement may consume (0: no limit)`, 1, 16},
		{"SELECT 1 WITH (consistent_read = maybe)", sqlerr.InvalidParameter, `parameter "consistent_read" requires a Boolean value`, 1, 16},
	} {
		_, _, err := runSQL(t, s, tc.sql)
		e := sqlerr.As(err)
		if err == nil || e.Code != tc.code || e.Message != tc.msg || e.Line != tc.line || e.Column != tc.col {
			t.Errorf("%s: %v (%+v), want %s %d:%d %s", tc.sql, err, e, tc.code, tc.line, tc.col, tc.msg)
			continue
		}
		// SET gives the same message for the same value.
		if tc.code == sqlerr.InvalidParameter {
			opt := parser.StatementOptions(mustParse(t, tc.sql))[0]
			if err := s.Set(opt.Name, opt.Value.Text); err == nil || sqlerr.As(err).Message != tc.msg {
				t.Errorf("SET %s = %s: %v, want %s", opt.Name, opt.Value.Text, err, tc.msg)
			}
		}
	}
	_, _, err := runSQL(t, s, "SELECT 1 WITH (colour = 'red')")
	if hint := sqlerr.As(err).Hint; hint != "statement options are ddbsql's settings: allow_full_table_write, consistent_read, insert_batch, mark_updates, page_size, scan_policy, segments, write_capacity" {
		t.Errorf("hint %q", hint)
	}
	if _, err := parser.ParseOne("SELECT 1 WITH (segments = 2, Segments = 3)"); sqlerr.Code(err) != sqlerr.SyntaxError {
		t.Errorf("a repeated option: %v, want 42601", err)
	}
	for name, want := range map[string]string{"segments": "0", "scan_policy": "warn", "write_capacity": "0", "consistent_read": "off"} {
		if got := show(t, s, name); got != want {
			t.Errorf("SHOW %s = %q after failed statements, want %q", name, got, want)
		}
	}
}

func mustParse(t *testing.T, sql string) parser.Statement {
	t.Helper()
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		t.Fatal(err)
	}
	return stmt
}

// TestStatementOptionNames checks that the clause takes exactly ddbsql's
// own settings: every one SettingNames lists, none of PostgreSQL's.
func TestStatementOptionNames(t *testing.T) {
	if got := statementOptionNames(); !slices.Equal(got, SettingNames()) {
		t.Errorf("statement options %q, want SettingNames() %q", got, SettingNames())
	}
}
