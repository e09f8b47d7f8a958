package repl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// metaCommand is one backslash command: its spelling, its argument synopsis
// and what it does, for \?.
type metaCommand struct {
	name, args, help string
	run              func(s *Script, ctx context.Context, m *metaCall) error
}

// metaCall is one use of a meta-command.
type metaCall struct {
	args  []string
	name  string // script name, for \i
	dir   string // directory of the script, for \i
	depth int    // \i nesting
}

// metaCommands lists the meta-commands in the order \? shows them.
var metaCommands []metaCommand

func init() {
	metaCommands = []metaCommand{
		{`\?`, "", "show this help", (*Script).metaHelp},
		{`\q`, "", "quit", func(*Script, context.Context, *metaCall) error { return ErrQuit }},
		{`\h`, "[STATEMENT]", "syntax of SQL statements (also HELP [STATEMENT])", (*Script).metaSyntax},
		{`\dt`, "[PATTERN]", "list tables (* and ? are wildcards)", (*Script).metaTables},
		{`\d`, "[TABLE]", "describe a table: keys, indexes, billing, TTL, stream, size", (*Script).metaDescribe},
		{`\di`, "[TABLE]", "list the indexes of one table or of every table", (*Script).metaIndexes},
		{`\x`, "[on|off|auto]", "expanded display (one line per column); auto when wider than the terminal", (*Script).metaExpanded},
		{`\timing`, "[on|off]", "show how long each statement takes", (*Script).metaTiming},
		{`\o`, "[FILE]", "send results to FILE, or back to standard output", (*Script).metaOutput},
		{`\i`, "FILE", "run the statements in FILE (relative to the current file)", (*Script).metaInclude},
		{`\ir`, "FILE", "same as \\i", (*Script).metaInclude},
		{`\set`, "[NAME [VALUE]]", "set a setting or variable, or list them all", (*Script).metaSet},
		{`\unset`, "NAME", "unset a variable, or reset a setting", (*Script).metaUnset},
		{`\conninfo`, "", "show what ddbsql is connected to", (*Script).metaConninfo},
		{`\c`, "[URL] [--region R] [--profile P]", "connect to another endpoint (or --endpoint URL), region or profile", (*Script).metaConnect},
		{`\e`, "", "edit the statement being typed, or the last one, in $EDITOR", (*Script).metaEdit},
		{`\watch`, "[SECONDS] [c=COUNT]", "run the last statement every SECONDS (default 2) until Ctrl-C", (*Script).metaWatch},
	}
}

// MetaCommandNames returns the meta-commands' spellings.
func MetaCommandNames() []string {
	names := make([]string, len(metaCommands))
	for i, c := range metaCommands {
		names[i] = c.name
	}
	return names
}

// meta runs one meta-command line (chunk.Text starts with a backslash).
func (s *Script) meta(ctx context.Context, name, dir string, chunk parser.Chunk, depth int) error {
	word, rest, _ := strings.Cut(chunk.Text, " ")
	rest, _ = substitute(rest, inText, s.Vars)
	args, err := metaArgs(rest)
	if err == nil {
		err = sqlerr.New(sqlerr.SyntaxError, "invalid command %s", word).WithHint(`\? lists the commands`)
		for _, c := range metaCommands {
			if c.name == word {
				err = c.run(s, ctx, &metaCall{args: args, name: name, dir: dir, depth: depth})
				break
			}
		}
	}
	if err == nil || err == ErrQuit {
		return err
	}
	if sqlerr.Code(err) == sqlerr.QueryCanceled && ctx.Err() != nil {
		return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled)
	}
	if isScriptStop(err) {
		return err
	}
	var out outputError
	if errors.As(err, &out) {
		return out.err
	}
	return s.fail(name, parser.Chunk{Text: chunk.Text, Pos: chunk.Pos}, err)
}

