package parser

import (
	"strconv"
	"strings"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// settingName joins a dotted setting name, lower-cased: setting names are
// case-insensitive, quoted or not, as in PostgreSQL.
func settingName(r *settingRef) string {
	out := strings.ToLower(name(r.Head))
	for _, p := range r.Parts {
		out += "." + strings.ToLower(name(p.Tok))
	}
	return out
}

func (c *converter) setStmt(s *setStmt) Statement {
	at := pos(s.Pos)
	local := strings.EqualFold(s.Scope, "LOCAL")
	switch {
	case s.Chars != nil:
		if s.Scope == "" || local {
			c.fail(s.Pos, "syntax error at or near \"CHARACTERISTICS\": expected SET SESSION CHARACTERISTICS AS TRANSACTION")
		}
		return &SetTransaction{Pos: at, Session: true, Modes: c.txModes(s.Chars)}
	case s.Tx != nil:
		if s.Scope != "" {
			c.fail(s.Pos, "syntax error at or near %s: SET TRANSACTION takes no SESSION or LOCAL", nearText(s.Scope))
		}
		return &SetTransaction{Pos: at, Modes: c.txModes(s.Tx)}
	case s.Zone != nil:
		out := &SetVar{Pos: at, Name: "timezone", Local: local}
		v := c.setValue(s.Zone)
		if v.Kind == SetWord && s.Zone.Tok.Value[0] != '"' && (v.Text == "local" || v.Text == "default") {
			out.Default = true
		} else {
			out.Values = []SetValue{v}
		}
		return out
	}
	out := &SetVar{Pos: at, Name: settingName(s.Name), Local: local}
	if len(s.Values) == 1 && s.Values[0].Minus.Type == 0 && s.Values[0].Tok.Type == tokIdent &&
		strings.EqualFold(s.Values[0].Tok.Value, "DEFAULT") {
		out.Default = true
		return out
	}
	out.Values = make([]SetValue, len(s.Values))
	for i, v := range s.Values {
		out.Values[i] = c.setValue(v)
	}
	return out
}

// setValue converts one value of SET.
func (c *converter) setValue(v *setValue) SetValue {
	t := v.Tok
	switch t.Type {
	case tokString:
		if v.Minus.Type != 0 {
			c.failNear(t, "a minus sign applies to numbers only")
		}
		return SetValue{Kind: SetString, Text: unquote(t.Value, '\'')}
	case tokNumber:
		if v.Minus.Type != 0 {
			return SetValue{Kind: SetNumber, Text: "-" + t.Value}
		}
		return SetValue{Kind: SetNumber, Text: t.Value}
	}
	if v.Minus.Type != 0 {
		c.failNear(t, "a minus sign applies to numbers only")
	}
	if t.Value[0] == '"' {
		return SetValue{Kind: SetWord, Text: name(t)}
	}
	return SetValue{Kind: SetWord, Text: strings.ToLower(t.Value)}
}

// txModes converts transaction modes; each may be given once.
func (c *converter) txModes(m *txModes) TxModes {
	var out TxModes
	for _, mode := range m.Modes {
		var field *string
		var words []string
		switch {
		case mode.Isolation != nil:
			field, words = &out.Isolation, mode.Isolation
		case mode.Access != nil:
			field, words = &out.Access, mode.Access
		default:
			field, words = &out.Deferrable, mode.Deferrable
		}
		if *field != "" {
			c.fail(mode.Pos, "conflicting or redundant options: a transaction mode is given twice")
		}
		*field = strings.ToLower(strings.Join(words, " "))
	}
	return out
}

func (c *converter) showStmt(s *showStmt) Statement {
	at := pos(s.Pos)
	switch {
	case s.Tables:
		st := &ShowTables{Pos: at}
		if s.Like.Type != 0 {
			st.Like = unquote(s.Like.Value, '\'')
		}
		return st
	case s.All:
		return &Show{Pos: at, All: true}
	case s.Iso:
		return &Show{Pos: at, Name: "transaction_isolation"}
	case s.Zone:
		return &Show{Pos: at, Name: "timezone"}
	}
	return &Show{Pos: at, Name: settingName(s.Name)}
}

func (c *converter) resetStmt(s *resetStmt) Statement {
	at := pos(s.Pos)
	switch {
	case s.All:
		return &ResetAll{Pos: at}
	case s.Zone:
		return &SetVar{Pos: at, Name: "timezone", Default: true, Reset: true}
	}
	return &SetVar{Pos: at, Name: settingName(s.Name), Default: true, Reset: true}
}

func (c *converter) discardStmt(s *discardStmt) Statement {
	what := strings.ToUpper(s.What)
	if what == "TEMPORARY" {
		what = "TEMP"
	}
	return &Discard{Pos: pos(s.Pos), What: what}
}

func (c *converter) deallocateStmt(s *deallocateStmt) Statement {
	if s.All {
		return &Deallocate{Pos: pos(s.Pos), All: true}
	}
	return &Deallocate{Pos: pos(s.Pos), Name: name(s.Name)}
}

func (c *converter) analyzeStmt(s *analyzeStmt) Statement {
	out := &Analyze{Pos: pos(s.Pos)}
	if s.Table != nil {
		out.Table = name(s.Table.Name)
	}
	return out
}

// castTypes maps the spellings of the types a cast accepts (lower-case,
// two-word names joined by a space) to PostgreSQL's internal names.
var castTypes = map[string]string{
	"text": "text", "varchar": "varchar", "character varying": "varchar",
	"char": "bpchar", "character": "bpchar", "bpchar": "bpchar",
	"int2": "int2", "smallint": "int2",
	"int4": "int4", "int": "int4", "integer": "int4",
	"int8": "int8", "bigint": "int8",
	"numeric": "numeric", "decimal": "numeric",
	"real": "float4", "float4": "float4",
	"double precision": "float8", "float8": "float8", "float": "float8",
	"bool": "bool", "boolean": "bool",
	"bytea": "bytea",
	"json":  "json", "jsonb": "jsonb",
	"date":      "date",
	"timestamp": "timestamp", "timestamptz": "timestamptz",
	"regclass": "regclass", "oid": "oid", "name": "name",
}

// typeMods are the types that take modifiers, and how many at most.
var typeMods = map[string]int{"varchar": 1, "bpchar": 1, "numeric": 2, "timestamp": 1, "timestamptz": 1}

// castType converts a cast's target type.
func (c *converter) castType(t *typeName) (string, []int) {
	n := strings.ToLower(name(t.Name))
	if t.Second.Type != 0 {
		n += " " + strings.ToLower(t.Second.Value)
	}
	typ, ok := castTypes[n]
	if !ok {
		c.failCode(sqlerr.UndefinedObject, t.Name.Pos, "type %q does not exist", n)
		return "text", nil
	}
	if t.Zone != "" {
		switch {
		case typ != "timestamp" && typ != "timestamptz":
			c.fail(t.Name.Pos, "syntax error at or near %s: only TIMESTAMP takes WITH | WITHOUT TIME ZONE", nearText(t.Zone))
		case strings.EqualFold(t.Zone, "WITH"):
			typ = "timestamptz"
		default:
			typ = "timestamp"
		}
	}
	var mods []int
	for _, m := range t.Mods {
		v, err := strconv.Atoi(m)
		if err != nil || !isDigits(m) {
			c.fail(t.Name.Pos, "type modifier %s of type %s must be a non-negative integer", nearText(m), typ)
			return typ, nil
		}
		mods = append(mods, v)
	}
	if n == "float" && len(mods) == 1 {
		// FLOAT(p) is real up to 24 bits of precision, double above.
		if mods[0] <= 24 {
			typ = "float4"
		}
		return typ, nil
	}
	if len(mods) > typeMods[typ] {
		c.fail(t.Name.Pos, "type %s takes %d modifier(s), not %d", typ, typeMods[typ], len(mods))
	}
	return typ, mods
}
