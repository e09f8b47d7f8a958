package planner

import (
	"fmt"
	"strings"

	"github.com/ddbsql/ddbsql/parser"
)

// dynExpr renders AST expressions into DynamoDB expression syntax
// (KeyConditionExpression, FilterExpression, ConditionExpression,
// UpdateExpression, ProjectionExpression). Every attribute name goes through
// a #name placeholder and every constant through a :value placeholder, so
// reserved words (name, size, status, timestamp, ...) and names with dots or
// spaces just work. The SDK's expression builder is not used because it
// splits names at dots and cannot express quoted identifiers such as "a.b".
//
// Rendering is all-or-nothing per condition: try rolls back the placeholders
// of a condition DynamoDB cannot evaluate, which then stays with the executor.
type dynExpr struct {
	names     map[string]string // placeholder → attribute name
	byName    map[string]string // attribute name → placeholder
	values    map[string]parser.Expr
	nameOrder []string
	valOrder  []string
}

func newDynExpr() *dynExpr {
	return &dynExpr{names: map[string]string{}, byName: map[string]string{}, values: map[string]parser.Expr{}}
}

// name returns the placeholder for an attribute name.
func (d *dynExpr) name(n string) string {
	if ph, ok := d.byName[n]; ok {
		return ph
	}
	ph := fmt.Sprintf("#n%d", len(d.nameOrder))
	d.names[ph] = n
	d.byName[n] = ph
	d.nameOrder = append(d.nameOrder, ph)
	return ph
}

// value returns a new placeholder bound to the constant expression e.
func (d *dynExpr) value(e parser.Expr) string {
	ph := fmt.Sprintf(":v%d", len(d.valOrder))
	d.values[ph] = e
	d.valOrder = append(d.valOrder, ph)
	return ph
}

// path renders a document path: #n0.#n1[2].
func (d *dynExpr) path(p *parser.Path) string {
	var b strings.Builder
	for i, s := range p.Steps {
		switch {
		case s.IsIndex:
			fmt.Fprintf(&b, "[%d]", s.Index)
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(d.name(s.Name))
		}
	}
	return b.String()
}

// try renders with fn and rolls back every placeholder fn added when it
// fails.
func (d *dynExpr) try(fn func() (string, bool)) (string, bool) {
	nn, nv := len(d.nameOrder), len(d.valOrder)
	s, ok := fn()
	if ok {
		return s, true
	}
	for _, ph := range d.nameOrder[nn:] {
		delete(d.byName, d.names[ph])
		delete(d.names, ph)
	}
	for _, ph := range d.valOrder[nv:] {
		delete(d.values, ph)
	}
	d.nameOrder, d.valOrder = d.nameOrder[:nn], d.valOrder[:nv]
	return "", false
}

// cond renders a condition, or reports that DynamoDB cannot evaluate it.
func (d *dynExpr) cond(e parser.Expr) (string, bool) {
	return d.try(func() (string, bool) { return d.condRaw(e) })
}

func (d *dynExpr) condRaw(e parser.Expr) (string, bool) {
	switch x := e.(type) {
	case *parser.BinaryExpr:
		switch x.Op {
		case "AND", "OR":
			l, ok := d.condRaw(x.L)
			if !ok {
				return "", false
			}
			r, ok := d.condRaw(x.R)
			if !ok {
				return "", false
			}
			// DynamoDB rejects redundant parentheses: add them only where
			// an OR sits under an AND.
			if x.Op == "AND" {
				l, r = wrapOr(x.L, l), wrapOr(x.R, r)
			}
			return l + " " + x.Op + " " + r, true
		case "=", "<>", "<", "<=", ">", ">=":
			if !refersToItem(x.L) && !refersToItem(x.R) {
				return "", false
			}
			l, ok := d.operand(x.L)
			if !ok {
				return "", false
			}
			r, ok := d.operand(x.R)
			if !ok {
				return "", false
			}
			return l + " " + x.Op + " " + r, true
		}
	case *parser.UnaryExpr:
		if x.Op == "NOT" {
			c, ok := d.condRaw(x.X)
			if !ok {
				return "", false
			}
			if isAndOr(x.X) {
				return "NOT (" + c + ")", true
			}
			return "NOT " + c, true
		}
	case *parser.BetweenExpr:
		if !refersToItem(x.X) {
			return "", false
		}
		a, ok1 := d.operand(x.X)
		lo, ok2 := d.operand(x.Lo)
		hi, ok3 := d.operand(x.Hi)
		if !ok1 || !ok2 || !ok3 {
			return "", false
		}
		s := a + " BETWEEN " + lo + " AND " + hi
		if x.Not {
			s = "NOT (" + s + ")"
		}
		return s, true
	case *parser.InExpr:
		if len(x.List) == 0 || len(x.List) > 100 || !refersToItem(x.X) {
			return "", false
		}
		a, ok := d.operand(x.X)
		if !ok {
			return "", false
		}
		parts := make([]string, len(x.List))
		for i, el := range x.List {
			if parts[i], ok = d.operand(el); !ok {
				return "", false
			}
		}
		s := a + " IN (" + strings.Join(parts, ", ") + ")"
		if x.Not {
			s = "NOT (" + s + ")"
		}
		return s, true
	case *parser.IsExpr:
		p, ok := x.X.(*parser.Path)
		if !ok {
			return "", false
		}
		var s string
		switch x.What {
		case parser.IsMissing:
			if x.Not {
				s = "attribute_exists(" + d.path(p) + ")"
			} else {
				s = "attribute_not_exists(" + d.path(p) + ")"
			}
		case parser.IsNull:
			s = "attribute_type(" + d.path(p) + ", " + d.value(&parser.Literal{Pos: x.Pos, Kind: parser.LitString, Text: "NULL"}) + ")"
			if x.Not {
				s = "NOT " + s
			}
		}
		return s, true
	case *parser.LikeExpr:
		prefix, ok := likePrefix(x)
		if !ok || x.Not {
			return "", false
		}
		p, ok := x.X.(*parser.Path)
		if !ok {
			return "", false
		}
		return "begins_with(" + d.path(p) + ", " + d.value(&parser.Literal{Pos: x.Pattern.Position(), Kind: parser.LitString, Text: prefix}) + ")", true
	case *parser.FuncCall:
		return d.funcCond(x)
	case *parser.Path:
		// A bare boolean attribute: WHERE active.
		return d.path(x) + " = " + d.value(&parser.Literal{Pos: x.Pos, Kind: parser.LitBool, Text: "true"}), true
	}
	return "", false
}

