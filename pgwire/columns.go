package pgwire

// # Result columns of DynamoDB tables
//
// PostgreSQL clients need a statement's columns and their types before its
// rows (RowDescription, also at Describe, before anything runs), while
// DynamoDB items are schemaless. ddbsql decides the columns of a table as
// follows.
//
// A table's columns are its key attributes (partition key, sort key), its
// indexes' key attributes, and the attributes found in a sample of its
// items: one Scan with Limit DescriberOptions.SampleSize (default 100),
// cached per table for DescriberOptions.TTL (default 5 minutes) and read
// again after ANALYZE [table]. Key attributes come first (the table's
// partition and sort key, then each index's keys in index order), then the
// other attributes ordered by name (byte order).
//
// Types of sampled attributes:
//
//	S          text
//	N          numeric; bigint (int8) when every sampled value is an integer within int64
//	B          bytea
//	BOOL       boolean
//	M, L       jsonb
//	SS         text[]
//	NS         numeric[]
//	BS         bytea[]
//	NULL only  text (NULL values do not count otherwise: a NULL is SQL NULL in any column)
//	several    jsonb when any sampled value is M or L, else text
//
// Key attributes take their type from the table's AttributeDefinitions:
// S text, B bytea, N numeric.
//
// SELECT * ends with one more column, _extra (jsonb), holding every
// attribute of the item outside that set as one JSON object (NULL when
// there is none), so no attribute is lost when the sample missed it. If a
// column is already called _extra, the overflow column takes as many more
// leading underscores as it needs to be unique (__extra, ...).
//
// SELECT * from a secondary index whose projection is not ALL shows the
// columns the index projects.
//
// JSON values (jsonb columns, _extra) are plain JSON: N as JSON numbers
// with all their digits, B as base64 strings, sets as arrays, NULL as null.
// A value that does not fit its column's type (an attribute the sample saw
// only as numbers holding a string) is sent as its text in that column;
// where the client asked for binary format that is possible only for text,
// bytea and jsonb columns, and the statement fails with SQLSTATE 42804
// otherwise (ANALYZE the table, or cast the column to text).
//
// A select list's columns take their types from the expressions: an
// attribute its column's type (a path into a map or list: text), COUNT,
// size() and length() bigint, SUM and AVG numeric, MIN and MAX their
// argument's type, literals their own type (integers integer or bigint,
// other numbers numeric, strings text, lists and maps jsonb), || and string
// functions text, comparisons, IS, IN, BETWEEN, LIKE, EXISTS and boolean
// operators boolean, arithmetic bigint on integers and numeric otherwise,
// CASE the common type of its results (else text), anything else text.
// Statements that return rows without reading a table (SHOW, SHOW TABLES,
// DESCRIBE, EXPLAIN) return text columns; UPDATE and DELETE with RETURNING
// return the table's columns as SELECT * does.

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// OverflowColumn is the name of SELECT *'s trailing jsonb column, which
// holds the attributes outside a table's known columns.
const OverflowColumn = "_extra"

// Defaults of DescriberOptions.
const (
	DefaultSampleSize = 100
	DefaultSampleTTL  = 5 * time.Minute
)

// DescriberOptions tune a Describer.
type DescriberOptions struct {
	// SampleSize is the Limit of the Scan that samples a table's items
	// (DefaultSampleSize when 0).
	SampleSize int
	// TTL is how long a table's sample is used before it is taken again
	// (DefaultSampleTTL when 0).
	TTL time.Duration
}

// Describer decides result columns and parameter types. One per server, safe for concurrent use; it caches what it
// sampled of each table (refreshable) and reads items through api (Scan with a small Limit).
type Describer struct {
	api  executor.DynamoDB
	opts DescriberOptions
	now  func() time.Time

	mu      sync.Mutex
	samples map[string]*tableSample
}

// tableSample is what one Scan showed of a table: each attribute's type.
// Concurrent statements on a table not yet sampled wait for one Scan.
type tableSample struct {
	done  chan struct{} // closed when attrs and err are set
	at    time.Time
	attrs map[string]uint32
	err   error
}

