package parser

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// syntaxError turns a participle error into a PostgreSQL-style message,
// `syntax error at or near "X": expected ...`, positioned at the offending
// token.
//
// participle reports the point where its last alternative gave up, which
// can lie before the real problem: after `{'a' 1` it backs out of the
// half-matched map entry and complains about 'a'. The error is therefore
// placed at the end of the longest prefix some derivation of the grammar
// accepts, found by probing (expected.go) from participle's position on.
func syntaxError[G any](p *participle.Parser[G], sql string, err error) *sqlerr.Error {
	var se *sqlerr.Error
	if errors.As(err, &se) {
		return se
	}
	offset := len(sql)
	var perr participle.Error
	if errors.As(err, &perr) {
		offset = perr.Position().Offset
	}
	tokens, lexErr := lexTokens(sql)
	if lexErr != nil { // cannot happen: the text lexed once already
		return sqlerr.As(lexErr)
	}
	i := 0
	for i < len(tokens)-1 && tokens[i].Pos.Offset < offset {
		i++
	}
	exp := expectedAt(p, tokens, i)
	for steps := 0; i < len(tokens)-1 && exp.any() && steps < maxProbeSteps; steps++ {
		next := expectedAt(p, tokens, i+1)
		if !next.any() {
			break // tokens[i] cannot follow: the error is here
		}
		i, exp = i+1, next
	}
	tok := tokens[i]
	msg := "syntax error at end of input"
	if !tok.EOF() {
		msg = "syntax error at or near " + nearText(tok.Value)
	}
	if s := exp.summary(); s != "" {
		msg += ": expected " + s
	}
	return sqlerr.New(sqlerr.SyntaxError, "%s", msg).At(tok.Pos.Line, tok.Pos.Column, tok.Pos.Offset)
}

// maxProbeSteps bounds how far past participle's position the error is
// looked for; participle backs out of a few tokens at most.
const maxProbeSteps = 16

// nearText quotes a token for a message, shortened when long.
func nearText(s string) string {
	const max = 40
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "..."
	}
	return `"` + s + `"`
}

// tokenReplay feeds a fixed token list to participle.
type tokenReplay struct {
	tokens []lexer.Token
	i      int
}

// Next implements lexer.Lexer.
func (r *tokenReplay) Next() (lexer.Token, error) {
	t := r.tokens[r.i]
	if r.i < len(r.tokens)-1 {
		r.i++
	}
	return t, nil
}
