package session

import (
	"strings"
	"testing"

	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestSettings(t *testing.T) {
	s := New(nil, Config{})
	if got := s.Settings()[SettingScanPolicy]; got != string(planner.ScanWarn) {
		t.Fatalf("default scan_policy %q", got)
	}
	for _, c := range []struct{ name, value, want string }{
		{"scan_policy", "DENY", "deny"},
		{"SCAN_POLICY", "allow", "allow"},
		{"segments", "8", "8"},
		{"page_size", "25", "25"},
		{"consistent_read", "on", "on"},
		{"consistent_read", "false", "off"},
	} {
		if err := s.Set(c.name, c.value); err != nil {
			t.Fatalf("Set(%s, %s): %v", c.name, c.value, err)
		}
		if got := s.Settings()[strings.ToLower(c.name)]; got != c.want {
			t.Fatalf("after Set(%s, %s): %q, want %q", c.name, c.value, got, c.want)
		}
	}
	for _, c := range []struct{ name, value, code string }{
		{"scan_policy", "sometimes", sqlerr.InvalidParameter},
		{"segments", "-1", sqlerr.InvalidParameter},
		{"page_size", "ten", sqlerr.InvalidParameter},
		{"consistent_read", "maybe", sqlerr.InvalidParameter},
		{"colour", "red", sqlerr.UndefinedObject},
	} {
		if err := s.Set(c.name, c.value); sqlerr.Code(err) != c.code {
			t.Fatalf("Set(%s, %s) = %v, want SQLSTATE %s", c.name, c.value, err, c.code)
		}
	}
}
