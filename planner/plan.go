package planner

import (
	"github.com/ddbsql/ddbsql/parser"
)

// Plan is a planned statement, ready for the executor. A Plan holds no
// parameter values: parameters stay parser.Param expressions and are bound
// when the plan runs, so one Plan serves every execution of a prepared
// statement.
type Plan struct {
	// Root is the top of the node tree.
	Root Node
	// Tag names the statement for command completion tags ("SELECT",
	// "INSERT", "CREATE TABLE", ...).
	Tag string
	// Columns are the output columns in order; nil means "every attribute of
	// each item" (SELECT *), which front ends lay out as the union of the
	// attributes seen, key attributes first.
	Columns []string
	// KeyColumns are the key attributes of the table read, for laying out
	// SELECT * results (partition key, sort key, then index keys).
	KeyColumns []string
	// Warnings are shown to the user before the statement runs (for example
	// the full-scan warning under scan_policy=warn).
	Warnings []string
	// NumParams is the number of parameters the statement uses.
	NumParams int
	// Settings are the values the statement's WITH (...) clause gives
	// settings, by lower-case name. Those that shape plans are already in
	// the Options it was planned with; the executor reads the others
	// (write_capacity) here before asking the session, as current_setting
	// does, so that they hold for this statement alone.
	Settings map[string]string
}

// Node is a node of a physical plan. Every node describes itself; one
// Describe feeds text EXPLAIN, JSON EXPLAIN and the planner's golden files.
type Node interface {
	Describe() Description
}

// AccessPath is how a Read reaches DynamoDB. It is a closed set: the planner
// picks exactly one per Read, and the executor dispatches on it in one switch.
type AccessPath int

const (
	// GetItem reads one item by its full primary key. Requires equality on
	// every key attribute of the base table (never an index).
	GetItem AccessPath = iota
	// BatchGetItem reads several items by full primary key: an IN list or an
	// OR of full keys on the base table. Keys go in chunks of 100, issued
	// concurrently; UnprocessedKeys are retried with backoff until done.
	BatchGetItem
	// Query reads one item collection of the table or of an index. Requires
	// equality (or IN: one Query per value, run concurrently) on the partition
	// key of the table or index; a sort-key condition is pushed into the
	// KeyConditionExpression.
	Query
	// Scan reads the whole table or index, in Segments parallel segments.
	// Requires nothing; chosen only when no key condition exists, and subject
	// to scan_policy.
	Scan
)

func (p AccessPath) String() string {
	switch p {
	case GetItem:
		return "GetItem"
	case BatchGetItem:
		return "BatchGetItem"
	case Query:
		return "Query"
	case Scan:
		return "Scan"
	}
	return "AccessPath(?)"
}

// KeyPart is one attribute of a primary key and the expression giving its
// value (a literal or a parameter).
type KeyPart struct {
	Attr  string
	Value parser.Expr
}

// Key is a full primary key, partition key first.
type Key []KeyPart

// PartitionPlaceholder is the expression attribute value name a Query's
// KeyCondition uses for the partition key value; the executor binds it to
// each of Read.PartitionValues in turn.
const PartitionPlaceholder = ":pk"

// Read reads items from DynamoDB through one access path. It is the leaf of
// every SELECT plan and yields items (attribute name → value).
type Read struct {
	Path  AccessPath
	Table string
	// Index is the secondary index read by Query or Scan; "" is the table.
	Index string

	// Keys are the full primary keys of a GetItem (one) or BatchGetItem.
	Keys []Key

	// PartitionKey is the partition key attribute of the table or index a
	// Query reads; PartitionValues holds one value per Query to issue.
	PartitionKey    string
	PartitionValues []parser.Expr
	// KeyCondition is the Query's KeyConditionExpression, using
	// PartitionPlaceholder for the partition key value.
	KeyCondition string

	// Filter is the FilterExpression ("" for none). Conditions DynamoDB
	// cannot evaluate are left to a Filter node above the Read.
	Filter string
	// Projection is the ProjectionExpression ("" reads every attribute).
	Projection string
	// Names and Values are the expression attribute names and values shared
	// by KeyCondition, Filter and Projection. Values are expressions (literals
	// or parameters) evaluated when the plan runs.
	Names  map[string]string
	Values map[string]parser.Expr

	// Descending sets ScanIndexForward=false on a Query.
	Descending bool
	// Segments is a Scan's TotalSegments (1: a sequential scan).
	Segments int
	// ConsistentRead requests strongly consistent reads (never on a GSI).
	ConsistentRead bool
	// Count sets Select=COUNT: no items are transferred and the Read yields a
	// single row {"count": N}.
	Count bool
	// PageSize is the Limit sent with each Query/Scan call; 0 leaves the
	// page to DynamoDB (1 MB). It is set only when every item evaluated is
	// returned (no FilterExpression), so that a LIMIT n reads n items.
	PageSize int

	// Fetch is set when the index read does not project every attribute the
	// statement needs: the Read takes keys from the index and fetches the
	// items from the table with BatchGetItem.
	Fetch *Fetch

	// FullScan marks a Scan that reads a whole table or index because the
	// statement has no usable key condition (the subject of scan_policy).
	FullScan bool
	// MissingKey names the key condition that would have avoided the scan
	// (for warnings and hints), e.g. `"userId" = ...`.
	MissingKey string
}

