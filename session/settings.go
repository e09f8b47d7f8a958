package session

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// A session has two kinds of settings, read and changed alike by SET,
// SHOW, RESET, Set and Get: ddbsql's own (scan_policy, segments,
// consistent_read, page_size, allow_full_table_write), which shape plans,
// and PostgreSQL's, which clients send at connect and read back. The
// PostgreSQL ones keep PostgreSQL's names, defaults and value checks;
// values ddbsql cannot honour (another encoding, a non-ISO DateStyle) are
// refused rather than accepted and ignored.

// setting describes one setting.
type setting struct {
	name string // canonical spelling, as SHOW ALL lists it
	desc string
	// reported settings are sent to wire clients (ParameterStatus) at
	// connect and whenever they change.
	reported bool
	// fixed settings cannot be changed (55P02).
	fixed bool
	// list settings take several values (SET search_path = a, b).
	list bool
	// def is the default value.
	def func(s *Session) string
	// check validates a value and returns it normalised; nil accepts any.
	check func(s *Session, value string) (string, error)
	// apply makes a checked value take effect in the planner's options
	// (ddbsql's settings that shape plans): the session's, after SET, or
	// one statement's, for its WITH clause. Nil settings are only stored.
	apply func(o *planner.Options, value string)
	// get computes the value instead of reading the stored one.
	get func(s *Session) string
}

func constant(v string) func(*Session) string { return func(*Session) string { return v } }

// settings are the settings a session knows, by lower-case name.
var settings = map[string]*setting{}

func init() {
	for _, st := range settingList {
		settings[strings.ToLower(st.name)] = st
	}
}

// ReportedSettings returns the names of the settings a wire server sends as
// ParameterStatus at connect, and again when SET, RESET or DISCARD changes
// one (see Session.OnSettingChange).
func ReportedSettings() []string {
	var out []string
	for _, st := range settingList {
		if st.reported {
			out = append(out, st.name)
		}
	}
	return out
}

// isolationLevels are the levels SET TRANSACTION accepts.
var isolationLevels = []string{"serializable", "repeatable read", "read committed", "read uncommitted"}

// defaultIsolation is the isolation ddbsql reports. A BEGIN ... COMMIT
// block's writes become one TransactWriteItems, which DynamoDB serializes,
// but its reads are single strongly consistent reads, and a Query or Scan
// sees each item as last committed, not a snapshot. Of PostgreSQL's
// levels, read committed describes what a statement sees without
// promising more; the stronger levels are accepted and reported as set.
const defaultIsolation = "read committed"

