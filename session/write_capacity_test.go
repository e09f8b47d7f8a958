package session

import (
	"testing"

	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestWriteCapacitySetting(t *testing.T) {
	s := New(newFake(), Config{})
	if got := show(t, s, "write_capacity"); got != "0" {
		t.Errorf("default write_capacity %q, want 0 (no limit)", got)
	}
	if _, _, err := runSQL(t, s, "SET write_capacity = 250.5"); err != nil {
		t.Fatal(err)
	}
	if got := show(t, s, "write_capacity"); got != "250.5" {
		t.Errorf("write_capacity %q after SET, want 250.5", got)
	}
	// The executor reads it through the session, as current_setting does.
	if got, err := (sessionInfo{s}).Get(SettingWriteCapacity); err != nil || got != "250.5" {
		t.Errorf("executor sees %q, %v", got, err)
	}
	if got := s.Settings()[SettingWriteCapacity]; got != "250.5" {
		t.Errorf("Settings() has %q", got)
	}
	for _, bad := range []string{"-1", "lots", "NaN"} {
		_, _, err := runSQL(t, s, "SET write_capacity = '"+bad+"'")
		if e := sqlerr.As(err); err == nil || e.Code != sqlerr.InvalidParameter {
			t.Errorf("SET write_capacity = %q: %v, want 22023", bad, err)
		}
	}
}
