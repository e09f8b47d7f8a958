package parser

import (
	"strconv"
	"strings"
)

// Format renders a statement as canonical SQL that parses back to an equal
// AST. Keywords are upper-case; identifiers are double-quoted only when
// they are not plain all-lower-case or all-upper-case identifiers or when
// they collide with a keyword; strings are single-quoted with ' doubled;
// numbers are written exactly as their Text. CREATE TABLE always comes out
// in the SQL spelling (TEXT/NUMERIC/BINARY, PRIMARY KEY and INDEX in the
// column list) whichever spelling was parsed.
func Format(s Statement) string {
	var p printer
	p.statement(s)
	return p.String()
}

func (p *printer) statement(s Statement) {
	switch s := s.(type) {
	case *Select:
		p.selectStmt(s)
		p.options(s.Options)
	case *Insert:
		p.insert(s)
		p.options(s.Options)
	case *Update:
		p.update(s)
		p.options(s.Options)
	case *Delete:
		p.WriteString("DELETE FROM ")
		p.WriteString(quoteIdent(s.Table))
		p.where(s.Where)
		p.returning(s.Returning)
		p.options(s.Options)
	case *Explain:
		p.WriteString("EXPLAIN ")
		if s.Analyze {
			p.WriteString("ANALYZE ")
		}
		if s.JSON {
			p.WriteString("(FORMAT JSON) ")
		}
		p.statement(s.Stmt)
	case *CreateTable:
		p.createTable(s)
	case *CreateIndex:
		p.createIndex(s)
	case *DropTable:
		p.WriteString("DROP TABLE ")
		if s.IfExists {
			p.WriteString("IF EXISTS ")
		}
		p.WriteString(quoteIdent(s.Name))
	case *DropIndex:
		p.WriteString("DROP INDEX ")
		p.WriteString(quoteIdent(s.Name))
		p.WriteString(" ON ")
		p.WriteString(quoteIdent(s.Table))
	case *ShowTables:
		p.WriteString("SHOW TABLES")
		if s.Like != "" {
			p.WriteString(" LIKE ")
			p.WriteString(quoteString(s.Like))
		}
	case *Describe:
		p.WriteString("DESCRIBE ")
		p.WriteString(quoteIdent(s.Table))
	case *Copy:
		p.copyStmt(s)
	case *Begin:
		p.WriteString("BEGIN")
		p.txModes(s.Modes)
	case *Commit:
		p.WriteString("COMMIT")
	case *Rollback:
		p.WriteString("ROLLBACK")
	case *Exists:
		if s.Not {
			p.WriteString("NOT ")
		}
		p.WriteString("EXISTS(")
		p.selectStmt(s.Select)
		p.WriteString(")")
	default:
		if !p.sessionStatement(s) {
			p.WriteString("/* unknown statement */")
		}
	}
}

func (p *printer) selectStmt(s *Select) {
	p.WriteString("SELECT ")
	if s.Distinct {
		p.WriteString("DISTINCT ")
	}
	for i, it := range s.Items {
		if i > 0 {
			p.WriteString(", ")
		}
		if it.Star {
			p.WriteByte('*')
			continue
		}
		p.expr(it.Expr, 0)
		if it.Alias != "" {
			p.WriteString(" AS ")
			p.WriteString(quoteIdent(it.Alias))
		}
	}
	if t, ok := s.From.(*TableName); ok {
		p.WriteString(" FROM ")
		p.WriteString(quoteIdent(t.Name))
		if t.Index != "" {
			p.WriteByte('.')
			p.WriteString(quoteIdent(t.Index))
		}
		if t.Alias != "" {
			p.WriteString(" AS ")
			p.WriteString(quoteIdent(t.Alias))
		}
	}
	p.where(s.Where)
	if len(s.GroupBy) > 0 {
		p.WriteString(" GROUP BY ")
		p.exprList(s.GroupBy)
	}
	if s.Having != nil {
		p.WriteString(" HAVING ")
		p.expr(s.Having, 0)
	}
	for i, o := range s.OrderBy {
		if i == 0 {
			p.WriteString(" ORDER BY ")
		} else {
			p.WriteString(", ")
		}
		p.expr(o.Expr, 0)
		if o.Desc {
			p.WriteString(" DESC")
		}
	}
	if s.Limit != nil {
		p.WriteString(" LIMIT ")
		p.expr(s.Limit, 0)
	}
	if s.Offset != nil {
		p.WriteString(" OFFSET ")
		p.expr(s.Offset, 0)
	}
}

