package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// Script runs SQL scripts (files, -c strings, piped stdin) without prompts:
// each statement is parsed, planned and run in turn, results are written in
// Format to Out, and errors go to Err with the file, line and a caret.
type Script struct {
	Session *session.Session
	Out     io.Writer
	Err     io.Writer
	// Format is the output format name (see format.Names); "" is table.
	Format        string
	FormatOptions format.Options
	// Quiet suppresses command tags and informational lines.
	Quiet bool
	// ContinueOnError runs the remaining statements after a failure.
	ContinueOnError bool
	// Echo prints each statement before running it.
	Echo bool
	// Progress, when set, is cleared after each statement (its Update is
	// the session executor's OnProgress).
	Progress *ProgressLine
}

// ErrStatementFailed is returned (wrapped) by Run when a statement failed;
// the failure itself has already been reported on Err.
var ErrStatementFailed = errors.New("statement failed")

// Run runs every statement of text; name labels error messages (a file
// name, or "-c" / "stdin"). It returns ErrStatementFailed after the first
// failure (or, with ContinueOnError, at the end if any failed), and other
// errors when output cannot be written.
func (s *Script) Run(ctx context.Context, name, text string) error {
	failed := 0
	for _, chunk := range parser.Split(text) {
		if strings.TrimSpace(chunk.Text) == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return sqlerr.Wrap(err, sqlerr.QueryCanceled)
		}
		if s.Echo {
			fmt.Fprintln(s.Out, strings.TrimSpace(chunk.Text)+";")
		}
		err := s.runOne(ctx, chunk.Text)
		if s.Progress != nil {
			s.Progress.Clear()
		}
		if err != nil {
			var out outputError
			if errors.As(err, &out) {
				return out.err
			}
			s.report(name, chunk, err)
			failed++
			if !s.ContinueOnError {
				return fmt.Errorf("%s: %w", name, ErrStatementFailed)
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%s: %d statements failed: %w", name, failed, ErrStatementFailed)
	}
	return nil
}

// outputError marks a failure to write results (not the statement's fault).
type outputError struct{ err error }

func (o outputError) Error() string { return o.err.Error() }

func (s *Script) runOne(ctx context.Context, text string) error {
	stmt, err := parser.ParseOne(text)
	if err != nil {
		return err
	}
	res, err := s.Session.Run(ctx, stmt, nil)
	if err != nil {
		return err
	}
	return s.render(res)
}

func (s *Script) formatName() string {
	if s.Format == "" {
		return "table"
	}
	return s.Format
}

// render writes a result: its rows, or its command tag.
func (s *Script) render(res *executor.Result) error {
	if s.Progress != nil {
		s.Progress.Clear()
	}
	if res.Rows == nil {
		if !s.Quiet && s.formatName() == "table" && res.Tag != "" {
			if _, err := fmt.Fprintln(s.Out, res.Tag); err != nil {
				return outputError{err}
			}
		}
		return nil
	}
	defer res.Rows.Close()
	w, err := format.New(s.formatName(), s.Out, s.FormatOptions)
	if err != nil {
		return err
	}
	if err := w.Begin(res.Columns, res.KeyColumns); err != nil {
		return outputError{err}
	}
	for {
		row, err := res.Rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			// Rows already written stay written; finish the output cleanly.
			_ = w.End()
			return err
		}
		if err := w.Row(row); err != nil {
			return outputError{err}
		}
	}
	if err := w.End(); err != nil {
		return outputError{err}
	}
	return nil
}

// report prints err like psql: ERROR, the statement line with a caret under
// the position, and the hint.
func (s *Script) report(name string, chunk parser.Chunk, err error) {
	fmt.Fprint(s.Err, FormatError(name, chunk, err))
}

// FormatError renders err for a terminal: "name:line: ERROR:  message",
// then the offending line with a caret and any HINT. chunk locates the
// statement within its script.
func FormatError(name string, chunk parser.Chunk, err error) string {
	e := sqlerr.As(err)
	var b strings.Builder
	line := chunk.Pos.Line
	if line == 0 {
		line = 1
	}
	if e.HasPos {
		line += e.Line - 1
	}
	prefix := ""
	if name != "" {
		prefix = fmt.Sprintf("%s:%d: ", name, line)
	}
	fmt.Fprintf(&b, "%sERROR:  %s\n", prefix, e.Message)
	if e.HasPos {
		lines := strings.Split(chunk.Text, "\n")
		if e.Line-1 < len(lines) {
			src := lines[e.Line-1]
			label := fmt.Sprintf("LINE %d: ", line)
			fmt.Fprintf(&b, "%s%s\n", label, src)
			col := e.Column - 1
			if col > len(src) {
				col = len(src)
			}
			if col < 0 {
				col = 0
			}
			// Tabs keep their width under the caret.
			pad := strings.Map(func(r rune) rune {
				if r == '\t' {
					return '\t'
				}
				return ' '
			}, src[:col])
			fmt.Fprintf(&b, "%s%s^\n", strings.Repeat(" ", len(label)), pad)
		}
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, "DETAIL:  %s\n", e.Detail)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "HINT:  %s\n", e.Hint)
	}
	return b.String()
}
