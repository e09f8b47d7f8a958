package expr

import (
	"strings"
	"unicode/utf8"
)

// tokenKind classifies a token.
type tokenKind int

const (
	tEOF    tokenKind = iota
	tIdent            // a bare name or keyword: [A-Za-z][A-Za-z0-9_]*
	tName             // an expression attribute name, #x
	tValue            // an expression attribute value, :x
	tNumber           // a list index: 0 or [1-9][0-9]*
	tPunct            // = <> < <= > >= ( ) [ ] , . + -
	tBad              // any other character; always a syntax error
)

// token is one lexeme of an expression with its byte offsets in the source.
type token struct {
	kind       tokenKind
	text       string
	start, end int
}

// is reports whether t is the punctuation or (case-insensitive) keyword s.
func (t token) is(s string) bool {
	switch t.kind {
	case tPunct:
		return t.text == s
	case tIdent:
		return strings.EqualFold(t.text, s)
	}
	return false
}

// display is the token's text as DynamoDB's syntax errors quote it.
func (t token) display() string {
	if t.kind == tEOF {
		return "<EOF>"
	}
	return t.text
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isWordChar(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// tokenize splits src into tokens, ending with a tEOF token. It never fails:
// a character the language does not know becomes a tBad token, so that the
// parser reports it in DynamoDB's syntax error format.
func tokenize(src string) []token {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
			continue
		case isLetter(c):
			for i < len(src) && isWordChar(src[i]) {
				i++
			}
			toks = append(toks, token{tIdent, src[start:i], start, i})
		case (c == '#' || c == ':') && i+1 < len(src) && isWordChar(src[i+1]):
			i++
			for i < len(src) && isWordChar(src[i]) {
				i++
			}
			kind := tName
			if c == ':' {
				kind = tValue
			}
			toks = append(toks, token{kind, src[start:i], start, i})
		case c == '0':
			i++
			toks = append(toks, token{tNumber, "0", start, i})
		case isDigit(c):
			for i < len(src) && isDigit(src[i]) {
				i++
			}
			toks = append(toks, token{tNumber, src[start:i], start, i})
		case c == '<' && i+1 < len(src) && (src[i+1] == '=' || src[i+1] == '>'),
			c == '>' && i+1 < len(src) && src[i+1] == '=':
			i += 2
			toks = append(toks, token{tPunct, src[start:i], start, i})
		case strings.IndexByte("=<>()[],.+-", c) >= 0:
			i++
			toks = append(toks, token{tPunct, src[start:i], start, i})
		default:
			_, n := utf8.DecodeRuneInString(src[i:])
			i += n
			toks = append(toks, token{tBad, src[start:i], start, i})
		}
	}
	return append(toks, token{tEOF, "", len(src), len(src)})
}
