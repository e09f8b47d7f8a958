package repl

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ddbsql/ddbsql/catalog"
)

// sqlKeywords are the words completion offers in SQL text.
var sqlKeywords = strings.Fields(`SELECT DISTINCT FROM WHERE AND OR NOT IN BETWEEN LIKE IS NULL MISSING
	ORDER BY GROUP HAVING LIMIT OFFSET ASC DESC AS INSERT INTO VALUE VALUES UPSERT REPLACE UPDATE SET
	REMOVE DELETE RETURNING ALL OLD NEW MODIFIED CREATE TABLE INDEX LOCAL PRIMARY KEY INCLUDE KEYS ONLY
	DROP IF EXISTS SHOW TABLES DESCRIBE EXPLAIN ANALYZE FORMAT JSON CASE WHEN THEN ELSE END TRUE FALSE
	COUNT SUM AVG MIN MAX BILLING MODE PROVISIONED PAY_PER_REQUEST RCU WCU TEXT NUMERIC BYTEA HELP`)

// sqlFunctions keep their lower-case spelling.
var sqlFunctions = []string{"begins_with", "contains", "size", "attribute_type", "attribute_exists", "attribute_not_exists"}

// tableWords are the keywords after which a table name comes.
var tableWords = map[string]bool{"FROM": true, "INTO": true, "UPDATE": true, "TABLE": true, "DESCRIBE": true, "ON": true, "EXISTS": true}

// tableRef finds the tables a statement names.
var tableRef = regexp.MustCompile(`(?i)\b(?:FROM|INTO|UPDATE|DESCRIBE|TABLE|ON)\s+(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_.-]*))`)

// maxSeenAttributes bounds the attribute names remembered from results.
const maxSeenAttributes = 2000

// tableCacheAge is how long the table list is reused before ListTables runs
// again.
const tableCacheAge = 30 * time.Second

// Completer completes SQL keywords, table names (ListTables, cached),
// index names after "T"., attribute names (key schemas and index keys from
// the catalog, and attributes seen in recent results), meta-commands, and
// file names after \i and \o. It implements readline's AutoCompleter.
type Completer struct {
	Script *Script
	// Pending returns the lines of the statement entered so far, before
	// the line being edited.
	Pending func() string

	mu       sync.Mutex
	tables   []string
	tablesAt time.Time
	seen     map[string]bool
}

// Forget drops the cached table list (after DDL).
func (c *Completer) Forget() {
	c.mu.Lock()
	c.tablesAt = time.Time{}
	c.mu.Unlock()
}

// See remembers the attribute names of a result row.
func (c *Completer) See(names []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	for _, n := range names {
		if len(c.seen) >= maxSeenAttributes {
			return
		}
		c.seen[n] = true
	}
}

// Do returns the completions of the word before pos in line: the text to
// add after it, and the word's length.
func (c *Completer) Do(line []rune, pos int) ([][]rune, int) {
	before := string(line[:pos])
	start := wordStart(before)
	word := before[start:]
	pending := ""
	if c.Pending != nil {
		pending = c.Pending()
	}
	lead := strings.TrimSpace(pending + before[:start])
	var cands []string
	prefix := word
	switch {
	case pending == "" && strings.HasPrefix(strings.TrimSpace(before), `\`) && !strings.ContainsAny(strings.TrimSpace(before), " \t"):
		cands = MetaCommandNames()
		for i := range cands {
			cands[i] += " "
		}
	case metaIs(lead, `\i`, `\ir`, `\o`):
		return asSuffixes(word, fileCandidates(word)), len([]rune(word))
	case metaIs(lead, `\d`, `\di`):
		cands = c.quotedAll(c.tableNames(), word)
	default:
		if dot := strings.LastIndexByte(word, '.'); dot > 0 {
			table := strings.Trim(word[:dot], `"`)
			prefix = word[dot+1:]
			cands = c.quotedAll(c.indexNames(table), prefix)
			break
		}
		if tableWords[strings.ToUpper(lastWord(lead))] {
			cands = c.quotedAll(c.tableNames(), word)
			break
		}
		attrs := c.attributeNames(pending + string(line))
		cands = c.quotedAll(attrs, word)
		if !strings.HasPrefix(word, `"`) {
			cands = append(cands, keywordsLike(word)...)
			cands = append(cands, sqlFunctions...)
		}
	}
	return asSuffixes(prefix, cands), len([]rune(prefix))
}