// Fetch completes index reads whose projection lacks attributes: the items
// are fetched from the table by primary key with BatchGetItem.
type Fetch struct {
	// KeyAttrs are the table's primary key attributes.
	KeyAttrs []string
	// Projection and Names apply to the BatchGetItem ("" reads everything).
	Projection string
	Names      map[string]string
}

// Filter keeps the rows for which Cond is true, evaluated by the executor
// with DynamoDB's semantics (a comparison involving a missing attribute, or
// values of different types, is false).
type Filter struct {
	Input Node
	Cond  parser.Expr
}

// ProjectItem is one output column: Name and the expression computing it, or
// Star to copy every attribute of the input row.
type ProjectItem struct {
	Name string
	Expr parser.Expr
	Star bool
}

// Project computes the output row from the input row. A value that evaluates
// to "missing" leaves the column absent from the row.
type Project struct {
	Input Node
	Items []ProjectItem
}

// SortKey is one key of a Sort.
type SortKey struct {
	Expr parser.Expr
	Desc bool
}

// Sort orders its input (materialising it) by Keys, with DynamoDB's
// ordering of values; missing sorts first ascending.
type Sort struct {
	Input Node
	Keys  []SortKey
}

// Limit passes at most Count rows after skipping Offset rows; it stops
// pulling from its input as soon as it has enough, which stops paging.
// Count and Offset are literals or parameters (nil: no bound / zero).
type Limit struct {
	Input  Node
	Count  parser.Expr
	Offset parser.Expr
}

// Distinct drops rows equal to a row already passed (hashing whole rows).
type Distinct struct {
	Input Node
}

// AggCall is one aggregate: Func is count, sum, min, max or avg. Star is
// COUNT(*). Out is the internal column the result is stored in.
type AggCall struct {
	Func     string
	Arg      parser.Expr
	Star     bool
	Distinct bool
	Out      string
}

// Aggregate groups its input by GroupBy (one group when empty, which yields
// one row even for no input) and computes Aggs. Each output row holds the
// group expressions' values in GroupOut[i] and the aggregates in Aggs[i].Out;
// a Project above computes the select list from them.
type Aggregate struct {
	Input    Node
	GroupBy  []parser.Expr
	GroupOut []string
	Aggs     []AggCall
}

// SingleRow yields one empty row: the input of SELECT without FROM.
type SingleRow struct{}

// PutItem writes one item: INSERT (which fails with a unique violation when
// an item with the same key exists) or UPSERT (which replaces it).
type PutItem struct {
	Table string
	// Item evaluates to a map (a MapExpr or a parameter).
	Item     parser.Expr
	KeyAttrs []string
	Upsert   bool
}

// UpdateItem updates one item by full key. Update is the UpdateExpression;
// Condition always includes the key's existence (UPDATE never creates an
// item) and the rest of the WHERE.
type UpdateItem struct {
	Table     string
	Key       Key
	Update    string
	Condition string
	Names     map[string]string
	Values    map[string]parser.Expr
	Returning parser.Returning
}

// DeleteItem deletes one item by full key; Condition is the rest of the
// WHERE ("" for none). A missing item is not an error.
type DeleteItem struct {
	Table     string
	Key       Key
	Condition string
	Names     map[string]string
	Values    map[string]parser.Expr
	Returning parser.Returning
}

// ConditionCheck checks that the item with Key matches Condition: the
// ConditionCheck action of a transaction, planned from EXISTS(SELECT ...)
// (Condition includes the key's existence) or NOT EXISTS(SELECT ...) (Not
// is set; Condition holds when the item is absent or fails the WHERE).
type ConditionCheck struct {
	Table     string
	Key       Key
	Condition string
	Names     map[string]string
	Values    map[string]parser.Expr
	Not       bool
}

