package planner

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// aggregateFuncs are the aggregate functions the executor computes.
var aggregateFuncs = map[string]bool{"count": true, "sum": true, "min": true, "max": true, "avg": true}

// internalPrefix starts the names of columns the planner invents (group keys
// and aggregate results); no DynamoDB attribute name starts with a NUL.
const internalPrefix = "\x00"

func isAggregate(e parser.Expr) bool {
	f, ok := e.(*parser.FuncCall)
	return ok && aggregateFuncs[f.Name]
}

func hasAggregate(e parser.Expr) bool {
	found := false
	walkExpr(e, func(x parser.Expr) {
		if isAggregate(x) {
			found = true
		}
	})
	return found
}

// selectShape is what planSelect learns of the statement before choosing an
// access path.
type selectShape struct {
	star    bool
	hasAgg  bool
	needed  []string // top-level attributes read; nil when star
	items   []parser.SelectItem
	names   []string // output column names
	orderBy []parser.OrderItem
}

func (p *Planner) planSelect(ctx context.Context, s *parser.Select) (*Plan, error) {
	if s.From == nil {
		return p.planSelectNoFrom(s)
	}
	tn, ok := s.From.(*parser.TableName)
	if !ok {
		return nil, errAt(s.From.Position(), sqlerr.FeatureNotSupported, "only a single table is supported in FROM")
	}
	tbl, err := p.table(ctx, tn.Name, tn.Pos)
	if err != nil {
		return nil, err
	}
	if tn.Index != "" && tbl.Index(tn.Index) == nil {
		return nil, unknownIndex(tbl, tn)
	}
	s = stripAlias(s, tn.Alias)
	shape, err := analyzeSelect(s)
	if err != nil {
		return nil, err
	}

	read, residual, err := p.chooseRead(tbl, tn.Index, s.Where, shape.needed)
	if err != nil {
		return nil, err
	}
	plan := &Plan{Tag: "SELECT", KeyColumns: keyColumns(tbl)}
	if read.FullScan {
		if w := p.scanWarning(tbl, read); w != "" {
			plan.Warnings = append(plan.Warnings, w)
		}
	}

	var node Node = read
	if len(residual) > 0 {
		node = &Filter{Input: node, Cond: and(residual)}
	}

	items, having, order := shape.items, s.Having, shape.orderBy
	if shape.hasAgg {
		countOnly := len(s.GroupBy) == 0 && len(residual) == 0 && read.Fetch == nil &&
			(read.Path == Query || read.Path == Scan) && onlyCountStar(items, having, order)
		if countOnly {
			// COUNT(*) alone: Select=COUNT transfers no items.
			read.Count, read.Projection = true, ""
			read.PageSize = 0
			read.Names = filterNames(read)
			items, having, order = rewriteOutputs(items, having, order, rewriteCountStar)
		} else {
			agg, ri, rh, ro, err := buildAggregate(node, s.GroupBy, items, having, order)
			if err != nil {
				return nil, err
			}
			node, items, having, order = agg, ri, rh, ro
		}
		if having != nil {
			node = &Filter{Input: node, Cond: having}
		}
	} else if having != nil {
		return nil, errAt(having.Position(), sqlerr.GroupingError, "HAVING needs GROUP BY or an aggregate")
	}

	if len(order) > 0 && !s.Distinct && !p.pushOrder(read, tbl, tn.Index, order, shape.hasAgg) {
		node = &Sort{Input: node, Keys: sortKeys(order)}
	}
	if !(shape.star && len(items) == 1) {
		node = &Project{Input: node, Items: projectItems(items, shape.names)}
		plan.Columns = shape.names
	}
	if s.Distinct {
		node = &Distinct{Input: node}
		if len(order) > 0 {
			keys, err := distinctOrder(order, items, shape.names)
			if err != nil {
				return nil, err
			}
			node = &Sort{Input: node, Keys: keys}
		}
	}
	if s.Limit != nil || s.Offset != nil {
		node = &Limit{Input: node, Count: s.Limit, Offset: s.Offset}
		p.pushLimit(read, node, s)
	}
	plan.Root = node
	return plan, nil
}

