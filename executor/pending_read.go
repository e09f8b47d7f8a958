package executor

// Temporary declarations until the read side lands; delete this file then.

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
)

type env struct {
	params any
	stats  any
}

func newStats() any { return nil }

func (e *Executor) openRead(ctx context.Context, env *env, n *planner.Read) (RowIter, error) {
	panic("")
}
func (e *Executor) openFilter(ctx context.Context, env *env, n *planner.Filter) (RowIter, error) {
	panic("")
}
func (e *Executor) openProject(ctx context.Context, env *env, n *planner.Project) (RowIter, error) {
	panic("")
}
func (e *Executor) openSort(ctx context.Context, env *env, n *planner.Sort) (RowIter, error) {
	panic("")
}
func (e *Executor) openLimit(ctx context.Context, env *env, n *planner.Limit) (RowIter, error) {
	panic("")
}
func (e *Executor) openDistinct(ctx context.Context, env *env, n *planner.Distinct) (RowIter, error) {
	panic("")
}
func (e *Executor) openAggregate(ctx context.Context, env *env, n *planner.Aggregate) (RowIter, error) {
	panic("")
}
func (e *Executor) openSingleRow(ctx context.Context, env *env) (RowIter, error) { panic("") }
func (e *Executor) explain(ctx context.Context, env *env, n *planner.Explain) (*Result, error) {
	panic("")
}

func (env *env) value(e parser.Expr) (types.AttributeValue, error) { panic("") }
func (env *env) values(m map[string]parser.Expr) (map[string]types.AttributeValue, error) {
	panic("")
}
func (env *env) key(k planner.Key) (map[string]types.AttributeValue, error) { panic("") }
func (env *env) recordCall()                                                {}
func (env *env) recordCapacity(c *types.ConsumedCapacity)                   {}
