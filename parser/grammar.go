package parser

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// This file and grammar_expr.go / grammar_ddl.go hold the participle grammar:
// a parse tree shaped for parsing, converted once into the AST (convert.go).
// Names are captured as whole tokens so that conversion knows their
// positions and whether they were quoted.

// grammar is the participle parser for whole scripts, built once.
var grammar = participle.MustBuild[script](
	participle.Lexer(sqlLexer{}),
	participle.CaseInsensitive("Keyword", "Ident"),
	participle.Union[statement](
		&selectStmt{}, &insertStmt{}, &updateStmt{}, &deleteStmt{},
		&createStmt{}, &dropStmt{}, &explainStmt{}, &showStmt{}, &describeStmt{},
	),
	participle.Union[explainable](&selectStmt{}, &insertStmt{}, &updateStmt{}, &deleteStmt{}),
	participle.Union[primary](
		&identExpr{}, &stringLit{}, &numberLit{}, &paramLit{}, &boolLit{},
		&nullLit{}, &parenExpr{}, &listLit{}, &mapLit{}, &setLit{},
		&caseExpr{}, &existsExpr{}, &unaryExpr{},
	),
	participle.UseLookahead(2),
)

// exprGrammar parses a lone expression with the same productions.
var exprGrammar = participle.MustBuild[exprInput](
	participle.Lexer(sqlLexer{}),
	participle.CaseInsensitive("Keyword", "Ident"),
	participle.Union[primary](
		&identExpr{}, &stringLit{}, &numberLit{}, &paramLit{}, &boolLit{},
		&nullLit{}, &parenExpr{}, &listLit{}, &mapLit{}, &setLit{},
		&caseExpr{}, &existsExpr{}, &unaryExpr{},
	),
	participle.UseLookahead(2),
)

// script is a whole input: statements separated by semicolons, any of them
// empty.
type script struct {
	Stmts []statement `@@? ( ";" @@? )*`
}

// exprInput is the root of ParseExpr.
type exprInput struct {
	Expr *expr `@@`
}

// statement is implemented by every statement production.
type statement interface{ statementNode() }

// explainable is a statement EXPLAIN accepts.
type explainable interface{ explainableNode() }

// tableName is a table named in a statement.
type tableName struct {
	Name lexer.Token `@(Ident | QIdent)`
}

// selectStmt is SELECT.
type selectStmt struct {
	Pos      lexer.Position
	Distinct bool          `"SELECT" @"DISTINCT"?`
	Items    []*selectItem `@@ ( "," @@ )*`
	From     *tableRef     `( "FROM" @@ )?`
	Where    *expr         `( "WHERE" @@ )?`
	GroupBy  []*expr       `( "GROUP" "BY" @@ ( "," @@ )* )?`
	Having   *expr         `( "HAVING" @@ )?`
	OrderBy  []*orderItem  `( "ORDER" "BY" @@ ( "," @@ )* )?`
	Limit    *lexer.Token  `( "LIMIT" @(Number | Param) )?`
	Offset   *lexer.Token  `( "OFFSET" @(Number | Param) )?`
}

// selectItem is `*` or an expression with an optional alias.
type selectItem struct {
	Pos   lexer.Position
	Star  bool         `  @"*"`
	Expr  *expr        `| @@`
	Alias *lexer.Token `  ( "AS" @(Ident | QIdent | Keyword) | @(Ident | QIdent) )?`
}

// tableRef is the FROM clause: a table, optionally one of its indexes, and
// an optional alias.
type tableRef struct {
	Pos   lexer.Position
	Table tableName    `@@`
	Index *lexer.Token `( "." @(Ident | QIdent) )?`
	Alias *lexer.Token `( "AS"? @(Ident | QIdent) )?`
}

// orderItem is one ORDER BY key.
type orderItem struct {
	Pos  lexer.Position
	Expr *expr  `@@`
	Dir  string `@("ASC" | "DESC")?`
}

// insertStmt is INSERT, UPSERT or REPLACE INTO, with VALUE (DynamoDB's
// form) or a column list and VALUES (SQL's form).
type insertStmt struct {
	Pos     lexer.Position
	Verb    string         `@("INSERT" | "UPSERT" | "REPLACE") "INTO"`
	Table   tableName      `@@`
	Map     *mapLit        `( "VALUE" ( @@`
	Param   *paramLit      `          | @@ )`
	Columns []lexer.Token  `| "(" @(Ident | QIdent) ( "," @(Ident | QIdent) )* ")"`
	Rows    []*valuesTuple `  "VALUES" @@ ( "," @@ )* )`
}

// valuesTuple is one parenthesised row of INSERT ... VALUES.
type valuesTuple struct {
	Pos   lexer.Position
	Exprs []*expr `"(" @@ ( "," @@ )* ")"`
}

// updateStmt is UPDATE t SET ... REMOVE ... WHERE ... [RETURNING ...].
type updateStmt struct {
	Pos       lexer.Position
	Table     tableName       `"UPDATE" @@`
	Clauses   []*updateClause `@@+`
	Where     *expr           `"WHERE" @@`
	Returning *returning      `( "RETURNING" @@ )?`
}

// updateClause is one SET or REMOVE clause; they may repeat and interleave.
type updateClause struct {
	Set    []*setAction `  "SET" @@ ( "," @@ )*`
	Remove []*pathRef   `| "REMOVE" @@ ( "," @@ )*`
}

// setAction is path = value.
type setAction struct {
	Pos   lexer.Position
	Path  *pathRef `@@ "="`
	Value *expr    `@@`
}

// returning is what RETURNING returns.
type returning struct {
	Which string `@("ALL" | "MODIFIED")`
	Image string `@("OLD" | "NEW") "*"`
}

// deleteStmt is DELETE FROM t WHERE ... [RETURNING ALL OLD *].
type deleteStmt struct {
	Pos       lexer.Position
	Table     tableName `"DELETE" "FROM" @@`
	Where     *expr     `"WHERE" @@`
	Returning bool      `( @"RETURNING" "ALL" "OLD" "*" )?`
}

// explainStmt is EXPLAIN [ANALYZE] [(option, ...)] statement.
type explainStmt struct {
	Pos     lexer.Position
	Analyze bool          `"EXPLAIN" @"ANALYZE"?`
	Options []*explainOpt `( "(" @@ ( "," @@ )* ")" )?`
	Stmt    explainable   `@@`
}

// explainOpt is ANALYZE or FORMAT JSON|TEXT inside EXPLAIN's parentheses.
type explainOpt struct {
	Analyze bool   `  @"ANALYZE"`
	Format  string `| "FORMAT" @("JSON" | "TEXT")`
}

// showStmt is SHOW TABLES [LIKE 'pattern'].
type showStmt struct {
	Pos  lexer.Position
	Like *lexer.Token `"SHOW" "TABLES" ( "LIKE" @String )?`
}

// describeStmt is DESCRIBE [TABLE] t, or DESC t.
type describeStmt struct {
	Pos   lexer.Position
	Table tableName `( "DESCRIBE" | "DESC" ) "TABLE"? @@`
}

func (*selectStmt) statementNode()   {}
func (*insertStmt) statementNode()   {}
func (*updateStmt) statementNode()   {}
func (*deleteStmt) statementNode()   {}
func (*createStmt) statementNode()   {}
func (*dropStmt) statementNode()     {}
func (*explainStmt) statementNode()  {}
func (*showStmt) statementNode()     {}
func (*describeStmt) statementNode() {}

func (*selectStmt) explainableNode() {}
func (*insertStmt) explainableNode() {}
func (*updateStmt) explainableNode() {}
func (*deleteStmt) explainableNode() {}