// wordStart returns where the word before the end of s starts: after white
// space, brackets, commas and operators, but not inside a quoted name.
func wordStart(s string) int {
	inQuote := strings.Count(s, `"`)%2 == 1
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if !inQuote && strings.IndexByte(" \t\n(),=<>!+*/%;[]{}'", c) >= 0 {
			return i + 1
		}
	}
	return 0
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// metaIs reports whether lead is exactly one of the meta-commands.
func metaIs(lead string, names ...string) bool {
	for _, n := range names {
		if lead == n {
			return true
		}
	}
	return false
}

// keywordsLike returns the keywords, in lower case when word is.
func keywordsLike(word string) []string {
	lower := word != "" && word == strings.ToLower(word)
	out := make([]string, len(sqlKeywords))
	for i, k := range sqlKeywords {
		if lower {
			k = strings.ToLower(k)
		}
		out[i] = k + " "
	}
	return out
}

// quotedAll returns names, quoted when word starts with a quote.
func (c *Completer) quotedAll(names []string, word string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if strings.HasPrefix(word, `"`) {
			n = quoteIdent(n)
		}
		out = append(out, n)
	}
	return out
}

// asSuffixes keeps the candidates that start with prefix and returns what
// each adds to it. Keywords match in any case.
func asSuffixes(prefix string, cands []string) [][]rune {
	sort.Strings(cands)
	var out [][]rune
	seen := map[string]bool{}
	for _, cand := range cands {
		if seen[cand] || len(cand) < len(prefix) {
			continue
		}
		if cand[:len(prefix)] != prefix && !(isKeyword(cand) && strings.EqualFold(cand[:len(prefix)], prefix)) {
			continue
		}
		seen[cand] = true
		out = append(out, []rune(cand[len(prefix):]))
	}
	return out
}

func isKeyword(cand string) bool {
	t := strings.ToUpper(strings.TrimSpace(cand))
	for _, k := range sqlKeywords {
		if k == t {
			return true
		}
	}
	return false
}

// tableNames returns the tables, listing them again when the cache is old.
func (c *Completer) tableNames() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.tablesAt) < tableCacheAge {
		return c.tables
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if names, err := c.Script.tableNames(ctx); err == nil {
		c.tables, c.tablesAt = names, time.Now()
	}
	return c.tables
}

// table returns a table's metadata from the session's catalog.
func (c *Completer) table(name string) *catalog.Table {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	t, err := c.Script.Session.Catalog().Table(ctx, name)
	if err != nil {
		return nil
	}
	return t
}

func (c *Completer) indexNames(table string) []string {
	t := c.table(table)
	if t == nil {
		return nil
	}
	var names []string
	for _, ix := range t.Indexes {
		names = append(names, ix.Name)
	}
	return names
}

// attributeNames returns the key and index attributes of the tables text
// names, and the attributes seen in results.
func (c *Completer) attributeNames(text string) []string {
	var names []string
	for _, m := range tableRef.FindAllStringSubmatch(text, -1) {
		name := m[1] + m[2]
		if i := strings.IndexByte(name, '.'); i > 0 && m[1] == "" {
			name = name[:i]
		}
		t := c.table(name)
		if t == nil {
			continue
		}
		names = append(names, t.KeyNames()...)
		for _, ix := range t.Indexes {
			names = append(names, ix.PartitionKey.Name)
			if ix.SortKey != nil {
				names = append(names, ix.SortKey.Name)
			}
			names = append(names, ix.NonKeyAttributes...)
		}
	}
	c.mu.Lock()
	for n := range c.seen {
		names = append(names, n)
	}
	c.mu.Unlock()
	return names
}

// fileCandidates lists the files and directories whose path starts with
// word; directories end with a slash.
func fileCandidates(word string) []string {
	dir, base := filepath.Split(word)
	read := dir
	if read == "" {
		read = "."
	}
	entries, err := os.ReadDir(read)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), base) || strings.HasPrefix(e.Name(), ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		name := dir + e.Name()
		if e.IsDir() {
			name += "/"
		}
		out = append(out, name)
	}
	return out
}