func (p *printer) where(e Expr) {
	if e != nil {
		p.WriteString(" WHERE ")
		p.expr(e, 0)
	}
}

func (p *printer) insert(s *Insert) {
	if s.Upsert {
		p.WriteString("UPSERT INTO ")
	} else {
		p.WriteString("INSERT INTO ")
	}
	p.WriteString(quoteIdent(s.Table))
	if s.Value != nil {
		p.WriteString(" VALUE ")
		p.expr(s.Value, 0)
		return
	}
	if s.Select != nil {
		p.WriteByte(' ')
		p.selectStmt(s.Select)
		return
	}
	p.WriteString(" (")
	p.identList(s.Columns)
	p.WriteString(") VALUES ")
	for i, row := range s.Rows {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteByte('(')
		p.exprList(row)
		p.WriteByte(')')
	}
}

// update writes the actions in order, consecutive ones of a kind sharing a
// SET or REMOVE clause.
func (p *printer) update(s *Update) {
	p.WriteString("UPDATE ")
	p.WriteString(quoteIdent(s.Table))
	for i, a := range s.Actions {
		switch {
		case i > 0 && a.Kind == s.Actions[i-1].Kind:
			p.WriteString(", ")
		case a.Kind == SetAction:
			p.WriteString(" SET ")
		default:
			p.WriteString(" REMOVE ")
		}
		p.path(a.Path)
		if a.Kind == SetAction {
			p.WriteString(" = ")
			p.expr(a.Value, 0)
		}
	}
	p.where(s.Where)
	p.returning(s.Returning)
}

func (p *printer) returning(r Returning) {
	switch r {
	case ReturnAllOld:
		p.WriteString(" RETURNING ALL OLD *")
	case ReturnModifiedOld:
		p.WriteString(" RETURNING MODIFIED OLD *")
	case ReturnAllNew:
		p.WriteString(" RETURNING ALL NEW *")
	case ReturnModifiedNew:
		p.WriteString(" RETURNING MODIFIED NEW *")
	}
}

// options writes a statement's WITH (name = value, ...) clause.
func (p *printer) options(opts []StatementOption) {
	for i, o := range opts {
		if i == 0 {
			p.WriteString(" WITH (")
		} else {
			p.WriteString(", ")
		}
		p.WriteString(quoteWord(o.Name))
		p.WriteString(" = ")
		if w := o.Value.Text; o.Value.Kind == SetWord && isPlainIdent(w) && strings.ToLower(w) == w && w != "and" && w != "or" {
			// Unlike SET's, these values give no word a meaning of its
			// own (DEFAULT), and any word but the operators AND and OR
			// may stand bare: on, off, true, allow ... need no quotes.
			p.WriteString(w)
		} else {
			p.setValue(o.Value)
		}
	}
	if len(opts) > 0 {
		p.WriteByte(')')
	}
}

// typeNames are the names Format gives key types.
var typeNames = map[KeyType]string{KeyString: "TEXT", KeyNumber: "NUMERIC", KeyBinary: "BINARY"}

