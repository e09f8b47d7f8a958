package parser

import "github.com/alecthomas/participle/v2/lexer"

// Chunk is one statement of a script, as Split finds it.
type Chunk struct {
	// Text runs from the statement's first token to its last, without the
	// terminating semicolon and without surrounding white space and
	// comments.
	Text string
	// Pos is where Text starts in the script. An error position p reported
	// for Text maps back to the script as line Pos.Line+p.Line-1, column
	// p.Column (plus Pos.Column-1 on the first line), offset
	// Pos.Offset+p.Offset.
	Pos Pos
}

// Split cuts a script into statements at semicolons outside quotes,
// comments and brackets. It never fails: text that does not lex (an
// unterminated string, say) stays in its chunk for Parse to report.
// Statements holding only white space and comments are dropped.
func Split(script string) []Chunk {
	sc := scanner{src: script}
	pt := newPosTracker(script)
	var out []Chunk
	var depth int
	start, end := -1, -1
	flush := func() {
		if start >= 0 {
			out = append(out, Chunk{Text: script[start:end], Pos: pos(pt.at(start))})
		}
		start, end = -1, -1
	}
	for {
		t := sc.next()
		if t.typ == lexer.EOF {
			break
		}
		if t.typ == tokPunct {
			switch script[t.start:t.end] {
			case "(", "[", "{", "<<":
				depth++
			case ")", "]", "}", ">>":
				depth = max(depth-1, 0)
			case ";":
				if depth == 0 {
					flush()
					continue
				}
			}
		}
		if start < 0 {
			start = t.start
		}
		end = t.end
	}
	flush()
	return out
}

// Incomplete tells a REPL whether to ask for more input. It reports true
// when text ends inside a quoted string or identifier, a block comment or
// a bracket, or when its last statement has no terminating semicolon yet;
// open is then the innermost construct left open: `'`, `"`, `/*`, `(`, `[`,
// `{`, `<<`, or "" when only the semicolon is missing. Text holding only
// white space and comments is complete: there is nothing to run.
func Incomplete(text string) (open string, incomplete bool) {
	sc := scanner{src: text}
	var stack []string
	seen, terminated := false, false
	for {
		t := sc.next()
		switch t.problem {
		case lexUnterminatedString:
			return "'", true
		case lexUnterminatedIdent:
			return `"`, true
		case lexUnterminatedComment:
			return "/*", true
		}
		if t.typ == lexer.EOF {
			break
		}
		seen, terminated = true, false
		if t.typ != tokPunct {
			continue
		}
		switch tok := text[t.start:t.end]; tok {
		case "(", "[", "{", "<<":
			stack = append(stack, tok)
		case ")", "]", "}", ">>":
			if n := len(stack); n > 0 && stack[n-1] == openerOf[tok] {
				stack = stack[:n-1]
			}
		case ";":
			terminated = len(stack) == 0
		}
	}
	if n := len(stack); n > 0 {
		return stack[n-1], true
	}
	return "", seen && !terminated
}

// openerOf pairs each closing bracket with its opener.
var openerOf = map[string]string{")": "(", "]": "[", "}": "{", ">>": "<<"}