// CreateTable creates a table (and its indexes) and waits until it is ACTIVE.
type CreateTable struct {
	Stmt *parser.CreateTable
}

// CreateIndex adds a GSI to an existing table and waits until it is ACTIVE.
type CreateIndex struct {
	Stmt *parser.CreateIndex
}

// DropTable deletes a table and waits until it is gone.
type DropTable struct {
	Stmt *parser.DropTable
}

// DropIndex deletes a GSI.
type DropIndex struct {
	Stmt *parser.DropIndex
}

// ShowTables lists tables (ListTables, all pages), optionally filtered by a
// LIKE pattern.
type ShowTables struct {
	Like string
}

// DescribeTable shows a table's keys, indexes, item count, size, billing,
// TTL and status.
type DescribeTable struct {
	Table string
}

// Explain shows Plan without running it, or, with Analyze, runs it and adds
// what each node did.
type Explain struct {
	Plan    *Plan
	Analyze bool
	JSON    bool
}

// PutItems writes several items: the rows of a multi-row INSERT ... VALUES
// (Items) or of INSERT ... SELECT (Input). Every put of an INSERT is
// guarded by attribute_not_exists on the key, which BatchWriteItem cannot
// carry: the items go in TransactWriteItems calls of Batch puts each
// (several calls at once), or, with Batch 1 or on a backend without
// transactions, one PutItem each. An UPSERT sends the items through
// BatchWriteItem, 25 per call, with unprocessed items retried until
// written. DynamoDB has no statement atomicity: items written before a
// failure stay (a group of Batch items is written whole or not at all).
type PutItems struct {
	Table    string
	KeyAttrs []string
	Upsert   bool
	// Batch is the most conditional puts of an INSERT one
	// TransactWriteItems carries (see Options.InsertBatch); 1 puts each
	// item with its own PutItem. UPSERT ignores it.
	Batch int
	// Items are the rows of VALUES, each a MapExpr of constants or
	// parameters; nil when Input is set.
	Items []parser.Expr
	// Input yields the items to write (INSERT ... SELECT).
	Input Node
}

// WriteEach is a set-based UPDATE or DELETE: Input reads the keys of the
// items the WHERE matches, and each item gets its own conditional write —
// Update or Delete, whose Key is nil (taken from each row) — issued several
// at once. The write's Condition re-checks the WHERE and the item's
// existence, so an item changed or deleted since it was read is skipped,
// not clobbered.
//
// A write the SDK retries after a lost answer (a reset connection) reaches
// DynamoDB a second time, and UpdateItem has no idempotency token. A
// DELETE, or an UPDATE of constants only (SET migrated = true, REMOVE x),
// leaves the item as one write would. An UPDATE whose value reads the item
// (SET n = n + 1, list_append, if_not_exists, set_add) would apply twice
// when its WHERE still holds afterwards, so its written attributes are
// pinned: Input reads them with the keys, and each write also requires
// them to hold the values read. A retry after an applied first attempt
// then fails its condition, and the executor, seeing the pinned values
// changed by a call it retried, counts the item updated without writing
// it again; pinned values changed by another writer make it write again
// with the values now stored, so that concurrent increments add up.
type WriteEach struct {
	Input    Node
	KeyAttrs []string
	Update   *UpdateItem
	Delete   *DeleteItem
	// Pin lists the top-level attributes an UPDATE writes with values
	// computed from the item, which each write pins to the values the
	// read returned; nil for a DELETE and an UPDATE of constants only.
	Pin []string
	// FullTable marks a write of every item of the table (a WHERE clause
	// with no condition on the items), refused unless the session allows
	// it (allow_full_table_write).
	FullTable bool
}

// Input returns the node n takes its rows from: the input of a relational
// node, of a multi-item write or of an export, the plan an EXPLAIN shows, or
// nil for a leaf. Walks over a plan use it instead of a switch of their own.
func Input(n Node) Node {
	switch x := n.(type) {
	case *Filter:
		return x.Input
	case *Project:
		return x.Input
	case *Sort:
		return x.Input
	case *Limit:
		return x.Input
	case *Distinct:
		return x.Input
	case *Aggregate:
		return x.Input
	case *PutItems:
		return x.Input
	case *WriteEach:
		return x.Input
	case *CopyTo:
		return x.Input
	case *CopyFrom:
		if x.Write != nil {
			return x.Write
		}
	case *Explain:
		return x.Plan.Root
	}
	return nil
}