// analyzeSelect resolves ORDER BY aliases and ordinals, names the output
// columns and collects the attributes the statement reads.
func analyzeSelect(s *parser.Select) (*selectShape, error) {
	sh := &selectShape{items: s.Items}
	for _, it := range s.Items {
		if it.Star {
			sh.star = true
		}
	}
	for i, it := range s.Items {
		sh.names = append(sh.names, columnName(it, i))
	}
	for _, o := range s.OrderBy {
		e, err := resolveOrderExpr(o.Expr, s.Items)
		if err != nil {
			return nil, err
		}
		sh.orderBy = append(sh.orderBy, parser.OrderItem{Pos: o.Pos, Expr: e, Desc: o.Desc})
	}
	sh.hasAgg = len(s.GroupBy) > 0 || hasAggregate(s.Having)
	for _, it := range s.Items {
		sh.hasAgg = sh.hasAgg || hasAggregate(it.Expr)
	}
	for _, o := range sh.orderBy {
		sh.hasAgg = sh.hasAgg || hasAggregate(o.Expr)
	}
	if sh.hasAgg && sh.star {
		return nil, errAt(s.Pos, sqlerr.GroupingError, "SELECT * cannot be combined with aggregates or GROUP BY")
	}
	if s.Where != nil && hasAggregate(s.Where) {
		return nil, errAt(s.Where.Position(), sqlerr.GroupingError, "aggregate functions are not allowed in WHERE")
	}
	if !sh.star {
		set := map[string]bool{}
		collect := func(e parser.Expr) {
			walkExpr(e, func(x parser.Expr) {
				if p, ok := x.(*parser.Path); ok {
					set[topAttr(p)] = true
				}
			})
		}
		for _, it := range s.Items {
			collect(it.Expr)
		}
		collect(s.Where)
		for _, g := range s.GroupBy {
			collect(g)
		}
		collect(s.Having)
		for _, o := range sh.orderBy {
			collect(o.Expr)
		}
		sh.needed = make([]string, 0, len(set))
		for a := range set {
			sh.needed = append(sh.needed, a)
		}
		sort.Strings(sh.needed)
	}
	return sh, nil
}

// resolveOrderExpr maps ORDER BY 2 and ORDER BY alias to the select item's
// expression.
func resolveOrderExpr(e parser.Expr, items []parser.SelectItem) (parser.Expr, error) {
	if lit, ok := e.(*parser.Literal); ok && lit.Kind == parser.LitNumber {
		n, err := strconv.Atoi(lit.Text)
		if err != nil || n < 1 || n > len(items) || items[n-1].Star {
			return nil, errAt(lit.Pos, sqlerr.InvalidParameter, "ORDER BY position %s is not in select list", lit.Text)
		}
		return items[n-1].Expr, nil
	}
	if name, ok := simpleAttr(e); ok {
		for _, it := range items {
			if it.Alias == name && !it.Star {
				return it.Expr, nil
			}
		}
	}
	return e, nil
}

// columnName names an output column: the alias, the last attribute name of
// a path (as DynamoDB's PartiQL does), the function name (as PostgreSQL
// does), else ?column?.
func columnName(it parser.SelectItem, i int) string {
	if it.Star {
		return "*"
	}
	if it.Alias != "" {
		return it.Alias
	}
	switch x := it.Expr.(type) {
	case *parser.Path:
		// The last name and the list indexes after it, as DynamoDB names
		// the attribute: a.b.c → c, tags[0] → tags[0].
		for j := len(x.Steps) - 1; j >= 0; j-- {
			if !x.Steps[j].IsIndex {
				name := x.Steps[j].Name
				for _, st := range x.Steps[j+1:] {
					name += "[" + strconv.Itoa(st.Index) + "]"
				}
				return name
			}
		}
	case *parser.FuncCall:
		return x.Name
	case *parser.Cast:
		// As PostgreSQL: the name of what is cast, else the type's.
		if name := columnName(parser.SelectItem{Expr: x.X}, i); name != "?column?" {
			return name
		}
		return x.Type
	}
	return "?column?"
}

