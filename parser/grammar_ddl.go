package parser

import "github.com/alecthomas/participle/v2/lexer"

// createStmt is CREATE TABLE or CREATE INDEX.
type createStmt struct {
	Pos   lexer.Position
	Table *createTable `"CREATE" ( @@`
	Index *createIndex `| @@ )`
}

// createTable accepts two spellings: SQL's, with PRIMARY KEY and indexes
// inside the column list, and ddbsh's, with PRIMARY KEY (a HASH, b RANGE),
// GSI (...) and LSI (...) after it. Both may be mixed.
type createTable struct {
	IfNotExists bool         `"TABLE" @( "IF" "NOT" "EXISTS" )?`
	Name        tableName    `@@`
	Elems       []*tableElem `"(" @@ ( "," @@ )* ")"`
	Options     []*tableOpt  `@@*`
}

// tableElem is one element of CREATE TABLE's parenthesised list.
type tableElem struct {
	Pos    lexer.Position
	Key    *keySpec   `  "PRIMARY" "KEY" @@`
	Index  *indexElem `| @@`
	Column *columnDef `| @@`
}

// columnDef declares an attribute's type: name TEXT, name VARCHAR(10).
type columnDef struct {
	Name lexer.Token   `@(Ident | QIdent)`
	Type lexer.Token   `@(Ident | QIdent)`
	Size []lexer.Token `( "(" @Number ( "," @Number )? ")" )?`
}

// keySpec is a parenthesised key: (pk [HASH] [, sk [RANGE]]).
type keySpec struct {
	Pos   lexer.Position
	Parts []*keyPart `"(" @@ ( "," @@ )* ")"`
}

// keyPart is one attribute of a key, with its optional ddbsh role.
type keyPart struct {
	Name lexer.Token `@(Ident | QIdent)`
	Role string      `@("HASH" | "RANGE")?`
}

// indexElem is [GLOBAL | LOCAL] INDEX name (a [, b]) [projection]
// [THROUGHPUT (r, w)] inside CREATE TABLE's list.
type indexElem struct {
	Pos        lexer.Position
	Scope      string      `@("GLOBAL" | "LOCAL")? "INDEX"`
	Name       lexer.Token `@(Ident | QIdent)`
	Key        *keySpec    `@@`
	Projection *projection `@@?`
	Throughput *capacity   `( "THROUGHPUT" @@ )?`
}

// tableOpt is a clause after CREATE TABLE's list.
type tableOpt struct {
	Pos     lexer.Position
	Key     *keySpec      `  "PRIMARY" "KEY" @@`
	Billing *billing      `| "BILLING" "MODE" @@`
	GSI     []*ddbshIndex `| "GSI" "(" @@ ( "," @@ )* ")"`
	LSI     []*ddbshIndex `| "LSI" "(" @@ ( "," @@ )* ")"`
}

// ddbshIndex is name ON (a HASH [, b RANGE]) [PROJECTING projection]
// [THROUGHPUT (r, w) | BILLING MODE ...] inside GSI (...) or LSI (...).
type ddbshIndex struct {
	Pos        lexer.Position
	Name       lexer.Token `@(Ident | QIdent) "ON"`
	Key        *keySpec    `@@`
	Projection *projection `( "PROJECTING" @@ )?`
	Throughput *capacity   `( "THROUGHPUT" @@`
	Billing    *billing    `| "BILLING" "MODE" @@ )?`
}

// projection is ALL, KEYS ONLY or INCLUDE (a, b).
type projection struct {
	Pos      lexer.Position
	All      bool          `  @"ALL"`
	KeysOnly bool          `| @"KEYS" "ONLY"`
	Include  []lexer.Token `| "INCLUDE" "(" @(Ident | QIdent) ( "," @(Ident | QIdent) )* ")"`
}

// billing is what follows BILLING MODE.
type billing struct {
	Pos         lexer.Position
	OnDemand    bool      `  @( "ON" "DEMAND" | "PAY_PER_REQUEST" )`
	Provisioned *capacity `| "PROVISIONED" "THROUGHPUT"? @@`
}

// capacity is (RCU r, WCU w), (r RCU, w WCU) or (r, w).
type capacity struct {
	Pos   lexer.Position
	Read  lexer.Token `"(" ( "RCU" @Number | @Number "RCU"? ) ","`
	Write lexer.Token `( "WCU" @Number | @Number "WCU"? ) ")"`
}

// createIndex is CREATE INDEX name ON t (a [type] [, b [type]])
// [projection] [THROUGHPUT (r, w)].
type createIndex struct {
	Name       lexer.Token    `"INDEX" @(Ident | QIdent) "ON"`
	Table      tableName      `@@`
	Columns    []*indexColumn `"(" @@ ( "," @@ )* ")"`
	Projection *projection    `@@?`
	Throughput *capacity      `( "THROUGHPUT" @@ )?`
}

// indexColumn is a key column of CREATE INDEX with its optional type.
type indexColumn struct {
	Name lexer.Token  `@(Ident | QIdent)`
	Type *lexer.Token `@(Ident | QIdent)?`
}

// dropStmt is DROP TABLE or DROP INDEX.
type dropStmt struct {
	Pos   lexer.Position
	Table *dropTable `"DROP" ( "TABLE" @@`
	Index *dropIndex `| "INDEX" @@ )`
}

// dropTable is [IF EXISTS] t.
type dropTable struct {
	IfExists bool      `@( "IF" "EXISTS" )?`
	Name     tableName `@@`
}

// dropIndex is name ON t, or t.name.
type dropIndex struct {
	First  lexer.Token  `@(Ident | QIdent)`
	Table  *lexer.Token `( "ON" @(Ident | QIdent)`
	Dotted *lexer.Token `| "." @(Ident | QIdent) )`
}