// metaArgs splits a meta-command's arguments at white space; 'single' and
// "double" quotes group words (a doubled quote inside single quotes stands for one) and are
// removed.
func metaArgs(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			inWord = true
			for i++; ; i++ {
				if i >= len(s) {
					return nil, sqlerr.New(sqlerr.SyntaxError, "unterminated quoted string in %q", s)
				}
				if s[i] == c {
					if i+1 < len(s) && s[i+1] == c {
						cur.WriteByte(c)
						i++
						continue
					}
					break
				}
				cur.WriteByte(s[i])
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
}

func (s *Script) metaHelp(_ context.Context, _ *metaCall) error {
	w := s.output()
	fmt.Fprintln(w, "General")
	for _, c := range metaCommands {
		left := strings.TrimSpace(c.name + " " + c.args)
		if len(left) > 24 {
			fmt.Fprintf(w, "  %s\n  %-24s %s\n", left, "", c.help)
			continue
		}
		fmt.Fprintf(w, "  %-24s %s\n", left, c.help)
	}
	fmt.Fprintln(w, "\nSettings (\\set NAME VALUE)")
	for _, line := range settingHelp {
		fmt.Fprintf(w, "  %-24s %s\n", line[0], line[1])
	}
	fmt.Fprintln(w, "\nVariables: \\set NAME VALUE or -v NAME=VALUE; :NAME, :'NAME' (a quoted string)\nand :\"NAME\" (a quoted name) are replaced in SQL.")
	fmt.Fprintln(w, "\nStatements end with ';'. Ctrl-C cancels a running statement, Ctrl-D quits.")
	return nil
}

// settingHelp describes the settings \set knows.
var settingHelp = [][2]string{
	{"scan_policy", "allow, warn or deny statements that scan a whole table"},
	{"segments", "parallel scan segments (0: chosen from the table size)"},
	{"consistent_read", "on: strongly consistent reads (table and local indexes)"},
	{"format", "output format: " + strings.Join(format.Names(), ", ")},
	{"max_rows", "stop each result after this many rows (0: no limit)"},
}

func (s *Script) metaSyntax(_ context.Context, m *metaCall) error {
	return s.help(strings.Join(m.args, " "))
}

// metaEdit is \e in a script, where there is no terminal for the editor;
// the Shell handles \e itself.
func (s *Script) metaEdit(_ context.Context, _ *metaCall) error {
	return sqlerr.New(sqlerr.InvalidParameter, `\e needs the interactive shell`)
}

func (s *Script) metaConninfo(_ context.Context, _ *metaCall) error {
	info := s.ConnInfo
	if info == "" {
		info = "connected to DynamoDB"
	}
	fmt.Fprintln(s.output(), info)
	return nil
}

// onOff reads an optional on/off argument; no argument toggles cur.
func onOff(cmd string, args []string, cur bool) (bool, error) {
	if len(args) == 0 {
		return !cur, nil
	}
	switch strings.ToLower(args[0]) {
	case "on", "true", "yes", "1":
		return true, nil
	case "off", "false", "no", "0":
		return false, nil
	}
	return cur, sqlerr.New(sqlerr.InvalidParameter, "unrecognized value %q for %s: want on or off", args[0], cmd)
}

func (s *Script) metaExpanded(_ context.Context, m *metaCall) error {
	if len(m.args) > 0 && strings.EqualFold(m.args[0], "auto") {
		s.FormatOptions.Expanded, s.ExpandedAuto = false, true
	} else {
		on, err := onOff(`\x`, m.args, s.FormatOptions.Expanded || s.ExpandedAuto)
		if err != nil {
			return err
		}
		s.FormatOptions.Expanded, s.ExpandedAuto = on, false
	}
	s.info("Expanded display is %s.", s.expandedMode())
	return nil
}

func (s *Script) expandedMode() string {
	switch {
	case s.ExpandedAuto:
		return "used automatically"
	case s.FormatOptions.Expanded:
		return "on"
	}
	return "off"
}

func (s *Script) metaTiming(_ context.Context, m *metaCall) error {
	on, err := onOff(`\timing`, m.args, s.Timing)
	if err != nil {
		return err
	}
	s.Timing = on
	s.info("Timing is %s.", map[bool]string{true: "on", false: "off"}[on])
	return nil
}

// info prints an informational line unless Quiet.
func (s *Script) info(f string, args ...any) {
	if !s.Quiet {
		fmt.Fprintf(s.output(), f+"\n", args...)
	}
}

func (s *Script) metaOutput(_ context.Context, m *metaCall) error {
	if err := s.Close(); err != nil {
		return err
	}
	if len(m.args) == 0 {
		return nil
	}
	f, err := os.Create(m.args[0])
	if err != nil {
		return sqlerr.New(sqlerr.InvalidParameter, "%v", err)
	}
	s.outFile, s.out = f, f
	return nil
}

func (s *Script) metaInclude(ctx context.Context, m *metaCall) error {
	if len(m.args) != 1 {
		return sqlerr.New(sqlerr.SyntaxError, `\i needs one file name`)
	}
	if m.depth >= maxIncludeDepth {
		return sqlerr.New(sqlerr.InvalidParameter, `\i nested more than %d deep (does a file include itself?)`, maxIncludeDepth)
	}
	path := m.args[0]
	if !filepath.IsAbs(path) {
		path = filepath.Join(m.dir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return sqlerr.New(sqlerr.InvalidParameter, "%v", err)
	}
	if err := s.runSource(ctx, path, filepath.Dir(path), string(data), m.depth+1); err != nil {
		return scriptStop{err}
	}
	return nil
}

// scriptStop carries the outcome of an included file: a failure inside it
// has been reported already and must not be reported again.
type scriptStop struct{ err error }

func (e scriptStop) Error() string { return e.err.Error() }
func (e scriptStop) Unwrap() error { return e.err }

func isScriptStop(err error) bool {
	_, ok := err.(scriptStop)
	return ok
}

// metaSet handles \set: no argument lists settings and variables; a
// setting's name changes it; any other name sets a variable.
func (s *Script) metaSet(_ context.Context, m *metaCall) error {
	if len(m.args) == 0 {
		s.listSettings()
		return nil
	}
	name, value := m.args[0], strings.Join(m.args[1:], "")
	return s.Set(name, value)
}

// Set changes a setting (the session's: scan_policy, segments,
// consistent_read; the script's: format, max_rows) or sets a variable.
func (s *Script) Set(name, value string) error {
	lower := strings.ToLower(name)
	if isSessionSetting(lower) {
		if s.defaults == nil {
			s.defaults = s.Session.Settings()
		}
		return s.Session.Set(lower, value)
	}
	switch lower {
	case "format":
		if _, err := format.New(value, nil, s.FormatOptions); err != nil {
			return err
		}
		s.Format = strings.ToLower(value)
	case "max_rows":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return sqlerr.New(sqlerr.InvalidParameter, "invalid max_rows %q: want a number of rows (0: no limit)", value)
		}
		s.MaxRows = n
	default:
		if !isVarName(name) {
			return sqlerr.New(sqlerr.InvalidParameter, "invalid variable name %q: use letters, digits and _", name)
		}
		if s.Vars == nil {
			s.Vars = map[string]string{}
		}
		s.Vars[name] = value
	}
	return nil
}

// isSessionSetting reports whether name is one of the session's settings
// (scan_policy, segments, consistent_read, ...), which Session.Set changes.
func isSessionSetting(name string) bool {
	for _, n := range session.SettingNames() {
		if n == name {
			return true
		}
	}
	return false
}

func (s *Script) metaUnset(_ context.Context, m *metaCall) error {
	if len(m.args) != 1 {
		return sqlerr.New(sqlerr.SyntaxError, `\unset needs one name`)
	}
	lower := strings.ToLower(m.args[0])
	if isSessionSetting(lower) {
		if s.defaults == nil {
			return nil
		}
		return s.Session.Set(lower, s.defaults[lower])
	}
	switch lower {
	case "format":
		s.Format = ""
	case "max_rows":
		s.MaxRows = 0
	default:
		delete(s.Vars, m.args[0])
	}
	return nil
}

func (s *Script) listSettings() {
	all := s.Session.Settings()
	all["format"] = s.formatName()
	all["max_rows"] = strconv.Itoa(s.MaxRows)
	for k, v := range s.Vars {
		all[k] = v
	}
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(s.output(), "%s = %s\n", k, quote(all[k], '\''))
	}
}
