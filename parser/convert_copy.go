package parser

import (
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// copyOptionNames lists COPY's options, for error messages.
const copyOptionNames = "FORMAT, HEADER, DELIMITER, UPSERT"

// copyFormats are the formats COPY reads and writes.
var copyFormats = []CopyFormat{CopyCSV, CopyText, CopyBinary, CopyJSON, CopyJSONL, CopyDDBJSON}

// copyFormatNames lists the formats for error messages.
const copyFormatNames = "csv, text, binary, json, jsonl and ddbjson"

func (c *converter) copyStmt(s *copyStmt) *Copy {
	out := &Copy{Pos: pos(s.Pos), Format: CopyCSV, From: strings.EqualFold(s.Dir.Value, "FROM")}
	if s.Query != nil {
		out.Query = c.selectStmt(s.Query)
		if out.From {
			c.failNear(s.Dir, "COPY (SELECT ...) can only export (TO); COPY FROM needs a table name")
		}
	} else {
		out.Table = name(s.Table.Name)
	}
	c.copyColumns(out, s)
	switch {
	case s.File.Type != 0:
		out.File = unquote(s.File.Value, '\'')
		if out.File == "" {
			c.fail(s.File.Pos, "COPY needs a file name")
		}
	case out.From && strings.EqualFold(s.Std.Value, "STDIN"):
		out.Stdin = true
		out.Format = CopyText
	case !out.From && strings.EqualFold(s.Std.Value, "STDOUT"):
		out.Stdout = true
		out.Format = CopyText
	default:
		want := "a quoted file name or STDOUT"
		if out.From {
			want = "a quoted file name or STDIN"
		}
		c.failNear(s.Std, "expected "+want)
	}
	var (
		header    *bool // nil: the default
		headerTok lexer.Token
		delimTok  lexer.Token
		formatTok lexer.Token
	)
	seen := map[string]bool{}
	for _, o := range s.Options {
		opt := strings.ToUpper(o.Name.Value)
		if seen[opt] {
			c.failNear(o.Name, "option "+opt+" is given twice")
		}
		seen[opt] = true
		switch opt {
		case "FORMAT":
			out.Format = c.copyFormat(o)
			formatTok = o.Value
		case "HEADER":
			h := c.copyBool(o)
			header, headerTok = &h, o.Name
		case "DELIMITER":
			out.Delimiter = c.copyDelimiter(o)
			delimTok = o.Name
		case "UPSERT":
			out.Upsert = c.copyBool(o)
			if !out.From {
				c.failNear(o.Name, "UPSERT applies to COPY FROM only")
			}
		default:
			c.failNear(o.Name, "unknown COPY option; the options are "+copyOptionNames)
		}
	}
	if len(s.Legacy) > 0 {
		// The older syntax follows PostgreSQL: a header only with HEADER.
		no := false
		header = &no
	}
	for _, o := range s.Legacy {
		tok := o.Word
		if tok.Type == 0 {
			tok = o.Delim
		}
		word := strings.ToUpper(o.Word.Value)
		if seen[word] && word != "" {
			c.failNear(tok, "option "+word+" is given twice")
		}
		seen[word] = true
		switch word {
		case "CSV", "BINARY":
			other := map[string]string{"CSV": "BINARY", "BINARY": "CSV"}[word]
			if seen[other] {
				c.failNear(tok, "options CSV and BINARY conflict")
			}
			out.Format, formatTok = CopyCSV, tok
			if word == "BINARY" {
				out.Format = CopyBinary
			}
		case "HEADER":
			yes := true
			header, headerTok = &yes, tok
		default:
			out.Delimiter = c.copyDelimiter(&copyOpt{Name: tok, Value: o.Delim})
			delimTok = tok
		}
	}
	if out.Format == CopyBinary && out.File != "" {
		c.failCode(sqlerr.FeatureNotSupported, formatTok.Pos,
			"binary COPY works only FROM STDIN / TO STDOUT over the wire protocol; files take FORMAT csv, text, json, jsonl or ddbjson")
	}
	c.copyLayout(out, header, headerTok, delimTok)
	return out
}

// copyColumns reads the column list of COPY t (a, b) FROM: the attributes
// the fields of an import go to.
func (c *converter) copyColumns(out *Copy, s *copyStmt) {
	if len(s.Columns) == 0 {
		return
	}
	if !strings.EqualFold(s.Dir.Value, "FROM") {
		c.failCode(sqlerr.FeatureNotSupported, s.Columns[0].Name.Pos,
			"a column list applies to COPY FROM; export attributes with COPY (SELECT a, b FROM t) TO ...")
		return
	}
	seen := make(map[string]bool, len(s.Columns))
	for _, col := range s.Columns {
		tok := col.Name
		n := name(tok)
		if seen[n] {
			c.failNear(tok, "attribute "+quoteIdent(n)+" is named twice in the column list")
			return
		}
		seen[n] = true
		out.Columns = append(out.Columns, n)
	}
}

// copyLayout checks HEADER and DELIMITER against the format and settles the
// header: csv files have one unless HEADER false, STDIN, STDOUT and the
// text format only with HEADER true, as in PostgreSQL. An import needs the
// attribute names, from a header row or a column list.
func (c *converter) copyLayout(out *Copy, header *bool, headerTok, delimTok lexer.Token) {
	switch out.Format {
	case CopyCSV, CopyText:
	case CopyBinary:
		// Binary tuples have no header row and no delimiter; their fields
		// go to the column list, or to the table's columns without one.
		for i, tok := range []lexer.Token{headerTok, delimTok} {
			if tok.Type != 0 {
				c.failCode(sqlerr.FeatureNotSupported, tok.Pos, "COPY option %s applies to FORMAT csv and text only", []string{"HEADER", "DELIMITER"}[i])
			}
		}
		return
	default:
		if len(out.Columns) > 0 {
			c.failCode(sqlerr.FeatureNotSupported, out.Pos.lexerPos(),
				"a column list applies to FORMAT csv and text only: the items of %s name their attributes", out.Format)
			return
		}
		for _, tok := range []lexer.Token{headerTok, delimTok} {
			if tok.Type != 0 {
				c.failCode(sqlerr.FeatureNotSupported, tok.Pos, "COPY option %s applies to FORMAT csv and text only", strings.ToUpper(tok.Value))
			}
		}
		return
	}
	if header == nil {
		out.NoHeader = !copyHeaderDefault(out)
	} else {
		out.NoHeader = !*header
	}
	switch {
	case out.Format == CopyCSV && out.Delimiter == ",", out.Format == CopyText && out.Delimiter == "\t":
		out.Delimiter = ""
	case out.Format == CopyText && strings.ContainsAny(out.Delimiter, "\\."):
		c.failNear(delimTok, "DELIMITER of the text format cannot be a backslash or a period")
	}
	if out.From && out.NoHeader && len(out.Columns) == 0 {
		at := headerTok.Pos
		if headerTok.Type == 0 {
			at = out.Pos.lexerPos()
		}
		c.failCode(sqlerr.FeatureNotSupported, at,
			"COPY FROM in %s needs the attribute names: a header row (HEADER true) or a column list, COPY t (a, b) FROM ...", out.Format)
	}
}

// copyHeaderDefault reports whether an export in out's format has a header
// row when HEADER is not given.
func copyHeaderDefault(out *Copy) bool {
	return out.Format == CopyCSV && !out.Stdout && !out.Stdin
}

// lexerPos converts a position back for error reporting.
func (p Pos) lexerPos() lexer.Position {
	return lexer.Position{Offset: p.Offset, Line: p.Line, Column: p.Column}
}

// copyFormat reads FORMAT's value.
func (c *converter) copyFormat(o *copyOpt) CopyFormat {
	v := o.Value.Value
	if o.Value.Type == tokString {
		v = unquote(v, '\'')
	}
	for _, f := range copyFormats {
		if strings.EqualFold(v, string(f)) {
			return f
		}
	}
	if o.Value.Type == 0 {
		c.failNear(o.Name, "FORMAT needs a value: csv, text, binary, json, jsonl or ddbjson")
	} else {
		c.failNear(o.Value, "unknown COPY format; the formats are "+copyFormatNames)
	}
	return CopyCSV
}

// copyBool reads a boolean option's value; a bare option name is true.
func (c *converter) copyBool(o *copyOpt) bool {
	v := o.Value.Value
	if o.Value.Type == tokString {
		v = unquote(v, '\'')
	}
	switch strings.ToLower(v) {
	case "", "true", "on", "1":
		return true
	case "false", "off", "0":
		return false
	}
	c.failNear(o.Value, strings.ToUpper(o.Name.Value)+" takes true or false")
	return false
}

// copyDelimiter reads DELIMITER's value: one character other than a quote
// or a line break.
func (c *converter) copyDelimiter(o *copyOpt) string {
	if o.Value.Type != tokString {
		c.failNear(o.Name, "DELIMITER needs a one-character string, e.g. DELIMITER ';'")
		return ""
	}
	v := unquote(o.Value.Value, '\'')
	if utf8.RuneCountInString(v) != 1 || strings.ContainsAny(v, "\"\r\n") || v == string(utf8.RuneError) {
		c.failNear(o.Value, "DELIMITER must be one character other than a double quote or a line break")
		return ""
	}
	return v
}
