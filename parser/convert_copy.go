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
var copyFormats = []CopyFormat{CopyCSV, CopyJSON, CopyJSONL, CopyDDBJSON}

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
	switch {
	case s.File.Type != 0:
		out.File = unquote(s.File.Value, '\'')
		if out.File == "" {
			c.fail(s.File.Pos, "COPY needs a file name")
		}
	case out.From && strings.EqualFold(s.Std.Value, "STDIN"):
		c.failCode(sqlerr.FeatureNotSupported, s.Std.Pos, "COPY FROM STDIN is not supported: name a file, COPY t FROM 'file'")
	case !out.From && strings.EqualFold(s.Std.Value, "STDOUT"):
		out.Stdout = true
	default:
		want := "a quoted file name or STDOUT"
		if out.From {
			want = "a quoted file name"
		}
		c.failNear(s.Std, "expected "+want)
	}
	seen := map[string]bool{}
	header := lexer.Token{}
	for _, o := range s.Options {
		opt := strings.ToUpper(o.Name.Value)
		if seen[opt] {
			c.failNear(o.Name, "option "+opt+" is given twice")
		}
		seen[opt] = true
		switch opt {
		case "FORMAT":
			out.Format = c.copyFormat(o)
		case "HEADER":
			out.NoHeader = !c.copyBool(o)
			header = o.Name
		case "DELIMITER":
			out.Delimiter = c.copyDelimiter(o)
		case "UPSERT":
			out.Upsert = c.copyBool(o)
			if !out.From {
				c.failNear(o.Name, "UPSERT applies to COPY FROM only")
			}
		default:
			c.failNear(o.Name, "unknown COPY option; the options are "+copyOptionNames)
		}
	}
	if out.Format != CopyCSV {
		for _, o := range s.Options {
			if opt := strings.ToUpper(o.Name.Value); opt == "HEADER" || opt == "DELIMITER" {
				c.failCode(sqlerr.FeatureNotSupported, o.Name.Pos, "COPY option %s applies to FORMAT csv only", opt)
			}
		}
	}
	if out.From && out.NoHeader {
		c.failCode(sqlerr.FeatureNotSupported, header.Pos,
			"COPY FROM needs a CSV header row: its names are the attributes each field is written to")
	}
	return out
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
		c.failNear(o.Name, "FORMAT needs a value: csv, json, jsonl or ddbjson")
	} else {
		c.failNear(o.Value, "unknown COPY format; the formats are csv, json, jsonl and ddbjson")
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
	if v == "," {
		return ""
	}
	return v
}
