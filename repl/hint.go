package repl

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// unknownTableMessage matches the message of an unknown-table error; the
// table name is quoted as Go's %q quotes it.
var unknownTableMessage = regexp.MustCompile(`^table ("(?:[^"\\]|\\.)*") does not exist`)

// Suggestions for an unknown table: at most maxSuggestions names, each at
// most maxSuggestionDistance edits away (ignoring case), fewer for short
// names (see closestNames).
const (
	maxSuggestions        = 3
	maxSuggestionDistance = 3
)

// addHint gives err a hint that names the next step where the front end
// knows more than the layer that raised it: the existing tables closest to
// an unknown one, and, in the shell, the meta-command that allows a refused
// scan.
func (s *Script) addHint(err error) {
	e := sqlerr.As(err)
	switch e.Code {
	case sqlerr.UndefinedTable:
		m := unknownTableMessage.FindStringSubmatch(e.Message)
		if m == nil {
			return
		}
		name, err := strconv.Unquote(m[1])
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		tables, err := s.tableNames(ctx)
		if err != nil {
			return
		}
		close := closestNames(name, tables)
		if len(close) == 0 {
			return
		}
		for i, n := range close {
			close[i] = quoteIdent(n)
		}
		e.Hint = "did you mean " + orList(close) + "? (SHOW TABLES lists the tables)"
	case sqlerr.FullScanRefused:
		if s.shell {
			e.Hint = strings.Replace(e.Hint, "--scan-policy=warn", `\set scan_policy warn`, 1)
		}
	}
}

// closestNames returns the names nearest to name by edit distance,
// ignoring case, nearest first.
func closestNames(name string, names []string) []string {
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	want := strings.ToLower(name)
	// About one edit in three letters, so that short names are not
	// "close" to every other short name.
	limit := min(maxSuggestionDistance, 1+len([]rune(name))/3)
	for _, n := range names {
		d := editDistance(want, strings.ToLower(n))
		if d <= limit {
			cands = append(cands, cand{n, d})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].name < cands[j].name
	})
	var out []string
	for i := 0; i < len(cands) && i < maxSuggestions; i++ {
		out = append(out, cands[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// orList joins words as "a", "a or b", "a, b or c".
func orList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
