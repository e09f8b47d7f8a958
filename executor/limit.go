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

// openLimit skips Offset rows and passes at most Count. Once it has passed
// Count rows it closes its input, which stops any paging under it.
func (e *Executor) openLimit(ctx context.Context, env *env, n *planner.Limit) (RowIter, error) {
	count, offset := int64(-1), int64(0)
	var err error
	if n.Count != nil {
		if count, err = env.bound(n.Count, "LIMIT"); err != nil {
			return nil, err
		}
	}
	if n.Offset != nil {
		if offset, err = env.bound(n.Offset, "OFFSET"); err != nil {
			return nil, err
		}
	}
	if count == 0 {
		return rowsOf(), nil
	}
	in, err := e.open(ctx, env, n.Input)
	if err != nil {
		return nil, err
	}
	return &limitIter{in: in, left: count, skip: offset}, nil
}

// bound evaluates a LIMIT or OFFSET: a non-negative integer.
func (env *env) bound(e parser.Expr, clause string) (int64, error) {
	v, err := env.value(e)
	if err != nil {
		return 0, err
	}
	if nv, ok := v.(*types.AttributeValueMemberN); ok {
		if d, err := value.ParseNumber(nv.Value); err == nil {
			if n, ok := value.Int64(d); ok && n >= 0 {
				return n, nil
			}
		}
		return 0, exprError(e.Position(), sqlerr.InvalidParameter,
			"%s must be a non-negative integer, not %s", clause, nv.Value)
	}
	return 0, exprError(e.Position(), sqlerr.InvalidParameter,
		"%s must be a non-negative integer, not %s", clause, attributeTypeName(v))
}

type limitIter struct {
	in   RowIter
	left int64 // rows still to pass; -1: no bound
	skip int64
	done bool
}

func (l *limitIter) Next() (Item, error) {
	if l.done {
		return nil, io.EOF
	}
	for l.skip > 0 {
		if _, err := l.in.Next(); err != nil {
			return nil, err
		}
		l.skip--
	}
	row, err := l.in.Next()
	if err != nil {
		return nil, err
	}
	if l.left > 0 {
		l.left--
		if l.left == 0 {
			l.done = true
			l.in.Close()
		}
	}
	return row, nil
}

func (l *limitIter) Close() error {
	l.done = true
	return l.in.Close()
}