func (p *printer) createTable(s *CreateTable) {
	p.WriteString("CREATE TABLE ")
	if s.IfNotExists {
		p.WriteString("IF NOT EXISTS ")
	}
	p.WriteString(quoteIdent(s.Name))
	p.WriteString(" (")
	for _, c := range s.Columns {
		p.WriteString(quoteIdent(c.Name))
		p.WriteByte(' ')
		p.WriteString(typeNames[c.Type])
		p.WriteString(", ")
	}
	p.WriteString("PRIMARY KEY (")
	p.WriteString(quoteIdent(s.PartitionKey))
	if s.SortKey != "" {
		p.WriteString(", ")
		p.WriteString(quoteIdent(s.SortKey))
	}
	p.WriteByte(')')
	for i := range s.Indexes {
		ix := &s.Indexes[i]
		p.WriteString(", ")
		if ix.Local {
			p.WriteString("LOCAL ")
		}
		p.WriteString("INDEX ")
		p.WriteString(quoteIdent(ix.Name))
		p.WriteString(" (")
		p.WriteString(quoteIdent(ix.PartitionKey))
		if ix.SortKey != "" {
			p.WriteString(", ")
			p.WriteString(quoteIdent(ix.SortKey))
		}
		p.WriteByte(')')
		p.indexOptions(ix)
	}
	p.WriteByte(')')
	if b := s.Billing; b != nil {
		if b.Provisioned == nil {
			p.WriteString(" BILLING MODE ON DEMAND")
		} else {
			p.WriteString(" BILLING MODE PROVISIONED (RCU ")
			p.WriteString(strconv.FormatInt(b.Provisioned.Read, 10))
			p.WriteString(", WCU ")
			p.WriteString(strconv.FormatInt(b.Provisioned.Write, 10))
			p.WriteByte(')')
		}
	}
}

// indexOptions writes an index's projection, unless ALL, and throughput.
func (p *printer) indexOptions(ix *IndexDef) {
	switch ix.Projection {
	case ProjectKeysOnly:
		p.WriteString(" KEYS ONLY")
	case ProjectInclude:
		p.WriteString(" INCLUDE (")
		p.identList(ix.Include)
		p.WriteByte(')')
	}
	if t := ix.Throughput; t != nil {
		p.WriteString(" THROUGHPUT (")
		p.WriteString(strconv.FormatInt(t.Read, 10))
		p.WriteString(", ")
		p.WriteString(strconv.FormatInt(t.Write, 10))
		p.WriteByte(')')
	}
}

func (p *printer) createIndex(s *CreateIndex) {
	ix := &s.Index
	p.WriteString("CREATE INDEX ")
	p.WriteString(quoteIdent(ix.Name))
	p.WriteString(" ON ")
	p.WriteString(quoteIdent(s.Table))
	p.WriteString(" (")
	p.indexColumn(s, ix.PartitionKey)
	if ix.SortKey != "" {
		p.WriteString(", ")
		p.indexColumn(s, ix.SortKey)
	}
	p.WriteByte(')')
	p.indexOptions(ix)
}

// indexColumn writes a CREATE INDEX key column with its type, if given.
func (p *printer) indexColumn(s *CreateIndex, name string) {
	p.WriteString(quoteIdent(name))
	for _, c := range s.Columns {
		if c.Name == name {
			p.WriteByte(' ')
			p.WriteString(typeNames[c.Type])
			return
		}
	}
}

func (p *printer) identList(names []string) {
	for i, n := range names {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(quoteIdent(n))
	}
}

// copyStmt writes COPY with every option that differs from its default.
func (p *printer) copyStmt(s *Copy) {
	p.WriteString("COPY ")
	if s.Query != nil {
		p.WriteByte('(')
		p.selectStmt(s.Query)
		p.WriteByte(')')
	} else {
		p.WriteString(quoteIdent(s.Table))
	}
	if len(s.Columns) > 0 {
		p.WriteString(" (")
		for i, c := range s.Columns {
			if i > 0 {
				p.WriteString(", ")
			}
			p.WriteString(quoteIdent(c))
		}
		p.WriteByte(')')
	}
	if s.From {
		p.WriteString(" FROM ")
	} else {
		p.WriteString(" TO ")
	}
	switch {
	case s.Stdout:
		p.WriteString("STDOUT")
	case s.Stdin:
		p.WriteString("STDIN")
	default:
		p.WriteString(quoteString(s.File))
	}
	p.WriteString(" (FORMAT ")
	p.WriteString(string(s.Format))
	if (s.Format == CopyCSV || s.Format == CopyText) && s.NoHeader == copyHeaderDefault(s) {
		if s.NoHeader {
			p.WriteString(", HEADER false")
		} else {
			p.WriteString(", HEADER true")
		}
	}
	if s.Delimiter != "" {
		p.WriteString(", DELIMITER ")
		p.WriteString(quoteString(s.Delimiter))
	}
	if s.Upsert {
		p.WriteString(", UPSERT true")
	}
	p.WriteByte(')')
}
