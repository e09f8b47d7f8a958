package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// Script runs SQL scripts (files, -c strings, piped stdin) without prompts:
// each statement is parsed, planned and run in turn, results are written in
// Format to Out, and errors go to Err with the file, line and a caret. Lines
// starting with a backslash are meta-commands (see Help), shared with the
// interactive Shell, and psql-style variables (:name, :'name', :"name") are
// substituted in SQL text.
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
	// Vars are the variables set with -v and \set.
	Vars map[string]string
	// Stdin, when set, supplies the data of a COPY ... FROM STDIN whose
	// data does not follow it in the script — a -c command, as in
	// `ddbsql -c "COPY t FROM STDIN (FORMAT csv, HEADER)" < t.csv`.
	Stdin io.Reader
	// Timing prints how long each statement took (\timing), and the
	// capacity units it consumed when DynamoDB reported them.
	Timing bool
	// capacity is what the last statement consumed.
	capacity float64
	// ExpandedAuto chooses expanded display for results wider than the
	// terminal (\x auto); it needs Terminal.
	ExpandedAuto bool
	// MaxRows, when positive, stops a result after that many rows.
	MaxRows int
	// ConnInfo is what \conninfo prints.
	ConnInfo string
	// Terminal, when set, describes the terminal Out is, for \x auto and
	// the pager. Scripts whose output is not a terminal leave it nil.
	Terminal *Terminal
	// OnRow, when set, sees every row rendered (tab completion learns
	// attribute names from it).
	OnRow func(executor.Item)
	// Connection is where Session is connected; \c changes the parts it
	// names.
	Connection Connection
	// Connect, when set, opens the session \c switches to and returns it
	// with what \conninfo prints for it. It fails when the endpoint does
	// not answer.
	Connect func(ctx context.Context, to Connection) (sess *session.Session, info string, err error)

	out      io.Writer // Out, or the file \o chose
	outFile  *os.File
	failures int
	defaults map[string]string // session settings before the first \set
	last     string            // the last SQL statement run, for \watch and \e
	shell    bool              // run by the interactive Shell (for hints)
	// copyIn supplies the data of COPY ... FROM STDIN: the lines after the
	// statement in a script, or lines typed at the shell's ">> " prompt.
	copyIn executor.CopyInSource
}

// Connection says which DynamoDB a session talks to; empty fields leave
// the choice to the AWS configuration.
type Connection struct {
	Endpoint, Region, Profile string
}

// ErrStatementFailed is returned (wrapped) by Run when a statement failed;
// the failure itself has already been reported on Err.
var ErrStatementFailed = errors.New("statement failed")

// ErrQuit is returned by Run when the script ran \q.
var ErrQuit = errors.New("quit")

// maxIncludeDepth bounds \i nesting, so a file including itself fails.
const maxIncludeDepth = 16

// Run runs every statement and meta-command of text; name labels error
// messages (a file name, or "-c" / "stdin") and, for a file, locates the
// files its \i commands name. It returns ErrStatementFailed after the first
// failure (or, with ContinueOnError, at the end if any failed), ErrQuit
// after \q, an error with code QueryCanceled when ctx was cancelled, and
// other errors when output cannot be written.
func (s *Script) Run(ctx context.Context, name, text string) error {
	s.failures = 0
	dir := "."
	if name != "-c" && name != "stdin" && name != "-" {
		dir = filepath.Dir(name)
	}
	if err := s.runSource(ctx, name, dir, text, 0); err != nil {
		if errors.Is(err, ErrQuit) && s.failures > 0 {
			return fmt.Errorf("%s: %d statements failed: %w", name, s.failures, errors.Join(ErrStatementFailed, ErrQuit))
		}
		return err
	}
	if s.failures > 0 {
		return fmt.Errorf("%s: %d statements failed: %w", name, s.failures, ErrStatementFailed)
	}
	return nil
}

// Close closes the file \o opened, if any.
func (s *Script) Close() error {
	if s.outFile != nil {
		err := s.outFile.Close()
		s.outFile, s.out = nil, nil
		return err
	}
	return nil
}

