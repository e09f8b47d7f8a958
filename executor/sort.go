package executor

import (
	"context"
	"io"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/value"
)

// openSort orders its input by the sort keys. It reads the whole input on
// the first Next.
func (e *Executor) openSort(ctx context.Context, env *env, n *planner.Sort) (RowIter, error) {
	in, err := e.open(ctx, env, n.Input)
	if err != nil {
		return nil, err
	}
	return &sortIter{env: env, n: n, in: in}, nil
}

type sortIter struct {
	env    *env
	n      *planner.Sort
	in     RowIter
	rows   []sortRow
	sorted bool
}

// sortRow is a row and its sort key values, computed once.
type sortRow struct {
	row  Item
	keys []types.AttributeValue
}

func (s *sortIter) Next() (Item, error) {
	if !s.sorted {
		if err := s.load(); err != nil {
			return nil, err
		}
		s.sorted = true
	}
	if len(s.rows) == 0 {
		return nil, io.EOF
	}
	r := s.rows[0].row
	s.rows[0] = sortRow{}
	s.rows = s.rows[1:]
	return r, nil
}

func (s *sortIter) load() error {
	for {
		row, err := s.in.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		keys := make([]types.AttributeValue, len(s.n.Keys))
		for i, k := range s.n.Keys {
			if keys[i], err = s.env.eval(k.Expr, row); err != nil {
				return err
			}
		}
		s.rows = append(s.rows, sortRow{row, keys})
	}
	s.in.Close()
	slices.SortStableFunc(s.rows, func(a, b sortRow) int {
		for i, k := range s.n.Keys {
			c := compareTotal(a.keys[i], b.keys[i])
			if k.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	return nil
}

func (s *sortIter) Close() error {
	s.rows = nil
	s.sorted = true
	return s.in.Close()
}

// typeRank orders values of different types for sorting: missing, NULL,
// BOOL, N, S, B, then the rest.
func typeRank(v types.AttributeValue) int {
	switch v.(type) {
	case nil:
		return 0
	case *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberBOOL:
		return 2
	case *types.AttributeValueMemberN:
		return 3
	case *types.AttributeValueMemberS:
		return 4
	case *types.AttributeValueMemberB:
		return 5
	}
	return 6
}

// compareTotal is a total order over values, for ORDER BY: values of one
// ordered type compare as DynamoDB compares them, BOOL false before true,
// and different types by typeRank. Sets, lists and maps order by type name
// and then by their canonical encoding, which is arbitrary but stable.
func compareTotal(a, b types.AttributeValue) int {
	ra, rb := typeRank(a), typeRank(b)
	if ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case nil, *types.AttributeValueMemberNULL:
		return 0
	case *types.AttributeValueMemberBOOL:
		y := b.(*types.AttributeValueMemberBOOL)
		switch {
		case x.Value == y.Value:
			return 0
		case y.Value:
			return -1
		}
		return 1
	}
	if c, ok := value.Compare(a, b); ok {
		return c
	}
	if c := strings.Compare(value.TypeName(a), value.TypeName(b)); c != 0 {
		return c
	}
	return strings.Compare(value.HashKey(a), value.HashKey(b))
}
