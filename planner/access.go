package planner

import (
	"fmt"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/parser"
)

// keyPred is a condition on one attribute that a key condition can use.
type keyPred struct {
	conj int    // index of the conjunct it came from
	op   string // = IN < <= > >= BETWEEN begins_with
	vals []parser.Expr
}

// keyPreds finds, per attribute, the conjuncts usable in key conditions:
// attr op constant, attr IN (constants), attr BETWEEN constants,
// begins_with(attr, constant) and attr LIKE 'prefix%'.
func keyPreds(conjs []parser.Expr) map[string][]keyPred {
	out := map[string][]keyPred{}
	add := func(attr string, p keyPred) { out[attr] = append(out[attr], p) }
	for i, c := range conjs {
		switch x := c.(type) {
		case *parser.BinaryExpr:
			op := x.Op
			attr, ok := simpleAttr(x.L)
			val := x.R
			if !ok {
				if attr, ok = simpleAttr(x.R); !ok {
					continue
				}
				val = x.L
				op = flipOp(op)
			}
			if op == "" || op == "<>" || op == "AND" || op == "OR" || !isCompare(op) || !isConst(val) {
				continue
			}
			add(attr, keyPred{conj: i, op: op, vals: []parser.Expr{val}})
		case *parser.InExpr:
			attr, ok := simpleAttr(x.X)
			if !ok || x.Not || len(x.List) == 0 {
				continue
			}
			allConst := true
			for _, v := range x.List {
				allConst = allConst && isConst(v)
			}
			if allConst {
				add(attr, keyPred{conj: i, op: "IN", vals: x.List})
			}
		case *parser.BetweenExpr:
			attr, ok := simpleAttr(x.X)
			if ok && !x.Not && isConst(x.Lo) && isConst(x.Hi) {
				add(attr, keyPred{conj: i, op: "BETWEEN", vals: []parser.Expr{x.Lo, x.Hi}})
			}
		case *parser.FuncCall:
			if x.Name == "begins_with" && len(x.Args) == 2 && isConst(x.Args[1]) {
				if attr, ok := simpleAttr(x.Args[0]); ok {
					add(attr, keyPred{conj: i, op: "begins_with", vals: []parser.Expr{x.Args[1]}})
				}
			}
		case *parser.LikeExpr:
			if prefix, ok := likePrefix(x); ok && !x.Not {
				if attr, ok := simpleAttr(x.X); ok {
					lit := &parser.Literal{Pos: x.Pattern.Position(), Kind: parser.LitString, Text: prefix}
					add(attr, keyPred{conj: i, op: "begins_with", vals: []parser.Expr{lit}})
				}
			}
		}
	}
	return out
}

