package repl

import (
	"fmt"
	"strings"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// statementHelp is one entry of \h: a statement's syntax and an example.
type statementHelp struct {
	name, syntax, example string
}

// statementHelps lists the statements \h describes, in the order \h lists
// them.
var statementHelps = []statementHelp{
	{"SELECT", `SELECT [DISTINCT] expr [[AS] alias], ... | *
  [FROM table[."index"]]
  [WHERE condition]
  [GROUP BY expr, ... [HAVING condition]]
  [ORDER BY expr [ASC | DESC], ...]
  [LIMIT n [OFFSET m]]`,
		`SELECT orderId, totalAmount FROM Orders WHERE customerId = 'u001' ORDER BY orderId DESC LIMIT 5;`},
	{"INSERT", `INSERT INTO table VALUE {'attr': value, ...}
INSERT INTO table (attr, ...) VALUES (value, ...)`,
		`INSERT INTO Users VALUE {'userId': 'u999', 'email': 'new@example.com'};`},
	{"UPSERT", `UPSERT INTO table VALUE {'attr': value, ...}      (also REPLACE INTO: overwrites an existing item)`,
		`UPSERT INTO Users VALUE {'userId': 'u999', 'visits': 1};`},
	{"UPDATE", `UPDATE table SET path = expr [SET ...] [REMOVE path, ...]
  WHERE key = value [AND sort_key = value]
  [RETURNING {ALL | MODIFIED} {OLD | NEW} *]`,
		`UPDATE Users SET visits = visits + 1 WHERE userId = 'u999' RETURNING ALL NEW *;`},
	{"DELETE", `DELETE FROM table WHERE key = value [AND sort_key = value] [RETURNING ALL OLD *]`,
		`DELETE FROM Users WHERE userId = 'u999';`},
	{"CREATE TABLE", `CREATE TABLE [IF NOT EXISTS] table (
  attr type, ...,
  PRIMARY KEY (partition_key [, sort_key]),
  [[LOCAL] INDEX name (key [, sort_key]) [KEYS ONLY | INCLUDE (attr, ...)]], ...
) [BILLING MODE {PAY_PER_REQUEST | PROVISIONED (RCU n, WCU n)}]
  type: TEXT (STRING, S), NUMERIC (NUMBER, N), BYTEA (BINARY, B)`,
		`CREATE TABLE Events (deviceId TEXT, ts NUMERIC, PRIMARY KEY (deviceId, ts));`},
	{"CREATE INDEX", `CREATE INDEX name ON table (key [, sort_key]) [KEYS ONLY | INCLUDE (attr, ...)]`,
		`CREATE INDEX ByEmail ON Users (email) INCLUDE (name);`},
	{"DROP TABLE", `DROP TABLE [IF EXISTS] table`, `DROP TABLE IF EXISTS Events;`},
	{"DROP INDEX", `DROP INDEX name ON table`, `DROP INDEX ByEmail ON Users;`},
	{"SHOW TABLES", `SHOW TABLES [LIKE 'pattern']`, `SHOW TABLES LIKE 'U%';`},
	{"DESCRIBE", `DESCRIBE table`, `DESCRIBE Orders;`},
	{"EXPLAIN", `EXPLAIN [ANALYZE] statement
EXPLAIN (FORMAT JSON) statement`,
		`EXPLAIN SELECT * FROM Orders WHERE orderStatus = 'PENDING';`},
}

// helpStatement reports whether text is a HELP statement and returns the
// statement it asks about.
func helpStatement(text string) (topic string, ok bool) {
	fields := strings.Fields(text)
	if len(fields) == 0 || !strings.EqualFold(fields[0], "HELP") {
		return "", false
	}
	return strings.Join(fields[1:], " "), true
}

// help prints the syntax of the statements whose name starts with topic,
// or the list of statements when topic is empty.
func (s *Script) help(topic string) error {
	w := s.output()
	topic = strings.ToUpper(strings.Join(strings.Fields(strings.TrimSuffix(topic, ";")), " "))
	if topic == "" {
		fmt.Fprintln(w, "Available help (\\h STATEMENT):")
		for _, h := range statementHelps {
			fmt.Fprintf(w, "  %s\n", h.name)
		}
		return nil
	}
	found := false
	for _, h := range statementHelps {
		if strings.HasPrefix(h.name, topic) || strings.HasPrefix(topic, h.name) || (topic == "REPLACE" && h.name == "UPSERT") {
			found = true
			fmt.Fprintf(w, "Command:     %s\nSyntax:\n%s\n\nExample:\n  %s\n\n", h.name, indent(h.syntax), h.example)
		}
	}
	if !found {
		return sqlerr.New(sqlerr.SyntaxError, "no help for %q", topic).WithHint(`\h lists the statements`)
	}
	return nil
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
