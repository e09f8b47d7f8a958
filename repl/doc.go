// Package repl holds ddbsql's terminal front ends. Script runs SQL from
// files, -c strings and piped input without prompts, stopping at the first
// error with the file and line; Shell is the interactive prompt (line
// editing, history, completion, Ctrl-C cancelling the running statement).
// Both understand psql-style meta-commands (\d, \x, \i, \set, ...) and
// variables (:name, :'name', :"name"). FormatError renders an error the way
// psql does, with the statement line and a caret under the position.
//
// Example:
//
//	sc := &repl.Script{Session: sess, Out: os.Stdout, Err: os.Stderr, Format: "table",
//		Vars: map[string]string{"tbl": "Users"}}
//	err := sc.Run(ctx, "migrate.sql", text)
//	// errors.Is(err, repl.ErrStatementFailed) when a statement failed.
//
//	sh := &repl.Shell{Script: sc, HistoryFile: "/home/me/.ddbsql_history", Interrupt: sigint}
//	err = sh.Run(ctx) // until \q or Ctrl-D
package repl
