package executor

import (
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// openAggregate groups its input and computes the aggregates of each group.
// Items are schemaless, so aggregates skip missing and NULL values, as SQL
// skips NULL; sum and avg fail on a value that is not a number, and min and
// max on values of different types, naming what they found.
func (e *Executor) openAggregate(ctx context.Context, env *env, n *planner.Aggregate) (RowIter, error) {
	for _, a := range n.Aggs {
		if _, ok := aggregateFuncs[a.Func]; !ok {
			return nil, sqlerr.New(sqlerr.UndefinedFunction, "aggregate function %s does not exist", a.Func)
		}
		if a.Star && a.Func != "count" {
			return nil, sqlerr.New(sqlerr.UndefinedFunction, "%s(*) does not exist; only count(*) does", a.Func)
		}
	}
	in, err := e.open(ctx, env, n.Input)
	if err != nil {
		return nil, err
	}
	return &aggregateIter{env: env, n: n, in: in}, nil
}

// accumulator computes one aggregate of one group.
type accumulator interface {
	// add takes the argument's value for one row (nil: missing).
	add(v types.AttributeValue) error
	result() (types.AttributeValue, error)
}

// aggregateFuncs builds the accumulator of each aggregate function.
var aggregateFuncs = map[string]func(c *planner.AggCall) accumulator{
	"count": func(c *planner.AggCall) accumulator { return &countAcc{star: c.Star} },
	"sum":   func(c *planner.AggCall) accumulator { return &sumAcc{call: c} },
	"avg":   func(c *planner.AggCall) accumulator { return &sumAcc{call: c, mean: true} },
	"min":   func(c *planner.AggCall) accumulator { return &extremeAcc{call: c, want: -1} },
	"max":   func(c *planner.AggCall) accumulator { return &extremeAcc{call: c, want: 1} },
}

func newAccumulator(c *planner.AggCall) accumulator {
	acc := aggregateFuncs[c.Func](c)
	if c.Distinct && !c.Star {
		acc = &distinctAcc{inner: acc, seen: map[string]struct{}{}}
	}
	return acc
}

// group is one group: its key values and its accumulators.
type group struct {
	keys []types.AttributeValue
	accs []accumulator
}

type aggregateIter struct {
	env    *env
	n      *planner.Aggregate
	in     RowIter
	groups []*group
	loaded bool
}

func (a *aggregateIter) Next() (Item, error) {
	if !a.loaded {
		if err := a.load(); err != nil {
			return nil, err
		}
		a.loaded = true
	}
	if len(a.groups) == 0 {
		return nil, io.EOF
	}
	g := a.groups[0]
	a.groups[0] = nil
	a.groups = a.groups[1:]
	row := make(Item, len(g.keys)+len(g.accs))
	for i, k := range g.keys {
		if k != nil {
			row[a.n.GroupOut[i]] = k
		}
	}
	for i, acc := range g.accs {
		v, err := acc.result()
		if err != nil {
			return nil, err
		}
		if v != nil {
			row[a.n.Aggs[i].Out] = v
		}
	}
	return row, nil
}

func (a *aggregateIter) newGroup(keys []types.AttributeValue) *group {
	g := &group{keys: keys, accs: make([]accumulator, len(a.n.Aggs))}
	for i := range a.n.Aggs {
		g.accs[i] = newAccumulator(&a.n.Aggs[i])
	}
	a.groups = append(a.groups, g)
	return g
}

// load reads the whole input into groups, kept in order of first appearance.
func (a *aggregateIter) load() error {
	byKey := map[string]*group{}
	var buf []byte
	for {
		row, err := a.in.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		keys := make([]types.AttributeValue, len(a.n.GroupBy))
		buf = buf[:0]
		for i, ge := range a.n.GroupBy {
			if keys[i], err = a.env.eval(ge, row); err != nil {
				return err
			}
			buf = value.AppendHashKey(buf, keys[i])
		}
		g, ok := byKey[string(buf)]
		if !ok {
			g = a.newGroup(keys)
			byKey[string(buf)] = g
		}
		for i, c := range a.n.Aggs {
			var v types.AttributeValue
			if c.Star {
				v = trueValue // count(*) counts rows, whatever they hold
			} else if v, err = a.env.eval(c.Arg, row); err != nil {
				return err
			}
			if err := g.accs[i].add(v); err != nil {
				return err
			}
		}
	}
	a.in.Close()
	if len(a.n.GroupBy) == 0 && len(a.groups) == 0 {
		// Without GROUP BY an aggregate yields one row even for no input.
		a.newGroup(nil)
	}
	return nil
}

func (a *aggregateIter) Close() error {
	a.groups = nil
	a.loaded = true
	return a.in.Close()
}

// present reports whether an aggregate counts v: not missing, not NULL.
func present(v types.AttributeValue) bool {
	return v != nil && !isNull(v)
}

// countAcc is count(*) and count(x).
type countAcc struct {
	star bool
	n    int64
}

func (c *countAcc) add(v types.AttributeValue) error {
	if c.star || present(v) {
		c.n++
	}
	return nil
}

func (c *countAcc) result() (types.AttributeValue, error) {
	return &types.AttributeValueMemberN{Value: value.Text(c.n)}, nil
}

// sumAcc is sum(x) and avg(x), computed exactly.
type sumAcc struct {
	call *planner.AggCall
	mean bool
	sum  value.Sum
}

func (s *sumAcc) add(v types.AttributeValue) error {
	if !present(v) {
		return nil
	}
	n, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return sqlerr.New(sqlerr.DatatypeMismatch, "%s found %s; %s adds numbers only",
			aggText(s.call), attributeTypeName(v), s.call.Func).
			WithHint("filter the items first, e.g. WHERE attribute_type(x, 'N')")
	}
	d, err := value.ParseNumber(n.Value)
	if err != nil {
		return err
	}
	return s.sum.Add(d)
}

