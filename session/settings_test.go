package session

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// show runs SHOW name and returns its one value.
func show(t *testing.T, s *Session, name string) string {
	t.Helper()
	rows, _, err := runSQL(t, s, "SHOW "+name)
	if err != nil || len(rows) != 1 {
		t.Fatalf("SHOW %s: %v %q", name, err, rows)
	}
	return rows[0]
}

func TestPostgresSettingDefaults(t *testing.T) {
	s := New(newFake(), Config{User: "alice"})
	for name, want := range map[string]string{
		"server_version": "16.0", "server_version_num": "160000", "server_encoding": "UTF8", "client_encoding": "UTF8",
		"DateStyle": "ISO, MDY", "datestyle": "ISO, MDY", "IntervalStyle": "postgres", "TimeZone": "UTC",
		"integer_datetimes": "on", "standard_conforming_strings": "on", "application_name": "",
		"is_superuser": "off", "session_authorization": "alice", "default_transaction_read_only": "off",
		"in_hot_standby": "off", "extra_float_digits": "1", "search_path": `"$user", public`,
		"statement_timeout": "0", "transaction_isolation": "read committed", "default_transaction_isolation": "read committed",
		"transaction_read_only": "off", "bytea_output": "hex", "client_min_messages": "notice", "scan_policy": "warn",
	} {
		got, err := s.Get(name)
		if err != nil || got != want {
			t.Errorf("Get(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, name := range ReportedSettings() {
		if _, err := s.Get(name); err != nil {
			t.Errorf("reported setting %s: %v", name, err)
		}
	}
	if want := []string{"server_version", "server_encoding", "client_encoding", "DateStyle", "IntervalStyle",
		"integer_datetimes", "standard_conforming_strings", "TimeZone", "application_name", "is_superuser",
		"session_authorization", "default_transaction_read_only", "in_hot_standby"}; !reflect.DeepEqual(ReportedSettings(), want) {
		t.Errorf("ReportedSettings() = %q", ReportedSettings())
	}
}

func TestSetAndShow(t *testing.T) {
	s := New(newFake(), Config{})
	var changes []string
	s.OnSettingChange = func(name, value string) { changes = append(changes, name+"="+value) }
	for _, tc := range []struct{ sql, name, want string }{
		{"SET client_encoding = 'unicode'", "client_encoding", "UTF8"},
		{"SET CLIENT_ENCODING TO utf8", "client_encoding", "UTF8"},
		{"SET DateStyle = ISO, DMY", "DateStyle", "ISO, DMY"},
		{"SET datestyle = 'iso'", "DateStyle", "ISO, DMY"},
		{"SET TIME ZONE 'Europe/Paris'", "TimeZone", "Europe/Paris"},
		{"SET timezone = utc", "TimeZone", "UTC"},
		{"SET application_name = 'PostgreSQL JDBC Driver'", "application_name", "PostgreSQL JDBC Driver"},
		{"SET extra_float_digits = 3", "extra_float_digits", "3"},
		{"SET extra_float_digits TO -15", "extra_float_digits", "-15"},
		{`SET search_path = "$user", Public, "My Schema"`, "search_path", `"$user", public, "My Schema"`},
		{"SET statement_timeout = '5s'", "statement_timeout", "5s"},
		{"SET statement_timeout = 90000", "statement_timeout", "90s"},
		{"SET statement_timeout = '1500ms'", "statement_timeout", "1500ms"},
		{"SET lock_timeout = '2min'", "lock_timeout", "2min"},
		{"SET idle_in_transaction_session_timeout = '1h'", "idle_in_transaction_session_timeout", "1h"},
		{"SET standard_conforming_strings = on", "standard_conforming_strings", "on"},
		{"SET default_transaction_isolation = 'SERIALIZABLE'", "default_transaction_isolation", "serializable"},
		{"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED", "default_transaction_isolation", "read committed"},
		{"SET bytea_output = 'hex'", "bytea_output", "hex"},
		{"SET client_min_messages = WARNING", "client_min_messages", "warning"},
		{"SET scan_policy = deny", "scan_policy", "deny"},
		{"SET segments TO 4", "segments", "4"},
		{"SET consistent_read = true", "consistent_read", "on"},
		{"SET myapp.tenant = 'acme'", "myapp.tenant", "acme"},
		{"RESET extra_float_digits", "extra_float_digits", "1"},
		{"SET extra_float_digits = DEFAULT", "extra_float_digits", "1"},
		{"RESET TIME ZONE", "TimeZone", "UTC"},
	} {
		if _, tag, err := runSQL(t, s, tc.sql); err != nil || (tag != "SET" && tag != "RESET") {
			t.Errorf("%s: %q %v", tc.sql, tag, err)
			continue
		}
		if got := show(t, s, tc.name); got != tc.want {
			t.Errorf("after %s: SHOW %s = %q, want %q", tc.sql, tc.name, got, tc.want)
		}
	}
	if got := s.Settings()[SettingSegments]; got != "4" {
		t.Errorf("SET segments did not reach the planner options: %q", got)
	}
	want := []string{"DateStyle=ISO, DMY", "TimeZone=Europe/Paris", "TimeZone=UTC", "application_name=PostgreSQL JDBC Driver"}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("OnSettingChange calls %q, want %q", changes, want)
	}
	changes = nil
	if _, _, err := runSQL(t, s, "RESET ALL"); err != nil {
		t.Fatal(err)
	}
	if got := show(t, s, "DateStyle"); got != "ISO, MDY" {
		t.Errorf("after RESET ALL DateStyle = %q", got)
	}
	if got := show(t, s, "scan_policy"); got != "warn" {
		t.Errorf("after RESET ALL scan_policy = %q", got)
	}
	if !reflect.DeepEqual(changes, []string{"DateStyle=ISO, MDY", "application_name="}) {
		t.Errorf("RESET ALL announced %q", changes)
	}
}

func TestSetErrors(t *testing.T) {
	s := New(newFake(), Config{})
	for _, tc := range []struct{ sql, code, msg string }{
		{"SET colour = 'red'", sqlerr.UndefinedObject, `unrecognized configuration parameter "colour"`},
		{"SHOW colour", sqlerr.UndefinedObject, `unrecognized configuration parameter "colour"`},
		{"SHOW myapp.unset", sqlerr.UndefinedObject, `unrecognized configuration parameter "myapp.unset"`},
		{"SET server_version = '17'", "55P02", `parameter "server_version" cannot be changed`},
		{"RESET integer_datetimes", "55P02", `parameter "integer_datetimes" cannot be changed`},
		{"SET client_encoding = 'LATIN1'", sqlerr.InvalidParameter, `invalid value for parameter "client_encoding": "LATIN1"`},
		{"SET DateStyle = 'SQL, DMY'", sqlerr.InvalidParameter, `invalid value for parameter "DateStyle": "SQL, DMY"`},
		{"SET TimeZone = 'Mars/Olympus'", sqlerr.InvalidParameter, `invalid value for parameter "TimeZone": "Mars/Olympus"`},
		{"SET extra_float_digits = 4", sqlerr.InvalidParameter, `4 is outside the valid range for parameter "extra_float_digits" (-15 .. 3)`},
		{"SET extra_float_digits = 'x'", sqlerr.InvalidParameter, `invalid value for parameter "extra_float_digits": "x"`},
		{"SET statement_timeout = '5 parsecs'", sqlerr.InvalidParameter, `invalid value for parameter "statement_timeout": "5 parsecs"`},
		{"SET statement_timeout = -1", sqlerr.InvalidParameter, `-1 ms is outside the valid range for parameter "statement_timeout" (0 .. 2147483647)`},
		{"SET standard_conforming_strings = off", sqlerr.InvalidParameter, `invalid value for parameter "standard_conforming_strings": "off"`},
		{"SET bytea_output = escape", sqlerr.InvalidParameter, `invalid value for parameter "bytea_output": "escape"`},
		{"SET default_transaction_isolation = 'chaos'", sqlerr.InvalidParameter, `invalid value for parameter "default_transaction_isolation": "chaos"`},
		{"SET application_name = a, b", sqlerr.InvalidParameter, `SET application_name takes only one argument`},
		{"SET consistent_read = maybe", sqlerr.InvalidParameter, `parameter "consistent_read" requires a Boolean value`},
		{"DEALLOCATE s1", "26000", `prepared statement "s1" does not exist`},
		{"ANALYZE nosuch", sqlerr.UndefinedTable, ``},
	} {
		_, _, err := runSQL(t, s, tc.sql)
		if e := sqlerr.As(err); err == nil || e.Code != tc.code || !strings.HasPrefix(e.Message, tc.msg) {
			t.Errorf("%s: %v, want %s %s", tc.sql, err, tc.code, tc.msg)
		}
	}
	if err := s.Set("colour", "red"); sqlerr.Code(err) != sqlerr.UndefinedObject {
		t.Errorf("Set(colour) = %v", err)
	}
}

func TestShowColumnsAndShowAll(t *testing.T) {
	s := New(newFake(), Config{})
	for sql, col := range map[string]string{
		"SHOW datestyle": "DateStyle", "SHOW TIME ZONE": "TimeZone",
		"SHOW TRANSACTION ISOLATION LEVEL": "transaction_isolation", "SHOW segments": "segments",
	} {
		stmt, _ := parser.ParseOne(sql)
		plan, err := s.Plan(context.Background(), stmt)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if !reflect.DeepEqual(plan.Columns, []string{col}) {
			t.Errorf("%s: columns %q, want %s", sql, plan.Columns, col)
		}
	}
	if _, _, err := runSQL(t, s, "SET myapp.x = 1"); err != nil {
		t.Fatal(err)
	}
	rows, _, err := runSQL(t, s, "SHOW ALL")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, r := range rows {
		found[strings.SplitN(r, "|", 2)[0]] = true
	}
	for _, name := range []string{"DateStyle", "TimeZone", "server_version", "scan_policy", "search_path", "myapp.x"} {
		if !found[name] {
			t.Errorf("SHOW ALL lacks %s", name)
		}
	}
}

func TestSessionFunctions(t *testing.T) {
	s := New(newFake(), Config{User: "bob", Database: "shop"})
	rows, _, err := runSQL(t, s, "SELECT version(), pg_catalog.version() AS v2, current_schema(), current_schema, current_database(), "+
		"current_user, session_user, user, current_role, current_setting('TimeZone'), current_setting('nope', true) IS NULL AS missing")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(rows[0], "|")
	if !regexp.MustCompile(`^PostgreSQL \d+\.\d+ \(ddbsql .+\) on DynamoDB$`).MatchString(parts[0]) || parts[0] != parts[1] {
		t.Errorf("version() = %q, %q", parts[0], parts[1])
	}
	if want := []string{"public", "public", "shop", "bob", "bob", "bob", "bob", "UTC", "?"}; !reflect.DeepEqual(parts[2:], want) {
		t.Errorf("got %q, want %q", parts[2:], want)
	}
	rows, _, err = runSQL(t, s, "SELECT set_config('application_name', 'app', false), current_setting('application_name')")
	if err != nil || rows[0] != "app|app" {
		t.Errorf("set_config: %q %v", rows, err)
	}
	if _, _, err := runSQL(t, s, "SELECT current_setting('nope')"); sqlerr.Code(err) != sqlerr.UndefinedObject {
		t.Errorf("current_setting of an unknown setting: %v", err)
	}
	rows, _, err = runSQL(t, s, "SELECT pg_backend_pid() > 0 AS ok, now() = current_timestamp AS same")
	if err != nil || rows[0] != "?|?" {
		t.Errorf("pg_backend_pid, now: %q %v", rows, err)
	}
}