// stripAlias removes the table alias from paths (t.a → a).
func stripAlias(s *parser.Select, alias string) *parser.Select {
	if alias == "" {
		return s
	}
	strip := func(e parser.Expr) parser.Expr {
		return rewriteExpr(e, func(x parser.Expr) parser.Expr {
			p, ok := x.(*parser.Path)
			if ok && len(p.Steps) > 1 && p.Steps[0].Name == alias && !p.Steps[1].IsIndex {
				c := *p
				c.Steps = p.Steps[1:]
				return &c
			}
			return nil
		})
	}
	c := *s
	c.Items = make([]parser.SelectItem, len(s.Items))
	for i, it := range s.Items {
		it.Expr = strip(it.Expr)
		c.Items[i] = it
	}
	c.Where = strip(s.Where)
	c.Having = strip(s.Having)
	c.GroupBy = make([]parser.Expr, len(s.GroupBy))
	for i, g := range s.GroupBy {
		c.GroupBy[i] = strip(g)
	}
	c.OrderBy = make([]parser.OrderItem, len(s.OrderBy))
	for i, o := range s.OrderBy {
		o.Expr = strip(o.Expr)
		c.OrderBy[i] = o
	}
	return &c
}

func unknownIndex(tbl *catalog.Table, tn *parser.TableName) error {
	names := make([]string, len(tbl.Indexes))
	for i, ix := range tbl.Indexes {
		names[i] = ix.Name
	}
	e := errAt(tn.Pos, sqlerr.UndefinedObject, "index %q does not exist on table %q", tn.Index, tbl.Name)
	if len(names) > 0 {
		e.WithHint("indexes of %q: %s", tbl.Name, strings.Join(names, ", "))
	} else {
		e.WithHint("table %q has no secondary indexes", tbl.Name)
	}
	return e
}