// NewDescriber returns a Describer reading samples through api.
func NewDescriber(api executor.DynamoDB, opts DescriberOptions) *Describer {
	if opts.SampleSize <= 0 {
		opts.SampleSize = DefaultSampleSize
	}
	if opts.TTL <= 0 {
		opts.TTL = DefaultSampleTTL
	}
	return &Describer{api: api, opts: opts, now: time.Now, samples: map[string]*tableSample{}}
}

// Refresh forgets what was sampled of table ("" = every table).
func (d *Describer) Refresh(table string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if table == "" {
		clear(d.samples)
		return
	}
	delete(d.samples, table)
}

// Columns returns the RowDescription of stmt's result before it runs (Describe S/P, and the rows of Execute).
// nil, nil for statements that return no rows (NoData).
//
// plan is stmt's plan; when nil, stmt is planned in sess. Table metadata
// comes from sess's catalog. COPY ... TO STDOUT has no RowDescription (its
// rows go out as CopyData): nil.
func (d *Describer) Columns(ctx context.Context, sess *session.Session, stmt parser.Statement, plan *planner.Plan) ([]Column, error) {
	if plan == nil && sess != nil {
		p, err := sess.Plan(ctx, stmt)
		if err != nil {
			return nil, err
		}
		plan = p
	}
	return d.columns(ctx, sessionCatalog(sess), stmt, plan)
}

// sessionCatalog is sess's catalog, nil without a session.
func sessionCatalog(sess *session.Session) catalog.Catalog {
	if sess == nil {
		return nil
	}
	return sess.Catalog()
}

// columns is Columns with the catalog given.
func (d *Describer) columns(ctx context.Context, cat catalog.Catalog, stmt parser.Statement, plan *planner.Plan) ([]Column, error) {
	switch s := stmt.(type) {
	case *parser.Select:
		return d.selectColumns(ctx, cat, s, plan)
	case *parser.Update:
		if s.Returning == parser.ReturnNothing {
			return nil, nil
		}
		return d.starColumns(ctx, cat, s.Table, nil, plan)
	case *parser.Delete:
		if s.Returning == parser.ReturnNothing {
			return nil, nil
		}
		return d.starColumns(ctx, cat, s.Table, nil, plan)
	case *parser.Insert, *parser.Copy, *parser.Exists, *parser.Begin, *parser.Commit, *parser.Rollback,
		*parser.CreateTable, *parser.CreateIndex, *parser.DropTable, *parser.DropIndex:
		return nil, nil
	}
	// EXPLAIN, SHOW TABLES, DESCRIBE and the session's statements that
	// return rows (SHOW name) name their columns in the plan.
	if plan == nil || plan.Columns == nil {
		return nil, nil
	}
	return textColumns(plan.Columns), nil
}

// textColumns are text columns named names, each showing the attribute of
// its name.
func textColumns(names []string) []Column {
	cols := make([]Column, len(names))
	for i, n := range names {
		cols[i] = Column{Name: n, OID: pgtype.TextOID, Attr: n}
	}
	return cols
}

// selectColumns types a SELECT's output columns.
func (d *Describer) selectColumns(ctx context.Context, cat catalog.Catalog, s *parser.Select, plan *planner.Plan) ([]Column, error) {
	ty := d.newTyper(ctx, cat, s)
	if plan == nil || plan.Columns == nil {
		if ty.table == "" {
			return nil, nil
		}
		return d.starColumns(ctx, cat, ty.table, s.From.(*parser.TableName), plan)
	}
	if len(plan.Columns) != len(s.Items) {
		// A plan from some other statement shape than this SELECT's list:
		// name the columns as planned, typed text.
		return textColumns(plan.Columns), nil
	}
	var cols []Column
	for i, it := range s.Items {
		if it.Star {
			star, err := d.starColumns(ctx, cat, ty.table, s.From.(*parser.TableName), plan)
			if err != nil {
				return nil, err
			}
			cols = append(cols, star...)
			continue
		}
		name := plan.Columns[i]
		oid := ty.expr(it.Expr)
		if ty.err != nil {
			return nil, ty.err
		}
		cols = append(cols, Column{Name: name, OID: oid, Attr: name})
	}
	return uniqueOverflow(cols), nil
}