// runSource runs one script: SQL lines are gathered into statements, lines
// starting with a backslash outside quotes and comments are meta-commands.
func (s *Script) runSource(ctx context.Context, name, dir, text string, depth int) error {
	var buf strings.Builder
	bufLine := 0 // the script line buf starts at
	st := inText // the lexer state at the end of buf
	lines := strings.SplitAfter(text, "\n")
	skip := 0 // lines before this index are data already read
	for i, line := range lines {
		if i < skip {
			continue // a line of COPY ... FROM STDIN's data
		}
		lineNo := i + 1
		if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, `\`) && st == inText {
			// Complete statements gathered so far run first; an unterminated
			// one stays in the buffer, as in psql.
			tail, tailLine, err := s.runComplete(ctx, name, buf.String(), bufLine)
			if err != nil {
				return err
			}
			buf.Reset()
			buf.WriteString(tail)
			bufLine = tailLine
			chunk := parser.Chunk{Text: trimmed, Pos: parser.Pos{Line: lineNo, Column: 1}}
			if err := s.meta(ctx, name, dir, chunk, depth); err != nil {
				return err
			}
			continue
		}
		if buf.Len() == 0 {
			if strings.TrimSpace(line) == "" {
				continue
			}
			bufLine = lineNo
		}
		line, st = substitute(line, st, s.Vars)
		buf.WriteString(line)
		if st == inText && strings.Contains(line, ";") && endsWithCopyFromStdin(buf.String()) {
			// As in psql, the data follows the statement, up to a line \.
			// or the end of the script; it is skipped whether or not the
			// statement reads it.
			data, next := copyData(lines, i+1)
			skip = next
			err := s.withCopyIn(scriptCopyIn(data), func() error {
				return s.runStatements(ctx, name, buf.String(), bufLine)
			})
			if err != nil {
				return err
			}
			buf.Reset()
		}
	}
	if err := s.runStatements(ctx, name, buf.String(), bufLine); err != nil {
		return err
	}
	return nil
}

// endsWithCopyFromStdin reports whether text ends with a complete
// COPY ... FROM STDIN statement, whose data follows it in the input.
func endsWithCopyFromStdin(text string) bool {
	if !strings.Contains(strings.ToUpper(text), "STDIN") {
		return false
	}
	if _, incomplete := parser.Incomplete(text); incomplete {
		return false
	}
	chunks := parser.Split(text)
	for i := len(chunks) - 1; i >= 0; i-- {
		if strings.TrimSpace(chunks[i].Text) == "" {
			continue
		}
		st, err := parser.ParseOne(chunks[i].Text)
		if err != nil {
			return false
		}
		cp, ok := st.(*parser.Copy)
		return ok && cp.Stdin
	}
	return false
}

// copyData returns the data of COPY ... FROM STDIN in lines from index
// from: the lines up to one that is \. alone (or the end), and the index
// of the line after that.
func copyData(lines []string, from int) (data string, next int) {
	var b strings.Builder
	for i := from; i < len(lines); i++ {
		if strings.TrimRight(lines[i], "\r\n") == `\.` {
			return b.String(), i + 1
		}
		b.WriteString(lines[i])
	}
	return b.String(), len(lines)
}

// scriptCopyIn supplies data to the first COPY ... FROM STDIN that asks;
// any later one in the same line of the script reads nothing.
func scriptCopyIn(data string) executor.CopyInSource {
	return func(context.Context, executor.CopyInRequest) (io.ReadCloser, error) {
		r := io.NopCloser(strings.NewReader(data))
		data = ""
		return r, nil
	}
}

// withCopyIn runs fn with src supplying COPY ... FROM STDIN's data.
func (s *Script) withCopyIn(src executor.CopyInSource, fn func() error) error {
	prev := s.copyIn
	s.copyIn = src
	defer func() { s.copyIn = prev }()
	return fn()
}

// runComplete runs the terminated statements of text and returns the
// unterminated rest with the line it starts at.
func (s *Script) runComplete(ctx context.Context, name, text string, line int) (string, int, error) {
	if strings.TrimSpace(text) == "" {
		return "", 0, nil
	}
	open, incomplete := parser.Incomplete(text)
	if !incomplete {
		return "", 0, s.runStatements(ctx, name, text, line)
	}
	if open != "" {
		return text, line, nil // a bracket is open: all of it is one statement
	}
	chunks := parser.Split(text)
	last := chunks[len(chunks)-1]
	if err := s.runStatements(ctx, name, text[:last.Pos.Offset], line); err != nil {
		return "", 0, err
	}
	return text[last.Pos.Offset:], line + last.Pos.Line - 1, nil
}

// runStatements runs every statement of text, which starts at line line of
// the script called name.
func (s *Script) runStatements(ctx context.Context, name, text string, line int) error {
	if line < 1 {
		line = 1
	}
	for _, chunk := range parser.Split(text) {
		if strings.TrimSpace(chunk.Text) == "" {
			continue
		}
		chunk.Pos.Line += line - 1
		if err := s.runChunk(ctx, name, chunk); err != nil {
			return err
		}
	}
	return nil
}

// runChunk runs one statement and reports its failure.
func (s *Script) runChunk(ctx context.Context, name string, chunk parser.Chunk) error {
	if err := ctx.Err(); err != nil {
		return sqlerr.Wrap(err, sqlerr.QueryCanceled)
	}
	if s.Echo {
		fmt.Fprintln(s.Out, strings.TrimSpace(chunk.Text)+";")
	}
	start := time.Now()
	var err error
	if topic, ok := helpStatement(chunk.Text); ok {
		err = s.help(topic)
	} else {
		s.last = strings.TrimSpace(chunk.Text)
		err = s.runOne(ctx, chunk.Text)
	}
	if s.Progress != nil {
		s.Progress.Clear()
	}
	if err == nil {
		s.timing(start)
		return nil
	}
	var out outputError
	if errors.As(err, &out) {
		return out.err
	}
	if ctx.Err() != nil && sqlerr.Code(err) == sqlerr.QueryCanceled {
		if sqlerr.As(err).Detail != "" {
			// A multi-item write says how far it got: show it.
			s.report(name, chunk, err)
			return &reportedCancel{sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled)}
		}
		return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled)
	}
	return s.fail(name, chunk, err)
}

// reportedCancel is the cancellation of a statement whose error has been
// shown already (it said how far the statement got), so that the shell
// does not add its own "cancelled".
type reportedCancel struct{ err error }

func (r *reportedCancel) Error() string { return r.err.Error() }
func (r *reportedCancel) Unwrap() error { return r.err }

// fail reports a failed statement or meta-command and decides whether the
// script goes on.
func (s *Script) fail(name string, chunk parser.Chunk, err error) error {
	s.report(name, chunk, err)
	s.failures++
	if !s.ContinueOnError {
		return fmt.Errorf("%s: %w", name, ErrStatementFailed)
	}
	return nil
}

func (s *Script) timing(start time.Time) {
	if s.Timing {
		line := fmt.Sprintf("Time: %.3f ms", float64(time.Since(start).Microseconds())/1000)
		if s.capacity > 0 {
			line += fmt.Sprintf(" (%s capacity units)", strconv.FormatFloat(s.capacity, 'f', -1, 64))
		}
		fmt.Fprintln(s.output(), line)
	}
}

// outputError marks a failure to write results (not the statement's fault).
type outputError struct{ err error }

func (o outputError) Error() string { return o.err.Error() }

func (s *Script) runOne(ctx context.Context, text string) error {
	stmt, err := parser.ParseOne(text)
	if err != nil {
		return err
	}
	s.capacity = 0
	switch {
	case s.copyIn != nil:
		ctx = executor.WithCopyIn(ctx, s.copyIn)
	case s.Stdin != nil:
		ctx = executor.WithCopyIn(ctx, func(context.Context, executor.CopyInRequest) (io.ReadCloser, error) {
			return io.NopCloser(s.Stdin), nil
		})
	}
	res, err := s.Session.Run(ctx, stmt, nil)
	if err != nil {
		return err
	}
	err = s.render(res)
	s.capacity = res.Totals().Capacity
	return err
}

func (s *Script) formatName() string {
	if s.Format == "" {
		return "table"
	}
	return s.Format
}

// output is where results go: Out, or the file \o named.
func (s *Script) output() io.Writer {
	if s.out != nil {
		return s.out
	}
	return s.Out
}

// render writes a result: its rows, or its command tag.
func (s *Script) render(res *executor.Result) error {
	if s.Progress != nil {
		s.Progress.Clear()
	}
	// Notices (such as items a set-based write skipped because they
	// changed) go to the error stream, as psql's NOTICE lines do.
	for _, n := range res.Notices {
		fmt.Fprintln(s.Err, "NOTICE: ", n)
	}
	if res.Rows != nil {
		// A set-based write with RETURNING knows its notices only once
		// its rows are read.
		before := len(res.Notices)
		defer func() {
			for _, n := range res.Notices[before:] {
				fmt.Fprintln(s.Err, "NOTICE: ", n)
			}
		}()
	}
	if res.Rows == nil {
		if !s.Quiet && s.formatName() == "table" && res.Tag != "" {
			if _, err := fmt.Fprintln(s.output(), res.Tag); err != nil {
				return outputError{err}
			}
		}
		return nil
	}
	defer res.Rows.Close()
	name, opts, each := s.formatName(), s.FormatOptions, s.eachRow
	switch {
	case res.Copy != nil:
		// COPY ... TO STDOUT: the statement's format, every row, no tag.
		name, opts, each = res.Copy.Format, res.Copy.Options, eachCopyRow
	case s.Terminal != nil && s.out == nil:
		return s.renderToTerminal(res)
	}
	w, err := format.New(name, s.output(), opts)
	if err != nil {
		return err
	}
	if err := w.Begin(res.Columns, res.KeyColumns); err != nil {
		return outputError{err}
	}
	err = each(res.Rows, func(row executor.Item) error {
		if err := w.Row(row); err != nil {
			return outputError{err}
		}
		return nil
	})
	if err != nil {
		var out outputError
		if !errors.As(err, &out) {
			// Rows already written stay written; finish the output cleanly.
			_ = w.End()
		}
		return err
	}
	if err := w.End(); err != nil {
		return outputError{err}
	}
	return nil
}

// eachCopyRow calls fn for every row of rows.
func eachCopyRow(rows executor.RowIter, fn func(executor.Item) error) error {
	for {
		row, err := rows.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// eachRow calls fn for every row of rows, up to MaxRows.
func (s *Script) eachRow(rows executor.RowIter, fn func(executor.Item) error) error {
	n := 0
	for {
		row, err := rows.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if s.MaxRows > 0 && n == s.MaxRows {
			if !s.Quiet {
				fmt.Fprintf(s.Err, "NOTICE:  result cut at max_rows=%d\n", s.MaxRows)
			}
			return nil
		}
		n++
		if s.OnRow != nil {
			s.OnRow(row)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// report prints err like psql: ERROR, the statement line with a caret under
// the position, and the hint.
func (s *Script) report(name string, chunk parser.Chunk, err error) {
	s.addHint(err)
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
