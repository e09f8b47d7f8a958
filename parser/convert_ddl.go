package parser

import (
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// keyTypes maps the type names CREATE TABLE and CREATE INDEX accept to
// DynamoDB's scalar types.
var keyTypes = map[string]KeyType{
	"TEXT": KeyString, "STRING": KeyString, "S": KeyString, "VARCHAR": KeyString,
	"CHAR":    KeyString,
	"NUMERIC": KeyNumber, "NUMBER": KeyNumber, "N": KeyNumber, "INT": KeyNumber,
	"INTEGER": KeyNumber, "BIGINT": KeyNumber, "SMALLINT": KeyNumber,
	"DECIMAL": KeyNumber, "FLOAT": KeyNumber, "REAL": KeyNumber, "DOUBLE": KeyNumber,
	"BYTEA": KeyBinary, "BINARY": KeyBinary, "B": KeyBinary, "BLOB": KeyBinary,
}

// keyType converts a type name; an unknown name is an error.
func (c *converter) keyType(tok lexer.Token) KeyType {
	t, ok := keyTypes[strings.ToUpper(name(tok))]
	if !ok {
		c.failCode(sqlerr.UndefinedObject, tok.Pos,
			"type %s does not exist: key attributes are TEXT (S), NUMERIC (N) or BINARY (B)", nearText(name(tok)))
	}
	return t
}

// tableDef collects what CREATE TABLE declares before the indexes can be
// resolved against the table's key.
type tableDef struct {
	out   *CreateTable
	types map[string]KeyType
	key   *keySpec
}

func (c *converter) createTable(at lexer.Position, t *createTable) *CreateTable {
	d := tableDef{
		out:   &CreateTable{Pos: pos(at), Name: name(t.Name.Name), IfNotExists: t.IfNotExists},
		types: map[string]KeyType{},
	}
	for _, el := range t.Elems {
		switch {
		case el.Key != nil:
			c.setKey(&d, el.Key)
		case el.Column != nil:
			col := el.Column
			n := name(col.Name)
			if _, dup := d.types[n]; dup {
				c.fail(col.Name.Pos, "column %s specified more than once", nearText(n))
			}
			typ := c.keyType(col.Type)
			d.types[n] = typ
			d.out.Columns = append(d.out.Columns, ColumnDef{Pos: pos(col.Name.Pos), Name: n, Type: typ})
			if col.PrimaryKey {
				c.setKey(&d, &keySpec{Pos: el.Pos, Parts: []*keyPart{{Name: col.Name}}})
			}
		}
	}
	for _, o := range t.Options {
		switch {
		case o.Key != nil:
			c.setKey(&d, o.Key)
		case o.Billing != nil:
			if d.out.Billing != nil {
				c.fail(o.Pos, "BILLING MODE specified more than once")
			}
			d.out.Billing = c.billing(o.Billing)
		}
	}
	if d.key == nil {
		c.fail(t.Name.Name.Pos, "table %s has no PRIMARY KEY", nearText(d.out.Name))
		return d.out
	}
	parts := d.key.Parts
	c.checkRoles(parts, false)
	if len(parts) > 2 {
		c.fail(parts[2].Name.Pos, "a primary key has at most two attributes: the partition key and the sort key")
	}
	d.out.PartitionKey = c.keyAttr(&d, parts[0].Name)
	if len(parts) > 1 {
		d.out.SortKey = c.keyAttr(&d, parts[1].Name)
		if d.out.SortKey == d.out.PartitionKey {
			c.fail(parts[1].Name.Pos, "table %s uses %s twice in its key", nearText(d.out.Name), nearText(d.out.SortKey))
		}
	}
	// Indexes are resolved once the table's key is known: a local index
	// shares the table's partition key.
	for _, el := range t.Elems {
		if ix := el.Index; ix != nil {
			def := IndexDef{Pos: pos(ix.Pos), Name: name(ix.Name), Local: strings.EqualFold(ix.Scope, "LOCAL")}
			c.indexKey(&d, &def, ix.Key.Parts)
			c.projection(&def, ix.Projection)
			def.Throughput = c.throughput(ix.Throughput)
			c.addIndex(&d, def, ix.Name)
		}
	}
	for _, o := range t.Options {
		for _, ix := range o.GSI {
			c.addIndex(&d, c.ddbshIndex(&d, ix, false), ix.Name)
		}
		for _, ix := range o.LSI {
			c.addIndex(&d, c.ddbshIndex(&d, ix, true), ix.Name)
		}
	}
	return d.out
}

func (c *converter) setKey(d *tableDef, k *keySpec) {
	if d.key != nil {
		c.fail(k.Pos, "multiple primary keys for table %s are not allowed", nearText(d.out.Name))
	}
	d.key = k
}

// keyAttr returns a key attribute's name after checking its type is
// declared.
func (c *converter) keyAttr(d *tableDef, tok lexer.Token) string {
	n := name(tok)
	if _, ok := d.types[n]; !ok {
		c.fail(tok.Pos, "type of attribute %s is not declared: add it to the column list, e.g. (%s TEXT, ...)", nearText(n), quoteIdent(n))
	}
	return n
}

// checkRoles checks ddbsh's HASH / RANGE annotations: the first attribute
// is the partition (HASH) key, the second the sort (RANGE) key. A local
// index given only its sort key has RANGE first.
func (c *converter) checkRoles(parts []*keyPart, sortOnly bool) {
	for i, p := range parts {
		want := "HASH"
		if i > 0 || sortOnly {
			want = "RANGE"
		}
		if p.Role != "" && !strings.EqualFold(p.Role, want) {
			c.fail(p.Name.Pos, "%s must be the %s key here, not %s", nearText(name(p.Name)), want, strings.ToUpper(p.Role))
		}
	}
}

// indexKey fills an index's key from its attributes. A global index names
// its partition key and optional sort key; a local index names its sort
// key, optionally after the table's partition key.
func (c *converter) indexKey(d *tableDef, def *IndexDef, parts []*keyPart) {
	if len(parts) > 2 {
		c.fail(parts[2].Name.Pos, "index %s has more than two key attributes", nearText(def.Name))
		return
	}
	if !def.Local {
		c.checkRoles(parts, false)
		def.PartitionKey = c.keyAttr(d, parts[0].Name)
		if len(parts) == 2 {
			def.SortKey = c.keyAttr(d, parts[1].Name)
		}
		return
	}
	c.checkRoles(parts, len(parts) == 1)
	def.PartitionKey = d.out.PartitionKey
	sk := parts[0]
	if len(parts) == 2 {
		if pk := name(parts[0].Name); pk != d.out.PartitionKey {
			c.fail(parts[0].Name.Pos, "local index %s must use the table's partition key %s, not %s",
				nearText(def.Name), nearText(d.out.PartitionKey), nearText(pk))
		}
		sk = parts[1]
	}
	def.SortKey = c.keyAttr(d, sk.Name)
}

func (c *converter) ddbshIndex(d *tableDef, ix *ddbshIndex, local bool) IndexDef {
	def := IndexDef{Pos: pos(ix.Pos), Name: name(ix.Name), Local: local}
	c.indexKey(d, &def, ix.Key.Parts)
	c.projection(&def, ix.Projection)
	switch {
	case ix.Throughput != nil:
		def.Throughput = c.throughput(ix.Throughput)
	case ix.Billing != nil && ix.Billing.Provisioned != nil:
		def.Throughput = c.throughput(ix.Billing.Provisioned)
	}
	return def
}

func (c *converter) addIndex(d *tableDef, def IndexDef, tok lexer.Token) {
	for _, other := range d.out.Indexes {
		if other.Name == def.Name {
			c.fail(tok.Pos, "index %s specified more than once", nearText(def.Name))
		}
	}
	d.out.Indexes = append(d.out.Indexes, def)
}

// projection fills an index's projection; ALL when none is given.
func (c *converter) projection(def *IndexDef, p *projection) {
	def.Projection = ProjectAll
	switch {
	case p == nil || p.All:
	case p.KeysOnly:
		def.Projection = ProjectKeysOnly
	default:
		def.Projection = ProjectInclude
		def.Include = make([]string, len(p.Include))
		for i, n := range p.Include {
			def.Include[i] = name(lexer.Token{Value: n})
		}
	}
}

func (c *converter) billing(b *billing) *Billing {
	return &Billing{Pos: pos(b.Pos), Provisioned: c.throughput(b.Provisioned)}
}

// throughput converts read and write capacity units.
func (c *converter) throughput(cp *capacity) *Throughput {
	if cp == nil {
		return nil
	}
	return &Throughput{Read: c.units(cp.Read), Write: c.units(cp.Write)}
}

func (c *converter) units(tok lexer.Token) int64 {
	n, err := strconv.ParseInt(tok.Value, 10, 64)
	if err != nil || n < 1 {
		c.failNear(tok, "capacity units must be a positive integer")
	}
	return n
}

func (c *converter) createIndex(at lexer.Position, ci *createIndex) *CreateIndex {
	out := &CreateIndex{Pos: pos(at), Table: name(ci.Table.Name)}
	def := &out.Index
	def.Pos, def.Name = pos(ci.Name.Pos), name(ci.Name)
	if len(ci.Columns) > 2 {
		c.fail(ci.Columns[2].Name.Pos, "index %s has more than two key attributes", nearText(def.Name))
	}
	for i, col := range ci.Columns {
		n := name(col.Name)
		if i == 0 {
			def.PartitionKey = n
		} else if i == 1 {
			def.SortKey = n
		}
		if col.Type.Type != 0 {
			out.Columns = append(out.Columns, ColumnDef{Pos: pos(col.Name.Pos), Name: n, Type: c.keyType(col.Type)})
		}
	}
	if def.SortKey != "" && def.SortKey == def.PartitionKey {
		c.fail(ci.Columns[1].Name.Pos, "index %s uses %s twice", nearText(def.Name), nearText(def.SortKey))
	}
	c.projection(def, ci.Projection)
	def.Throughput = c.throughput(ci.Throughput)
	return out
}