// starColumns are the columns of SELECT * from table (tn, when set, names
// the index read) and of RETURNING: the table's columns and the overflow
// column.
func (d *Describer) starColumns(ctx context.Context, cat catalog.Catalog, table string, tn *parser.TableName, plan *planner.Plan) ([]Column, error) {
	tbl, attrs, err := d.tableColumns(ctx, cat, table)
	if err != nil {
		return nil, err
	}
	if tn != nil && tn.Index != "" {
		if ix := tbl.Index(tn.Index); ix != nil && ix.Projection != catalog.ProjectAll && !fetchesItems(plan) {
			kept := attrs[:0:0]
			for _, c := range attrs {
				if tbl.Projects(ix, c.Attr) {
					kept = append(kept, c)
				}
			}
			attrs = kept
		}
	}
	cols := append(attrs[:len(attrs):len(attrs)], Column{Name: OverflowColumn, OID: pgtype.JSONBOID, Overflow: true})
	return uniqueOverflow(cols), nil
}

// fetchesItems reports whether plan reads an index for keys and fetches
// whole items from the table.
func fetchesItems(plan *planner.Plan) bool {
	if plan == nil {
		return false
	}
	for n := plan.Root; n != nil; n = planner.Input(n) {
		if r, ok := n.(*planner.Read); ok {
			return r.Fetch != nil
		}
	}
	return false
}

// uniqueOverflow renames overflow columns whose name another column has.
func uniqueOverflow(cols []Column) []Column {
	for i := range cols {
		if !cols[i].Overflow {
			continue
		}
		for taken(cols, i) {
			cols[i].Name = "_" + cols[i].Name
		}
	}
	return cols
}

func taken(cols []Column, i int) bool {
	for j := range cols {
		if j != i && cols[j].Name == cols[i].Name {
			return true
		}
	}
	return false
}

// tableColumns returns table's metadata and its columns by the rule of
// this file (without the overflow column).
func (d *Describer) tableColumns(ctx context.Context, cat catalog.Catalog, table string) (*catalog.Table, []Column, error) {
	if cat == nil {
		return nil, nil, sqlerr.New(sqlerr.Internal, "no catalog to describe table %q", table)
	}
	tbl, err := cat.Table(ctx, table)
	if err != nil {
		return nil, nil, err
	}
	sampled, err := d.sample(ctx, table)
	if err != nil {
		return nil, nil, err
	}
	var cols []Column
	addKey := func(k catalog.KeyAttr) {
		if showsAttr(cols, k.Name) {
			return
		}
		cols = append(cols, Column{Name: k.Name, Attr: k.Name, OID: keyOID(k)})
	}
	addKey(tbl.PartitionKey)
	if tbl.SortKey != nil {
		addKey(*tbl.SortKey)
	}
	for _, ix := range tbl.Indexes {
		addKey(ix.PartitionKey)
		if ix.SortKey != nil {
			addKey(*ix.SortKey)
		}
	}
	keys := len(cols)
	for name, oid := range sampled {
		if !showsAttr(cols[:keys], name) {
			cols = append(cols, Column{Name: name, Attr: name, OID: oid})
		}
	}
	rest := cols[keys:]
	sort.Slice(rest, func(i, j int) bool { return rest[i].Name < rest[j].Name })
	return tbl, cols, nil
}

// keyOID types a key attribute from its declared type. An N key is
// numeric even when the sample holds only integers: every item has the
// key, so a single unsampled decimal would otherwise break binary results.
func keyOID(k catalog.KeyAttr) uint32 {
	switch k.Type {
	case "N":
		return pgtype.NumericOID
	case "B":
		return pgtype.ByteaOID
	}
	return pgtype.TextOID
}

// sample returns the attribute types of table's sampled items, scanning
// when nothing fresh is cached. Concurrent callers share one Scan; a
// failed Scan is not cached.
func (d *Describer) sample(ctx context.Context, table string) (map[string]uint32, error) {
	d.mu.Lock()
	s, ok := d.samples[table]
	if ok {
		select {
		case <-s.done:
			if d.now().Sub(s.at) >= d.opts.TTL {
				ok = false
			}
		default: // a Scan is under way: wait for it
		}
	}
	if !ok {
		s = &tableSample{done: make(chan struct{})}
		d.samples[table] = s
		d.mu.Unlock()
		s.attrs, s.err = d.scan(ctx, table)
		s.at = d.now()
		close(s.done)
		if s.err != nil {
			d.mu.Lock()
			if d.samples[table] == s {
				delete(d.samples, table)
			}
			d.mu.Unlock()
		}
		return s.attrs, s.err
	}
	d.mu.Unlock()
	select {
	case <-s.done:
	case <-ctx.Done():
		return nil, sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled)
	}
	if s.err != nil {
		// The Scan another statement started failed; try once more with
		// this statement's own context.
		return d.sample(ctx, table)
	}
	return s.attrs, nil
}

