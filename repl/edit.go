package repl

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// edit is \e: the statement being typed, or else the last statement run,
// goes through the editor; as in psql, what comes back runs when it ends
// with ';' and otherwise becomes the statement being typed. An unchanged
// last statement is dropped.
func (sh *Shell) edit(ctx context.Context) error {
	text, typed := strings.TrimSpace(sh.buf.String()), true
	if text == "" {
		text, typed = sh.Script.last, false
	}
	edited, err := sh.runEditor(text)
	if err != nil {
		return sh.Script.fail("", parser.Chunk{Text: `\e`, Pos: parser.Pos{Line: 1, Column: 1}}, err)
	}
	edited = strings.TrimRight(edited, " \t\r\n")
	sh.reset()
	if strings.TrimSpace(edited) == "" || !typed && edited == text {
		return nil
	}
	// Show what will run (or wait for its end), since the editor's screen
	// is gone.
	fmt.Fprintln(sh.Script.Out, edited)
	for _, line := range strings.Split(edited, "\n") {
		quit, err := sh.line(ctx, line)
		if err != nil {
			return err
		}
		if quit {
			return ErrQuit
		}
	}
	return nil
}

// runEditor lets the user edit text in the Editor on the terminal and
// returns the result.
func (sh *Shell) runEditor(text string) (string, error) {
	f, err := os.CreateTemp("", "ddbsql-*.sql")
	if err != nil {
		return "", sqlerr.New(sqlerr.InvalidParameter, `\e: %v`, err)
	}
	path := f.Name()
	defer os.Remove(path)
	if text != "" {
		text += "\n"
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", sqlerr.New(sqlerr.InvalidParameter, `\e: %v`, err)
	}
	editor := sh.Editor
	if editor == "" {
		editor = "vi"
	}
	// The editor names the file as its last argument, as psql runs it.
	cmd := exec.Command("/bin/sh", "-c", editor+` "$1"`, "ddbsql", path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", sqlerr.New(sqlerr.InvalidParameter, `\e: editor %q failed: %v`, editor, err).
			WithHint("set $EDITOR to the editor to use")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", sqlerr.New(sqlerr.InvalidParameter, `\e: %v`, err)
	}
	return string(data), nil
}
