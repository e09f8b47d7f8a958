package parser

import "github.com/alecthomas/participle/v2/lexer"

// Expressions are parsed flat: an operand followed by operator tails,
// `a = 1 AND b < 2` being a, (= 1), (AND b), (< 2). Conversion then builds
// the tree by precedence climbing (convert_expr.go). A grammar with one
// production per precedence level would walk nine nested productions for
// every operand, each costing participle allocations; the flat form parses
// a point lookup several times faster. BETWEEN and LIKE take an arithmetic
// operand (arith), so that the AND of BETWEEN binds to it in the grammar.

// expr is an operand followed by any number of operator tails.
type expr struct {
	Head  primary `parser:"@@"`
	Tails []*tail `parser:"@@*"`
}

// tail is one operator applied to the expression so far: a binary operator
// and its right operand, a ::type cast, IS [NOT] NULL|MISSING, [NOT]
// BETWEEN, [NOT] LIKE or [NOT] IN.
type tail struct {
	Op      lexer.Token `parser:"(  @Op"`
	Right   primary     `parser:"   @@"`
	Cast    *typeName   `parser:"| \"::\" @@"`
	Is      lexer.Token `parser:"| @\"IS\""`
	IsNot   bool        `parser:"  @\"NOT\"?"`
	IsWhat  string      `parser:"  @(\"NULL\" | \"MISSING\")"`
	Not     lexer.Token `parser:"| @\"NOT\"?"`
	Between *arith      `parser:"  ( \"BETWEEN\" @@"`
	And     *arith      `parser:"    \"AND\" @@"`
	Like    *arith      `parser:"  | \"LIKE\" @@"`
	In      *inList     `parser:"  | \"IN\" @@ ) )"`
}

// arith is an operand followed by arithmetic and concatenation tails only:
// the operands of BETWEEN and LIKE.
type arith struct {
	Head  primary      `parser:"@@"`
	Tails []*arithTail `parser:"@@*"`
}

// arithTail is one || + - * / % operator and its right operand, or a
// ::type cast.
type arithTail struct {
	Op    lexer.Token `parser:"  @(\"||\" | \"+\" | \"-\" | \"*\" | \"/\" | \"%\")"`
	Right primary     `parser:"  @@"`
	Cast  *typeName   `parser:"| \"::\" @@"`
}

// inList is the list of IN: (a, b) or [a, b].
type inList struct {
	Paren  []*expr `parser:"  \"(\" @@ ( \",\" @@ )* \")\""`
	Square []*expr `parser:"| \"[\" @@ ( \",\" @@ )* \"]\""`
}

// primary is an operand: a path, a call, a literal, a parenthesised
// expression, a constructor, CASE, EXISTS or a prefixed operand.
type primary interface{ primaryNode() }

// identExpr is a name followed by a call's arguments (a function call),
// by path steps (a document path), or by one step and a call's arguments
// (a schema-qualified call: pg_catalog.version()).
type identExpr struct {
	Name     lexer.Token `parser:"@Ident"`
	Call     *callArgs   `parser:"( \"(\" @@"`
	Steps    []*pathStep `parser:"| @@+"`
	QualCall *callArgs   `parser:"  ( \"(\" @@ )? )?"`
}

// pathRef is a document path where only a path may stand (SET, REMOVE).
type pathRef struct {
	Name  lexer.Token `parser:"@Ident"`
	Steps []*pathStep `parser:"@@*"`
}

// pathStep is .name, where any word may follow the dot (a.select), or
// [index].
type pathStep struct {
	Name  lexer.Token `parser:"  \".\" @(Ident | Keyword | \"AND\" | \"OR\")"`
	Index lexer.Token `parser:"| \"[\" @Number \"]\""`
}

// callArgs is the argument list of a call after its "(": *), ) or
// [DISTINCT] a, b), or x AS type) for CAST.
type callArgs struct {
	Star     bool      `parser:"  @\"*\" \")\""`
	Empty    bool      `parser:"| @\")\""`
	Distinct bool      `parser:"| @\"DISTINCT\"?"`
	Args     []*expr   `parser:"  @@ ( \",\" @@ )*"`
	As       *typeName `parser:"  ( \"AS\" @@ )? \")\""`
}

// literal is a string, number, parameter, TRUE, FALSE or NULL.
type literal struct {
	Tok lexer.Token `parser:"@(String | Number | Param | \"TRUE\" | \"FALSE\" | \"NULL\")"`
}

// parenExpr is ( expr ).
type parenExpr struct {
	Expr expr `parser:"\"(\" @@ \")\""`
}

// listLit is [a, b, ...].
type listLit struct {
	Pos   lexer.Position
	Elems []*expr `parser:"\"[\" ( @@ ( \",\" @@ )* )? \"]\""`
}

// mapLit is {'k': v, ...}.
type mapLit struct {
	Pos     lexer.Position
	Entries []*mapEntry `parser:"\"{\" ( @@ ( \",\" @@ )* )? \"}\""`
}

// mapEntry is 'k': v.
type mapEntry struct {
	Key   lexer.Token `parser:"@String \":\""`
	Value expr        `parser:"@@"`
}

// setLit is <<a, b, ...>>.
type setLit struct {
	Pos   lexer.Position
	Elems []*expr `parser:"\"<<\" @@ ( \",\" @@ )* \">>\""`
}

// caseExpr is CASE [operand] WHEN ... THEN ... [ELSE ...] END.
type caseExpr struct {
	Pos     lexer.Position
	Operand expr          `parser:"\"CASE\" @@?"`
	Whens   []*whenClause `parser:"@@+"`
	Else    expr          `parser:"( \"ELSE\" @@ )? \"END\""`
}

// whenClause is WHEN cond THEN result.
type whenClause struct {
	Cond   expr `parser:"\"WHEN\" @@"`
	Result expr `parser:"\"THEN\" @@"`
}

// existsExpr is EXISTS(SELECT ...).
type existsExpr struct {
	Pos    lexer.Position
	Select selectStmt `parser:"\"EXISTS\" \"(\" @@ \")\""`
}

// unaryExpr is NOT, - or + applied to an operand. How far NOT reaches is
// decided by precedence climbing: NOT a = b is NOT (a = b).
type unaryExpr struct {
	Op      lexer.Token `parser:"@(\"NOT\" | \"-\" | \"+\")"`
	Operand primary     `parser:"@@"`
}

func (*identExpr) primaryNode()  {}
func (*literal) primaryNode()    {}
func (*parenExpr) primaryNode()  {}
func (*listLit) primaryNode()    {}
func (*mapLit) primaryNode()     {}
func (*setLit) primaryNode()     {}
func (*caseExpr) primaryNode()   {}
func (*existsExpr) primaryNode() {}
func (*unaryExpr) primaryNode()  {}
