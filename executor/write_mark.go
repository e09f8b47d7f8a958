package executor

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// An UPDATE whose SET reads the item (SET n = n + 1) cannot be repeated
// safely: an item it updated before a process died, read again when the
// statement resumes from its checkpoint, would be updated twice. A
// statement given a mark (WriteCheckpoints.Mark, which the migration
// runner sets) therefore stamps each item it updates with the mark in the
// attribute MarkAttribute, in the same UpdateItem, and each update
// requires the item not to carry the mark already. An item found marked
// was updated by an earlier run of the statement: it counts as updated and
// is not written again. Once every item is updated, the statement reports
// a checkpoint that says so (Checkpoint.Unmarking, through
// WriteCheckpoints.OnUpdated, which stores it before the statement goes
// on), then removes the marks: a second pass reads the items that carry
// a mark and removes it from each (any mark: one left by an abandoned run
// of an earlier text of the statement goes too; the migration lock keeps
// other statements from marking meanwhile). A statement resumed from that
// checkpoint only removes the marks. Marking costs no extra call per item
// but a second pass over the items, with one write each, and while it
// runs readers see the attribute. A set-based UPDATE with RETURNING is not
// marked.

// SettingMarkUpdates is the session setting that lets a statement given a
// mark use it ("on", the default); "off" runs the UPDATE unmarked, with
// no second pass, for tables whose writes feed a stream.
const SettingMarkUpdates = "mark_updates"

// MarkAttribute is the attribute that holds the mark of the UPDATE that
// updated an item, until that statement completes.
const MarkAttribute = "ddbsql:applied"

// markName and markValue are the placeholders of the mark; the planner's
// are #n0..., :v0... and :pk, the pins' #pin0..., so they collide with none.
const (
	markName  = "#pinmark"
	markValue = ":pinmark"
)

// marking returns the mark an UPDATE of n run under ctx stamps its items
// with: "" unless checkpoints carry one, the update reads the items it
// writes (pinned attributes) and returns nothing, and mark_updates is not
// off.
func marking(ctx context.Context, env *env, n *planner.WriteEach) string {
	wc, ok := writeCheckpointsFrom(ctx)
	if !ok || wc.Mark == "" || n.Update == nil || len(n.Pin) == 0 || returning(n) != parser.ReturnNothing {
		return ""
	}
	if v, err := env.sessionInfo().Get(SettingMarkUpdates); err == nil && strings.EqualFold(v, "off") {
		return ""
	}
	return wc.Mark
}

// markUpdate adds the mark to an UpdateItem's expressions: SET of the mark
// first in the update expression (the planner writes its SET clause
// first), and a condition that the item does not carry it yet.
func markUpdate(mark, update, cond string, names map[string]string, values map[string]types.AttributeValue) (string, string) {
	names[markName] = MarkAttribute
	values[markValue] = &types.AttributeValueMemberS{Value: mark}
	set := markName + " = " + markValue
	if rest, ok := strings.CutPrefix(update, "SET "); ok {
		update = "SET " + set + ", " + rest
	} else {
		update = strings.TrimSpace("SET " + set + " " + update)
	}
	c := "(attribute_not_exists(" + markName + ") OR " + markName + " <> " + markValue + ")"
	if cond == "" {
		return update, c
	}
	return update, cond + " AND " + c
}

// markedBy reports whether item carries mark.
func markedBy(item Item, mark string) bool {
	s, ok := item[MarkAttribute].(*types.AttributeValueMemberS)
	return ok && s.Value == mark
}

// unmarkedCheckpoint is the checkpoint of a marking UPDATE whose items are
// all updated: only the removal of the marks remains.
func unmarkedCheckpoint(w *setWrite) Checkpoint {
	path := ""
	if r := positionedRead(w.n.Input); r != nil {
		path = pathName(r.Path)
	}
	return Checkpoint{Table: w.table, Path: path, Unmarking: true,
		Matched: w.ws.matched.Load(), Written: w.ws.written.Load(), Skipped: w.ws.skipped.Load()}
}

// finishMarked stores the checkpoint that every item of w is updated and
// removes the marks.
func (e *Executor) finishMarked(ctx context.Context, env *env, w *setWrite) error {
	if wc, ok := writeCheckpointsFrom(ctx); ok && wc.OnUpdated != nil {
		if err := wc.OnUpdated(unmarkedCheckpoint(w)); err != nil {
			return sqlerr.Wrap(err, sqlerr.Internal)
		}
	}
	return e.unmark(ctx, env, w.n)
}

