package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/chzyer/readline"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// HistoryLimit bounds the statements kept in the history file.
const HistoryLimit = 1000

// Shell is the interactive front end: a prompt with line editing, history
// and completion, multi-line statements until ';', and the meta-commands
// of Script, which runs each statement.
type Shell struct {
	Script *Script
	// Banner is printed when the shell starts.
	Banner string
	// HistoryFile keeps the statements entered, across runs ("" keeps
	// none).
	HistoryFile string
	// Interrupt receives Ctrl-C while a statement runs (the terminal is
	// not in raw mode then, so Ctrl-C is a SIGINT); the statement is
	// cancelled.
	Interrupt <-chan os.Signal
	// Editor is the shell command \e runs with the file to edit appended
	// ("" is vi).
	Editor string

	rl       *readline.Instance
	buf      strings.Builder // the statement entered so far
	st       lexState        // the lexer state at the end of buf
	complete *Completer
}

// prompts maps the construct parser.Incomplete reports open to the
// continuation prompt's marker, as psql does.
var prompts = map[string]string{
	"": "-", "'": "'", `"`: `"`, "/*": "*", "(": "(", "[": "[", "{": "{", "<<": "<",
}

// Run reads and runs statements until \q, Ctrl-D, or ctx is done.
func (sh *Shell) Run(ctx context.Context) error {
	sh.complete = &Completer{Script: sh.Script, Pending: func() string { return sh.buf.String() }}
	user := sh.Script.OnRow
	sh.Script.OnRow = func(row executor.Item) {
		names := make([]string, 0, len(row))
		for k := range row {
			names = append(names, k)
		}
		sh.complete.See(names)
		if user != nil {
			user(row)
		}
	}
	sh.Script.ContinueOnError = true
	sh.Script.shell = true
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 "ddbsql=> ",
		HistoryFile:            sh.HistoryFile,
		HistoryLimit:           HistoryLimit,
		DisableAutoSaveHistory: true,
		AutoComplete:           sh.complete,
		InterruptPrompt:        "^C",
		EOFPrompt:              `\q`,
	})
	if err != nil {
		return err
	}
	sh.rl = rl
	defer rl.Close()
	sh.Script.copyIn = sh.readCopyData
	stop := context.AfterFunc(ctx, func() { rl.Close() })
	defer stop()

	if sh.Banner != "" {
		fmt.Fprintln(sh.Script.Out, sh.Banner)
	}
	for {
		rl.SetPrompt(sh.prompt())
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			sh.reset()
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		quit, err := sh.line(ctx, line)
		if quit || err != nil {
			return err
		}
	}
}

func (sh *Shell) prompt() string {
	open, incomplete := parser.Incomplete(sh.buf.String())
	if sh.buf.Len() == 0 || !incomplete {
		return "ddbsql=> "
	}
	return "ddbsql" + prompts[open] + "> "
}

func (sh *Shell) reset() {
	sh.buf.Reset()
	sh.st = inText
}

