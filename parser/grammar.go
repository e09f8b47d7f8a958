package parser

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// This file and grammar_expr.go / grammar_ddl.go hold the participle grammar:
// a parse tree shaped for parsing, converted once into the AST (convert.go).
// Names are captured as whole tokens so that conversion knows their
// positions and whether they were quoted.
//
// participle allocates for every optional group it enters, every
// alternative it tries, every struct it attempts and every capture, so the
// grammar is shaped to try little on the common path: mandatory parts are
// plain struct values rather than pointers, frequent alternatives come
// first, and token types are coarse enough that one reference replaces a
// choice (see scanner.go).

// grammar is the participle parser for whole scripts, built once.
var grammar = participle.MustBuild[script](
	participle.Lexer(newSQLLexer()),
	participle.CaseInsensitive("Keyword", "Ident", "Op"),
	participle.Union[statement](
		&selectStmt{}, &insertStmt{}, &updateStmt{}, &deleteStmt{},
		&createStmt{}, &dropStmt{}, &explainStmt{}, &showStmt{}, &describeStmt{},
		&copyStmt{}, &beginStmt{}, &commitStmt{}, &rollbackStmt{}, &existsStmt{},
		&setStmt{}, &resetStmt{}, &discardStmt{}, &deallocateStmt{}, &analyzeStmt{},
	),
	participle.Union[explainable](&selectStmt{}, &insertStmt{}, &updateStmt{}, &deleteStmt{}),
	participle.Union[primary](
		&identExpr{}, &literal{}, &parenExpr{}, &listLit{}, &mapLit{},
		&setLit{}, &caseExpr{}, &existsExpr{}, &unaryExpr{},
	),
	// Two tokens of lookahead are the fewest that let a column named
	// index or a table named table be written unquoted: (index TEXT, ...)
	// must back out of INDEX name (...) after two tokens.
	participle.UseLookahead(2),
)

// exprGrammar parses a lone expression with the same productions.
var exprGrammar = must(participle.ParserForProduction[expr](grammar))

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// script is a whole input: statements separated by semicolons, any of them
// empty.
type script struct {
	Stmts []statement `parser:"@@? ( \";\" @@? )*"`
}

// statement is implemented by every statement production.
type statement interface{ statementNode() }

// explainable is a statement EXPLAIN accepts.
type explainable interface{ explainableNode() }

// tableName is a table named in a statement.
type tableName struct {
	Name lexer.Token `parser:"@Ident"`
}

// selectStmt is SELECT.
type selectStmt struct {
	Pos      lexer.Position
	Distinct bool          `parser:"\"SELECT\" @\"DISTINCT\"?"`
	Items    []*selectItem `parser:"@@ ( \",\" @@ )*"`
	From     tableRef      `parser:"( \"FROM\" @@ )?"`
	Where    expr          `parser:"( \"WHERE\" @@ )?"`
	GroupBy  []*expr       `parser:"( \"GROUP\" \"BY\" @@ ( \",\" @@ )* )?"`
	Having   expr          `parser:"( \"HAVING\" @@ )?"`
	OrderBy  []*orderItem  `parser:"( \"ORDER\" \"BY\" @@ ( \",\" @@ )* )?"`
	Limit    lexer.Token   `parser:"( \"LIMIT\" @(Number | Param) )?"`
	Offset   lexer.Token   `parser:"( \"OFFSET\" @(Number | Param) )?"`
	Options  stmtOptions   `parser:"@@?"`
}

// selectItem is `*` or an expression with an optional alias. After AS any
// word may be an alias; without AS, WITH followed by ( starts the
// statement's options instead.
type selectItem struct {
	Pos   lexer.Position
	Star  bool        `parser:"  @\"*\""`
	Expr  expr        `parser:"| @@"`
	Alias lexer.Token `parser:"  ( \"AS\" @(Ident | Keyword | \"AND\" | \"OR\") | (?! \"WITH\" \"(\" ) @Ident )?"`
}

// tableRef is the FROM clause: a table, optionally one of its indexes, and
// an optional alias (not WITH followed by (, which starts the statement's
// options).
type tableRef struct {
	Table tableName   `parser:"@@"`
	Index lexer.Token `parser:"( \".\" @Ident )?"`
	Alias lexer.Token `parser:"( \"AS\" @Ident | (?! \"WITH\" \"(\" ) @Ident )?"`
}

