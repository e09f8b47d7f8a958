package parser

import "github.com/alecthomas/participle/v2/lexer"

// Expressions are parsed flat: an operand followed by operator tails,
// `a = 1 AND b < 2` being a, (= 1), (AND b), (< 2). Conversion then builds
// the tree by precedence climbing (convert_expr.go). A grammar with one
// production per precedence level would walk nine nested productions for
// every operand, which in participle's reflection-driven parser costs an
// allocation or more each; the flat form parses a point lookup several times
// faster. BETWEEN and LIKE take an arithmetic operand (arith) so that the
// AND of BETWEEN binds to it in the grammar itself.

// expr is an operand followed by any number of operator tails.
type expr struct {
	Pos   lexer.Position
	Head  primary `@@`
	Tails []*tail `@@*`
}

// arith is an operand followed by arithmetic and concatenation tails only:
// the operands of BETWEEN and LIKE.
type arith struct {
	Pos   lexer.Position
	Head  primary      `@@`
	Tails []*arithTail `@@*`
}

// arithTail is one || + - * / % operator and its right operand.
type arithTail struct {
	Pos   lexer.Position
	Op    string  `@ArithOp`
	Right primary `@@`
}

// tail is one operator applied to the expression so far: a binary operator
// and its right operand, IS [NOT] NULL|MISSING, [NOT] BETWEEN, [NOT] LIKE or
// [NOT] IN.
type tail struct {
	Pos     lexer.Position
	Op      string   `(  @(CmpOp | ArithOp | "AND" | "OR")`
	Right   primary  `   @@`
	Is      bool     `| @"IS"`
	IsNot   bool     `  @"NOT"?`
	IsWhat  string   `  @("NULL" | "MISSING")`
	Not     bool     `| @"NOT"?`
	Between *between `  ( @@`
	Like    *arith   `  | "LIKE" @@`
	In      *inList  `  | "IN" @@ ) )`
}

// between is the BETWEEN lo AND hi of a tail.
type between struct {
	Lo *arith `"BETWEEN" @@`
	Hi *arith `"AND" @@`
}

// inList is the list of IN: (a, b) or [a, b].
type inList struct {
	Pos    lexer.Position
	Paren  []*expr `  "(" @@ ( "," @@ )* ")"`
	Square []*expr `| "[" @@ ( "," @@ )* "]"`
}

// primary is an operand: a literal, a path, a call, a parenthesised
// expression, a constructor, CASE, EXISTS or a prefixed operand.
type primary interface{ primaryNode() }

// identExpr is a name followed by a call's arguments (a function call) or
// by path steps (a document path).
type identExpr struct {
	Pos   lexer.Position
	Name  lexer.Token `@(Ident | QIdent)`
	Call  *callArgs   `( @@`
	Steps []*pathStep `| @@+ )?`
}

// pathRef is a document path where only a path may stand (SET, REMOVE).
type pathRef struct {
	Pos   lexer.Position
	Name  lexer.Token `@(Ident | QIdent)`
	Steps []*pathStep `@@*`
}

// pathStep is .name or [index]. Any word may follow the dot, reserved or
// not: a.select, a."size".
type pathStep struct {
	Pos   lexer.Position
	Name  *lexer.Token `  "." @(Ident | QIdent | Keyword)`
	Index *lexer.Token `| "[" @Number "]"`
}

// callArgs is the parenthesised argument list of a call: (*), () or
// ([DISTINCT] a, b).
type callArgs struct {
	Pos      lexer.Position
	Star     bool    `"(" ( @"*" ")"`
	Empty    bool    `    | @")"`
	Distinct bool    `    | @"DISTINCT"?`
	Args     []*expr `      @@ ( "," @@ )* ")" )`
}

// stringLit is 'text'.
type stringLit struct {
	Tok lexer.Token `@String`
}

// numberLit is a number.
type numberLit struct {
	Tok lexer.Token `@Number`
}

// paramLit is ? or $n.
type paramLit struct {
	Tok lexer.Token `@Param`
}

// boolLit is TRUE or FALSE.
type boolLit struct {
	Tok lexer.Token `@("TRUE" | "FALSE")`
}

// nullLit is NULL.
type nullLit struct {
	Tok lexer.Token `@"NULL"`
}

// parenExpr is ( expr ).
type parenExpr struct {
	Expr *expr `"(" @@ ")"`
}

// listLit is [a, b, ...].
type listLit struct {
	Pos   lexer.Position
	Elems []*expr `"[" ( @@ ( "," @@ )* )? "]"`
}

// mapLit is {'k': v, ...}.
type mapLit struct {
	Pos     lexer.Position
	Entries []*mapEntry `"{" ( @@ ( "," @@ )* )? "}"`
}

// mapEntry is 'k': v.
type mapEntry struct {
	Key   lexer.Token `@String ":"`
	Value *expr       `@@`
}

// setLit is <<a, b, ...>>.
type setLit struct {
	Pos   lexer.Position
	Elems []*expr `"<<" @@ ( "," @@ )* ">>"`
}

// caseExpr is CASE [operand] WHEN ... THEN ... [ELSE ...] END.
type caseExpr struct {
	Pos     lexer.Position
	Operand *expr         `"CASE" @@?`
	Whens   []*whenClause `@@+`
	Else    *expr         `( "ELSE" @@ )? "END"`
}

// whenClause is WHEN cond THEN result.
type whenClause struct {
	Cond   *expr `"WHEN" @@`
	Result *expr `"THEN" @@`
}

// existsExpr is EXISTS(SELECT ...).
type existsExpr struct {
	Pos    lexer.Position
	Select *selectStmt `"EXISTS" "(" @@ ")"`
}

// unaryExpr is NOT, - or + applied to an operand. How far NOT reaches is
// decided by precedence climbing: NOT a = b is NOT (a = b).
type unaryExpr struct {
	Pos     lexer.Position
	Op      string  `@("NOT" | "-" | "+")`
	Operand primary `@@`
}

func (*identExpr) primaryNode()  {}
func (*stringLit) primaryNode()  {}
func (*numberLit) primaryNode()  {}
func (*paramLit) primaryNode()   {}
func (*boolLit) primaryNode()    {}
func (*nullLit) primaryNode()    {}
func (*parenExpr) primaryNode()  {}
func (*listLit) primaryNode()    {}
func (*mapLit) primaryNode()     {}
func (*setLit) primaryNode()     {}
func (*caseExpr) primaryNode()   {}
func (*existsExpr) primaryNode() {}
func (*unaryExpr) primaryNode()  {}
