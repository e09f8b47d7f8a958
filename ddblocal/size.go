package ddblocal

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// maxItemSize is DynamoDB's item size limit, 400 KB.
const maxItemSize = 400 * 1024

// itemSize is an item's size as DynamoDB measures it (value.ItemSize).
func itemSize(it item) int { return value.ItemSize(it) }

// valueSize is one value's size as DynamoDB measures it
// (value.AttributeSize).
func valueSize(v types.AttributeValue) int { return value.AttributeSize(v) }

// readUnits returns the read capacity of reading size bytes: one unit per 4
// KB (rounded up), half for an eventually consistent read.
func readUnits(size int, consistent bool) float64 {
	u := math.Ceil(float64(size) / 4096)
	if !consistent {
		u /= 2
	}
	return u
}

// writeUnits returns the write capacity of writing an item of size bytes:
// one unit per KB, at least one.
func writeUnits(size int) float64 {
	return math.Max(1, math.Ceil(float64(size)/1024))
}

// units renders capacity units as DynamoDB does, always with a decimal
// point ("1.0", "0.5").
type units float64

func (u units) MarshalJSON() ([]byte, error) {
	s := strconv.FormatFloat(float64(u), 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return []byte(s), nil
}

// capacityUnits wraps units in the {"CapacityUnits": n} object.
type capacityUnits struct {
	CapacityUnits units `json:"CapacityUnits"`
}

// consumedCapacity is the ConsumedCapacity of one table in a response.
type consumedCapacity struct {
	TableName     string                   `json:"TableName"`
	CapacityUnits units                    `json:"CapacityUnits"`
	Table         *capacityUnits           `json:"Table,omitempty"`
	LSIs          map[string]capacityUnits `json:"LocalSecondaryIndexes,omitempty"`
	GSIs          map[string]capacityUnits `json:"GlobalSecondaryIndexes,omitempty"`
}

// capacity accumulates the units a request consumes on one table.
type capacity struct {
	table string
	// scale multiplies every unit added: 2 in a transaction.
	scale   float64
	total   float64
	onTable float64
	lsi     map[string]float64
	gsi     map[string]float64
}

func newCapacity(table string) *capacity { return &capacity{table: table, scale: 1} }

func (c *capacity) addTable(u float64) { u *= c.scale; c.total += u; c.onTable += u }

func (c *capacity) addIndex(ix *indexMeta, u float64) {
	u *= c.scale
	c.total += u
	m := &c.lsi
	if ix.Global {
		m = &c.gsi
	}
	if *m == nil {
		*m = map[string]float64{}
	}
	(*m)[ix.Name] += u
}

// report renders the capacity for ReturnConsumedCapacity mode (NONE, TOTAL
// or INDEXES); nil for NONE.
func (c *capacity) report(mode string) *consumedCapacity {
	switch mode {
	case "TOTAL":
		return &consumedCapacity{TableName: c.table, CapacityUnits: units(c.total)}
	case "INDEXES":
		cc := &consumedCapacity{TableName: c.table, CapacityUnits: units(c.total), Table: &capacityUnits{units(c.onTable)}}
		cc.LSIs = unitsMap(c.lsi)
		cc.GSIs = unitsMap(c.gsi)
		return cc
	}
	return nil
}

func unitsMap(m map[string]float64) map[string]capacityUnits {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]capacityUnits, len(m))
	for k, v := range m {
		out[k] = capacityUnits{units(v)}
	}
	return out
}

var _ json.Marshaler = units(0)
