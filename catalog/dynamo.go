package catalog

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// DescribeAPI is the part of the DynamoDB API the production catalog calls.
// *dynamodb.Client implements it.
type DescribeAPI interface {
	DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	DescribeTimeToLive(context.Context, *dynamodb.DescribeTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error)
}

// DefaultMaxAge is how long Dynamo reuses a table's metadata.
const DefaultMaxAge = 60 * time.Second

// Dynamo is the production Catalog: DescribeTable (and DescribeTimeToLive)
// per table, cached for MaxAge. Tables changed by DDL are forgotten at once
// through Invalidate; changes made elsewhere show after MaxAge at the latest.
// It is safe for concurrent use.
type Dynamo struct {
	// MaxAge is how long a table's metadata is reused before DynamoDB is
	// asked again. Set it before the first call.
	MaxAge time.Duration
	// MapError, when set, gives errors of the API other than a missing table
	// their SQLSTATE. Set it before the first call.
	MapError func(error) error

	api DescribeAPI
	now func() time.Time

	mu    sync.Mutex
	cache map[string]cachedTable
}

// cachedTable is a table's metadata and when it was read.
type cachedTable struct {
	table *Table
	at    time.Time
}

// NewDynamo returns a Dynamo reading metadata through api.
func NewDynamo(api DescribeAPI) *Dynamo {
	return &Dynamo{
		MaxAge: DefaultMaxAge,
		api:    api,
		now:    time.Now,
		cache:  make(map[string]cachedTable),
	}
}

// Table implements Catalog. A table that does not exist is an error wrapping
// UnknownTable's; it is not cached, so a table created elsewhere is seen at
// once.
func (d *Dynamo) Table(ctx context.Context, name string) (*Table, error) {
	d.mu.Lock()
	c, ok := d.cache[name]
	d.mu.Unlock()
	if ok && d.now().Sub(c.at) < d.MaxAge {
		return c.table.clone(), nil
	}
	read := d.now()
	out, err := d.api.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		return nil, d.mapError(err, name)
	}
	if out.Table == nil {
		return nil, UnknownTable(name)
	}
	ttl, err := d.describeTTL(ctx, name)
	if err != nil {
		return nil, d.mapError(err, name)
	}
	t := TableFromDescription(out.Table, ttl)
	d.mu.Lock()
	d.cache[name] = cachedTable{table: t, at: read}
	d.mu.Unlock()
	return t.clone(), nil
}

// Invalidate forgets what is cached about table.
func (d *Dynamo) Invalidate(table string) {
	d.mu.Lock()
	delete(d.cache, table)
	d.mu.Unlock()
}

// describeTTL returns the table's TTL setting, or nil when it cannot be read
// for any reason but cancellation: TTL is shown to users, never needed to
// plan, and some backends lack the API (dynalite's UpdateTimeToLive) or the
// caller may lack the permission.
func (d *Dynamo) describeTTL(ctx context.Context, name string) (*types.TimeToLiveDescription, error) {
	out, err := d.api.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, nil
	}
	return out.TimeToLiveDescription, nil
}

// mapError turns a DescribeTable error into the catalog's error.
func (d *Dynamo) mapError(err error, name string) error {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "ResourceNotFoundException" {
		return UnknownTable(name)
	}
	if d.MapError != nil {
		return d.MapError(err)
	}
	return err
}