// resumeUnmarking resumes a marking UPDATE from a checkpoint taken once
// every item was updated: it removes the marks (even if the statement no
// longer marks, mark_updates being off now) and reports the counts the
// checkpoint holds.
func (e *Executor) resumeUnmarking(ctx context.Context, env *env, w *setWrite, cp *Checkpoint) (*Result, error) {
	if w.n.Update == nil || cp.Table != w.table {
		return nil, sqlerr.New(objectNotInPrerequisiteState,
			"cannot resume this statement from its checkpoint: the checkpoint is of an UPDATE of %q that marks its items", cp.Table).
			WithHint("the statement changed since the checkpoint was taken; restore it")
	}
	w.ws.matched.Store(cp.Matched)
	w.ws.written.Store(cp.Written)
	w.ws.skipped.Store(cp.Skipped)
	if err := e.unmark(ctx, env, w.n); err != nil {
		return nil, unmarkError(ctx, err, w.table, w.ws)
	}
	res := &Result{}
	w.finish(res)
	return res, nil
}

// unmarkError is the error of an UPDATE whose items are all updated but
// whose marks could not all be removed.
func unmarkError(ctx context.Context, err error, table string, ws *writeStats) error {
	c := *sqlerr.As(readError(ctx, err, table))
	what := fmt.Sprintf("every item was %s (%s items); removing the attribute %q from them did not finish: run the migration again to remove it",
		ws.verb, groupDigits(ws.written.Load()), MarkAttribute)
	if c.Detail != "" {
		what = c.Detail + "; " + what
	}
	c.Detail = what
	return &c
}

// unmark removes the marks from the items of n's table that carry one:
// those n's read can reach (the same Query, or keys, on the table), else a
// Scan of the table. Items without a mark are left alone (their
// conditional REMOVE fails); the pass has no checkpoints: repeated, it
// finds fewer marks.
func (e *Executor) unmark(ctx context.Context, env *env, n *planner.WriteEach) error {
	read := &planner.Read{Path: planner.Scan, Table: n.Update.Table, Segments: 1, ConsistentRead: true}
	if r := baseRead(n.Input); r != nil && r.Index == "" && r.Path != planner.Scan {
		c := *r
		read = &c
		read.Fetch, read.Count, read.PageSize, read.Descending = nil, false, 0, false
		read.ConsistentRead = true
	} else if r != nil && r.Path == planner.Scan {
		read.Segments = max(r.Segments, 1)
	}
	// Every expression is rebuilt: DynamoDB refuses names and values no
	// expression uses. Only the key condition's placeholders are kept.
	names, values := map[string]string{}, map[string]parser.Expr{}
	for _, p := range placeholders.FindAllString(read.KeyCondition, -1) {
		if v, ok := read.Names[p]; ok {
			names[p] = v
		}
		if v, ok := read.Values[p]; ok {
			values[p] = v
		}
	}
	var proj []string
	for i, a := range n.KeyAttrs {
		p := markName + "k" + strconv.Itoa(i)
		names[p] = a
		proj = append(proj, p)
	}
	read.Filter, read.Projection = "", strings.Join(proj, ", ")
	// Any mark goes, not only this statement's: one left by a run of an
	// earlier text of the statement, abandoned, would stay forever. The
	// migration lock keeps other statements from marking meanwhile.
	present := "attribute_exists(" + markName + ")"
	if read.Path == planner.Query || read.Path == planner.Scan {
		// Keys (GetItem, BatchGetItem) are read as they are: the
		// condition of each REMOVE tells a marked item.
		read.Filter = present
		names[markName] = MarkAttribute
	}
	if len(values) == 0 {
		values = nil
	}
	read.Names, read.Values = names, values
	node := &planner.WriteEach{Input: read, KeyAttrs: n.KeyAttrs, Update: &planner.UpdateItem{
		Table:     n.Update.Table,
		Update:    "REMOVE " + markName,
		Condition: present,
		Names:     map[string]string{markName: MarkAttribute},
	}}
	uenv := e.newEnv(env.params)
	uenv.ctx, uenv.session, uenv.quiet = ctx, env.session, true
	// The pass runs without the statement's checkpoints.
	_, err := e.writeEach(context.WithValue(ctx, writeCheckpointsKey{}, nil), uenv, node)
	return err
}

// placeholders matches the names (#n0) and values (:v0) of an expression.
var placeholders = regexp.MustCompile(`[#:][A-Za-z0-9_]+`)

// baseRead returns the Read under a chain of Filter, Project, Sort, Limit
// and Distinct nodes, nil when there is none.
func baseRead(n planner.Node) *planner.Read {
	for {
		switch x := n.(type) {
		case *planner.Read:
			return x
		case *planner.Filter:
			n = x.Input
		case *planner.Project:
			n = x.Input
		case *planner.Sort:
			n = x.Input
		case *planner.Limit:
			n = x.Input
		case *planner.Distinct:
			n = x.Input
		default:
			return nil
		}
	}
}
