package parser

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// Parse parses a script: statements separated by semicolons. A trailing
// semicolon is optional, and empty statements and comments are skipped, so
// an empty script gives no statements and no error. `?` parameters are
// numbered per statement.
//
// Every error is a *sqlerr.Error positioned in sql; syntax errors have code
// sqlerr.SyntaxError.
func Parse(sql string) (stmts []Statement, err error) {
	defer recoverInternal(&err)
	if s, ok := fastParse(sql); ok {
		return []Statement{s}, nil
	}
	return parseScript(sql)
}

// parseScript is Parse without the fast path.
func parseScript(sql string) ([]Statement, error) {
	tree, err := parseText(grammar, sql)
	if err != nil {
		return nil, err
	}
	c := converter{src: sql}
	stmts := make([]Statement, 0, len(tree.Stmts))
	for _, s := range tree.Stmts {
		st := c.statement(s)
		if c.finish(); c.err != nil {
			return nil, c.err
		}
		stmts = append(stmts, st)
	}
	return stmts, nil
}

// ParseOne parses exactly one statement, optionally followed by a
// semicolon.
func ParseOne(sql string) (stmt Statement, err error) {
	defer recoverInternal(&err)
	if s, ok := fastParse(sql); ok {
		return s, nil
	}
	return parseOne(sql)
}

// parseOne is ParseOne without the fast path.
func parseOne(sql string) (Statement, error) {
	tree, err := parseText(grammar, sql)
	if err != nil {
		return nil, err
	}
	if len(tree.Stmts) == 0 {
		return nil, endOfInputError(sql, "expected statement")
	}
	c := converter{src: sql}
	stmt := c.statement(tree.Stmts[0])
	if c.finish(); c.err != nil {
		return nil, c.err
	}
	if len(tree.Stmts) > 1 {
		second := c.statement(tree.Stmts[1]).Position()
		return nil, sqlerr.New(sqlerr.SyntaxError, "syntax error at or near %s: expected end of input: only one statement is allowed here",
			nearText(tokenTextAt(sql, second.Offset))).At(second.Line, second.Column, second.Offset)
	}
	return stmt, nil
}

// ParseExpr parses a lone expression. Its `?` parameters are numbered from
// 0 as in a statement.
func ParseExpr(sql string) (e Expr, err error) {
	defer recoverInternal(&err)
	tree, err := parseText(exprGrammar, sql)
	if err != nil {
		return nil, err
	}
	c := converter{src: sql}
	e = c.expr(tree)
	if c.finish(); c.err != nil {
		return nil, c.err
	}
	return e, nil
}

// parseText runs a participle parser over sql, turning every failure into a
// positioned *sqlerr.Error.
func parseText[G any](p *participle.Parser[G], sql string) (*G, error) {
	peeker, err := lexer.Upgrade(newTokenStream(sql))
	if err != nil {
		return nil, err // a positioned *sqlerr.Error from the lexer
	}
	tree, err := p.ParseFromLexer(peeker)
	if err != nil {
		return nil, syntaxError(p, sql, err)
	}
	return tree, nil
}

// recoverInternal turns a panic into an error so that no input can bring
// down a server; the fuzz test checks that none happens.
func recoverInternal(err *error) {
	if r := recover(); r != nil {
		*err = sqlerr.New(sqlerr.Internal, "internal parser error: %v", r).WithHint("please report the statement that caused it")
	}
}

// endOfInputError is a syntax error at the end of sql.
func endOfInputError(sql string, expected string) *sqlerr.Error {
	pt := newPosTracker(sql)
	at := pt.at(len(sql))
	return sqlerr.New(sqlerr.SyntaxError, "syntax error at end of input: %s", expected).At(at.Line, at.Column, at.Offset)
}

// tokenTextAt returns the text of the token starting at offset.
func tokenTextAt(sql string, offset int) string {
	sc := scanner{src: sql, off: offset}
	t := sc.next()
	return sql[t.start:t.end]
}