// keyColumns lists the table's key attributes, then its indexes' keys.
func keyColumns(tbl *catalog.Table) []string {
	seen := map[string]bool{}
	var out []string
	add := func(a string) {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, k := range tbl.KeyNames() {
		add(k)
	}
	for _, ix := range tbl.Indexes {
		add(ix.PartitionKey.Name)
		if ix.SortKey != nil {
			add(ix.SortKey.Name)
		}
	}
	return out
}

// chooseRead picks the access path for a WHERE clause and returns the Read
// and the conditions left for the executor.
func (p *Planner) chooseRead(tbl *catalog.Table, forced string, where parser.Expr, needed []string) (*Read, []parser.Expr, error) {
	conjs := conjuncts(where)
	preds := keyPreds(conjs)
	read := &Read{Table: tbl.Name, Index: forced}
	used := map[int]bool{}
	rest := func() []parser.Expr {
		var out []parser.Expr
		for i, c := range conjs {
			if !used[i] {
				out = append(out, c)
			}
		}
		return out
	}

	if forced == "" {
		if keys, usedConjs, ok := fullKeys(tbl, preds); ok {
			read.Path = BatchGetItem
			if len(keys) == 1 {
				read.Path = GetItem
			}
			read.Keys = keys
			read.ConsistentRead = p.opts.ConsistentRead
			for _, i := range usedConjs {
				used[i] = true
			}
			d := newDynExpr()
			if needed != nil {
				read.Projection = d.projection(needed)
			}
			read.Names = d.namesMap()
			return read, rest(), nil
		}
		if keys, ok := orOfFullKeys(tbl, where); ok {
			read.Path = BatchGetItem
			read.Keys = keys
			read.ConsistentRead = p.opts.ConsistentRead
			d := newDynExpr()
			if needed != nil {
				read.Projection = d.projection(needed)
			}
			read.Names = d.namesMap()
			return read, conjs, nil
		}
	}

	d := newDynExpr()
	var residual []parser.Expr
	var t target
	if q, ok := chooseQuery(tbl, forced, preds, needed); ok {
		t = q.t
		read.Path = Query
		read.Index = t.name()
		read.PartitionKey = t.pk.Name
		read.PartitionValues = q.pk.vals
		used[q.pk.conj] = true
		read.KeyCondition = d.name(t.pk.Name) + " = " + PartitionPlaceholder
		if q.sort != nil {
			read.KeyCondition += " AND " + q.sort.render(d, t.sk.Name)
			for _, i := range q.sort.used {
				used[i] = true
			}
		}
		if q.fetch {
			read.Fetch = &Fetch{KeyAttrs: tbl.KeyNames()}
		}
	} else {
		read.Path = Scan
		read.FullScan = true
		read.MissingKey = quoteIdent(tbl.PartitionKey.Name) + " = ..."
		read.Segments = p.segments(tbl)
		if forced != "" {
			ix := tbl.Index(forced)
			t = target{index: ix, pk: ix.PartitionKey, sk: ix.SortKey}
			read.MissingKey = quoteIdent(ix.PartitionKey.Name) + " = ..."
		} else {
			t = target{pk: tbl.PartitionKey, sk: tbl.SortKey}
		}
	}

	// Push what DynamoDB can evaluate into the FilterExpression.
	var pushed []string
	for i, c := range conjs {
		if used[i] {
			continue
		}
		if read.Path == Query && refersToAny(c, t.pk.Name, t.sk) {
			residual = append(residual, c) // Query filters may not name key attributes
			continue
		}
		if read.Fetch != nil && !condProjected(tbl, t.index, c) {
			residual = append(residual, c) // evaluated after the fetch
			continue
		}
		if s, ok := d.cond(c); ok {
			pushed = append(pushed, wrapOr(c, s))
		} else {
			residual = append(residual, c)
		}
	}
	read.Filter = strings.Join(pushed, " AND ")
	if t.index == nil || t.index.Kind == catalog.LSI {
		read.ConsistentRead = p.opts.ConsistentRead
	}

	switch {
	case read.Fetch != nil:
		read.Projection = d.projection(read.Fetch.KeyAttrs)
		if needed != nil {
			fd := newDynExpr()
			read.Fetch.Projection = fd.projection(needed)
			read.Fetch.Names = fd.namesMap()
		}
	case needed != nil:
		attrs := needed
		if len(attrs) == 0 {
			attrs = tbl.KeyNames() // nothing read but the items' existence
		}
		read.Projection = d.projection(attrs)
	}
	read.Names = d.namesMap()
	read.Values = d.valuesMap()
	read.PageSize = p.opts.PageSize
	return read, residual, nil
}

// refersToAny reports whether e reads the attribute pk or sk.
func refersToAny(e parser.Expr, pk string, sk *catalog.KeyAttr) bool {
	found := false
	walkExpr(e, func(x parser.Expr) {
		if p, ok := x.(*parser.Path); ok {
			a := topAttr(p)
			if a == pk || (sk != nil && a == sk.Name) {
				found = true
			}
		}
	})
	return found
}

// condProjected reports whether every attribute c reads is in the index.
func condProjected(tbl *catalog.Table, ix *catalog.Index, c parser.Expr) bool {
	ok := true
	walkExpr(c, func(x parser.Expr) {
		if p, isPath := x.(*parser.Path); isPath && ix != nil && !tbl.Projects(ix, topAttr(p)) {
			ok = false
		}
	})
	return ok
}

// segments chooses a Scan's TotalSegments.
func (p *Planner) segments(tbl *catalog.Table) int {
	if p.opts.Segments > 0 {
		return p.opts.Segments
	}
	n := int(tbl.SizeBytes/SegmentBytes) + 1
	if n > MaxSegments {
		n = MaxSegments
	}
	return n
}

// scanWarning applies scan_policy to a full scan: the warning to show, or
// (deny) an error.
func (p *Planner) scanWarning(tbl *catalog.Table, r *Read) string {
	what := fmt.Sprintf("table %q", tbl.Name)
	if r.Index != "" {
		what = fmt.Sprintf("index %q of table %q", r.Index, tbl.Name)
	}
	if p.opts.ScanPolicy == ScanAllow {
		return ""
	}
	return fmt.Sprintf("full scan of %s: the WHERE clause has no key condition (%s)", what, r.MissingKey)
}

// checkScanPolicy refuses full scans under scan_policy=deny.
func (p *Planner) checkScanPolicy(plan *Plan) error {
	if p.opts.ScanPolicy != ScanDeny {
		return nil
	}
	var err error
	walkPlan(plan.Root, func(n Node) {
		if r, ok := n.(*Read); ok && r.FullScan && err == nil {
			what := fmt.Sprintf("table %q", r.Table)
			if r.Index != "" {
				what = fmt.Sprintf("index %q of table %q", r.Index, r.Table)
			}
			err = sqlerr.New(sqlerr.FullScanRefused,
				"full scan of %s refused by scan_policy=deny: the WHERE clause has no key condition (%s)", what, r.MissingKey).
				WithHint("add a condition on the partition key, or allow scans with --scan-policy=warn")
		}
	})
	return err
}

// walkPlan calls fn for every node of the tree.
func walkPlan(n Node, fn func(Node)) {
	for ; n != nil; n = Input(n) {
		fn(n)
	}
}

// pushOrder uses the Query's direction for ORDER BY on the sort key of the
// table or index read, when a single item collection is read.
func (p *Planner) pushOrder(r *Read, tbl *catalog.Table, forced string, order []parser.OrderItem, hasAgg bool) bool {
	if r.Path == GetItem {
		return true
	}
	if r.Path != Query || len(r.PartitionValues) != 1 || hasAgg || r.Fetch != nil && r.Path != Query {
		return false
	}
	var sk *catalog.KeyAttr
	pk := tbl.PartitionKey.Name
	if r.Index != "" {
		ix := tbl.Index(r.Index)
		sk, pk = ix.SortKey, ix.PartitionKey.Name
	} else {
		sk = tbl.SortKey
	}
	// Leading ORDER BY on the (constant) partition key orders nothing.
	for len(order) > 0 {
		if a, ok := simpleAttr(order[0].Expr); ok && a == pk {
			order = order[1:]
			continue
		}
		break
	}
	if len(order) == 0 {
		return true
	}
	if sk == nil || len(order) != 1 {
		return false
	}
	if a, ok := simpleAttr(order[0].Expr); !ok || a != sk.Name {
		return false
	}
	r.Descending = order[0].Desc
	return true
}

// pushLimit sets the page size when every item read is returned, so that
// LIMIT n reads n items, and scans sequentially under a LIMIT.
func (p *Planner) pushLimit(r *Read, limit Node, s *parser.Select) {
	if r.Path != Query && r.Path != Scan || r.Count {
		return
	}
	l, ok := limit.(*Limit)
	if !ok {
		return
	}
	// The Limit must sit directly on the Read, or on a Project over it.
	var below Node = l.Input
	if pr, ok := below.(*Project); ok {
		below = pr.Input
	}
	if below != Node(r) || r.Filter != "" {
		return
	}
	if r.Path == Scan {
		r.Segments = 1
	}
	n, ok1 := intLiteral(s.Limit)
	off, ok2 := intLiteral(s.Offset)
	if s.Limit == nil || !ok1 || (s.Offset != nil && !ok2) {
		return
	}
	if total := n + off; total > 0 && total <= 1000 && (r.PageSize == 0 || total < r.PageSize) {
		r.PageSize = total
	}
}

func intLiteral(e parser.Expr) (int, bool) {
	if e == nil {
		return 0, true
	}
	lit, ok := e.(*parser.Literal)
	if !ok || lit.Kind != parser.LitNumber {
		return 0, false
	}
	n, err := strconv.Atoi(lit.Text)
	return n, err == nil && n >= 0
}

func sortKeys(order []parser.OrderItem) []SortKey {
	keys := make([]SortKey, len(order))
	for i, o := range order {
		keys[i] = SortKey{Expr: o.Expr, Desc: o.Desc}
	}
	return keys
}

func projectItems(items []parser.SelectItem, names []string) []ProjectItem {
	out := make([]ProjectItem, len(items))
	for i, it := range items {
		out[i] = ProjectItem{Name: names[i], Expr: it.Expr, Star: it.Star}
	}
	return out
}

// distinctOrder expresses ORDER BY of a SELECT DISTINCT over its output
// columns.
func distinctOrder(order []parser.OrderItem, items []parser.SelectItem, names []string) ([]SortKey, error) {
	keys := make([]SortKey, len(order))
	for i, o := range order {
		want := parser.FormatExpr(o.Expr)
		found := false
		for j, it := range items {
			if !it.Star && parser.FormatExpr(it.Expr) == want {
				keys[i] = SortKey{Expr: &parser.Path{Pos: o.Pos, Steps: []parser.PathStep{{Name: names[j]}}}, Desc: o.Desc}
				found = true
				break
			}
		}
		if !found {
			return nil, errAt(o.Pos, "42P10", "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
		}
	}
	return keys, nil
}

// planSelectNoFrom plans SELECT without FROM over a single empty row.
func (p *Planner) planSelectNoFrom(s *parser.Select) (*Plan, error) {
	s = userAsFunction(s)
	shape, err := analyzeSelect(s)
	if err != nil {
		return nil, err
	}
	if shape.star {
		return nil, errAt(s.Pos, sqlerr.SyntaxError, "SELECT * needs a FROM clause")
	}
	var node Node = SingleRow{}
	if s.Where != nil {
		node = &Filter{Input: node, Cond: s.Where}
	}
	items, having, order := shape.items, s.Having, shape.orderBy
	if shape.hasAgg {
		agg, ri, rh, ro, err := buildAggregate(node, s.GroupBy, items, having, order)
		if err != nil {
			return nil, err
		}
		node, items, having, order = agg, ri, rh, ro
		if having != nil {
			node = &Filter{Input: node, Cond: having}
		}
	}
	if len(order) > 0 {
		node = &Sort{Input: node, Keys: sortKeys(order)}
	}
	node = &Project{Input: node, Items: projectItems(items, shape.names)}
	if s.Distinct {
		node = &Distinct{Input: node}
	}
	if s.Limit != nil || s.Offset != nil {
		node = &Limit{Input: node, Count: s.Limit, Offset: s.Offset}
	}
	return &Plan{Root: node, Tag: "SELECT", Columns: shape.names}, nil
}

// filterNames keeps only the names the filter and key condition use (a
// COUNT read drops its projection).
func filterNames(r *Read) map[string]string {
	if len(r.Names) == 0 {
		return r.Names
	}
	out := map[string]string{}
	for ph, n := range r.Names {
		if containsPlaceholder(r.KeyCondition, ph) || containsPlaceholder(r.Filter, ph) {
			out[ph] = n
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// containsPlaceholder reports whether expr uses placeholder ph as a whole
// token (#n1 is not in "#n10").
func containsPlaceholder(expr, ph string) bool {
	for i := 0; ; {
		j := strings.Index(expr[i:], ph)
		if j < 0 {
			return false
		}
		end := i + j + len(ph)
		if end == len(expr) || !isPlaceholderChar(expr[end]) {
			return true
		}
		i = end
	}
}

func isPlaceholderChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// userAsFunction reads the word user in a SELECT without FROM as
// PostgreSQL does, a call of current_user: with no item there is no
// attribute it could name. With FROM it stays an attribute, a common one in
// DynamoDB tables.
func userAsFunction(s *parser.Select) *parser.Select {
	rw := func(e parser.Expr) parser.Expr {
		return rewriteExpr(e, func(x parser.Expr) parser.Expr {
			if p, ok := x.(*parser.Path); ok && len(p.Steps) == 1 && p.Steps[0].Name == "user" {
				return &parser.FuncCall{Pos: p.Pos, Name: "current_user", NoParens: true}
			}
			return nil
		})
	}
	found := false
	walkSelect(s, func(e parser.Expr) {
		if p, ok := e.(*parser.Path); ok && len(p.Steps) == 1 && p.Steps[0].Name == "user" {
			found = true
		}
	})
	if !found {
		return s
	}
	c := *s
	c.Items = make([]parser.SelectItem, len(s.Items))
	for i, it := range s.Items {
		if it.Expr != nil && it.Alias == "" {
			if p, ok := it.Expr.(*parser.Path); ok && len(p.Steps) == 1 && p.Steps[0].Name == "user" {
				it.Alias = "user"
			}
		}
		it.Expr = rw(it.Expr)
		c.Items[i] = it
	}
	c.Where = rw(s.Where)
	c.Having = rw(s.Having)
	return &c
}