func isCompare(op string) bool {
	switch op {
	case "=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// flipOp returns the operator with its operands swapped (5 < a → a > 5).
func flipOp(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	case "=":
		return "="
	}
	return ""
}

// eqOrIn returns the first = or IN predicate, if any.
func eqOrIn(preds []keyPred) (keyPred, bool) {
	for _, p := range preds {
		if p.op == "=" {
			return p, true
		}
	}
	for _, p := range preds {
		if p.op == "IN" {
			return p, true
		}
	}
	return keyPred{}, false
}

// sortCond is the sort-key part of a key condition and the conjuncts it
// consumes.
type sortCond struct {
	render func(d *dynExpr, attr string) string
	used   []int
	text   string // for choosing and describing: the operator used
}

// chooseSortCond picks the best sort-key condition: equality, else
// BETWEEN (or two inclusive bounds merged into one), else begins_with, else
// one bound. keyType is the sort key's type: begins_with needs S or B.
func chooseSortCond(preds []keyPred, keyType string) (sortCond, bool) {
	var lower, upper, between, prefix *keyPred
	for i := range preds {
		p := &preds[i]
		switch p.op {
		case "=":
			v := p.vals[0]
			return sortCond{used: []int{p.conj}, text: "=", render: func(d *dynExpr, a string) string {
				return d.name(a) + " = " + d.value(v)
			}}, true
		case ">", ">=":
			if lower == nil {
				lower = p
			}
		case "<", "<=":
			if upper == nil {
				upper = p
			}
		case "BETWEEN":
			if between == nil {
				between = p
			}
		case "begins_with":
			if prefix == nil && keyType != "N" {
				prefix = p
			}
		}
	}
	switch {
	case between != nil:
		lo, hi := between.vals[0], between.vals[1]
		return sortCond{used: []int{between.conj}, text: "BETWEEN", render: func(d *dynExpr, a string) string {
			return d.name(a) + " BETWEEN " + d.value(lo) + " AND " + d.value(hi)
		}}, true
	case lower != nil && upper != nil && lower.op == ">=" && upper.op == "<=":
		lo, hi := lower.vals[0], upper.vals[0]
		return sortCond{used: []int{lower.conj, upper.conj}, text: "BETWEEN", render: func(d *dynExpr, a string) string {
			return d.name(a) + " BETWEEN " + d.value(lo) + " AND " + d.value(hi)
		}}, true
	case prefix != nil:
		v := prefix.vals[0]
		return sortCond{used: []int{prefix.conj}, text: "begins_with", render: func(d *dynExpr, a string) string {
			return "begins_with(" + d.name(a) + ", " + d.value(v) + ")"
		}}, true
	case lower != nil || upper != nil:
		p := lower
		if p == nil {
			p = upper
		}
		op, v := p.op, p.vals[0]
		return sortCond{used: []int{p.conj}, text: op, render: func(d *dynExpr, a string) string {
			return d.name(a) + " " + op + " " + d.value(v)
		}}, true
	}
	return sortCond{}, false
}

// target is a table or one of its indexes, as a Query or Scan reads it.
type target struct {
	index *catalog.Index // nil: the table
	pk    catalog.KeyAttr
	sk    *catalog.KeyAttr
}

func (t target) name() string {
	if t.index == nil {
		return ""
	}
	return t.index.Name
}

func targets(tbl *catalog.Table, forced string) []target {
	if forced != "" {
		ix := tbl.Index(forced)
		return []target{{index: ix, pk: ix.PartitionKey, sk: ix.SortKey}}
	}
	ts := []target{{pk: tbl.PartitionKey, sk: tbl.SortKey}}
	for i := range tbl.Indexes {
		ix := &tbl.Indexes[i]
		if ix.Status != "" && ix.Status != "ACTIVE" {
			continue // a GSI still backfilling would return partial results
		}
		ts = append(ts, target{index: ix, pk: ix.PartitionKey, sk: ix.SortKey})
	}
	return ts
}

// queryChoice is a candidate Query.
type queryChoice struct {
	t      target
	pk     keyPred
	sort   *sortCond
	fetch  bool // a GSI lacking attributes the statement needs
	score  int
	reason string
}

// chooseQuery returns the best Query over the table and its indexes, if the
// WHERE constrains the partition key of any. needed is the set of attributes
// the statement reads (nil: all).
func chooseQuery(tbl *catalog.Table, forced string, preds map[string][]keyPred, needed []string) (queryChoice, bool) {
	var best queryChoice
	found := false
	for _, t := range targets(tbl, forced) {
		pk, ok := eqOrIn(preds[t.pk.Name])
		if !ok {
			continue
		}
		c := queryChoice{t: t, pk: pk}
		if t.sk != nil {
			if sc, ok := chooseSortCond(preds[t.sk.Name], t.sk.Type); ok {
				c.sort = &sc
			} else if t.index != nil && forced == "" {
				// A sparse index holds only the items that have its sort key:
				// reading it without a condition on that key could miss items.
				continue
			}
		}
		// A forced index is read as DynamoDB reads it (projected attributes
		// only); a chosen one must give complete items.
		if t.index != nil && forced == "" && !projectsAll(tbl, t.index, needed) {
			c.fetch = true
		}
		c.score = 10
		if c.sort != nil {
			c.score = 20
		}
		if t.index == nil {
			c.score += 2
		}
		if !c.fetch {
			c.score++
		}
		if !found || c.score > best.score {
			best, found = c, true
		}
	}
	return best, found
}

// projectsAll reports whether ix holds every attribute in needed (nil: all).
func projectsAll(tbl *catalog.Table, ix *catalog.Index, needed []string) bool {
	if ix.Projection == catalog.ProjectAll {
		return true
	}
	if needed == nil {
		return false
	}
	for _, a := range needed {
		if !tbl.Projects(ix, a) {
			return false
		}
	}
	return true
}

// fullKeys returns the primary keys named by the WHERE when every key
// attribute of the table has = or IN constants: the cross product of the
// values, and the conjuncts used.
func fullKeys(tbl *catalog.Table, preds map[string][]keyPred) ([]Key, []int, bool) {
	keys := []Key{{}}
	var used []int
	for _, attr := range tbl.KeyNames() {
		p, ok := eqOrIn(preds[attr])
		if !ok {
			return nil, nil, false
		}
		used = append(used, p.conj)
		var next []Key
		for _, k := range keys {
			for _, v := range p.vals {
				nk := append(append(Key{}, k...), KeyPart{Attr: attr, Value: v})
				next = append(next, nk)
			}
		}
		keys = next
	}
	return keys, used, true
}

// orOfFullKeys handles WHERE (k = a AND ...) OR (k = b AND ...): when every
// disjunct names full keys, the items are read with BatchGetItem and the
// whole WHERE is re-checked by the executor.
func orOfFullKeys(tbl *catalog.Table, where parser.Expr) ([]Key, bool) {
	ds := disjuncts(where)
	if len(ds) < 2 {
		return nil, false
	}
	var keys []Key
	for _, d := range ds {
		ks, _, ok := fullKeys(tbl, keyPreds(conjuncts(d)))
		if !ok {
			return nil, false
		}
		keys = append(keys, ks...)
	}
	return keys, true
}

func quoteIdent(s string) string { return fmt.Sprintf("%q", s) }
