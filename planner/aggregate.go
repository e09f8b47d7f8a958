package planner

import (
	"fmt"
	"strings"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// buildAggregate puts an Aggregate over input and rewrites the select
// list, HAVING and ORDER BY to read its output: each aggregate call becomes a
// path to the internal column holding its result, each GROUP BY expression a
// path to the column holding the group's value. Anything else that still
// reads an attribute is a grouping error.
func buildAggregate(input Node, groupBy []parser.Expr, items []parser.SelectItem, having parser.Expr,
	order []parser.OrderItem) (*Aggregate, []parser.SelectItem, parser.Expr, []parser.OrderItem, error) {
	agg := &Aggregate{Input: input, GroupBy: groupBy}
	groupKey := map[string]string{}
	for i, g := range groupBy {
		if hasAggregate(g) {
			return nil, nil, nil, nil, errAt(g.Position(), sqlerr.GroupingError, "aggregate functions are not allowed in GROUP BY")
		}
		out := fmt.Sprintf("%sgrp%d", internalPrefix, i)
		agg.GroupOut = append(agg.GroupOut, out)
		groupKey[parser.FormatExpr(g)] = out
	}
	aggKey := map[string]string{}
	var firstErr error
	rewrite := func(e parser.Expr) parser.Expr {
		return rewriteExpr(e, func(x parser.Expr) parser.Expr {
			if out, ok := groupKey[parser.FormatExpr(x)]; ok {
				return internalPath(x.Position(), out)
			}
			f, ok := x.(*parser.FuncCall)
			if !ok || !aggregateFuncs[f.Name] {
				return nil
			}
			key := parser.FormatExpr(f)
			if out, ok := aggKey[key]; ok {
				return internalPath(f.Pos, out)
			}
			call, err := aggCall(f, len(agg.Aggs))
			if err != nil && firstErr == nil {
				firstErr = err
			}
			agg.Aggs = append(agg.Aggs, call)
			aggKey[key] = call.Out
			return internalPath(f.Pos, call.Out)
		})
	}
	newItems, newHaving, newOrder := rewriteOutputs(items, having, order, rewrite)
	if firstErr != nil {
		return nil, nil, nil, nil, firstErr
	}
	check := func(e parser.Expr) error {
		var err error
		walkExpr(e, func(x parser.Expr) {
			if p, ok := x.(*parser.Path); ok && err == nil && !strings.HasPrefix(topAttr(p), internalPrefix) {
				err = errAt(p.Pos, sqlerr.GroupingError,
					"attribute %s must appear in the GROUP BY clause or be used in an aggregate function", parser.FormatExpr(p))
			}
		})
		return err
	}
	for _, it := range newItems {
		if err := check(it.Expr); err != nil {
			return nil, nil, nil, nil, err
		}
	}
	if err := check(newHaving); err != nil {
		return nil, nil, nil, nil, err
	}
	for _, o := range newOrder {
		if err := check(o.Expr); err != nil {
			return nil, nil, nil, nil, err
		}
	}
	return agg, newItems, newHaving, newOrder, nil
}

func aggCall(f *parser.FuncCall, i int) (AggCall, error) {
	call := AggCall{Func: f.Name, Star: f.Star, Distinct: f.Distinct, Out: fmt.Sprintf("%sagg%d", internalPrefix, i)}
	switch {
	case f.Star && f.Name != "count":
		return call, errAt(f.Pos, sqlerr.SyntaxError, "%s(*) is not allowed; only COUNT(*)", f.Name)
	case f.Star:
	case len(f.Args) != 1:
		return call, errAt(f.Pos, sqlerr.UndefinedFunction, "%s takes exactly one argument", f.Name)
	default:
		if hasAggregate(f.Args[0]) {
			return call, errAt(f.Pos, sqlerr.GroupingError, "aggregate function calls cannot be nested")
		}
		call.Arg = f.Args[0]
	}
	return call, nil
}

func internalPath(pos parser.Pos, name string) *parser.Path {
	return &parser.Path{Pos: pos, Steps: []parser.PathStep{{Name: name}}}
}

// countColumn is the attribute a Select=COUNT read yields.
const countColumn = "count"

func isCountStar(e parser.Expr) bool {
	f, ok := e.(*parser.FuncCall)
	return ok && f.Name == "count" && f.Star && !f.Distinct
}

// onlyCountStar reports whether COUNT(*) is the only thing the statement
// computes, so a Select=COUNT read answers it.
func onlyCountStar(items []parser.SelectItem, having parser.Expr, order []parser.OrderItem) bool {
	ok := true
	check := func(e parser.Expr) {
		walkExpr(e, func(x parser.Expr) {
			switch x.(type) {
			case *parser.Path:
				ok = false
			case *parser.FuncCall:
				if aggregateFuncs[x.(*parser.FuncCall).Name] && !isCountStar(x) {
					ok = false
				}
			}
		})
	}
	for _, it := range items {
		check(it.Expr)
	}
	check(having)
	for _, o := range order {
		check(o.Expr)
	}
	return ok
}

// rewriteCountStar replaces COUNT(*) by the column a Select=COUNT read
// yields.
func rewriteCountStar(e parser.Expr) parser.Expr {
	return rewriteExpr(e, func(x parser.Expr) parser.Expr {
		if isCountStar(x) {
			return internalPath(x.Position(), countColumn)
		}
		return nil
	})
}

// rewriteOutputs applies rw to every expression of the select list, HAVING
// and ORDER BY.
func rewriteOutputs(items []parser.SelectItem, having parser.Expr, order []parser.OrderItem,
	rw func(parser.Expr) parser.Expr) ([]parser.SelectItem, parser.Expr, []parser.OrderItem) {
	newItems := make([]parser.SelectItem, len(items))
	for i, it := range items {
		it.Expr = rw(it.Expr)
		newItems[i] = it
	}
	newOrder := make([]parser.OrderItem, len(order))
	for i, o := range order {
		o.Expr = rw(o.Expr)
		newOrder[i] = o
	}
	return newItems, rw(having), newOrder
}