var settingList = []*setting{
	// ddbsql's own.
	{name: SettingScanPolicy, desc: "What a statement without a key condition does: allow, warn or deny a full scan.",
		def: func(s *Session) string { return string(s.opts.ScanPolicy) },
		check: func(_ *Session, v string) (string, error) {
			p, err := planner.ParseScanPolicy(v)
			return string(p), err
		},
		apply: func(o *planner.Options, v string) { o.ScanPolicy = planner.ScanPolicy(v) }},
	{name: SettingSegments, desc: "Parallel segments of a Scan (0 chooses from the table size).",
		def: func(s *Session) string { return strconv.Itoa(s.opts.Segments) },
		check: func(_ *Session, v string) (string, error) {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 1000000 {
				return "", sqlerr.New(sqlerr.InvalidParameter, "invalid segments %q: want a number of parallel scan segments (0 chooses from the table size)", v)
			}
			return strconv.Itoa(n), nil
		},
		apply: func(o *planner.Options, v string) { o.Segments, _ = strconv.Atoi(v) }},
	{name: SettingConsistentRead, desc: "Strongly consistent reads of tables and local indexes.",
		def:   func(s *Session) string { return onOff(s.opts.ConsistentRead) },
		check: boolCheck(SettingConsistentRead),
		apply: func(o *planner.Options, v string) { o.ConsistentRead = v == "on" }},
	{name: SettingPageSize, desc: "Items per Query or Scan page (0: DynamoDB's 1 MB pages).",
		def: func(s *Session) string { return strconv.Itoa(s.opts.PageSize) },
		check: func(_ *Session, v string) (string, error) {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return "", sqlerr.New(sqlerr.InvalidParameter, "invalid page_size %q: want the items per Query or Scan page (0: DynamoDB's 1 MB pages)", v)
			}
			return strconv.Itoa(n), nil
		},
		apply: func(o *planner.Options, v string) { o.PageSize, _ = strconv.Atoi(v) }},
	{name: SettingInsertBatch, desc: "Items per TransactWriteItems of an INSERT of several items (1: one PutItem each).",
		def: func(s *Session) string { return strconv.Itoa(insertBatchOf(s.opts)) },
		check: func(_ *Session, v string) (string, error) {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 || n > planner.DefaultInsertBatch {
				return "", sqlerr.New(sqlerr.InvalidParameter, "invalid insert_batch %q: want the items of an INSERT put in one TransactWriteItems, 1 to %d (1: one PutItem each)", v, planner.DefaultInsertBatch)
			}
			return strconv.Itoa(n), nil
		},
		apply: func(o *planner.Options, v string) { o.InsertBatch, _ = strconv.Atoi(v) }},
	{name: SettingAllowFullTableWrite, desc: "Lets UPDATE and DELETE write every item of a table.",
		def:   func(s *Session) string { return onOff(s.opts.AllowFullTableWrite) },
		check: boolCheck(SettingAllowFullTableWrite),
		apply: func(o *planner.Options, v string) { o.AllowFullTableWrite = v == "on" }},
	{name: SettingWriteCapacity, desc: "Write capacity units per second one statement's writes may consume (0: no limit).",
		def: constant("0"),
		check: func(_ *Session, v string) (string, error) {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
				return "", sqlerr.New(sqlerr.InvalidParameter, "invalid write_capacity %q: want the write capacity units per second a statement may consume (0: no limit)", v)
			}
			return strconv.FormatFloat(f, 'f', -1, 64), nil
		}},
	{name: SettingMarkUpdates, desc: "In a migration, marks each item an UPDATE whose SET reads the item updates, so that a rerun does not update it twice (off: no marks and no second pass).",
		def: constant("on"), check: boolCheck(SettingMarkUpdates)},

	// PostgreSQL's, reported to wire clients.
	{name: "server_version", desc: "Shows the server version.", reported: true, fixed: true, def: constant(executor.PostgresVersion)},
	{name: "server_encoding", desc: "Shows the server (database) character set encoding.", reported: true, fixed: true, def: constant("UTF8")},
	{name: "client_encoding", desc: "Sets the client's character set encoding.", reported: true, def: constant("UTF8"),
		check: func(_ *Session, v string) (string, error) {
			switch strings.ToUpper(strings.ReplaceAll(v, "-", "")) {
			case "UTF8", "UNICODE":
				return "UTF8", nil
			}
			return "", invalidValue("client_encoding", v).WithHint("ddbsql speaks UTF8 only")
		}},
	{name: "DateStyle", desc: "Sets the display format for date and time values.", reported: true, list: true,
		def: constant("ISO, MDY"), check: checkDateStyle},
	{name: "IntervalStyle", desc: "Sets the display format for interval values.", reported: true, def: constant("postgres"),
		check: oneOf("IntervalStyle", "postgres", "postgres_verbose", "sql_standard", "iso_8601")},
	{name: "integer_datetimes", desc: "Shows whether datetimes are integer based.", reported: true, fixed: true, def: constant("on")},
	{name: "standard_conforming_strings", desc: "Causes '...' strings to treat backslashes literally.", reported: true, def: constant("on"),
		check: func(s *Session, v string) (string, error) {
			b, err := boolCheck("standard_conforming_strings")(s, v)
			if err == nil && b != "on" {
				return "", invalidValue("standard_conforming_strings", v).WithHint("ddbsql's strings never treat a backslash as an escape")
			}
			return b, err
		}},
	{name: "TimeZone", desc: "Sets the time zone for displaying and interpreting time stamps.", reported: true, def: constant("UTC"),
		check: func(_ *Session, v string) (string, error) {
			loc, err := executor.LoadLocation(v)
			if err != nil || v == "" {
				return "", invalidValue("TimeZone", v).WithHint("use an IANA time zone name such as UTC or Europe/Paris")
			}
			if loc.String() == "UTC" {
				return "UTC", nil
			}
			return v, nil
		}},
	{name: "application_name", desc: "Sets the application name to be reported in statistics and logs.", reported: true, def: constant(""),
		check: func(_ *Session, v string) (string, error) { return cleanName(v), nil }},
	{name: "is_superuser", desc: "Shows whether the current user is a superuser.", reported: true, fixed: true, def: constant("off")},
	{name: "session_authorization", desc: "Sets the session user name.", reported: true, fixed: true,
		def: func(s *Session) string { return s.user }},
	{name: "default_transaction_read_only", desc: "Sets the default read-only status of new transactions.", reported: true,
		def: func(s *Session) string { return onOff(s.readOnly) },
		check: func(s *Session, v string) (string, error) {
			b, err := boolCheck("default_transaction_read_only")(s, v)
			if err == nil && b == "off" && s.readOnly {
				return "", sqlerr.New(sqlerr.ReadOnlyTransaction, "cannot set default_transaction_read_only to off: the session was opened read-only")
			}
			return b, err
		}},
	{name: "in_hot_standby", desc: "Shows whether hot standby is currently active.", reported: true, fixed: true, def: constant("off")},

	// PostgreSQL's, not reported.
	{name: "server_version_num", desc: "Shows the server version as an integer.", fixed: true, def: constant(versionNum())},
	{name: "max_identifier_length", desc: "Shows the maximum identifier length.", fixed: true, def: constant("63")},
	{name: "extra_float_digits", desc: "Sets the number of digits displayed for floating-point values.", def: constant("1"),
		check: intRange("extra_float_digits", -15, 3)},
	{name: "search_path", desc: "Sets the schema search order for names that are not schema-qualified.", list: true, def: constant(`"$user", public`)},
	{name: "statement_timeout", desc: "Sets the maximum allowed duration of any statement.", def: constant("0"), check: durationCheck("statement_timeout")},
	{name: "lock_timeout", desc: "Sets the maximum allowed duration of any wait for a lock (DynamoDB holds no locks).", def: constant("0"), check: durationCheck("lock_timeout")},
	{name: "idle_in_transaction_session_timeout", desc: "Sets the maximum allowed idle time between queries, when in a transaction.", def: constant("0"),
		check: durationCheck("idle_in_transaction_session_timeout")},
	{name: "default_transaction_isolation", desc: "Sets the transaction isolation level of each new transaction.", def: constant(defaultIsolation),
		check: oneOf("default_transaction_isolation", isolationLevels...)},
	{name: "transaction_isolation", desc: "Sets the current transaction's isolation level.",
		check: oneOf("transaction_isolation", isolationLevels...), get: func(s *Session) string { return s.txIsolation() }},
	{name: "transaction_read_only", desc: "Sets the current transaction's read-only status.",
		check: boolCheck("transaction_read_only"), get: func(s *Session) string { return onOff(s.readOnlyNow()) }},
	{name: "default_transaction_deferrable", desc: "Sets the default deferrable status of new transactions.", def: constant("off"),
		check: boolCheck("default_transaction_deferrable")},
	{name: "transaction_deferrable", desc: "Whether to defer a read-only serializable transaction until it can be executed with no possible serialization failures.",
		check: boolCheck("transaction_deferrable"), get: func(s *Session) string { return s.txDeferrable() }},
	{name: "bytea_output", desc: "Sets the output format for bytea.", def: constant("hex"),
		check: func(_ *Session, v string) (string, error) {
			if strings.EqualFold(v, "hex") {
				return "hex", nil
			}
			return "", invalidValue("bytea_output", v).WithHint("ddbsql writes bytea in hex only")
		}},
	{name: "client_min_messages", desc: "Sets the message levels that are sent to the client.", def: constant("notice"),
		check: oneOf("client_min_messages", "debug5", "debug4", "debug3", "debug2", "debug1", "debug", "log", "notice", "warning", "error")},
}

