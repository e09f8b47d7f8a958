package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ddbsql/ddbsql/parser"
)

// Prop is one named property of a described node.
type Prop struct {
	Key   string
	Value any
}

// Description is what a node says about itself: its name, its properties in
// a fixed order, and its children. EXPLAIN renders it as text or JSON, and the
// planner's golden files are its text form.
type Description struct {
	Node     string
	Props    []Prop
	Children []Description
}

// MarshalJSON writes the description as an object whose keys keep the
// properties' order.
func (d Description) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"node":`)
	name, _ := json.Marshal(d.Node)
	b.Write(name)
	for _, p := range d.Props {
		k, _ := json.Marshal(p.Key)
		v, err := json.Marshal(p.Value)
		if err != nil {
			return nil, err
		}
		b.WriteByte(',')
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	if len(d.Children) > 0 {
		c, err := json.Marshal(d.Children)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,"children":`)
		b.Write(c)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Text renders the description as an indented tree, one property per line.
func (d Description) Text() string {
	var b strings.Builder
	d.writeText(&b, 0)
	return b.String()
}

func (d Description) writeText(b *strings.Builder, depth int) {
	indent := strings.Repeat("  ", depth)
	if depth > 0 {
		indent = strings.Repeat("  ", depth-1) + "-> "
	}
	b.WriteString(indent + d.Node + "\n")
	pad := strings.Repeat("  ", depth+1)
	for _, p := range d.Props {
		fmt.Fprintf(b, "%s%s: %s\n", pad, p.Key, propText(p.Value))
	}
	for _, c := range d.Children {
		c.writeText(b, depth+1)
	}
}

func propText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []string:
		return strings.Join(x, ", ")
	case map[string]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + x[k]
		}
		return strings.Join(parts, ", ")
	default:
		return fmt.Sprint(v)
	}
}

func exprText(e parser.Expr) string {
	if e == nil {
		return ""
	}
	// Internal columns (aggregate results, group keys) start with a NUL;
	// show them as $agg0, $grp0.
	return strings.ReplaceAll(parser.FormatExpr(e), internalPrefix, "$")
}

func valuesText(vals map[string]parser.Expr) map[string]string {
	out := make(map[string]string, len(vals))
	for k, v := range vals {
		out[k] = exprText(v)
	}
	return out
}

func keyText(k Key) string {
	parts := make([]string, len(k))
	for i, p := range k {
		parts[i] = fmt.Sprintf("%s = %s", p.Attr, exprText(p.Value))
	}
	return strings.Join(parts, " AND ")
}

// props collects properties, skipping empty values so descriptions stay short.
type props []Prop

func (ps *props) add(key string, v any) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return
		}
	case []string:
		if len(x) == 0 {
			return
		}
	case map[string]string:
		if len(x) == 0 {
			return
		}
	case bool:
		if !x {
			return
		}
	case int:
		if x == 0 {
			return
		}
	}
	*ps = append(*ps, Prop{key, v})
}

// Describe implements Node.
func (r *Read) Describe() Description {
	var ps props
	ps.add("table", r.Table)
	ps.add("index", r.Index)
	switch r.Path {
	case GetItem, BatchGetItem:
		keys := make([]string, len(r.Keys))
		for i, k := range r.Keys {
			keys[i] = keyText(k)
		}
		ps.add("keys", keys)
	case Query:
		vals := make([]string, len(r.PartitionValues))
		for i, v := range r.PartitionValues {
			vals[i] = exprText(v)
		}
		ps.add("partition values", vals)
		ps.add("key condition", r.KeyCondition)
	}
	ps.add("filter", r.Filter)
	ps.add("projection", r.Projection)
	ps.add("names", r.Names)
	ps.add("values", valuesText(r.Values))
	if r.Path == Query {
		if r.Descending {
			ps.add("direction", "backward")
		} else {
			ps.add("direction", "forward")
		}
	}
	if r.Path == Scan {
		ps.add("segments", r.Segments)
	}
	ps.add("select", map[bool]string{true: "COUNT"}[r.Count])
	ps.add("page size", r.PageSize)
	ps.add("consistent read", r.ConsistentRead)
	ps.add("full scan", r.FullScan)
	d := Description{Node: r.Path.String(), Props: ps}
	if r.Fetch != nil {
		var fp props
		fp.add("table", r.Table)
		fp.add("key attributes", r.Fetch.KeyAttrs)
		fp.add("projection", r.Fetch.Projection)
		fp.add("names", r.Fetch.Names)
		d.Children = append(d.Children, Description{Node: "BatchGetItem (fetch from table)", Props: fp})
	}
	return d
}

