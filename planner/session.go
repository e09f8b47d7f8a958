package planner

import (
	"strings"

	"github.com/ddbsql/ddbsql/parser"
)

// Session statements change or report the state of the session (its
// settings and its transaction) and never call DynamoDB; the session runs
// them. They are planned like every other statement so that a front end
// can prepare them, describe their columns and execute them later.

// SetSetting is SET name = value, SET TIME ZONE and RESET name (Default
// set): the session checks the value against the setting.
type SetSetting struct {
	Name    string
	Values  []parser.SetValue
	Default bool
	// Local is SET LOCAL: the value lasts until the end of the transaction.
	Local bool
}

// ResetAll is RESET ALL: every setting back to its default.
type ResetAll struct{}

// ShowSetting is SHOW name: one row, one column named after the setting.
type ShowSetting struct {
	Name string
}

// ShowAll is SHOW ALL: one row (name, setting, description) per setting.
type ShowAll struct{}

// SetTransaction sets the characteristics of the current transaction or,
// with Session, the defaults of later ones.
type SetTransaction struct {
	Session bool
	Modes   parser.TxModes
}

// Discard is DISCARD ALL | PLANS | TEMP | SEQUENCES.
type Discard struct {
	What string
}

// Deallocate drops a prepared statement of the front end (all with All).
type Deallocate struct {
	Name string
	All  bool
}

// Analyze refreshes the session's cached metadata of Table (of every table
// when "").
type Analyze struct {
	Table string
}

// TxBegin opens a transaction (BEGIN, START TRANSACTION).
type TxBegin struct {
	Modes parser.TxModes
}

// TxCommit commits the open transaction (COMMIT, END).
type TxCommit struct{}

// TxRollback abandons the open transaction (ROLLBACK, ABORT).
type TxRollback struct{}

// ShowAllColumns are the columns of SHOW ALL, as in PostgreSQL.
var ShowAllColumns = []string{"name", "setting", "description"}

// planSession plans a session statement; ok is false for other statements.
func planSession(stmt parser.Statement) (plan *Plan, ok bool) {
	switch s := stmt.(type) {
	case *parser.SetVar:
		tag := "SET"
		if s.Reset {
			tag = "RESET"
		}
		return &Plan{Root: &SetSetting{Name: s.Name, Values: s.Values, Default: s.Default, Local: s.Local}, Tag: tag}, true
	case *parser.ResetAll:
		return &Plan{Root: &ResetAll{}, Tag: "RESET"}, true
	case *parser.Show:
		if s.All {
			return &Plan{Root: &ShowAll{}, Tag: "SHOW", Columns: ShowAllColumns}, true
		}
		return &Plan{Root: &ShowSetting{Name: s.Name}, Tag: "SHOW", Columns: []string{s.Name}}, true
	case *parser.SetTransaction:
		return &Plan{Root: &SetTransaction{Session: s.Session, Modes: s.Modes}, Tag: "SET"}, true
	case *parser.Discard:
		return &Plan{Root: &Discard{What: s.What}, Tag: "DISCARD " + s.What}, true
	case *parser.Deallocate:
		tag := "DEALLOCATE"
		if s.All {
			tag = "DEALLOCATE ALL"
		}
		return &Plan{Root: &Deallocate{Name: s.Name, All: s.All}, Tag: tag}, true
	case *parser.Analyze:
		return &Plan{Root: &Analyze{Table: s.Table}, Tag: "ANALYZE"}, true
	case *parser.Begin:
		return &Plan{Root: &TxBegin{Modes: s.Modes}, Tag: "BEGIN"}, true
	case *parser.Commit:
		return &Plan{Root: &TxCommit{}, Tag: "COMMIT"}, true
	case *parser.Rollback:
		return &Plan{Root: &TxRollback{}, Tag: "ROLLBACK"}, true
	}
	return nil, false
}

// WriteVerb returns the verb of the write or DDL a plan performs ("INSERT",
// "UPDATE", "DELETE", "COPY", "CREATE TABLE", ...), looking through EXPLAIN
// ANALYZE, which runs its statement; "" for a plan that only reads. A
// read-only session refuses plans with a verb.
func WriteVerb(p *Plan) string {
	root := p.Root
	if x, ok := root.(*Explain); ok {
		if !x.Analyze {
			return ""
		}
		return WriteVerb(x.Plan)
	}
	verb := ""
	walkPlan(root, func(n Node) {
		if verb != "" {
			return
		}
		switch x := n.(type) {
		case *PutItem:
			verb = "INSERT"
			if x.Upsert {
				verb = "UPSERT"
			}
		case *PutItems:
			verb = "INSERT"
			if x.Upsert {
				verb = "UPSERT"
			}
		case *UpdateItem:
			verb = "UPDATE"
		case *DeleteItem:
			verb = "DELETE"
		case *WriteEach:
			verb = "UPDATE"
			if x.Delete != nil {
				verb = "DELETE"
			}
		case *CopyFrom:
			verb = "COPY"
		case *CreateTable:
			verb = "CREATE TABLE"
		case *CreateIndex:
			verb = "CREATE INDEX"
		case *DropTable:
			verb = "DROP TABLE"
		case *DropIndex:
			verb = "DROP INDEX"
		}
	})
	if _, ok := root.(*CopyFrom); ok {
		verb = "COPY"
	}
	return verb
}

// Describe implements Node.
func (n *SetSetting) Describe() Description {
	var ps props
	ps.add("name", n.Name)
	switch {
	case n.Default:
		ps.add("value", "DEFAULT")
	default:
		vals := make([]string, len(n.Values))
		for i, v := range n.Values {
			vals[i] = v.Text
		}
		ps.add("value", strings.Join(vals, ", "))
	}
	if n.Local {
		ps.add("scope", "transaction")
	}
	return Description{Node: "Set", Props: ps}
}

// Describe implements Node.
func (*ResetAll) Describe() Description { return Description{Node: "Reset All"} }

// Describe implements Node.
func (n *ShowSetting) Describe() Description {
	return Description{Node: "Show", Props: []Prop{{"name", n.Name}}}
}

// Describe implements Node.
func (*ShowAll) Describe() Description { return Description{Node: "Show All"} }

// Describe implements Node.
func (n *SetTransaction) Describe() Description {
	var ps props
	if n.Session {
		ps.add("scope", "session")
	}
	ps = append(ps, modeProps(n.Modes)...)
	return Description{Node: "Set Transaction", Props: ps}
}

func modeProps(m parser.TxModes) props {
	var ps props
	ps.add("isolation", m.Isolation)
	ps.add("access", m.Access)
	ps.add("deferrable", m.Deferrable)
	return ps
}

// Describe implements Node.
func (n *Discard) Describe() Description {
	return Description{Node: "Discard", Props: []Prop{{"what", n.What}}}
}

// Describe implements Node.
func (n *Deallocate) Describe() Description {
	if n.All {
		return Description{Node: "Deallocate", Props: []Prop{{"name", "ALL"}}}
	}
	return Description{Node: "Deallocate", Props: []Prop{{"name", n.Name}}}
}

// Describe implements Node.
func (n *Analyze) Describe() Description {
	var ps props
	ps.add("table", n.Table)
	return Description{Node: "Analyze", Props: ps}
}

// Describe implements Node.
func (n *TxBegin) Describe() Description {
	return Description{Node: "Begin", Props: modeProps(n.Modes)}
}

// Describe implements Node.
func (*TxCommit) Describe() Description { return Description{Node: "Commit"} }

// Describe implements Node.
func (*TxRollback) Describe() Description { return Description{Node: "Rollback"} }
