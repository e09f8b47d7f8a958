package repl

import (
	"strings"
)

// lexState is where a line of SQL starts: in plain text, or inside a quoted
// string, a quoted identifier or a block comment left open by earlier lines.
type lexState int

const (
	inText lexState = iota
	inString
	inIdent
	inComment
)

// stateOf returns the lexer state that parser.Incomplete's open construct
// leaves the next line in.
func stateOf(open string) lexState {
	switch open {
	case "'":
		return inString
	case `"`:
		return inIdent
	case "/*":
		return inComment
	}
	return inText
}

// substitute replaces psql-style variable references in one line of SQL
// that starts in state st: :name by the value, :'name' by the value as a
// quoted string literal (with its quotes doubled) and :"name" by the value as a
// quoted identifier. References inside quoted strings, quoted identifiers
// and comments are left alone, and so are references to variables that are
// not set (psql does the same), and "::". It also returns the state the
// line ends in.
func substitute(line string, st lexState, vars map[string]string) (string, lexState) {
	var b strings.Builder
	depth := 0
	if st == inComment {
		depth = 1
	}
	for i := 0; i < len(line); {
		c := line[i]
		switch st {
		case inString, inIdent:
			q := byte('\'')
			if st == inIdent {
				q = '"'
			}
			if c == q {
				st = inText
			}
			b.WriteByte(c)
			i++
			continue
		case inComment:
			switch {
			case strings.HasPrefix(line[i:], "/*"):
				depth++
				b.WriteString("/*")
				i += 2
			case strings.HasPrefix(line[i:], "*/"):
				depth--
				if depth == 0 {
					st = inText
				}
				b.WriteString("*/")
				i += 2
			default:
				b.WriteByte(c)
				i++
			}
			continue
		}
		switch {
		case c == '\'':
			st = inString
		case c == '"':
			st = inIdent
		case strings.HasPrefix(line[i:], "--"):
			b.WriteString(line[i:])
			return b.String(), st
		case strings.HasPrefix(line[i:], "/*"):
			st, depth = inComment, 1
			b.WriteString("/*")
			i += 2
			continue
		case strings.HasPrefix(line[i:], "::"):
			b.WriteString("::")
			i += 2
			continue
		case c == ':':
			if text, n, ok := reference(line[i+1:], vars); ok {
				b.WriteString(text)
				i += 1 + n
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), st
}

// reference reads a variable reference after a colon: name, 'name' or
// "name". It returns the replacement text and the bytes consumed.
func reference(s string, vars map[string]string) (text string, n int, ok bool) {
	if s == "" {
		return "", 0, false
	}
	if q := s[0]; q == '\'' || q == '"' {
		end := strings.IndexByte(s[1:], q)
		if end <= 0 {
			return "", 0, false
		}
		name := s[1 : 1+end]
		v, set := vars[name]
		if !set || !isVarName(name) {
			return "", 0, false
		}
		return quote(v, q), end + 2, true
	}
	end := 0
	for end < len(s) && isNameByte(s[end]) {
		end++
	}
	if end == 0 {
		return "", 0, false
	}
	v, set := vars[s[:end]]
	if !set {
		return "", 0, false
	}
	return v, end, true
}

// quote quotes v with q, doubling q inside.
func quote(v string, q byte) string {
	s := string(q)
	return s + strings.ReplaceAll(v, s, s+s) + s
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isVarName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}

// quoteIdent quotes a table or attribute name for SQL text.
func quoteIdent(name string) string { return quote(name, '"') }
