package executor

import (
	"context"
	"io"
	"maps"

	"github.com/ddbsql/ddbsql/planner"
)

// openProject computes each output row from an input row: Star items copy
// every attribute, the others set their column to the expression's value,
// or leave it absent when the value is missing.
func (e *Executor) openProject(ctx context.Context, env *env, n *planner.Project) (RowIter, error) {
	in, err := e.open(ctx, env, n.Input)
	if err != nil {
		return nil, err
	}
	return &projectIter{env: env, n: n, in: in}, nil
}

type projectIter struct {
	env *env
	n   *planner.Project
	in  RowIter
}

func (p *projectIter) Next() (Item, error) {
	row, err := p.in.Next()
	if err != nil {
		return nil, err
	}
	out := make(Item, len(p.n.Items))
	for _, it := range p.n.Items {
		if it.Star {
			maps.Copy(out, row)
			continue
		}
		v, err := p.env.eval(it.Expr, row)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out[it.Name] = v
		} else {
			delete(out, it.Name)
		}
	}
	return out, nil
}

func (p *projectIter) Close() error { return p.in.Close() }

// openSingleRow yields one empty row, the input of SELECT without FROM.
func (e *Executor) openSingleRow(ctx context.Context, env *env) (RowIter, error) {
	return &singleRow{}, nil
}

type singleRow struct{ done bool }

func (s *singleRow) Next() (Item, error) {
	if s.done {
		return nil, io.EOF
	}
	s.done = true
	return Item{}, nil
}

func (s *singleRow) Close() error {
	s.done = true
	return nil
}
