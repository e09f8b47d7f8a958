package planner

import (
	"context"
	"slices"
	"strings"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

func (p *Planner) planInsert(ctx context.Context, s *parser.Insert) (*Plan, error) {
	tbl, err := p.table(ctx, s.Table, s.Pos)
	if err != nil {
		return nil, err
	}
	if s.Select != nil {
		return p.planInsertSelect(ctx, tbl, s)
	}
	if s.Value != nil {
		if err := checkInsertItem(tbl, s.Value); err != nil {
			return nil, err
		}
		return &Plan{
			Root: &PutItem{Table: tbl.Name, Item: s.Value, KeyAttrs: tbl.KeyNames(), Upsert: s.Upsert},
			Tag:  "INSERT",
		}, nil
	}
	items := make([]parser.Expr, len(s.Rows))
	for r, row := range s.Rows {
		if len(row) != len(s.Columns) {
			return nil, errAt(s.Pos, sqlerr.SyntaxError, "INSERT has %d columns but %d values", len(s.Columns), len(row))
		}
		pos := s.Pos
		if len(row) > 0 {
			pos = row[0].Position()
		}
		m := &parser.MapExpr{Pos: pos}
		for i, c := range s.Columns {
			m.Entries = append(m.Entries, parser.MapEntry{Key: c, Value: row[i]})
		}
		if err := checkInsertItem(tbl, m); err != nil {
			return nil, err
		}
		items[r] = m
	}
	if len(items) == 1 {
		return &Plan{
			Root: &PutItem{Table: tbl.Name, Item: items[0], KeyAttrs: tbl.KeyNames(), Upsert: s.Upsert},
			Tag:  "INSERT",
		}, nil
	}
	return &Plan{
		Root: &PutItems{Table: tbl.Name, KeyAttrs: tbl.KeyNames(), Upsert: s.Upsert, Items: items, Batch: p.insertBatch(s.Upsert)},
		Tag:  "INSERT",
	}, nil
}

// planInsertSelect plans INSERT ... SELECT: the SELECT's plan feeds a
// PutItems node, each row being an item to write.
func (p *Planner) planInsertSelect(ctx context.Context, tbl *catalog.Table, s *parser.Insert) (*Plan, error) {
	sel, err := p.planSelect(ctx, s.Select)
	if err != nil {
		return nil, err
	}
	if sel.Columns != nil {
		for _, k := range tbl.KeyNames() {
			if !slices.Contains(sel.Columns, k) {
				return nil, errAt(s.Select.Pos, "23502", "INSERT into %q needs the key attribute %q: the SELECT has no column of that name", tbl.Name, k).
					WithHint("name the column after the key attribute: SELECT ... AS %s", quoteIdent(k))
			}
		}
	}
	return &Plan{
		Root:     &PutItems{Table: tbl.Name, KeyAttrs: tbl.KeyNames(), Upsert: s.Upsert, Input: sel.Root, Batch: p.insertBatch(s.Upsert)},
		Tag:      "INSERT",
		Warnings: sel.Warnings,
	}, nil
}

// checkInsertItem checks that an item to insert is a map holding every key
// attribute as a constant, or a parameter.
func checkInsertItem(tbl *catalog.Table, item parser.Expr) error {
	switch it := item.(type) {
	case *parser.MapExpr:
		for _, k := range tbl.KeyNames() {
			found := false
			for _, en := range it.Entries {
				if en.Key == k {
					found = true
					if !isConst(en.Value) {
						return errAt(en.Value.Position(), sqlerr.InvalidParameter, "key attribute %q must be a constant", k)
					}
				}
			}
			if !found {
				return errAt(it.Pos, "23502", "INSERT into %q needs the key attribute %q", tbl.Name, k)
			}
		}
		if !isConst(it) {
			return errAt(it.Pos, sqlerr.FeatureNotSupported, "INSERT values must be constants or parameters")
		}
	case *parser.Param:
	default:
		return errAt(item.Position(), sqlerr.SyntaxError, "INSERT needs a map value {'attr': value, ...}")
	}
	return nil
}

// fullKeyWhere splits a write's WHERE into the full primary key (equalities
// with constants) and the remaining condition; ok is false when the WHERE
// does not fix the whole key.
func fullKeyWhere(tbl *catalog.Table, where parser.Expr) (key Key, rest []parser.Expr, ok bool) {
	conjs := conjuncts(where)
	preds := keyPreds(conjs)
	used := map[int]bool{}
	for _, attr := range tbl.KeyNames() {
		var found bool
		for _, p := range preds[attr] {
			if p.op == "=" {
				key = append(key, KeyPart{Attr: attr, Value: p.vals[0]})
				used[p.conj] = true
				found = true
				break
			}
		}
		if !found {
			return nil, nil, false
		}
	}
	for i, c := range conjs {
		if !used[i] {
			rest = append(rest, c)
		}
	}
	return key, rest, true
}

// writeCondition renders the non-key part of a write's WHERE, which
// DynamoDB must evaluate atomically with the write.
func writeCondition(d *dynExpr, rest []parser.Expr, prefix []string) (string, error) {
	parts := append([]string{}, prefix...)
	for _, c := range rest {
		s, ok := d.cond(c)
		if !ok {
			return "", errAt(c.Position(), sqlerr.FeatureNotSupported,
				"the condition %s cannot be evaluated by DynamoDB as part of a write", parser.FormatExpr(c))
		}
		parts = append(parts, wrapOr(c, s))
	}
	return strings.Join(parts, " AND "), nil
}

func (p *Planner) planUpdate(ctx context.Context, s *parser.Update) (*Plan, error) {
	tbl, err := p.table(ctx, s.Table, s.Pos)
	if err != nil {
		return nil, err
	}
	key, rest, single := fullKeyWhere(tbl, s.Where)
	d := newDynExpr()
	var sets, removes, adds, deletes []string
	var pin []string
	for _, a := range s.Actions {
		if tbl.IsKey(topAttr(a.Path)) {
			return nil, errAt(a.Pos, sqlerr.InvalidParameter, "cannot update key attribute %q", topAttr(a.Path))
		}
		path := d.path(a.Path)
		if a.Kind == parser.RemoveAction {
			removes = append(removes, path)
			continue
		}
		if refersToItem(a.Value) && !slices.Contains(pin, topAttr(a.Path)) {
			// The value reads the item (n + 1, list_append, if_not_exists,
			// set_add): applying it twice is not applying it once.
			pin = append(pin, topAttr(a.Path))
		}
		if f, ok := a.Value.(*parser.FuncCall); ok && (f.Name == "set_add" || f.Name == "set_delete") {
			// SET s = set_add(s, <<...>>) is DynamoDB's ADD / DELETE action.
			if len(f.Args) != 2 || parser.FormatExpr(f.Args[0]) != parser.FormatExpr(a.Path) || !isConst(f.Args[1]) {
				return nil, errAt(f.Pos, sqlerr.SyntaxError, "%s must read SET x = %s(x, <<values>>)", f.Name, f.Name)
			}
			v := d.value(f.Args[1])
			if f.Name == "set_add" {
				adds = append(adds, path+" "+v)
			} else {
				deletes = append(deletes, path+" "+v)
			}
			continue
		}
		v, ok := d.updateOperand(a.Value)
		if !ok {
			return nil, errAt(a.Value.Position(), sqlerr.FeatureNotSupported,
				"SET value %s cannot be computed by DynamoDB: use constants, attributes, + and -, list_append, if_not_exists, set_add or set_delete",
				parser.FormatExpr(a.Value))
		}
		sets = append(sets, path+" = "+v)
	}
	var clauses []string
	for _, c := range []struct {
		verb  string
		parts []string
	}{{"SET", sets}, {"REMOVE", removes}, {"ADD", adds}, {"DELETE", deletes}} {
		if len(c.parts) > 0 {
			clauses = append(clauses, c.verb+" "+strings.Join(c.parts, ", "))
		}
	}
	// UPDATE never creates an item: the key must exist.
	exists := []string{"attribute_exists(" + d.name(tbl.PartitionKey.Name) + ")"}
	if !single {
		return p.planWriteEach(tbl, s.Where, "UPDATE", d, exists, pin,
			func(cond string) *WriteEach {
				return &WriteEach{Update: &UpdateItem{Table: tbl.Name, Update: strings.Join(clauses, " "), Condition: cond,
					Names: d.namesMap(), Values: d.valuesMap(), Returning: s.Returning}}
			})
	}
	cond, err := writeCondition(d, rest, exists)
	if err != nil {
		return nil, err
	}
	return &Plan{
		Root: &UpdateItem{Table: tbl.Name, Key: key, Update: strings.Join(clauses, " "), Condition: cond,
			Names: d.namesMap(), Values: d.valuesMap(), Returning: s.Returning},
		Tag: "UPDATE",
	}, nil
}

func (p *Planner) planDelete(ctx context.Context, s *parser.Delete) (*Plan, error) {
	tbl, err := p.table(ctx, s.Table, s.Pos)
	if err != nil {
		return nil, err
	}
	key, rest, single := fullKeyWhere(tbl, s.Where)
	d := newDynExpr()
	if !single {
		// The item must still exist, or a DeleteItem would succeed on an
		// item deleted since the read, and count it.
		exists := []string{"attribute_exists(" + d.name(tbl.PartitionKey.Name) + ")"}
		return p.planWriteEach(tbl, s.Where, "DELETE", d, exists, nil,
			func(cond string) *WriteEach {
				return &WriteEach{Delete: &DeleteItem{Table: tbl.Name, Condition: cond, Names: d.namesMap(), Values: d.valuesMap(),
					Returning: s.Returning}}
			})
	}
	cond, err := writeCondition(d, rest, nil)
	if err != nil {
		return nil, err
	}
	return &Plan{
		Root: &DeleteItem{Table: tbl.Name, Key: key, Condition: cond, Names: d.namesMap(),
			Values: d.valuesMap(), Returning: s.Returning},
		Tag: "DELETE",
	}, nil
}

// planWriteEach plans a set-based UPDATE or DELETE, whose WHERE does not fix
// one full primary key: the read planner finds the matching items (keys
// only), and each gets a write conditioned on the WHERE clause, rendered by
// d after prefix, so that an item changed since the read is skipped.
// Conditions on the table's primary key attributes alone need no re-check
// (an item's key never changes), nor do conditions that read no item;
// every other condition must be one DynamoDB can evaluate, or the statement
// is refused. pin lists the attributes the writes pin (WriteEach.Pin): the
// read returns them besides the keys. build makes the write node from the
// condition; its RETURNING clause makes each write return its item (the
// executor streams them as the writes complete).
func (p *Planner) planWriteEach(tbl *catalog.Table, where parser.Expr, verb string,
	d *dynExpr, prefix, pin []string, build func(cond string) *WriteEach) (*Plan, error) {
	var recheck []parser.Expr
	fullTable := true
	for _, c := range conjuncts(where) {
		if !refersToItem(c) {
			continue
		}
		fullTable = false
		if !refersOnlyTo(c, tbl.KeyNames()) {
			recheck = append(recheck, c)
		}
	}
	parts := append([]string{}, prefix...)
	for _, c := range recheck {
		s, ok := d.cond(c)
		if !ok {
			return nil, errAt(c.Position(), sqlerr.FeatureNotSupported,
				"the condition %s cannot be re-checked by DynamoDB when each item is written", parser.FormatExpr(c)).
				WithHint("%s of several items re-checks its WHERE clause in each write, so that an item changed since it was read is skipped; use conditions DynamoDB can evaluate (LIKE only as a prefix, no arithmetic, CASE or ||)", verb)
		}
		parts = append(parts, wrapOr(c, s))
	}
	keys := tbl.KeyNames()
	read, residual, err := p.chooseRead(tbl, "", where, append(slices.Clip(keys), pin...))
	if err != nil {
		return nil, err
	}
	if len(residual) > 0 {
		// The executor evaluates these on the items read: read what they use.
		needed := append(slices.Clip(keys), pin...)
		for _, c := range residual {
			walkExpr(c, func(x parser.Expr) {
				if pa, ok := x.(*parser.Path); ok && !slices.Contains(needed, topAttr(pa)) {
					needed = append(needed, topAttr(pa))
				}
			})
		}
		if read, residual, err = p.chooseRead(tbl, "", where, needed); err != nil {
			return nil, err
		}
	}
	var input Node = read
	if len(residual) > 0 {
		input = &Filter{Input: read, Cond: and(residual)}
	}
	w := build(strings.Join(parts, " AND "))
	w.Input, w.KeyAttrs, w.FullTable, w.Pin = input, keys, fullTable, pin
	plan := &Plan{Root: w, Tag: verb}
	if read.FullScan {
		if warn := p.scanWarning(tbl, read); warn != "" {
			plan.Warnings = append(plan.Warnings, warn)
		}
	}
	return plan, nil
}

// refersOnlyTo reports whether every attribute e reads is one of attrs.
func refersOnlyTo(e parser.Expr, attrs []string) bool {
	ok := true
	walkExpr(e, func(x parser.Expr) {
		if pa, isPath := x.(*parser.Path); isPath && (len(pa.Steps) > 1 || !slices.Contains(attrs, topAttr(pa))) {
			ok = false
		}
	})
	return ok
}

// checkFullTableWrite refuses a write of every item of a table unless the
// session allows it.
func (p *Planner) checkFullTableWrite(plan *Plan) error {
	if p.opts.AllowFullTableWrite {
		return nil
	}
	var err error
	walkPlan(plan.Root, func(n Node) {
		w, ok := n.(*WriteEach)
		if !ok || !w.FullTable || err != nil {
			return
		}
		verb, table := "UPDATE", ""
		if w.Update != nil {
			table = w.Update.Table
		} else {
			verb, table = "DELETE", w.Delete.Table
		}
		err = sqlerr.New(sqlerr.FullScanRefused,
			"%s of every item of table %q refused: the WHERE clause has no condition on the items", verb, table).
			WithHint("add a condition, or allow writes of whole tables with the setting %s = on", "allow_full_table_write")
	})
	return err
}

// planExists plans EXISTS(SELECT ... FROM t WHERE <full key> [AND cond]):
// a condition check on one item, which must exist and match cond. NOT
// EXISTS is its negation: the item must be absent, or not match cond —
// attribute_not_exists(pk) OR NOT (cond). cond has DynamoDB's two-valued
// semantics (a comparison with a missing attribute is false), so NOT of it
// holds for an item lacking the attribute, exactly when the SELECT would
// not return the item.
func (p *Planner) planExists(ctx context.Context, s *parser.Exists) (*Plan, error) {
	sel := s.Select
	from, ok := sel.From.(*parser.TableName)
	if !ok || from.Index != "" || sel.GroupBy != nil || sel.Having != nil || sel.Limit != nil || sel.Offset != nil {
		return nil, errAt(s.Pos, sqlerr.FeatureNotSupported,
			"EXISTS as a statement checks one item: SELECT ... FROM table WHERE <full primary key> [AND condition]")
	}
	tbl, err := p.table(ctx, from.Name, from.Pos)
	if err != nil {
		return nil, err
	}
	key, rest, single := fullKeyWhere(tbl, sel.Where)
	if !single {
		return nil, errAt(s.Pos, sqlerr.FeatureNotSupported,
			"EXISTS as a statement needs the full primary key of %q in its WHERE clause", tbl.Name).
			WithHint("name the partition key (and sort key) with =")
	}
	d := newDynExpr()
	pk := d.name(tbl.PartitionKey.Name)
	tag := "EXISTS"
	var cond string
	if s.Not {
		tag = "NOT EXISTS"
		rc, err := writeCondition(d, rest, nil)
		if err != nil {
			return nil, err
		}
		cond = "attribute_not_exists(" + pk + ")"
		if rc != "" {
			cond += " OR (NOT (" + rc + "))"
		}
	} else {
		cond, err = writeCondition(d, rest, []string{"attribute_exists(" + pk + ")"})
		if err != nil {
			return nil, err
		}
	}
	return &Plan{
		Root: &ConditionCheck{Table: tbl.Name, Key: key, Condition: cond, Names: d.namesMap(), Values: d.valuesMap(), Not: s.Not},
		Tag:  tag,
	}, nil
}