// scan reads one page of at most SampleSize items of table and types their
// attributes.
func (d *Describer) scan(ctx context.Context, table string) (map[string]uint32, error) {
	out, err := d.api.Scan(ctx, &dynamodb.ScanInput{
		TableName: aws.String(table),
		Limit:     aws.Int32(int32(d.opts.SampleSize)),
	})
	if err != nil {
		return nil, executor.MapError(err)
	}
	return sampleTypes(out.Items), nil
}

// Kinds of values seen of one attribute, as a bit set.
const (
	seenS = 1 << iota
	seenInt
	seenDecimal
	seenB
	seenBool
	seenNull
	seenM
	seenL
	seenSS
	seenNS
	seenBS
)

// sampleTypes types each attribute of items by the rule of this file.
func sampleTypes(items []map[string]types.AttributeValue) map[string]uint32 {
	seen := map[string]int{}
	for _, it := range items {
		for name, v := range it {
			seen[name] |= kindOf(v)
		}
	}
	out := make(map[string]uint32, len(seen))
	for name, k := range seen {
		out[name] = oidOfKinds(k)
	}
	return out
}

func kindOf(v types.AttributeValue) int {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return seenS
	case *types.AttributeValueMemberN:
		if _, ok := intOfNumber(v.Value, 64); ok {
			return seenInt
		}
		return seenDecimal
	case *types.AttributeValueMemberB:
		return seenB
	case *types.AttributeValueMemberBOOL:
		return seenBool
	case *types.AttributeValueMemberNULL:
		return seenNull
	case *types.AttributeValueMemberM:
		return seenM
	case *types.AttributeValueMemberL:
		return seenL
	case *types.AttributeValueMemberSS:
		return seenSS
	case *types.AttributeValueMemberNS:
		return seenNS
	case *types.AttributeValueMemberBS:
		return seenBS
	}
	return seenS // a type unknown to this SDK version: its text
}

func oidOfKinds(k int) uint32 {
	k &^= seenNull
	switch k {
	case 0, seenS:
		return pgtype.TextOID
	case seenInt:
		return pgtype.Int8OID
	case seenDecimal, seenInt | seenDecimal:
		return pgtype.NumericOID
	case seenB:
		return pgtype.ByteaOID
	case seenBool:
		return pgtype.BoolOID
	case seenSS:
		return pgtype.TextArrayOID
	case seenNS:
		return pgtype.NumericArrayOID
	case seenBS:
		return pgtype.ByteaArrayOID
	}
	if k&(seenM|seenL) != 0 {
		return pgtype.JSONBOID
	}
	return pgtype.TextOID
}

// typer types expressions of one statement over one table, sampling the
// table only when an expression reads an attribute that is not a key.
type typer struct {
	ctx   context.Context
	d     *Describer
	cat   catalog.Catalog
	table string
	alias string

	cols map[string]uint32 // nil until loaded
	err  error             // the first error loading them
}

// newTyper returns a typer for the table s reads ("" without FROM).
func (d *Describer) newTyper(ctx context.Context, cat catalog.Catalog, s *parser.Select) *typer {
	ty := &typer{ctx: ctx, d: d, cat: cat}
	if s != nil {
		if tn, ok := s.From.(*parser.TableName); ok {
			ty.table, ty.alias = tn.Name, tn.Alias
		}
	}
	return ty
}

