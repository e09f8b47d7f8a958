package executor

import (
	"context"
	"slices"
	"strconv"

	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/value"
)

// openDistinct drops rows equal to a row already passed: equal attribute
// names with equal values (1 and 1.0 are equal, missing differs from NULL).
func (e *Executor) openDistinct(ctx context.Context, env *env, n *planner.Distinct) (RowIter, error) {
	in, err := e.open(ctx, env, n.Input)
	if err != nil {
		return nil, err
	}
	return &distinctIter{in: in, seen: map[string]struct{}{}}, nil
}

type distinctIter struct {
	in   RowIter
	seen map[string]struct{}
	buf  []byte
}

func (d *distinctIter) Next() (Item, error) {
	for {
		row, err := d.in.Next()
		if err != nil {
			return nil, err
		}
		d.buf = rowKey(d.buf[:0], row)
		if _, dup := d.seen[string(d.buf)]; dup {
			continue
		}
		d.seen[string(d.buf)] = struct{}{}
		return row, nil
	}
}

func (d *distinctIter) Close() error {
	d.seen = nil
	return d.in.Close()
}

// rowKey appends the canonical encoding of a whole row: its attribute names
// in order, each with its value's HashKey.
func rowKey(b []byte, row Item) []byte {
	names := make([]string, 0, len(row))
	for k := range row {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		b = strconv.AppendInt(b, int64(len(k)), 10)
		b = append(b, ':')
		b = append(b, k...)
		b = value.AppendHashKey(b, row[k])
	}
	return b
}
