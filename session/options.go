package session

import (
	"slices"
	"strings"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// A statement's trailing WITH (name = value, ...) clause sets ddbsql's own
// settings (SettingNames) for that statement alone:
//
//	DELETE FROM t WHERE ts < 5 WITH (allow_full_table_write = on)
//	INSERT INTO t2 SELECT * FROM t WITH (write_capacity = 100, segments = 8)
//
// It is planned and run as if SET name = value had been run just before
// it and RESET just after, without touching the session's values. Each
// value goes through its setting's check, so it is refused exactly as SET
// would refuse it; a setting that shapes plans applies to a copy of the
// session's planner options, and every value also travels with the plan
// (planner.Plan.Settings) for the executor, which reads run-time settings
// such as write_capacity there first. A setting added to settingList with
// an apply (or, for a run-time setting, listed in SettingNames) works in
// the clause as it does in SET.

// statementOptions applies a statement's WITH options to opts, a copy of
// the session's planner options, and returns the options to plan it
// with and the normalised values by setting name (nil without options).
// An unknown name is an error with SQLSTATE 42704, a bad value one with
// 22023; both carry the option's position.
func (s *Session) statementOptions(opts planner.Options, list []parser.StatementOption) (planner.Options, map[string]string, error) {
	if len(list) == 0 {
		return opts, nil, nil
	}
	values := make(map[string]string, len(list))
	for _, o := range list {
		st, ok := lookupSetting(o.Name)
		if !ok || !isStatementOption(st) {
			return opts, nil, atPos(sqlerr.New(sqlerr.UndefinedObject, "unrecognized statement option %q", o.Name).
				WithHint("statement options are ddbsql's settings: %s", strings.Join(statementOptionNames(), ", ")), o.Pos)
		}
		v := o.Value.Text
		if st.check != nil {
			s.mu.Lock()
			checked, err := st.check(s, v)
			s.mu.Unlock()
			if err != nil {
				return opts, nil, atPos(err, o.Pos)
			}
			v = checked
		}
		if st.apply != nil {
			st.apply(&opts, v)
		}
		values[strings.ToLower(st.name)] = v
	}
	return opts, values, nil
}

// isStatementOption reports whether a WITH clause may set st: ddbsql's own
// settings, those that shape plans (an apply) and the run-time ones
// SettingNames lists, not PostgreSQL's.
func isStatementOption(st *setting) bool {
	return st.apply != nil || slices.Contains(SettingNames(), strings.ToLower(st.name))
}

// statementOptionNames lists the settings a WITH clause accepts, sorted.
func statementOptionNames() []string {
	var names []string
	for _, st := range settingList {
		if isStatementOption(st) {
			names = append(names, strings.ToLower(st.name))
		}
	}
	slices.Sort(names)
	return names
}