// TableFromDescription converts DynamoDB's description of a table (and of
// its TTL, which may be nil) to a Table.
func TableFromDescription(td *types.TableDescription, ttl *types.TimeToLiveDescription) *Table {
	attrTypes := make(map[string]string, len(td.AttributeDefinitions))
	for _, a := range td.AttributeDefinitions {
		attrTypes[aws.ToString(a.AttributeName)] = string(a.AttributeType)
	}
	t := &Table{
		Name:      aws.ToString(td.TableName),
		ItemCount: aws.ToInt64(td.ItemCount),
		SizeBytes: aws.ToInt64(td.TableSizeBytes),
		Status:    string(td.TableStatus),
		Arn:       aws.ToString(td.TableArn),
	}
	t.PartitionKey, t.SortKey = keyAttrs(td.KeySchema, attrTypes)
	t.BillingMode = string(types.BillingModePayPerRequest)
	if td.BillingModeSummary != nil && td.BillingModeSummary.BillingMode != "" {
		t.BillingMode = string(td.BillingModeSummary.BillingMode)
	} else if pt := td.ProvisionedThroughput; pt != nil && aws.ToInt64(pt.ReadCapacityUnits) > 0 {
		// DynamoDB omits the summary for tables that were always provisioned.
		t.BillingMode = string(types.BillingModeProvisioned)
	}
	if pt := td.ProvisionedThroughput; pt != nil && t.BillingMode == string(types.BillingModeProvisioned) {
		t.ReadCapacity = aws.ToInt64(pt.ReadCapacityUnits)
		t.WriteCapacity = aws.ToInt64(pt.WriteCapacityUnits)
	}
	if s := td.StreamSpecification; s != nil && aws.ToBool(s.StreamEnabled) {
		t.StreamView = string(s.StreamViewType)
	}
	if ttl != nil {
		t.TTLAttribute = aws.ToString(ttl.AttributeName)
		t.TTLStatus = string(ttl.TimeToLiveStatus)
	}
	for _, ix := range td.GlobalSecondaryIndexes {
		idx := Index{
			Name:      aws.ToString(ix.IndexName),
			Kind:      GSI,
			Status:    string(ix.IndexStatus),
			ItemCount: aws.ToInt64(ix.ItemCount),
		}
		pk, sk := keyAttrs(ix.KeySchema, attrTypes)
		idx.PartitionKey, idx.SortKey = pk, sk
		idx.Projection, idx.NonKeyAttributes = projection(ix.Projection)
		t.Indexes = append(t.Indexes, idx)
	}
	for _, ix := range td.LocalSecondaryIndexes {
		idx := Index{
			Name:      aws.ToString(ix.IndexName),
			Kind:      LSI,
			ItemCount: aws.ToInt64(ix.ItemCount),
			// An LSI has no status of its own: it lives with its table.
			Status: string(td.TableStatus),
		}
		pk, sk := keyAttrs(ix.KeySchema, attrTypes)
		idx.PartitionKey, idx.SortKey = pk, sk
		idx.Projection, idx.NonKeyAttributes = projection(ix.Projection)
		t.Indexes = append(t.Indexes, idx)
	}
	return t
}

// keyAttrs reads a key schema: the partition key and the sort key (nil when
// there is none), typed from the attribute definitions.
func keyAttrs(ks []types.KeySchemaElement, attrTypes map[string]string) (pk KeyAttr, sk *KeyAttr) {
	for _, k := range ks {
		name := aws.ToString(k.AttributeName)
		a := KeyAttr{Name: name, Type: attrTypes[name]}
		switch k.KeyType {
		case types.KeyTypeHash:
			pk = a
		case types.KeyTypeRange:
			sk = &a
		}
	}
	return pk, sk
}

// projection reads an index projection; a missing one projects everything.
func projection(p *types.Projection) (Projection, []string) {
	if p == nil {
		return ProjectAll, nil
	}
	switch p.ProjectionType {
	case types.ProjectionTypeKeysOnly:
		return ProjectKeysOnly, nil
	case types.ProjectionTypeInclude:
		return ProjectInclude, append([]string(nil), p.NonKeyAttributes...)
	}
	return ProjectAll, nil
}

// clone copies t deeply enough that callers cannot change the cache.
func (t *Table) clone() *Table {
	c := *t
	if t.SortKey != nil {
		sk := *t.SortKey
		c.SortKey = &sk
	}
	c.Indexes = make([]Index, len(t.Indexes))
	for i, ix := range t.Indexes {
		if ix.SortKey != nil {
			sk := *ix.SortKey
			ix.SortKey = &sk
		}
		ix.NonKeyAttributes = append([]string(nil), ix.NonKeyAttributes...)
		c.Indexes[i] = ix
	}
	if t.Indexes == nil {
		c.Indexes = nil
	}
	return &c
}