// versionNum is server_version_num for PostgresVersion ("16.0" → 160000).
func versionNum() string {
	major, minor, _ := strings.Cut(executor.PostgresVersion, ".")
	a, _ := strconv.Atoi(major)
	b, _ := strconv.Atoi(minor)
	return strconv.Itoa(a*10000 + b)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// invalidValue is PostgreSQL's error for a value a setting refuses.
func invalidValue(name, v string) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidParameter, "invalid value for parameter %q: %q", name, v)
}

// boolCheck parses a boolean setting as PostgreSQL does: on, off, true,
// false, yes, no, 1, 0 (any case).
func boolCheck(name string) func(*Session, string) (string, error) {
	return func(_ *Session, v string) (string, error) {
		b, err := parseOnOff(name, v)
		if err != nil {
			return "", sqlerr.New(sqlerr.InvalidParameter, "parameter %q requires a Boolean value", name)
		}
		return onOff(b), nil
	}
}

// oneOf accepts one of values, in any case.
func oneOf(name string, values ...string) func(*Session, string) (string, error) {
	return func(_ *Session, v string) (string, error) {
		for _, ok := range values {
			if strings.EqualFold(strings.Join(strings.Fields(v), " "), ok) {
				return ok, nil
			}
		}
		return "", invalidValue(name, v).WithHint("Available values: %s.", strings.Join(values, ", "))
	}
}

// intRange accepts an integer in [lo, hi].
func intRange(name string, lo, hi int) func(*Session, string) (string, error) {
	return func(_ *Session, v string) (string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return "", sqlerr.New(sqlerr.InvalidParameter, "invalid value for parameter %q: %q", name, v)
		}
		if n < lo || n > hi {
			return "", sqlerr.New(sqlerr.InvalidParameter, "%d is outside the valid range for parameter %q (%d .. %d)", n, name, lo, hi)
		}
		return strconv.Itoa(n), nil
	}
}

