package parser

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// dump renders an AST node as a compact S-expression for test
// expectations: (= userId 'u1'), (select (items *) (from Users) ...).
// Positions are left out; every other field is shown.
func dump(n any) string {
	var b strings.Builder
	dumpNode(&b, n)
	return b.String()
}

func dumpNode(b *strings.Builder, n any) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	list := func(head string, xs []Expr) {
		w("(%s", head)
		for _, x := range xs {
			w(" ")
			dumpNode(b, x)
		}
		w(")")
	}
	switch n := n.(type) {
	case nil:
		w("nil")
	case *Literal:
		switch n.Kind {
		case LitString:
			w("'%s'", strings.ReplaceAll(n.Text, "'", "''"))
		case LitNumber:
			w("%s", n.Text)
		case LitBool:
			w("%s", n.Text)
		default:
			w("NULL")
		}
	case *Path:
		for i, s := range n.Steps {
			switch {
			case s.IsIndex:
				w("[%d]", s.Index)
			default:
				if i > 0 {
					w(".")
				}
				w("%s", dumpName(s.Name))
			}
		}
	case *Param:
		if n.Dollar {
			w("$%d", n.Index+1)
		} else {
			w("?%d", n.Index)
		}
	case *UnaryExpr:
		w("(%s ", n.Op)
		dumpNode(b, n.X)
		w(")")
	case *BinaryExpr:
		w("(%s ", n.Op)
		dumpNode(b, n.L)
		w(" ")
		dumpNode(b, n.R)
		w(")")
	case *BetweenExpr:
		list(negated("between", n.Not), []Expr{n.X, n.Lo, n.Hi})
	case *InExpr:
		list(negated("in", n.Not), append([]Expr{n.X}, n.List...))
	case *LikeExpr:
		list(negated("like", n.Not), []Expr{n.X, n.Pattern})
	case *IsExpr:
		what := "null"
		if n.What == IsMissing {
			what = "missing"
		}
		if n.Not {
			what = "not-" + what
		}
		list("is-"+what, []Expr{n.X})
	case *FuncCall:
		head := "call " + n.Name
		switch {
		case n.Star:
			head += " *"
		case n.Distinct:
			head += " distinct"
		}
		list(head, n.Args)
	case *ListExpr:
		list("list", n.Elems)
	case *SetExpr:
		list("set", n.Elems)
	case *MapExpr:
		w("{")
		for i, e := range n.Entries {
			if i > 0 {
				w(" ")
			}
			w("'%s': ", e.Key)
			dumpNode(b, e.Value)
		}
		w("}")
	case *CaseExpr:
		w("(case")
		if n.Operand != nil {
			w(" ")
			dumpNode(b, n.Operand)
		}
		for _, wh := range n.Whens {
			w(" (when ")
			dumpNode(b, wh.Cond)
			w(" ")
			dumpNode(b, wh.Result)
			w(")")
		}
		if n.Else != nil {
			w(" (else ")
			dumpNode(b, n.Else)
			w(")")
		}
		w(")")
	case *ExistsExpr:
		w("(exists ")
		dumpNode(b, n.Select)
		w(")")
	case *Select:
		dumpSelect(b, n)
	case *Insert:
		verb := "insert"
		if n.Upsert {
			verb = "upsert"
		}
		w("(%s %s", verb, dumpName(n.Table))
		if n.Value != nil {
			w(" (value ")
			dumpNode(b, n.Value)
			w(")")
		} else if n.Select != nil {
			w(" ")
			dumpNode(b, n.Select)
		} else {
			w(" (cols %s)", dumpNames(n.Columns))
			for _, r := range n.Rows {
				w(" ")
				list("row", r)
			}
		}
		w(")")
	case *Update:
		w("(update %s", dumpName(n.Table))
		for _, a := range n.Actions {
			if a.Kind == SetAction {
				w(" (set ")
				dumpNode(b, a.Path)
				w(" ")
				dumpNode(b, a.Value)
				w(")")
			} else {
				w(" (remove ")
				dumpNode(b, a.Path)
				w(")")
			}
		}
		w(" (where ")
		dumpNode(b, n.Where)
		w(")%s)", dumpReturning(n.Returning))
	case *Delete:
		w("(delete %s (where ", dumpName(n.Table))
		dumpNode(b, n.Where)
		w(")%s)", dumpReturning(n.Returning))
	case *Explain:
		w("(explain")
		if n.Analyze {
			w(" analyze")
		}
		if n.JSON {
			w(" json")
		}
		w(" ")
		dumpNode(b, n.Stmt)
		w(")")
	case *CreateTable:
		w("(create-table %s", dumpName(n.Name))
		if n.IfNotExists {
			w(" if-not-exists")
		}
		w(" (cols")
		for _, c := range n.Columns {
			w(" %s:%s", dumpName(c.Name), c.Type)
		}
		w(") (key %s", dumpName(n.PartitionKey))
		if n.SortKey != "" {
			w(" %s", dumpName(n.SortKey))
		}
		w(")")
		for _, ix := range n.Indexes {
			w(" %s", dumpIndex(ix))
		}
		if n.Billing != nil {
			if n.Billing.Provisioned == nil {
				w(" (billing on-demand)")
			} else {
				w(" (billing %d/%d)", n.Billing.Provisioned.Read, n.Billing.Provisioned.Write)
			}
		}
		w(")")
	case *CreateIndex:
		w("(create-index %s on %s", dumpIndex(n.Index), dumpName(n.Table))
		if len(n.Columns) > 0 {
			w(" (cols")
			for _, c := range n.Columns {
				w(" %s:%s", dumpName(c.Name), c.Type)
			}
			w(")")
		}
		w(")")
	case *DropTable:
		w("(drop-table %s", dumpName(n.Name))
		if n.IfExists {
			w(" if-exists")
		}
		w(")")
	case *DropIndex:
		w("(drop-index %s on %s)", dumpName(n.Name), dumpName(n.Table))
	case *ShowTables:
		if n.Like != "" {
			w("(show-tables '%s')", n.Like)
		} else {
			w("(show-tables)")
		}
	case *Describe:
		w("(describe %s)", dumpName(n.Table))
	case *Copy:
		w("(copy ")
		if n.Query != nil {
			dumpSelect(b, n.Query)
		} else {
			w("%s", dumpName(n.Table))
		}
		if len(n.Columns) > 0 {
			w(" (columns")
			for _, c := range n.Columns {
				w(" %s", dumpName(c))
			}
			w(")")
		}
		dir := "to"
		if n.From {
			dir = "from"
		}
		switch {
		case n.Stdout:
			w(" (%s stdout)", dir)
		case n.Stdin:
			w(" (%s stdin)", dir)
		default:
			w(" (%s '%s')", dir, n.File)
		}
		w(" (format %s)", n.Format)
		if n.NoHeader {
			w(" (header false)")
		}
		if n.Delimiter != "" {
			w(" (delimiter '%s')", n.Delimiter)
		}
		if n.Upsert {
			w(" (upsert)")
		}
		w(")")
	default:
		w("<%T>", n)
	}
}

