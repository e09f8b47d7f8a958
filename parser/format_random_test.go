package parser

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestFormatRandomTrees formats random expression trees, of every node type
// the parser builds, and checks that they parse back unchanged: a search
// for precedence and quoting mistakes in the formatter that hand-picked
// cases would miss.
func TestFormatRandomTrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for i := 0; i < n; i++ {
		g := treeGen{r: r}
		e := g.expr(4)
		text := FormatExpr(e)
		back, err := ParseExpr(text)
		if err != nil {
			t.Fatalf("FormatExpr(%s) = %q, which does not parse: %v", dump(e), text, err)
		}
		if !equalAST(e, back) {
			t.Fatalf("FormatExpr gave %q, which parses differently:\n got: %s\nwant: %s", text, dump(back), dump(e))
		}
	}
}

// treeGen builds random expression trees shaped as the parser builds them.
type treeGen struct {
	r      *rand.Rand
	params int
}

var (
	genNames = []string{"a", "B", "userId", "size", "value", "select", "and", "two words", `q"uote`, "x1$", "_"}
	genOps   = []string{"OR", "AND", "=", "<>", "<", "<=", ">", ">=", "||", "+", "-", "*", "/", "%"}
	genNums  = []string{"1", "0", "1.5", ".5", "1e3", "2.5E-10", "-1", "-.5", "12345678901234567890123456789012345678"}
)

func (g *treeGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *treeGen) expr(depth int) Expr {
	if depth <= 0 {
		return g.leaf()
	}
	d := depth - 1
	switch g.r.IntN(16) {
	case 0:
		return &UnaryExpr{Op: "NOT", X: g.expr(d)}
	case 1:
		return &UnaryExpr{Op: g.pick([]string{"-", "+"}), X: g.expr(d)}
	case 2, 3, 4:
		return &BinaryExpr{Op: g.pick(genOps), L: g.expr(d), R: g.expr(d)}
	case 5:
		return &BetweenExpr{X: g.expr(d), Lo: g.expr(d), Hi: g.expr(d), Not: g.r.IntN(2) == 0}
	case 6:
		return &InExpr{X: g.expr(d), List: g.list(d, 1), Not: g.r.IntN(2) == 0}
	case 7:
		return &LikeExpr{X: g.expr(d), Pattern: g.expr(d), Not: g.r.IntN(2) == 0}
	case 8:
		return &IsExpr{X: g.expr(d), What: IsKind(g.r.IntN(2)), Not: g.r.IntN(2) == 0}
	case 9:
		f := &FuncCall{Name: g.pick([]string{"f", "count", "size", "begins_with", "replace", "select"})}
		switch g.r.IntN(4) {
		case 0:
			f.Star = true
		case 1:
			f.Distinct, f.Args = true, g.list(d, 1)
		default:
			f.Args = g.list(d, 0)
		}
		return f
	case 10:
		return &ListExpr{Elems: g.list(d, 0)}
	case 11:
		return &SetExpr{Elems: g.list(d, 1)}
	case 12:
		m := &MapExpr{}
		for i := g.r.IntN(3); i > 0; i-- {
			m.Entries = append(m.Entries, MapEntry{Key: g.pick(genNames), Value: g.expr(d)})
		}
		return m
	case 13:
		c := &CaseExpr{}
		if g.r.IntN(2) == 0 {
			c.Operand = g.expr(d)
		}
		for i := 1 + g.r.IntN(2); i > 0; i-- {
			c.Whens = append(c.Whens, When{Cond: g.expr(d), Result: g.expr(d)})
		}
		if g.r.IntN(2) == 0 {
			c.Else = g.expr(d)
		}
		return c
	case 14:
		return &ExistsExpr{Select: &Select{Items: []SelectItem{{Star: true}}, From: &TableName{Name: g.pick(genNames)}, Where: g.expr(d)}}
	}
	return g.leaf()
}

func (g *treeGen) list(depth, min int) []Expr {
	n := min + g.r.IntN(3)
	if n == 0 {
		return nil
	}
	out := make([]Expr, n)
	for i := range out {
		out[i] = g.expr(depth)
	}
	return out
}

func (g *treeGen) leaf() Expr {
	switch g.r.IntN(7) {
	case 0:
		return &Literal{Kind: LitString, Text: g.pick([]string{"", "x", "it's", "a;b", "--", "/*"})}
	case 1:
		return &Literal{Kind: LitNumber, Text: g.pick(genNums)}
	case 2:
		return &Literal{Kind: LitBool, Text: g.pick([]string{"true", "false"})}
	case 3:
		return &Literal{Kind: LitNull}
	case 4:
		g.params++
		return &Param{Index: g.params + g.r.IntN(3), Dollar: true}
	}
	p := &Path{Steps: []PathStep{{Name: g.pick(genNames)}}}
	for i := g.r.IntN(3); i > 0; i-- {
		if g.r.IntN(2) == 0 {
			p.Steps = append(p.Steps, PathStep{Index: g.r.IntN(12), IsIndex: true})
		} else {
			p.Steps = append(p.Steps, PathStep{Name: g.pick(genNames) + strconv.Itoa(g.r.IntN(2))})
		}
	}
	return p
}
