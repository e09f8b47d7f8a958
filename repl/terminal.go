package repl

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/format"
)

// Terminal describes the terminal results are shown on.
type Terminal struct {
	// Size returns the terminal's width and height in cells; 0 when
	// unknown.
	Size func() (width, height int)
	// Pager is the shell command results taller than the terminal go
	// through ("" shows them directly). Its standard input is the result.
	Pager string
}

// renderToTerminal renders a result in memory, switches to expanded display
// when \x auto is on and the table is wider than the terminal, and shows
// the text through the pager when it is taller than the terminal.
func (s *Script) renderToTerminal(res *executor.Result) error {
	var rows []executor.Item
	if err := s.eachRow(res.Rows, func(row executor.Item) error {
		rows = append(rows, copyItem(row))
		return nil
	}); err != nil {
		return err
	}
	width, height := 0, 0
	if s.Terminal.Size != nil {
		width, height = s.Terminal.Size()
	}
	text, err := s.renderRows(res, rows, s.FormatOptions)
	if err != nil {
		return err
	}
	if s.ExpandedAuto && s.formatName() == "table" && width > 0 && widest(text) > width {
		opts := s.FormatOptions
		opts.Expanded = true
		if text, err = s.renderRows(res, rows, opts); err != nil {
			return err
		}
	}
	if s.Terminal.Pager != "" && height > 0 && strings.Count(text, "\n") >= height-1 {
		if page(s.Terminal.Pager, text, s.Out) {
			return nil
		}
	}
	if _, err := io.WriteString(s.Out, text); err != nil {
		return outputError{err}
	}
	return nil
}

// renderRows renders rows in the current format with opts.
func (s *Script) renderRows(res *executor.Result, rows []executor.Item, opts format.Options) (string, error) {
	var b bytes.Buffer
	w, err := format.New(s.formatName(), &b, opts)
	if err != nil {
		return "", err
	}
	if err := w.Begin(res.Columns, res.KeyColumns); err != nil {
		return "", err
	}
	for _, row := range rows {
		if err := w.Row(row); err != nil {
			return "", err
		}
	}
	if err := w.End(); err != nil {
		return "", err
	}
	return b.String(), nil
}

// widest returns the display width of text's longest line.
func widest(text string) int {
	w := 0
	for _, line := range strings.Split(text, "\n") {
		w = max(w, len([]rune(line)))
	}
	return w
}

// page runs the pager command with text on its standard input and the
// terminal as its output. It reports false when the pager could not start
// (the text is then shown directly); how the pager exits does not matter.
func page(pager, text string, out io.Writer) bool {
	cmd := exec.Command("/bin/sh", "-c", pager)
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout = out
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return false
	}
	_ = cmd.Wait()
	return true
}
