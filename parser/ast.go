package parser

// This file defines the abstract syntax tree every later stage consumes. The
// participle grammar (grammar.go) is a parse tree shaped for the parser; it is
// converted once into these types, so the planner never sees grammar details.
//
// The FROM clause is a TableExpr tree and expressions are an open interface so
// that joins, subqueries, CTEs, UNION and casts can be added as new node types
// without changing the existing ones.

// Pos is a position in the statement text: 1-based line and column, 0-based
// byte offset.
type Pos struct {
	Offset int
	Line   int
	Column int
}

// Node is any AST node.
type Node interface {
	Position() Pos
}

// Statement is a complete SQL statement.
type Statement interface {
	Node
	statementNode()
}

// Expr is a scalar expression.
type Expr interface {
	Node
	exprNode()
}

// TableExpr is an item of a FROM clause. Only TableName exists today; joins
// and subqueries become further implementations.
type TableExpr interface {
	Node
	tableExprNode()
}

// ---------------------------------------------------------------------------
// Statements

// Select is SELECT ... [FROM ...] [WHERE ...] [GROUP BY ...] [HAVING ...]
// [ORDER BY ...] [LIMIT n] [OFFSET n] [WITH (option, ...)]. Only a
// statement's own SELECT has Options: the SELECT of INSERT ... SELECT,
// COPY (SELECT ...) and EXISTS(SELECT ...) has none.
type Select struct {
	Pos      Pos
	Distinct bool
	Items    []SelectItem
	From     TableExpr // nil for SELECT without FROM
	Where    Expr      // nil when absent
	GroupBy  []Expr
	Having   Expr
	OrderBy  []OrderItem
	Limit    Expr // nil when absent
	Offset   Expr // nil when absent
	Options  []StatementOption
}

// SelectItem is one entry of the select list: `*`, or an expression with an
// optional alias.
type SelectItem struct {
	Pos   Pos
	Star  bool
	Expr  Expr
	Alias string
}

// OrderItem is one ORDER BY key.
type OrderItem struct {
	Pos  Pos
	Expr Expr
	Desc bool
}

// TableName names a table, optionally one of its indexes ("T"."Index"), with
// an optional alias.
type TableName struct {
	Pos   Pos
	Name  string
	Index string
	Alias string
}

// Insert is INSERT INTO t VALUE {...} (DynamoDB's form, Value set),
// INSERT INTO t (a, b) VALUES (...), (...) (SQL's form, Columns and Rows set)
// or INSERT INTO t SELECT ... (Select set: each row is an item to write).
// Upsert is set for UPSERT / REPLACE INTO, which overwrite an existing item.
type Insert struct {
	Pos     Pos
	Table   string
	Upsert  bool
	Value   Expr // a MapExpr or a Param
	Columns []string
	Rows    [][]Expr
	Select  *Select
	// Options are the statement's WITH clause, written after the VALUES,
	// the VALUE or the SELECT.
	Options []StatementOption
}

// UpdateActionKind tells SET from REMOVE.
type UpdateActionKind int

const (
	// SetAction assigns Value to Path.
	SetAction UpdateActionKind = iota
	// RemoveAction deletes Path from the item.
	RemoveAction
)

// UpdateAction is one `SET path = value` or `REMOVE path`.
type UpdateAction struct {
	Pos   Pos
	Kind  UpdateActionKind
	Path  *Path
	Value Expr // nil for RemoveAction
}

// Returning is the RETURNING clause of UPDATE and DELETE.
type Returning int

const (
	// ReturnNothing is the absence of a RETURNING clause.
	ReturnNothing Returning = iota
	// ReturnAllOld is RETURNING ALL OLD *.
	ReturnAllOld
	// ReturnModifiedOld is RETURNING MODIFIED OLD *.
	ReturnModifiedOld
	// ReturnAllNew is RETURNING ALL NEW *.
	ReturnAllNew
	// ReturnModifiedNew is RETURNING MODIFIED NEW *.
	ReturnModifiedNew
)

// Update is UPDATE t SET ... [REMOVE ...] WHERE ... [RETURNING ...]
// [WITH (option, ...)].
type Update struct {
	Pos       Pos
	Table     string
	Actions   []UpdateAction
	Where     Expr
	Returning Returning
	Options   []StatementOption
}