// attr returns the type of the table's attribute name: its column's type,
// text for an attribute not among the table's columns.
func (ty *typer) attr(name string) uint32 {
	if ty.table == "" || ty.err != nil {
		return pgtype.TextOID
	}
	if ty.cols == nil {
		_, cols, err := ty.d.tableColumns(ty.ctx, ty.cat, ty.table)
		if err != nil {
			if sqlerr.Code(err) != sqlerr.UndefinedTable {
				ty.err = err
				return pgtype.TextOID
			}
			// A relation that is not a DynamoDB table (a system view
			// answered elsewhere): its columns are text.
			cols = nil
		}
		ty.cols = make(map[string]uint32, len(cols))
		for _, c := range cols {
			ty.cols[c.Attr] = c.OID
		}
	}
	if oid, ok := ty.cols[name]; ok {
		return oid
	}
	return pgtype.TextOID
}

// path types a document path: a top-level attribute has its column's
// type; a path into a map or list may reach anything, so it is text.
func (ty *typer) path(p *parser.Path) uint32 {
	steps := p.Steps
	if ty.alias != "" && len(steps) > 1 && !steps[1].IsIndex && steps[0].Name == ty.alias {
		steps = steps[1:]
	}
	if len(steps) != 1 {
		return pgtype.TextOID
	}
	return ty.attr(steps[0].Name)
}

// expr returns the type of e's values.
func (ty *typer) expr(e parser.Expr) uint32 {
	switch x := e.(type) {
	case *parser.Literal:
		return literalOID(x)
	case *parser.ListExpr, *parser.MapExpr:
		return pgtype.JSONBOID
	case *parser.SetExpr:
		for _, el := range x.Elems {
			if l, ok := el.(*parser.Literal); !ok || l.Kind != parser.LitNumber {
				return pgtype.TextArrayOID
			}
		}
		return pgtype.NumericArrayOID
	case *parser.Path:
		return ty.path(x)
	case *parser.UnaryExpr:
		if strings.EqualFold(x.Op, "NOT") {
			return pgtype.BoolOID
		}
		if t := ty.expr(x.X); isNumeric(t) {
			return t
		}
		return pgtype.NumericOID
	case *parser.BinaryExpr:
		switch x.Op {
		case "AND", "OR", "=", "<>", "<", "<=", ">", ">=":
			return pgtype.BoolOID
		case "||":
			return pgtype.TextOID
		}
		return arithmeticOID(x.Op, ty.expr(x.L), ty.expr(x.R))
	case *parser.BetweenExpr, *parser.InExpr, *parser.LikeExpr, *parser.IsExpr, *parser.ExistsExpr:
		return pgtype.BoolOID
	case *parser.FuncCall:
		return ty.funcCall(x)
	case *parser.CaseExpr:
		var results []parser.Expr
		for _, w := range x.Whens {
			results = append(results, w.Result)
		}
		if x.Else != nil {
			results = append(results, x.Else)
		}
		return ty.commonType(results)
	case *parser.Cast:
		return castOID(x.Type)
	}
	return pgtype.TextOID
}

// castTypes maps the type names of parser.Cast to OIDs.
var castTypes = map[string]uint32{
	"text": pgtype.TextOID, "varchar": pgtype.VarcharOID, "bpchar": pgtype.BPCharOID, "name": pgtype.NameOID,
	"int2": pgtype.Int2OID, "int4": pgtype.Int4OID, "int8": pgtype.Int8OID,
	"numeric": pgtype.NumericOID, "float4": pgtype.Float4OID, "float8": pgtype.Float8OID,
	"bool": pgtype.BoolOID, "bytea": pgtype.ByteaOID, "json": pgtype.JSONOID, "jsonb": pgtype.JSONBOID,
	"date": pgtype.DateOID, "timestamp": pgtype.TimestampOID, "timestamptz": pgtype.TimestamptzOID,
	"uuid": pgtype.UUIDOID, "oid": pgtype.OIDOID, "regclass": regclassOID,
}

// regclassOID is PostgreSQL's regclass, which pgtype does not name.
const regclassOID = 2205

// castOID is the type a cast to the type called name produces; text for
// a name ddbsql does not know.
func castOID(name string) uint32 {
	if oid, ok := castTypes[name]; ok {
		return oid
	}
	return pgtype.TextOID
}

