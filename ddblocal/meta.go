package ddblocal

import (
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// tableMeta is what the engine knows about a table besides its items. It is
// stored as JSON in the metadata bucket under the table's name.
type tableMeta struct {
	Name    string
	ID      string // names the table's data bucket; new for every CreateTable
	Created time.Time
	Key     keySchema
	// AttrDefs are the AttributeDefinitions in request order.
	AttrDefs    []attributeDefinition
	BillingMode string // PROVISIONED or PAY_PER_REQUEST
	Throughput  throughput
	GSIs        []*indexMeta
	LSIs        []*indexMeta
	Stream      *streamSpecification `json:",omitempty"`
	StreamLabel string               `json:",omitempty"`
	TTLAttr     string               `json:",omitempty"` // "" when TTL is disabled
	Tags        []tag                `json:",omitempty"`
	Deletion    bool                 `json:",omitempty"`
}

// indexMeta is a secondary index.
type indexMeta struct {
	Name       string
	Key        keySchema
	Projection projection
	Throughput throughput
	Global     bool
}

// throughput is a ProvisionedThroughput setting.
type throughput struct {
	ReadCapacityUnits  int64
	WriteCapacityUnits int64
}

// index returns the index called name, or nil.
func (t *tableMeta) index(name string) *indexMeta {
	for _, ix := range t.GSIs {
		if ix.Name == name {
			return ix
		}
	}
	for _, ix := range t.LSIs {
		if ix.Name == name {
			return ix
		}
	}
	return nil
}

// indexes returns the LSIs then the GSIs.
func (t *tableMeta) indexes() []*indexMeta {
	return append(slices.Clip(t.LSIs), t.GSIs...)
}

// attrType returns the declared type of attribute name ("" if undeclared).
func (t *tableMeta) attrType(name string) string {
	for _, d := range t.AttrDefs {
		if d.AttributeName == name {
			return d.AttributeType
		}
	}
	return ""
}

// keyAttrs reports whether name is a key attribute of the table or of any index.
func (t *tableMeta) isKeyAttr(name string) bool {
	return t.Key.HashKey == name || t.Key.RangeKey == name
}

// projects reports whether an index projects attribute name.
func (ix *indexMeta) projects(t *tableMeta, name string) bool {
	switch {
	case ix.Projection.ProjectionType == "ALL":
		return true
	case name == t.Key.HashKey || name == t.Key.RangeKey || name == ix.Key.HashKey || name == ix.Key.RangeKey:
		return true
	case ix.Projection.ProjectionType == "INCLUDE":
		return slices.Contains(ix.Projection.NonKeyAttributes, name)
	}
	return false
}

// project returns the attributes of it an index holds.
func (ix *indexMeta) project(t *tableMeta, it item) item {
	if ix.Projection.ProjectionType == "ALL" {
		return it
	}
	out := make(item, 4)
	for k, v := range it {
		if ix.projects(t, k) {
			out[k] = v
		}
	}
	return out
}

// inIndex reports whether it has the index's key attributes (indexes are
// sparse: an item lacking one is not in the index).
func (ix *indexMeta) inIndex(it item) bool {
	if _, ok := it[ix.Key.HashKey]; !ok {
		return false
	}
	if ix.Key.RangeKey != "" {
		if _, ok := it[ix.Key.RangeKey]; !ok {
			return false
		}
	}
	return true
}

// entryKey is the storage key of it's entry in index ix: the index key,
// then the table's key, which makes the entry unique. Entries sharing an
// index key are ordered as DynamoDB Local orders them: those of a global
// index by the hash of the table's partition and sort key (of the partition
// key alone when the table has no sort key), those of a local index by the
// table's sort key.
func (ix *indexMeta) entryKey(t *tableMeta, it item) []byte {
	k := ix.Key.itemKey(it)
	tk := t.Key.itemKey(it)
	if !ix.Global {
		return append(k, tk[hashLen:]...)
	}
	if t.Key.RangeKey != "" {
		h := pairHash(it[t.Key.HashKey], it[t.Key.RangeKey])
		k = append(k, h[:]...)
		return append(k, tk[hashLen:]...)
	}
	return append(k, tk...)
}

// keyOf returns the key attributes of it under schemas ks (one or more).
func keyOf(it item, schemas ...keySchema) item {
	k := make(item, 4)
	for _, ks := range schemas {
		k[ks.HashKey] = it[ks.HashKey]
		if ks.RangeKey != "" {
			k[ks.RangeKey] = it[ks.RangeKey]
		}
	}
	return k
}

// Wire forms shared by the table operations.

type attributeDefinition struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

type keySchemaElement struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

type projection struct {
	ProjectionType   string   `json:"ProjectionType,omitempty"`
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

type streamSpecification struct {
	StreamEnabled  bool   `json:"StreamEnabled"`
	StreamViewType string `json:"StreamViewType,omitempty"`
}

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// wireKeySchema is a keySchema in the API's form.
func (ks keySchema) wire() []keySchemaElement {
	out := []keySchemaElement{{ks.HashKey, string(types.KeyTypeHash)}}
	if ks.RangeKey != "" {
		out = append(out, keySchemaElement{ks.RangeKey, string(types.KeyTypeRange)})
	}
	return out
}
