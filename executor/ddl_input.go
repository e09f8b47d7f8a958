package executor

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// attributeDefs collects the AttributeDefinitions of a table or index: every
// key attribute once, in order of first use.
type attributeDefs struct {
	defs []types.AttributeDefinition
	seen map[string]bool
	// typeOf returns an attribute's scalar type, or "" when it has none.
	typeOf func(attr string) parser.KeyType
}

// add defines attr, failing when its type is unknown.
func (a *attributeDefs) add(attr string) error {
	if a.seen[attr] {
		return nil
	}
	t := a.typeOf(attr)
	if t == "" {
		return sqlerr.New(sqlerr.UndefinedColumn, "key attribute %q has no type", attr).
			WithHint("declare it with the columns, e.g. (%s TEXT, ...) or (%s NUMERIC, ...)", quoteName(attr), quoteName(attr))
	}
	if a.seen == nil {
		a.seen = make(map[string]bool)
	}
	a.seen[attr] = true
	a.defs = append(a.defs, types.AttributeDefinition{
		AttributeName: aws.String(attr),
		AttributeType: types.ScalarAttributeType(t),
	})
	return nil
}

// columnTypes returns a lookup of the types declared in columns.
func columnTypes(columns []parser.ColumnDef) map[string]parser.KeyType {
	m := make(map[string]parser.KeyType, len(columns))
	for _, c := range columns {
		m[c.Name] = c.Type
	}
	return m
}

// keySchema is the KeySchema of a partition key and optional sort key.
func keySchema(partitionKey, sortKey string) []types.KeySchemaElement {
	ks := []types.KeySchemaElement{{AttributeName: aws.String(partitionKey), KeyType: types.KeyTypeHash}}
	if sortKey != "" {
		ks = append(ks, types.KeySchemaElement{AttributeName: aws.String(sortKey), KeyType: types.KeyTypeRange})
	}
	return ks
}

// projection is an index's Projection.
func projection(ix *parser.IndexDef) *types.Projection {
	p := &types.Projection{ProjectionType: types.ProjectionTypeAll}
	switch ix.Projection {
	case parser.ProjectKeysOnly:
		p.ProjectionType = types.ProjectionTypeKeysOnly
	case parser.ProjectInclude:
		p.ProjectionType = types.ProjectionTypeInclude
		p.NonKeyAttributes = append([]string(nil), ix.Include...)
	}
	return p
}

// throughput converts provisioned capacity, nil staying nil.
func throughput(t *parser.Throughput) *types.ProvisionedThroughput {
	if t == nil {
		return nil
	}
	return &types.ProvisionedThroughput{
		ReadCapacityUnits:  aws.Int64(t.Read),
		WriteCapacityUnits: aws.Int64(t.Write),
	}
}

// createTableInput builds the CreateTable request of a CREATE TABLE: keys,
// attribute definitions for every key of the table and its indexes, GSIs
// and LSIs, and the billing mode (on-demand unless provisioned capacity is
// given; a GSI of a provisioned table gets the table's capacity unless it
// has its own).
func createTableInput(s *parser.CreateTable) (*dynamodb.CreateTableInput, error) {
	colTypes := columnTypes(s.Columns)
	defs := attributeDefs{typeOf: func(attr string) parser.KeyType { return colTypes[attr] }}
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(s.Name),
		KeySchema:   keySchema(s.PartitionKey, s.SortKey),
		BillingMode: types.BillingModePayPerRequest,
	}
	var tableCapacity *parser.Throughput
	if s.Billing != nil && s.Billing.Provisioned != nil {
		tableCapacity = s.Billing.Provisioned
		in.BillingMode = types.BillingModeProvisioned
		in.ProvisionedThroughput = throughput(tableCapacity)
	}
	if err := defs.add(s.PartitionKey); err != nil {
		return nil, err
	}
	if s.SortKey != "" {
		if err := defs.add(s.SortKey); err != nil {
			return nil, err
		}
	}
	for i := range s.Indexes {
		ix := &s.Indexes[i]
		pk := ix.PartitionKey
		if ix.Local && pk == "" {
			pk = s.PartitionKey
		}
		if err := defs.add(pk); err != nil {
			return nil, err
		}
		if ix.SortKey != "" {
			if err := defs.add(ix.SortKey); err != nil {
				return nil, err
			}
		}
		if ix.Local {
			in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, types.LocalSecondaryIndex{
				IndexName:  aws.String(ix.Name),
				KeySchema:  keySchema(pk, ix.SortKey),
				Projection: projection(ix),
			})
			continue
		}
		gsi := types.GlobalSecondaryIndex{
			IndexName:             aws.String(ix.Name),
			KeySchema:             keySchema(pk, ix.SortKey),
			Projection:            projection(ix),
			ProvisionedThroughput: throughput(ix.Throughput),
		}
		if gsi.ProvisionedThroughput == nil {
			gsi.ProvisionedThroughput = throughput(tableCapacity)
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, gsi)
	}
	in.AttributeDefinitions = defs.defs
	return in, nil
}

// createIndexInput builds the UpdateTable request of a CREATE INDEX on the
// table described by table. Key types come from the statement's columns,
// else from the table's attribute definitions, else S. A provisioned table
// gives the index its own capacity unless the statement sets one.
func createIndexInput(s *parser.CreateIndex, table *types.TableDescription) *dynamodb.UpdateTableInput {
	colTypes := columnTypes(s.Columns)
	defs := attributeDefs{typeOf: func(attr string) parser.KeyType {
		if t := colTypes[attr]; t != "" {
			return t
		}
		for _, d := range table.AttributeDefinitions {
			if aws.ToString(d.AttributeName) == attr {
				return parser.KeyType(d.AttributeType)
			}
		}
		return parser.KeyString
	}}
	ix := &s.Index
	// typeOf never returns "", so add cannot fail here.
	_ = defs.add(ix.PartitionKey)
	if ix.SortKey != "" {
		_ = defs.add(ix.SortKey)
	}
	create := &types.CreateGlobalSecondaryIndexAction{
		IndexName:             aws.String(ix.Name),
		KeySchema:             keySchema(ix.PartitionKey, ix.SortKey),
		Projection:            projection(ix),
		ProvisionedThroughput: throughput(ix.Throughput),
	}
	if create.ProvisionedThroughput == nil && billingMode(table) == types.BillingModeProvisioned {
		pt := table.ProvisionedThroughput
		create.ProvisionedThroughput = &types.ProvisionedThroughput{
			ReadCapacityUnits:  pt.ReadCapacityUnits,
			WriteCapacityUnits: pt.WriteCapacityUnits,
		}
	}
	return &dynamodb.UpdateTableInput{
		TableName:                   aws.String(s.Table),
		AttributeDefinitions:        defs.defs,
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: create}},
	}
}

// billingMode returns a table's billing mode. DynamoDB omits
// BillingModeSummary for tables that were always provisioned, so its
// absence with read capacity set means PROVISIONED.
func billingMode(t *types.TableDescription) types.BillingMode {
	if t.BillingModeSummary != nil && t.BillingModeSummary.BillingMode != "" {
		return t.BillingModeSummary.BillingMode
	}
	if t.ProvisionedThroughput != nil && aws.ToInt64(t.ProvisionedThroughput.ReadCapacityUnits) > 0 {
		return types.BillingModeProvisioned
	}
	return types.BillingModePayPerRequest
}