func (d *dynExpr) funcCond(f *parser.FuncCall) (string, bool) {
	pathArg := func(i int) (string, bool) {
		if i >= len(f.Args) {
			return "", false
		}
		p, ok := f.Args[i].(*parser.Path)
		if !ok {
			return "", false
		}
		return d.path(p), true
	}
	switch f.Name {
	case "attribute_exists", "attribute_not_exists":
		if len(f.Args) != 1 {
			return "", false
		}
		p, ok := pathArg(0)
		return f.Name + "(" + p + ")", ok
	case "attribute_type", "begins_with":
		if len(f.Args) != 2 || !isConst(f.Args[1]) {
			return "", false
		}
		p, ok := pathArg(0)
		if !ok {
			return "", false
		}
		return f.Name + "(" + p + ", " + d.value(f.Args[1]) + ")", true
	case "contains":
		if len(f.Args) != 2 {
			return "", false
		}
		p, ok := pathArg(0)
		if !ok {
			return "", false
		}
		o, ok := d.operand(f.Args[1])
		if !ok {
			return "", false
		}
		return "contains(" + p + ", " + o + ")", true
	}
	return "", false
}

// operand renders a comparison operand: a path, size(path) or a constant.
func (d *dynExpr) operand(e parser.Expr) (string, bool) {
	switch x := e.(type) {
	case *parser.Path:
		return d.path(x), true
	case *parser.FuncCall:
		if x.Name == "size" && len(x.Args) == 1 {
			if p, ok := x.Args[0].(*parser.Path); ok {
				return "size(" + d.path(p) + ")", true
			}
		}
		return "", false
	}
	if isConst(e) {
		return d.value(e), true
	}
	return "", false
}

// updateOperand renders the right side of a SET action: a path, a
// constant, if_not_exists(path, v), list_append(a, b), or a + / - of those.
func (d *dynExpr) updateOperand(e parser.Expr) (string, bool) {
	switch x := e.(type) {
	case *parser.Path:
		return d.path(x), true
	case *parser.BinaryExpr:
		if x.Op != "+" && x.Op != "-" || isConst(x) {
			break
		}
		l, ok := d.updateOperand(x.L)
		if !ok {
			return "", false
		}
		r, ok := d.updateOperand(x.R)
		if !ok {
			return "", false
		}
		return l + " " + x.Op + " " + r, true
	case *parser.FuncCall:
		if (x.Name == "if_not_exists" || x.Name == "list_append") && len(x.Args) == 2 {
			a, ok := d.updateOperand(x.Args[0])
			if !ok {
				return "", false
			}
			b, ok := d.updateOperand(x.Args[1])
			if !ok {
				return "", false
			}
			return x.Name + "(" + a + ", " + b + ")", true
		}
		return "", false
	}
	if isConst(e) {
		return d.value(e), true
	}
	return "", false
}

// projection renders a ProjectionExpression of top-level attributes.
func (d *dynExpr) projection(attrs []string) string {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = d.name(a)
	}
	return strings.Join(parts, ", ")
}

// namesMap returns the names map, nil when empty.
func (d *dynExpr) namesMap() map[string]string {
	if len(d.names) == 0 {
		return nil
	}
	return d.names
}

// valuesMap returns the values map, nil when empty.
func (d *dynExpr) valuesMap() map[string]parser.Expr {
	if len(d.values) == 0 {
		return nil
	}
	return d.values
}

// isAndOr reports whether e is an AND or an OR.
func isAndOr(e parser.Expr) bool {
	b, ok := e.(*parser.BinaryExpr)
	return ok && (b.Op == "AND" || b.Op == "OR")
}

// wrapOr parenthesises the rendering s of e when e is an OR, for use as an
// operand of AND.
func wrapOr(e parser.Expr, s string) string {
	if b, ok := e.(*parser.BinaryExpr); ok && b.Op == "OR" {
		return "(" + s + ")"
	}
	return s
}

// refersToItem reports whether e reads the item (so a comparison is not
// between constants only, which DynamoDB rejects).
func refersToItem(e parser.Expr) bool {
	found := false
	walkExpr(e, func(x parser.Expr) {
		if _, ok := x.(*parser.Path); ok {
			found = true
		}
	})
	return found
}

// likePrefix returns p when the LIKE pattern is the constant 'p%' with no
// other wildcard, which is begins_with(x, 'p').
func likePrefix(l *parser.LikeExpr) (string, bool) {
	lit, ok := l.Pattern.(*parser.Literal)
	if !ok || lit.Kind != parser.LitString {
		return "", false
	}
	s := lit.Text
	if !strings.HasSuffix(s, "%") {
		return "", false
	}
	p := strings.TrimSuffix(s, "%")
	if p == "" || strings.ContainsAny(p, "%_\\") {
		return "", false
	}
	return p, true
}
