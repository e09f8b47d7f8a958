// Package catalog describes DynamoDB tables to the planner: key schema,
// secondary indexes with their projections, and size estimates. The planner
// reads metadata only through the Catalog interface, so it never calls AWS;
// production uses a cached DescribeTable-backed implementation, tests use a
// Fixture.
package catalog

import (
	"context"
)

// KeyAttr is a key attribute and its scalar type ("S", "N" or "B").
type KeyAttr struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// IndexKind tells global from local secondary indexes.
type IndexKind string

const (
	// GSI is a global secondary index: any partition key, eventually consistent.
	GSI IndexKind = "GSI"
	// LSI is a local secondary index: the table's partition key, another sort key.
	LSI IndexKind = "LSI"
)

// Projection is what an index copies from its table.
type Projection string

const (
	// ProjectAll copies every attribute.
	ProjectAll Projection = "ALL"
	// ProjectKeysOnly copies the table and index key attributes.
	ProjectKeysOnly Projection = "KEYS_ONLY"
	// ProjectInclude copies the keys plus Index.NonKeyAttributes.
	ProjectInclude Projection = "INCLUDE"
)

// Index is a secondary index of a table.
type Index struct {
	Name             string     `json:"name"`
	Kind             IndexKind  `json:"kind"`
	PartitionKey     KeyAttr    `json:"partitionKey"`
	SortKey          *KeyAttr   `json:"sortKey,omitempty"`
	Projection       Projection `json:"projection"`
	NonKeyAttributes []string   `json:"nonKeyAttributes,omitempty"`
	Status           string     `json:"status,omitempty"`
	ItemCount        int64      `json:"itemCount,omitempty"`
}

// Table is the metadata of one table.
type Table struct {
	Name         string   `json:"name"`
	PartitionKey KeyAttr  `json:"partitionKey"`
	SortKey      *KeyAttr `json:"sortKey,omitempty"`
	Indexes      []Index  `json:"indexes,omitempty"`
	// ItemCount and SizeBytes are DynamoDB's estimates (refreshed about every
	// six hours by AWS); they size parallel scans.
	ItemCount int64  `json:"itemCount,omitempty"`
	SizeBytes int64  `json:"sizeBytes,omitempty"`
	Status    string `json:"status,omitempty"`
	// BillingMode is PAY_PER_REQUEST or PROVISIONED.
	BillingMode   string `json:"billingMode,omitempty"`
	ReadCapacity  int64  `json:"readCapacity,omitempty"`
	WriteCapacity int64  `json:"writeCapacity,omitempty"`
	TTLAttribute  string `json:"ttlAttribute,omitempty"`
	TTLStatus     string `json:"ttlStatus,omitempty"`
	StreamView    string `json:"streamView,omitempty"`
	Arn           string `json:"arn,omitempty"`
}

// Catalog looks tables up by name. Implementations return an error wrapping
// ErrUnknownTable (see sqlerr) for a table that does not exist.
type Catalog interface {
	Table(ctx context.Context, name string) (*Table, error)
}

// Index returns the named index of t, or nil.
func (t *Table) Index(name string) *Index {
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i]
		}
	}
	return nil
}

// KeyNames returns the table's primary key attribute names, partition key first.
func (t *Table) KeyNames() []string {
	if t.SortKey == nil {
		return []string{t.PartitionKey.Name}
	}
	return []string{t.PartitionKey.Name, t.SortKey.Name}
}

// IsKey reports whether attr is part of the table's primary key.
func (t *Table) IsKey(attr string) bool {
	return attr == t.PartitionKey.Name || (t.SortKey != nil && attr == t.SortKey.Name)
}

// Projects reports whether the index holds attr for every item it contains.
func (t *Table) Projects(ix *Index, attr string) bool {
	if ix.Projection == ProjectAll || t.IsKey(attr) || attr == ix.PartitionKey.Name ||
		(ix.SortKey != nil && attr == ix.SortKey.Name) {
		return true
	}
	if ix.Projection == ProjectInclude {
		for _, a := range ix.NonKeyAttributes {
			if a == attr {
				return true
			}
		}
	}
	return false
}
