package planner

import (
	"context"
	"unicode/utf8"

	"github.com/ddbsql/ddbsql/parser"
)

// CopyFrom imports a file into a table: Write is a PutItems whose Input is
// the file's ReadFile, so COPY FROM writes exactly as INSERT ... SELECT
// does — each item with a conditional PutItem (the default: an item whose
// key exists already stops the import with a unique violation, as
// PostgreSQL's COPY FROM fails on one), or, with UPSERT true, through
// BatchWriteItem, 25 items a call, unprocessed items retried until written.
type CopyFrom struct {
	Write *PutItems
}

// ReadFile yields the items of a file, streaming; the input of COPY FROM.
// The file is named relative to the working directory of the process that
// runs the plan. With Stdin the data comes from the front end instead
// (executor.WithCopyIn): the lines after the statement in a script, the
// CopyData messages of a wire-protocol client.
type ReadFile struct {
	// Table is the table the items go to, for a front end that needs its
	// columns to decode the data (binary COPY over the wire protocol).
	Table  string
	File   string
	Stdin  bool
	Format parser.CopyFormat
	// Delimiter separates csv fields (0: a comma) and text fields (0: a
	// tab).
	Delimiter rune
	// Columns name the attributes of csv and text fields (nil: the header
	// row does); SkipHeader ignores a header row when Columns are given.
	Columns    []string
	SkipHeader bool
	// KeyAttrs are the key attributes every item must hold; an item
	// without one is an error naming its line.
	KeyAttrs []string
}

// CopyTo exports the rows of Input to File, or, with Stdout, returns them
// for the front end to write in Format.
type CopyTo struct {
	Input  Node
	File   string
	Stdout bool
	Format parser.CopyFormat
	// NoHeader leaves out the csv header row; Delimiter separates csv
	// fields (0: a comma).
	NoHeader  bool
	Delimiter rune
	// Columns and KeyColumns lay the rows out (see Plan).
	Columns    []string
	KeyColumns []string
}

func (p *Planner) planCopy(ctx context.Context, s *parser.Copy) (*Plan, error) {
	delim, _ := utf8.DecodeRuneInString(s.Delimiter)
	if s.Delimiter == "" {
		delim = 0
	}
	if s.From {
		tbl, err := p.table(ctx, s.Table, s.Pos)
		if err != nil {
			return nil, err
		}
		keys := tbl.KeyNames()
		read := &ReadFile{Table: tbl.Name, File: s.File, Stdin: s.Stdin, Format: s.Format, Delimiter: delim, KeyAttrs: keys,
			Columns: s.Columns, SkipHeader: len(s.Columns) > 0 && !s.NoHeader}
		return &Plan{
			Root: &CopyFrom{Write: &PutItems{Table: tbl.Name, KeyAttrs: keys, Upsert: s.Upsert, Input: read, Batch: p.insertBatch(s.Upsert)}},
			Tag:  "COPY",
		}, nil
	}
	var sel *Plan
	if s.Query != nil {
		var err error
		if sel, err = p.planSelect(ctx, s.Query); err != nil {
			return nil, err
		}
	} else {
		// COPY t TO is an explicit export of the whole table: the full scan
		// is what was asked for, so scan_policy neither warns nor refuses.
		var err error
		star := &parser.Select{Pos: s.Pos, Items: []parser.SelectItem{{Pos: s.Pos, Star: true}},
			From: &parser.TableName{Pos: s.Pos, Name: s.Table}}
		if sel, err = p.planSelect(ctx, star); err != nil {
			return nil, err
		}
		sel.Warnings = nil
		walkPlan(sel.Root, func(n Node) {
			if r, ok := n.(*Read); ok {
				r.FullScan = false
			}
		})
	}
	return &Plan{
		Root: &CopyTo{Input: sel.Root, File: s.File, Stdout: s.Stdout, Format: s.Format,
			NoHeader: s.NoHeader, Delimiter: delim, Columns: sel.Columns, KeyColumns: sel.KeyColumns},
		Tag:      "COPY",
		Warnings: sel.Warnings,
	}, nil
}

// Describe implements Node.
func (c *CopyFrom) Describe() Description {
	return Description{Node: "Copy (import)", Children: []Description{c.Write.Describe()}}
}

// Describe implements Node.
func (r *ReadFile) Describe() Description {
	var ps props
	if r.Stdin {
		ps.add("from", "STDIN")
	} else {
		ps.add("file", r.File)
	}
	ps.add("format", string(r.Format))
	if r.Delimiter != 0 {
		ps.add("delimiter", string(r.Delimiter))
	}
	if len(r.Columns) > 0 {
		ps.add("columns", r.Columns)
		if r.SkipHeader {
			ps.add("header", "skipped")
		}
	}
	return Description{Node: "ReadFile", Props: ps}
}

// Describe implements Node.
func (c *CopyTo) Describe() Description {
	var ps props
	if c.Stdout {
		ps.add("to", "STDOUT")
	} else {
		ps.add("file", c.File)
	}
	ps.add("format", string(c.Format))
	if c.NoHeader {
		ps.add("header", "false")
	}
	if c.Delimiter != 0 {
		ps.add("delimiter", string(c.Delimiter))
	}
	ps.add("columns", c.Columns)
	return Description{Node: "Copy (export)", Props: ps, Children: []Description{c.Input.Describe()}}
}