func (s *sumAcc) result() (types.AttributeValue, error) {
	if s.sum.Count() == 0 {
		return nullValue, nil
	}
	d, err := s.sum.Total()
	if s.mean {
		d, err = s.sum.Mean()
	}
	if err != nil {
		return nil, err
	}
	return &types.AttributeValueMemberN{Value: value.FormatNumber(d)}, nil
}

// extremeAcc is min(x) (want -1) and max(x) (want 1).
type extremeAcc struct {
	call *planner.AggCall
	want int
	best types.AttributeValue
}

func (m *extremeAcc) add(v types.AttributeValue) error {
	if !present(v) {
		return nil
	}
	if !orderable(v) {
		return sqlerr.New(sqlerr.DatatypeMismatch, "%s found %s, which has no order; only strings, numbers and binaries do",
			aggText(m.call), attributeTypeName(v))
	}
	if m.best == nil {
		m.best = v
		return nil
	}
	c, ok := value.Compare(v, m.best)
	if !ok {
		return sqlerr.New(sqlerr.DatatypeMismatch, "%s found values of different types: %s and %s",
			aggText(m.call), attributeTypeName(m.best), attributeTypeName(v)).
			WithHint("filter the items first, e.g. WHERE attribute_type(x, 'N')")
	}
	if c*m.want > 0 {
		m.best = v
	}
	return nil
}

func (m *extremeAcc) result() (types.AttributeValue, error) {
	if m.best == nil {
		return nullValue, nil
	}
	return m.best, nil
}

// distinctAcc feeds its accumulator each distinct value once.
type distinctAcc struct {
	inner accumulator
	seen  map[string]struct{}
}

func (d *distinctAcc) add(v types.AttributeValue) error {
	if !present(v) {
		return nil
	}
	k := value.HashKey(v)
	if _, dup := d.seen[k]; dup {
		return nil
	}
	d.seen[k] = struct{}{}
	return d.inner.add(v)
}

func (d *distinctAcc) result() (types.AttributeValue, error) { return d.inner.result() }

// aggText renders an aggregate call for messages: sum(price).
func aggText(c *planner.AggCall) string {
	switch {
	case c.Star:
		return c.Func + "(*)"
	case c.Distinct:
		return c.Func + "(DISTINCT " + parser.FormatExpr(c.Arg) + ")"
	}
	return c.Func + "(" + parser.FormatExpr(c.Arg) + ")"
}
