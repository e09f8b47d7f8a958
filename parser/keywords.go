package parser

import "strings"

// reservedWords cannot be used as unquoted identifiers. The set is kept
// minimal: a word is reserved only when reading it as an attribute or table
// name would be ambiguous, because it can follow an expression or a table
// name where an alias may also stand (FROM, WHERE, ORDER, AS, ...), because it
// continues an expression (AND, IS, BETWEEN, ...), or because it starts an
// expression of its own (NULL, CASE, EXISTS, ...). Every other word of the
// grammar (KEY, VALUE, INDEX, SET, TABLE, ...) is recognised by its position
// and stays usable as a name.
var reservedWords = map[string]bool{
	"AND": true, "AS": true, "ASC": true, "BETWEEN": true, "CASE": true,
	"DESC": true, "DISTINCT": true, "ELSE": true, "END": true, "EXISTS": true,
	"FALSE": true, "FROM": true, "GROUP": true, "HAVING": true, "IN": true,
	"IS": true, "LIKE": true, "LIMIT": true, "NOT": true, "NULL": true,
	"OFFSET": true, "OR": true, "ORDER": true, "SELECT": true, "THEN": true,
	"TRUE": true, "WHEN": true, "WHERE": true,
}

// contextualWords are the grammar's other keywords: ordinary identifiers
// everywhere except at the one place the grammar expects them. Format quotes
// them anyway so that its output never depends on that position.
var contextualWords = map[string]bool{
	"ALL": true, "ANALYZE": true, "BEGIN": true, "BILLING": true, "BY": true, "COMMIT": true, "COPY": true, "CREATE": true,
	"DELETE": true, "DEMAND": true, "DESCRIBE": true, "DROP": true,
	"EXPLAIN": true, "FORMAT": true, "GLOBAL": true, "GSI": true, "HASH": true,
	"IF": true, "INCLUDE": true, "INDEX": true, "INSERT": true, "INTO": true,
	"JSON": true, "KEY": true, "KEYS": true, "LOCAL": true, "LSI": true,
	"MISSING": true, "MODE": true, "MODIFIED": true, "NEW": true, "OLD": true,
	"ON": true, "ONLY": true, "PAY_PER_REQUEST": true, "PRIMARY": true,
	"PROJECTING": true, "PROVISIONED": true, "RANGE": true, "RCU": true,
	"REMOVE": true, "REPLACE": true, "RETURNING": true, "ROLLBACK": true, "SET": true,
	"SHOW": true, "START": true, "TABLE": true, "TABLES": true, "TEXT": true,
	"THROUGHPUT": true, "TO": true, "TRANSACTION": true, "UPDATE": true, "UPSERT": true, "VALUE": true,
	"VALUES": true, "WCU": true, "WITH": true, "WORK": true,
	// Session statements and casts.
	"ABORT": true, "CHARACTERISTICS": true, "COMMITTED": true, "DEALLOCATE": true,
	"DEFAULT": true, "DEFERRABLE": true, "DISCARD": true, "ISOLATION": true,
	"LEVEL": true, "PLANS": true, "PRECISION": true, "PREPARE": true, "READ": true,
	"REPEATABLE": true, "RESET": true, "SEQUENCES": true, "SERIALIZABLE": true,
	"SESSION": true, "TEMP": true, "TEMPORARY": true, "TIME": true,
	"UNCOMMITTED": true, "VARYING": true, "VERBOSE": true, "WITHOUT": true,
	"WRITE": true, "ZONE": true, "CSV": true, "HEADER": true, "DELIMITER": true,
	"BINARY": true,
	// SQL's special functions, called without parentheses: unquoted, they
	// are calls, so Format quotes an attribute spelt like one.
	"CURRENT_CATALOG": true, "CURRENT_DATE": true, "CURRENT_ROLE": true,
	"CURRENT_SCHEMA": true, "CURRENT_TIME": true, "CURRENT_TIMESTAMP": true,
	"CURRENT_USER": true, "LOCALTIME": true, "LOCALTIMESTAMP": true,
	"SESSION_USER": true,
}

// bareFunctions are SQL's special functions written without parentheses.
// Unquoted, such a word is a call, as in PostgreSQL (SELECT current_user);
// quoted, it is an attribute name.
var bareFunctions = map[string]bool{
	"current_catalog": true, "current_date": true, "current_role": true,
	"current_schema": true, "current_time": true, "current_timestamp": true,
	"current_user": true, "localtime": true, "localtimestamp": true,
	"session_user": true,
}

// isBareFunction reports whether tok is an unquoted bare function word.
func isBareFunction(text string) bool {
	return len(text) >= 9 && len(text) <= 17 && text[0] != '"' && bareFunctions[strings.ToLower(text)]
}

// isReserved reports whether word (any case) is a reserved word.
func isReserved(word string) bool {
	if len(word) < 2 || len(word) > 8 {
		return false
	}
	var buf [8]byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	return reservedWords[string(buf[:len(word)])]
}

// isKeyword reports whether word (any case) is reserved or contextual.
func isKeyword(word string) bool {
	if isReserved(word) {
		return true
	}
	return contextualWords[strings.ToUpper(word)]
}
