package executor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// explainColumn is the one column of EXPLAIN's rows.
const explainColumn = "QUERY PLAN"

// explain shows the plan's description: as text, one row per line; as JSON,
// one row holding the indented document. With ANALYZE the plan runs first
// (its rows are read and discarded) and each Read node's description gains
// what it actually did — calls, pages, items scanned and returned, capacity
// consumed, time — followed by the statement's rows and execution time.
func (e *Executor) explain(ctx context.Context, env *env, n *planner.Explain) (*Result, error) {
	desc := n.Plan.Root.Describe()
	var rows int64
	var elapsed time.Duration
	if n.Analyze {
		start := time.Now()
		var err error
		if rows, err = e.analyze(ctx, env, n.Plan); err != nil {
			return nil, err
		}
		elapsed = time.Since(start)
		annotate(&desc, n.Plan.Root, env.stats)
	}
	var lines []string
	if n.JSON {
		var doc any = desc
		if n.Analyze {
			doc = struct {
				Plan planner.Description `json:"plan"`
				Rows int64               `json:"rows"`
				Time float64             `json:"execution time ms"`
			}{desc, rows, millis(elapsed)}
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.Internal)
		}
		lines = []string{string(b)}
	} else {
		lines = strings.Split(strings.TrimSuffix(desc.Text(), "\n"), "\n")
		if n.Analyze {
			lines = append(lines,
				fmt.Sprintf("Rows: %d", rows),
				fmt.Sprintf("Execution time: %.3f ms", millis(elapsed)))
		}
	}
	items := make([]Item, len(lines))
	for i, l := range lines {
		items[i] = Item{explainColumn: &types.AttributeValueMemberS{Value: l}}
	}
	return &Result{Columns: []string{explainColumn}, Rows: rowsOf(items...), Tag: "EXPLAIN"}, nil
}

// analyze runs p with env, so that its statistics land in env.stats, and
// returns the number of rows it produced (or items it wrote).
func (e *Executor) analyze(ctx context.Context, env *env, p *planner.Plan) (int64, error) {
	var res *Result
	var err error
	switch root := p.Root.(type) {
	case *planner.PutItem:
		res, err = e.putItem(ctx, env, root)
	case *planner.UpdateItem:
		res, err = e.updateItem(ctx, env, root)
	case *planner.DeleteItem:
		res, err = e.deleteItem(ctx, env, root)
	case *planner.PutItems:
		res, err = e.putItems(ctx, env, root)
	case *planner.WriteEach:
		res, err = e.writeEach(ctx, env, root)
	case *planner.Read, *planner.Filter, *planner.Project, *planner.Sort, *planner.Limit,
		*planner.Distinct, *planner.Aggregate, planner.SingleRow, *planner.SingleRow:
		var it RowIter
		if it, err = e.open(ctx, env, root); err == nil {
			res = &Result{Rows: it}
		}
	default:
		// DDL and the like gather no statistics: run them as they are.
		res, err = e.Run(ctx, p, env.params)
	}
	if err != nil {
		return 0, err
	}
	if res.Rows == nil {
		return res.RowsAffected, nil
	}
	defer res.Rows.Close()
	var n int64
	for {
		if _, err := res.Rows.Next(); err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, err
		}
		n++
	}
}

// annotate adds what each Read under node actually did (or what node did,
// when it is a write) to d, the description node produced.
func annotate(d *planner.Description, node planner.Node, st *stats) {
	switch x := node.(type) {
	case *planner.Read:
		rs := st.lookupRead(x)
		if rs == nil || rs.calls.Load() == 0 {
			d.Props = append(d.Props, planner.Prop{Key: "actual", Value: "never executed"})
			return
		}
		d.Props = append(d.Props, actualProps(rs)...)
		if x.Fetch != nil && rs.fetch != nil && len(d.Children) > 0 {
			d.Children[0].Props = append(d.Children[0].Props, actualProps(rs.fetch)...)
		}
		return
	case *planner.PutItem, *planner.UpdateItem, *planner.DeleteItem, *planner.PutItems, *planner.WriteEach:
		w := &st.other
		d.Props = append(d.Props,
			planner.Prop{Key: "actual calls", Value: w.calls.Load()},
			planner.Prop{Key: "actual capacity", Value: math.Round(w.capacity()*1000) / 1000})
	}
	input := planner.Input(node)
	if input != nil && len(d.Children) > 0 {
		annotate(&d.Children[0], input, st)
	}
}

func actualProps(rs *readStats) []planner.Prop {
	return []planner.Prop{
		{Key: "actual calls", Value: rs.calls.Load()},
		{Key: "actual pages", Value: rs.pages.Load()},
		{Key: "actual scanned", Value: rs.scanned.Load()},
		{Key: "actual returned", Value: rs.returned.Load()},
		{Key: "actual capacity", Value: math.Round(rs.capacity()*1000) / 1000},
		{Key: "actual time ms", Value: millis(rs.elapsed())},
	}
}

// millis is d in milliseconds, to the microsecond.
func millis(d time.Duration) float64 {
	return math.Round(float64(d.Microseconds())) / 1000
}
