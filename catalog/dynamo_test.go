package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// describeFake answers DescribeTable from tables and DescribeTimeToLive from
// ttl (or ttlErr), counting the calls.
type describeFake struct {
	mu        sync.Mutex
	tables    map[string]*types.TableDescription
	ttl       *types.TimeToLiveDescription
	ttlErr    error
	describes int
}

func (f *describeFake) DescribeTable(_ context.Context, in *dynamodb.DescribeTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.describes++
	t, ok := f.tables[aws.ToString(in.TableName)]
	if !ok {
		return nil, &smithy.OperationError{ServiceID: "DynamoDB", OperationName: "DescribeTable",
			Err: &types.ResourceNotFoundException{Message: aws.String("Requested resource not found")}}
	}
	return &dynamodb.DescribeTableOutput{Table: t}, nil
}

func (f *describeFake) DescribeTimeToLive(context.Context, *dynamodb.DescribeTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error) {
	if f.ttlErr != nil {
		return nil, f.ttlErr
	}
	return &dynamodb.DescribeTimeToLiveOutput{TimeToLiveDescription: f.ttl}, nil
}

func keyElem(name string, kt types.KeyType) types.KeySchemaElement {
	return types.KeySchemaElement{AttributeName: aws.String(name), KeyType: kt}
}

func ordersDescription() *types.TableDescription {
	return &types.TableDescription{
		TableName:   aws.String("Orders"),
		TableArn:    aws.String("arn:aws:dynamodb:us-east-1:123456789012:table/Orders"),
		TableStatus: types.TableStatusActive,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("customerId"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("orderDate"), AttributeType: types.ScalarAttributeTypeN},
			{AttributeName: aws.String("status"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("total"), AttributeType: types.ScalarAttributeTypeN},
		},
		KeySchema:      []types.KeySchemaElement{keyElem("customerId", types.KeyTypeHash), keyElem("orderDate", types.KeyTypeRange)},
		ItemCount:      aws.Int64(1200),
		TableSizeBytes: aws.Int64(345678),
		ProvisionedThroughput: &types.ProvisionedThroughputDescription{
			ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(3)},
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndexDescription{{
			IndexName:   aws.String("byStatus"),
			KeySchema:   []types.KeySchemaElement{keyElem("status", types.KeyTypeHash), keyElem("orderDate", types.KeyTypeRange)},
			Projection:  &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"total"}},
			IndexStatus: types.IndexStatusCreating,
			ItemCount:   aws.Int64(7),
		}},
		LocalSecondaryIndexes: []types.LocalSecondaryIndexDescription{{
			IndexName:  aws.String("byTotal"),
			KeySchema:  []types.KeySchemaElement{keyElem("customerId", types.KeyTypeHash), keyElem("total", types.KeyTypeRange)},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}},
	}
}

func TestTableFromDescription(t *testing.T) {
	got := TableFromDescription(ordersDescription(), &types.TimeToLiveDescription{
		AttributeName: aws.String("expiresAt"), TimeToLiveStatus: types.TimeToLiveStatusEnabled})
	want := &Table{
		Name:         "Orders",
		PartitionKey: KeyAttr{"customerId", "S"},
		SortKey:      &KeyAttr{"orderDate", "N"},
		Indexes: []Index{
			{Name: "byStatus", Kind: GSI, PartitionKey: KeyAttr{"status", "S"}, SortKey: &KeyAttr{"orderDate", "N"},
				Projection: ProjectInclude, NonKeyAttributes: []string{"total"}, Status: "CREATING", ItemCount: 7},
			{Name: "byTotal", Kind: LSI, PartitionKey: KeyAttr{"customerId", "S"}, SortKey: &KeyAttr{"total", "N"},
				Projection: ProjectKeysOnly, Status: "ACTIVE"},
		},
		ItemCount:     1200,
		SizeBytes:     345678,
		Status:        "ACTIVE",
		BillingMode:   "PROVISIONED",
		ReadCapacity:  5,
		WriteCapacity: 3,
		TTLAttribute:  "expiresAt",
		TTLStatus:     "ENABLED",
		StreamView:    "NEW_IMAGE",
		Arn:           "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
	}
	if g, w := jsonOf(got), jsonOf(want); g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}