// line handles one line of input; quit is set after \q.
func (sh *Shell) line(ctx context.Context, line string) (quit bool, err error) {
	trimmed := strings.TrimSpace(line)
	if sh.st == inText && strings.HasPrefix(trimmed, `\`) {
		word, _, _ := strings.Cut(trimmed, " ")
		if word == `\e` {
			// The edited statement goes to the history, not \e.
			return false, sh.edit(ctx)
		}
		if trimmed != `\q` {
			sh.rl.SaveHistory(trimmed)
		}
		meta := func(ctx context.Context) error {
			return sh.Script.meta(ctx, "", ".", parser.Chunk{Text: trimmed, Pos: parser.Pos{Line: 1, Column: 1}}, 0)
		}
		if word == `\watch` {
			// As in psql, \watch runs the statement being typed, if any;
			// Ctrl-C is how a watch ends, so it is not reported.
			if pending := strings.TrimSpace(sh.buf.String()); pending != "" {
				sh.Script.last = strings.TrimSpace(strings.TrimSuffix(pending, ";"))
				sh.reset()
			}
			watch := meta
			meta = func(ctx context.Context) error {
				err := watch(ctx)
				if ctx.Err() != nil && sqlerr.Code(err) == sqlerr.QueryCanceled {
					return nil
				}
				return err
			}
		}
		before := sh.Script.Session
		err := sh.run(ctx, meta)
		if sh.Script.Session != before {
			sh.complete.Forget() // \c: another endpoint's tables
		}
		if errors.Is(err, ErrQuit) {
			return true, nil
		}
		return false, err
	}
	if sh.buf.Len() == 0 {
		if trimmed == "" {
			return false, nil
		}
		// psql's "help" needs no semicolon.
		if topic, ok := helpStatement(trimmed); ok && !strings.Contains(trimmed, ";") {
			sh.rl.SaveHistory(trimmed)
			return false, sh.run(ctx, func(context.Context) error { return sh.Script.help(topic) })
		}
	}
	line, sh.st = substitute(line, sh.st, sh.Script.Vars)
	sh.buf.WriteString(line)
	sh.buf.WriteString("\n")
	if _, incomplete := parser.Incomplete(sh.buf.String()); incomplete {
		return false, nil
	}
	text := sh.buf.String()
	sh.reset()
	sh.saveHistory(text)
	err = sh.run(ctx, func(ctx context.Context) error { return sh.Script.runStatements(ctx, "", text, 1) })
	if isDDL(text) {
		sh.complete.Forget()
	}
	return false, err
}

// readCopyData supplies the data of COPY ... FROM STDIN typed at the
// prompt ">> ", as psql does: lines up to one that is \. alone, or Ctrl-D.
// Ctrl-C cancels the statement. Binary data cannot be typed: that is
// refused before the prompt.
func (sh *Shell) readCopyData(_ context.Context, req executor.CopyInRequest) (io.ReadCloser, error) {
	if req.Format == "binary" {
		return nil, format.BinaryCopyRefused()
	}
	fmt.Fprintln(sh.Script.Err, "Enter data to be copied followed by a newline.")
	fmt.Fprintln(sh.Script.Err, "End with a backslash and a period on a line by itself, or an EOF signal.")
	return &promptedLines{rl: sh.rl}, nil
}

// promptedLines reads lines at the ">> " prompt as one stream.
type promptedLines struct {
	rl   *readline.Instance
	buf  []byte
	done bool
}

func (p *promptedLines) Read(b []byte) (int, error) {
	for len(p.buf) == 0 {
		if p.done {
			return 0, io.EOF
		}
		p.rl.SetPrompt(">> ")
		line, err := p.rl.Readline()
		switch {
		case errors.Is(err, io.EOF):
			p.done = true
			continue
		case errors.Is(err, readline.ErrInterrupt):
			p.done = true
			return 0, sqlerr.New(sqlerr.QueryCanceled, "canceling statement due to user request")
		case err != nil:
			return 0, err
		}
		if strings.TrimRight(line, "\r") == `\.` {
			p.done = true
			continue
		}
		p.buf = append(append(p.buf[:0], line...), '\n')
	}
	n := copy(b, p.buf)
	p.buf = p.buf[n:]
	return n, nil
}

func (p *promptedLines) Close() error { return nil }

// isDDL reports whether text may have changed the table list.
func isDDL(text string) bool {
	u := strings.ToUpper(text)
	return strings.Contains(u, "CREATE") || strings.Contains(u, "DROP")
}

// saveHistory keeps a statement as one history entry: its lines joined,
// unless a line comment would then swallow the rest.
func (sh *Shell) saveHistory(text string) {
	text = strings.TrimSpace(text)
	if !strings.Contains(text, "--") {
		sh.rl.SaveHistory(strings.Join(strings.Fields(text), " "))
		return
	}
	for _, l := range strings.Split(text, "\n") {
		sh.rl.SaveHistory(l)
	}
}

// run runs fn with a context that Ctrl-C cancels, and turns its outcome
// into what the shell shows: "cancelled" for an interrupted statement;
// failures have been reported by the script already.
func (sh *Shell) run(ctx context.Context, fn func(context.Context) error) error {
	for len(sh.Interrupt) > 0 {
		<-sh.Interrupt // a Ctrl-C from before this statement
	}
	stmtCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		select {
		case <-sh.Interrupt:
			cancel()
		case <-done:
		}
	}()
	err := fn(stmtCtx)
	close(done)
	interrupted := stmtCtx.Err() != nil && ctx.Err() == nil
	cancel()
	if sh.Script.Progress != nil {
		sh.Script.Progress.Clear()
	}
	switch {
	case err == nil:
		return nil
	case interrupted || sqlerr.Code(err) == sqlerr.QueryCanceled && ctx.Err() == nil:
		var reported *reportedCancel
		if !errors.As(err, &reported) {
			fmt.Fprintln(sh.Script.Err, "cancelled")
		}
		return nil
	case ctx.Err() != nil:
		return nil
	case errors.Is(err, ErrQuit):
		return err
	case errors.Is(err, ErrStatementFailed):
		return nil // reported already
	}
	// A result could not be written: say so and go on.
	fmt.Fprintf(sh.Script.Err, "ERROR:  %v\n", err)
	return nil
}
