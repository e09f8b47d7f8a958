package parser

import (
	"io"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// sqlLexer is the lexer.Definition given to participle. The scanner is
// written by hand rather than with lexer.MustSimple: a regular-expression
// lexer costs several microseconds and allocations per statement, and the
// hand-written one also reports unterminated quotes and comments precisely
// and is shared with Split and Incomplete.
type sqlLexer struct {
	symbols map[string]lexer.TokenType
}

// newSQLLexer returns the lexer definition.
func newSQLLexer() *sqlLexer { return &sqlLexer{symbols: tokenSymbols()} }

// Symbols implements lexer.Definition. participle asks for them on every
// parse, so the map is built once.
func (l *sqlLexer) Symbols() map[string]lexer.TokenType { return l.symbols }

// Lex implements lexer.Definition.
func (*sqlLexer) Lex(_ string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return newTokenStream(string(b)), nil
}

// LexString implements lexer.StringDefinition.
func (*sqlLexer) LexString(_ string, s string) (lexer.Lexer, error) {
	return newTokenStream(s), nil
}

// tokenStream yields the tokens of one text to participle. A lexical error
// is returned as a positioned *sqlerr.Error.
type tokenStream struct {
	sc  scanner
	pos posTracker
	// depth counts open brackets and CASEs, prefixes the current run of
	// prefix operators: both bound the parser's recursion.
	depth, prefixes int
}

// maxNesting bounds how deeply expressions may nest. The parser recurses
// once per level, and a goroutine that overflows its stack cannot be
// recovered, so without a limit a few kilobytes of "(" would crash a
// server. DynamoDB itself allows documents 32 levels deep.
const maxNesting = 200

func newTokenStream(src string) *tokenStream {
	return &tokenStream{sc: scanner{src: src}, pos: newPosTracker(src)}
}

// Next implements lexer.Lexer.
func (l *tokenStream) Next() (lexer.Token, error) {
	t := l.sc.next()
	pos := l.pos.at(t.start)
	if t.problem != lexOK {
		return lexer.Token{}, lexError(l.sc.src, t, pos)
	}
	text := l.sc.src[t.start:t.end]
	typ := t.typ
	if typ == tokIdent && text[0] != '"' && isReserved(text) {
		typ = tokKeyword
		if len(text) <= 3 && (strings.EqualFold(text, "AND") || strings.EqualFold(text, "OR")) {
			typ = tokOp
		}
	}
	if err := l.nest(typ, text, pos); err != nil {
		return lexer.Token{}, err
	}
	return lexer.Token{Type: typ, Value: text, Pos: pos}, nil
}

// nest tracks nesting and fails when it exceeds maxNesting.
func (l *tokenStream) nest(typ lexer.TokenType, text string, pos lexer.Position) error {
	prefix := false
	switch typ {
	case tokPunct:
		switch text {
		case "(", "[", "{", "<<":
			l.depth++
		case ")", "]", "}", ">>":
			l.depth = max(l.depth-1, 0)
		}
	case tokKeyword:
		switch {
		case strings.EqualFold(text, "CASE"):
			l.depth++
		case strings.EqualFold(text, "END"):
			l.depth = max(l.depth-1, 0)
		case strings.EqualFold(text, "NOT"):
			prefix = true
		}
	case tokOp:
		prefix = text == "-" || text == "+"
	}
	if prefix {
		l.prefixes++
	} else {
		l.prefixes = 0
	}
	if l.depth > maxNesting || l.prefixes > maxNesting {
		return sqlerr.New(sqlerr.ProgramLimitExceeded, "statement is nested too deeply at or near %s: at most %d levels are allowed",
			nearText(text), maxNesting).At(pos.Line, pos.Column, pos.Offset)
	}
	return nil
}

// lexTokens returns every token of src up to and including EOF, or the
// first lexical error.
func lexTokens(src string) ([]lexer.Token, error) {
	l := newTokenStream(src)
	var out []lexer.Token
	for {
		t, err := l.Next()
		if err != nil {
			return out, err
		}
		out = append(out, t)
		if t.EOF() {
			return out, nil
		}
	}
}

// lexError describes a token the scanner could not complete.
func lexError(src string, t rawToken, pos lexer.Position) *sqlerr.Error {
	near := nearText(src[t.start:t.end])
	var msg string
	switch t.problem {
	case lexUnterminatedString:
		msg = "unterminated quoted string at or near " + near
	case lexUnterminatedIdent:
		msg = "unterminated quoted identifier at or near " + near
	case lexUnterminatedComment:
		msg = "unterminated /* comment at or near " + near
	case lexEmptyIdent:
		msg = "zero-length delimited identifier at or near " + near
	case lexTrailingJunk:
		if src[t.start] == '$' {
			msg = "trailing junk after parameter at or near " + near
		} else {
			msg = "trailing junk after numeric literal at or near " + near
		}
	default:
		msg = "syntax error at or near " + near
	}
	return sqlerr.New(sqlerr.SyntaxError, "%s", msg).At(pos.Line, pos.Column, pos.Offset)
}
