package parser

// CopyFormat is the file format of COPY.
type CopyFormat string

const (
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

// Copy is COPY t FROM 'file', COPY t TO 'file' | STDOUT or
// COPY (SELECT ...) TO 'file' | STDOUT, with options in parentheses
// (optionally after WITH): FORMAT, HEADER, DELIMITER and UPSERT.
type Copy struct {
	Pos Pos
	// Table is the table read or written; "" when Query is set.
	Table string
	// Query is the SELECT of COPY (SELECT ...) TO.
	Query *Select
	// From is set for COPY ... FROM (an import); else the statement exports.
	From bool
	// File is the file named, relative to the working directory; "" with
	// Stdout.
	File   string
	Stdout bool
	// Format is the file's format (CopyCSV when not given).
	Format CopyFormat
	// NoHeader is HEADER false: a CSV export without the header row.
	NoHeader bool
	// Delimiter is the CSV field delimiter; "" is a comma.
	Delimiter string
	// Upsert is UPSERT true: an import overwrites items with the same key
	// instead of failing on them.
	Upsert bool
}

func (n *Copy) Position() Pos { return n.Pos }
func (*Copy) statementNode()  {}
