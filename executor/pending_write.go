package executor

// Temporary declarations until the write and DDL side lands; delete this file then.

import (
	"context"

	"github.com/ddbsql/ddbsql/planner"
)

func (e *Executor) putItem(ctx context.Context, env *env, n *planner.PutItem) (*Result, error) {
	panic("")
}
func (e *Executor) updateItem(ctx context.Context, env *env, n *planner.UpdateItem) (*Result, error) {
	panic("")
}
func (e *Executor) deleteItem(ctx context.Context, env *env, n *planner.DeleteItem) (*Result, error) {
	panic("")
}
func (e *Executor) createTable(ctx context.Context, n *planner.CreateTable) (*Result, error) {
	panic("")
}
func (e *Executor) createIndex(ctx context.Context, n *planner.CreateIndex) (*Result, error) {
	panic("")
}
func (e *Executor) dropTable(ctx context.Context, n *planner.DropTable) (*Result, error) { panic("") }
func (e *Executor) dropIndex(ctx context.Context, n *planner.DropIndex) (*Result, error) { panic("") }
func (e *Executor) showTables(ctx context.Context, n *planner.ShowTables) (*Result, error) {
	panic("")
}
func (e *Executor) describeTable(ctx context.Context, n *planner.DescribeTable) (*Result, error) {
	panic("")
}
