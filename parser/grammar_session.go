package parser

import "github.com/alecthomas/participle/v2/lexer"

// setStmt is SET [SESSION | LOCAL] followed by a setting and its value,
// TIME ZONE and its value, TRANSACTION modes, or (after SESSION)
// CHARACTERISTICS AS TRANSACTION modes.
type setStmt struct {
	Pos    lexer.Position
	Scope  string      `parser:"\"SET\" @(\"SESSION\" | \"LOCAL\")?"`
	Chars  *txModes    `parser:"( \"CHARACTERISTICS\" \"AS\" \"TRANSACTION\" @@"`
	Tx     *txModes    `parser:"| \"TRANSACTION\" @@"`
	Zone   *setValue   `parser:"| \"TIME\" \"ZONE\" @@"`
	Name   *settingRef `parser:"| @@"`
	Values []*setValue `parser:"  ( \"=\" | \"TO\" ) @@ ( \",\" @@ )* )"`
}

// setValue is one value of SET: a string, a number (possibly negative) or
// a word.
type setValue struct {
	Minus lexer.Token `parser:"@\"-\"?"`
	Tok   lexer.Token `parser:"@(String | Number | Ident | Keyword)"`
}

// txModes are transaction modes, separated by commas or spaces.
type txModes struct {
	Pos   lexer.Position
	Modes []*txMode `parser:"@@ ( \",\"? @@ )*"`
}

// txMode is one transaction mode.
type txMode struct {
	Pos        lexer.Position
	Isolation  []string `parser:"  \"ISOLATION\" \"LEVEL\" @( \"SERIALIZABLE\" | \"REPEATABLE\" \"READ\" | \"READ\" ( \"COMMITTED\" | \"UNCOMMITTED\" ) )"`
	Access     []string `parser:"| @( \"READ\" ( \"ONLY\" | \"WRITE\" ) )"`
	Deferrable []string `parser:"| @( \"NOT\"? \"DEFERRABLE\" )"`
}

// resetStmt is RESET ALL | TIME ZONE | name.
type resetStmt struct {
	Pos  lexer.Position
	All  bool        `parser:"\"RESET\" ( @\"ALL\""`
	Zone bool        `parser:"| @( \"TIME\" \"ZONE\" )"`
	Name *settingRef `parser:"| @@ )"`
}

// settingRef is a setting's name, possibly dotted (myapp.tenant).
type settingRef struct {
	Head  lexer.Token `parser:"@Ident"`
	Parts []*namePart `parser:"@@*"`
}

// namePart is .name after a setting's first name.
type namePart struct {
	Tok lexer.Token `parser:"\".\" @(Ident | Keyword)"`
}

// discardStmt is DISCARD ALL | PLANS | TEMP | TEMPORARY | SEQUENCES.
type discardStmt struct {
	Pos  lexer.Position
	What string `parser:"\"DISCARD\" @(\"ALL\" | \"PLANS\" | \"TEMP\" | \"TEMPORARY\" | \"SEQUENCES\")"`
}

// deallocateStmt is DEALLOCATE [PREPARE] name | ALL.
type deallocateStmt struct {
	Pos  lexer.Position
	All  bool        `parser:"\"DEALLOCATE\" \"PREPARE\"? ( @\"ALL\""`
	Name lexer.Token `parser:"| @Ident )"`
}

// analyzeStmt is ANALYZE [VERBOSE] [table].
type analyzeStmt struct {
	Pos   lexer.Position
	Table *tableName `parser:"\"ANALYZE\" \"VERBOSE\"? @@?"`
}

func (*setStmt) statementNode()        {}
func (*resetStmt) statementNode()      {}
func (*discardStmt) statementNode()    {}
func (*deallocateStmt) statementNode() {}
func (*analyzeStmt) statementNode()    {}

// typeName is the target type of a cast: a name, the second word of
// DOUBLE PRECISION and CHARACTER VARYING, modifiers in parentheses, and
// WITH | WITHOUT TIME ZONE after TIMESTAMP.
type typeName struct {
	Pos    lexer.Position
	Name   lexer.Token `parser:"@Ident"`
	Second lexer.Token `parser:"@(\"PRECISION\" | \"VARYING\")?"`
	Mods   []string    `parser:"( \"(\" @Number ( \",\" @Number )? \")\" )?"`
	Zone   string      `parser:"( @(\"WITH\" | \"WITHOUT\") \"TIME\" \"ZONE\" )?"`
}
