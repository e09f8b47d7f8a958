package executor

import (
	"context"

	"github.com/ddbsql/ddbsql/planner"
)

// openFilter keeps the rows for which the condition is BOOL true.
func (e *Executor) openFilter(ctx context.Context, env *env, n *planner.Filter) (RowIter, error) {
	in, err := e.open(ctx, env, n.Input)
	if err != nil {
		return nil, err
	}
	return &filterIter{env: env, n: n, in: in}, nil
}

type filterIter struct {
	env *env
	n   *planner.Filter
	in  RowIter
}

func (f *filterIter) Next() (Item, error) {
	for {
		row, err := f.in.Next()
		if err != nil {
			return nil, err
		}
		v, err := f.env.eval(f.n.Cond, row)
		if err != nil {
			return nil, err
		}
		if isTrue(v) {
			return row, nil
		}
	}
}

func (f *filterIter) Close() error { return f.in.Close() }
