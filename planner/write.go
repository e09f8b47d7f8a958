package planner

import (
	"context"
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
	item := s.Value
	if item == nil {
		if len(s.Rows) != 1 {
			return nil, errAt(s.Pos, sqlerr.FeatureNotSupported,
				"INSERT of %d rows in one statement is not supported; insert one row per statement", len(s.Rows))
		}
		row := s.Rows[0]
		if len(row) != len(s.Columns) {
			return nil, errAt(s.Pos, sqlerr.SyntaxError, "INSERT has %d columns but %d values", len(s.Columns), len(row))
		}
		m := &parser.MapExpr{Pos: s.Pos}
		for i, c := range s.Columns {
			m.Entries = append(m.Entries, parser.MapEntry{Key: c, Value: row[i]})
		}
		item = m
	}
	switch it := item.(type) {
	case *parser.MapExpr:
		for _, k := range tbl.KeyNames() {
			found := false
			for _, en := range it.Entries {
				if en.Key == k {
					found = true
					if !isConst(en.Value) {
						return nil, errAt(en.Value.Position(), sqlerr.InvalidParameter, "key attribute %q must be a constant", k)
					}
				}
			}
			if !found {
				return nil, errAt(it.Pos, "23502", "INSERT into %q needs the key attribute %q", tbl.Name, k)
			}
		}
		if !isConst(it) {
			return nil, errAt(it.Pos, sqlerr.FeatureNotSupported, "INSERT values must be constants or parameters")
		}
	case *parser.Param:
	default:
		return nil, errAt(item.Position(), sqlerr.SyntaxError, "INSERT needs a map value {'attr': value, ...}")
	}
	return &Plan{
		Root: &PutItem{Table: tbl.Name, Item: item, KeyAttrs: tbl.KeyNames(), Upsert: s.Upsert},
		Tag:  "INSERT",
	}, nil
}

// fullKeyWhere splits a write's WHERE into the full primary key (equalities
// with constants) and the remaining condition.
func fullKeyWhere(tbl *catalog.Table, where parser.Expr, verb string, pos parser.Pos) (Key, []parser.Expr, error) {
	conjs := conjuncts(where)
	preds := keyPreds(conjs)
	var key Key
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
			keyText := make([]string, 0, 2)
			for _, k := range tbl.KeyNames() {
				keyText = append(keyText, quoteIdent(k)+" = ...")
			}
			return nil, nil, errAt(pos, sqlerr.FeatureNotSupported,
				"%s needs the full primary key of %q in its WHERE clause (missing a condition %s)", verb, tbl.Name, quoteIdent(attr)+" = ...").
				WithHint("add %s; %s of several items at once is not supported yet", strings.Join(keyText, " AND "), verb)
		}
	}
	var rest []parser.Expr
	for i, c := range conjs {
		if !used[i] {
			rest = append(rest, c)
		}
	}
	return key, rest, nil
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
	key, rest, err := fullKeyWhere(tbl, s.Where, "UPDATE", s.Pos)
	if err != nil {
		return nil, err
	}
	d := newDynExpr()
	var sets, removes, adds, deletes []string
	for _, a := range s.Actions {
		if tbl.IsKey(topAttr(a.Path)) {
			return nil, errAt(a.Pos, sqlerr.InvalidParameter, "cannot update key attribute %q", topAttr(a.Path))
		}
		path := d.path(a.Path)
		if a.Kind == parser.RemoveAction {
			removes = append(removes, path)
			continue
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
	cond, err := writeCondition(d, rest, []string{"attribute_exists(" + d.name(tbl.PartitionKey.Name) + ")"})
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
	key, rest, err := fullKeyWhere(tbl, s.Where, "DELETE", s.Pos)
	if err != nil {
		return nil, err
	}
	d := newDynExpr()
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