// Delete is DELETE FROM t WHERE ... [RETURNING ALL OLD *] [WITH (option, ...)].
type Delete struct {
	Pos       Pos
	Table     string
	Where     Expr
	Returning Returning
	Options   []StatementOption
}

// StatementOption is one name = value of the WITH (...) clause that ends a
// SELECT, INSERT, UPDATE or DELETE: a setting that holds for that
// statement alone, as if SET had been run just before it and RESET just
// after. Name is lower-cased (setting names are case-insensitive); the
// value is written as SET's values are. The parser checks that no name
// repeats; which names and values are valid is the session's business.
type StatementOption struct {
	Pos   Pos
	Name  string
	Value SetValue
}

// StatementOptions returns the WITH options of a statement: those of a
// SELECT, INSERT, UPDATE or DELETE, and of the statement an EXPLAIN
// explains; nil for any other statement.
func StatementOptions(s Statement) []StatementOption {
	switch s := s.(type) {
	case *Select:
		return s.Options
	case *Insert:
		return s.Options
	case *Update:
		return s.Options
	case *Delete:
		return s.Options
	case *Explain:
		return StatementOptions(s.Stmt)
	}
	return nil
}

// Explain is EXPLAIN [ANALYZE] [(FORMAT JSON|TEXT)] statement.
type Explain struct {
	Pos     Pos
	Analyze bool
	JSON    bool
	Stmt    Statement
}

// KeyType is the DynamoDB scalar type of a key attribute.
type KeyType string

const (
	// KeyString is S (TEXT, STRING, VARCHAR).
	KeyString KeyType = "S"
	// KeyNumber is N (NUMERIC, NUMBER, INT, DECIMAL ...).
	KeyNumber KeyType = "N"
	// KeyBinary is B (BYTEA, BINARY, BLOB).
	KeyBinary KeyType = "B"
)

// ColumnDef declares an attribute's type in CREATE TABLE. Only key attributes
// (of the table or an index) need one.
type ColumnDef struct {
	Pos  Pos
	Name string
	Type KeyType
}

// ProjectionKind is what an index copies from the base table.
type ProjectionKind string

const (
	// ProjectAll copies every attribute (the default).
	ProjectAll ProjectionKind = "ALL"
	// ProjectKeysOnly copies the table and index keys only.
	ProjectKeysOnly ProjectionKind = "KEYS_ONLY"
	// ProjectInclude copies the keys plus IndexDef.Include.
	ProjectInclude ProjectionKind = "INCLUDE"
)

// Throughput is provisioned read and write capacity.
type Throughput struct {
	Read  int64
	Write int64
}

// Billing is a table's billing mode: on-demand when Provisioned is nil.
type Billing struct {
	Pos         Pos
	Provisioned *Throughput
}

// IndexDef declares a secondary index, in CREATE TABLE or CREATE INDEX.
type IndexDef struct {
	Pos          Pos
	Name         string
	Local        bool   // LSI; else GSI
	PartitionKey string // for an LSI, the table's partition key
	SortKey      string // "" when the index has none
	Projection   ProjectionKind
	Include      []string    // with ProjectInclude
	Throughput   *Throughput // GSI on a provisioned table
}

// CreateTable is CREATE TABLE [IF NOT EXISTS] in either accepted spelling.
type CreateTable struct {
	Pos          Pos
	Name         string
	IfNotExists  bool
	Columns      []ColumnDef
	PartitionKey string
	SortKey      string // "" when the table has none
	Indexes      []IndexDef
	Billing      *Billing // nil: on-demand
}

// CreateIndex is CREATE INDEX name ON t (a [, b]) [INCLUDE (...)], a GSI on an
// existing table. Column types come from Columns when given
// (CREATE INDEX i ON t (a TEXT, b NUMERIC)), else default to S.
type CreateIndex struct {
	Pos     Pos
	Index   IndexDef
	Table   string
	Columns []ColumnDef
}

// DropTable is DROP TABLE [IF EXISTS] t.
type DropTable struct {
	Pos      Pos
	Name     string
	IfExists bool
}

// DropIndex is DROP INDEX name ON t (also accepted: DROP INDEX t.name).
type DropIndex struct {
	Pos   Pos
	Name  string
	Table string
}