func dumpSelect(b *strings.Builder, n *Select) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	w("(select")
	if n.Distinct {
		w(" distinct")
	}
	w(" (items")
	for _, it := range n.Items {
		w(" ")
		switch {
		case it.Star:
			w("*")
		case it.Alias != "":
			w("(as ")
			dumpNode(b, it.Expr)
			w(" %s)", dumpName(it.Alias))
		default:
			dumpNode(b, it.Expr)
		}
	}
	w(")")
	if t, ok := n.From.(*TableName); ok {
		w(" (from %s", dumpName(t.Name))
		if t.Index != "" {
			w(".%s", dumpName(t.Index))
		}
		if t.Alias != "" {
			w(" %s", dumpName(t.Alias))
		}
		w(")")
	}
	clause := func(name string, e Expr) {
		if e != nil {
			w(" (%s ", name)
			dumpNode(b, e)
			w(")")
		}
	}
	clause("where", n.Where)
	if len(n.GroupBy) > 0 {
		w(" (group")
		for _, g := range n.GroupBy {
			w(" ")
			dumpNode(b, g)
		}
		w(")")
	}
	clause("having", n.Having)
	if len(n.OrderBy) > 0 {
		w(" (order")
		for _, o := range n.OrderBy {
			w(" ")
			if o.Desc {
				w("(desc ")
				dumpNode(b, o.Expr)
				w(")")
			} else {
				dumpNode(b, o.Expr)
			}
		}
		w(")")
	}
	clause("limit", n.Limit)
	clause("offset", n.Offset)
	w(")")
}

func negated(s string, not bool) string {
	if not {
		return "not-" + s
	}
	return s
}

func dumpReturning(r Returning) string {
	return [...]string{"", " (returning all-old)", " (returning modified-old)", " (returning all-new)", " (returning modified-new)"}[r]
}

func dumpIndex(ix IndexDef) string {
	kind := "gsi"
	if ix.Local {
		kind = "lsi"
	}
	s := fmt.Sprintf("(%s %s %s", kind, dumpName(ix.Name), dumpName(ix.PartitionKey))
	if ix.SortKey != "" {
		s += " " + dumpName(ix.SortKey)
	}
	s += " " + string(ix.Projection)
	if len(ix.Include) > 0 {
		s += "(" + dumpNames(ix.Include) + ")"
	}
	if ix.Throughput != nil {
		s += fmt.Sprintf(" %d/%d", ix.Throughput.Read, ix.Throughput.Write)
	}
	return s + ")"
}

// dumpName shows a name bare when it is a plain word, Go-quoted otherwise.
func dumpName(s string) string {
	for i := 0; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return strconv.Quote(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

func dumpNames(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = dumpName(n)
	}
	return strings.Join(out, " ")
}

// equalAST reports whether two ASTs are equal ignoring positions.
func equalAST(a, b any) bool {
	return reflect.DeepEqual(withoutPos(a), withoutPos(b))
}

// withoutPos returns a deep copy of v with every Pos field zeroed.
func withoutPos(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	out := reflect.New(rv.Type()).Elem()
	copyWithoutPos(out, rv)
	return out.Interface()
}

var posType = reflect.TypeOf(Pos{})

func copyWithoutPos(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyWithoutPos(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		inner := reflect.New(src.Elem().Type()).Elem()
		copyWithoutPos(inner, src.Elem())
		dst.Set(inner)
	case reflect.Struct:
		if src.Type() == posType {
			return
		}
		for i := 0; i < src.NumField(); i++ {
			copyWithoutPos(dst.Field(i), src.Field(i))
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			copyWithoutPos(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	default:
		dst.Set(src)
	}
}
