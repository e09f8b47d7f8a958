package parser

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// participle reports where parsing failed but not what could have come
// next. To say what was expected, the text up to the failing token is
// parsed again with a probe token in its place, a token that matches
// nothing, and with participle's trace on: every terminal the parser tries
// against the probe is something that could have stood there. A terminal
// tried while parsing a production that starts at the probe is reported as
// that production's name when it has one ("table name", "expression"),
// since listing every way an expression can begin helps nobody.
//
// This reads participle's trace, one line per node tried: indentation, the
// quoted next token, the node's description. The error tests pin the
// messages down, so a participle upgrade that changes the format shows.

// probeValue is the text of the probe token; no real token has it.
const probeValue = "\x00"

// slotNames names productions for messages.
var slotNames = map[string]string{
	"statement":   "statement",
	"explainable": "statement",
	"expr":        "expression",
	"primary":     "expression",
	"arith":       "expression",
	"tail":        "operator",
	"arithTail":   "operator",
	"tableRef":    "table name",
	"tableName":   "table name",
}

// quietProductions are productions whose optional continuations (a call's
// "(", a path's "." and "[") are left out of messages when anything else
// was expected: after a name, `a b` is better explained by the operators
// and clauses that may follow than by path syntax.
var quietProductions = map[string]bool{"identExpr": true, "pathRef": true}

// wordSlots are productions where any word, AND and OR included, is a
// name.
var wordSlots = map[string]bool{"pathStep": true, "selectItem": true}

// terminalNames names token types for messages.
var terminalNames = map[string]string{
	"Ident":   "identifier",
	"Keyword": "identifier",
	"String":  "string",
	"Number":  "number",
	"Param":   "parameter",
	"Op":      "operator",
	"EOF":     "end of input",
}

// expectedAt records what the grammar accepts after tokens[:i]. It records
// nothing when no derivation of the grammar gets through tokens[:i].
func expectedAt[G any](p *participle.Parser[G], tokens []lexer.Token, i int) *expectRecorder {
	// Only the statement holding tokens[i] matters: the parser accepted
	// every semicolon before it as the end of a statement.
	start := 0
	for j := i - 1; j >= 0; j-- {
		if tokens[j].Type == tokPunct && tokens[j].Value == ";" {
			start = j + 1
			break
		}
	}
	probe := make([]lexer.Token, 0, i-start+2)
	probe = append(probe, tokens[start:i]...)
	at := tokens[i].Pos
	probe = append(probe,
		lexer.Token{Type: tokProbe, Value: probeValue, Pos: at},
		lexer.Token{Type: lexer.EOF, Pos: at})
	rec := &expectRecorder{}
	peeker, err := lexer.Upgrade(&tokenReplay{tokens: probe})
	if err != nil {
		return rec
	}
	_, _ = p.ParseFromLexer(peeker, participle.Trace(rec))
	return rec
}

// expectRecorder reads participle's trace: one line per node tried, indented
// two spaces per level, holding the next token and the node's description.
type expectRecorder struct {
	partial []byte
	stack   []traceFrame // named productions enclosing the current line
	loud    []string     // expectations, in the order first seen
	quiet   []string
}

type traceFrame struct {
	depth   int
	name    string
	atProbe bool
}

var probeQuoted = strconv.Quote(probeValue)

// Write implements io.Writer.
func (r *expectRecorder) Write(b []byte) (int, error) {
	r.partial = append(r.partial, b...)
	for {
		nl := bytes.IndexByte(r.partial, '\n')
		if nl < 0 {
			return len(b), nil
		}
		r.line(string(r.partial[:nl]))
		r.partial = r.partial[nl+1:]
	}
}

func (r *expectRecorder) line(l string) {
	trimmed := strings.TrimLeft(l, " ")
	depth := (len(l) - len(trimmed)) / 2
	tok, err := strconv.QuotedPrefix(trimmed)
	if err != nil {
		return
	}
	node := strings.TrimPrefix(trimmed[len(tok):], " ")
	atProbe := tok == probeQuoted
	for len(r.stack) > 0 && r.stack[len(r.stack)-1].depth >= depth {
		r.stack = r.stack[:len(r.stack)-1]
	}
	var what string
	switch {
	case strings.HasPrefix(node, "literal{"):
		lit, err := strconv.QuotedPrefix(node[len("literal{"):])
		if err != nil {
			return
		}
		what = lit
	case strings.HasPrefix(node, "reference{"):
		what = terminalNames[strings.TrimSuffix(node[len("reference{"):], "}")]
	case !strings.ContainsAny(node, "{} "):
		r.stack = append(r.stack, traceFrame{depth: depth, name: node, atProbe: atProbe})
		return
	default:
		return
	}
	if !atProbe || what == "" {
		return
	}
	if n := len(r.stack); n > 0 && wordSlots[r.stack[n-1].name] && (what == `"AND"` || what == `"OR"`) {
		what = "identifier" // any word may name a path step or an alias
	}
	for _, f := range r.stack {
		if name := slotNames[f.name]; name != "" && f.atProbe {
			r.add(&r.loud, name)
			return
		}
	}
	for j := len(r.stack) - 1; j >= 0; j-- {
		if f := r.stack[j]; !f.atProbe {
			if quietProductions[f.name] {
				r.add(&r.quiet, what)
				return
			}
			break
		}
	}
	r.add(&r.loud, what)
}

// any reports whether anything was expected: whether the parser got
// through every token before the probe.
func (r *expectRecorder) any() bool { return len(r.loud)+len(r.quiet) > 0 }

func (r *expectRecorder) add(list *[]string, what string) {
	for _, w := range *list {
		if w == what {
			return
		}
	}
	*list = append(*list, what)
}

// summary renders the expectations: `X` or `one of: X, Y, Z`.
func (r *expectRecorder) summary() string {
	list := r.loud
	if len(list) == 0 {
		list = r.quiet
	}
	for _, w := range list {
		if w == "statement" { // a script may continue with ";" anywhere
			list = removeString(list, `";"`)
			break
		}
	}
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return "one of: " + strings.Join(list, ", ")
}

func removeString(list []string, s string) []string {
	out := list[:0:0]
	for _, w := range list {
		if w != s {
			out = append(out, w)
		}
	}
	return out
}