// ShowTables is SHOW TABLES [LIKE 'pattern'].
type ShowTables struct {
	Pos  Pos
	Like string
}

// Describe is DESCRIBE t (also DESC t).
type Describe struct {
	Pos   Pos
	Table string
}

// Begin is BEGIN [TRANSACTION | WORK] [modes] (also START TRANSACTION
// [modes]).
type Begin struct {
	Pos   Pos
	Modes TxModes
}

// Commit is COMMIT [TRANSACTION | WORK] (also END).
type Commit struct {
	Pos Pos
}

// Rollback is ROLLBACK [TRANSACTION | WORK] (also ABORT).
type Rollback struct {
	Pos Pos
}

// Exists is [NOT] EXISTS(SELECT ... FROM t WHERE <full key> [AND
// condition]) as a statement: inside a transaction, a condition check (the
// item must exist and match the condition, or with Not must not, or the
// transaction is canceled).
type Exists struct {
	Pos    Pos
	Not    bool
	Select *Select
}

// ---------------------------------------------------------------------------
// Expressions

// LiteralKind is the type of a literal.
type LiteralKind int

const (
	// LitString is 'text'.
	LitString LiteralKind = iota
	// LitNumber is a number, kept as its exact decimal text.
	LitNumber
	// LitBool is TRUE or FALSE.
	LitBool
	// LitNull is NULL.
	LitNull
)

// Literal is a scalar constant. Text holds the string's value (quotes
// removed, ” unescaped), the number's exact decimal text as written, or
// "true"/"false" for booleans.
type Literal struct {
	Pos  Pos
	Kind LiteralKind
	Text string
}

// ListExpr is [e1, e2, ...].
type ListExpr struct {
	Pos   Pos
	Elems []Expr
}

// MapEntry is one 'key': value pair of a MapExpr.
type MapEntry struct {
	Key   string
	Value Expr
}

// MapExpr is {'k': v, ...}; entries keep their written order.
type MapExpr struct {
	Pos     Pos
	Entries []MapEntry
}

// SetExpr is <<e1, e2, ...>>: a string, number or binary set depending on
// the element values.
type SetExpr struct {
	Pos   Pos
	Elems []Expr
}

// PathStep is one step of a document path: an attribute/map key name, or a
// list index.
type PathStep struct {
	Name    string
	Index   int
	IsIndex bool
}

// Path is a document path: a.b[0]."size". Steps[0] is always a name.
type Path struct {
	Pos   Pos
	Steps []PathStep
}

// Param is a positional parameter, `?` (numbered in order of appearance) or
// `$n`. Index is 0-based in both cases.
type Param struct {
	Pos    Pos
	Index  int
	Dollar bool
}

// UnaryExpr is NOT x, -x or +x. Op is "NOT", "-" or "+".
type UnaryExpr struct {
	Pos Pos
	Op  string
	X   Expr
}

// BinaryExpr is a binary operator. Op is one of: AND OR = <> < <= > >= + - *
// / % || (!= is normalised to <>).
type BinaryExpr struct {
	Pos Pos
	Op  string
	L   Expr
	R   Expr
}

// BetweenExpr is x [NOT] BETWEEN lo AND hi (inclusive).
type BetweenExpr struct {
	Pos Pos
	X   Expr
	Lo  Expr
	Hi  Expr
	Not bool
}

// InExpr is x [NOT] IN [a, b] or x [NOT] IN (a, b).
type InExpr struct {
	Pos  Pos
	X    Expr
	List []Expr
	Not  bool
}

// LikeExpr is x [NOT] LIKE pattern (% and _ wildcards).
type LikeExpr struct {
	Pos     Pos
	X       Expr
	Pattern Expr
	Not     bool
}

// IsKind is what IS tests for.
type IsKind int

const (
	// IsNull is IS [NOT] NULL.
	IsNull IsKind = iota
	// IsMissing is IS [NOT] MISSING.
	IsMissing
)

// IsExpr is x IS [NOT] NULL | MISSING.
type IsExpr struct {
	Pos  Pos
	X    Expr
	What IsKind
	Not  bool
}