// Describe implements Node.
func (f *Filter) Describe() Description {
	return Description{Node: "Filter", Props: []Prop{{"condition", exprText(f.Cond)}},
		Children: []Description{f.Input.Describe()}}
}

// Describe implements Node.
func (p *Project) Describe() Description {
	cols := make([]string, len(p.Items))
	for i, it := range p.Items {
		switch {
		case it.Star:
			cols[i] = "*"
		default:
			s := exprText(it.Expr)
			if s != it.Name && s != strconv.Quote(it.Name) {
				s += " AS " + it.Name
			}
			cols[i] = s
		}
	}
	return Description{Node: "Project", Props: []Prop{{"columns", cols}},
		Children: []Description{p.Input.Describe()}}
}

// Describe implements Node.
func (s *Sort) Describe() Description {
	keys := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		keys[i] = exprText(k.Expr)
		if k.Desc {
			keys[i] += " DESC"
		}
	}
	return Description{Node: "Sort", Props: []Prop{{"keys", keys}},
		Children: []Description{s.Input.Describe()}}
}

// Describe implements Node.
func (l *Limit) Describe() Description {
	var ps props
	ps.add("count", exprText(l.Count))
	ps.add("offset", exprText(l.Offset))
	return Description{Node: "Limit", Props: ps, Children: []Description{l.Input.Describe()}}
}

// Describe implements Node.
func (d *Distinct) Describe() Description {
	return Description{Node: "Distinct", Children: []Description{d.Input.Describe()}}
}

// Describe implements Node.
func (a *Aggregate) Describe() Description {
	var ps props
	groups := make([]string, len(a.GroupBy))
	for i, g := range a.GroupBy {
		groups[i] = exprText(g)
	}
	ps.add("group by", groups)
	aggs := make([]string, len(a.Aggs))
	for i, c := range a.Aggs {
		switch {
		case c.Star:
			aggs[i] = c.Func + "(*)"
		case c.Distinct:
			aggs[i] = c.Func + "(DISTINCT " + exprText(c.Arg) + ")"
		default:
			aggs[i] = c.Func + "(" + exprText(c.Arg) + ")"
		}
	}
	ps.add("aggregates", aggs)
	return Description{Node: "Aggregate", Props: ps, Children: []Description{a.Input.Describe()}}
}

// Describe implements Node.
func (SingleRow) Describe() Description { return Description{Node: "SingleRow"} }

// Describe implements Node.
func (p *PutItem) Describe() Description {
	var ps props
	ps.add("table", p.Table)
	ps.add("item", exprText(p.Item))
	if !p.Upsert {
		ps.add("condition", "attribute_not_exists("+strings.Join(p.KeyAttrs, ") AND attribute_not_exists(")+")")
	}
	return Description{Node: "PutItem", Props: ps}
}