// orderItem is one ORDER BY key.
type orderItem struct {
	Expr expr   `parser:"@@"`
	Dir  string `parser:"@(\"ASC\" | \"DESC\")?"`
}

// insertStmt is INSERT, UPSERT or REPLACE INTO, with VALUE (DynamoDB's
// form), a column list and VALUES (SQL's form), or a SELECT whose rows are
// the items to write.
type insertStmt struct {
	Verb    lexer.Token    `parser:"@(\"INSERT\" | \"UPSERT\" | \"REPLACE\") \"INTO\""`
	Table   tableName      `parser:"@@"`
	Map     *mapLit        `parser:"( \"VALUE\" ( @@"`
	Param   lexer.Token    `parser:"          | @Param )"`
	Columns []string       `parser:"| \"(\" @Ident ( \",\" @Ident )* \")\""`
	Rows    []*valuesTuple `parser:"  \"VALUES\" @@ ( \",\" @@ )*"`
	Select  *selectStmt    `parser:"| @@ )"`
	Options stmtOptions    `parser:"@@?"`
}

// valuesTuple is one parenthesised row of INSERT ... VALUES.
type valuesTuple struct {
	Pos   lexer.Position
	Exprs []*expr `parser:"\"(\" @@ ( \",\" @@ )* \")\""`
}

// updateStmt is UPDATE t SET ... REMOVE ... WHERE ... [RETURNING ...]
// [WITH (...)].
type updateStmt struct {
	Pos       lexer.Position
	Table     tableName       `parser:"\"UPDATE\" @@"`
	Clauses   []*updateClause `parser:"@@+"`
	Where     expr            `parser:"\"WHERE\" @@"`
	Returning returning       `parser:"( \"RETURNING\" @@ )?"`
	Options   stmtOptions     `parser:"@@?"`
}

// updateClause is one SET or REMOVE clause; they may repeat and interleave.
type updateClause struct {
	Set    []*setAction `parser:"  \"SET\" @@ ( \",\" @@ )*"`
	Remove []*pathRef   `parser:"| \"REMOVE\" @@ ( \",\" @@ )*"`
}

// setAction is path = value.
type setAction struct {
	Path  pathRef `parser:"@@ \"=\""`
	Value expr    `parser:"@@"`
}

// returning is what RETURNING returns.
type returning struct {
	Which string `parser:"@(\"ALL\" | \"MODIFIED\")"`
	Image string `parser:"@(\"OLD\" | \"NEW\") \"*\""`
}

// deleteStmt is DELETE FROM t WHERE ... [RETURNING ALL OLD *] [WITH (...)].
type deleteStmt struct {
	Pos       lexer.Position
	Table     tableName   `parser:"\"DELETE\" \"FROM\" @@"`
	Where     expr        `parser:"\"WHERE\" @@"`
	Returning bool        `parser:"( @\"RETURNING\" \"ALL\" \"OLD\" \"*\" )?"`
	Options   stmtOptions `parser:"@@?"`
}

// stmtOptions is the trailing WITH (name = value, ...) clause of SELECT,
// INSERT, UPDATE and DELETE: settings for that statement alone. The
// parser checks only the syntax and that no name repeats; the session
// checks names and values against its settings.
type stmtOptions struct {
	With lexer.Token   `parser:"@\"WITH\" \"(\""`
	List []*stmtOption `parser:"@@ ( \",\" @@ )* \")\""`
}

// stmtOption is one name = value of a WITH clause; the value is written
// as SET's is.
type stmtOption struct {
	Name  lexer.Token `parser:"@Ident \"=\""`
	Value setValue    `parser:"@@"`
}

// explainStmt is EXPLAIN [ANALYZE] [(option, ...)] statement.
type explainStmt struct {
	Pos     lexer.Position
	Analyze bool          `parser:"\"EXPLAIN\" @\"ANALYZE\"?"`
	Options []*explainOpt `parser:"( \"(\" @@ ( \",\" @@ )* \")\" )?"`
	Stmt    explainable   `parser:"@@"`
}

// explainOpt is ANALYZE or FORMAT JSON|TEXT inside EXPLAIN's parentheses.
type explainOpt struct {
	Analyze bool   `parser:"  @\"ANALYZE\""`
	Format  string `parser:"| \"FORMAT\" @(\"JSON\" | \"TEXT\")"`
}

