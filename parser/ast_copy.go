package parser

// CopyFormat is the file format of COPY.
type CopyFormat string

const (
	// CopyText is PostgreSQL COPY's text format: tab-separated fields, \N
	// for NULL, backslash escapes. It is the default of COPY ... TO STDOUT,
	// as in PostgreSQL, and is written only.
	CopyText CopyFormat = "text"
	// CopyBinary is PostgreSQL's binary COPY format: a header, then per
	// row a field count and each field's length and bytes in its column
	// type's binary form. Only the wire server, which knows the column
	// types, reads and writes it (COPY ... FROM STDIN, TO STDOUT).
	CopyBinary CopyFormat = "binary"
	// CopyCSV is RFC 4180 CSV with a header row naming the attributes.
	CopyCSV CopyFormat = "csv"
	// CopyJSON is one JSON array of plain JSON objects.
	CopyJSON CopyFormat = "json"
	// CopyJSONL is one plain JSON object per line.
	CopyJSONL CopyFormat = "jsonl"
	// CopyDDBJSON is one item per line in DynamoDB's AttributeValue JSON,
	// the lossless form.
	CopyDDBJSON CopyFormat = "ddbjson"
)

// Copy is COPY t [(attr, ...)] FROM 'file' | STDIN, COPY t TO 'file' |
// STDOUT or COPY (SELECT ...) TO 'file' | STDOUT, with options in
// parentheses (optionally after WITH): FORMAT, HEADER, DELIMITER and
// UPSERT, or in the older syntax CSV, HEADER, BINARY and DELIMITER 'c'.
type Copy struct {
	Pos Pos
	// Table is the table read or written; "" when Query is set.
	Table string
	// Query is the SELECT of COPY (SELECT ...) TO.
	Query *Select
	// From is set for COPY ... FROM (an import); else the statement exports.
	From bool
	// Columns are the attributes an import's csv, text or binary fields
	// are written to, in order (COPY t (a, b) FROM ...); a csv or text
	// name may carry a type as a csv header does ("price:N"). Empty: the
	// header row names them (binary: the table's columns as SELECT *
	// shows them over the wire protocol).
	Columns []string
	// File is the file named, relative to the working directory; "" with
	// Stdout or Stdin.
	File   string
	Stdout bool
	// Stdin is COPY ... FROM STDIN: the data follows from the front end
	// (the lines after the statement in a script, CopyData messages over
	// the wire protocol).
	Stdin bool
	// Format is the file's format. When not given it is CopyText for
	// COPY ... TO STDOUT and FROM STDIN, as PostgreSQL's clients expect,
	// and CopyCSV for files, which COPY FROM reads back.
	Format CopyFormat
	// NoHeader means the csv or text data has no header row: an export
	// leaves it out, an import takes the attribute names from Columns.
	// Files in csv have one unless HEADER false is given; STDIN, STDOUT
	// and the text format, as in PostgreSQL, only with HEADER true. An
	// import with Columns and a header row skips the header.
	NoHeader bool
	// Delimiter is the field delimiter; "" is the format's own (a comma
	// for csv, a tab for text).
	Delimiter string
	// Upsert is UPSERT true: an import overwrites items with the same key
	// instead of failing on them.
	Upsert bool
}

func (n *Copy) Position() Pos { return n.Pos }
func (*Copy) statementNode()  {}
