package planner

import "github.com/ddbsql/ddbsql/parser"

// walkExpr calls fn for e and every expression below it (pre-order).
func walkExpr(e parser.Expr, fn func(parser.Expr)) {
	if e == nil {
		return
	}
	fn(e)
	switch x := e.(type) {
	case *parser.ListExpr:
		for _, el := range x.Elems {
			walkExpr(el, fn)
		}
	case *parser.SetExpr:
		for _, el := range x.Elems {
			walkExpr(el, fn)
		}
	case *parser.MapExpr:
		for _, en := range x.Entries {
			walkExpr(en.Value, fn)
		}
	case *parser.UnaryExpr:
		walkExpr(x.X, fn)
	case *parser.BinaryExpr:
		walkExpr(x.L, fn)
		walkExpr(x.R, fn)
	case *parser.BetweenExpr:
		walkExpr(x.X, fn)
		walkExpr(x.Lo, fn)
		walkExpr(x.Hi, fn)
	case *parser.InExpr:
		walkExpr(x.X, fn)
		for _, el := range x.List {
			walkExpr(el, fn)
		}
	case *parser.LikeExpr:
		walkExpr(x.X, fn)
		walkExpr(x.Pattern, fn)
	case *parser.IsExpr:
		walkExpr(x.X, fn)
	case *parser.FuncCall:
		for _, a := range x.Args {
			walkExpr(a, fn)
		}
	case *parser.CaseExpr:
		walkExpr(x.Operand, fn)
		for _, w := range x.Whens {
			walkExpr(w.Cond, fn)
			walkExpr(w.Result, fn)
		}
		walkExpr(x.Else, fn)
	case *parser.ExistsExpr:
		walkSelect(x.Select, fn)
	case *parser.Cast:
		walkExpr(x.X, fn)
	}
}

func walkSelect(s *parser.Select, fn func(parser.Expr)) {
	for _, it := range s.Items {
		walkExpr(it.Expr, fn)
	}
	walkExpr(s.Where, fn)
	for _, g := range s.GroupBy {
		walkExpr(g, fn)
	}
	walkExpr(s.Having, fn)
	for _, o := range s.OrderBy {
		walkExpr(o.Expr, fn)
	}
	walkExpr(s.Limit, fn)
	walkExpr(s.Offset, fn)
}

// walkStatement calls fn for every expression of stmt.
func walkStatement(stmt parser.Statement, fn func(parser.Expr)) {
	switch s := stmt.(type) {
	case *parser.Select:
		walkSelect(s, fn)
	case *parser.Insert:
		walkExpr(s.Value, fn)
		if s.Select != nil {
			walkSelect(s.Select, fn)
		}
		for _, r := range s.Rows {
			for _, e := range r {
				walkExpr(e, fn)
			}
		}
	case *parser.Update:
		for _, a := range s.Actions {
			walkExpr(a.Path, fn)
			walkExpr(a.Value, fn)
		}
		walkExpr(s.Where, fn)
	case *parser.Delete:
		walkExpr(s.Where, fn)
	case *parser.Explain:
		walkStatement(s.Stmt, fn)
	case *parser.Exists:
		walkSelect(s.Select, fn)
	case *parser.Copy:
		if s.Query != nil {
			walkSelect(s.Query, fn)
		}
	}
}

// rewriteExpr rebuilds e bottom-up, replacing each node n by fn(n) when fn
// returns a non-nil expression (and not descending into it).
func rewriteExpr(e parser.Expr, fn func(parser.Expr) parser.Expr) parser.Expr {
	if e == nil {
		return nil
	}
	if r := fn(e); r != nil {
		return r
	}
	rw := func(x parser.Expr) parser.Expr { return rewriteExpr(x, fn) }
	rwAll := func(xs []parser.Expr) []parser.Expr {
		out := make([]parser.Expr, len(xs))
		for i, x := range xs {
			out[i] = rw(x)
		}
		return out
	}
	switch x := e.(type) {
	case *parser.ListExpr:
		c := *x
		c.Elems = rwAll(x.Elems)
		return &c
	case *parser.SetExpr:
		c := *x
		c.Elems = rwAll(x.Elems)
		return &c
	case *parser.MapExpr:
		c := *x
		c.Entries = make([]parser.MapEntry, len(x.Entries))
		for i, en := range x.Entries {
			c.Entries[i] = parser.MapEntry{Key: en.Key, Value: rw(en.Value)}
		}
		return &c
	case *parser.UnaryExpr:
		c := *x
		c.X = rw(x.X)
		return &c
	case *parser.BinaryExpr:
		c := *x
		c.L, c.R = rw(x.L), rw(x.R)
		return &c
	case *parser.BetweenExpr:
		c := *x
		c.X, c.Lo, c.Hi = rw(x.X), rw(x.Lo), rw(x.Hi)
		return &c
	case *parser.InExpr:
		c := *x
		c.X = rw(x.X)
		c.List = rwAll(x.List)
		return &c
	case *parser.LikeExpr:
		c := *x
		c.X, c.Pattern = rw(x.X), rw(x.Pattern)
		return &c
	case *parser.IsExpr:
		c := *x
		c.X = rw(x.X)
		return &c
	case *parser.FuncCall:
		c := *x
		c.Args = rwAll(x.Args)
		return &c
	case *parser.CaseExpr:
		c := *x
		c.Operand = rw(x.Operand)
		c.Whens = make([]parser.When, len(x.Whens))
		for i, w := range x.Whens {
			c.Whens[i] = parser.When{Cond: rw(w.Cond), Result: rw(w.Result)}
		}
		c.Else = rw(x.Else)
		return &c
	case *parser.Cast:
		c := *x
		c.X = rw(x.X)
		return &c
	}
	return e
}

// isConst reports whether e's value is known before any item is read: a
// literal, a parameter, or a composite or arithmetic of those.
func isConst(e parser.Expr) bool {
	ok := true
	walkExpr(e, func(x parser.Expr) {
		switch x.(type) {
		case *parser.Path, *parser.FuncCall, *parser.ExistsExpr, *parser.CaseExpr:
			ok = false
		}
	})
	return ok
}

// topAttr returns the top-level attribute a path reads.
func topAttr(p *parser.Path) string { return p.Steps[0].Name }

// simpleAttr returns the attribute name when e is a one-step path.
func simpleAttr(e parser.Expr) (string, bool) {
	p, ok := e.(*parser.Path)
	if !ok || len(p.Steps) != 1 {
		return "", false
	}
	return p.Steps[0].Name, true
}

// conjuncts splits e at top-level ANDs.
func conjuncts(e parser.Expr) []parser.Expr {
	if e == nil {
		return nil
	}
	if b, ok := e.(*parser.BinaryExpr); ok && b.Op == "AND" {
		return append(conjuncts(b.L), conjuncts(b.R)...)
	}
	return []parser.Expr{e}
}

// disjuncts splits e at top-level ORs.
func disjuncts(e parser.Expr) []parser.Expr {
	if b, ok := e.(*parser.BinaryExpr); ok && b.Op == "OR" {
		return append(disjuncts(b.L), disjuncts(b.R)...)
	}
	return []parser.Expr{e}
}

// and joins conditions with AND (nil for none).
func and(es []parser.Expr) parser.Expr {
	var out parser.Expr
	for _, e := range es {
		if out == nil {
			out = e
			continue
		}
		out = &parser.BinaryExpr{Pos: out.Position(), Op: "AND", L: out, R: e}
	}
	return out
}