func TestTableFromDescriptionOnDemand(t *testing.T) {
	td := &types.TableDescription{
		TableName:            aws.String("Users"),
		TableStatus:          types.TableStatusActive,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("userId"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{keyElem("userId", types.KeyTypeHash)},
		BillingModeSummary:   &types.BillingModeSummary{BillingMode: types.BillingModePayPerRequest},
		ProvisionedThroughput: &types.ProvisionedThroughputDescription{
			ReadCapacityUnits: aws.Int64(0), WriteCapacityUnits: aws.Int64(0)},
	}
	got := TableFromDescription(td, nil)
	if got.BillingMode != "PAY_PER_REQUEST" || got.ReadCapacity != 0 || got.SortKey != nil || got.TTLStatus != "" {
		t.Errorf("got %s", jsonOf(got))
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestDynamoCaches(t *testing.T) {
	api := &describeFake{tables: map[string]*types.TableDescription{"Orders": ordersDescription()}}
	d := NewDynamo(api)
	now := time.Unix(1000, 0)
	d.now = func() time.Time { return now }
	ctx := context.Background()

	t1, err := d.Table(ctx, "Orders")
	if err != nil {
		t.Fatal(err)
	}
	t1.Indexes[0].Name = "changed by the caller"
	t2, _ := d.Table(ctx, "Orders")
	if api.describes != 1 {
		t.Errorf("%d DescribeTable calls, want 1 (cached)", api.describes)
	}
	if t2.Indexes[0].Name != "byStatus" {
		t.Error("a caller changed the cached table")
	}

	now = now.Add(DefaultMaxAge)
	if _, err := d.Table(ctx, "Orders"); err != nil {
		t.Fatal(err)
	}
	if api.describes != 2 {
		t.Errorf("%d DescribeTable calls, want 2 (expired)", api.describes)
	}

	d.Invalidate("Orders")
	if _, err := d.Table(ctx, "Orders"); err != nil {
		t.Fatal(err)
	}
	if api.describes != 3 {
		t.Errorf("%d DescribeTable calls, want 3 (invalidated)", api.describes)
	}
}

func TestDynamoUnknownTable(t *testing.T) {
	api := &describeFake{tables: map[string]*types.TableDescription{}}
	d := NewDynamo(api)
	for i := 0; i < 2; i++ {
		_, err := d.Table(context.Background(), "Nope")
		var e *sqlerr.Error
		if !errors.As(err, &e) || e.Code != sqlerr.UndefinedTable || e.Message != `table "Nope" does not exist` {
			t.Fatalf("error %v, want 42P01 table \"Nope\" does not exist", err)
		}
	}
	if api.describes != 2 {
		t.Errorf("%d DescribeTable calls, want 2: a missing table is not cached", api.describes)
	}
}

func TestDynamoToleratesMissingTTL(t *testing.T) {
	api := &describeFake{
		tables: map[string]*types.TableDescription{"Orders": ordersDescription()},
		ttlErr: &smithy.GenericAPIError{Code: "UnknownOperationException"},
	}
	tbl, err := NewDynamo(api).Table(context.Background(), "Orders")
	if err != nil {
		t.Fatal(err)
	}
	if tbl.TTLStatus != "" || tbl.TTLAttribute != "" {
		t.Errorf("TTL %q %q, want none", tbl.TTLAttribute, tbl.TTLStatus)
	}
}

func TestDynamoMapsOtherErrors(t *testing.T) {
	boom := errors.New("boom")
	api := &failingDescribe{err: boom}
	d := NewDynamo(api)
	if _, err := d.Table(context.Background(), "T"); !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
	d.MapError = func(err error) error { return sqlerr.New(sqlerr.ConnectionFailure, "mapped: %v", err) }
	_, err := d.Table(context.Background(), "T")
	if sqlerr.Code(err) != sqlerr.ConnectionFailure {
		t.Errorf("error %v, want the mapped one", err)
	}
}

type failingDescribe struct{ err error }

func (f *failingDescribe) DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	return nil, f.err
}

func (f *failingDescribe) DescribeTimeToLive(context.Context, *dynamodb.DescribeTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error) {
	return nil, f.err
}

func TestDynamoConcurrentUse(t *testing.T) {
	api := &describeFake{tables: map[string]*types.TableDescription{"Orders": ordersDescription()}}
	d := NewDynamo(api)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				if _, err := d.Table(context.Background(), "Orders"); err != nil {
					t.Error(err)
					return
				}
				if j%10 == 0 {
					d.Invalidate("Orders")
				}
			}
		}()
	}
	wg.Wait()
}
