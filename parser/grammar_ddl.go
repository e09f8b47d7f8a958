package parser

import "github.com/alecthomas/participle/v2/lexer"

// createStmt is CREATE TABLE or CREATE INDEX.
type createStmt struct {
	Pos   lexer.Position
	Table *createTable `parser:"\"CREATE\" ( @@"`
	Index *createIndex `parser:"| @@ )"`
}

// createTable accepts two spellings: SQL's, with PRIMARY KEY and indexes
// inside the column list, and ddbsh's, with PRIMARY KEY (a HASH, b RANGE),
// GSI (...) and LSI (...) after it. Both may be mixed.
type createTable struct {
	IfNotExists bool         `parser:"\"TABLE\" @( \"IF\" \"NOT\" \"EXISTS\" )?"`
	Name        tableName    `parser:"@@"`
	Elems       []*tableElem `parser:"\"(\" @@ ( \",\" @@ )* \")\""`
	Options     []*tableOpt  `parser:"@@*"`
}

// tableElem is one element of CREATE TABLE's parenthesised list.
type tableElem struct {
	Pos    lexer.Position
	Key    *keySpec   `parser:"  \"PRIMARY\" \"KEY\" @@"`
	Index  *indexElem `parser:"| @@"`
	Column *columnDef `parser:"| @@"`
}

// columnDef declares an attribute's type: name TEXT, name VARCHAR(10),
// and, as in SQL, id TEXT PRIMARY KEY for a table keyed by one attribute.
type columnDef struct {
	Name       lexer.Token `parser:"@Ident"`
	Type       lexer.Token `parser:"@Ident"`
	Size       []string    `parser:"( \"(\" @Number ( \",\" @Number )? \")\" )?"`
	PrimaryKey bool        `parser:"@( \"PRIMARY\" \"KEY\" )?"`
}

// keySpec is a parenthesised key: (pk [HASH] [, sk [RANGE]]).
type keySpec struct {
	Pos   lexer.Position
	Parts []*keyPart `parser:"\"(\" @@ ( \",\" @@ )* \")\""`
}

// keyPart is one attribute of a key, with its optional ddbsh role.
type keyPart struct {
	Name lexer.Token `parser:"@Ident"`
	Role string      `parser:"@(\"HASH\" | \"RANGE\")?"`
}

// indexElem is [GLOBAL | LOCAL] INDEX name (a [, b]) [projection]
// [THROUGHPUT (r, w)] inside CREATE TABLE's list.
type indexElem struct {
	Pos        lexer.Position
	Scope      string      `parser:"@(\"GLOBAL\" | \"LOCAL\")? \"INDEX\""`
	Name       lexer.Token `parser:"@Ident"`
	Key        *keySpec    `parser:"@@"`
	Projection *projection `parser:"@@?"`
	Throughput *capacity   `parser:"( \"THROUGHPUT\" @@ )?"`
}

// tableOpt is a clause after CREATE TABLE's list.
type tableOpt struct {
	Pos     lexer.Position
	Key     *keySpec      `parser:"  \"PRIMARY\" \"KEY\" @@"`
	Billing *billing      `parser:"| \"BILLING\" \"MODE\" @@"`
	GSI     []*ddbshIndex `parser:"| \"GSI\" \"(\" @@ ( \",\" @@ )* \")\""`
	LSI     []*ddbshIndex `parser:"| \"LSI\" \"(\" @@ ( \",\" @@ )* \")\""`
}

// ddbshIndex is name ON (a HASH [, b RANGE]) [PROJECTING projection]
// [THROUGHPUT (r, w) | BILLING MODE ...] inside GSI (...) or LSI (...).
type ddbshIndex struct {
	Pos        lexer.Position
	Name       lexer.Token `parser:"@Ident \"ON\""`
	Key        *keySpec    `parser:"@@"`
	Projection *projection `parser:"( \"PROJECTING\" @@ )?"`
	Throughput *capacity   `parser:"( \"THROUGHPUT\" @@"`
	Billing    *billing    `parser:"| \"BILLING\" \"MODE\" @@ )?"`
}

// projection is ALL, KEYS ONLY or INCLUDE (a, b).
type projection struct {
	Pos      lexer.Position
	All      bool     `parser:"  @\"ALL\""`
	KeysOnly bool     `parser:"| @\"KEYS\" \"ONLY\""`
	Include  []string `parser:"| \"INCLUDE\" \"(\" @Ident ( \",\" @Ident )* \")\""`
}

// billing is what follows BILLING MODE.
type billing struct {
	Pos         lexer.Position
	OnDemand    bool      `parser:"  @( \"ON\" \"DEMAND\" | \"PAY_PER_REQUEST\" )"`
	Provisioned *capacity `parser:"| \"PROVISIONED\" \"THROUGHPUT\"? @@"`
}

// capacity is (RCU r, WCU w), (r RCU, w WCU) or (r, w).
type capacity struct {
	Pos   lexer.Position
	Read  lexer.Token `parser:"\"(\" ( \"RCU\" @Number | @Number \"RCU\"? ) \",\""`
	Write lexer.Token `parser:"( \"WCU\" @Number | @Number \"WCU\"? ) \")\""`
}

// createIndex is CREATE INDEX name ON t (a [type] [, b [type]])
// [projection] [THROUGHPUT (r, w)].
type createIndex struct {
	Name       lexer.Token    `parser:"\"INDEX\" @Ident \"ON\""`
	Table      tableName      `parser:"@@"`
	Columns    []*indexColumn `parser:"\"(\" @@ ( \",\" @@ )* \")\""`
	Projection *projection    `parser:"@@?"`
	Throughput *capacity      `parser:"( \"THROUGHPUT\" @@ )?"`
}

// indexColumn is a key column of CREATE INDEX with its optional type.
type indexColumn struct {
	Name lexer.Token `parser:"@Ident"`
	Type lexer.Token `parser:"@Ident?"`
}

// dropStmt is DROP TABLE or DROP INDEX.
type dropStmt struct {
	Pos   lexer.Position
	Table *dropTable `parser:"\"DROP\" ( \"TABLE\" @@"`
	Index *dropIndex `parser:"| \"INDEX\" @@ )"`
}

// dropTable is [IF EXISTS] t.
type dropTable struct {
	IfExists bool      `parser:"@( \"IF\" \"EXISTS\" )?"`
	Name     tableName `parser:"@@"`
}

// dropIndex is name ON t, or t.name.
type dropIndex struct {
	First  lexer.Token `parser:"@Ident"`
	Table  lexer.Token `parser:"( \"ON\" @Ident"`
	Dotted lexer.Token `parser:"| \".\" @Ident )"`
}
