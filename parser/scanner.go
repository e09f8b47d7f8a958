package parser

import (
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Token types produced by the lexer. The grammar refers to them by the names
// in tokenSymbols; punctuation and keywords are matched by their text. Token
// types are deliberately coarse: participle pays an allocation for every
// alternative it tries, so `@Op` (one type for every binary operator) is much
// cheaper than a choice between several types.
const (
	tokKeyword lexer.TokenType = iota + 1 // reserved word other than AND, OR
	tokIdent                              // identifier, unquoted or "quoted" (quotes kept)
	tokString                             // 'string', quotes kept
	tokNumber                             // 1, 1.5, .5, 1e3
	tokParam                              // ? or $n
	tokOp                                 // = <> != < <= > >= || + - * / % AND OR
	tokPunct                              // ( ) [ ] { } , . : :: ; << >>
	tokProbe                              // matches nothing; see expected.go
)

// tokenSymbols names the token types for the grammar. It is a function, not
// a variable, because the grammar is built during package initialisation,
// before variables it reaches only through an interface are set.
func tokenSymbols() map[string]lexer.TokenType {
	return map[string]lexer.TokenType{
		"EOF":     lexer.EOF,
		"Keyword": tokKeyword,
		"Ident":   tokIdent,
		"String":  tokString,
		"Number":  tokNumber,
		"Param":   tokParam,
		"Op":      tokOp,
		"Punct":   tokPunct,
		"Probe":   tokProbe,
	}
}

// lexProblem is what is wrong with a token the scanner could not complete.
type lexProblem int

const (
	lexOK lexProblem = iota
	lexUnterminatedString
	lexUnterminatedIdent
	lexUnterminatedComment
	lexEmptyIdent
	lexBadChar
	lexTrailingJunk
)

// rawToken is a token as the scanner sees it: a type and a byte span.
type rawToken struct {
	typ        lexer.TokenType // lexer.EOF at the end; 0 with a problem
	start, end int
	problem    lexProblem
}

// scanner splits SQL text into tokens, skipping white space and comments. It
// never fails: a malformed token is returned with a problem, so that Split
// and Incomplete can work on text that does not lex.
type scanner struct {
	src string
	off int
}

// next returns the next token.
func (s *scanner) next() rawToken {
	if t, stop := s.skipSpace(); stop {
		return t
	}
	src, start := s.src, s.off
	if start >= len(src) {
		return rawToken{typ: lexer.EOF, start: start, end: start}
	}
	c := src[start]
	switch {
	case isIdentStart(c):
		end := start + 1
		for end < len(src) && isIdentPart(src[end]) {
			end++
		}
		return s.emit(tokIdent, end, lexOK)
	case isDigit(c) || c == '.' && start+1 < len(src) && isDigit(src[start+1]):
		return s.number()
	case c == '\'':
		return s.quoted('\'', tokString, lexUnterminatedString)
	case c == '"':
		t := s.quoted('"', tokIdent, lexUnterminatedIdent)
		if t.problem == lexOK && t.end-t.start == 2 {
			t.typ, t.problem = 0, lexEmptyIdent
		}
		return t
	case c == '?':
		return s.emit(tokParam, start+1, lexOK)
	case c == '$':
		end := start + 1
		for end < len(src) && isDigit(src[end]) {
			end++
		}
		switch {
		case end == start+1:
			return s.emit(0, end, lexBadChar)
		case end < len(src) && isIdentPart(src[end]):
			for end < len(src) && isIdentPart(src[end]) {
				end++
			}
			return s.emit(0, end, lexTrailingJunk)
		}
		return s.emit(tokParam, end, lexOK)
	}
	two := ""
	if start+1 < len(src) {
		two = src[start : start+2]
	}
	switch two {
	case "<>", "!=", "<=", ">=", "||":
		return s.emit(tokOp, start+2, lexOK)
	case "<<", ">>", "::":
		return s.emit(tokPunct, start+2, lexOK)
	}
	switch c {
	case '=', '<', '>', '+', '-', '*', '/', '%':
		return s.emit(tokOp, start+1, lexOK)
	case '(', ')', '[', ']', '{', '}', ',', '.', ':', ';':
		return s.emit(tokPunct, start+1, lexOK)
	}
	_, size := utf8.DecodeRuneInString(src[start:])
	return s.emit(0, start+size, lexBadChar)
}

func (s *scanner) emit(typ lexer.TokenType, end int, problem lexProblem) rawToken {
	t := rawToken{typ: typ, start: s.off, end: end, problem: problem}
	s.off = end
	return t
}

// skipSpace skips white space and comments. It returns a problem token when
// a block comment is not closed.
func (s *scanner) skipSpace() (rawToken, bool) {
	src := s.src
	for s.off < len(src) {
		switch c := src[s.off]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s.off++
		case c == '-' && s.off+1 < len(src) && src[s.off+1] == '-':
			for s.off < len(src) && src[s.off] != '\n' {
				s.off++
			}
		case c == '/' && s.off+1 < len(src) && src[s.off+1] == '*':
			if end, ok := blockCommentEnd(src, s.off); ok {
				s.off = end
			} else {
				return s.emit(0, len(src), lexUnterminatedComment), true
			}
		default:
			return rawToken{}, false
		}
	}
	return rawToken{}, false
}