func returningText(r parser.Returning) string {
	return [...]string{"", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"}[r]
}

// Describe implements Node.
func (u *UpdateItem) Describe() Description {
	var ps props
	ps.add("table", u.Table)
	ps.add("key", keyText(u.Key))
	ps.add("update", u.Update)
	ps.add("condition", u.Condition)
	ps.add("names", u.Names)
	ps.add("values", valuesText(u.Values))
	ps.add("return values", returningText(u.Returning))
	return Description{Node: "UpdateItem", Props: ps}
}

// Describe implements Node.
func (d *DeleteItem) Describe() Description {
	var ps props
	ps.add("table", d.Table)
	ps.add("key", keyText(d.Key))
	ps.add("condition", d.Condition)
	ps.add("names", d.Names)
	ps.add("values", valuesText(d.Values))
	ps.add("return values", returningText(d.Returning))
	return Description{Node: "DeleteItem", Props: ps}
}

// Describe implements Node.
func (c *ConditionCheck) Describe() Description {
	var ps props
	ps.add("table", c.Table)
	ps.add("key", keyText(c.Key))
	ps.add("condition", c.Condition)
	ps.add("names", c.Names)
	ps.add("values", valuesText(c.Values))
	node := "ConditionCheck"
	if c.Not {
		node = "ConditionCheck (NOT EXISTS)"
	}
	return Description{Node: node, Props: ps}
}

// Describe implements Node.
func (c *CreateTable) Describe() Description {
	return Description{Node: "CreateTable", Props: []Prop{{"table", c.Stmt.Name}}}
}

// Describe implements Node.
func (c *CreateIndex) Describe() Description {
	return Description{Node: "UpdateTable (create GSI)", Props: []Prop{{"table", c.Stmt.Table}, {"index", c.Stmt.Index.Name}}}
}

// Describe implements Node.
func (d *DropTable) Describe() Description {
	return Description{Node: "DeleteTable", Props: []Prop{{"table", d.Stmt.Name}}}
}

// Describe implements Node.
func (d *DropIndex) Describe() Description {
	return Description{Node: "UpdateTable (delete GSI)", Props: []Prop{{"table", d.Stmt.Table}, {"index", d.Stmt.Name}}}
}

// Describe implements Node.
func (s *ShowTables) Describe() Description {
	var ps props
	ps.add("like", s.Like)
	return Description{Node: "ListTables", Props: ps}
}

// Describe implements Node.
func (d *DescribeTable) Describe() Description {
	return Description{Node: "DescribeTable", Props: []Prop{{"table", d.Table}}}
}

// Describe implements Node.
func (e *Explain) Describe() Description {
	return Description{Node: "Explain", Children: []Description{e.Plan.Root.Describe()}}
}

// Describe implements Node.
func (p *PutItems) Describe() Description {
	var ps props
	ps.add("table", p.Table)
	if p.Items != nil {
		items := make([]string, len(p.Items))
		for i, it := range p.Items {
			items[i] = exprText(it)
		}
		ps.add("items", items)
	}
	node := "BatchWriteItem"
	switch {
	case p.Upsert:
		ps.add("batch size", 25)
	case p.Batch > 1:
		node = "TransactWriteItems"
		ps.add("batch size", p.Batch)
		ps.add("condition", "attribute_not_exists("+strings.Join(p.KeyAttrs, ") AND attribute_not_exists(")+")")
	default:
		node = "PutItem (each item)"
		ps.add("condition", "attribute_not_exists("+strings.Join(p.KeyAttrs, ") AND attribute_not_exists(")+")")
	}
	d := Description{Node: node, Props: ps}
	if p.Input != nil {
		d.Children = []Description{p.Input.Describe()}
	}
	return d
}

// Describe implements Node.
func (w *WriteEach) Describe() Description {
	var d Description
	if w.Update != nil {
		d = w.Update.Describe()
		d.Node = "UpdateItem (each item read)"
	} else {
		d = w.Delete.Describe()
		d.Node = "DeleteItem (each item read)"
	}
	d.Props = append([]Prop{d.Props[0], {"key attributes", w.KeyAttrs}}, d.Props[1:]...)
	if len(w.Pin) > 0 {
		d.Props = append(d.Props, Prop{"pinned", w.Pin})
	}
	d.Children = []Description{w.Input.Describe()}
	return d
}
