// Package repl holds ddbsql's terminal front ends. Script runs SQL from
// files, -c strings and piped input without prompts, stopping at the first
// error with the file and line; FormatError renders an error the way psql
// does, with the statement line and a caret under the position.
//
// Example:
//
//	sc := &repl.Script{Session: sess, Out: os.Stdout, Err: os.Stderr, Format: "table"}
//	err := sc.Run(ctx, "migrate.sql", text)
//	// errors.Is(err, repl.ErrStatementFailed) when a statement failed.
package repl