// blockCommentEnd returns the offset after the block comment starting at
// start. Block comments nest, as in PostgreSQL.
func blockCommentEnd(src string, start int) (int, bool) {
	depth := 0
	for i := start; i+1 < len(src); {
		switch {
		case src[i] == '/' && src[i+1] == '*':
			depth++
			i += 2
		case src[i] == '*' && src[i+1] == '/':
			depth--
			i += 2
			if depth == 0 {
				return i, true
			}
		default:
			i++
		}
	}
	return len(src), false
}

// quoted scans a quote-delimited token in which a doubled quote stands for
// one quote character.
func (s *scanner) quoted(q byte, typ lexer.TokenType, unterminated lexProblem) rawToken {
	src := s.src
	for i := s.off + 1; i < len(src); i++ {
		if src[i] != q {
			continue
		}
		if i+1 < len(src) && src[i+1] == q {
			i++
			continue
		}
		return s.emit(typ, i+1, lexOK)
	}
	return s.emit(0, len(src), unterminated)
}

// number scans digits [. digits] [e [+-] digits] or . digits [e ...]. A
// letter directly after a number is an error, as in PostgreSQL: 1abc is
// neither a number nor a number and an alias.
func (s *scanner) number() rawToken {
	src, i := s.src, s.off
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	if i < len(src) && src[i] == '.' {
		i++
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			i = j
		}
	}
	if i < len(src) && isIdentPart(src[i]) {
		end := i
		for end < len(src) && isIdentPart(src[end]) {
			end++
		}
		return s.emit(0, end, lexTrailingJunk)
	}
	return s.emit(tokNumber, i, lexOK)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isIdentStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '$' }

// posTracker turns byte offsets into lines and columns. Offsets must be
// asked for in increasing order; columns count characters, not bytes.
type posTracker struct {
	src  string
	off  int
	line int
	col  int
}

func newPosTracker(src string) posTracker { return posTracker{src: src, line: 1, col: 1} }

// at returns the position of byte offset off.
func (p *posTracker) at(off int) lexer.Position {
	if off < p.off { // restart; only happens when a caller goes back
		*p = newPosTracker(p.src)
	}
	for p.off < off {
		c := p.src[p.off]
		switch {
		case c == '\n':
			p.line++
			p.col = 1
			p.off++
		case c < utf8.RuneSelf:
			p.col++
			p.off++
		default:
			_, size := utf8.DecodeRuneInString(p.src[p.off:])
			p.col++
			p.off += size
		}
	}
	return lexer.Position{Offset: off, Line: p.line, Column: p.col}
}