// funcCall types a function or aggregate call.
func (ty *typer) funcCall(f *parser.FuncCall) uint32 {
	switch f.Name {
	case "count", "size", "length", "char_length", "octet_length":
		return pgtype.Int8OID
	case "sum", "avg":
		return pgtype.NumericOID
	case "min", "max":
		if len(f.Args) == 1 {
			return ty.expr(f.Args[0])
		}
	case "begins_with", "contains", "attribute_exists", "attribute_not_exists", "attribute_type":
		return pgtype.BoolOID
	}
	return pgtype.TextOID
}

// commonType is the type of CASE results: their type when they agree
// (NULL literals aside), numeric (or bigint) for numbers, else text.
func (ty *typer) commonType(es []parser.Expr) uint32 {
	var common uint32
	for _, e := range es {
		if l, ok := e.(*parser.Literal); ok && l.Kind == parser.LitNull {
			continue
		}
		t := ty.expr(e)
		switch {
		case common == 0 || common == t:
			common = t
		case isInteger(common) && isInteger(t):
			common = pgtype.Int8OID
		case isNumeric(common) && isNumeric(t):
			common = pgtype.NumericOID
		default:
			return pgtype.TextOID
		}
	}
	if common == 0 {
		return pgtype.TextOID
	}
	return common
}

// literalOID types a literal as PostgreSQL does: integers integer (bigint
// beyond its range, numeric beyond bigint's), other numbers numeric.
func literalOID(l *parser.Literal) uint32 {
	switch l.Kind {
	case parser.LitNumber:
		if _, ok := intOfNumber(l.Text, 32); ok && !strings.ContainsAny(l.Text, ".eE") {
			return pgtype.Int4OID
		}
		if _, ok := intOfNumber(l.Text, 64); ok && !strings.ContainsAny(l.Text, ".eE") {
			return pgtype.Int8OID
		}
		return pgtype.NumericOID
	case parser.LitBool:
		return pgtype.BoolOID
	}
	return pgtype.TextOID
}

// arithmeticOID types + - * / %: bigint for integers (except /, which
// ddbsql computes exactly), double precision when a float is involved,
// else numeric.
func arithmeticOID(op string, l, r uint32) uint32 {
	switch {
	case isFloat(l) || isFloat(r):
		return pgtype.Float8OID
	case op != "/" && isInteger(l) && isInteger(r):
		return pgtype.Int8OID
	}
	return pgtype.NumericOID
}

func isInteger(oid uint32) bool {
	return oid == pgtype.Int2OID || oid == pgtype.Int4OID || oid == pgtype.Int8OID
}

func isFloat(oid uint32) bool { return oid == pgtype.Float4OID || oid == pgtype.Float8OID }

func isNumeric(oid uint32) bool { return isInteger(oid) || isFloat(oid) || oid == pgtype.NumericOID }

// copyInColumns are the columns of the fields of binary COPY table
// [(attrs)] FROM STDIN: each named attribute typed as SELECT attrs FROM
// table types it (what pgx's CopyFrom describes before it encodes), or,
// without a column list, the columns of SELECT * with the overflow column.
func (d *Describer) copyInColumns(ctx context.Context, cat catalog.Catalog, table string, attrs []string) ([]Column, error) {
	if len(attrs) == 0 {
		return d.starColumns(ctx, cat, table, nil, nil)
	}
	ty := &typer{ctx: ctx, d: d, cat: cat, table: table}
	cols := make([]Column, len(attrs))
	for i, a := range attrs {
		cols[i] = Column{Name: a, Attr: a, OID: ty.attr(a)}
	}
	if ty.err != nil {
		return nil, ty.err
	}
	return cols, nil
}

// copyOutColumns are the columns of binary COPY ... TO STDOUT: those of
// its SELECT, or of SELECT * from its table, as a DataRow would send them.
func (d *Describer) copyOutColumns(ctx context.Context, cat catalog.Catalog, s *parser.Copy, plan *planner.Plan) ([]Column, error) {
	if s.Query == nil {
		return d.starColumns(ctx, cat, s.Table, nil, nil)
	}
	var sel *planner.Plan
	if plan != nil {
		if ct, ok := plan.Root.(*planner.CopyTo); ok {
			sel = &planner.Plan{Root: ct.Input, Columns: ct.Columns}
		}
	}
	return d.selectColumns(ctx, cat, s.Query, sel)
}
