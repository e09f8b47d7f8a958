package parser

// Session statements: the SET, SHOW and transaction-control statements
// PostgreSQL clients send when they connect, and the maintenance
// statements (DISCARD, DEALLOCATE, ANALYZE) connection pools and tools
// issue. They change or report the session's state and never read a
// table's items.

// SetValueKind is how a value of SET was written.
type SetValueKind int

const (
	// SetString is a quoted string: 'ISO, MDY'.
	SetString SetValueKind = iota
	// SetNumber is a number, possibly negative: 3, -1, 2.5.
	SetNumber
	// SetWord is an identifier or keyword: on, public, "$user". Unquoted
	// words are lower-cased, as PostgreSQL folds them.
	SetWord
)

// SetValue is one value of a SET statement's list.
type SetValue struct {
	Kind SetValueKind
	Text string
}

// SetVar is SET [SESSION | LOCAL] name {= | TO} value[, ...] | DEFAULT,
// SET TIME ZONE value | LOCAL | DEFAULT (Name "timezone"), and, with Reset
// set, RESET name (which is SET name TO DEFAULT). Name is lower-cased
// (setting names are case-insensitive) and may be dotted (a custom
// setting such as myapp.tenant).
type SetVar struct {
	Pos     Pos
	Name    string
	Values  []SetValue // empty with Default
	Default bool
	Local   bool
	Reset   bool
}

// ResetAll is RESET ALL: every setting back to its default.
type ResetAll struct {
	Pos Pos
}

// Show is SHOW name, SHOW TIME ZONE (Name "timezone"), SHOW TRANSACTION
// ISOLATION LEVEL (Name "transaction_isolation") and, with All set,
// SHOW ALL. Name is lower-cased.
type Show struct {
	Pos  Pos
	Name string
	All  bool
}

// TxModes are the transaction characteristics of BEGIN, START TRANSACTION
// and SET TRANSACTION. Each field is "" when not given.
type TxModes struct {
	// Isolation is "serializable", "repeatable read", "read committed"
	// or "read uncommitted".
	Isolation string
	// Access is "read only" or "read write".
	Access string
	// Deferrable is "deferrable" or "not deferrable".
	Deferrable string
}

// IsZero reports whether no characteristic is given.
func (m TxModes) IsZero() bool { return m == TxModes{} }

// SetTransaction is SET TRANSACTION modes (the current transaction) or,
// with Session set, SET SESSION CHARACTERISTICS AS TRANSACTION modes (the
// defaults of later transactions).
type SetTransaction struct {
	Pos     Pos
	Session bool
	Modes   TxModes
}

// Discard is DISCARD ALL | PLANS | TEMP | SEQUENCES; What is upper-case,
// TEMPORARY given as TEMP.
type Discard struct {
	Pos  Pos
	What string
}

// Deallocate is DEALLOCATE [PREPARE] name | ALL.
type Deallocate struct {
	Pos  Pos
	Name string // "" with All
	All  bool
}

// Analyze is ANALYZE [VERBOSE] [table]: it refreshes what the session has
// cached about the table (every table when Table is "").
type Analyze struct {
	Pos   Pos
	Table string
}

func (n *SetVar) Position() Pos         { return n.Pos }
func (n *ResetAll) Position() Pos       { return n.Pos }
func (n *Show) Position() Pos           { return n.Pos }
func (n *SetTransaction) Position() Pos { return n.Pos }
func (n *Discard) Position() Pos        { return n.Pos }
func (n *Deallocate) Position() Pos     { return n.Pos }
func (n *Analyze) Position() Pos        { return n.Pos }

func (*SetVar) statementNode()         {}
func (*ResetAll) statementNode()       {}
func (*Show) statementNode()           {}
func (*SetTransaction) statementNode() {}
func (*Discard) statementNode()        {}
func (*Deallocate) statementNode()     {}
func (*Analyze) statementNode()        {}

// Cast is CAST(x AS type) or x::type. Type is PostgreSQL's internal name
// of the target type, normalised from its spellings: "text", "varchar",
// "bpchar" (char), "int2", "int4", "int8", "numeric", "float4", "float8",
// "bool", "bytea", "json", "jsonb", "date", "timestamp", "timestamptz",
// "regclass", "oid" or "name". Mods are the type modifiers written after
// the name (varchar(10), numeric(10, 2)); nil when none.
type Cast struct {
	Pos  Pos
	X    Expr
	Type string
	Mods []int
}

func (n *Cast) Position() Pos { return n.Pos }
func (*Cast) exprNode()       {}
