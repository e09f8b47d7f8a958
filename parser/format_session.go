package parser

import "strings"

// sessionStatement writes the session statements; it reports false for
// any other statement.
func (p *printer) sessionStatement(s Statement) bool {
	switch s := s.(type) {
	case *SetVar:
		p.setVar(s)
	case *ResetAll:
		p.WriteString("RESET ALL")
	case *Show:
		if s.All {
			p.WriteString("SHOW ALL")
		} else {
			p.WriteString("SHOW ")
			p.settingName(s.Name)
		}
	case *SetTransaction:
		if s.Session {
			p.WriteString("SET SESSION CHARACTERISTICS AS TRANSACTION")
		} else {
			p.WriteString("SET TRANSACTION")
		}
		p.txModes(s.Modes)
	case *Discard:
		p.WriteString("DISCARD ")
		p.WriteString(s.What)
	case *Deallocate:
		if s.All {
			p.WriteString("DEALLOCATE ALL")
		} else {
			p.WriteString("DEALLOCATE ")
			p.WriteString(quoteIdent(s.Name))
		}
	case *Analyze:
		p.WriteString("ANALYZE")
		if s.Table != "" {
			p.WriteByte(' ')
			p.WriteString(quoteIdent(s.Table))
		}
	default:
		return false
	}
	return true
}

func (p *printer) setVar(s *SetVar) {
	if s.Reset {
		p.WriteString("RESET ")
		p.settingName(s.Name)
		return
	}
	p.WriteString("SET ")
	if s.Local {
		p.WriteString("LOCAL ")
	}
	p.settingName(s.Name)
	p.WriteString(" = ")
	if s.Default {
		p.WriteString("DEFAULT")
		return
	}
	for i, v := range s.Values {
		if i > 0 {
			p.WriteString(", ")
		}
		p.setValue(v)
	}
}

// setValue writes a value of SET or of a statement's WITH clause.
func (p *printer) setValue(v SetValue) {
	switch v.Kind {
	case SetString:
		p.WriteString(quoteString(v.Text))
	case SetNumber:
		p.WriteString(v.Text)
	default:
		p.WriteString(quoteWord(v.Text))
	}
}

// settingName writes a (possibly dotted) setting name.
func (p *printer) settingName(name string) {
	parts := strings.Split(name, ".")
	for _, part := range parts {
		if part == "" {
			p.WriteString(quoteIdent(name)) // a name with an empty part: quote it whole
			return
		}
	}
	for i, part := range parts {
		if i > 0 {
			p.WriteByte('.')
		}
		p.WriteString(quoteWord(part))
	}
}

// quoteWord writes a lower-cased word bare and anything else quoted, since
// unquoted words in SET are folded to lower case.
func quoteWord(w string) string {
	if isPlainIdent(w) && !isKeyword(w) && strings.ToLower(w) == w {
		return w
	}
	return `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
}

// txModes writes transaction modes, each after a space.
func (p *printer) txModes(m TxModes) {
	for _, mode := range []string{m.Isolation, m.Access, m.Deferrable} {
		if mode == "" {
			continue
		}
		if mode == m.Isolation {
			p.WriteString(" ISOLATION LEVEL")
		}
		p.WriteByte(' ')
		p.WriteString(strings.ToUpper(mode))
	}
}