// durationUnits are the units of time settings, in milliseconds, largest
// first (the order SHOW picks a unit in).
var durationUnits = []struct {
	name string
	ms   int64
}{{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}, {"ms", 1}}

// parseMillis reads a time setting: a number of milliseconds or a number
// with a unit (5s, 100ms, 2min, 1h, 1d, 500us).
func parseMillis(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.' || (i == 0 && (v[i] == '-' || v[i] == '+'))) {
		i++
	}
	f, err := strconv.ParseFloat(v[:i], 64)
	if err != nil {
		return 0, false
	}
	unit := strings.TrimSpace(v[i:])
	switch unit {
	case "", "ms":
		return int64(f + 0.5*sign(f)), true
	case "us":
		return int64(f/1000 + 0.5*sign(f)), true
	}
	for _, u := range durationUnits {
		if unit == u.name {
			return int64(f*float64(u.ms) + 0.5*sign(f)), true
		}
	}
	return 0, false
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

// formatMillis writes milliseconds as SHOW does: in the largest unit that
// divides them, 0 for none.
func formatMillis(ms int64) string {
	if ms == 0 {
		return "0"
	}
	for _, u := range durationUnits {
		if ms%u.ms == 0 {
			return strconv.FormatInt(ms/u.ms, 10) + u.name
		}
	}
	return strconv.FormatInt(ms, 10) + "ms"
}

// durationCheck accepts a time setting from 0 to PostgreSQL's maximum.
func durationCheck(name string) func(*Session, string) (string, error) {
	return func(_ *Session, v string) (string, error) {
		ms, ok := parseMillis(v)
		if !ok {
			return "", invalidValue(name, v).WithHint("Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".")
		}
		if ms < 0 || ms > 2147483647 {
			return "", sqlerr.New(sqlerr.InvalidParameter, "%d ms is outside the valid range for parameter %q (0 .. 2147483647)", ms, name)
		}
		return formatMillis(ms), nil
	}
}

// checkDateStyle accepts the ISO output style with any field order: ISO,
// MDY (the default), ISO, DMY (also Euro, European), ISO, YMD. Other
// output styles (Postgres, SQL, German) are refused: ddbsql writes dates in
// ISO 8601 only.
func checkDateStyle(s *Session, v string) (string, error) {
	style, order := "ISO", ""
	if cur, ok := s.values["datestyle"]; ok {
		if _, o, found := strings.Cut(cur, ", "); found {
			order = o
		}
	}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		switch strings.ToLower(f) {
		case "iso":
		case "mdy", "us", "noneuropean", "non-european":
			order = "MDY"
		case "dmy", "euro", "european":
			order = "DMY"
		case "ymd":
			order = "YMD"
		case "default":
			order = "MDY"
		default:
			return "", invalidValue("DateStyle", v).WithHint("ddbsql writes dates in ISO 8601 only: DateStyle ISO with MDY, DMY or YMD")
		}
	}
	if order == "" {
		order = "MDY"
	}
	return style + ", " + order, nil
}

// cleanName is application_name as PostgreSQL keeps it: printable ASCII
// (others become ?), at most 63 bytes.
func cleanName(v string) string {
	b := []byte(v)
	for i, c := range b {
		if c < 32 || c > 126 {
			b[i] = '?'
		}
	}
	if len(b) > 63 {
		b = b[:63]
	}
	return string(b)
}

// lookupSetting finds a setting by name in any case. A dotted name that is
// not one (myapp.tenant) is a custom setting, which PostgreSQL lets any
// SET create.
func lookupSetting(name string) (*setting, bool) {
	st, ok := settings[strings.ToLower(name)]
	return st, ok
}

func unrecognized(name string) *sqlerr.Error {
	return sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name)
}

// showAllRows lists every setting (ddbsql's, PostgreSQL's and custom
// ones) with its value and description, by name.
func (s *Session) showAllRows() [][3]string {
	var rows [][3]string
	for _, st := range settingList {
		rows = append(rows, [3]string{st.name, s.valueOf(st), st.desc})
	}
	for name, v := range s.values {
		if _, known := settings[name]; !known {
			rows = append(rows, [3]string{name, v, "custom setting"})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return strings.ToLower(rows[i][0]) < strings.ToLower(rows[j][0]) })
	return rows
}

// valueOf is a setting's current value.
func (s *Session) valueOf(st *setting) string {
	if st.get != nil {
		return st.get(s)
	}
	return s.values[strings.ToLower(st.name)]
}

// insertBatchOf is the insert_batch options stand for (0: the planner's
// default).
func insertBatchOf(o planner.Options) int {
	if o.InsertBatch <= 0 {
		return planner.DefaultInsertBatch
	}
	return o.InsertBatch
}