// FuncCall is a function or aggregate call. Name is lower-cased, without
// a pg_catalog. prefix (other schemas stay in the name: "s.f"). Star is set
// for COUNT(*); Distinct for COUNT(DISTINCT x) and the like. NoParens marks
// SQL's special functions written without parentheses (CURRENT_USER,
// CURRENT_TIMESTAMP).
type FuncCall struct {
	Pos      Pos
	Name     string
	Args     []Expr
	Star     bool
	Distinct bool
	NoParens bool
}

// When is one WHEN cond THEN result arm of a CASE.
type When struct {
	Cond   Expr
	Result Expr
}

// CaseExpr is CASE [operand] WHEN ... THEN ... [ELSE ...] END.
type CaseExpr struct {
	Pos     Pos
	Operand Expr // nil for a searched CASE
	Whens   []When
	Else    Expr // nil when absent
}

// ExistsExpr is EXISTS(SELECT ...).
type ExistsExpr struct {
	Pos    Pos
	Select *Select
}

// Position implementations.

func (n *Select) Position() Pos      { return n.Pos }
func (n *Insert) Position() Pos      { return n.Pos }
func (n *Update) Position() Pos      { return n.Pos }
func (n *Delete) Position() Pos      { return n.Pos }
func (n *Explain) Position() Pos     { return n.Pos }
func (n *CreateTable) Position() Pos { return n.Pos }
func (n *CreateIndex) Position() Pos { return n.Pos }
func (n *DropTable) Position() Pos   { return n.Pos }
func (n *DropIndex) Position() Pos   { return n.Pos }
func (n *ShowTables) Position() Pos  { return n.Pos }
func (n *Describe) Position() Pos    { return n.Pos }
func (n *Begin) Position() Pos       { return n.Pos }
func (n *Commit) Position() Pos      { return n.Pos }
func (n *Rollback) Position() Pos    { return n.Pos }
func (n *Exists) Position() Pos      { return n.Pos }
func (n *TableName) Position() Pos   { return n.Pos }
func (n *Literal) Position() Pos     { return n.Pos }
func (n *ListExpr) Position() Pos    { return n.Pos }
func (n *MapExpr) Position() Pos     { return n.Pos }
func (n *SetExpr) Position() Pos     { return n.Pos }
func (n *Path) Position() Pos        { return n.Pos }
func (n *Param) Position() Pos       { return n.Pos }
func (n *UnaryExpr) Position() Pos   { return n.Pos }
func (n *BinaryExpr) Position() Pos  { return n.Pos }
func (n *BetweenExpr) Position() Pos { return n.Pos }
func (n *InExpr) Position() Pos      { return n.Pos }
func (n *LikeExpr) Position() Pos    { return n.Pos }
func (n *IsExpr) Position() Pos      { return n.Pos }
func (n *FuncCall) Position() Pos    { return n.Pos }
func (n *CaseExpr) Position() Pos    { return n.Pos }
func (n *ExistsExpr) Position() Pos  { return n.Pos }

func (*Select) statementNode()      {}
func (*Insert) statementNode()      {}
func (*Update) statementNode()      {}
func (*Delete) statementNode()      {}
func (*Explain) statementNode()     {}
func (*CreateTable) statementNode() {}
func (*CreateIndex) statementNode() {}
func (*DropTable) statementNode()   {}
func (*DropIndex) statementNode()   {}
func (*ShowTables) statementNode()  {}
func (*Describe) statementNode()    {}
func (*Begin) statementNode()       {}
func (*Commit) statementNode()      {}
func (*Rollback) statementNode()    {}
func (*Exists) statementNode()      {}

func (*TableName) tableExprNode() {}

func (*Literal) exprNode()     {}
func (*ListExpr) exprNode()    {}
func (*MapExpr) exprNode()     {}
func (*SetExpr) exprNode()     {}
func (*Path) exprNode()        {}
func (*Param) exprNode()       {}
func (*UnaryExpr) exprNode()   {}
func (*BinaryExpr) exprNode()  {}
func (*BetweenExpr) exprNode() {}
func (*InExpr) exprNode()      {}
func (*LikeExpr) exprNode()    {}
func (*IsExpr) exprNode()      {}
func (*FuncCall) exprNode()    {}
func (*CaseExpr) exprNode()    {}
func (*ExistsExpr) exprNode()  {}