// showStmt is SHOW TABLES [LIKE 'pattern'], SHOW ALL, SHOW TRANSACTION
// ISOLATION LEVEL, SHOW TIME ZONE or SHOW name.
type showStmt struct {
	Pos    lexer.Position
	Tables bool        `parser:"\"SHOW\" ( @\"TABLES\""`
	Like   lexer.Token `parser:"  ( \"LIKE\" @String )?"`
	All    bool        `parser:"| @\"ALL\""`
	Iso    bool        `parser:"| @( \"TRANSACTION\" \"ISOLATION\" \"LEVEL\" )"`
	Zone   bool        `parser:"| @( \"TIME\" \"ZONE\" )"`
	Name   *settingRef `parser:"| @@ )"`
}

// describeStmt is DESCRIBE [TABLE] t, or DESC t.
type describeStmt struct {
	Pos   lexer.Position
	Table tableName `parser:"( \"DESCRIBE\" | \"DESC\" ) ( \"TABLE\" @@ | @@ )"`
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

// copyStmt is COPY t [(attr, ...)] | (SELECT ...) FROM 'file' | STDIN |
// TO 'file' | STDOUT [WITH] [(option [value], ...)], or with PostgreSQL's
// older option
// syntax, WITH CSV HEADER DELIMITER ';'. Option names and values are
// checked when converting, so that an unknown option gets a message naming
// the known ones.
type copyStmt struct {
	Pos     lexer.Position
	Query   *selectStmt   `parser:"\"COPY\" ( \"(\" @@ \")\""`
	Table   tableName     `parser:"| @@ )"`
	Columns []*copyColumn `parser:"( \"(\" @@ ( \",\" @@ )* \")\" )?"`
	Dir     lexer.Token   `parser:"@(\"FROM\" | \"TO\")"`
	File    lexer.Token   `parser:"( @String"`
	Std     lexer.Token   `parser:"| @Ident )"`
	With    bool          `parser:"@\"WITH\"?"`
	Options []*copyOpt    `parser:"( \"(\" @@ ( \",\" @@ )* \")\""`
	Legacy  []*copyLegacy `parser:"| @@+ )?"`
}

// copyColumn is one attribute of COPY t (a, b) FROM.
type copyColumn struct {
	Name lexer.Token `parser:"@Ident"`
}

// copyLegacy is one option of the older syntax: CSV, HEADER, BINARY or
// DELIMITER [AS] 'c'.
type copyLegacy struct {
	Word  lexer.Token `parser:"  @(\"CSV\" | \"HEADER\" | \"BINARY\")"`
	Delim lexer.Token `parser:"| \"DELIMITER\" \"AS\"? @String"`
}

// copyOpt is one COPY option: a name and an optional value.
type copyOpt struct {
	Name  lexer.Token `parser:"@Ident"`
	Value lexer.Token `parser:"@(Ident | String | Number | Keyword)?"`
}

func (*copyStmt) statementNode() {}

// beginStmt is BEGIN [TRANSACTION | WORK] [modes] or START TRANSACTION
// [modes].
type beginStmt struct {
	Pos   lexer.Position
	Begin bool     `parser:"( @\"BEGIN\" ( \"TRANSACTION\" | \"WORK\" )?"`
	Start bool     `parser:"| @\"START\" \"TRANSACTION\" )"`
	Modes *txModes `parser:"@@?"`
}

// commitStmt is COMMIT | END [TRANSACTION | WORK].
type commitStmt struct {
	Pos    lexer.Position
	Commit bool `parser:"@( \"COMMIT\" | \"END\" ) ( \"TRANSACTION\" | \"WORK\" )?"`
}

// rollbackStmt is ROLLBACK | ABORT [TRANSACTION | WORK].
type rollbackStmt struct {
	Pos      lexer.Position
	Rollback bool `parser:"@( \"ROLLBACK\" | \"ABORT\" ) ( \"TRANSACTION\" | \"WORK\" )?"`
}

func (*beginStmt) statementNode()    {}
func (*commitStmt) statementNode()   {}
func (*rollbackStmt) statementNode() {}

// existsStmt is [NOT] EXISTS(SELECT ...) as a statement: a transaction's
// condition check.
type existsStmt struct {
	Pos    lexer.Position
	Not    bool       `parser:"@\"NOT\"?"`
	Select selectStmt `parser:"\"EXISTS\" \"(\" @@ \")\""`
}

func (*existsStmt) statementNode() {}
