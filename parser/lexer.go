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
}

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
	return lexer.Token{Type: typ, Value: text, Pos: pos}, nil
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
		msg = "trailing junk after numeric literal at or near " + near
	default:
		msg = "syntax error at or near " + near
	}
	return sqlerr.New(sqlerr.SyntaxError, "%s", msg).At(pos.Line, pos.Column, pos.Offset)
}
