// Package parser turns SQL text into the AST the planner consumes (ast.go).
// It accepts Amazon DynamoDB's PartiQL dialect verbatim, SELECT, INSERT ...
// VALUE, UPDATE ... SET/REMOVE, DELETE, EXISTS(...), `?` parameters, sets
// <<...>> and document paths a.b[0]."size", and goes beyond it with the SQL
// users expect: aliases, aggregates, GROUP BY, HAVING, LIMIT/OFFSET, LIKE,
// CASE, `$n` parameters, UPSERT, multi-row INSERT ... VALUES, EXPLAIN, and
// DDL in both SQL's and ddbsh's spellings (CREATE TABLE with PRIMARY KEY
// and secondary indexes, CREATE INDEX, DROP, SHOW TABLES, DESCRIBE).
//
// Text goes through a hand-written lexer (scanner.go, lexer.go) into a
// participle grammar (grammar*.go), whose parse tree is converted once into
// the AST (convert*.go). Expressions are parsed as flat operand/operator
// lists and built into trees by precedence climbing; Format and FormatExpr
// print an AST back as canonical SQL that parses to an equal tree. Split and
// Incomplete share the lexer to cut scripts and drive a REPL's continuation
// prompt without parsing. The commonest statement shapes (key lookups,
// deletes, flat inserts) take a fast path (fastpath.go) that builds the
// same AST without participle's reflection, about thirty times faster;
// tests and the fuzz target hold the two paths to identical trees.
//
// Every error is a *sqlerr.Error with SQLSTATE 42601 (syntax error) or, for
// an unknown type name, 42704, positioned at the offending token and worded
// as PostgreSQL words it, with what the grammar expected there:
//
//	syntax error at or near "FORM": expected one of: ",", "FROM", "WHERE", ...
//
// Unquoted identifiers keep their case (DynamoDB names are case-sensitive);
// only the small set of words in keywords.go is reserved, so attribute names
// such as name, status, size, value or key need no quotes.
//
// A worked example:
//
//	stmt, err := parser.ParseOne(`SELECT name, size(tags) AS n FROM Users WHERE userId = ? AND size(tags) > 1`)
//	if err != nil {
//		return err // e.g. line 1, column 8: syntax error at or near ...
//	}
//	sel := stmt.(*parser.Select)
//	sel.From.(*parser.TableName).Name // "Users"
//	sel.Items[1].Alias                // "n"
//	where := sel.Where.(*parser.BinaryExpr)
//	where.Op                          // "AND"
//	where.L.(*parser.BinaryExpr).R    // &parser.Param{Index: 0}
//	parser.FormatExpr(sel.Where)      // `"userId" = ? AND size(tags) > 1`
package parser
